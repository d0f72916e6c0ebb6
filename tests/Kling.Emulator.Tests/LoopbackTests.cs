using Xunit;

namespace Kling.Emulator.Tests;

/// <summary>The emulator never listens off this machine (issue 20, point 8): the check it makes on what it is bound to.</summary>
public sealed class LoopbackTests
{
    [Theory]
    [InlineData("http://127.0.0.1:41234")]
    [InlineData("http://127.0.0.2:80")]
    [InlineData("http://[::1]:41234")]
    [InlineData("http://localhost:41234")]
    public void Loopback_addresses_pass(string url)
    {
        Assert.True(LoopbackAddresses.IsLoopback(url));
        Assert.Null(LoopbackAddresses.FirstOutside(new[] { "http://127.0.0.1:1", url }));
    }

    [Theory]
    [InlineData("http://0.0.0.0:41234")]
    [InlineData("http://[::]:41234")]
    [InlineData("http://192.168.1.20:41234")]
    [InlineData("http://*:41234")]
    [InlineData("http://+:41234")]
    [InlineData("http://example.com:80")]
    public void Any_other_address_is_named_as_the_one_outside(string url)
    {
        Assert.False(LoopbackAddresses.IsLoopback(url));
        Assert.Equal(url, LoopbackAddresses.FirstOutside(new[] { "http://127.0.0.1:1", url }));
    }

    [Fact]
    public void A_host_bound_to_nothing_is_refused_too()
    {
        Assert.Equal("(no address)", LoopbackAddresses.FirstOutside(Array.Empty<string>()));
    }

    [Fact]
    public async Task Its_hosts_listen_on_loopback_and_its_key_is_its_own()
    {
        await using GatewayEmulator first = await GatewayEmulator.StartAsync(new EmulatorOptions());
        await using GatewayEmulator second = await GatewayEmulator.StartAsync(new EmulatorOptions());
        foreach (Uri uri in new[] { first.GatewayUri, first.StorageUri, first.ProxyUri })
        {
            Assert.Equal("127.0.0.1", uri.Host);
        }

        Assert.NotEqual(first.ApiKey, second.ApiKey);
        Assert.StartsWith("kling-emu-", first.ApiKey, StringComparison.Ordinal);
    }
}
