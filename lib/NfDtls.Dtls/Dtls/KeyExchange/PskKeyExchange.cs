using NfDtls.Dtls.Handshake;
using NfDtls.Wire;

namespace NfDtls.Dtls.KeyExchange
{
    /// <summary>
    /// Plain PSK key exchange (RFC 4279 §2) for TLS_PSK_WITH_AES_128_CCM_8. No per-handshake state: the identity
    /// lives in the session, the key is looked up (server) or held once (client). ServerKeyExchange carries only the
    /// identity hint and is sent only when a hint is configured (RFC 4279 §2, RFC 7925 §4.1).
    /// An unknown identity is hidden by default (RFC 4279 §2): the server carries on with a decoy key drawn at start-up,
    /// which no client knows, so the handshake fails on the client's Finished exactly as with a wrong key.
    /// </summary>
    public sealed class PskKeyExchange : DtlsKeyExchange
    {
        private readonly IPskStore _store;
        private readonly byte[] _hint;
        private readonly byte[] _identity;
        private readonly byte[] _key;
        private readonly byte[] _keyScratch;
        private readonly byte[] _decoyKey;
        private readonly IDtlsEvents _events;
        private readonly Diagnostics.ILog _log;
        private DtlsSession _unknownPending;
        private int _unknownIdentities;

        /// <summary>Length of the decoy key: the common PSK size (RFC 7925 §4.2 keys are 16 bytes or more).</summary>
        private const int DecoyKeyLength = 16;

        /// <summary>Server side: keys from a store; hint and identity hiding from the configuration.</summary>
        internal PskKeyExchange(IPskStore store, DtlsConfig config, IDtlsEvents events)
        {
            _store = store;
            _hint = config.PskIdentityHint;
            _events = events;
            _log = config.Log;
            _keyScratch = new byte[DtlsContext.MaxPskLength];
            if (config.HideUnknownPskIdentity)
            {
                _decoyKey = new byte[DecoyKeyLength];
                config.Random.GetBytes(_decoyKey, 0, DecoyKeyLength);
            }
        }

        /// <summary>Server: ClientKeyExchanges that named an identity the store does not hold.</summary>
        internal int UnknownIdentities { get { return _unknownIdentities; } }

