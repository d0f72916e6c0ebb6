using System;

namespace Kling.Core
{
    /// <summary>What Get-KlingConfig shows: the settings in force and where they come from. It never holds the key.</summary>
    public sealed class KlingConfig
    {
        public string BaseUrl { get; set; } = string.Empty;

        /// <summary>Connect-Kling, $env:KLING_BASE_URL, or default.</summary>
        public string BaseUrlSource { get; set; } = string.Empty;

        public bool HasKey { get; set; }

        /// <summary>Where the key comes from (Connect-Kling -ApiKey, -Credential, a vault, $env:KLING_API_KEY), or none.</summary>
        public string KeySource { get; set; } = string.Empty;

        /// <summary>How long one gateway call may take.</summary>
        public TimeSpan RequestTimeout { get; set; }

        /// <summary>A download that receives nothing for this long is dropped and resumed (downloads have no overall limit).</summary>
        public TimeSpan DownloadStallTimeout { get; set; }

        public string Proxy { get; set; } = string.Empty;

        /// <summary>The language of task messages (one of the gateway's ten: en zh ja ko ru fr de id pt es).</summary>
        public string Language { get; set; } = string.Empty;

        /// <summary>Connect-Kling, $env:KLING_LANGUAGE, or default (English, nothing sent).</summary>
        public string LanguageSource { get; set; } = string.Empty;

        public string UserAgent { get; set; } = string.Empty;

        public string ModuleVersion { get; set; } = string.Empty;

        /// <summary>The task history's file ($env:KLING_HOME or the local application data folder), or why there is none ("off").</summary>
        public string History { get; set; } = string.Empty;
    }
}
