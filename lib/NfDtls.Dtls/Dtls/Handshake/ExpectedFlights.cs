namespace NfDtls.Dtls.Handshake
{
    /// <summary>
    /// What the peer's next flight may hold, as data rather than steps and switches (after pion/dtls's per-flight
    /// lists): each flight is a list of {message type, epoch, rule} in the order RFC 5246 §7.3 and RFC 6347 §4.2.4
    /// fix. A cursor walks the list as messages arrive in message_seq order (<see cref="Match"/>): a message must be
    /// the next entry, optional entries may be skipped, a required one may not, and nothing comes twice. The
    /// ChangeCipherSpec record (RFC 5246 §7.1) has its place in the list like a message, so a Finished without it
    /// before is out of order. Whether a suite-dependent entry (Certificate, ServerKeyExchange, CertificateRequest,
    /// CertificateVerify) is required, optional or forbidden is asked of the key exchange.
    /// </summary>
    internal static class ExpectedFlights
    {
        /// <summary>The ChangeCipherSpec record's place in a flight (not a handshake type: those fit in 8 bits).</summary>
        public const int ChangeCipherSpec = 0x100;

        public const int Required = 0;
        public const int Optional = 1;
        public const int Forbidden = 2;
        /// <summary>The key exchange decides (<see cref="KeyExchange.DtlsKeyExchange.MessageRule"/>).</summary>
        public const int BySuite = 3;

        /// <summary><see cref="Match"/>: the message belongs to the flight but not here (out of order, repeated, forbidden).</summary>
        public const int OutOfOrder = -1;
        /// <summary><see cref="Match"/>: the message is no part of this flight at all (or in the wrong epoch).</summary>
        public const int Foreign = -2;

        private const int TypeMask = 0x1FF;
        private const int EpochShift = 9;
        private const int RuleShift = 10;

        private static int E(int type, int epoch, int rule)
        {
            return type | (epoch << EpochShift) | (rule << RuleShift);
        }

        /// <summary>Flights 1 and 3: ClientHello (RFC 6347 §4.2.1).</summary>
        public static readonly int[] ClientHello = { E(HandshakeType.ClientHello, 0, Required) };

        /// <summary>
        /// Flight 2 or 4 (RFC 6347 §4.2.1, RFC 5246 §7.3): a HelloVerifyRequest alone, or ServerHello, Certificate*,
        /// ServerKeyExchange*, CertificateRequest*, ServerHelloDone.
        /// </summary>
        public static readonly int[] ServerHello =
        {
            E(HandshakeType.HelloVerifyRequest, 0, Optional),
            E(HandshakeType.ServerHello, 0, Required),
            E(HandshakeType.Certificate, 0, BySuite),
            E(HandshakeType.ServerKeyExchange, 0, BySuite),
            E(HandshakeType.CertificateRequest, 0, BySuite),
            E(HandshakeType.ServerHelloDone, 0, Required),
        };

        /// <summary>Flight 5: Certificate*, ClientKeyExchange, CertificateVerify*, [ChangeCipherSpec], Finished (epoch 1).</summary>
        public static readonly int[] ClientFinished =
        {
            E(HandshakeType.Certificate, 0, BySuite),
            E(HandshakeType.ClientKeyExchange, 0, Required),
            E(HandshakeType.CertificateVerify, 0, BySuite),
            E(ChangeCipherSpec, 0, Required),
            E(HandshakeType.Finished, 1, Required),
        };

        /// <summary>Flight 6: [NewSessionTicket] (RFC 5077 §3.3), [ChangeCipherSpec], Finished (epoch 1).</summary>
        public static readonly int[] ServerFinished =
        {
            E(HandshakeType.NewSessionTicket, 0, Optional),
            E(ChangeCipherSpec, 0, Required),
            E(HandshakeType.Finished, 1, Required),
        };

        /// <summary>
        /// The server's flight once its ServerHello resumed our session (RFC 5246 §7.3, RFC 5077 §3.1): the same
        /// positions as <see cref="ServerHello"/> up to the ServerHello, then [NewSessionTicket], [ChangeCipherSpec],
        /// Finished (epoch 1). The client switches to it from <see cref="ServerHello"/> after the ServerHello.
        /// </summary>
        public static readonly int[] ResumedServerHello =
        {
            E(HandshakeType.HelloVerifyRequest, 0, Optional),
            E(HandshakeType.ServerHello, 0, Required),
            E(HandshakeType.NewSessionTicket, 0, Optional),
            E(ChangeCipherSpec, 0, Required),
            E(HandshakeType.Finished, 1, Required),
        };

        /// <summary>The client's answer to an abbreviated handshake (RFC 5246 §7.3): [ChangeCipherSpec], Finished (epoch 1).</summary>
        public static readonly int[] ResumedClientFinished =
        {
            E(ChangeCipherSpec, 0, Required),
            E(HandshakeType.Finished, 1, Required),
        };

        public static int TypeAt(int[] flight, int index)
        {
            return flight[index] & TypeMask;
        }

        /// <summary>True when <paramref name="type"/> in <paramref name="epoch"/> can be part of the flight at all.</summary>
        public static bool Contains(int[] flight, int type, int epoch)
        {
            for (int i = 0; i < flight.Length; i++)
            {
                int e = flight[i];
                if ((e & TypeMask) == type && ((e >> EpochShift) & 1) == epoch)
                {
                    return true;
                }
            }
            return false;
        }

        /// <summary>
        /// The entry at or after <paramref name="cursor"/> that this message fills, or <see cref="OutOfOrder"/> /
        /// <see cref="Foreign"/>. Entries skipped on the way must be optional (or forbidden by the suite).
        /// </summary>
        public static int Match(int[] flight, int cursor, int type, int epoch, DtlsHandshake handshake)
        {
            if (!Contains(flight, type, epoch))
            {
                return Foreign;
            }
            for (int i = cursor; i < flight.Length; i++)
            {
                int e = flight[i];
                int t = e & TypeMask;
                int rule = (e >> RuleShift) & 3;
                if (rule == BySuite)
                {
                    rule = handshake.KeyExchange != null ? handshake.KeyExchange.MessageRule(handshake, t) : Forbidden;
                }
                if (t == type)
                {
                    return rule == Forbidden ? OutOfOrder : i;
                }
                if (rule == Required)
                {
                    return OutOfOrder;
                }
            }
            return OutOfOrder;
        }
    }
}
