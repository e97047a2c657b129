using System;

namespace NfDtls.Crypto.P256
{
    /// <summary>
    /// SubjectPublicKeyInfo of a P-256 key (RFC 5480 §2: id-ecPublicKey with the namedCurve secp256r1, the key an
    /// uncompressed point in a BIT STRING). DER is unique, so that SPKI has exactly one 91-byte encoding: parsing is a
    /// comparison with its fixed 26-byte header, which refuses other curves, explicit parameters, compressed points and
    /// every non-DER variant. It is also the raw public key of RFC 7250 certificates.
    /// </summary>
    public static class P256Spki
    {
        public const int Length = 91;
        public const int HeaderLength = 26;

        private static readonly byte[] Header =
        {
            0x30, 0x59,                                                 // SEQUENCE, 89
            0x30, 0x13,                                                 //   SEQUENCE, 19 (AlgorithmIdentifier)
            0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01,       //     1.2.840.10045.2.1 id-ecPublicKey
            0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, //     1.2.840.10045.3.1.7 secp256r1
            0x03, 0x42, 0x00,                                           //   BIT STRING, 66, no unused bits
        };

        /// <summary>Writes the 91-byte SPKI of a 65-byte uncompressed point.</summary>
        public static int Encode(byte[] point, int pointOffset, byte[] output, int outputOffset)
        {
            Array.Copy(Header, 0, output, outputOffset, HeaderLength);
            Array.Copy(point, pointOffset, output, outputOffset + HeaderLength, 65);
            return Length;
        }

        /// <summary>
        /// True when spki[offset..offset+count) is exactly a P-256 SPKI with an uncompressed point; pointOffset is then
        /// where the 65-byte point (0x04 || X || Y) starts. The point itself is validated when it is used.
        /// </summary>
        public static bool TryFindPoint(byte[] spki, int offset, int count, out int pointOffset)
        {
            pointOffset = -1;
            if (spki == null || count != Length || offset < 0 || offset > spki.Length - Length)
            {
                return false;
            }
            for (int i = 0; i < HeaderLength; i++)
            {
                if (spki[offset + i] != Header[i])
                {
                    return false;
                }
            }
            if (spki[offset + HeaderLength] != 0x04)
            {
                return false;
            }
            pointOffset = offset + HeaderLength;
            return true;
        }
    }
}
