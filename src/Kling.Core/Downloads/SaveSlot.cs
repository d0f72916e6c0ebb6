using System;
using System.Collections.Generic;
using System.IO;

namespace Kling.Core.Downloads
{
    /// <summary>The file picked for one result, and what became of it when it was claimed.</summary>
    public sealed class SaveSlot
    {
        internal SaveSlot(SaveFolder folder, string stem, string suffix, string extension, string taskId, int resultIndex, int counter, string fileName, bool alreadySaved, bool existed, SavedFile? entry, SavedFile? saved)
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
            SavedWhenPicked = saved;
        }

        public SaveFolder Folder { get; }

        public string TaskId { get; }

        public int ResultIndex { get; }

        /// <summary>What the task cost (USD), noted with the file in the index; set for the task's first file only, null when unknown.</summary>
        public double? Cost { get; set; }

        /// <summary>The same in credits, noted beside it.</summary>
        public double? Credits { get; set; }

        /// <summary>The name picked.</summary>
        public string FileName { get; }

        public string Path => System.IO.Path.Combine(Folder.Folder, FileName);

        /// <summary>Where the bytes wait until complete.</summary>
        public string PartialPath => Path + SaveFolder.PartialSuffix(TaskId);

        /// <summary>The file already holds this very result: nothing to download.</summary>
        public bool AlreadySaved { get; }

        /// <summary>The index's line for the file that already holds this result (<see cref="AlreadySaved"/>), else null.</summary>
        public SavedFile? AlreadySavedAs => AlreadySaved ? SavedWhenPicked : null;

        /// <summary>A file stood under the name when it was picked (to be overwritten: -Force).</summary>
        public bool Existed { get; }

        /// <summary>The first name passed over because it holds something else (for a warning), or null.</summary>
        public string? PassedOver { get; internal set; }

        /// <summary>The name the video was finally saved under (differs from <see cref="FileName"/> when that was taken meanwhile).</summary>
        public string? FinalName { get; internal set; }

        /// <summary>The picked name, when another save claimed it while this one downloaded; else null.</summary>
        public string? TakenMeanwhile { get; internal set; }

        /// <summary>Another save (another process saving the same task into this folder) saved this result meanwhile: <see cref="FinalName"/> is its file.</summary>
        public bool SavedByOther { get; internal set; }

        internal string Stem { get; }

        internal string Suffix { get; }

        internal string Extension { get; }

        internal int Counter { get; }

        internal SavedFile? EntryWhenPicked { get; }

        /// <summary>The index's file of this very result when the slot was picked (under -Force, the one to replace), or null.</summary>
        internal SavedFile? SavedWhenPicked { get; }

        internal IReadOnlyList<string> PassedOverNames { get; set; } = Array.Empty<string>();

        /// <summary>
        /// Call before downloading. A run stopped before its claim left this task's bytes beside the name it picked then;
        /// when that name has since been taken, the bytes move along to this slot's name, so the rerun resumes them. Bytes
        /// another download holds (another process downloading this task right now) stay where they are.
        /// </summary>
        public void TakeOverPartial()
        {
            foreach (string name in PassedOverNames)
            {
                string from = System.IO.Path.Combine(Folder.Folder, name) + SaveFolder.PartialSuffix(TaskId);
                try
                {
                    if (!File.Exists(from) || File.Exists(PartialPath))
                    {
                        continue;
                    }

                    using PartialFile? held = PartialFile.TryOwn(from);
                    if (held != null)
                    {
                        File.Move(from, PartialPath);
                        return;
                    }
                }
                catch (Exception ex) when (LocalFileException.IsLocal(ex) || ex is LocalFileException)
                {
                    // Then the download simply starts from the first byte.
                }
            }
        }

        /// <summary>Claims the slot's name for the complete temporary file (see <see cref="SaveFolder.Claim"/>).</summary>
        public string Claim(string partialPath, long bytes) => Folder.Claim(this, partialPath, bytes);

        /// <summary>A copy of this result another process saved meanwhile, or null (see <see cref="SaveFolder.SavedMeanwhile"/>).</summary>
        public string? SavedMeanwhile() => Folder.SavedMeanwhile(this);
    }
}
