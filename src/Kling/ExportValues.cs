using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Reflection;
using Kling.Core;

namespace Kling.Commands
{
    /// <summary>
    /// How a task's times and lists reach Export-Csv and ConvertTo-Json, in Windows PowerShell 5.1 and PowerShell 7 alike
    /// (Kling.types.ps1xml names these getters). Export-Csv writes a property's <c>ToString()</c>: an array would be
    /// <c>System.String[]</c> and a time would follow the culture. So each value is handed out wrapped, still itself for
    /// PowerShell (a DateTimeOffset that compares and formats, an array that indexes and enumerates, and what
    /// ConvertTo-Json writes as an ISO time or an array), with a <c>ToString</c> of its own: a time in the round-trip
    /// ISO 8601 form (<c>o</c>), a list joined with <c>"; "</c>. The core stays free of PowerShell types. PowerShell lists
    /// these members before the class's own, so the leading columns (TaskId, Name, Status) are declared here too.
    /// </summary>
    public static class ExportValues
    {
        /// <summary>What joins the items of a list in its text (Export-Csv's one column).</summary>
        public const string ListSeparator = "; ";

        private static readonly MethodInfo TimeTextMethod = typeof(ExportValues).GetMethod(nameof(TimeText))!;
        private static readonly MethodInfo ListTextMethod = typeof(ExportValues).GetMethod(nameof(ListText))!;

        /// <summary>The task id. The first columns are declared beside the times so that Export-Csv still begins with them.</summary>
        public static string TaskId(PSObject task) => Task(task).TaskId;

        /// <summary>The task's name (the -Name column).</summary>
        public static string? Name(PSObject task) => Task(task).Name;

        /// <summary>Sets the task's name.</summary>
        public static void SetName(PSObject task, string? value) => Task(task).Name = value;

        /// <summary>The gateway's status string.</summary>
        public static string Status(PSObject task) => Task(task).Status;

        /// <summary>Sets the status string.</summary>
        public static void SetStatus(PSObject task, string value) => Task(task).Status = value;

        /// <summary>The task's result URLs, a list whose text is the URLs joined.</summary>
        public static object VideoUrl(PSObject task) => List(Task(task).VideoUrl);

        /// <summary>Sets the result URLs.</summary>
        public static void SetVideoUrl(PSObject task, object? value) =>
            Task(task).VideoUrl = value == null ? Array.Empty<string>() : LanguagePrimitives.ConvertTo<string[]>(value);

        /// <summary>When the result links stop working, as a time whose text is ISO 8601.</summary>
        public static object? ExpiresAt(PSObject task) => Time(Task(task).ExpiresAt);

        /// <summary>Sets when the result links stop working.</summary>
        public static void SetExpiresAt(PSObject task, object? value) => Task(task).ExpiresAt = TimeOf(value);

        /// <summary>When the gateway created the task, as a time whose text is ISO 8601.</summary>
        public static object? Created(PSObject task) => Time(Task(task).Created);

        /// <summary>Sets when the gateway created the task.</summary>
        public static void SetCreated(PSObject task, object? value) => Task(task).Created = TimeOf(value);

        /// <summary>When the task finished, as a time whose text is ISO 8601.</summary>
        public static object? Completed(PSObject task) => Time(Task(task).Completed);

        /// <summary>Sets when the task finished.</summary>
        public static void SetCompleted(PSObject task, object? value) => Task(task).Completed = TimeOf(value);

        /// <summary>When this module submitted the task, as a time whose text is ISO 8601.</summary>
        public static object? SubmittedAt(PSObject task) => Time(Task(task).SubmittedAt);

        /// <summary>Sets when the task was submitted.</summary>
        public static void SetSubmittedAt(PSObject task, object? value) => Task(task).SubmittedAt = TimeOf(value);

        /// <summary>When the task's status was last read, as a time whose text is ISO 8601.</summary>
        public static object? LastChecked(PSObject task) => Time(Task(task).LastChecked);

        /// <summary>Sets when the status was last read.</summary>
        public static void SetLastChecked(PSObject task, object? value) => Task(task).LastChecked = TimeOf(value);

        /// <summary>
        /// A wrapped time's <c>ToString</c>: with no arguments, the round-trip ISO 8601 form; with a format or a format
        /// provider, what DateTimeOffset's own overload gives (so <c>$t.Created.ToString('yyyy-MM-dd')</c> still works).
        /// </summary>
        /// <param name="time">The wrapped time.</param>
        /// <param name="args">Nothing, a format, a format provider, or a format and a provider.</param>
        public static string TimeText(PSObject time, params object[] args)
        {
            var value = (DateTimeOffset)time.BaseObject;
            object?[] given = (args ?? Array.Empty<object>()).Select(a => a is PSObject p ? p.BaseObject : a).ToArray();
            if (given.Length == 0)
            {
                return value.ToString("o", CultureInfo.InvariantCulture);
            }

            if (given[0] is IFormatProvider provider)
            {
                return value.ToString(provider);
            }

            return value.ToString(given[0] as string, given.Length > 1 ? given[1] as IFormatProvider : null);
        }

        /// <summary>A wrapped list's <c>ToString</c>: its items joined with <see cref="ListSeparator"/>.</summary>
        /// <param name="list">The wrapped list.</param>
        public static string ListText(PSObject list) => string.Join(ListSeparator, (string[])list.BaseObject);

        /// <summary>A time for the pipeline: itself, with ISO 8601 as its text; null stays null.</summary>
        /// <param name="value">The time, or null.</param>
        internal static PSObject? Time(DateTimeOffset? value) => value.HasValue ? Shaped(value.Value, TimeTextMethod) : null;

        /// <summary>A list of text for the pipeline: an array (a copy), with its items joined as its text.</summary>
        /// <param name="items">The items.</param>
        internal static PSObject List(IEnumerable<string> items) => Shaped(items.ToArray(), ListTextMethod);

        private static PSObject Shaped(object value, MethodInfo text)
        {
            var shaped = new PSObject(value);
            if (shaped.Members["ToString"] is not PSCodeMethod)
            {
                shaped.Members.Add(new PSCodeMethod("ToString", text));
            }

            return shaped;
        }

        private static KlingTask Task(PSObject task) => (KlingTask)task.BaseObject;

        private static DateTimeOffset? TimeOf(object? value) => value == null ? (DateTimeOffset?)null : LanguagePrimitives.ConvertTo<DateTimeOffset>(value);
    }
}
