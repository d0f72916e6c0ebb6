using System.Globalization;
using Kling.Core;
using Kling.Core.Downloads;
using Kling.Core.Gateway;
using Xunit;

namespace Kling.Core.Tests;

public class SavedFileIndexTests
{
    [Fact]
    public void Knows_only_complete_files_of_the_same_task_and_skips_torn_lines()
    {
        string folder = Path.Combine(Path.GetTempPath(), "kling-index-" + Guid.NewGuid().ToString("n"));
        Directory.CreateDirectory(folder);
        try
        {
            File.WriteAllBytes(Path.Combine(folder, "a.mp4"), new byte[10]);
            File.WriteAllBytes(Path.Combine(folder, "b.mp4"), new byte[10]);
            SavedFileIndex index = SavedFileIndex.Load(folder);
            index.Record("a.mp4", "task_a", 0, 10);
            index.Record("b.mp4", "task_b", 0, 7);
            File.AppendAllText(Path.Combine(folder, SavedFileIndex.FileName), "{\"file\":\"c.mp4\",\"tas");

            SavedFileIndex reread = SavedFileIndex.Load(folder);
            Assert.True(reread.Holds("a.mp4", "task_a", 0));
            Assert.False(reread.Holds("a.mp4", "task_other", 0));
            Assert.False(reread.Holds("a.mp4", "task_a", 1));
            Assert.False(reread.Holds("b.mp4", "task_b", 0)); // the file on disk is not the length that was saved
            Assert.False(reread.Holds("c.mp4", "task_c", 0));
            File.Delete(Path.Combine(folder, "a.mp4"));
            Assert.False(reread.Holds("a.mp4", "task_a", 0));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
