using System.Globalization;
using Kling.Core;
using Kling.Core.Downloads;
using Kling.Core.Gateway;
using Xunit;

namespace Kling.Core.Tests;

public class RetryAfterTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("2", 2)]
    [InlineData("0.5", 0.5)]
    [InlineData("-3", 0)]
    [InlineData("Tue, 24 Nov 2026 12:00:30 GMT", 30)]
    [InlineData("Tue, 24 Nov 2026 11:59:00 GMT", 0)]
    public void Parses_seconds_and_http_dates(string header, double seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), RetryAfter.Parse(header, Now));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("soon")]
    public void Gives_null_when_absent_or_unreadable(string? header) => Assert.Null(RetryAfter.Parse(header, Now));
}
