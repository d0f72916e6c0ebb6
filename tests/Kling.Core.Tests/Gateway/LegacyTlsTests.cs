using System.Net;
using Kling.Core;
using Kling.Core.Gateway;
using Xunit;

namespace Kling.Core.Tests
{
    public class LegacyTlsTests
    {
        [Fact]
        public void AddsTls12ToWindowsPowerShellsExplicitOldList()
        {
            SecurityProtocolType old = SecurityProtocolType.Ssl3 | SecurityProtocolType.Tls;
            Assert.Equal(old | SecurityProtocolType.Tls12, LegacyTls.WithTls12(old));
        }

        [Fact]
        public void LeavesTheSystemDefaultToTheOperatingSystem()
        {
            Assert.Equal((SecurityProtocolType)0, LegacyTls.WithTls12(SecurityProtocolType.SystemDefault));
        }

        [Fact]
        public void KeepsTheCallersOtherProtocols()
        {
            SecurityProtocolType chosen = SecurityProtocolType.Tls12 | SecurityProtocolType.Tls13;
            Assert.Equal(chosen, LegacyTls.WithTls12(chosen));
        }
    }
}
