namespace NfDtls.Dtls.Handshake
{
    /// <summary>Alert levels and descriptions used here (RFC 5246 §7.2, RFC 4279 §2).</summary>
    public static class AlertDescription
    {
        public const int LevelWarning = 1;
        public const int LevelFatal = 2;

        public const int CloseNotify = 0;
        public const int UnexpectedMessage = 10;
        public const int BadRecordMac = 20;
        public const int HandshakeFailure = 40;
        public const int BadCertificate = 42;
        public const int UnsupportedCertificate = 43;
        public const int CertificateExpired = 45;
        public const int IllegalParameter = 47;
        public const int UnknownCa = 48;
        public const int DecodeError = 50;
        public const int DecryptError = 51;
        public const int ProtocolVersion = 70;
        public const int InsufficientSecurity = 71;
        public const int InternalError = 80;
        public const int NoRenegotiation = 100;
        public const int UnsupportedExtension = 110;
        public const int UnknownPskIdentity = 115;

        /// <summary>Readable names for logs and the CLI (diagnostics only).</summary>
        public static string Name(int description)
        {
            switch (description)
            {
                case CloseNotify: return "close_notify";
                case UnexpectedMessage: return "unexpected_message";
                case BadRecordMac: return "bad_record_mac";
                case HandshakeFailure: return "handshake_failure";
                case BadCertificate: return "bad_certificate";
                case UnsupportedCertificate: return "unsupported_certificate";
                case CertificateExpired: return "certificate_expired";
                case IllegalParameter: return "illegal_parameter";
                case UnknownCa: return "unknown_ca";
                case DecodeError: return "decode_error";
                case DecryptError: return "decrypt_error";
                case ProtocolVersion: return "protocol_version";
                case InsufficientSecurity: return "insufficient_security";
                case InternalError: return "internal_error";
                case NoRenegotiation: return "no_renegotiation";
                case UnsupportedExtension: return "unsupported_extension";
                case UnknownPskIdentity: return "unknown_psk_identity";
                default: return "alert(" + description.ToString() + ")";
            }
        }
    }
}