        /// <summary>
        /// Server: raises <see cref="IDtlsEvents.OnUnknownPskIdentity"/> for the identity seen while the last datagram
        /// was handled. Deferred until then so the application's handler adds nothing to the time the client can
        /// measure between its flight and our answer.
        /// </summary>
        internal void ReportUnknownIdentity()
        {
            DtlsSession session = _unknownPending;
            if (session != null)
            {
                _unknownPending = null;
                _events.OnUnknownPskIdentity(session);
            }
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

        /// <summary>RFC 4279 §2: no certificates either way; the server's hint (ServerKeyExchange) is optional.</summary>
        internal override int MessageRule(DtlsHandshake handshake, int type)
        {
            return type == HandshakeType.ServerKeyExchange ? ExpectedFlights.Optional : ExpectedFlights.Forbidden;
        }

        internal override bool WriteServerKeyExchange(DtlsHandshake handshake, ref WireWriter body)
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

        internal override int ReadClientKeyExchange(DtlsHandshake handshake, byte[] buffer, int offset, int length,
                                                    byte[] premaster, out int premasterLength)
        {
            premasterLength = 0;
            WireReader r = new WireReader(buffer, offset, length);
            WireReader identity = r.ReadVector16();
            if (r.Failed || !r.IsEmpty || identity.Remaining == 0)
            {
                return AlertDescription.DecodeError;
            }
            DtlsSession session = handshake.Session;
            int keyLength = 0;
            bool known = session.SetPskIdentity(buffer, identity.Position, identity.Remaining)
                && _store != null && _store.TryGetKey(buffer, identity.Position, identity.Remaining, _keyScratch, out keyLength)
                && keyLength > 0 && keyLength <= DtlsContext.MaxPskLength;
            if (!known)
            {
                System.Array.Clear(_keyScratch, 0, _keyScratch.Length); // a store may have written part of a key
                NoteUnknownIdentity(session);
                if (_decoyKey == null)
                {
                    return AlertDescription.UnknownPskIdentity; // RFC 4279 §2: the server MAY say so
                }
                // RFC 4279 §2: "continue the protocol as if the PSK identity existed but the key was incorrect".
                System.Array.Copy(_decoyKey, 0, _keyScratch, 0, DecoyKeyLength);
                keyLength = DecoyKeyLength;
            }
            premasterLength = WritePremaster(_keyScratch, keyLength, premaster);
            System.Array.Clear(_keyScratch, 0, _keyScratch.Length);
            return 0;
        }

        private void NoteUnknownIdentity(DtlsSession session)
        {
            _unknownIdentities++;
            if (_log.Enabled)
            {
                _log.Write(string.Concat("server ", session.Peer.ToString(), ": unknown PSK identity '", session.PskIdentityText(),
                                         _decoyKey != null ? "' (hidden: carrying on with a decoy key, RFC 4279 §2)" : "'"));
            }
            if (_unknownPending != null && _unknownPending != session)
            {
                ReportUnknownIdentity();
            }
            _unknownPending = session;
        }

        internal override int ReadServerKeyExchange(DtlsHandshake handshake, byte[] buffer, int offset, int length)
        {
            WireReader r = new WireReader(buffer, offset, length);
            r.ReadVector16(); // the hint: we have one identity, so it only goes to the log
            return r.Failed || !r.IsEmpty ? AlertDescription.DecodeError : 0;
        }

        internal override int WriteClientKeyExchange(DtlsHandshake handshake, ref WireWriter body,
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
            handshake.Session.SetPskIdentity(_identity, 0, _identity.Length);
            premasterLength = WritePremaster(_key, _key.Length, premaster);
            return body.Failed ? AlertDescription.InternalError : 0;
        }

        /// <summary>
        /// Server: the identity the client presented. Client: a fingerprint of our identity and key (the first 16 bytes of
        /// HMAC-SHA256 keyed with the key over the identity), so a session is never resumed after either changed, and no
        /// key is kept. (A collision could only offer a session the server then cannot finish: the master secret decides.)
        /// </summary>
        internal override int WritePeerIdentity(DtlsHandshake handshake, byte[] output, int offset, int max)
        {
            if (_identity != null)
            {
                int length = Resumption.ClientResumption.PskPeerLength;
                if (max < length)
                {
                    return -1;
                }
                byte[] mac = handshake.Context.Hash;
                Fingerprint(handshake, mac, 0);
                System.Array.Copy(mac, 0, output, offset, length);
                System.Array.Clear(mac, 0, mac.Length);
                return length;
            }
            DtlsSession session = handshake.Session;
            int n = session.PskIdentityLength;
            if (n == 0 || n > max)
            {
                return -1;
            }
            session.CopyPskIdentity(output, offset);
            return n;
        }

        /// <summary>Server: the identity must still be in the store. Client: the fingerprint must be that of today's identity and key.</summary>
        internal override bool RestorePeerIdentity(DtlsHandshake handshake, byte[] record, int offset, int length, bool apply)
        {
            DtlsSession session = handshake.Session;
            if (_identity != null)
            {
                byte[] mine = handshake.Context.Hash;
                Fingerprint(handshake, mine, 0);
                int n = Resumption.ClientResumption.PskPeerLength;
                bool same = length == n && Crypto.ConstantTime.Equals(mine, 0, record, offset, n);
                System.Array.Clear(mine, 0, mine.Length);
                if (same && apply)
                {
                    session.SetPskIdentity(_identity, 0, _identity.Length);
                }
                return same;
            }
            int keyLength;
            bool known = length > 0 && length <= handshake.Context.Config.MaxPskIdentityLength && _store != null
                && _store.TryGetKey(record, offset, length, _keyScratch, out keyLength) && keyLength > 0;
            System.Array.Clear(_keyScratch, 0, _keyScratch.Length);
            if (known && apply)
            {
                session.SetPskIdentity(record, offset, length);
            }
            return known;
        }

        private void Fingerprint(DtlsHandshake handshake, byte[] output, int offset)
        {
            Crypto.IHmacSha256 mac = handshake.Context.Hmac;
            mac.SetKey(_key, 0, _key.Length);
            mac.Update(_identity, 0, _identity.Length);
            mac.Finish(output, offset);
        }

        /// <summary>RFC 4279 §2: uint16 N, N zero bytes (other_secret), uint16 N, the N-byte PSK.</summary>
        internal static int WritePremaster(byte[] key, int keyLength, byte[] premaster)
        {
            WireWriter.WriteUInt16At(premaster, 0, keyLength);
            System.Array.Clear(premaster, 2, keyLength);
            WireWriter.WriteUInt16At(premaster, 2 + keyLength, keyLength);
            System.Array.Copy(key, 0, premaster, 4 + keyLength, keyLength);
            return 4 + 2 * keyLength;
        }
    }
}
