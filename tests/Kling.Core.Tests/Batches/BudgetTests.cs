using Kling.Core.Batches;
using Kling.Core.Tasks;
using Xunit;

namespace Kling.Core.Tests;

/// <summary>New-KlingVideo -MaxCost's accounting: reservations under the cap, commits, releases, and many threads at once.</summary>
public sealed class BudgetTests
{
    [Fact]
    public void A_row_is_reserved_only_while_it_fits_beside_what_is_committed()
    {
        var budget = new Budget(1.0m);
        Assert.True(budget.Reserve(0.336m));
        Assert.True(budget.Reserve(0.336m));
        Assert.False(budget.Reserve(0.336m)); // 1.008 > 1.0
        Assert.Equal(0.672m, budget.Committed);
        Assert.True(budget.Reserve(0.328m)); // exactly the cap fits
        Assert.Equal(1.0m, budget.Committed);
    }

    [Fact]
    public void A_commit_keeps_the_reservation_and_a_release_frees_it()
    {
        var budget = new Budget(1.0m);
        Assert.True(budget.Reserve(0.6m));
        budget.Commit(0.6m);
        Assert.Equal(0.6m, budget.Accepted);
        Assert.False(budget.Reserve(0.6m));

        Assert.True(budget.Reserve(0.4m));
        budget.Release(0.4m);
        Assert.Equal(0.6m, budget.Committed);
        Assert.True(budget.Reserve(0.4m));
    }

    [Fact]
    public void A_cap_of_zero_or_less_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Budget(0m));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Budget(-1m));
    }

    [Fact]
    public void Sixteen_threads_reserving_at_once_never_pass_the_cap()
    {
        var budget = new Budget(10m);
        int granted = 0;
        Parallel.For(0, 1600, new ParallelOptions { MaxDegreeOfParallelism = 16 }, _ =>
        {
            if (budget.Reserve(0.336m))
            {
                Interlocked.Increment(ref granted);
                budget.Commit(0.336m);
            }
        });

        Assert.Equal(29, granted); // 29 x 0.336 = 9.744; a 30th would make 10.08
        Assert.Equal(9.744m, budget.Committed);
    }

    [Fact]
    public void The_spend_line_adds_what_the_tasks_were_estimated_at()
    {
        var tally = new SpendTally();
        tally.Add(new KlingTask("a") { Cost = 0.336, EstimatedCost = 0.336 }, completed: true);
        tally.Add(new KlingTask("b") { Cost = 0, EstimatedCost = 1.344 }, completed: false);
        Assert.Equal("1 completed, 1 failed, 0.336 USD spent, 1.68 USD estimated.", tally.Summary());

        tally.Add(new KlingTask("c") { Cost = 0.1 }, completed: true);
        Assert.Equal("2 completed, 1 failed, 0.436 USD spent, 1.68 USD estimated for 2 of them.", tally.Summary());
    }

    [Fact]
    public void Without_estimates_the_spend_line_is_as_before()
    {
        var tally = new SpendTally();
        tally.Add(new KlingTask("a") { Cost = 0.336 }, completed: true);
        Assert.Equal("1 completed, 0 failed, 0.336 USD spent.", tally.Summary());
    }
}
