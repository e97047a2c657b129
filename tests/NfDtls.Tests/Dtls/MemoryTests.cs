using NfDtls.Crypto;
using NfDtls.Dtls;
using Xunit;

namespace NfDtls.Tests.Dtls;

/// <summary>What engines and sessions cost in managed heap (desktop CLR sizes; lib/NfDtls.Dtls/Dtls/README.md quotes these).</summary>
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

    private static DtlsConfig Config(int capacity, int handshakeBuffer = 1536, int flightBuffer = 1536) => new()
    {
        Crypto = PortableCryptoProvider.Instance,
        Random = new HmacDrbg(new SeededEntropy(1)),
        SessionCapacity = capacity,
        HandshakeBufferSize = handshakeBuffer,
        FlightBufferSize = flightBuffer,
    };

    [Fact]
    public void ServerSessionAndClientCostStayWithinTheDocumentedBudget()
    {
        var keys = new PskTable(1);
        var sink = new QueueSink();
        var events = new RecordingEvents();
        DtlsConfig c1 = Config(1), c9 = Config(9), small = Config(9, 512, 256), cc = Config(1);
        long one = Measure(() => new DtlsServer(c1, sink, keys, events));
        long nine = Measure(() => new DtlsServer(c9, sink, keys, events));
        long perSession = (nine - one) / 8;
        long fixedCost = one - perSession;
        long client = Measure(() => new DtlsClient(cc, sink, DtlsRig.ServerAddress, DtlsRig.Identity, DtlsRig.Key, events));
        // README numbers (defaults): ~6.4 KB per server session, ~6.5 KB fixed, ~11.4 KB for a client.
        Assert.True(perSession > 3072 && perSession <= 6656, "server bytes per session " + perSession);
        Assert.True(fixedCost <= 7168, "server fixed cost " + fixedCost);
        Assert.True(client <= 12288, "client total " + client);
        // The two per-session buffers shrink a session byte for byte (plus the reassembly bitmap, 1/8).
        long smallNine = Measure(() => new DtlsServer(small, sink, keys, events));
        long saved = (nine - smallNine) / 9;
        Assert.InRange(saved, (1536 - 512) + (1536 - 256), (1536 - 512) * 9 / 8 + (1536 - 256) + 16);
    }
}
