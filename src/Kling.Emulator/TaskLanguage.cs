namespace Kling.Emulator;

/// <summary>The <c>language</c> of GET /v1/tasks/{id}?language=en|zh|ko|ja: the language of a failed task's message (English when absent).</summary>
internal static class TaskLanguage
{
    private static readonly Dictionary<string, string> ModerationMessages = new(StringComparer.Ordinal)
    {
        ["en"] = "Content moderation failed",
        ["zh"] = "内容审核未通过",
        ["ko"] = "콘텐츠 검토를 통과하지 못했습니다",
        ["ja"] = "コンテンツ審査に合格しませんでした",
    };

    public static bool IsKnown(string language) => ModerationMessages.ContainsKey(language);

    public static string ModerationFailed(string? language) => ModerationMessages[language ?? "en"];
}
