using Kling.Core;
using Kling.Core.Gateway;
using Kling.Core.Requests;
using Kling.Core.Tasks;
using Kling.Emulator;
using Xunit;

namespace Kling.Core.Tests;

/// <summary>Counts busy pool threads, so its tests run alone (after the parallel ones).</summary>
[CollectionDefinition(nameof(PoolThreadCounting), DisableParallelization = true)]
public sealed class PoolThreadCounting
{
}
