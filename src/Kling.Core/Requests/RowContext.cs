using System;
using System.Collections.Generic;
using Kling.Core.Catalog;
using Kling.Core.Wire;

namespace Kling.Core.Requests
{
    /// <summary>One row on its way to a request: the input, the model's entry (null for a model the catalog does not know), the request so far and the problems found.</summary>
    internal sealed class RowContext
    {
        internal RowContext(VideoInput input, ModelSpec? spec, VideoRequest request)
        {
            Input = input;
            Spec = spec;
            Request = request;
        }

        internal VideoInput Input { get; }

        /// <summary>Null for a model the catalog does not know: generic checks only, generic field names.</summary>
        internal ModelSpec? Spec { get; }

        internal VideoRequest Request { get; }

        internal List<ValidationProblem> Problems { get; } = new List<ValidationProblem>();

        internal string Model => Request.Model;

        internal void Add(string field, string message) => Problems.Add(new ValidationProblem(field, message));

        /// <summary>
        /// Whether the row's model takes a field; when a known model does not, the row's problem names the model and the
        /// field and says which models do take it. A model the catalog does not know takes every field.
        /// </summary>
        internal bool Takes(string field, Func<ModelSpec, bool> takes, string? why = null)
        {
            if (Spec == null || takes(Spec))
            {
                return true;
            }

            Add(field, $"is not taken by {Spec.Name}{(why == null ? string.Empty : " (" + why + ")")}{CatalogWords.OthersTaking(Spec, takes)}");
            return false;
        }

        /// <summary>
        /// The allowed value a cell names, in the catalog's spelling; for a model the catalog does not know, the cell as given.
        /// Null (and the row's problem naming the model, what it takes and which models take the value) when not allowed.
        /// </summary>
        internal string? OneOf(string field, string value, Func<ModelSpec, IReadOnlyList<string>> allowed)
        {
            if (Spec == null)
            {
                return value;
            }

            string? match = Cells.Match(value, allowed(Spec));
            if (match == null)
            {
                string others = CatalogWords.OthersAllowing(Spec, m => Cells.Match(value, allowed(m)) != null, m => CatalogWords.Alternatives(allowed(m)));
                Add(field, $"'{value}' is not allowed for {Spec.Name} ({CatalogWords.Alternatives(allowed(Spec))}){others}");
            }

            return match;
        }

        /// <summary>A yes/no cell (<see cref="YesNo"/>) as a boolean; null (and the row's problem) for anything else.</summary>
        internal bool? Boolean(string field, string value)
        {
            bool? parsed = YesNo.Read(value);
            if (parsed == null)
            {
                Add(field, $"'{value}' is not one of {YesNo.Words}.");
            }

            return parsed;
        }

        /// <summary>Adds the problem when a text holds a control character; false then.</summary>
        internal bool CheckText(string field, string text)
        {
            string? problem = Cells.ControlCharacterProblem(text);
            if (problem != null)
            {
                Add(field, problem);
            }

            return problem == null;
        }
    }
}
