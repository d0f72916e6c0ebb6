namespace Kling.Core.Catalog
{
    /// <summary>A rule of the API broken by one field of one row.</summary>
    public sealed class ValidationProblem
    {
        public ValidationProblem(string field, string message)
        {
            Field = field;
            Message = message;
        }

        /// <summary>The API's name of the field (prompt, mode, image_urls, ...).</summary>
        public string Field { get; }

        public string Message { get; }

        public override string ToString() => $"{Field}: {Message}";
    }
}
