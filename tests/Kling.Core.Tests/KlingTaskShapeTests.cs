using System.Reflection;
using Xunit;

namespace Kling.Core.Tests;

/// <summary>
/// KlingTask's public shape is what PowerShell exports (Export-Csv, ConvertTo-Json): no public time span (ConvertTo-Json
/// spells a TimeSpan in 15 fields), the spans as seconds.
/// </summary>
public sealed class KlingTaskShapeTests
{
    [Fact]
    public void Has_no_public_time_span()
    {
        PropertyInfo[] spans = typeof(KlingTask).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => (Nullable.GetUnderlyingType(p.PropertyType) ?? p.PropertyType) == typeof(TimeSpan))
            .ToArray();
        Assert.Empty(spans.Select(p => p.Name));
    }

    [Fact]
    public void Gives_the_gateway_s_spans_in_seconds_and_keeps_them_on_update()
    {
        var task = new KlingTask("task_1");
        task.Update(new KlingTask("task_1") { EstimatedSeconds = 120.5, ActualSeconds = 7 });
        Assert.Equal(120.5, task.EstimatedSeconds);
        Assert.Equal(7, task.ActualSeconds);
        Assert.Equal(TimeSpan.FromSeconds(120.5), task.EstimatedTime);
    }
}
