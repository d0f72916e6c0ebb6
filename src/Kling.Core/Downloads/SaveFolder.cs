using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;

namespace Kling.Core.Downloads
{
    /// <summary>
    /// The folder videos are saved into: picks each result's file name, and once its bytes are complete notes it in the
    /// folder's <see cref="SavedFileIndex"/> and then claims that name atomically (a move that fails when the name exists,
    /// never delete-then-move), all under the index's cross-process lock, so processes saving into one folder at once
    /// never overwrite each other's videos, and a video under its final name is always one the index knows. Safe to call
    /// from several download threads.
    /// </summary>
    public sealed class SaveFolder
    {
        /// <summary>Room kept in every name for a counter up to "_999", so name.mp4 and name_2.mp4 share the same cut stem.</summary>
        private const int CounterRoom = 4;

        /// <summary>The extension of every video saved.</summary>
        private const string VideoExtension = ".mp4";

        /// <summary>Task ids are short; a longer one is cut in the temporary name so that the video's name keeps room.</summary>
        private const int TaskIdRoom = 64;

        private readonly object gate = new object();
        private readonly HashSet<string> reserved = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        private readonly SavedFileIndex index;

        public SaveFolder(string folder, bool force)
            : this(folder, force, null)
        {
        }

        /// <summary>A folder whose videos are named by <paramref name="template"/> (null: after the task's name, as always).</summary>
        public SaveFolder(string folder, bool force, NameTemplate? template)
        {
            Folder = folder;
            Force = force;
            Template = template;
            index = SavedFileIndex.Empty(folder);
            Refresh();
        }

        /// <summary>Why the index could not be read (the last time), or null: names are then picked from the files alone.</summary>
        public string? IndexProblem { get; private set; }

        public string Folder { get; }

        /// <summary>Overwrite an existing file under the video's name (never one another save claimed after it was picked).</summary>
        public bool Force { get; }

        /// <summary>How videos are named (-NameTemplate); null: after the task's name, or its id.</summary>
        public NameTemplate? Template { get; }

        /// <summary>What follows a video's file name in its temporary name: ".&lt;TaskId&gt;.partial".</summary>
        public static string PartialSuffix(string taskId) => "." + SafeFileName.Fit(SafeFileName.From(taskId, "task"), TaskIdRoom) + ".partial";

        /// <summary>
        /// The name for <paramref name="stem"/> + <paramref name="suffix"/> (such as "-2") + the counter n (as "_n", from 2)
        /// + <paramref name="extension"/>, with the stem cut so that the temporary name, longer by the task id, still fits.
        /// </summary>
        public static string NameFor(string stem, string suffix, int n, string extension, string taskId)
        {
            string counter = n > 1 ? "_" + n : string.Empty;
            int room = SafeFileName.MaxLength - SafeFileName.Measure(suffix + extension + PartialSuffix(taskId)) - Math.Max(CounterRoom, SafeFileName.Measure(counter));
            string cut = SafeFileName.Fit(stem, room);
            return (cut.Length == 0 ? "_" : cut) + suffix + counter + extension;
        }

        /// <summary>
        /// The file for result <paramref name="resultIndex"/> (0-based) of a completed task, picked as <see cref="Pick"/> does:
        /// named by the <see cref="Template"/>, else after the task's name, or its id when it has none (made safe,
        /// <see cref="SafeFileName.From"/>), with "-1", "-2" ... when the task has several results (unless the template
        /// has {Index}), and ".mp4". The task's charge goes with its first file only, so the index's costs add up to what
        /// the tasks cost.
        /// </summary>
        public SaveSlot PickFor(KlingTask task, int resultIndex)
        {
            string stem = Template != null ? Template.StemFor(task, resultIndex + 1) : SafeFileName.From(task.Name, task.TaskId);
            bool numbered = task.VideoUrl.Length > 1 && (Template == null || !Template.HasIndex);
            string suffix = numbered ? "-" + (resultIndex + 1).ToString(CultureInfo.InvariantCulture) : string.Empty;
            SaveSlot slot = Pick(stem, suffix, VideoExtension, task.TaskId, resultIndex);
            if (resultIndex == 0)
            {
                slot.Cost = task.Cost;
                slot.Credits = task.Credits;
            }

            return slot;
        }

        /// <summary>
        /// The file for one result: name.mp4, else name_2.mp4, name_3.mp4 ... Two results of this run never share a file; a
        /// file the index says already holds this very result, under whatever name, is reused
        /// (<see cref="SaveSlot.AlreadySaved"/>); any other existing file (another task's, one Kling did not write, a
        /// folder) is passed over unless -Force.
        /// </summary>
        public SaveSlot Pick(string stem, string suffix, string extension, string taskId, int resultIndex)
        {
            lock (gate)
            {
                // See the names other processes claimed since this run started.
                Refresh();
                SavedFile? saved = index.Find(taskId, resultIndex);
                if (saved != null && !Force)
                {
                    reserved.Add(saved.File);
                    return new SaveSlot(this, stem, suffix, extension, taskId, resultIndex, 0, saved.File, alreadySaved: true, existed: true, saved, saved);
                }

                var passedOver = new List<string>();
                for (int n = 1; ; n++)
                {
                    string candidate = NameFor(stem, suffix, n, extension, taskId);
                    if (reserved.Contains(candidate))
                    {
                        continue;
                    }

                    string path = Path.Combine(Folder, candidate);
                    bool exists = File.Exists(path);
                    if ((!exists && !Directory.Exists(path)) || (Force && exists))
                    {
                        reserved.Add(candidate);
                        return new SaveSlot(this, stem, suffix, extension, taskId, resultIndex, n, candidate, alreadySaved: false, exists, index.Entry(candidate), saved)
                        {
                            PassedOver = passedOver.FirstOrDefault(),
                            PassedOverNames = passedOver,
                        };
                    }

                    passedOver.Add(candidate);
                }
            }
        }

