using NfDtls.Net;

namespace NfDtls.Tests.Dtls;

/// <summary>One DTLS record of a datagram as tests see it (RFC 6347 §4.1 header, no CID).</summary>
public sealed record WireRecord(int Type, int Epoch, long Sequence, byte[] Bytes)
{
    public const int HeaderLength = 13;

    /// <summary>The record's fragment (after the 13-byte header).</summary>
    public ReadOnlySpan<byte> Fragment => Bytes.AsSpan(HeaderLength);

    /// <summary>For a plaintext handshake record: the type of its first message fragment, else -1.</summary>
    public int HandshakeType => Type == 22 && Epoch == 0 && Bytes.Length > HeaderLength ? Bytes[HeaderLength] : -1;

    /// <summary>For a plaintext handshake record: message_seq of its first fragment, else -1.</summary>
    public int MessageSequence => HandshakeType < 0 ? -1 : (Bytes[HeaderLength + 4] << 8) | Bytes[HeaderLength + 5];
}

/// <summary>Cuts datagrams into records and builds the plaintext records attacks and rewrites need.</summary>
public static class RecordSurgery
{
    public static List<WireRecord> Split(byte[] datagram)
    {
        var list = new List<WireRecord>();
        int p = 0;
        while (p + WireRecord.HeaderLength <= datagram.Length)
        {
            int length = (datagram[p + 11] << 8) | datagram[p + 12];
            if (p + WireRecord.HeaderLength + length > datagram.Length)
            {
                break;
            }
            long seq = 0;
            for (int i = 5; i < 11; i++)
            {
                seq = (seq << 8) | datagram[p + i];
            }
            list.Add(new WireRecord(datagram[p], (datagram[p + 3] << 8) | datagram[p + 4], seq,
                                    datagram.AsSpan(p, WireRecord.HeaderLength + length).ToArray()));
            p += WireRecord.HeaderLength + length;
        }
        return list;
    }

    public static byte[] Join(IEnumerable<WireRecord> records) => records.SelectMany(r => r.Bytes).ToArray();

    /// <summary>The datagram without the records <paramref name="drop"/> selects (null when nothing is left).</summary>
    public static byte[]? Without(byte[] datagram, Func<WireRecord, bool> drop)
    {
        var kept = Split(datagram).Where(r => !drop(r)).ToList();
        return kept.Count == 0 ? null : Join(kept);
    }

    /// <summary>A plaintext (epoch 0) record of any type around <paramref name="fragment"/>.</summary>
    public static byte[] PlainRecord(int type, long sequence, byte[] fragment)
    {
        byte[] r = new byte[WireRecord.HeaderLength + fragment.Length];
        r[0] = (byte)type;
        r[1] = 0xfe;
        r[2] = 0xfd;
        for (int i = 0; i < 6; i++)
        {
            r[5 + i] = (byte)(sequence >> (8 * (5 - i)));
        }
        r[11] = (byte)(fragment.Length >> 8);
        r[12] = (byte)fragment.Length;
        fragment.CopyTo(r, WireRecord.HeaderLength);
        return r;
    }

    /// <summary>A whole handshake message (12-byte header, unfragmented) in one plaintext record.</summary>
    public static byte[] HandshakeRecord(long recordSequence, int type, int messageSequence, byte[] body)
    {
        byte[] m = new byte[12 + body.Length];
        m[0] = (byte)type;
        m[1] = (byte)(body.Length >> 16);
        m[2] = (byte)(body.Length >> 8);
        m[3] = (byte)body.Length;
        m[4] = (byte)(messageSequence >> 8);
        m[5] = (byte)messageSequence;
        m[9] = m[1];
        m[10] = m[2];
        m[11] = m[3];
        body.CopyTo(m, 12);
        return PlainRecord(22, recordSequence, m);
    }

    /// <summary>
    /// The whole handshake messages of a plaintext flight, in order (each a type and body), put back together from its
    /// records and fragments. Protected records and ChangeCipherSpec are left out.
    /// </summary>
    public static List<(int Type, int MessageSequence, byte[] Body)> Messages(IEnumerable<byte[]> datagrams)
    {
        var bodies = new SortedDictionary<int, (int Type, byte[] Body)>();
        foreach (byte[] d in datagrams)
        {
            foreach (WireRecord r in Split(d).Where(r => r.Type == 22 && r.Epoch == 0))
            {
                var f = r.Fragment;
                int p = 0;
                while (p + 12 <= f.Length)
                {
                    int type = f[p];
                    int length = (f[p + 1] << 16) | (f[p + 2] << 8) | f[p + 3];
                    int seq = (f[p + 4] << 8) | f[p + 5];
                    int offset = (f[p + 6] << 16) | (f[p + 7] << 8) | f[p + 8];
                    int count = (f[p + 9] << 16) | (f[p + 10] << 8) | f[p + 11];
                    if (!bodies.TryGetValue(seq, out var m))
                    {
                        m = (type, new byte[length]);
                        bodies[seq] = m;
                    }
                    f.Slice(p + 12, count).CopyTo(m.Body.AsSpan(offset));
                    p += 12 + count;
                }
            }
        }
        return bodies.Select(kv => (kv.Value.Type, kv.Key, kv.Value.Body)).ToList();
    }
}

/// <summary>Datagrams one engine sent, with where they went.</summary>
public sealed class AddressedSink : IDatagramSink
{
    public readonly List<(byte[] Data, PeerAddress To)> Sent = new();
    public readonly Queue<(byte[] Data, PeerAddress To)> Queue = new();
    public long Bytes;

    public void Send(byte[] buffer, int offset, int count, PeerAddress destination)
    {
        var to = new PeerAddress();
        to.CopyFrom(destination);
        var item = (buffer.AsSpan(offset, count).ToArray(), to);
        Sent.Add(item);
        Queue.Enqueue(item);
        Bytes += count;
    }

    public long BytesTo(PeerAddress peer) => Sent.Where(s => s.To.SameAs(peer)).Sum(s => (long)s.Data.Length);
}
