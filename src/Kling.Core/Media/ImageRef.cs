using System;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Kling.Core.Media
{
    /// <summary>One image of a row: a URL sent as it is, or a checked local file, uploaded just before the row is sent.</summary>
    [JsonConverter(typeof(ImageRefConverter))]
    public sealed class ImageRef
    {
        private ImageRef(string? url, LocalImage? local)
        {
            Url = url;
            Local = local;
        }

        /// <summary>The URL sent for it; for a local file, null until it is uploaded.</summary>
        public string? Url { get; }

        /// <summary>The local file it came from, with its content hash; null for an image given by URL.</summary>
        public LocalImage? Local { get; }

        /// <summary>
        /// What stands for it in the row's identity (and in -WhatIf): the URL, or for a local file its content
        /// ("sha256:..."), never its upload URL, so a rerun of a journaled batch maps the row to the same line.
        /// </summary>
        public string Identity => Local != null ? ImageFile.PlaceholderPrefix + Local.Sha256 : Url ?? string.Empty;

        /// <summary>What goes into the body: the URL once there is one, else the identity.</summary>
        public string SentAs => Url ?? Identity;

        public static ImageRef FromUrl(string url) => new ImageRef(url, null);

        public static ImageRef FromFile(LocalImage image) => new ImageRef(null, image);

        /// <summary>The same local image, now at its uploaded URL.</summary>
        public ImageRef Uploaded(string url) => new ImageRef(url, Local);

        public override string ToString() => SentAs;
    }

    /// <summary>An image is written as the string it is sent as (<see cref="ImageRef.SentAs"/>).</summary>
    internal sealed class ImageRefConverter : JsonConverter<ImageRef>
    {
        public override ImageRef Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            ImageRef.FromUrl(reader.GetString() ?? string.Empty);

        public override void Write(Utf8JsonWriter writer, ImageRef value, JsonSerializerOptions options) => writer.WriteStringValue(value.SentAs);
    }
}
