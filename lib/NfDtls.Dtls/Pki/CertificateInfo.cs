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

        public bool HasP256Key;
        /// <summary>signatureAlgorithm is ecdsa-with-SHA256 and the signature decoded.</summary>
        public bool HasSignature;
        public long NotBefore;
        public long NotAfter;
        public bool IsCa;
        /// <summary>basicConstraints pathLenConstraint, -1 when absent.</summary>
        public int PathLength;
        public bool HasKeyUsage;
        /// <summary>keyUsage bits as the first two BIT STRING bytes, big-endian (digitalSignature = 0x8000, keyCertSign = 0x0400).</summary>
        public int KeyUsage;
        public int DnsNameCount;
        public int IpAddressCount;
        /// <summary>A subjectAltName entry matched the expected name or address given to the parser.</summary>
        public bool NameMatched;

        public const int KeyUsageDigitalSignature = 0x8000;
        public const int KeyUsageKeyCertSign = 0x0400;

        public void Reset()
        {
            Array.Clear(TbsHash, 0, 32);
            Array.Clear(IssuerHash, 0, 32);
            Array.Clear(SubjectHash, 0, 32);
            Array.Clear(PublicKey, 0, 65);
            Array.Clear(Signature, 0, 64);
            HasP256Key = false;
            HasSignature = false;
            NotBefore = 0;
            NotAfter = 0;
            IsCa = false;
            PathLength = -1;
            HasKeyUsage = false;
            KeyUsage = 0;
            DnsNameCount = 0;
            IpAddressCount = 0;
            NameMatched = false;
        }

        public void CopyFrom(CertificateInfo other)
        {
            Array.Copy(other.TbsHash, TbsHash, 32);
            Array.Copy(other.IssuerHash, IssuerHash, 32);
            Array.Copy(other.SubjectHash, SubjectHash, 32);
            Array.Copy(other.PublicKey, PublicKey, 65);
            Array.Copy(other.Signature, Signature, 64);
            HasP256Key = other.HasP256Key;
            HasSignature = other.HasSignature;
            NotBefore = other.NotBefore;
            NotAfter = other.NotAfter;
            IsCa = other.IsCa;
            PathLength = other.PathLength;
            HasKeyUsage = other.HasKeyUsage;
            KeyUsage = other.KeyUsage;
            DnsNameCount = other.DnsNameCount;
            IpAddressCount = other.IpAddressCount;
            NameMatched = other.NameMatched;
        }
    }
}
