namespace Kling.Core.Requests
{
    /// <summary>
    /// The one reader of a yes/no cell, for every yes/no field of a row (-Audio, -Watermark, -KeepOriginalSound, and
    /// -MultiShot's cell, which the cmdlet reads through SwitchCellAttribute): yes, true and 1 are yes; no, false and 0
    /// are no; in any case, around any spaces. Anything else is neither: the row's error, naming the field.
    /// </summary>
    public static class YesNo
    {
        /// <summary>The words read, as a row's error lists them.</summary>
        public const string Words = "yes, no, true, false, 1, 0";

        /// <summary>True for yes/true/1, false for no/false/0 (in any case, trimmed); null for anything else, a blank text too.</summary>
        public static bool? Read(string? text)
        {
            switch (text?.Trim().ToLowerInvariant())
            {
                case "yes":
                case "true":
                case "1":
                    return true;
                case "no":
                case "false":
                case "0":
                    return false;
                default:
                    return null;
            }
        }
    }
}
