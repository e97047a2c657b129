using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using NfDtls.Desktop.Dtls;
using NfDtls.Dtls;
using NfDtls.Dtls.KeyExchange;
using NfDtls.Pki;
using NfDtls.Tests.Provisioning;
using Xunit;

namespace NfDtls.Tests.Dtls;

/// <summary>A UDP relay between a client and a server that passes or drops each datagram as told (issue 16, finding 5).</summary>
public sealed class UdpRelay : IDisposable
{
    private readonly UdpClient _front = new(new IPEndPoint(IPAddress.Loopback, 0));
    private readonly UdpClient _back = new(new IPEndPoint(IPAddress.Loopback, 0));
    private readonly Func<bool, int, bool> _pass;
    private IPEndPoint? _client;
    private int _toServer;
    private int _toClient;

    /// <param name="pass">(towards the server?, index of the datagram in that direction) → deliver it?</param>
    public UdpRelay(IPEndPoint server, Func<bool, int, bool> pass)
    {
        _pass = pass;
        _back.Connect(server);
        new Thread(() => Run(true)) { IsBackground = true }.Start();
        new Thread(() => Run(false)) { IsBackground = true }.Start();
    }

    public IPEndPoint Address => (IPEndPoint)_front.Client.LocalEndPoint!;

    private void Run(bool towardsServer)
    {
        try
        {
            while (true)
            {
                IPEndPoint? from = null;
                byte[] d = (towardsServer ? _front : _back).Receive(ref from);
                if (towardsServer)
                {
                    _client = from;
                    if (_pass(true, _toServer++))
                    {
                        _back.Send(d, d.Length);
                    }
                }
                else if (_pass(false, _toClient++) && _client != null)
                {
                    _front.Send(d, d.Length, _client);
                }
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }
    }

    public void Dispose()
    {
        _front.Dispose();
        _back.Dispose();
    }
}

/// <summary>
/// What `nfdtls dtls-client` says when a handshake stops after its Finished: "wrong PSK?" only for a PSK handshake whose
/// server kept answering but never accepted the Finished, never for ECDHE and never when the link simply went quiet.
/// </summary>
public class HandshakeDiagnosisCommandTests
{
    private const string KeyHex = "00112233445566778899aabbccddeeff";

    private static DtlsUdpServer PskServer()
    {
        var keys = new PskTable(1);
        keys.Add("dev"u8.ToArray(), Convert.FromHexString(KeyHex));
        var server = new DtlsUdpServer(new IPEndPoint(IPAddress.Loopback, 0), keys);
        server.Start();
        return server;
    }

    private static string Connect(IPEndPoint relay) => "127.0.0.1:" + relay.Port;

    [Fact]
    public void ALinkThatGoesQuietAfterTheServerHelloIsATimeoutNotAWrongKey()
    {
        using var server = PskServer();
        // HelloVerifyRequest and flight 4 reach the client, the client's two hellos reach the server; then nothing.
        using var relay = new UdpRelay(server.LocalEndPoint, (toServer, i) => i < 2);
        var (code, _, err) = ProvisionCommandTests.Nfdtls("dtls-client", "--connect", Connect(relay.Address), "--psk-identity", "dev",
                                                          "--psk-key", KeyHex, "--send", "x", "--timeout", "3");
        Assert.DoesNotContain("wrong PSK", err);
        Assert.True(code == 4, "exit " + code + ": " + err);
        Assert.Contains("timed out", err);
    }

    [Fact]
    public void AnEcdheServerThatNeverAcceptsOurFlightIsNotBlamedOnAPsk()
    {
        using ECDsa serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        byte[] d = serverKey.ExportParameters(true).D!;
        byte[] scalar = new byte[32];
        d.CopyTo(scalar, 32 - d.Length);
        string pub = Path.GetTempFileName();
        File.WriteAllText(pub, serverKey.ExportSubjectPublicKeyInfoPem());
        try
        {
            DtlsConfig config = DtlsUdpClient.DefaultConfig();
            config.CipherSuites = new[] { CipherSuite.TlsEcdheEcdsaWithAes128Ccm8 };
            config.Ecdhe = new EcdheCredentials { RawPublicKeys = true, PrivateKey = scalar, TrustedKeys = new RpkAllowList(1) };
            using var server = new DtlsUdpServer(new IPEndPoint(IPAddress.Loopback, 0), new PskTable(1), config);
            server.Start();
            // Everything reaches the client; nothing after its two hellos reaches the server, which keeps repeating
            // flight 4 (as a server that silently refuses the client's flight would).
            using var relay = new UdpRelay(server.LocalEndPoint, (toServer, i) => !toServer || i < 2);
            var (code, _, err) = ProvisionCommandTests.Nfdtls("dtls-client", "--connect", Connect(relay.Address), "--rpk", "--trust-key", pub,
                                                              "--send", "x", "--timeout", "4");
            Assert.DoesNotContain("wrong PSK", err);
            Assert.True(code == 3 || code == 4, "exit " + code + ": " + err);
        }
        finally
        {
            File.Delete(pub);
        }
    }

    [Fact]
    public void AWrongPskAgainstOurServerIsStillDiagnosed()
    {
        using var server = PskServer();
        var (code, _, err) = ProvisionCommandTests.Nfdtls("dtls-client", "--connect", "127.0.0.1:" + server.LocalEndPoint.Port, "--psk-identity", "dev",
                                                          "--psk-key", "ffeeddccbbaa99887766554433221100", "--send", "x", "--timeout", "4");
        Assert.True(code == 3, "exit " + code + ": " + err);
        Assert.Contains("wrong PSK", err);
    }
}