        /// <summary>
        /// The path of a complete copy of the slot's result that another save (another process, mostly) noted in the index
        /// since the slot was picked, or null. Asked by a download before it writes a byte, so that a result is not saved
        /// twice by two processes saving the same tasks into this folder.
        /// </summary>
        public string? SavedMeanwhile(SaveSlot slot)
        {
            lock (gate)
            {
                Refresh();
                return TakeSavedMeanwhile(slot);
            }
        }

        /// <summary>
        /// Notes the slot's complete temporary file in the index and moves it to its name, or (when another save took that
        /// name since it was picked) to the next free one, and returns the final path; when another save has noted this
        /// very result meanwhile, the temporary file is dropped and that file's path returned. The line goes in before
        /// the move: a video under its final name is always one the index knows, so a rerun never takes it for a stranger's.
        /// Failures are <see cref="LocalFileException"/>; when the index cannot be written, the video stays complete
        /// under its temporary name, where a rerun finishes it.
        /// </summary>
        public string Claim(SaveSlot slot, string partialPath, long bytes)
        {
            lock (gate)
            {
                using FileStream locked = LockIndex(slot, partialPath, bytes);
                string? other = TakeSavedMeanwhile(slot);
                if (other != null)
                {
                    PartialFile.TryDelete(partialPath);
                    return other;
                }

                string name = slot.FileName;
                int n = slot.Counter;
                while (true)
                {
                    string path = Path.Combine(Folder, name);
                    bool overwrite = name == slot.FileName && MayOverwrite(slot, path);
                    if (overwrite || (!File.Exists(path) && !Directory.Exists(path)))
                    {
                        Note(locked, slot, name, partialPath, bytes);
                        if (Move(locked, partialPath, path, overwrite, bytes))
                        {
                            slot.FinalName = name;
                            return path;
                        }
                    }

                    // Taken since: by another save, or (between the look and the move) by someone outside Kling.
                    slot.TakenMeanwhile ??= name;
                    do
                    {
                        name = NameFor(slot.Stem, slot.Suffix, ++n, slot.Extension, slot.TaskId);
                    }
                    while (reserved.Contains(name));

                    reserved.Add(name);
                }
            }
        }

        private string? TakeSavedMeanwhile(SaveSlot slot)
        {
            SavedFile? saved = index.Find(slot.TaskId, slot.ResultIndex);
            if (saved == null || SameEntry(saved, slot.SavedWhenPicked))
            {
                return null;
            }

            slot.FinalName = saved.File;
            slot.SavedByOther = true;
            return Path.Combine(Folder, saved.File);
        }

        /// <summary>The index, held exclusively and read up to date; a failure keeps the video under its temporary name.</summary>
        private FileStream LockIndex(SaveSlot slot, string partialPath, long bytes)
        {
            FileStream? locked = null;
            try
            {
                locked = index.Lock(create: true)!;
                index.ReadNew(locked);
                return locked;
            }
            catch (Exception ex) when (LocalFileException.IsLocal(ex))
            {
                locked?.Dispose();
                throw LocalFileException.NotIndexed(Path.Combine(Folder, SavedFileIndex.FileName), ex, slot.TaskId, partialPath, bytes, slot.FileName);
            }
        }

        private void Note(FileStream locked, SaveSlot slot, string name, string partialPath, long bytes)
        {
            try
            {
                index.Append(locked, name, slot.TaskId, slot.ResultIndex, bytes, slot.Cost, slot.Credits);
            }
            catch (Exception ex) when (LocalFileException.IsLocal(ex))
            {
                throw LocalFileException.NotIndexed(Path.Combine(Folder, SavedFileIndex.FileName), ex, slot.TaskId, partialPath, bytes, name);
            }
        }

        /// <summary>
        /// The noted move: true when done; false when the name was taken in between (the note is then withdrawn). Any other
        /// failure withdraws the note and is the file's error.
        /// </summary>
        private bool Move(FileStream locked, string partialPath, string path, bool overwrite, long bytes)
        {
            string name = Path.GetFileName(path);
            try
            {
                if (overwrite)
                {
                    // A rename over the old file: at no moment is there no file under the name.
                    PartialFile.RenameOver(partialPath, path);
                }
                else
                {
                    // Fails, rather than overwrites, when the name was created since.
                    File.Move(partialPath, path);
                }

                return true;
            }
            catch (IOException) when (!overwrite && (File.Exists(path) || Directory.Exists(path)) && File.Exists(partialPath))
            {
                index.Forget(locked, name);
                return false;
            }
            catch (Exception ex) when (LocalFileException.IsLocal(ex))
            {
                index.Forget(locked, name);
                throw new LocalFileException(File.Exists(partialPath) ? path : partialPath, ex, bytes);
            }
        }

        private void Refresh()
        {
            try
            {
                index.Refresh();
            }
            catch (Exception ex) when (LocalFileException.IsLocal(ex))
            {
                // An unreadable index costs only the reuse of files already saved: claims still never overwrite.
                IndexProblem = ex.Message;
            }
        }

        /// <summary>-Force replaces the file that stood under the name when it was picked, not one another save claimed since.</summary>
        private bool MayOverwrite(SaveSlot slot, string path) =>
            Force && slot.Existed && File.Exists(path) && SameEntry(index.Entry(slot.FileName), slot.EntryWhenPicked);

        private static bool SameEntry(SavedFile? a, SavedFile? b) =>
            a == null ? b == null : b != null && a.TaskId == b.TaskId && a.Index == b.Index && a.Bytes == b.Bytes && a.At == b.At;
    }
}
