using Kling.Core.Wire;
using Kling.Core;
using Kling.Core.Gateway;
using Kling.Core.Requests;
using Kling.Emulator;
using Xunit;

namespace Kling.Core.Tests;

/// <summary>What the client makes of the gateway's words (issue 20, point 6; issue 19, point 3): the key taken out wherever it hides, the kind of a failure read.</summary>
public sealed class ReadsTests
{
    private const string Key = "sk-READS-9f3e7a";

    [Theory]
    [InlineData("{\"error\":{\"message\":\"bad key sk-READS-9f3e7a\"}}", "{\"error\":{\"message\":\"bad key ***\"}}")]
    [InlineData("{\"error\":{\"message\":\"bad key \\u0073k-READS-9f3e7a\"}}", "{\"error\":{\"message\":\"bad key ***\"}}")]
    [InlineData("{\"echo\":{\"sk-READS-9f3e7a\":[1.50,true,null,\"x\"]}}", "{\"echo\":{\"***\":[1.50,true,null,\"x\"]}}")]
    [InlineData("<html>Bearer sk-READS-9f3e7a</html>", "<html>Bearer ***</html>")]
    [InlineData("{\"message\":\"内容审核未通过 \\u5185 sk-READS-9f3e7a\"}", "{\"message\":\"内容审核未通过 内 ***\"}")]
    public void The_key_is_taken_out_of_a_reply_in_any_form(string body, string expected)
    {
        Assert.Equal(expected, ReplyRedaction.Redact(body, Key));
    }

    [Fact]
    public void A_reply_that_cannot_hold_the_key_is_returned_unparsed()
    {
        string body = "{\"code\":200,\"data\":{\"id\":\"task_1\",\"status\":\"processing\"}}";
        Assert.Same(body, ReplyRedaction.Redact(body, Key));
        string escaped = "{\"message\":\"\\u4e2d\"}";
        Assert.Equal("{\"message\":\"\\u4e2d\"}", escaped);
        Assert.Equal("{\"message\":\"中\"}", ReplyRedaction.Redact(escaped, Key));
    }

    [Fact]
    public async Task A_failed_task_whose_message_holds_the_key_escaped_keeps_it_nowhere()
    {
        // A backslash in the key: the emulator's JSON writes it "\\", so only an unescaping reader finds it.
        const string key = @"sk-back\slash-9f3e";
        await using GatewayEmulator emulator = await GatewayEmulator.StartAsync(new EmulatorOptions { ApiKey = key, TaskSeconds = 0.05, FailMessage = "refused {key}", FailCode = "{key}" });
        var client = new KlingClient(new GatewaySettings(emulator.GatewayUri, GatewaySettings.ToSecureString(key), "test"));
        KlingTask submitted = (await client.SubmitOnceAsync(new VideoRequest { Prompt = "doomed [fail]" }, IdempotencyKey.NewRandom(), CancellationToken.None)).Task!;
        KlingTask task = submitted;
        for (int i = 0; i < 100 && !task.IsFinished; i++)
        {
            await Task.Delay(50);
            task = await client.GetTaskAsync(submitted.TaskId, CancellationToken.None);
        }

        Assert.Equal("failed", task.Status);
        Assert.Equal("refused ***", task.Error);
        Assert.Equal("***", task.ErrorCode);
    }

