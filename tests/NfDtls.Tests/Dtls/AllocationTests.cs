using NfDtls.Dtls;
using NfDtls.Net;
using Xunit;

namespace NfDtls.Tests.Dtls;

/// <summary>After the handshake, application records in and out allocate nothing (PORTABLE.md memory discipline).</summary>
public class DtlsAllocationTests
{
    private sealed class CountingEvents : IDtlsEvents
    {
        public long Bytes;
        public int Connected;

        public void OnConnected(DtlsSession session) => Connected++;

        public void OnApplicationData(DtlsSession session, byte[] buffer, int offset, int count) => Bytes += count;

        public void OnAlert(DtlsSession session, int level, int description)
        {
        }

        public void OnClosed(DtlsSession session)
        {
        }

        public void OnUnknownPskIdentity(DtlsSession session)
        {
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void SealingAndOpeningApplicationRecordsAllocatesNothing(bool desktopCrypto)
    {
        var crypto = desktopCrypto ? (NfDtls.Crypto.ICryptoProvider)NfDtls.Desktop.Crypto.DesktopCryptoProvider.Instance : NfDtls.Crypto.PortableCryptoProvider.Instance;
        var toServer = new DirectSink(DtlsRig.ClientAddress);
        var toClient = new DirectSink(DtlsRig.ServerAddress);
        var keys = new PskTable(1);
        keys.Add(DtlsRig.Identity, DtlsRig.Key);
        var se = new CountingEvents();
        var ce = new CountingEvents();
        var server = new DtlsServer(DtlsRig.Config(1, crypto: crypto), toClient, keys, se);
        var client = new DtlsClient(DtlsRig.Config(2, crypto: crypto), toServer, DtlsRig.ServerAddress, DtlsRig.Identity, DtlsRig.Key, ce);
        DirectSink.HandshakeThenGoDirect(toServer, server, toClient, client);
        Assert.True(client.IsConnected);

        byte[] small = new byte[64];
        byte[] large = new byte[1024];
        for (int i = 0; i < 2000; i++) // warm-up past JIT tiering
        {
            client.Send(small, 0, small.Length, 0);
            server.Send(DtlsRig.ClientAddress, large, 0, large.Length, 0);
        }
        long seBefore = se.Bytes;
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            client.Send(small, 0, small.Length, 0);
            server.Send(DtlsRig.ClientAddress, large, 0, large.Length, 0);
            client.Send(large, 0, large.Length, 0);
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(1000L * (64 + 1024), se.Bytes - seBefore);
        if (desktopCrypto)
        {
            // System.Security.Cryptography's AesCcm allocates a little per call inside .NET (≈32 B per seal/open);
            // the engine itself adds nothing on top.
            Assert.True(allocated / 6000.0 <= 64, "bytes per operation " + allocated / 6000.0);
        }
        else
        {
            Assert.Equal(0, allocated);
        }
    }
}
