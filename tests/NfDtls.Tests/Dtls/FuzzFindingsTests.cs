using NfDtls.Dtls;
using Xunit;

namespace NfDtls.Tests.Dtls;

/// <summary>
/// DTLS findings of the coverage-guided fuzzing work (tests/NfDtls.Fuzz), each test failed on the code the fuzzing ran
/// against.
/// </summary>
public class FuzzFindingsTests
{
    /// <summary>
    /// Found while generating seeds (our client against our server, setup 0x22: raw public keys, 128-byte record
    /// plaintext): the client cuts handshake messages into fragments of MaxRecordPlaintext - 12 bytes
    /// (then DtlsSession.SendFlight), so a ClientHello with its cookie longer than that goes out in two records; the server
    /// serves only a hello that is whole in one record (DtlsServer.ReceiveClientHello) and drops it. A client whose
    /// application records are small (a legal configuration, MaxRecordPlaintext ≥ 64) never connects, not even to our
    /// own server, although its ClientHello fits its datagrams many times over.
    /// </summary>
    [Fact]
    public void AClientWithSmallApplicationRecordsStillConnects()
    {
        var rig = new DtlsRig();
        var events = new RecordingEvents();
        var client = new DtlsClient(DtlsRig.Config(2, c => c.MaxRecordPlaintext = 64), rig.ToServer, DtlsRig.ServerAddress,
            DtlsRig.Identity, DtlsRig.Key, events);
        client.Connect(rig.Now);
        rig.Pump(client, 20);
        Assert.True(client.IsConnected, "client: " + client.Session.HandshakeStep + " " + client.Session.Failure);
    }
}
