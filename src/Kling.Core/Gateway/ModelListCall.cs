using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;

namespace Kling.Core.Gateway
{
    /// <summary>
    /// Reads GET /v1/models?expand=category,parameters (MODELS.md, "Model list": the endpoint is confirmed, its shape is
    /// not), liberally: the list as "data" (<c>{"object":"list","data":[...]}</c>, or nested once more under "data"), as
    /// "models", or as a bare array; each model an object whose name is "id" (else "name" or "model"), or a plain string;
    /// "owned_by" (or "owner"), "category" (text, a list of texts, or an object with a "name") and "parameters" (a JSON
    /// Schema, as an object or as JSON text) each read when present, anything else ignored. A model without a name is
    /// left out; a name listed twice is written once. An answer that holds no list is an error quoting it.
    /// </summary>
    internal static class ModelListCall
    {
        public const string Path = "v1/models?expand=category,parameters";

        private static readonly string[] NameFields = { "id", "name", "model" };
        private static readonly string[] ListFields = { "data", "models", "items" };

        /// <summary>Categories that are not video (checked after "video", so "image-to-video" stays video).</summary>
        private static readonly string[] OtherKinds = { "image", "audio", "speech", "voice", "music", "text", "chat", "embedding", "llm", "tts" };

        /// <summary>Every model of the answer with a name, in the gateway's order.</summary>
        public static List<KlingOnlineModel> Read(GatewayReply reply, GatewayTransport transport)
        {
            try
            {
                using JsonDocument document = JsonDocument.Parse(reply.Body);
                JsonElement list = ListOf(document.RootElement) ?? throw new FormatException("it holds no list of models");
                var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
                return list.EnumerateArray().Select(Model).Where(m => m != null && seen.Add(m.Name)).ToList()!;
            }
            catch (Exception ex) when (ex is JsonException || ex is FormatException)
            {
                throw new GatewayException(
                    GatewayErrorKind.InvalidResponse,
                    $"The gateway's model list could not be read ({ex.Message}). The answer: {transport.Excerpt(reply.Body)}",
                    reply.StatusCode,
                    inner: ex);
            }
        }

        /// <summary>
        /// A Kling video model: its name begins with "kling" (other makers' models share the list), and its category, when
        /// given, is not another kind than video (an image model sold under the same name would fail as a video).
        /// </summary>
        public static bool IsKling(KlingOnlineModel model)
        {
            if (!model.Name.StartsWith("kling", StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }

            string category = model.Category ?? string.Empty;
            return category.IndexOf("video", StringComparison.OrdinalIgnoreCase) >= 0 ||
                   !OtherKinds.Any(kind => category.IndexOf(kind, StringComparison.OrdinalIgnoreCase) >= 0);
        }

        /// <summary>The array of models: the answer itself, or under one of <see cref="ListFields"/>, at most two levels down.</summary>
        private static JsonElement? ListOf(JsonElement element, int depth = 0)
        {
            if (element.ValueKind == JsonValueKind.Array)
            {
                return element;
            }

            if (element.ValueKind != JsonValueKind.Object || depth > 1)
            {
                return null;
            }

            foreach (string field in ListFields)
            {
                if (element.TryGetProperty(field, out JsonElement inner) && ListOf(inner, depth + 1) is JsonElement list)
                {
                    return list;
                }
            }

            return null;
        }

        /// <summary>One entry of the list; null when it names no model.</summary>
        private static KlingOnlineModel? Model(JsonElement item)
        {
            if (item.ValueKind == JsonValueKind.String)
            {
                string name = item.GetString()!.Trim();
                return name.Length == 0 ? null : new KlingOnlineModel { Name = name };
            }

            if (item.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            string? id = NameFields.Select(f => Text(item, f)).FirstOrDefault(n => !string.IsNullOrWhiteSpace(n))?.Trim();
            if (id == null)
            {
                return null;
            }

            string? schema = Schema(item);
            return new KlingOnlineModel
            {
                Name = id,
                Owner = Text(item, "owned_by") ?? Text(item, "owner"),
                Category = Category(item),
                HasSchema = schema != null,
                Schema = schema,
            };
        }

        /// <summary>"category" as text, a list of texts (joined with ", ") or an object's "name"; null otherwise.</summary>
        private static string? Category(JsonElement item)
        {
            if (!item.TryGetProperty("category", out JsonElement value))
            {
                return null;
            }

            string? text = value.ValueKind switch
            {
                JsonValueKind.Array => string.Join(", ", value.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!.Trim()).Where(v => v.Length > 0)),
                JsonValueKind.Object => Text(value, "name"),
                _ => Text(item, "category"),
            };
            return string.IsNullOrWhiteSpace(text) ? null : text!.Trim();
        }

        /// <summary>"parameters" as JSON text when it is a schema (an object with something in it, or text holding one); null otherwise.</summary>
        private static string? Schema(JsonElement item)
        {
            if (!item.TryGetProperty("parameters", out JsonElement value))
            {
                return null;
            }

            if (value.ValueKind == JsonValueKind.String)
            {
                try
                {
                    using JsonDocument inner = JsonDocument.Parse(value.GetString()!);
                    return IsSchema(inner.RootElement) ? inner.RootElement.GetRawText() : null;
                }
                catch (JsonException)
                {
                    return null;
                }
            }

            return IsSchema(value) ? value.GetRawText() : null;
        }

        private static bool IsSchema(JsonElement value) => value.ValueKind == JsonValueKind.Object && value.EnumerateObject().Any();

        private static string? Text(JsonElement item, string name) =>
            item.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
    }
}
