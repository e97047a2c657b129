using System.Text;
using NfDtls.Dtls;
using NfDtls.Dtls.KeyExchange;
using NfDtls.Fuzz.Harness;
using NfDtls.Net;
using NfDtls.Pki;

namespace NfDtls.Fuzz.Dtls;

/// <summary>
/// The engine configuration a DTLS input asks for in its first byte, so one target covers every mode:
/// bits 0-1 suites (0 PSK, 1 ECDHE-ECDSA with X.509, 2 ECDHE-ECDSA with raw public keys, 3 both PSK and X.509);
/// bit 2 RFC 9146 Connection IDs (8 bytes); bit 3 server: a PSK identity hint, client: no client certificate;
/// bit 4 server: client certificate required, client: the server name (localhost) checked; bit 5 small buffers
/// (256-byte datagrams, 512-byte handshake buffer: fragmentation and streaming); bit 6 session resumption (server: a
/// session cache of 4 and RFC 5077 tickets, so ClientHellos' session IDs and tickets are looked up and opened; client:
/// asks for tickets, so ServerHello's SessionTicket and NewSessionTicket are parsed). Bit 7 is ignored.
/// </summary>
public static class DtlsSetup
{
    public static readonly byte[] Identity = Encoding.ASCII.GetBytes("device-1");
    public static readonly byte[] Key = Convert.FromHexString("00112233445566778899aabbccddeeff");
    public const string KeyHex = "00112233445566778899aabbccddeeff";
    public const long StartMs = 1_000_000;

    /// <summary>The server's address as the client harness sees it.</summary>
    public static readonly PeerAddress ServerAddress = PeerAddress.FromIPv4(127, 0, 0, 1, 5684);

    /// <summary>The client addresses the server harness sees (datagram control bits 0-1 choose one).</summary>
    public static readonly PeerAddress[] ClientAddresses =
    {
        PeerAddress.FromIPv4(127, 0, 0, 1, 40000), PeerAddress.FromIPv4(127, 0, 0, 1, 40001),
        PeerAddress.FromIPv4(127, 0, 0, 1, 40002), PeerAddress.FromIPv4(127, 0, 0, 2, 40000),
    };

    public static DtlsConfig Config(int setup, bool server)
    {
        FuzzPki pki = FuzzPki.Instance;
        var c = new DtlsConfig
        {
            Crypto = FuzzCrypto.Instance,
            Random = FixedEntropy.Drbg(server ? 1u : 2u),
            InitialRetransmitMs = 1000,
            MaxRetransmissions = 3,
            SessionCapacity = 3,
            HandshakeBufferSize = 4096,
            FlightBufferSize = 4096,
        };
        if (FuzzTarget.Verbose)
        {
            c.Log = new StderrLog(server ? "server: " : "client: ");
        }
        int suites = setup & 3;
        c.CipherSuites = suites switch
        {
            0 => new[] { CipherSuite.TlsPskWithAes128Ccm8 },
            3 => new[] { CipherSuite.TlsEcdheEcdsaWithAes128Ccm8, CipherSuite.TlsPskWithAes128Ccm8 },
            _ => new[] { CipherSuite.TlsEcdheEcdsaWithAes128Ccm8 },
        };
        if ((setup & 4) != 0)
        {
            c.ConnectionIdLength = 8;
        }
        if ((setup & 0x20) != 0)
        {
            c.MaxDatagramSize = 256;
            c.HandshakeBufferSize = 512;
            c.MaxRecordPlaintext = 128;
        }
        if ((setup & 0x40) != 0)
        {
            c.SessionTickets = true;
            c.SessionCacheSize = server ? 4 : 0;
        }
        if (server && (setup & 8) != 0)
        {
            c.PskIdentityHint = Encoding.ASCII.GetBytes("nf-dtls-hint");
        }
        if (suites != 0)
        {
            var trusted = new RpkAllowList(2);
            byte[] peerSpki = server ? pki.ClientSpki : pki.ServerSpki;
            FuzzFailure.Check(trusted.AddSpki(peerSpki, 0, peerSpki.Length), "the peer key loads");
            bool noClientCertificate = !server && (setup & 8) != 0;
            c.Ecdhe = new EcdheCredentials
            {
                PrivateKey = noClientCertificate ? null : server ? pki.ServerKey : pki.ClientKey,
                CertificateChain = noClientCertificate ? null : new[] { server ? pki.ServerCertificate : pki.ClientCertificate },
                RawPublicKeys = suites == 2,
                TrustAnchors = pki.Anchors(),
                TrustedKeys = trusted,
                Clock = FuzzPki.FixedClock.Instance,
                RequestClientCertificate = server,
                RequireClientCertificate = server && (setup & 0x10) != 0,
                ExpectedServerName = !server && (setup & 0x10) != 0 ? Encoding.ASCII.GetBytes("localhost") : null,
            };
        }
        c.Validate();
        return c;
    }
}
