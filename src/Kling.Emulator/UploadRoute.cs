using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using static Kling.Emulator.Responses;

namespace Kling.Emulator;

/// <summary>
/// POST /v1/uploads/images (API.md §3) as a strict server reads it: the part must say <c>name="file"</c> and
/// <c>filename="..."</c> quoted, as curl and browsers write them, and carry its own Content-Type; an unquoted
/// parameter (what .NET's MultipartFormDataContent writes by default) is "multipart field file required".
/// </summary>
internal sealed class UploadRoute
{
    private const string FieldRequired = "multipart field file required";
    private static readonly Regex QuotedName = new("(^|;)\\s*name=\"file\"\\s*(;|$)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
    private static readonly Regex QuotedFileName = new("(^|;)\\s*filename=\"((?:[^\"\\\\]|\\\\.)*)\"\\s*(;|$)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
    private static readonly Regex ExtendedFileName = new("(^|;)\\s*filename\\*=([^;]+)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    private readonly EmulatorState state;
    private readonly Uri storageUri;

    public UploadRoute(EmulatorState state, Uri storageUri)
    {
        this.state = state;
        this.storageUri = storageUri;
    }

    public async Task HandleAsync(HttpContext context)
    {
        Fault? fault = state.TakeFault("upload");
        if (fault != null)
        {
            await FaultInjector.ApplyFaultAsync(context, fault);
            return;
        }

        (Part? part, string? problem, int status) = await ReadAsync(context);
        if (problem != null)
        {
            await ErrorAsync(context, status, status == 413 ? "request_too_large" : "invalid_request_error", problem);
            return;
        }

        (string ContentType, string Extension)? kind = ImageKinds.Detect(part!.Bytes);
        if (kind == null)
        {
            await ErrorAsync(context, 400, "invalid_request_error", "file: 仅支持 JPEG、PNG、WebP、GIF (only JPEG, PNG, WebP or GIF)");
            return;
        }

        string name = $"{EmulatedTask.RandomId(20)}.{kind.Value.Extension}";
        state.Uploads[name] = (part.Bytes, kind.Value.ContentType);
        await WriteJsonAsync(context, new
        {
            url = new Uri(storageUri, "/uploads/" + name).ToString(),
            filename = part.FileName,
            content_type = kind.Value.ContentType,
            bytes = part.Bytes.Length,
            created_at = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
        });
    }

    /// <summary>The part named "file", or the 400/413 message: not multipart, no such part, unquoted parameters, no Content-Type, too large.</summary>
    private static async Task<(Part? Part, string? Problem, int Status)> ReadAsync(HttpContext context)
    {
        HttpRequest request = context.Request;
        string? boundary = request.ContentType == null ? null :
            MediaTypeHeaderValue.TryParse(request.ContentType, out MediaTypeHeaderValue? type) && type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
                ? HeaderUtilities.RemoveQuotes(type.Boundary).Value : null;
        if (string.IsNullOrEmpty(boundary))
        {
            return (null, FieldRequired + " (multipart/form-data with a 'file' field)", 400);
        }

        var reader = new MultipartReader(boundary, request.Body) { BodyLengthLimit = GatewayEmulator.MaxImageBytes + 1 };
        MultipartSection? section;
        while ((section = await ReadSectionAsync(reader)) != null)
        {
            string disposition = section.Headers?.TryGetValue("Content-Disposition", out var value) == true ? value.ToString() : string.Empty;
            string partType = section.ContentType ?? string.Empty;
            Record(context, $"Content-Disposition: {disposition}; Content-Type: {partType}");
            if (!QuotedName.IsMatch(disposition))
            {
                await section.Body.CopyToAsync(Stream.Null);
                continue;
            }

            Match fileName = QuotedFileName.Match(disposition);
            if (!fileName.Success || partType.Length == 0)
            {
                return (null, FieldRequired + " (a quoted filename and the part's Content-Type)", 400);
            }

            using var buffer = new MemoryStream();
            try
            {
                await section.Body.CopyToAsync(buffer);
            }
            catch (InvalidDataException)
            {
                return (null, "file: 图片超过 20MB (image larger than 20 MB)", 413);
            }

            if (buffer.Length > GatewayEmulator.MaxImageBytes)
            {
                return (null, "file: 图片超过 20MB (image larger than 20 MB)", 413);
            }

            return (new Part(buffer.ToArray(), OriginalName(disposition, fileName.Groups[2].Value)), null, 200);
        }

        return (null, FieldRequired, 400);
    }

    private static async Task<MultipartSection?> ReadSectionAsync(MultipartReader reader)
    {
        try
        {
            return await reader.ReadNextSectionAsync();
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>The file name as the client meant it: filename* (RFC 5987, UTF-8) when given, else the quoted filename.</summary>
    private static string OriginalName(string disposition, string quoted)
    {
        Match extended = ExtendedFileName.Match(disposition);
        string value = extended.Success ? extended.Groups[2].Value.Trim() : string.Empty;
        if (value.StartsWith("UTF-8''", StringComparison.OrdinalIgnoreCase))
        {
            return Uri.UnescapeDataString(value[7..]);
        }

        return Regex.Replace(quoted, "\\\\(.)", "$1");
    }

    /// <summary>Keeps the part's headers on the recorded request, so tests can see what went over the wire.</summary>
    private static void Record(HttpContext context, string partHeaders)
    {
        if (context.Items.TryGetValue(LoopbackHost.RecordKey, out object? item) && item is RecordedRequest record)
        {
            record.Parts.Add(partHeaders);
        }
    }

    private sealed record Part(byte[] Bytes, string FileName);
}
