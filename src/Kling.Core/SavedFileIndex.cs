using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Kling.Core
{
    /// <summary>One line of the saved-file index: which task's result a file in the folder holds.</summary>
    public sealed class SavedFile
    {
        [JsonPropertyName("file")]
        public string File { get; set; } = string.Empty;

        [JsonPropertyName("taskId")]
        public string TaskId { get; set; } = string.Empty;

        [JsonPropertyName("index")]
        public int Index { get; set; }

        [JsonPropertyName("bytes")]
        public long Bytes { get; set; }

        [JsonPropertyName("at")]
        public DateTimeOffset At { get; set; }
    }

    /// <summary>
    /// A small JSON-lines file in a download folder that says which task each saved video came from, so a rerun
    /// skips files it already saved and never takes another task's file (or a file it did not write) for its own.
    /// Appended to, one line per saved file; unreadable lines are ignored.
    /// </summary>
    public sealed class SavedFileIndex
    {
        public const string FileName = ".kling-saved.jsonl";

        private readonly Dictionary<string, SavedFile> files = new Dictionary<string, SavedFile>(StringComparer.OrdinalIgnoreCase);
        private readonly string path;

        private SavedFileIndex(string folder)
        {
            Folder = folder;
            path = Path.Combine(folder, FileName);
        }

        public string Folder { get; }

        /// <summary>Reads the folder's index (none yet is an empty index).</summary>
        public static SavedFileIndex Load(string folder)
        {
            var index = new SavedFileIndex(folder);
            if (!System.IO.File.Exists(index.path))
            {
                return index;
            }

            foreach (string line in System.IO.File.ReadAllLines(index.path, Encoding.UTF8))
            {
                try
                {
                    SavedFile? entry = JsonSerializer.Deserialize<SavedFile>(line);
                    if (entry != null && entry.File.Length > 0)
                    {
                        index.files[entry.File] = entry;
                    }
                }
                catch (JsonException)
                {
                    // A line torn by a crash: that file is simply not known.
                }
            }

            return index;
        }

        /// <summary>True when <paramref name="fileName"/> exists and holds the complete result <paramref name="index"/> of that task.</summary>
        public bool Holds(string fileName, string taskId, int index)
        {
            var info = new FileInfo(Path.Combine(Folder, fileName));
            return info.Exists && files.TryGetValue(fileName, out SavedFile? entry) &&
                   string.Equals(entry.TaskId, taskId, StringComparison.Ordinal) && entry.Index == index && entry.Bytes == info.Length;
        }

        /// <summary>Notes that a file now holds a task's result.</summary>
        public void Record(string fileName, string taskId, int index, long bytes)
        {
            var entry = new SavedFile { File = fileName, TaskId = taskId, Index = index, Bytes = bytes, At = DateTimeOffset.UtcNow };
            files[fileName] = entry;
            using var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
            byte[] line = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(entry) + "\n");
            stream.Write(line, 0, line.Length);
        }
    }
}
