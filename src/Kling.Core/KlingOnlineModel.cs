namespace Kling.Core
{
    /// <summary>
    /// One Kling model the gateway offers the key in use, as Get-KlingModel -Online writes it (GET /v1/models with
    /// expand=category,parameters): what the gateway says of it, and whether the module's catalog knows it.
    /// </summary>
    public sealed class KlingOnlineModel
    {
        /// <summary>The model's name (the list's "id"), as sent in a submission's "model" field.</summary>
        public string Name { get; set; } = string.Empty;

        /// <summary>The gateway's category for it ("video", ...); null when the gateway gives none.</summary>
        public string? Category { get; set; }

        /// <summary>Who the gateway says owns it (the list's "owned_by"); null when it does not say.</summary>
        public string? Owner { get; set; }

        /// <summary>True when the module's catalog has the model: New-KlingVideo checks its rows before sending.</summary>
        public bool Known { get; set; }

        /// <summary>True when the gateway gives a JSON Schema of the model's request body ("parameters").</summary>
        public bool HasSchema { get; set; }

        /// <summary>That schema as the gateway wrote it (JSON text); null when there is none.</summary>
        public string? Schema { get; set; }

        public override string ToString() => Name;
    }
}
