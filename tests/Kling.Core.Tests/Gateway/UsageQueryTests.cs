using System.Net.Http.Json;
using System.Text;
using Kling.Core;
using Kling.Core.Gateway;
using Kling.Emulator;
using Xunit;

namespace Kling.Core.Tests;

/// <summary>The spend report: a range longer than the gateway's 31 days read in pieces and added up (issue 21, point 5).</summary>
public sealed class UsageQueryTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private GatewayEmulator emulator = null!;

    public async Task InitializeAsync()
    {
        emulator = await GatewayEmulator.StartAsync(new EmulatorOptions { TaskSeconds = 1 });
        emulator.Clock.Freeze();
    }

    public async Task DisposeAsync() => await emulator.DisposeAsync();

    private KlingClient Client() =>
        new(new GatewaySettings(GatewaySettings.ParseBaseUri(emulator.GatewayUri.ToString()), GatewaySettings.ToSecureString(emulator.ApiKey), "test"))
        { Retry = { BaseDelay = TimeSpan.FromMilliseconds(20) } };

    [Theory]
    [InlineData(1, 1)]
    [InlineData(31 * 24, 1)]
    [InlineData((31 * 24) + 1, 2)]
    [InlineData(62 * 24, 2)]
    [InlineData(100 * 24, 4)]
    public void Pieces_cover_the_range_exactly_in_at_most_31_days_each(int hours, int count)
    {
        var query = new UsageQuery(T0, T0.AddHours(hours));
        var pieces = query.Pieces();
        Assert.Equal(count, pieces.Count);
        Assert.Equal(T0, pieces[0].Start);
        Assert.Equal(T0.AddHours(hours), pieces[^1].End);
        for (int i = 0; i < pieces.Count; i++)
        {
            Assert.True(pieces[i].End - pieces[i].Start <= TimeSpan.FromDays(31));
            Assert.True(pieces[i].End > pieces[i].Start);
            if (i > 0)
            {
                Assert.Equal(pieces[i - 1].End, pieces[i].Start);
            }
        }
    }

    [Fact]
    public void Sends_whole_seconds_the_start_rounded_down_and_the_end_up()
    {
        var query = new UsageQuery(T0.AddMilliseconds(1500), T0.AddMilliseconds(4200));
        Assert.Equal(T0.AddSeconds(1), query.Start);
        Assert.Equal(T0.AddSeconds(5), query.End);
        Assert.StartsWith($"v1/usage?start={T0.ToUnixTimeSeconds() + 1}&end={T0.ToUnixTimeSeconds() + 5}&group_by=none&scope=key", query.PathFor(query.Start, query.End));
    }

    [Fact]
    public void Refuses_a_range_the_wrong_way_round_and_more_than_50_models_before_sending()
    {
        Assert.Throws<ArgumentException>(() => new UsageQuery(T0, T0));
        Assert.Throws<ArgumentException>(() => new UsageQuery(T0, T0.AddDays(-1)));
        Assert.Throws<ArgumentException>(() => new UsageQuery(T0, T0.AddDays(1), Enumerable.Range(1, 51).Select(n => "m" + n)));
        Assert.Equal(50, new UsageQuery(T0, T0.AddDays(1), Enumerable.Range(1, 50).Select(n => "m" + n).Append("m1")).Models.Count);
    }

    [Fact]
    public async Task A_range_of_80_days_is_read_in_three_pieces_and_added_up_by_model_and_day()
    {
        DateTimeOffset start = emulator.Clock.Now;
        using var http = new HttpClient { BaseAddress = emulator.GatewayUri };
        http.DefaultRequestHeaders.Authorization = new("Bearer", emulator.ApiKey);
        async Task Submit(string json) => (await http.PostAsync("/v1/videos/generations", new StringContent(json, Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();

        await Submit("""{"model":"kling-v3","prompt":"a","duration":5}""");       // day 0: 0.336
        emulator.Clock.Advance(TimeSpan.FromDays(40));
        await Submit("""{"model":"kling-v3","prompt":"b","duration":10}""");      // day 40: 0.672
        await Submit("""{"model":"kling-video-o1","prompt":"c","duration":5}"""); // day 40: 0.336
        emulator.Clock.Advance(TimeSpan.FromDays(39));
        await Submit("""{"model":"kling-v3","prompt":"d","duration":5}""");       // day 79: 0.336
        emulator.Clock.Advance(TimeSpan.FromSeconds(5));

        var client = Client();
        DateTimeOffset end = start.AddDays(80);
        var whole = new UsageQuery(start, end);
        IReadOnlyList<KlingUsage> total = await client.GetUsageAsync(whole, CancellationToken.None);
        KlingUsage all = Assert.Single(total);
        Assert.Equal(1.68, all.AmountUsd, 5);
        Assert.Equal(16.8, all.Credits, 4);
        Assert.Equal(4, all.Requests);
        Assert.Equal(whole.Start, all.Start);
        Assert.Equal(whole.End, all.End);
        Assert.True(whole.Start <= start && whole.Start > start.AddSeconds(-1) && whole.End >= end && whole.End < end.AddSeconds(1));
        var calls = emulator.Requests.Where(r => r.Path.StartsWith("/v1/usage", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, calls.Count);

        IReadOnlyList<KlingUsage> byModel = await client.GetUsageAsync(new UsageQuery(start, end, groupBy: UsageGrouping.Model), CancellationToken.None);
        Assert.Equal(new[] { "kling-v3", "kling-video-o1" }, byModel.Select(u => u.Model));
        Assert.Equal(1.344, byModel[0].AmountUsd, 5);
        Assert.Equal(3, byModel[0].Requests);
        Assert.All(byModel, u => Assert.Null(u.Date));

        IReadOnlyList<KlingUsage> byDay = await client.GetUsageAsync(new UsageQuery(start, end, groupBy: UsageGrouping.Date, timeZone: "UTC"), CancellationToken.None);
        Assert.Equal(3, byDay.Count);
        Assert.Equal(1.008, byDay[1].AmountUsd, 5);
        Assert.Equal(start.AddDays(40).UtcDateTime.ToString("yyyy-MM-dd"), byDay[1].Date);
    }

    [Fact]
    public async Task An_unavailable_report_is_an_error_never_zero_and_a_429_is_waited_out()
    {
        (await new HttpClient().PostAsJsonAsync(new Uri(emulator.GatewayUri, "/_emulator/faults"), new { route = "usage", status = 429, retryAfter = "0.05", times = 2 })).EnsureSuccessStatusCode();
        KlingUsage usage = Assert.Single(await Client().GetUsageAsync(new UsageQuery(emulator.Clock.Now.AddDays(-1), emulator.Clock.Now), CancellationToken.None));
        Assert.Equal(0, usage.Requests);

        emulator.Options.UsageUnavailable = true;
        var error = await Assert.ThrowsAsync<GatewayException>(() => Client().GetUsageAsync(new UsageQuery(emulator.Clock.Now.AddDays(-1), emulator.Clock.Now), CancellationToken.None));
        Assert.Equal("usage_unavailable", error.ErrorCode);
    }
}
