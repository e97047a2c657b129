namespace NfDtls.Net
{
    /// <summary>
    /// A transport address (IPv4/IPv6 bytes + port) as plain bytes, so the core keys sessions and binds cookies
    /// without depending on System.Net (a separate assembly on nanoFramework). Adapters convert their endpoint
    /// type to and from this; the simulator invents addresses. Mutable so one instance can be reused per
    /// received datagram without allocating; engines copy it into their own slots with <see cref="CopyFrom"/>.
    /// </summary>
    public sealed class PeerAddress
    {
        /// <summary>Largest address: IPv6.</summary>
        public const int MaxAddressLength = 16;

        private readonly byte[] _address = new byte[MaxAddressLength];
        private int _length;
        private int _port;

        public PeerAddress()
        {
        }

        public PeerAddress(byte[] address, int offset, int length, int port)
        {
            Set(address, offset, length, port);
        }

        /// <summary>An IPv4 address a.b.c.d:port, handy for tests and the simulator.</summary>
        public static PeerAddress FromIPv4(int a, int b, int c, int d, int port)
        {
            PeerAddress p = new PeerAddress();
            p.SetIPv4(a, b, c, d, port);
            return p;
        }

        /// <summary>4 for IPv4, 16 for IPv6, 0 when unset.</summary>
        public int AddressLength { get { return _length; } }
        public int Port { get { return _port; } }

        public byte AddressByte(int index)
        {
            return _address[index];
        }

        public void Set(byte[] address, int offset, int length, int port)
        {
            if (length < 0 || length > MaxAddressLength)
            {
                length = 0;
            }
            System.Array.Clear(_address, 0, MaxAddressLength);
            System.Array.Copy(address, offset, _address, 0, length);
            _length = length;
            _port = port & 0xFFFF;
        }

        public void SetIPv4(int a, int b, int c, int d, int port)
        {
            System.Array.Clear(_address, 0, MaxAddressLength);
            _address[0] = (byte)a;
            _address[1] = (byte)b;
            _address[2] = (byte)c;
            _address[3] = (byte)d;
            _length = 4;
            _port = port & 0xFFFF;
        }

        public void CopyFrom(PeerAddress other)
        {
            System.Array.Copy(other._address, 0, _address, 0, MaxAddressLength);
            _length = other._length;
            _port = other._port;
        }

        public void CopyAddressTo(byte[] destination, int offset)
        {
            System.Array.Copy(_address, 0, destination, offset, _length);
        }

        /// <summary>Writes length, address and port: the bytes a cookie binds (RFC 6347 §4.2.1).</summary>
        public int WriteIdentity(byte[] destination, int offset)
        {
            destination[offset] = (byte)_length;
            System.Array.Copy(_address, 0, destination, offset + 1, _length);
            destination[offset + 1 + _length] = (byte)(_port >> 8);
            destination[offset + 2 + _length] = (byte)_port;
            return 3 + _length;
        }

        public bool SameAs(PeerAddress other)
        {
            if (other == null || other._length != _length || other._port != _port)
            {
                return false;
            }
            for (int i = 0; i < _length; i++)
            {
                if (other._address[i] != _address[i])
                {
                    return false;
                }
            }
            return true;
        }

        public override bool Equals(object obj)
        {
            return SameAs(obj as PeerAddress);
        }

        public override int GetHashCode()
        {
            int h = _port * 31 + _length;
            for (int i = 0; i < _length; i++)
            {
                h = h * 31 + _address[i];
            }
            return h;
        }

        /// <summary>Readable form (allocates: diagnostics only).</summary>
        public override string ToString()
        {
            if (_length == 4)
            {
                return string.Concat(new string[] { _address[0].ToString(), ".", _address[1].ToString(), ".", _address[2].ToString(), ".", _address[3].ToString(), ":", _port.ToString() });
            }
            string s = "[";
            for (int i = 0; i < _length; i += 2)
            {
                if (i > 0)
                {
                    s = string.Concat(s, ":");
                }
                s = string.Concat(s, ((_address[i] << 8) | _address[i + 1]).ToString("x"));
            }
            return string.Concat(s, "]:", _port.ToString());
        }
    }
}
