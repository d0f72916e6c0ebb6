using System.Collections.Generic;
using System.Linq;
using Kling.Core;

namespace Kling.Commands
{
    /// <summary>
    /// The tasks a cmdlet took in and has not finished with yet (Wait-KlingTask: not written; Save-KlingVideo: a download
    /// under way), in the order they came, so a stopped run can name every one of them (see <see cref="StoppedRunNotice"/>).
    /// A task counted twice (two videos) is open until both are done.
    /// </summary>
    internal sealed class OpenTasks
    {
        private readonly Dictionary<string, (KlingTask Task, long Order, int Count)> open = new Dictionary<string, (KlingTask, long, int)>();
        private long next;

        /// <summary>How many tasks are open.</summary>
        internal int Count => open.Count;

        internal void Add(KlingTask task)
        {
            open[task.TaskId] = open.TryGetValue(task.TaskId, out var seen) ? (seen.Task, seen.Order, seen.Count + 1) : (task, next++, 1);
        }

        internal void Remove(KlingTask task)
        {
            if (open.TryGetValue(task.TaskId, out var seen))
            {
                if (seen.Count > 1)
                {
                    open[task.TaskId] = (seen.Task, seen.Order, seen.Count - 1);
                }
                else
                {
                    open.Remove(task.TaskId);
                }
            }
        }

        /// <summary>The open tasks, in the order they came.</summary>
        internal IReadOnlyList<KlingTask> Tasks => open.Values.OrderBy(o => o.Order).Select(o => o.Task).ToList();
    }
}
