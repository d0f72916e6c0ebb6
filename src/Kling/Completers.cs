using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using Kling.Core;
using Kling.Core.Requests;

namespace Kling.Commands
{
    /// <summary>Completes a parameter from a fixed list of the API's values (used instead of ValidateSet so an empty CSV cell still binds).</summary>
    public abstract class FixedValuesCompleter : IArgumentCompleter
    {
        private readonly string[] values;

        protected FixedValuesCompleter(string[] values)
        {
            this.values = values;
        }

        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            string prefix = (wordToComplete ?? string.Empty).Trim('\'', '"');
            return values
                .Where(v => v.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                .Select(v => new CompletionResult(v.IndexOf(':') >= 0 ? "'" + v + "'" : v, v, CompletionResultType.ParameterValue, v));
        }
    }

    public sealed class ModeCompleter : FixedValuesCompleter
    {
        public ModeCompleter() : base(VideoRequestValidator.Modes) { }
    }

    public sealed class DurationCompleter : FixedValuesCompleter
    {
        public DurationCompleter() : base(VideoRequestValidator.Durations) { }
    }

    public sealed class AspectRatioCompleter : FixedValuesCompleter
    {
        public AspectRatioCompleter() : base(VideoRequestValidator.AspectRatios) { }
    }

    public sealed class ReferTypeCompleter : FixedValuesCompleter
    {
        public ReferTypeCompleter() : base(VideoRequestValidator.ReferTypes) { }
    }

    public sealed class YesNoCompleter : FixedValuesCompleter
    {
        public YesNoCompleter() : base(new[] { "yes", "no" }) { }
    }

    /// <summary>-Model: the catalog's names.</summary>
    public sealed class ModelCompleter : FixedValuesCompleter
    {
        public ModelCompleter() : base(Kling.Core.Catalog.ModelCatalog.All.Select(m => m.Name).ToArray()) { }
    }

    public sealed class ResolutionCompleter : FixedValuesCompleter
    {
        public ResolutionCompleter() : base(new[] { "720p", "1080p" }) { }
    }

    public sealed class CharacterOrientationCompleter : FixedValuesCompleter
    {
        public CharacterOrientationCompleter() : base(new[] { "image", "video" }) { }
    }

    /// <summary>Completes -TaskId from the tasks this session has submitted or looked up, newest first.</summary>
    public sealed class TaskIdCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            string prefix = (wordToComplete ?? string.Empty).Trim('\'', '"');
            return RecentTasks.Ids
                .Where(id => id.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                .Select(id => new CompletionResult(id, id, CompletionResultType.ParameterValue, id));
        }
    }

    /// <summary>The last task ids seen in this process, for completion.</summary>
    internal static class RecentTasks
    {
        private const int Capacity = 200;
        private static readonly LinkedList<string> Recent = new LinkedList<string>();

        internal static IReadOnlyList<string> Ids
        {
            get
            {
                lock (Recent)
                {
                    return Recent.ToList();
                }
            }
        }

        internal static void Remember(string taskId)
        {
            lock (Recent)
            {
                Recent.Remove(taskId);
                Recent.AddFirst(taskId);
                while (Recent.Count > Capacity)
                {
                    Recent.RemoveLast();
                }
            }
        }
    }
}
