using Xunit;

namespace NfDtls.Interop.Tests.Peers;

/// <summary>The peers the interop tests need are really there (tests/test.sh installs them): this fails, never skips.</summary>
public class PeerPrograms
{
    [Theory]
    [InlineData("openssl")]
    [InlineData("gnutls-serv")]
    [InlineData("gnutls-cli")]
    [InlineData("coap-client-gnutls")]
    [InlineData("coap-server-gnutls")]
    [InlineData("mosquitto")]
    [InlineData("mosquitto_sub")]
    [InlineData("tshark")]
    public void IsInstalled(string program)
    {
        Assert.True(PeerProcess.Which(program) != null, program + " is missing: run tests/test.sh, which installs it");
    }
}
