using NfDtls.Crypto;
using NfDtls.Dtls.Handshake;
using NfDtls.Net;
using Xunit;

namespace NfDtls.Tests.Dtls;

public class HandshakePartsTests
{
    [Fact]
    public void ReassemblerJoinsOutOfOrderOverlappingDuplicateFragments()
    {
        var r = new HandshakeReassembler(256);
        r.Reset(1);
        byte[] msg = Enumerable.Range(0, 100).Select(i => (byte)i).ToArray();
        Assert.Equal(HandshakeReassembler.Accepted, r.Add(2, 100, 1, 60, 40, msg, 60));
        Assert.False(r.TryPeek(out _, out _, out _));
        Assert.Equal(HandshakeReassembler.Accepted, r.Add(2, 100, 1, 0, 30, msg, 0));
        Assert.Equal(HandshakeReassembler.Accepted, r.Add(2, 100, 1, 0, 30, msg, 0)); // duplicate
        Assert.False(r.TryPeek(out _, out _, out _));
        Assert.Equal(HandshakeReassembler.Accepted, r.Add(2, 100, 1, 20, 50, msg, 20)); // overlap closes the gap
        Assert.True(r.TryPeek(out int type, out int at, out int len));
        Assert.Equal((2, 100), (type, len));
        Assert.Equal(msg, r.Buffer.AsSpan(at, len).ToArray());
        r.Release();
        Assert.Equal(2, r.NextSequence);
        Assert.Equal(HandshakeReassembler.Old, r.Add(2, 100, 1, 0, 100, msg, 0));
    }

    [Fact]
    public void ReassemblerHoldsLaterMessagesUntilTheNextOneArrives()
    {
        var r = new HandshakeReassembler(256);
        r.Reset(0);
        byte[] a = { 1, 2, 3 };
        Assert.Equal(HandshakeReassembler.Accepted, r.Add(14, 0, 1, 0, 0, a, 0)); // empty message ahead
        Assert.False(r.TryPeek(out _, out _, out _));
        Assert.Equal(HandshakeReassembler.Accepted, r.Add(2, 3, 0, 0, 3, a, 0));
        Assert.True(r.TryPeek(out int t0, out _, out _));
        Assert.Equal(2, t0);
        r.Release();
        Assert.True(r.TryPeek(out int t1, out _, out int l1));
        Assert.Equal((14, 0), (t1, l1));
    }

    [Fact]
    public void ReassemblerIsBounded()
    {
        var r = new HandshakeReassembler(64);
        r.Reset(0);
        byte[] big = new byte[100];
        Assert.Equal(HandshakeReassembler.Dropped, r.Add(1, 100, 0, 0, 10, big, 0)); // larger than the buffer
        Assert.Equal(HandshakeReassembler.Dropped, r.Add(1, 10, HandshakeReassembler.MaxPending, 0, 10, big, 0)); // too far ahead
        Assert.Equal(HandshakeReassembler.Dropped, r.Add(1, 10, 0, 5, 10, big, 0)); // fragment beyond message
        Assert.Equal(HandshakeReassembler.Accepted, r.Add(1, 40, 2, 0, 10, big, 0));
        Assert.Equal(HandshakeReassembler.Dropped, r.Add(1, 40, 3, 0, 10, big, 0)); // no room for another early one
        Assert.Equal(HandshakeReassembler.Accepted, r.Add(1, 40, 0, 0, 40, big, 0)); // the awaited one always gets room
        Assert.True(r.TryPeek(out _, out _, out int len));
        Assert.Equal(40, len);
        Assert.Equal(HandshakeReassembler.Dropped, r.Add(3, 40, 0, 0, 40, big, 0)); // type mismatch with the held message
    }

    [Fact]
    public void FlightTimerDoublesUpToTheCapAndGivesUp()
    {
        var t = new FlightTimer(1000, 5000, 3);
        t.Start(0);
        Assert.Equal(1000, t.Deadline);
        Assert.False(t.Expired(999));
        Assert.True(t.Expired(1000));
        Assert.True(t.Backoff(1000));
        Assert.Equal(3000, t.Deadline);
        Assert.True(t.Backoff(3000));
        Assert.Equal(7000, t.Deadline);
        Assert.True(t.Backoff(7000));
        Assert.Equal(12000, t.Deadline); // capped at 5000
        Assert.False(t.Backoff(12000));
        Assert.False(t.Running);
    }

