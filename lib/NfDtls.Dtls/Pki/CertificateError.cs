namespace NfDtls.Pki
{
    /// <summary>Why a certificate, chain or raw public key was refused, and the TLS alert each one is answered with.</summary>
    public static class CertificateError
    {
        public const int None = 0;
        /// <summary>Not DER, or not the X.509 structure (RFC 5280 §4.1).</summary>
        public const int Malformed = 1;
        /// <summary>A key other than P-256, or a signature other than ecdsa-with-SHA256.</summary>
        public const int Unsupported = 2;
        /// <summary>An extension marked critical that this parser does not process (RFC 5280 §4.2).</summary>
        public const int UnsupportedCriticalExtension = 3;
        public const int Expired = 4;
        public const int NotYetValid = 5;
        /// <summary>The chain does not reach a configured trust anchor (or the raw public key is not allowed).</summary>
        public const int UnknownCa = 6;
        public const int BadSignature = 7;
        /// <summary>An issuing certificate without basicConstraints cA, or beyond its pathLenConstraint.</summary>
        public const int NotCa = 8;
        /// <summary>An issuing certificate whose keyUsage lacks keyCertSign (RFC 5280 §4.2.1.3).</summary>
        public const int NoKeyCertSign = 9;
        /// <summary>The end-entity certificate has no subjectAltName DNS name or IP matching the expected peer.</summary>
        public const int NameMismatch = 10;
        /// <summary>More certificates than the configured chain length, or an element larger than the parser keeps.</summary>
        public const int TooLarge = 11;
        /// <summary>An issuer name that is not the next certificate's subject.</summary>
        public const int BrokenChain = 12;
        /// <summary>The end-entity keyUsage does not allow digitalSignature (needed to sign the handshake).</summary>
        public const int KeyUsage = 13;
        public const int Empty = 14;

        // TLS alert descriptions (RFC 5246 §7.2).
        public const int AlertBadCertificate = 42;
        public const int AlertUnsupportedCertificate = 43;
        public const int AlertCertificateExpired = 45;
        public const int AlertUnknownCa = 48;

        /// <summary>The fatal alert that answers <paramref name="error"/> (RFC 5246 §7.2.2).</summary>
        public static int ToAlert(int error)
        {
            switch (error)
            {
                case Unsupported:
                case UnsupportedCriticalExtension:
                    return AlertUnsupportedCertificate;
                case Expired:
                case NotYetValid:
                    return AlertCertificateExpired;
                case UnknownCa:
                    return AlertUnknownCa;
                default:
                    return AlertBadCertificate;
            }
        }

        public static string Name(int error)
        {
            switch (error)
            {
                case None: return "none";
                case Malformed: return "malformed";
                case Unsupported: return "unsupported key or signature algorithm";
                case UnsupportedCriticalExtension: return "unsupported critical extension";
                case Expired: return "expired";
                case NotYetValid: return "not yet valid";
                case UnknownCa: return "unknown CA";
                case BadSignature: return "bad signature";
                case NotCa: return "issuer is not a CA";
                case NoKeyCertSign: return "issuer keyUsage lacks keyCertSign";
                case NameMismatch: return "name mismatch";
                case TooLarge: return "chain or element too large";
                case BrokenChain: return "broken chain";
                case KeyUsage: return "keyUsage lacks digitalSignature";
                case Empty: return "no certificate";
                default: return "unknown";
            }
        }
    }
}
