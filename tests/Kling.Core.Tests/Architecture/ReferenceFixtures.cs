using System.ComponentModel;
using System.Text;
using Kling.Core.Gateway;

namespace Kling.Core.Tests.Architecture;

// What TypeReferenceReader must find where a signature does not show it (WingDependencyTests reads these back).

/// <summary>Names StringBuilder and RetryPolicy only inside an async method's body.</summary>
internal sealed class BodyOnlyFixture
{
    public async Task<int> LengthAsync(string text)
    {
        await Task.Yield();
        var builder = new StringBuilder(text);
        return builder.Length + new RetryPolicy().GetHashCode() * 0;
    }
}

/// <summary>Names UriBuilder only inside a lambda.</summary>
internal sealed class LambdaOnlyFixture
{
    public Func<string, object> Make() => host => new UriBuilder("http", host);
}

/// <summary>Names StringConverter only as an attribute's typeof argument.</summary>
[TypeConverter(typeof(StringConverter))]
internal sealed class AttributeOnlyFixture
{
}
