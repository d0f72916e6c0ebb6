using System.Globalization;
using Kling.Core;

namespace Kling.Commands
{
    /// <summary>
    /// What a run of Save-KlingVideo did, for its closing line: videos saved (and their bytes), skipped because an earlier
    /// run saved them, and failed (a download's error, or a task with nothing to download); and the downloads under way,
    /// which a stopped run names (see <see cref="StoppedRunNotice"/>).
    /// </summary>
    internal sealed class SaveTally
    {
        /// <summary>Videos downloaded and saved by this run.</summary>
        internal int Saved { get; private set; }

        /// <summary>Videos found already saved (not downloaded again).</summary>
        internal int Skipped { get; private set; }

        /// <summary>Videos or tasks that ended in an error.</summary>
        internal int Failed { get; private set; }

        /// <summary>Bytes this run downloaded into the saved videos.</summary>
        internal long Bytes { get; private set; }

        /// <summary>The tasks whose download is under way.</summary>
        internal OpenTasks Downloading { get; } = new OpenTasks();

        internal void Started(KlingTask task) => Downloading.Add(task);

        internal void Done(KlingTask task, long bytes)
        {
            Downloading.Remove(task);
            Saved++;
            Bytes += bytes;
        }

        internal void DownloadFailed(KlingTask task)
        {
            Downloading.Remove(task);
            Failed++;
        }

        internal void AlreadySaved() => Skipped++;

        internal void NotSaved() => Failed++;

        /// <summary>"5 saved (41.2 MB), 2 skipped (already saved), 1 failed." (the size only when some were saved); null when the run saw nothing to save.</summary>
        internal string? Summary()
        {
            if (Saved + Skipped + Failed == 0)
            {
                return null;
            }

            string megabytes = Saved == 0 ? string.Empty : $" ({(Bytes / 1048576.0).ToString("0.0", CultureInfo.InvariantCulture)} MB)";
            return $"{Saved} saved{megabytes}, {Skipped} skipped (already saved), {Failed} failed.";
        }
    }
}