    [Fact]
    public async Task A_reason_phrase_that_echoes_the_key_is_not_traced()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        int port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        Task server = Task.Run(async () =>
        {
            using System.Net.Sockets.TcpClient connection = await listener.AcceptTcpClientAsync();
            using System.Net.Sockets.NetworkStream stream = connection.GetStream();
            var request = new byte[65536];
            int read = await stream.ReadAsync(request);
            byte[] reply = System.Text.Encoding.ASCII.GetBytes($"HTTP/1.1 404 No such task for {Key}\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{{}}");
            await stream.WriteAsync(reply);
        });
        var trace = new List<string>();
        var client = new KlingClient(new GatewaySettings(new Uri($"http://127.0.0.1:{port}/"), GatewaySettings.ToSecureString(Key), "test"), line => { lock (trace) { trace.Add(line); } });
        await Assert.ThrowsAsync<GatewayException>(() => client.GetTaskAsync("task_x", CancellationToken.None));
        await server;
        listener.Stop();
        Assert.Contains(trace, line => line.StartsWith("404 No such task for *** from GET", StringComparison.Ordinal));
        Assert.DoesNotContain(trace, line => line.Contains(Key, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("1301", "failed", TaskFailureKind.ContentRefused)]
    [InlineData("1300", null, TaskFailureKind.ContentRefused)]
    [InlineData("5000", "Content moderation failed", TaskFailureKind.GatewayFailed)]
    [InlineData("5002", null, TaskFailureKind.GatewayFailed)]
    [InlineData(null, "Content moderation failed", TaskFailureKind.ContentRefused)]
    [InlineData(null, "内容审核未通过", TaskFailureKind.ContentRefused)]
    [InlineData(null, "コンテンツ審査に合格しませんでした", TaskFailureKind.ContentRefused)]
    [InlineData(null, "콘텐츠 검토를 통과하지 못했습니다", TaskFailureKind.ContentRefused)]
    [InlineData(null, "Контент не прошёл модерацию", TaskFailureKind.ContentRefused)]
    [InlineData(null, "Le contenu n'a pas passé la modération", TaskFailureKind.ContentRefused)]
    [InlineData(null, "Der Inhalt verstößt gegen die Richtlinie", TaskFailureKind.ContentRefused)]
    [InlineData(null, "Konten gagal moderasi", TaskFailureKind.ContentRefused)]
    [InlineData(null, "O conteúdo não passou na moderação", TaskFailureKind.ContentRefused)]
    [InlineData(null, "El contenido no superó la moderación", TaskFailureKind.ContentRefused)]
    [InlineData(null, "Content violates international law", TaskFailureKind.ContentRefused)]
    [InlineData(null, "Internal server error", TaskFailureKind.GatewayFailed)]
    [InlineData(null, "服务器内部错误", TaskFailureKind.GatewayFailed)]
    [InlineData(null, "タイムアウトしました", TaskFailureKind.GatewayFailed)]
    [InlineData(null, "서버 오류", TaskFailureKind.GatewayFailed)]
    [InlineData(null, "Внутренняя ошибка сервера", TaskFailureKind.GatewayFailed)]
    [InlineData(null, "Erreur interne du serveur", TaskFailureKind.GatewayFailed)]
    [InlineData(null, "Interner Fehler", TaskFailureKind.GatewayFailed)]
    [InlineData(null, "Waktu habis", TaskFailureKind.GatewayFailed)]
    [InlineData(null, "Erro interno do servidor", TaskFailureKind.GatewayFailed)]
    [InlineData(null, "Tiempo de espera agotado", TaskFailureKind.GatewayFailed)]
    public void A_failure_kind_is_read_from_the_code_first_then_the_words(string? code, string? message, TaskFailureKind expected)
    {
        Assert.Equal(expected, TaskFailureKinds.Of(code, message));
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("1", "something else went wrong")]
    [InlineData(null, "moderation service timeout")]
    public void Words_of_neither_kind_or_of_both_tell_nothing(string? code, string? message)
    {
        Assert.Null(TaskFailureKinds.Of(code, message));
    }

    [Fact]
    public void Only_a_failed_task_has_a_failure_kind()
    {
        Assert.Null(new KlingTask("t") { Status = "completed", Error = "Content moderation failed" }.FailureKind);
        Assert.Null(new KlingTask("t") { Status = "cancelled", Error = "Content moderation failed" }.FailureKind);
        Assert.Equal(TaskFailureKind.ContentRefused, new KlingTask("t") { Status = "FAILED", Error = "Content moderation failed" }.FailureKind);
    }
}
