using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Kling.Core.Wire
{
    internal static class GatewayJson
    {
        // Relaxed escaping keeps Chinese prompts readable in -Debug traces and -WhatIf; the body is JSON, never HTML.
        internal static readonly JsonSerializerOptions Options = new JsonSerializerOptions
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };

        internal static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);
    }
}
