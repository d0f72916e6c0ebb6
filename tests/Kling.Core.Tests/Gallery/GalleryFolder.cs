using Kling.Core.Batches;
using Kling.Core.Downloads;
using Kling.Core.Wire;

namespace Kling.Core.Tests;

/// <summary>A download folder for the gallery's tests: videos, their index lines, sidecars and a journal, deleted after.</summary>
internal sealed class GalleryFolder : IDisposable
{
    public GalleryFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "kling-gallery-" + Guid.NewGuid().ToString("n"));
        Directory.CreateDirectory(Path);
        JournalPath = System.IO.Path.Combine(Path, "batch.journal.jsonl");
    }

    public string Path { get; }

    public string JournalPath { get; }

    /// <summary>A saved video: its bytes on disk and its line in the saved-file index.</summary>
    public void Saved(string file, string taskId, int bytes = 10, double? cost = null, int index = 0)
    {
        File.WriteAllBytes(System.IO.Path.Combine(Path, file), new byte[bytes]);
        SavedFileIndex.Load(Path).Record(file, taskId, index, bytes, cost);
    }

    public void Sidecar(string file, string json) => File.WriteAllText(System.IO.Path.Combine(Path, file + ".json"), json);

    /// <summary>Journals rows as New-KlingVideo does: each "sending", then "submitted" with its task, or "not_sent" with a reason.</summary>
    public void Journal(params (int Row, string Name, VideoRequest Request, string? TaskId, string? NotSent)[] rows)
    {
        using SubmissionJournal journal = SubmissionJournal.Open(JournalPath);
        foreach (var row in rows)
        {
            string key = journal.KeyFor(row.Request);
            journal.RecordSending(key, row.Row, row.Name, row.Request);
            if (row.TaskId != null)
            {
                journal.RecordSubmitted(key, row.Row, row.Name, row.Request, row.TaskId);
            }
            else if (row.NotSent != null)
            {
                journal.RecordNotSent(key, row.Row, row.Name, row.NotSent);
            }
        }
    }

    public static VideoRequest Request(string prompt, string model = "kling-v3", string? mode = "pro", int? duration = 5) =>
        new VideoRequest { Model = model, Prompt = prompt, Mode = mode, Duration = duration };

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
