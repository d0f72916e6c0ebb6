using System.Globalization;

namespace Kling.Core.Tasks
{
    /// <summary>
    /// What a wait has seen finish: tasks completed and failed (cancelled ones among them), tasks given up at the timeout,
    /// and what the gateway says they cost (the sum of the <see cref="KlingTask.Cost"/> it gave; tasks it gave none for are
    /// counted apart, never as free).
    /// </summary>
    public sealed class SpendTally
    {
        public int Completed { get; private set; }

        /// <summary>Tasks that failed or were cancelled, or whose status could not be read.</summary>
        public int Failed { get; private set; }

        /// <summary>Of <see cref="Failed"/>, the tasks the gateway reports cancelled.</summary>
        public int Cancelled { get; private set; }

        /// <summary>Tasks still unfinished when the wait's time was up (not counted as finished).</summary>
        public int TimedOut { get; private set; }

        /// <summary>USD charged on the finished tasks that carry a cost.</summary>
        public double Spent { get; private set; }

        /// <summary>Finished tasks whose cost the gateway did not say.</summary>
        public int Unpriced { get; private set; }

        /// <summary>USD the price list gave for the finished tasks that carry an <see cref="KlingTask.EstimatedCost"/>.</summary>
        public double Estimated { get; private set; }

        /// <summary>Finished tasks that carry an estimate.</summary>
        public int EstimatedTasks { get; private set; }

        /// <summary>Counts a finished task (completed when <paramref name="completed"/>, else failed) and its cost.</summary>
        public void Add(KlingTask task, bool completed)
        {
            if (completed)
            {
                Completed++;
            }
            else
            {
                Failed++;
                if (KlingTaskStatus.IsFailed(task.Status) && !KlingTaskStatus.IsCompleted(task.Status) &&
                    !string.Equals(task.Status, KlingTaskStatus.Failed, System.StringComparison.OrdinalIgnoreCase))
                {
                    Cancelled++;
                }
            }

            if (task.EstimatedCost is double estimate)
            {
                Estimated += estimate;
                EstimatedTasks++;
            }

            if (task.Cost is double cost)
            {
                Spent += cost;
            }
            else
            {
                Unpriced++;
            }
        }

        /// <summary>Counts tasks given up at the wait's timeout.</summary>
        public void GaveUp(int count) => TimedOut += count;

        /// <summary>True once anything was counted: a wait that saw nothing has nothing to say.</summary>
        public bool Any => Completed + Failed + TimedOut > 0;

        /// <summary>The spend for the progress line: "1.344 USD spent", with the tasks that had no cost when there are any.</summary>
        public string SpentText()
        {
            int priced = Completed + Failed - Unpriced;
            if (priced == 0)
            {
                return Unpriced == 0 ? "nothing spent yet" : "spent not reported by the gateway";
            }

            string text = Usd(Spent) + " spent";
            return Unpriced == 0 ? text : $"{text} ({Unpriced} without a cost from the gateway)";
        }

        /// <summary>
        /// The one line for a person at the end: "3 completed, 1 failed, 1.344 USD spent", with "(1 cancelled)" after the
        /// failed and ", 2 timed out" when there are any, then, when the tasks carry New-KlingVideo's estimate,
        /// ", 1.4 USD estimated" (with how many had one when not all did).
        /// </summary>
        public string Summary()
        {
            string estimated = EstimatedTasks == 0 ? string.Empty
                : EstimatedTasks == Completed + Failed ? $", {Usd(Estimated)} estimated"
                : $", {Usd(Estimated)} estimated for {EstimatedTasks} of them";
            string cancelled = Cancelled == 0 ? string.Empty : $" ({Cancelled} cancelled)";
            string timedOut = TimedOut == 0 ? string.Empty : $", {TimedOut} timed out";
            return $"{Completed} completed, {Failed} failed{cancelled}{timedOut}, {SpentText()}{estimated}.";
        }

        /// <summary>An amount in USD as a person reads it: up to 4 decimals, invariant ("1.344 USD").</summary>
        public static string Usd(double amount) => amount.ToString("0.####", CultureInfo.InvariantCulture) + " USD";
    }
}
