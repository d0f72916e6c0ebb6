using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Kling.Core.Gateway;

namespace Kling.Core.Tasks
{
    /// <summary>Reads the status of many tasks at once (a journal's, a list of ids), a bounded number of calls in flight.</summary>
    public static class TaskRefresh
    {
        /// <summary>Status calls in flight at once when many tasks are read (Get-KlingTask, Save-KlingVideo, -RetryFailed's scan; Wait-KlingTask's default).</summary>
        public const int CallsAtOnce = 8;

        /// <summary>Tasks read (and their status refreshed) at once from a journal or a list: memory stays flat in its size.</summary>
        public const int TasksAtOnce = 32;

        /// <summary>The tasks in chunks of <see cref="TasksAtOnce"/>, read one chunk at a time (the last may be shorter; none is empty).</summary>
        public static IEnumerable<IReadOnlyList<KlingTask>> Chunks(IEnumerable<KlingTask> tasks)
        {
            var chunk = new List<KlingTask>(TasksAtOnce);
            foreach (KlingTask task in tasks)
            {
                chunk.Add(task);
                if (chunk.Count == TasksAtOnce)
                {
                    yield return chunk;
                    chunk = new List<KlingTask>(TasksAtOnce);
                }
            }

            if (chunk.Count > 0)
            {
                yield return chunk;
            }
        }

        /// <summary>
        /// Updates each task with its status, up to <paramref name="limit"/> calls at once; returns the tasks whose status
        /// could not be read, with the failure (the others are updated in place).
        /// </summary>
        public static async Task<IReadOnlyDictionary<KlingTask, GatewayException>> RefreshAsync(IKlingGateway gateway, IReadOnlyCollection<KlingTask> tasks, int limit, CancellationToken cancellationToken)
        {
            var failures = new Dictionary<KlingTask, GatewayException>();
            using var slots = new SemaphoreSlim(Math.Max(1, limit));
            await Task.WhenAll(tasks.Select(async task =>
            {
                await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    task.Update(await gateway.GetTaskAsync(task.TaskId, cancellationToken).ConfigureAwait(false));
                }
                catch (GatewayException ex)
                {
                    lock (failures)
                    {
                        failures[task] = ex;
                    }
                }
                finally
                {
                    slots.Release();
                }
            })).ConfigureAwait(false);
            return failures;
        }
    }
}
