using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace Kling.Core.Gateway
{
    /// <summary>How usage is grouped: the gateway's group_by none, model, date or model,date.</summary>
    public enum UsageGrouping
    {
        None,
        Model,
        Date,
        ModelDate,
    }

    /// <summary>
    /// One question to GET /v1/usage (MODELS.md, "Money, identity and discovery"): a range of at most 31 days per call
    /// (<see cref="Pieces"/> cuts a longer one), up to 50 models, a grouping, a time zone for the days and a scope.
    /// </summary>
    public sealed class UsageQuery
    {
        public const string Path = "v1/usage";

        /// <summary>The gateway's longest range in one call.</summary>
        public static readonly TimeSpan MaxRange = TimeSpan.FromDays(31);

        /// <summary>The most models one call may name.</summary>
        public const int MaxModels = 50;

        public UsageQuery(DateTimeOffset start, DateTimeOffset end, IEnumerable<string>? models = null, UsageGrouping groupBy = UsageGrouping.None, bool account = false, string? timeZone = null)
        {
            if (end <= start)
            {
                throw new ArgumentException($"The start ({start:O}) must be before the end ({end:O}).", nameof(start));
            }

            Models = (models ?? Array.Empty<string>()).Select(m => m?.Trim() ?? string.Empty).Where(m => m.Length > 0).Distinct(StringComparer.Ordinal).ToArray();
            if (Models.Count > MaxModels)
            {
                throw new ArgumentException($"The gateway reports at most {MaxModels} models at once; {Models.Count} were given.", nameof(models));
            }

            // Whole seconds, as they are sent: the start rounded down and the end up, so the last second is not cut off and
            // the pieces of a long range meet exactly.
            Start = DateTimeOffset.FromUnixTimeSeconds(start.ToUnixTimeSeconds()).ToOffset(start.Offset);
            long endSeconds = end.ToUnixTimeSeconds();
            End = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.FromUnixTimeSeconds(endSeconds) < end ? endSeconds + 1 : endSeconds).ToOffset(end.Offset);
            GroupBy = groupBy;
            Account = account;
            TimeZone = string.IsNullOrWhiteSpace(timeZone) ? null : timeZone!.Trim();
        }

        /// <summary>Inclusive, in whole seconds (rounded down).</summary>
        public DateTimeOffset Start { get; }

        /// <summary>Exclusive, in whole seconds (rounded up).</summary>
        public DateTimeOffset End { get; }

        public IReadOnlyList<string> Models { get; }

        public UsageGrouping GroupBy { get; }

        public bool Account { get; }

        /// <summary>The IANA id sent as tz; null = the gateway's default (Asia/Shanghai).</summary>
        public string? TimeZone { get; }

        /// <summary>The range cut into consecutive pieces of at most <see cref="MaxRange"/>, in order, covering it exactly.</summary>
        public IReadOnlyList<(DateTimeOffset Start, DateTimeOffset End)> Pieces()
        {
            var pieces = new List<(DateTimeOffset, DateTimeOffset)>();
            for (DateTimeOffset from = Start; from < End; from += MaxRange)
            {
                DateTimeOffset to = End - from > MaxRange ? from + MaxRange : End;
                pieces.Add((from, to));
            }

            return pieces;
        }

        /// <summary>The path and query of the call for one piece: start and end as Unix seconds, the rest as given.</summary>
        public string PathFor(DateTimeOffset start, DateTimeOffset end)
        {
            var query = new List<string>
            {
                "start=" + start.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
                "end=" + end.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
            };
            if (Models.Count > 0)
            {
                query.Add("model=" + string.Join(",", Models.Select(Uri.EscapeDataString)));
            }

            query.Add("group_by=" + GroupByText(GroupBy));
            if (TimeZone != null)
            {
                query.Add("tz=" + Uri.EscapeDataString(TimeZone));
            }

            query.Add("scope=" + (Account ? "account" : "key"));
            return Path + "?" + string.Join("&", query);
        }

        private static string GroupByText(UsageGrouping grouping) => grouping switch
        {
            UsageGrouping.Model => "model",
            UsageGrouping.Date => "date",
            UsageGrouping.ModelDate => "model,date",
            _ => "none",
        };
    }
}
