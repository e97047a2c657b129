using NfDtls.Net;

namespace NfDtls.Coap.Messaging
{
    /// <summary>
    /// Who an exchange, a server transmission, an observer or a deferred reply belongs to: the peer's address and the
    /// token, as fixed rows of one byte array (a row is 28 bytes; on nanoCLR a <see cref="PeerAddress"/> object and
    /// a token array would cost about 130). Because every address the endpoint keeps sits here, a peer that moves
    /// (RFC 9146 §6, <see cref="Move"/>) is followed by rewriting matching rows.
    /// </summary>
    internal sealed class PeerTable
    {
        // Row layout: an address (AddressLength bytes: its length, 16 address bytes, port big-endian), token length,
        // 8 token bytes. Other tables keep addresses in their own rows with the static helpers below.
        private const int AddressAt = 1;
        private const int PortAt = 1 + PeerAddress.MaxAddressLength;
        /// <summary>Bytes of an address in a row.</summary>
        public const int AddressLength = PortAt + 2;
        private const int TokenLengthAt = AddressLength;
        private const int TokenAt = TokenLengthAt + 1;
        public const int RowLength = TokenAt + 8;

        private readonly byte[] _rows;

        public PeerTable(int rows)
        {
            _rows = new byte[(rows < 0 ? 0 : rows) * RowLength];
        }

        public void SetPeer(int row, PeerAddress peer)
        {
            Write(_rows, row * RowLength, peer);
        }

        public bool SamePeer(int row, PeerAddress peer)
        {
            return Same(_rows, row * RowLength, peer);
        }

        /// <summary>Fills <paramref name="into"/> with row <paramref name="row"/>'s address.</summary>
        public void GetPeer(int row, PeerAddress into)
        {
            Read(_rows, row * RowLength, into);
        }

        public void SetToken(int row, byte[] token, int length)
        {
            int at = row * RowLength;
            _rows[at + TokenLengthAt] = (byte)length;
            System.Array.Copy(token, 0, _rows, at + TokenAt, length);
        }

        public int TokenLength(int row)
        {
            return _rows[row * RowLength + TokenLengthAt];
        }

        /// <summary>The array and offset of row <paramref name="row"/>'s token (to write it straight into a message).</summary>
        public byte[] Rows { get { return _rows; } }

        public static int TokenOffset(int row)
        {
            return row * RowLength + TokenAt;
        }

        public bool TokenEquals(int row, byte[] token, int length)
        {
            int at = row * RowLength;
            if (_rows[at + TokenLengthAt] != length)
            {
                return false;
            }
            for (int k = 0; k < length; k++)
            {
                if (_rows[at + TokenAt + k] != token[k])
                {
                    return false;
                }
            }
            return true;
        }

        /// <summary>Rewrites every row at <paramref name="from"/> to <paramref name="to"/>; returns how many moved.</summary>
        public int Move(PeerAddress from, PeerAddress to)
        {
            int moved = 0;
            int rows = _rows.Length / RowLength;
            for (int r = 0; r < rows; r++)
            {
                if (Same(_rows, r * RowLength, from))
                {
                    SetPeer(r, to);
                    moved++;
                }
            }
            return moved;
        }

        /// <summary>Writes <paramref name="peer"/> as an address row at <paramref name="at"/> of <paramref name="rows"/>.</summary>
        public static void Write(byte[] rows, int at, PeerAddress peer)
        {
            int length = peer.AddressLength;
            rows[at] = (byte)length;
            for (int i = 0; i < PeerAddress.MaxAddressLength; i++)
            {
                rows[at + AddressAt + i] = i < length ? peer.AddressByte(i) : (byte)0;
            }
            rows[at + PortAt] = (byte)(peer.Port >> 8);
            rows[at + PortAt + 1] = (byte)peer.Port;
        }

        /// <summary>Fills <paramref name="into"/> from the address row at <paramref name="at"/>.</summary>
        public static void Read(byte[] rows, int at, PeerAddress into)
        {
            into.Set(rows, at + AddressAt, rows[at], (rows[at + PortAt] << 8) | rows[at + PortAt + 1]);
        }

        /// <summary>True when the address rows at <paramref name="a"/> and <paramref name="b"/> hold the same address.</summary>
        public static bool Same(byte[] rows, int a, int b)
        {
            for (int i = 0; i < AddressLength; i++)
            {
                if (rows[a + i] != rows[b + i])
                {
                    return false;
                }
            }
            return true;
        }

        /// <summary>True when the address row at <paramref name="at"/> of <paramref name="rows"/> is <paramref name="peer"/>.</summary>
        public static bool Same(byte[] rows, int at, PeerAddress peer)
        {
            int length = peer.AddressLength;
            if (rows[at] != length || rows[at + PortAt] != (byte)(peer.Port >> 8) || rows[at + PortAt + 1] != (byte)peer.Port)
            {
                return false;
            }
            for (int i = 0; i < length; i++)
            {
                if (rows[at + AddressAt + i] != peer.AddressByte(i))
                {
                    return false;
                }
            }
            return true;
        }
    }
}
