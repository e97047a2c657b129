namespace NfDtls.Dtls.Handshake
{
    /// <summary>Handshake message types (RFC 5246 §7.4, HelloVerifyRequest from RFC 6347 §4.2.1).</summary>
    public static class HandshakeType
    {
        public const int HelloRequest = 0;
        public const int ClientHello = 1;
        public const int ServerHello = 2;
        public const int HelloVerifyRequest = 3;
        /// <summary>RFC 5077 §3.3.</summary>
        public const int NewSessionTicket = 4;
        public const int Certificate = 11;
        public const int ServerKeyExchange = 12;
        public const int CertificateRequest = 13;
        public const int ServerHelloDone = 14;
        public const int CertificateVerify = 15;
        public const int ClientKeyExchange = 16;
        public const int Finished = 20;

        /// <summary>The DTLS handshake header: type, length(3), message_seq(2), fragment_offset(3), fragment_length(3) (RFC 6347 §4.2.2).</summary>
        public const int HeaderLength = 12;

        /// <summary>Readable names for the -v log (diagnostics only).</summary>
        public static string Name(int type)
        {
            switch (type)
            {
                case HelloRequest: return "HelloRequest";
                case ClientHello: return "ClientHello";
                case ServerHello: return "ServerHello";
                case HelloVerifyRequest: return "HelloVerifyRequest";
                case NewSessionTicket: return "NewSessionTicket";
                case Certificate: return "Certificate";
                case ServerKeyExchange: return "ServerKeyExchange";
                case CertificateRequest: return "CertificateRequest";
                case ServerHelloDone: return "ServerHelloDone";
                case CertificateVerify: return "CertificateVerify";
                case ClientKeyExchange: return "ClientKeyExchange";
                case Finished: return "Finished";
                default: return "handshake(" + type.ToString() + ")";
            }
        }
    }
}
