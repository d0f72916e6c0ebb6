using System;
using System.Linq;

namespace Kling.Core
{
    /// <summary>Which kind of failure ended a task, when the gateway's code or message tells.</summary>
    public enum TaskFailureKind
    {
        /// <summary>The content was refused: moderation, safety or policy. Sent again unchanged, it will most likely fail again.</summary>
        ContentRefused,

        /// <summary>The gateway (or the service behind it) failed: an internal error, a timeout, an upstream fault. Not the content's doing.</summary>
        GatewayFailed,
    }

    /// <summary>
    /// Reads a failed task's kind of failure from its error code and message. Codes first: Kling's own task codes, which the
    /// gateway passes on (1300 the platform's policy, 1301 its content safety policy; 5000 internal error, 5001 service
    /// unavailable, 5002 internal timeout). Then words of the message, in the ten languages the gateway writes
    /// (en zh ja ko ru fr de id pt es). A message with words of both kinds, or of neither, tells nothing: null.
    /// </summary>
    public static class TaskFailureKinds
    {
        private static readonly string[] RefusedCodes = { "1300", "1301" };
        private static readonly string[] FailedCodes = { "5000", "5001", "5002" };

        private static readonly string[] RefusedWords =
        {
            "moderat", "safety", "policy", "sensitive", "violat", "inappropriate", "nsfw", "prohibited", // en
            "审核", "敏感", "违规", "违禁", "安全", "策略", "政策", "不合规", // zh
            "審査", "不適切", "ポリシー", "規約", // ja
            "검토", "심사", "정책", "안전", "부적절", // ko
            "модерац", "политик", "безопасн", "запрещ", // ru
            "modération", "politique", "sécurité", "inapproprié", // fr
            "richtlinie", "sicherheit", "unangemessen", // de (Moderation: en)
            "moderasi", "kebijakan", "keamanan", // id
            "moderação", "política", "segurança", "inadequad", // pt, es
            "moderación", "seguridad", "inapropiad", // es
        };

        private static readonly string[] FailedWords =
        {
            "internal", "timeout", "timed out", "upstream", "server error", "unavailable", "bad gateway", "overloaded", // en
            "内部", "超时", "上游", "服务器", "系统错误", "系统繁忙", // zh
            "タイムアウト", "サーバー", // ja (内部: zh)
            "내부", "시간 초과", "서버", // ko
            "внутренн", "тайм-аут", "время ожидания", "сервер", // ru
            "interne", "délai", "serveur", // fr
            "interner", "zeitüberschreitung", // de
            "waktu habis", "kesalahan server", // id
            "interno", "tempo limite", "servidor", // pt
            "tiempo de espera", // es (interno, servidor: pt)
        };

        /// <summary>The kind of failure the code or message tells, or null when they tell nothing (or both kinds).</summary>
        public static TaskFailureKind? Of(string? code, string? message)
        {
            string trimmed = (code ?? string.Empty).Trim();
            if (RefusedCodes.Contains(trimmed))
            {
                return TaskFailureKind.ContentRefused;
            }

            if (FailedCodes.Contains(trimmed))
            {
                return TaskFailureKind.GatewayFailed;
            }

            string text = (message ?? string.Empty).ToLowerInvariant();
            bool refused = RefusedWords.Any(word => text.IndexOf(word, StringComparison.Ordinal) >= 0);
            bool failed = FailedWords.Any(word => text.IndexOf(word, StringComparison.Ordinal) >= 0);
            return refused == failed ? (TaskFailureKind?)null : refused ? TaskFailureKind.ContentRefused : TaskFailureKind.GatewayFailed;
        }
    }
}
