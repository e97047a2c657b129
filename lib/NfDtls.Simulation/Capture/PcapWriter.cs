using System.Buffers.Binary;
using NfDtls.Net;

namespace NfDtls.Simulation.Capture;

/// <summary>
/// Writes datagrams as a classic libpcap file (LINKTYPE_RAW: bare IPv4/IPv6 packets) with synthesized IP and UDP headers,
/// so Wireshark/tshark dissect simulated traffic as if captured on a wire. Timestamps are virtual time.
/// </summary>
public sealed class PcapWriter : IDisposable
{
    private const uint Magic = 0xA1B2C3D4;
    private const int LinkTypeRaw = 101;
    private readonly Stream _stream;
    private readonly byte[] _packet = new byte[65535 + 48 + 16];
    private ushort _ipId;

    public PcapWriter(Stream stream)
    {
        _stream = stream;
        Span<byte> header = stackalloc byte[24];
        BinaryPrimitives.WriteUInt32LittleEndian(header, Magic);
        BinaryPrimitives.WriteUInt16LittleEndian(header[4..], 2);
        BinaryPrimitives.WriteUInt16LittleEndian(header[6..], 4);
        BinaryPrimitives.WriteUInt32LittleEndian(header[16..], 65535);
        BinaryPrimitives.WriteUInt32LittleEndian(header[20..], LinkTypeRaw);
        _stream.Write(header);
    }

    public static PcapWriter Create(string path) => new(File.Create(path));

    public long Packets { get; private set; }

    /// <summary>Appends one UDP datagram sent at <paramref name="timeMs"/> (virtual ms since the epoch of the run).</summary>
    public void Write(long timeMs, PeerAddress from, PeerAddress to, ReadOnlySpan<byte> payload)
    {
        if (payload.Length > 65535 - 48)
        {
            return;
        }
        bool v6 = from.AddressLength == 16 || to.AddressLength == 16;
        int ipHeader = v6 ? 40 : 20;
        int total = ipHeader + 8 + payload.Length;
        Span<byte> p = _packet.AsSpan(0, total);
        p.Clear();
        if (v6)
        {
            p[0] = 0x60;
            BinaryPrimitives.WriteUInt16BigEndian(p[4..], (ushort)(8 + payload.Length));
            p[6] = 17; // UDP
            p[7] = 64;
            WriteAddress(from, p.Slice(8, 16), true);
            WriteAddress(to, p.Slice(24, 16), true);
        }
        else
        {
            p[0] = 0x45;
            BinaryPrimitives.WriteUInt16BigEndian(p[2..], (ushort)total);
            BinaryPrimitives.WriteUInt16BigEndian(p[4..], _ipId++);
            p[8] = 64;
            p[9] = 17;
            WriteAddress(from, p.Slice(12, 4), false);
            WriteAddress(to, p.Slice(16, 4), false);
            BinaryPrimitives.WriteUInt16BigEndian(p[10..], Checksum(p[..20]));
        }
        Span<byte> udp = p[ipHeader..];
        BinaryPrimitives.WriteUInt16BigEndian(udp, (ushort)from.Port);
        BinaryPrimitives.WriteUInt16BigEndian(udp[2..], (ushort)to.Port);
        BinaryPrimitives.WriteUInt16BigEndian(udp[4..], (ushort)(8 + payload.Length));
        payload.CopyTo(udp[8..]);
        // UDP checksum 0 (IPv4: "none"); tshark does not validate it by default.

        Span<byte> record = stackalloc byte[16];
        BinaryPrimitives.WriteUInt32LittleEndian(record, (uint)(timeMs / 1000));
        BinaryPrimitives.WriteUInt32LittleEndian(record[4..], (uint)(timeMs % 1000 * 1000));
        BinaryPrimitives.WriteUInt32LittleEndian(record[8..], (uint)total);
        BinaryPrimitives.WriteUInt32LittleEndian(record[12..], (uint)total);
        _stream.Write(record);
        _stream.Write(p);
        Packets++;
    }

    private static void WriteAddress(PeerAddress a, Span<byte> into, bool v6)
    {
        if (v6 && a.AddressLength == 4)
        {
            // IPv4-mapped IPv6 address.
            into[10] = 0xFF;
            into[11] = 0xFF;
            for (int i = 0; i < 4; i++)
            {
                into[12 + i] = a.AddressByte(i);
            }
            return;
        }
        for (int i = 0; i < a.AddressLength && i < into.Length; i++)
        {
            into[i] = a.AddressByte(i);
        }
    }

    private static ushort Checksum(ReadOnlySpan<byte> header)
    {
        uint sum = 0;
        for (int i = 0; i < header.Length; i += 2)
        {
            sum += (uint)(header[i] << 8 | header[i + 1]);
        }
        while (sum > 0xFFFF)
        {
            sum = (sum & 0xFFFF) + (sum >> 16);
        }
        return (ushort)~sum;
    }

    public void Dispose()
    {
        _stream.Flush();
        _stream.Dispose();
    }
}
