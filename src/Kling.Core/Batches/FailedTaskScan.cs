using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Kling.Core.Gateway;
using Kling.Core.Tasks;

namespace Kling.Core.Batches
{
    /// <summary>
    /// What -RetryFailed sends again: reads the status of every task a journal's rows were last submitted as, a chunk
    /// at a time with a bounded number of calls in flight (<see cref="TaskRefresh"/>), and keeps the ids of those that
    /// failed or were cancelled. Only those ids stay in memory. A status that cannot be read leaves its row as it was
    /// (its task comes out as before, nothing is sent); a bad key or an empty balance stops the scan.
    /// </summary>
    public sealed class FailedTaskScan : IDisposable
    {
        private readonly IKlingGateway gateway;
        private readonly int callsAtOnce;
        private readonly IEnumerator<KlingTask> tasks;
        private readonly HashSet<string> failed = new HashSet<string>(StringComparer.Ordinal);
        private bool done;

        public FailedTaskScan(IKlingGateway gateway, SubmissionJournal journal, int callsAtOnce)
        {
            this.gateway = gateway ?? throw new ArgumentNullException(nameof(gateway));
            this.callsAtOnce = callsAtOnce;
            tasks = journal.LatestTasks().GetEnumerator();
        }

        /// <summary>Tasks whose status was read so far.</summary>
        public int Read { get; private set; }

        /// <summary>Tasks whose status could not be read; <see cref="FirstProblem"/> says why for the first.</summary>
        public int Unreadable { get; private set; }

        public GatewayException? FirstProblem { get; private set; }

        /// <summary>How many of the tasks read failed or were cancelled.</summary>
        public int Failed => failed.Count;

        /// <summary>True for a task the scan found failed or cancelled: its row is sent again.</summary>
        public bool IsFailed(string taskId) => failed.Contains(taskId);

        /// <summary>
        /// Reads the status of the next chunk of tasks (<see cref="TaskRefresh.TasksAtOnce"/>); false once every task was read. Throws the
        /// <see cref="GatewayException"/> of a bad key or an empty balance (every later call would fail alike).
        /// </summary>
        public async Task<bool> ReadNextAsync(CancellationToken cancellationToken)
        {
            var chunk = new List<KlingTask>(TaskRefresh.TasksAtOnce);
            while (!done && chunk.Count < TaskRefresh.TasksAtOnce)
            {
                if (tasks.MoveNext())
                {
                    chunk.Add(tasks.Current);
                }
                else
                {
                    done = true;
                }
            }

            if (chunk.Count == 0)
            {
                return false;
            }

            IReadOnlyDictionary<KlingTask, GatewayException> failures = await TaskRefresh.RefreshAsync(gateway, chunk, callsAtOnce, cancellationToken).ConfigureAwait(false);
            GatewayException? stop = failures.Values.FirstOrDefault(e => e.StopsBatch);
            if (stop != null)
            {
                throw stop;
            }

            foreach (KlingTask task in chunk)
            {
                if (failures.TryGetValue(task, out GatewayException? problem))
                {
                    Unreadable++;
                    FirstProblem ??= problem;
                }
                else
                {
                    Read++;
                    if (KlingTaskStatus.IsFailed(task.Status))
                    {
                        failed.Add(task.TaskId);
                    }
                }
            }

            return true;
        }

        public void Dispose() => tasks.Dispose();
    }
}
