using NfDtls.Crypto;
using NfDtls.Dtls;
using Xunit;

namespace NfDtls.Tests.Dtls;

/// <summary>
/// Where a server's memory goes (desktop CLR sizes here; the board figures are in lib/NfDtls.Dtls/Dtls/README.md):
/// an established session holds only its record state, and the handshake buffers belong to the pool, not the sessions.
/// </summary>
public class DtlsMemoryTests
{
    private static long Measure(Func<object> create)
    {
        GC.KeepAlive(create()); // JIT and statics first
        long before = GC.GetAllocatedBytesForCurrentThread();
        object o = create();
        long bytes = GC.GetAllocatedBytesForCurrentThread() - before;
        GC.KeepAlive(o);
        return bytes;
    }

    private static DtlsConfig Config(int capacity, int handshakeBuffer = 1024, int flightBuffer = 512, int pool = 0) => new()
    {
        Crypto = PortableCryptoProvider.Instance,
        Random = new HmacDrbg(new SeededEntropy(1)),
        SessionCapacity = capacity,
        HandshakeBufferSize = handshakeBuffer,
        FlightBufferSize = flightBuffer,
        ConcurrentHandshakes = pool,
    };

    private static long Server(DtlsConfig c) =>
        Measure(() => new DtlsServer(c, new QueueSink(), new PskTable(1), new RecordingEvents()));

    [Fact]
    public void SessionsHoldRecordStateOnlyAndHandshakeBuffersArePooled()
    {
        long one = Server(Config(1));
        long nine = Server(Config(9));
        long perSession = (nine - one) / 8;
        // Keys, sequence numbers, replay window, address, identity (128), final-flight data: a few hundred bytes.
        Assert.True(perSession > 200 && perSession <= 1024, "server bytes per session " + perSession);

        // Smaller handshake buffers shrink the pool (2 handshakes), the same whatever the table size.
        long smallOne = Server(Config(1, 512, 256));
        long smallNine = Server(Config(9, 512, 256));
        long saved = one - smallOne;
        Assert.Equal(saved, nine - smallNine);
        Assert.InRange(saved, 2 * ((1024 - 512) + (512 - 256)), 2 * ((1024 - 512) * 9 / 8 + (512 - 256)) + 64);

        // Each more concurrent handshake costs its buffers and a table slot, not anything per established session.
        long pool4 = Server(Config(9, pool: 4));
        long perHandshake = (pool4 - nine) / 2;
        Assert.InRange(perHandshake, 1024 + 512, 1024 + 512 + 3072);
    }
}
