using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using Kling.Core.Wire;
using Kling.Core;
using Kling.Core.Catalog;
using Kling.Core.Gateway;

namespace Kling.Commands
{
    /// <summary>Completes a parameter from a fixed list (used instead of ValidateSet so an empty CSV cell still binds).</summary>
    public abstract class FixedValuesCompleter : IArgumentCompleter
    {
        private readonly string[] values;

        protected FixedValuesCompleter(string[] values)
        {
            this.values = values;
        }

        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
            Matching(values, wordToComplete);

        /// <summary>The values that start with the word typed so far; a value with a colon (16:9) is quoted.</summary>
        internal static IEnumerable<CompletionResult> Matching(IEnumerable<string> values, string? wordToComplete)
        {
            string prefix = (wordToComplete ?? string.Empty).Trim('\'', '"');
            return values
                .Where(v => v.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                .Select(v => new CompletionResult(v.IndexOf(':') >= 0 ? "'" + v + "'" : v, v, CompletionResultType.ParameterValue, v));
        }
    }

    /// <summary>
    /// Completes from the catalog entry of the -Model already on the command line (fakeBoundParameters), so -Mode,
    /// -Duration, -Resolution and the rest offer what that model takes; with no -Model, or one the catalog does not know,
    /// the default model's values, or every model's where the default model takes none (-Resolution,
    /// -CharacterOrientation). The catalog is the only list: no completer writes values of its own.
    /// </summary>
    public abstract class ModelValuesCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
            FixedValuesCompleter.Matching(Offered(fakeBoundParameters), wordToComplete);

        /// <summary>What the completer offers with these parameters bound.</summary>
        internal IReadOnlyList<string> Offered(IDictionary? fakeBoundParameters)
        {
            ModelSpec? bound = BoundModel(fakeBoundParameters);
            if (bound != null)
            {
                return ValuesOf(bound).ToList();
            }

            List<string> byDefault = ValuesOf(ModelCatalog.Default).ToList();
            return byDefault.Count > 0 ? byDefault : Every();
        }

        /// <summary>Every value some model of the catalog takes, in catalog order (what <see cref="ValidateCatalogValueAttribute"/> lets bind).</summary>
        internal IReadOnlyList<string> Every() =>
            ModelCatalog.All.SelectMany(ValuesOf).Distinct(StringComparer.OrdinalIgnoreCase).ToList();

        protected abstract IEnumerable<string> ValuesOf(ModelSpec model);

        /// <summary>The bound -Model's entry; null with no -Model or one the catalog does not know.</summary>
        internal static ModelSpec? BoundModel(IDictionary? fakeBoundParameters)
        {
            object? bound = fakeBoundParameters != null && fakeBoundParameters.Contains("Model") ? fakeBoundParameters["Model"] : null;
            if (bound is PSObject wrapped)
            {
                bound = wrapped.BaseObject;
            }

            return ModelCatalog.Find(bound as string);
        }
    }

    public sealed class ModeCompleter : ModelValuesCompleter
    {
        protected override IEnumerable<string> ValuesOf(ModelSpec model) => model.Modes;
    }

    public sealed class DurationCompleter : ModelValuesCompleter
    {
        protected override IEnumerable<string> ValuesOf(ModelSpec model) =>
            model.Durations.Select(d => d.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>Empty for motion control: its length and shape follow the reference video.</summary>
    public sealed class AspectRatioCompleter : ModelValuesCompleter
    {
        protected override IEnumerable<string> ValuesOf(ModelSpec model) => model.AspectRatios;
    }

    /// <summary>-ReferType: how a video_list model uses its reference video (base, feature).</summary>
    public sealed class ReferTypeCompleter : ModelValuesCompleter
    {
        protected override IEnumerable<string> ValuesOf(ModelSpec model) => model.ReferTypes;
    }

    /// <summary>-Resolution: kling-3.0-turbo's (720p, 1080p).</summary>
    public sealed class ResolutionCompleter : ModelValuesCompleter
    {
        protected override IEnumerable<string> ValuesOf(ModelSpec model) => model.Resolutions;
    }

    /// <summary>-CharacterOrientation: motion control's (image, video).</summary>
    public sealed class CharacterOrientationCompleter : ModelValuesCompleter
    {
        protected override IEnumerable<string> ValuesOf(ModelSpec model) => model.CharacterOrientations;
    }

    public sealed class YesNoCompleter : FixedValuesCompleter
    {
        public YesNoCompleter() : base(new[] { "yes", "no" }) { }
    }

    /// <summary>Connect-Kling -Language: the gateway's languages, as <see cref="GatewaySettings.Languages"/> declares them.</summary>
    public sealed class LanguageCompleter : FixedValuesCompleter
    {
        public LanguageCompleter() : base(GatewaySettings.Languages) { }
    }

    /// <summary>-Model: the catalog's names.</summary>
    public sealed class ModelCompleter : FixedValuesCompleter
    {
        public ModelCompleter() : base(ModelCatalog.All.Select(m => m.Name).ToArray()) { }
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
