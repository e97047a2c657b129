using NfDtls.Wire;

namespace NfDtls.Dtls.Handshake
{
    /// <summary>
    /// Where the fields of a ClientHello body lie in a buffer (RFC 6347 §4.2.1 adds the cookie to RFC 5246 §7.4.1.2).
    /// Parsed without copying, so the stateless cookie check reads the datagram in place.
    /// </summary>
    public struct ClientHelloView
    {
        public int Version;
        public int RandomOffset;
        public int SessionIdOffset;
        public int SessionIdLength;
        public int CookieOffset;
        public int CookieLength;
        public int CipherSuitesOffset;
        public int CipherSuitesLength;
        public int CompressionOffset;
        public int CompressionLength;
        /// <summary>Start of the extensions block (after its 2-byte length), -1 when the hello has none.</summary>
        public int ExtensionsOffset;
        public int ExtensionsLength;

        public static bool TryParse(byte[] buffer, int offset, int length, out ClientHelloView view)
        {
            view = new ClientHelloView();
            WireReader r = new WireReader(buffer, offset, length);
            view.Version = r.ReadUInt16();
            view.RandomOffset = r.Take(32);
            WireReader sid = r.ReadVector8();
            view.SessionIdOffset = sid.Position;
            view.SessionIdLength = sid.Remaining;
            WireReader cookie = r.ReadVector8();
            view.CookieOffset = cookie.Position;
            view.CookieLength = cookie.Remaining;
            WireReader suites = r.ReadVector16();
            view.CipherSuitesOffset = suites.Position;
            view.CipherSuitesLength = suites.Remaining;
            WireReader comp = r.ReadVector8();
            view.CompressionOffset = comp.Position;
            view.CompressionLength = comp.Remaining;
            view.ExtensionsOffset = -1;
            if (!r.Failed && !r.IsEmpty)
            {
                WireReader ext = r.ReadVector16();
                view.ExtensionsOffset = ext.Position;
                view.ExtensionsLength = ext.Remaining;
            }
            if (r.Failed || !r.IsEmpty || view.SessionIdLength > 32 || view.CipherSuitesLength < 2
                || (view.CipherSuitesLength & 1) != 0 || view.CompressionLength < 1)
            {
                return false;
            }
            return true;
        }

        public bool OffersSuite(byte[] buffer, int suite)
        {
            for (int i = 0; i < CipherSuitesLength; i += 2)
            {
                int s = (buffer[CipherSuitesOffset + i] << 8) | buffer[CipherSuitesOffset + i + 1];
                if (s == suite)
                {
                    return true;
                }
            }
            return false;
        }

        /// <summary>RFC 5246 §7.4.1.2: the null compression method must be offered.</summary>
        public bool OffersNullCompression(byte[] buffer)
        {
            for (int i = 0; i < CompressionLength; i++)
            {
                if (buffer[CompressionOffset + i] == 0)
                {
                    return true;
                }
            }
            return false;
        }

        /// <summary>Finds an extension; returns its data offset (length in <paramref name="dataLength"/>) or -1.</summary>
        public int FindExtension(byte[] buffer, int type, out int dataLength)
        {
            dataLength = 0;
            if (ExtensionsOffset < 0)
            {
                return -1;
            }
            WireReader r = new WireReader(buffer, ExtensionsOffset, ExtensionsLength);
            while (!r.IsEmpty && !r.Failed)
            {
                int t = r.ReadUInt16();
                WireReader data = r.ReadVector16();
                if (!r.Failed && t == type)
                {
                    dataLength = data.Remaining;
                    return data.Position;
                }
            }
            return -1;
        }
    }
}
