using Kling.Core.Wire;
using Kling.Core;
using Kling.Core.Gateway;
using Kling.Core.Requests;

namespace Kling.Core.Tests;

/// <summary>One submission for tests that need a task, under a key of its own: an answer that executed nothing (a 429, which production waits out in BatchSubmitter) is thrown here.</summary>
internal static class TestSubmissions
{
    public static async Task<KlingTask> SubmitAsync(this KlingClient client, VideoRequest request, CancellationToken cancellationToken)
    {
        SubmitAttempt attempt = await client.SubmitOnceAsync(request, IdempotencyKey.NewRandom(), cancellationToken);
        return attempt.Task ?? throw attempt.SendAgain!;
    }
}
