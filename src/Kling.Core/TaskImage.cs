namespace Kling.Core
{
    /// <summary>A local image a task's row sent: the file, its content hash and the URL it was uploaded to (for a video's sidecar).</summary>
    public sealed class TaskImage
    {
        public TaskImage(string path, string sha256, string? url)
        {
            Path = path;
            Sha256 = sha256;
            Url = url;
        }

        /// <summary>The file's full path when the row was read.</summary>
        public string Path { get; }

        /// <summary>SHA-256 of its content, lower-case hex.</summary>
        public string Sha256 { get; }

        /// <summary>Where it was uploaded (what the body sent); null when this run did not upload it.</summary>
        public string? Url { get; }
    }
}
