using System;
using System.Collections.Generic;
using System.Linq;

namespace Kling.Core.Requests
{
    /// <summary>A row that breaks the API's rules; raised before anything is sent.</summary>
    public sealed class InvalidRowException : ArgumentException
    {
        public InvalidRowException(int row, string? name, IReadOnlyList<ValidationProblem> problems)
            : base(Describe(row, name, problems), problems.Count > 0 ? problems[0].Field : null)
        {
            Row = row;
            Name = name;
            Problems = problems;
        }

        public int Row { get; }

        public string? Name { get; }

        public IReadOnlyList<ValidationProblem> Problems { get; }

        public IEnumerable<string> Fields => Problems.Select(p => p.Field).Distinct();

        public override string Message => Describe(Row, Name, Problems);

        private static string Describe(int row, string? name, IReadOnlyList<ValidationProblem> problems)
        {
            string label = RowLabel.Of(row, name);
            string details = string.Join(" ", problems.Select(p => $"Field '{p.Field}' {p.Message}"));
            return $"{label} was not submitted: {details}";
        }
    }
}
