namespace Kling.Core.Requests
{
    /// <summary>How every per-row message names its row: its number in the input and, when given, its name.</summary>
    public static class RowLabel
    {
        public static string Of(int row, string? name) =>
            string.IsNullOrWhiteSpace(name) ? $"Row {row}" : $"Row {row} ('{name}')";
    }
}
