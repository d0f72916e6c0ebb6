using System;
using System.Management.Automation;
using Kling.Core;
using Kling.Core.Batches;

namespace Kling.Commands
{
    /// <summary>Maps a journal that cannot be used to its error record (New-KlingVideo and the -Journal readers).</summary>
    internal static class JournalErrors
    {
        /// <summary>A journal the file system would not open (a folder that may not be written to, a locked drive).</summary>
        internal static ErrorRecord Unavailable(Exception error, string path) =>
            new ErrorRecord(error, "JournalUnavailable", ErrorCategory.OpenError, path);

        internal static ErrorRecord From(JournalException error)
        {
            string id;
            ErrorCategory category;
            string action;
            switch (error.Problem)
            {
                case JournalProblem.InUse:
                    id = "JournalInUse";
                    category = ErrorCategory.ResourceBusy;
                    action = "Wait for the other run to finish, or add -WaitForJournal to wait for it. A run that was killed holds nothing: the lock goes with its process.";
                    break;
                case JournalProblem.Folder:
                    id = "JournalIsAFolder";
                    category = ErrorCategory.InvalidArgument;
                    action = "Pass the path of a file to -Journal (a new name starts a journal), for example a file inside that folder.";
                    break;
                case JournalProblem.UnsupportedVersion:
                    id = "JournalVersionUnsupported";
                    category = ErrorCategory.InvalidData;
                    action = "Use the version of Kling that wrote this journal, or pass a new file to -Journal.";
                    break;
                default:
                    id = "NotAJournal";
                    category = ErrorCategory.InvalidData;
                    action = "Check the -Journal argument: pass a new file name (the journal is created) or a journal New-KlingVideo wrote.";
                    break;
            }

            return new ErrorRecord(error, id, category, error.Path)
            {
                ErrorDetails = new ErrorDetails(error.Message) { RecommendedAction = action },
            };
        }
    }
}
