using System;
using System.Collections.Generic;
using System.Linq;

namespace Kling.Core.Catalog
{
    /// <summary>
    /// The Kling models the module knows, as data (our reading of MODELS.md; the emulator keeps its own). A model not
    /// listed here is still sent, with the generic checks only.
    /// </summary>
    public static class ModelCatalog
    {
        // CONTRACT STUB: the catalog helper fills in all seven entries.
        public static IReadOnlyList<ModelSpec> All { get; } = new List<ModelSpec>
        {
            new ModelSpec { Name = "kling-video-o1" },
        };

        /// <summary>The entry for a model name (case-insensitive), or null for a model the module does not know.</summary>
        public static ModelSpec? Find(string? name) =>
            name == null ? null : All.FirstOrDefault(m => string.Equals(m.Name, name.Trim(), StringComparison.OrdinalIgnoreCase));
    }
}
