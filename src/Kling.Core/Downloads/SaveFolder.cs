using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace Kling.Core.Downloads
{
    /// <summary>
    /// The folder videos are saved into: picks each result's file name, and once its bytes are complete claims that name
    /// atomically (a move that fails when the name exists, never delete-then-move) and notes it in the folder's
    /// <see cref="SavedFileIndex"/>, all under the index's cross-process lock, so processes saving into one folder at once
    /// never overwrite each other's videos. Safe to call from several download threads.
    /// </summary>
    public sealed class SaveFolder
    {
        /// <summary>Room kept in every name for a counter up to "_999", so name.mp4 and name_2.mp4 share the same cut stem.</summary>
        private const int CounterRoom = 4;

        /// <summary>Task ids are short; a longer one is cut in the temporary name so that the video's name keeps room.</summary>
        private const int TaskIdRoom = 64;

        private readonly object gate = new object();
        private readonly HashSet<string> reserved = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        private readonly SavedFileIndex index;

        public SaveFolder(string folder, bool force)
        {
            Folder = folder;
            Force = force;
            index = SavedFileIndex.Empty(folder);
            Refresh();
        }

        /// <summary>Why the index could not be read (the last time), or null: names are then picked from the files alone.</summary>
        public string? IndexProblem { get; private set; }

        public string Folder { get; }

        /// <summary>Overwrite an existing file under the video's name (never one another save claimed after it was picked).</summary>
        public bool Force { get; }

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
        /// The file for one result: name.mp4, else name_2.mp4, name_3.mp4 ... Two results of this run never share a file; a
        /// file the index says already holds this very result is reused (<see cref="SaveSlot.AlreadySaved"/>); any other
        /// existing file (another task's, one Kling did not write, a folder) is passed over unless -Force.
        /// </summary>
        public SaveSlot Pick(string stem, string suffix, string extension, string taskId, int resultIndex)
        {
            lock (gate)
            {
                // See the names other processes claimed since this run started.
                Refresh();
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
                    bool alreadySaved = !Force && index.Holds(candidate, taskId, resultIndex);
                    if (alreadySaved || (!exists && !Directory.Exists(path)) || (Force && exists))
                    {
                        reserved.Add(candidate);
                        return new SaveSlot(this, stem, suffix, extension, taskId, resultIndex, n, candidate, alreadySaved, exists, index.Entry(candidate))
                        {
                            PassedOver = alreadySaved ? null : passedOver.FirstOrDefault(),
                            PassedOverNames = passedOver,
                        };
                    }

                    passedOver.Add(candidate);
                }
            }
        }

        /// <summary>
        /// Moves a slot's complete temporary file to its name, or (when another save took that name since it was picked)
        /// to the next free one, and notes it in the index. Returns the final path. File-system failures are
        /// <see cref="LocalFileException"/>; a failure to update the index only leaves <see cref="SaveSlot.IndexError"/>.
        /// </summary>
        public string Claim(SaveSlot slot, string partialPath, long bytes)
        {
            lock (gate)
            {
                FileStream? locked = null;
                try
                {
                    try
                    {
                        locked = index.Lock(create: true);
                        index.ReadNew(locked!);
                    }
                    catch (Exception ex) when (LocalFileException.IsLocal(ex))
                    {
                        // Without the index the move below still never overwrites another save's file.
                        slot.IndexError = ex.Message;
                    }

                    string name = MoveToFreeName(slot, partialPath, bytes);
                    slot.FinalName = name;
                    if (locked != null)
                    {
                        try
                        {
                            index.Append(locked, name, slot.TaskId, slot.ResultIndex, bytes);
                        }
                        catch (Exception ex) when (LocalFileException.IsLocal(ex))
                        {
                            slot.IndexError = ex.Message;
                        }
                    }

                    return Path.Combine(Folder, name);
                }
                finally
                {
                    locked?.Dispose();
                }
            }
        }

        private string MoveToFreeName(SaveSlot slot, string partialPath, long bytes)
        {
            string name = slot.FileName;
            int n = slot.Counter;
            while (true)
            {
                string path = Path.Combine(Folder, name);
                if (name == slot.FileName && MayOverwrite(slot, path))
                {
                    try
                    {
                        // A rename over the old file: at no moment is there no file under the name.
                        File.Replace(partialPath, path, null);
                        return name;
                    }
                    catch (Exception ex) when (LocalFileException.IsLocal(ex))
                    {
                        throw new LocalFileException(path, ex, bytes);
                    }
                }

                if (!File.Exists(path) && !Directory.Exists(path))
                {
                    try
                    {
                        // Fails, rather than overwrites, when the name was created since: by another process, or by hand.
                        File.Move(partialPath, path);
                        return name;
                    }
                    catch (IOException) when (File.Exists(path) || Directory.Exists(path))
                    {
                    }
                    catch (Exception ex) when (LocalFileException.IsLocal(ex))
                    {
                        throw new LocalFileException(File.Exists(partialPath) ? path : partialPath, ex, bytes);
                    }
                }

                slot.TakenMeanwhile ??= name;
                do
                {
                    name = NameFor(slot.Stem, slot.Suffix, ++n, slot.Extension, slot.TaskId);
                }
                while (reserved.Contains(name));

                reserved.Add(name);
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

    /// <summary>The file picked for one result, and what became of it when it was claimed.</summary>
    public sealed class SaveSlot
    {
        internal SaveSlot(SaveFolder folder, string stem, string suffix, string extension, string taskId, int resultIndex, int counter, string fileName, bool alreadySaved, bool existed, SavedFile? entry)
        {
            Folder = folder;
            Stem = stem;
            Suffix = suffix;
            Extension = extension;
            TaskId = taskId;
            ResultIndex = resultIndex;
            Counter = counter;
            FileName = fileName;
            AlreadySaved = alreadySaved;
            Existed = existed;
            EntryWhenPicked = entry;
        }

        public SaveFolder Folder { get; }

        public string TaskId { get; }

        public int ResultIndex { get; }

        /// <summary>The name picked.</summary>
        public string FileName { get; }

        public string Path => System.IO.Path.Combine(Folder.Folder, FileName);

        /// <summary>Where the bytes wait until complete.</summary>
        public string PartialPath => Path + SaveFolder.PartialSuffix(TaskId);

        /// <summary>The file already holds this very result: nothing to download.</summary>
        public bool AlreadySaved { get; }

        /// <summary>A file stood under the name when it was picked (to be overwritten: -Force).</summary>
        public bool Existed { get; }

        /// <summary>The first name passed over because it holds something else (for a warning), or null.</summary>
        public string? PassedOver { get; internal set; }

        /// <summary>The name the video was finally saved under (differs from <see cref="FileName"/> when that was taken meanwhile).</summary>
        public string? FinalName { get; internal set; }

        /// <summary>The picked name, when another save claimed it while this one downloaded; else null.</summary>
        public string? TakenMeanwhile { get; internal set; }

        /// <summary>Why the saved file could not be noted in the index, or null.</summary>
        public string? IndexError { get; internal set; }

        internal string Stem { get; }

        internal string Suffix { get; }

        internal string Extension { get; }

        internal int Counter { get; }

        internal SavedFile? EntryWhenPicked { get; }

        internal IReadOnlyList<string> PassedOverNames { get; set; } = Array.Empty<string>();

        /// <summary>
        /// Call before downloading. A run stopped before its claim left this task's bytes beside the name it picked then;
        /// when that name has since been taken, the bytes move along to this slot's name, so the rerun resumes them.
        /// </summary>
        public void TakeOverPartial()
        {
            foreach (string name in PassedOverNames)
            {
                string from = System.IO.Path.Combine(Folder.Folder, name) + SaveFolder.PartialSuffix(TaskId);
                try
                {
                    if (File.Exists(from) && !File.Exists(PartialPath))
                    {
                        File.Move(from, PartialPath);
                        return;
                    }
                }
                catch (Exception ex) when (LocalFileException.IsLocal(ex))
                {
                    // Then the download simply starts from the first byte.
                }
            }
        }

        /// <summary>Claims the slot's name for the complete temporary file (see <see cref="SaveFolder.Claim"/>).</summary>
        public string Claim(string partialPath, long bytes) => Folder.Claim(this, partialPath, bytes);
    }
}
