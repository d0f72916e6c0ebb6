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
