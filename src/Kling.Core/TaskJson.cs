using System;

namespace Kling.Core
{
    /// <summary>
    /// The name KlingClient reads replies by; the reading itself is <see cref="GatewayReplies"/>. Kept while KlingClient
    /// is being changed elsewhere: when it calls GatewayReplies directly, this file goes.
    /// </summary>
    internal static class TaskJson
    {
        internal static string? ReadSubmittedTaskId(string body) => GatewayReplies.ReadSubmittedTaskId(body);

        internal static KlingTask ReadTask(string body, string requestedId) => GatewayReplies.ReadTask(body, requestedId);

        internal static (string? Code, string? Message, string? Type) ReadError(string? body) => GatewayReplies.ReadError(body);

        internal static ImageUpload? ReadUpload(string body, LocalImage image, TimeSpan lifetime) => GatewayReplies.ReadUpload(body, image, lifetime);
    }
}
