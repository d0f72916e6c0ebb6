using System.Globalization;
using Kling.Core;
using Kling.Core.Downloads;
using Kling.Core.Gateway;
using Xunit;

namespace Kling.Core.Tests;

public class GatewaySettingsTests
{
    [Theory]
    [InlineData("https://xcompute.us", "https://xcompute.us/")]
    [InlineData("https://gw.example/base/", "https://gw.example/base/")]
    [InlineData("http://127.0.0.1:5000", "http://127.0.0.1:5000/")]
    [InlineData("http://localhost:8080", "http://localhost:8080/")]
    [InlineData("http://[::1]:8080", "http://[::1]:8080/")]
    [InlineData("http://127.0.0.2:8080", "http://127.0.0.2:8080/")]
    public void Accepts_https_and_loopback_http(string given, string expected) =>
        Assert.Equal(expected, GatewaySettings.ParseBaseUri(given).ToString());

    [Theory]
    [InlineData("http://xcompute.us")]
    [InlineData("http://10.0.0.5:8080")]
    [InlineData("ftp://xcompute.us")]
    [InlineData("xcompute.us")]
    [InlineData("")]
    public void Refuses_plain_http_to_other_hosts_and_non_urls(string given)
    {
        var error = Assert.Throws<ArgumentException>(() => GatewaySettings.ParseBaseUri(given));
        if (given.StartsWith("http://", StringComparison.Ordinal))
        {
            Assert.Contains("loopback", error.Message);
        }
    }
}
