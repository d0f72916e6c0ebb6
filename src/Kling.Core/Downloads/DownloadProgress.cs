using System;
using System.Threading;
using System.Threading.Tasks;

namespace Kling.Core.Downloads
{
    /// <summary>How one download behaves.</summary>
    public sealed class DownloadOptions
    {
        /// <summary>Where the bytes wait until complete (default: the target path + ".partial").</summary>
        public string? PartialPath { get; set; }

        /// <summary>Updated as bytes arrive, for a progress bar read from another thread.</summary>
        public DownloadProgress? Progress { get; set; }

        /// <summary>
        /// Moves the complete partial file (path, length) to its final place and returns that path; it throws
        /// <see cref="LocalFileException"/> for file-system failures. It is called while the partial file is still held.
        /// Default: onto the target, replacing a file there.
        /// </summary>
        public Func<string, long, string>? Claim { get; set; }

        /// <summary>
        /// Asked once this download holds its partial file, and while it waits for another's: the path of a complete copy
        /// of this very result that another process saved since, or null. A path there ends the download, with that file.
        /// </summary>
        public Func<string?>? SavedMeanwhile { get; set; }

        /// <summary>Asked once, when the host refuses the link as expired, for a fresh link (null: none).</summary>
        public Func<CancellationToken, Task<Uri?>>? RefreshUrl { get; set; }
    }

    /// <summary>Bytes on disk of one download, written by the downloading thread and read by anyone.</summary>
    public sealed class DownloadProgress
    {
        private long received;
        private long total = -1;
        private int finished;

        public long Received => Interlocked.Read(ref received);

        /// <summary>The file's full length once the host has said it.</summary>
        public long? Total
        {
            get
            {
                long t = Interlocked.Read(ref total);
                return t < 0 ? (long?)null : t;
            }
        }

        public bool Finished => Volatile.Read(ref finished) != 0;

        internal void Start(long onDisk, long? length)
        {
            Interlocked.Exchange(ref received, onDisk);
            Interlocked.Exchange(ref total, length ?? -1);
        }

        internal void Add(long bytes) => Interlocked.Add(ref received, bytes);

        internal void Finish() => Volatile.Write(ref finished, 1);
    }
}
