using System.Text.Json;
using Kling.Core.Catalog;
using Kling.Core.Requests;
using Xunit;
using static Kling.Core.Tests.ModelRows;

namespace Kling.Core.Tests.Requests;

/// <summary>
/// -Webhook: a public https URL, sent as the body's top-level "webhook" string on any model; anything the gateway could
/// not call from the internet is the row's problem on the field "webhook", before anything is sent.
/// </summary>
public class WebhookReaderTests
{
    [Theory]
    [InlineData("kling-video-o1")]
    [InlineData("kling-v3")]
    [InlineData("kling-v9-preview")]
    public void Sends_the_webhook_as_a_top_level_string_on_any_model(string model)
    {
        JsonElement body = Json(new VideoInput { Model = model, Prompt = "x", Webhook = " https://hooks.example.com/kling " });
        Assert.Equal(JsonValueKind.String, Kind(body, "webhook"));
        Assert.Equal("https://hooks.example.com/kling", body.GetProperty("webhook").GetString());
    }

    [Theory]
    [InlineData("https://hooks.example.com/", "https://hooks.example.com")]
    [InlineData("https://hooks.example.com/kling/", "https://hooks.example.com/kling")]
    [InlineData("https://Hooks.Example.com:443/Kling", "https://Hooks.Example.com:443/Kling")]
    [InlineData("https://93.184.216.34/kling", "https://93.184.216.34/kling")]
    [InlineData("https://[2606:2800:220:1:248:1893:25c8:1946]/kling", "https://[2606:2800:220:1:248:1893:25c8:1946]/kling")]
    [InlineData("https://hooks.example.com:80/kling", "https://hooks.example.com:80/kling")]
    public void Sends_the_URL_as_given_but_for_a_trailing_slash(string given, string sent) =>
        Assert.Equal(sent, Build(new VideoInput { Prompt = "x", Webhook = given }).Webhook);

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Sends_no_webhook_field_when_none_is_given(string? webhook) =>
        Assert.DoesNotContain("webhook", Names(Json(new VideoInput { Prompt = "x", Webhook = webhook })));

    [Theory]
    [InlineData("http://hooks.example.com/kling", "https")]
    [InlineData("hooks.example.com/kling", "absolute https URL")]
    [InlineData("https://localhost/kling", "loopback")]
    [InlineData("https://app.localhost/kling", "loopback")]
    [InlineData("https://127.0.0.1/kling", "loopback")]
    [InlineData("https://2130706433/kling", "loopback")]
    [InlineData("https://[::1]/kling", "loopback")]
    [InlineData("https://[::ffff:192.168.0.1]/kling", "private")]
    [InlineData("https://10.0.0.1/kling", "private")]
    [InlineData("https://172.31.255.255/kling", "private")]
    [InlineData("https://192.168.0.1/kling", "private")]
    [InlineData("https://100.64.0.1/kling", "private")]
    [InlineData("https://[fc00::1]/kling", "private")]
    [InlineData("https://169.254.169.254/latest", "link-local")]
    [InlineData("https://[fe80::1]/kling", "link-local")]
    [InlineData("https://0.0.0.0/kling", "not a public address")]
    [InlineData("https://printer.local/kling", ".local")]
    [InlineData("https://printer.local./kling", ".local")]
    [InlineData("https://intranet/kling", "not a public name")]
    [InlineData("https://hooks.example.com:8443/kling", "port 8443")]
    [InlineData("https://hooks.example.com/kling?token=1", "query")]
    [InlineData("https://hooks.example.com/kling#top", "fragment")]
    [InlineData("https://user:secret@hooks.example.com/kling", "password")]
    [InlineData("https://a.example.com/x,https://b.example.com/y", "several URLs")]
    public void Refuses_a_URL_the_gateway_could_not_call_on_the_field_webhook(string webhook, string why)
    {
        ValidationProblem problem = Refused(new VideoInput { Prompt = "x", Webhook = webhook }, "webhook", why);
        Assert.DoesNotContain("secret", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_public_host_name_with_a_dot_is_taken() =>
        Assert.Equal("https://kling-hooks.example.org/done", Build(new VideoInput { Prompt = "x", Webhook = "https://kling-hooks.example.org/done" }).Webhook);
}
