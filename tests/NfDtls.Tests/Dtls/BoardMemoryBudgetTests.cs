using NfDtls.BoardHeap;
using NfDtls.Crypto;
using NfDtls.Dtls;
using NfDtls.Dtls.KeyExchange;
using NfDtls.Pki;
using Xunit;

namespace NfDtls.Tests.Dtls;

/// <summary>
/// The DTLS server's memory as a board counts it (tools/NfDtls.BoardHeap: nanoCLR 32-bit, 12 bytes per object and per
/// field, packed arrays), held to the goals of issue 12: an established session ≤ 1,024 B, a fixed part (with the pool
/// of 2 handshakes) ≤ 12 KB for PSK and ≤ 20 KB with ECDHE-ECDSA. Memory is deterministic, so these are budgets.
/// </summary>
public class BoardMemoryBudgetTests
{
    private sealed class FixedEntropy : IEntropySource
    {
        public void GetEntropy(byte[] buffer, int offset, int count) => Array.Fill(buffer, (byte)7, offset, count);
    }

    private static readonly IRandom Random = new HmacDrbg(new FixedEntropy());
    private static readonly QueueSink Sink = new();
    private static readonly RecordingEvents Events = new();

    private static DtlsConfig Config(int sessions, EcdheCredentials? ecdhe) => new()
    {
        Crypto = PortableCryptoProvider.Instance,
        Random = Random,
        SessionCapacity = sessions,
        CipherSuites = ecdhe == null
            ? new[] { CipherSuite.TlsPskWithAes128Ccm8 }
            : new[] { CipherSuite.TlsPskWithAes128Ccm8, CipherSuite.TlsEcdheEcdsaWithAes128Ccm8 },
        Ecdhe = ecdhe,
    };

    private static long Server(DtlsConfig c)
    {
        var keys = new PskTable(1);
        return BoardHeapModel.Measure(() => new DtlsServer(c, Sink, keys, Events), c, Sink, keys, Events, Random, c.Ecdhe).Total;
    }

    /// <summary>(per session, fixed part) from SessionCapacity 2 and 10, as the memory bench prints them.</summary>
    private static (long PerSession, long Fixed) Figures(EcdheCredentials? ecdhe)
    {
        long two = Server(Config(2, ecdhe));
        long ten = Server(Config(10, ecdhe));
        long perSession = (ten - two) / 8;
        return (perSession, two - 2 * perSession);
    }

    [Fact]
    public void AnEstablishedServerSessionFitsItsKilobyte()
    {
        var (psk, pskFixed) = Figures(null);
        // Record state only: keys, sequence numbers, replay window, address, identity, final-flight data, index slots.
        // Goal 1,024; today 540, held within ~7% of it.
        Assert.InRange(psk, 256, 576);
        var rpk = new EcdheCredentials
        {
            PrivateKey = EcdheHandshakeTests.ServerKey, RawPublicKeys = true, TrustedKeys = new RpkAllowList(1),
            RequestClientCertificate = true,
        };
        var (ecdhe, ecdheFixed) = Figures(rpk);
        Assert.Equal(psk, ecdhe); // a certificate suite adds nothing per session: its state is in the pooled handshakes
        // The goals for the fixed part with the default pool of 2 handshakes (issue 12): 12 KB PSK, 20 KB ECDHE.
        Assert.True(pskFixed <= 12_288, "PSK server fixed part " + pskFixed);
        Assert.True(ecdheFixed <= 20_480, "PSK + ECDHE (raw public keys) server fixed part " + ecdheFixed);
    }

    [Fact]
    public void AnX509ServerHoldsItsFixedPartAndSessions()
    {
        // The gateway's kind: a chain presented, client certificates required and verified. The goal is 20 KB: met by
        // lending chain verifiers from a pool of ConcurrentCertificateChains (default 1) only while a Certificate is read,
        // instead of one per pooled handshake, with lean SHA-256 states (no peeking) in the parser and HMAC, a 96-byte
        // capture where no DNS name is expected and only the end entity's key kept. Today 20,292, held to the goal
        // (~1% above today), and per session as for PSK.
        var x509 = EcdheHandshakeTests.X509Server(requireClient: true);
        var (perSession, fixedPart) = Figures(x509);
        var (psk, _) = Figures(null);
        Assert.Equal(psk, perSession);
        Assert.InRange(fixedPart, 18_432, 20_480);
    }
}