    [Fact]
    public void CookieBindsAddressAndHelloFieldsButNotExtensions()
    {
        var gen = new CookieGenerator(PortableCryptoProvider.Instance, new HmacDrbg(new SeededEntropy(5)));
        byte[] hello = BuildHello(random: 1, extension: 0x17, cookie: null);
        Assert.True(ClientHelloView.TryParse(hello, 0, hello.Length, out var v));
        var peer = PeerAddress.FromIPv4(192, 0, 2, 1, 1234);
        byte[] cookie = new byte[32];
        gen.Compute(peer, hello, v, cookie, 0);

        Assert.True(Verify(gen, peer, BuildHello(1, 0x17, cookie)));
        Assert.True(Verify(gen, peer, BuildHello(1, 0xff01, cookie))); // other extensions: same cookie
        Assert.False(Verify(gen, peer, BuildHello(2, 0x17, cookie))); // other random
        Assert.False(Verify(gen, PeerAddress.FromIPv4(192, 0, 2, 1, 1235), BuildHello(1, 0x17, cookie))); // other port
        Assert.False(Verify(gen, PeerAddress.FromIPv4(192, 0, 2, 2, 1234), BuildHello(1, 0x17, cookie))); // other address
        byte[] bad = (byte[])cookie.Clone();
        bad[31] ^= 1;
        Assert.False(Verify(gen, peer, BuildHello(1, 0x17, bad)));
        Assert.False(Verify(gen, peer, BuildHello(1, 0x17, null)));
    }

    private static bool Verify(CookieGenerator gen, PeerAddress peer, byte[] hello)
    {
        Assert.True(ClientHelloView.TryParse(hello, 0, hello.Length, out var v));
        return gen.Verify(peer, hello, v);
    }

    private static byte[] BuildHello(int random, int extension, byte[]? cookie)
    {
        var b = new List<byte> { 0xFE, 0xFD };
        b.AddRange(Enumerable.Repeat((byte)random, 32));
        b.Add(0);
        b.Add((byte)(cookie?.Length ?? 0));
        if (cookie != null)
        {
            b.AddRange(cookie);
        }
        b.AddRange(new byte[] { 0, 2, 0xC0, 0xA8, 1, 0 });
        b.AddRange(new byte[] { 0, 4, (byte)(extension >> 8), (byte)extension, 0, 0 });
        return b.ToArray();
    }
}

public class CookieRotationTests
{
    [Fact]
    public void CookiesOutliveOneRotationButNotTwo()
    {
        var gen = new NfDtls.Dtls.Handshake.CookieGenerator(NfDtls.Crypto.PortableCryptoProvider.Instance, new NfDtls.Crypto.HmacDrbg(new SeededEntropy(9)));
        byte[] hello = [0xFE, 0xFD, .. Enumerable.Repeat((byte)7, 32), 0, 0, 0, 2, 0xC0, 0xA8, 1, 0];
        Assert.True(NfDtls.Dtls.Handshake.ClientHelloView.TryParse(hello, 0, hello.Length, out var v));
        var peer = NfDtls.Net.PeerAddress.FromIPv4(192, 0, 2, 1, 1234);
        byte[] cookie = new byte[32];
        gen.Rotate(0);
        gen.Compute(peer, hello, v, cookie, 0);
        byte[] withCookie = [0xFE, 0xFD, .. Enumerable.Repeat((byte)7, 32), 0, 32, .. cookie, 0, 2, 0xC0, 0xA8, 1, 0];
        Assert.True(NfDtls.Dtls.Handshake.ClientHelloView.TryParse(withCookie, 0, withCookie.Length, out var w));
        Assert.True(gen.Verify(peer, withCookie, w));
        gen.Rotate(NfDtls.Dtls.Handshake.CookieGenerator.RotationMs); // new secret; the old one still accepted
        Assert.True(gen.Verify(peer, withCookie, w));
        gen.Rotate(2 * NfDtls.Dtls.Handshake.CookieGenerator.RotationMs); // two rotations later: refused
        Assert.False(gen.Verify(peer, withCookie, w));
    }
}
