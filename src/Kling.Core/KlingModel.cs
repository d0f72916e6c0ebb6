using System.Collections.Generic;

namespace Kling.Core
{
    /// <summary>One model of the catalog as Get-KlingModel writes it: what it takes, in words a user reads.</summary>
    public sealed class KlingModel
    {
        public string Name { get; set; } = string.Empty;

        public string Summary { get; set; } = string.Empty;

        /// <summary>What the model takes: text, first/last frame, images, references, video, elements, ...</summary>
        public string[] Inputs { get; set; } = new string[0];

        public string[] Modes { get; set; } = new string[0];

        /// <summary>Durations in words: "5, 10" or "3-15"; empty when the model takes none.</summary>
        public string Durations { get; set; } = string.Empty;

        public string[] AspectRatios { get; set; } = new string[0];

        /// <summary>Images at most; null when not stated.</summary>
        public int? MaxImages { get; set; }

        public bool Audio { get; set; }

        public bool MultiShot { get; set; }

        /// <summary>Rules between fields and unconfirmed points, in words.</summary>
        public string[] Notes { get; set; } = new string[0];

        /// <summary>USD per second by tier, in words ("default 0.0672 · pro 0.0896"); empty when the list in force has no price for the model.</summary>
        public string Prices { get; set; } = string.Empty;

        /// <summary>The price list in force: the built-in list with its date, or a price file's path.</summary>
        public string PriceList { get; set; } = string.Empty;

        public override string ToString() => Name;
    }
}
