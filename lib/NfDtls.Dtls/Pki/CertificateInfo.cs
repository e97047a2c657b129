using System;

namespace NfDtls.Pki
{
    /// <summary>
    /// What is kept of one X.509 certificate after streaming it through <see cref="CertificateParser"/>: enough to
    /// chain it, check it and use its key, nothing else (about 330 bytes). Names are kept as SHA-256 hashes of their
    /// DER encoding (RFC 5280 §7.1 name chaining compares encodings; issuers normally copy the subject byte for byte).
    /// </summary>
    public sealed class CertificateInfo
    {
        /// <summary>SHA-256 of the DER tbsCertificate, the signed bytes.</summary>
        public readonly byte[] TbsHash = new byte[32];
        public readonly byte[] IssuerHash = new byte[32];
        public readonly byte[] SubjectHash = new byte[32];
        /// <summary>The subject's P-256 key, SEC 1 uncompressed (when <see cref="HasP256Key"/>).</summary>
        public readonly byte[] PublicKey = new byte[65];
        /// <summary>The issuer's ECDSA signature as r || s (when <see cref="HasSignature"/>).</summary>
        public readonly byte[] Signature = new byte[64];

        public long NotBefore;
        public long NotAfter;
        /// <summary>basicConstraints pathLenConstraint, -1 when absent.</summary>
        public int PathLength;
        /// <summary>keyUsage bits as the first two BIT STRING bytes, big-endian (digitalSignature = 0x8000, keyCertSign = 0x0400).</summary>
        public int KeyUsage;
        public int DnsNameCount;
        public int IpAddressCount;

        // The yes/no facts share one int (on nanoCLR every field costs a 12-byte block).
        private int _flags;
        private const int FlagP256Key = 1;
        private const int FlagSignature = 2;
        private const int FlagCa = 4;
        private const int FlagKeyUsage = 8;
        private const int FlagNameMatched = 16;

        public bool HasP256Key { get { return (_flags & FlagP256Key) != 0; } set { Set(FlagP256Key, value); } }

        /// <summary>signatureAlgorithm is ecdsa-with-SHA256 and the signature decoded.</summary>
        public bool HasSignature { get { return (_flags & FlagSignature) != 0; } set { Set(FlagSignature, value); } }

        public bool IsCa { get { return (_flags & FlagCa) != 0; } set { Set(FlagCa, value); } }

        public bool HasKeyUsage { get { return (_flags & FlagKeyUsage) != 0; } set { Set(FlagKeyUsage, value); } }

        /// <summary>A subjectAltName entry matched the expected name or address given to the parser.</summary>
        public bool NameMatched { get { return (_flags & FlagNameMatched) != 0; } set { Set(FlagNameMatched, value); } }

        private void Set(int flag, bool on)
        {
            _flags = on ? _flags | flag : _flags & ~flag;
        }

        public const int KeyUsageDigitalSignature = 0x8000;
        public const int KeyUsageKeyCertSign = 0x0400;

        public void Reset()
        {
            Array.Clear(TbsHash, 0, 32);
            Array.Clear(IssuerHash, 0, 32);
            Array.Clear(SubjectHash, 0, 32);
            Array.Clear(PublicKey, 0, 65);
            Array.Clear(Signature, 0, 64);
            _flags = 0;
            NotBefore = 0;
            NotAfter = 0;
            PathLength = -1;
            KeyUsage = 0;
            DnsNameCount = 0;
            IpAddressCount = 0;
        }
    }
}
