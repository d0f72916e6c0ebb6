using System;
using System.Collections.Generic;

namespace Kling.Core.Tasks
{
    /// <summary>A drain whose progress another drain of its thread shows while it waits (see <see cref="PipelineProgress"/>).</summary>
    internal interface IShowsProgress
    {
        /// <summary>True once its pipeline stopped (Ctrl+C): its progress is shown no more.</summary>
        bool Stopped { get; }

        /// <summary>Shows its progress when <see cref="PipelineDrain.ProgressEvery"/> has passed since it last did.</summary>
        void ShowProgressIfDue();
    }

    /// <summary>
    /// The drains of one pipeline thread that show progress. The cmdlets of a pipeline share one thread, and while one of
    /// them waits (Save-KlingVideo for room among its downloads, Wait-KlingTask for the next task to finish) the others
    /// are not called: their engines go on in the background, and their bars would stand still. So every wait of a drain
    /// shows the progress of every drain of its thread that is due (<see cref="PipelineDrain.ProgressEvery"/>). A drain
    /// joins with its first wait and leaves when disposed (its cmdlet ended) or once its pipeline stopped.
    /// </summary>
    internal static class PipelineProgress
    {
        [ThreadStatic]
        private static List<IShowsProgress>? drains;

        /// <summary>
        /// True while a drain's progress is shown by the wait of another drain: its cmdlet is not the one PowerShell lets
        /// write now, so it writes its progress to the host itself (see KlingCmdlet.WriteProgress).
        /// </summary>
        internal static bool ForAnother { get; private set; }

        /// <summary>From now on, <paramref name="drain"/>'s progress is shown by every wait on this thread.</summary>
        internal static void Join(IShowsProgress drain)
        {
            drains ??= new List<IShowsProgress>();
            if (!drains.Contains(drain))
            {
                drains.Add(drain);
            }
        }

        /// <summary>Its progress is shown no more (its cmdlet ended); on another thread than it joined on, nothing happens.</summary>
        internal static void Leave(IShowsProgress drain) => drains?.Remove(drain);

        /// <summary>
        /// Shows the progress of every drain of this thread that is due (<paramref name="waiting"/>'s own first), forgetting
        /// those whose pipeline stopped.
        /// </summary>
        internal static void ShowDue(IShowsProgress waiting)
        {
            waiting.ShowProgressIfDue();
            if (drains == null)
            {
                return;
            }

            drains.RemoveAll(d => d.Stopped);
            foreach (IShowsProgress drain in drains.ToArray())
            {
                if (drain == waiting)
                {
                    continue;
                }

                ForAnother = true;
                try
                {
                    drain.ShowProgressIfDue();
                }
                finally
                {
                    ForAnother = false;
                }
            }
        }
    }
}
