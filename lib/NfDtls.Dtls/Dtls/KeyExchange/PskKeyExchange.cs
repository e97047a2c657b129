using NfDtls.Dtls.Handshake;
using NfDtls.Wire;

namespace NfDtls.Dtls.KeyExchange
{
    /// <summary>
    /// Plain PSK key exchange (RFC 4279 §2) for TLS_PSK_WITH_AES_128_CCM_8. No per-session state: the identity
    /// lives in the session, the key is looked up (server) or held once (client). ServerKeyExchange carries only the
    /// identity hint and is sent only when a hint is configured (RFC 4279 §2, RFC 7925 §4.1).
    /// </summary>
    public sealed class PskKeyExchange : DtlsKeyExchange
    {
        private readonly IPskStore _store;
        private readonly byte[] _hint;
        private readonly byte[] _identity;
        private readonly byte[] _key;
        private readonly byte[] _keyScratch;

        /// <summary>Server side: keys from a store, optional hint.</summary>
        public PskKeyExchange(IPskStore store, byte[] identityHint)
        {
            _store = store;
            _hint = identityHint;
            _keyScratch = new byte[DtlsContext.MaxPskLength];
        }

        /// <summary>Client side: one identity and key.</summary>
        public PskKeyExchange(byte[] identity, byte[] key)
        {
            if (identity == null || key == null || key.Length == 0 || key.Length > DtlsContext.MaxPskLength)
            {
                throw new System.ArgumentException("PSK identity and a 1..64 byte key are required");
            }
            _identity = new byte[identity.Length];
            System.Array.Copy(identity, 0, _identity, 0, identity.Length);
            _key = new byte[key.Length];
            System.Array.Copy(key, 0, _key, 0, key.Length);
        }

        public override int CipherSuite { get { return Dtls.CipherSuite.TlsPskWithAes128Ccm8; } }

        public override bool WriteServerKeyExchange(DtlsSession session, ref WireWriter body)
        {
            if (_hint == null)
            {
                return false;
            }
            int mark = body.BeginVector(2);
            body.WriteBytes(_hint, 0, _hint.Length);
            body.EndVector(mark, 2);
            return true;
        }

        public override int ReadClientKeyExchange(DtlsSession session, byte[] buffer, int offset, int length,
                                                  byte[] premaster, out int premasterLength)
        {
            premasterLength = 0;
            WireReader r = new WireReader(buffer, offset, length);
            WireReader identity = r.ReadVector16();
            if (r.Failed || !r.IsEmpty || identity.Remaining == 0)
            {
                return AlertDescription.DecodeError;
            }
            if (!session.SetPskIdentity(buffer, identity.Position, identity.Remaining))
            {
                return AlertDescription.UnknownPskIdentity;
            }
            int keyLength;
            if (_store == null || !_store.TryGetKey(buffer, identity.Position, identity.Remaining, _keyScratch, out keyLength)
                || keyLength <= 0 || keyLength > DtlsContext.MaxPskLength)
            {
                // RFC 4279 §2: an unknown identity MAY be answered with unknown_psk_identity.
                return AlertDescription.UnknownPskIdentity;
            }
            premasterLength = WritePremaster(_keyScratch, keyLength, premaster);
            System.Array.Clear(_keyScratch, 0, _keyScratch.Length);
            return 0;
        }

        public override int ReadServerKeyExchange(DtlsSession session, byte[] buffer, int offset, int length)
        {
            WireReader r = new WireReader(buffer, offset, length);
            r.ReadVector16(); // the hint: we have one identity, so it only goes to the log
            return r.Failed || !r.IsEmpty ? AlertDescription.DecodeError : 0;
        }

        public override int WriteClientKeyExchange(DtlsSession session, ref WireWriter body,
                                                   byte[] premaster, out int premasterLength)
        {
            premasterLength = 0;
            if (_identity == null)
            {
                return AlertDescription.InternalError;
            }
            int mark = body.BeginVector(2);
            body.WriteBytes(_identity, 0, _identity.Length);
            body.EndVector(mark, 2);
            session.SetPskIdentity(_identity, 0, _identity.Length);
            premasterLength = WritePremaster(_key, _key.Length, premaster);
            return body.Failed ? AlertDescription.InternalError : 0;
        }

        /// <summary>RFC 4279 §2: uint16 N, N zero bytes (other_secret), uint16 N, the N-byte PSK.</summary>
        public static int WritePremaster(byte[] key, int keyLength, byte[] premaster)
        {
            WireWriter.WriteUInt16At(premaster, 0, keyLength);
            System.Array.Clear(premaster, 2, keyLength);
            WireWriter.WriteUInt16At(premaster, 2 + keyLength, keyLength);
            System.Array.Copy(key, 0, premaster, 4 + keyLength, keyLength);
            return 4 + 2 * keyLength;
        }
    }
}
