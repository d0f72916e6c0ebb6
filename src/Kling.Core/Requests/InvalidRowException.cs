using System;
using System.Collections.Generic;
using System.Linq;
using Kling.Core.Catalog;

namespace Kling.Core.Requests
{
    /// <summary>A row that breaks the API's rules; raised before anything is sent.</summary>
    public sealed class InvalidRowException : ArgumentException
    {
        public InvalidRowException(int row, string? name, IReadOnlyList<ValidationProblem> problems, string? model = null)
            : base(Describe(row, name, problems, model), problems.Count > 0 ? problems[0].Field : null)
        {
            Row = row;
            Name = name;
            Problems = problems;
            Model = model;
        }

        public int Row { get; }

        public string? Name { get; }

        public IReadOnlyList<ValidationProblem> Problems { get; }

        /// <summary>The row's model, named in the message when no problem names it already.</summary>
        public string? Model { get; }

        public IEnumerable<string> Fields => Problems.Select(p => p.Field).Distinct();

        public override string Message => Describe(Row, Name, Problems, Model);

        private static string Describe(int row, string? name, IReadOnlyList<ValidationProblem> problems, string? model)
        {
            string label = RowLabel.Of(row, name);
            string details = string.Join(" ", problems.Select(p => $"Field '{p.Field}' {p.Message}"));
            bool named = model == null || problems.Any(p => p.Message.IndexOf(model, StringComparison.OrdinalIgnoreCase) >= 0);
            return named ? $"{label} was not submitted: {details}" : $"{label} ({model}) was not submitted: {details}";
        }
    }
}
