using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Kling.Emulator;

public sealed partial class GatewayEmulator
{
    private static readonly string[] Modes = { "std", "pro" };
    private static readonly string[] AspectRatios = { "16:9", "9:16", "1:1" };

    private void MapGateway(WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            if (!context.Request.Path.StartsWithSegments("/_emulator"))
            {
                // Submissions take their latency inside the in-flight window (see SubmitAsync), so concurrency limits see it.
                int latency = IsSubmit(context.Request) ? 0 : Snapshot().LatencyMs;
                if (latency > 0)
                {
                    await Task.Delay(latency, context.RequestAborted);
                }

                if (!Authorized(context))
                {
                    await ErrorAsync(context, 401, "authentication_error", "无效的令牌 (invalid or missing API key)");
                    return;
                }
            }

            await next();
        });

        app.MapPost("/v1/videos/generations", SubmitAsync);
        app.MapGet("/v1/tasks/{id}", GetTaskAsync);
        app.MapPost("/v1/uploads/images", UploadAsync);

        app.MapGet("/_emulator/requests", (HttpContext context) => WriteJsonAsync(context, Requests));
        app.MapGet("/_emulator/stats", (HttpContext context) => WriteJsonAsync(context, Stats));
        app.MapGet("/_emulator/tasks", (HttpContext context) => WriteJsonAsync(context, tasks.Values.Select(t => new { id = t.Id, prompt = t.Request["prompt"]?.ToString(), created = t.Created, finishesAt = t.FinishesAt, fails = t.Fails }).ToArray()));
        app.MapPost("/_emulator/reset", (HttpContext context) =>
        {
            Reset();
            return WriteJsonAsync(context, new { ok = true });
        });
        app.MapPost("/_emulator/config", async (HttpContext context) =>
        {
            JsonObject patch = (await JsonNode.ParseAsync(context.Request.Body))?.AsObject() ?? new JsonObject();
            lock (gate)
            {
                JsonObject current = JsonSerializer.SerializeToNode(Options, Json)!.AsObject();
                foreach (KeyValuePair<string, JsonNode?> item in patch)
                {
                    string? name = current.Select(p => p.Key).FirstOrDefault(k => string.Equals(k, item.Key, StringComparison.OrdinalIgnoreCase));
                    if (name == null)
                    {
                        throw new BadHttpRequestException($"unknown option '{item.Key}'");
                    }

                    current[name] = item.Value?.DeepClone();
                }

                Options = current.Deserialize<EmulatorOptions>(Json)!;
            }

            await WriteJsonAsync(context, Snapshot());
        });
        app.MapPost("/_emulator/faults", async (HttpContext context) =>
        {
            Fault fault = (await JsonSerializer.DeserializeAsync<Fault>(context.Request.Body, Json))!;
            AddFault(fault);
            await WriteJsonAsync(context, fault);
        });
    }

    private async Task SubmitAsync(HttpContext context)
    {
        int inFlight = EnterInFlight(ref submitsInFlight, ref maxSubmitsInFlight);
        try
        {
            EmulatorOptions now = Snapshot();
            if (now.MaxConcurrentSubmits > 0 && inFlight > now.MaxConcurrentSubmits)
            {
                await ErrorAsync(context, 429, "rate_limit_error", "并发请求过多 (too many concurrent requests)", now.ConcurrencyRetryAfter.ToString(CultureInfo.InvariantCulture));
                return;
            }

            if (now.Submit429Rate > 0 && Random.Shared.NextDouble() < now.Submit429Rate)
            {
                await ErrorAsync(context, 429, "rate_limit_error", "请求过于频繁，请稍后再试 (too many requests)", Random.Shared.Next(2) == 0 ? "0.1" : null);
                return;
            }

            if (now.LatencyMs > 0)
            {
                await Task.Delay(now.LatencyMs, context.RequestAborted);
            }

            await SubmitCoreAsync(context);
        }
        finally
        {
            Interlocked.Decrement(ref submitsInFlight);
        }
    }

    private static bool IsSubmit(HttpRequest request) =>
        HttpMethods.IsPost(request.Method) && request.Path.Equals("/v1/videos/generations", StringComparison.OrdinalIgnoreCase);

    private async Task SubmitCoreAsync(HttpContext context)
    {
        Fault? fault = TakeFault("submit");
        if (fault != null && !fault.Accepted)
        {
            await ApplyFaultAsync(context, fault);
            return;
        }

        JsonObject? body;
        try
        {
            body = (await JsonNode.ParseAsync(context.Request.Body))?.AsObject();
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            await ErrorAsync(context, 400, "invalid_request_error", "请求体不是有效的 JSON (malformed JSON body)");
            return;
        }

        string? problem = body == null ? "请求体不能为空 (empty body)" : Validate(body);
        if (problem != null)
        {
            await ErrorAsync(context, 400, "invalid_request_error", problem);
            return;
        }

        EmulatorOptions options;
        lock (gate)
        {
            options = Options.Clone();
            if (Options.Balance == 0)
            {
                options = null!;
            }
            else if (Options.Balance > 0)
            {
                Options.Balance--;
            }
        }

        if (options == null)
        {
            await ErrorAsync(context, 402, "payment_required", "余额不足，请充值 (insufficient balance)");
            return;
        }

        string prompt = body!["prompt"]!.GetValue<string>();
        double seconds = options.TaskSeconds + (options.TaskJitter * ((Random.Shared.NextDouble() * 2) - 1));
        var task = new EmulatedTask
        {
            Id = "task_" + RandomId(16),
            Created = DateTimeOffset.UtcNow,
            Seconds = Math.Max(0.05, seconds),
            Estimate = options.TaskSeconds,
            Fails = (!string.IsNullOrEmpty(options.FailMarker) && prompt.Contains(options.FailMarker, StringComparison.Ordinal)) ||
                    (options.TaskFailRate > 0 && Random.Shared.NextDouble() < options.TaskFailRate),
            Request = body,
            ResultTtl = options.ResultTtl,
            ResultCount = Math.Max(1, options.ResultCount),
        };
        tasks[task.Id] = task;
        Interlocked.Increment(ref acceptedSubmits);

        if (fault != null)
        {
            // The gateway took the job (and the money) but the client never hears of it.
            await ApplyFaultAsync(context, fault);
            return;
        }

        await WriteJsonAsync(context, new { code = 200, data = new[] { new { status = "submitted", task_id = task.Id } } });
    }

    private Fault? RandomTaskFault()
    {
        EmulatorOptions o = Snapshot();
        double roll = Random.Shared.NextDouble();
        if (roll < o.Task500Rate)
        {
            return new Fault { Route = "task", Status = 500 };
        }

        roll -= o.Task500Rate;
        if (roll < o.TaskResetRate)
        {
            return new Fault { Route = "task", Kind = "reset" };
        }

        roll -= o.TaskResetRate;
        return roll < o.TaskTruncateRate ? new Fault { Route = "task", Kind = "truncate" } : null;
    }

    /// <summary>The rules of API.md §1, each failure naming its field.</summary>
    private static string? Validate(JsonObject body)
    {
        string? Text(string name) => body[name] is JsonValue v && v.TryGetValue(out string? s) ? s : null;

        if (Text("model") != "kling-video-o1")
        {
            return $"model: 不支持的模型 '{body["model"]}' (model must be kling-video-o1)";
        }

        string? prompt = Text("prompt");
        if (string.IsNullOrWhiteSpace(prompt))
        {
            return "prompt: 不能为空 (prompt is required)";
        }

        if (body["mode"] != null && !Modes.Contains(Text("mode")))
        {
            return $"mode: 无效的值 '{body["mode"]}' (std or pro)";
        }

        if (body["duration"] != null && !(body["duration"] is JsonValue d && d.TryGetValue(out int duration) && (duration == 5 || duration == 10)))
        {
            return $"duration: 无效的值 '{body["duration"]}' (5 or 10)";
        }

        if (body["aspect_ratio"] != null && !AspectRatios.Contains(Text("aspect_ratio")))
        {
            return $"aspect_ratio: 无效的值 '{body["aspect_ratio"]}' (16:9, 9:16 or 1:1)";
        }

        var images = new List<string>();
        if (body["image_urls"] != null)
        {
            if (body["image_urls"] is not JsonArray array)
            {
                return "image_urls: 必须是数组 (must be an array)";
            }

            foreach (JsonNode? item in array)
            {
                string? url = item is JsonValue v && v.TryGetValue(out string? s) ? s : null;
                if (url == null || !Uri.TryCreate(url, UriKind.Absolute, out Uri? uri) || (uri.Scheme != "http" && uri.Scheme != "https"))
                {
                    return $"image_urls: 无效的 URL '{item}' (absolute http(s) URL required)";
                }

                images.Add(url);
            }

            if (images.Count > 2)
            {
                return "image_urls: 最多 2 张图片 (at most 2 images)";
            }
        }

        foreach (System.Text.RegularExpressions.Match m in ImageReference().Matches(prompt))
        {
            if (!int.TryParse(m.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out int n) || n < 1 || n > images.Count)
            {
                return $"prompt: 引用的图片 {m.Value} 不存在 (image reference beyond the {images.Count} image(s) given)";
            }
        }

        if (body["video_list"] != null)
        {
            if (body["video_list"] is not JsonArray videos || videos.Count > 1)
            {
                return "video_list: 最多 1 个视频 (at most 1 element)";
            }

            if (videos.Count == 1)
            {
                if (videos[0] is not JsonObject video)
                {
                    return "video_list: 元素必须是对象 (element must be an object)";
                }

                string? videoUrl = video["video_url"] is JsonValue vu && vu.TryGetValue(out string? s) ? s : null;
                if (string.IsNullOrWhiteSpace(videoUrl) || !Uri.TryCreate(videoUrl, UriKind.Absolute, out Uri? vuri) || (vuri.Scheme != "http" && vuri.Scheme != "https"))
                {
                    return "video_list.video_url: 不能为空且必须是 http(s) URL (required, http(s))";
                }

                string referType = video["refer_type"] is JsonValue rt && rt.TryGetValue(out string? r) ? r : "base";
                if (referType != "base" && referType != "feature")
                {
                    return $"video_list.refer_type: 无效的值 '{referType}' (base or feature)";
                }

                if (video["keep_original_sound"] != null &&
                    !(video["keep_original_sound"] is JsonValue ks && ks.TryGetValue(out string? k) && (k == "yes" || k == "no")))
                {
                    return "video_list.keep_original_sound: 无效的值 (yes or no)";
                }

                if (referType == "base" && images.Count > 0)
                {
                    return "image_urls: refer_type 为 base 时不能设置首尾帧 (no frame images with a base video)";
                }

                if (referType == "feature" && images.Count > 1)
                {
                    return "image_urls: refer_type 为 feature 时只能设置首帧 (first frame only with a feature video)";
                }
            }
        }

        return null;
    }

    private async Task GetTaskAsync(HttpContext context, string id)
    {
        Interlocked.Increment(ref statusCalls);
        Fault? fault = TakeFault("task") ?? RandomTaskFault();
        if (fault != null)
        {
            await ApplyFaultAsync(context, fault);
            return;
        }

        if (!tasks.TryGetValue(id, out EmulatedTask? task))
        {
            context.Response.StatusCode = 404;
            await ErrorAsync(context, 404, "not_found_error", $"任务不存在 (task '{id}' not found)");
            return;
        }

        DateTimeOffset now = DateTimeOffset.UtcNow;
        double elapsed = (now - task.Created).TotalSeconds;
        long created = task.Created.ToUnixTimeSeconds();
        int estimated = (int)Math.Max(1, Math.Round(task.Estimate)); // the gateway's guess: the nominal duration, not the jittered one
        object data;
        if (elapsed < task.Seconds)
        {
            bool pending = elapsed < task.Seconds * 0.1;
            int progress = pending ? 0 : (int)Math.Clamp(elapsed / task.Seconds * 100, 1, 99);
            data = new { id = task.Id, status = pending ? "pending" : "processing", progress, created, completed = (long?)null, estimated_time = estimated, actual_time = (int?)null, result = (object?)null, error = (object?)null };
        }
        else
        {
            DateTimeOffset completedAt = task.Created.AddSeconds(task.Seconds);
            long completed = completedAt.ToUnixTimeSeconds();
            int actual = (int)Math.Max(1, Math.Round(task.Seconds));
            if (task.Fails)
            {
                data = new { id = task.Id, status = "failed", progress = 100, created, completed, estimated_time = estimated, actual_time = actual, result = (object?)null, error = new { code = 1301, message = "内容审核未通过 (content moderation failed)" } };
            }
            else
            {
                // Links expire resultTtl after completion, or (freshLinks) after this very read, like a gateway that signs on read.
                DateTimeOffset signedAt = Snapshot().FreshLinks ? now : completedAt;
                long expires = (long)Math.Floor((signedAt.ToUnixTimeMilliseconds() / 1000.0) + task.ResultTtl);
                string[] urls = Enumerable.Range(1, task.ResultCount).Select(n =>
                {
                    string name = task.ResultCount == 1 ? task.Id + ".mp4" : $"{task.Id}-{n}.mp4";
                    return new Uri(StorageUri, $"/files/{name}?expires={expires}&sig={Sign(name, expires)}").ToString();
                }).ToArray();
                data = new { id = task.Id, status = "completed", progress = 100, created, completed, estimated_time = estimated, actual_time = actual, result = new { videos = new[] { new { url = urls, expires_at = expires } } }, error = (object?)null };
            }
        }

        await WriteJsonAsync(context, new { code = 200, data });
    }

    private async Task UploadAsync(HttpContext context)
    {
        Fault? fault = TakeFault("upload");
        if (fault != null)
        {
            await ApplyFaultAsync(context, fault);
            return;
        }

        if (!context.Request.HasFormContentType)
        {
            await ErrorAsync(context, 400, "invalid_request_error", "file: 需要 multipart/form-data (multipart/form-data with a 'file' field required)");
            return;
        }

        IFormCollection form = await context.Request.ReadFormAsync();
        IFormFile? file = form.Files.GetFile("file");
        if (file == null)
        {
            await ErrorAsync(context, 400, "invalid_request_error", "file: 缺少文件字段 (missing 'file' field)");
            return;
        }

        if (file.Length > MaxImageBytes)
        {
            await ErrorAsync(context, 413, "request_too_large", "file: 图片超过 20MB (image larger than 20 MB)");
            return;
        }

        using var buffer = new MemoryStream();
        await file.CopyToAsync(buffer);
        byte[] bytes = buffer.ToArray();
        (string ContentType, string Extension)? kind = DetectImage(bytes);
        if (kind == null)
        {
            await ErrorAsync(context, 400, "invalid_request_error", "file: 仅支持 JPEG、PNG、WebP、GIF (only JPEG, PNG, WebP or GIF)");
            return;
        }

        string id = RandomId(20);
        string name = $"{id}.{kind.Value.Extension}";
        uploads[name] = (bytes, kind.Value.ContentType);
        await WriteJsonAsync(context, new
        {
            url = new Uri(StorageUri, "/uploads/" + name).ToString(),
            filename = file.FileName,
            content_type = kind.Value.ContentType,
            bytes = bytes.Length,
            created_at = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
        });
    }

    internal static (string ContentType, string Extension)? DetectImage(byte[] b)
    {
        if (b.Length >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF)
        {
            return ("image/jpeg", "jpg");
        }

        if (b.Length >= 8 && b[0] == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G' && b[4] == 0x0D && b[5] == 0x0A && b[6] == 0x1A && b[7] == 0x0A)
        {
            return ("image/png", "png");
        }

        if (b.Length >= 12 && b[0] == 'R' && b[1] == 'I' && b[2] == 'F' && b[3] == 'F' && b[8] == 'W' && b[9] == 'E' && b[10] == 'B' && b[11] == 'P')
        {
            return ("image/webp", "webp");
        }

        if (b.Length >= 6 && b[0] == 'G' && b[1] == 'I' && b[2] == 'F' && b[3] == '8' && (b[4] == '7' || b[4] == '9') && b[5] == 'a')
        {
            return ("image/gif", "gif");
        }

        return null;
    }

    private static string RandomId(int length)
    {
        const string alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        return string.Create(length, 0, (span, _) =>
        {
            for (int i = 0; i < span.Length; i++)
            {
                span[i] = alphabet[Random.Shared.Next(alphabet.Length)];
            }
        });
    }
}
