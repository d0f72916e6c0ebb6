namespace Kling.Emulator;

/// <summary>
/// The <c>language</c> of GET /v1/tasks/{id}?language=: the language of a failed task's message (English when absent).
/// MODELS.md lists ten codes, case-insensitive; the emulator writes the moderation message in a few of them and, for the
/// rest, in English, as the gateway does for a language it has no text in. Any other code is the caller's error.
/// </summary>
internal static class TaskLanguage
{
    /// <summary>The gateway's ten codes, in the order its pages list them (the emulator's own reading of MODELS.md).</summary>
    public static readonly string[] Codes = { "en", "zh", "ja", "ko", "ru", "fr", "de", "id", "pt", "es" };

    private static readonly Dictionary<string, string> ModerationMessages = new(StringComparer.Ordinal)
    {
        ["en"] = "Content moderation failed",
        ["zh"] = "内容审核未通过",
        ["ko"] = "콘텐츠 검토를 통과하지 못했습니다",
        ["ja"] = "コンテンツ審査に合格しませんでした",
        ["fr"] = "La modération du contenu a échoué",
        ["es"] = "La moderación del contenido ha fallado",
    };

    public static bool IsKnown(string language) => Codes.Contains(language.Trim().ToLowerInvariant());

    /// <summary>The moderation message in <paramref name="language"/> (a known code), or in English where the emulator has no text in it.</summary>
    public static string ModerationFailed(string? language) =>
        ModerationMessages.TryGetValue((language ?? "en").Trim().ToLowerInvariant(), out string? message) ? message : ModerationMessages["en"];
}
