using System;
using System.Collections.Generic;
using System.Linq;

namespace Kling.Core.Requests
{
    /// <summary>
    /// The keys of one -Element value, read alike from a hashtable or object (the cmdlet's row reader) and from a JSON
    /// cell (<see cref="ElementReader"/>), in any case: its name, its description, and its images under the first of
    /// <see cref="Images"/> it has.
    /// </summary>
    public static class ElementKeys
    {
        /// <summary>The element's name, which the prompt refers to as @name.</summary>
        public const string Name = "Name";

        /// <summary>The element's description.</summary>
        public const string Description = "Description";

        /// <summary>The keys an element's images may come under, the first present one winning.</summary>
        public static IReadOnlyList<string> Images { get; } = new[] { "Images", "Image", "element_input_urls", "ElementInputUrls", "Urls", "Url" };

        /// <summary>The value under the first of <see cref="Images"/> that <paramref name="valueOf"/> finds (non-null); null when none.</summary>
        public static T? FirstImages<T>(Func<string, T?> valueOf)
            where T : class =>
            Images.Select(valueOf).FirstOrDefault(v => v != null);
    }
}
