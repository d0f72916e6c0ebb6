using System;

namespace Kling.Core.Batches
{
    /// <summary>Why a journal cannot be used.</summary>
    public enum JournalProblem
    {
        /// <summary>Another run holds the journal (in this or another process).</summary>
        InUse,

        /// <summary>
        /// The file is not a journal: its first line is not a journal header, and it is not a journal of an earlier
        /// version either (records of exactly the shape Kling writes, and nothing else).
        /// </summary>
        NotAJournal,

        /// <summary>A journal written by a newer version of Kling.</summary>
        UnsupportedVersion,

        /// <summary>The path is a folder, not a file.</summary>
        Folder,
    }

    /// <summary>A journal that cannot be used; the file was left as it was and nothing was sent.</summary>
    public sealed class JournalException : Exception
    {
        public JournalException(JournalProblem problem, string path, string message, Exception? inner = null)
            : base(message, inner)
        {
            Problem = problem;
            Path = path;
        }

        public JournalProblem Problem { get; }

        public string Path { get; }
    }
}
