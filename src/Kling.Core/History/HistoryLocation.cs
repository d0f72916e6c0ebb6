using System;
using System.IO;

namespace Kling.Core.History
{
    /// <summary>
    /// Where the user's task history is: $env:KLING_HOME/history.jsonl when that is set, else Kling/history.jsonl under
    /// the user's local application data folder (%LOCALAPPDATA% on Windows, ~/.local/share on Linux); $env:KLING_HISTORY
    /// 'off' turns it off.
    /// </summary>
    public static class HistoryLocation
    {
        public const string HomeVariable = "KLING_HOME";
        public const string SwitchVariable = "KLING_HISTORY";
        public const string FileName = "history.jsonl";

        /// <summary>True when $env:KLING_HISTORY is 'off': no batch writes to the history.</summary>
        public static bool IsOff =>
            string.Equals(Environment.GetEnvironmentVariable(SwitchVariable)?.Trim(), "off", StringComparison.OrdinalIgnoreCase);

        /// <summary>The history file's full path; throws <see cref="InvalidOperationException"/> when the user has no application data folder.</summary>
        public static string FilePath()
        {
            string? home = Environment.GetEnvironmentVariable(HomeVariable);
            if (!string.IsNullOrWhiteSpace(home))
            {
                return Path.Combine(Path.GetFullPath(home!.Trim()), FileName);
            }

            string data = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify);
            if (string.IsNullOrEmpty(data))
            {
                throw new InvalidOperationException($"this user has no local application data folder; set $env:{HomeVariable} to a folder for it");
            }

            return Path.Combine(data, "Kling", FileName);
        }
    }
}
