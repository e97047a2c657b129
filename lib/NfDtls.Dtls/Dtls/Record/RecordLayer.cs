using NfDtls.Net;

namespace NfDtls.Dtls.Record
{
    /// <summary>
    /// The record layer of one engine (RFC 6347 §4.1) for all its sessions: builds and seals outgoing records in the
    /// engine's datagram buffer, and authenticates, replay-checks and opens incoming protected records where they lie
    /// in the received datagram. Sessions keep only their key bytes (<see cref="SessionLayout"/>); the two AES-CCM engines here
    /// are keyed from them on demand and remember whose keys they hold, so a run of records of one session (the usual
    /// case) pays for no key schedule, and the portable AES key schedule allocates nothing when it does run.
    /// Epoch-1 records of a session that negotiated Connection IDs towards its peer are tls12_cid records (RFC 9146 §4).
    /// </summary>
    internal sealed class RecordLayer
    {
        /// <summary><see cref="Open"/>: the record is not for us (state, epoch, replay, size); nothing was tried.</summary>
        public const int Refused = -1;
        /// <summary><see cref="Open"/>: the record failed authentication (RFC 6347 §4.1.2.7: dropped silently).</summary>
        public const int NotAuthentic = -2;

        private readonly DtlsContext _ctx;
        private readonly RecordProtection _read;
        private readonly RecordProtection _write;
        private DtlsSession _readOwner;
        private DtlsSession _writeOwner;

        public RecordLayer(DtlsContext context)
        {
            _ctx = context;
            int maxCid = context.Config.ConnectionIdLength != 0 ? RecordProtection.MaxCidLength : 0;
            _read = new RecordProtection(context.Config.Crypto, maxCid);
            _write = new RecordProtection(context.Config.Crypto, maxCid);
        }

        /// <summary>The session's keys changed or it ended: neither engine may use what it holds for it.</summary>
        public void Forget(DtlsSession s)
        {
            if (_readOwner == s)
            {
                _readOwner = null;
                _read.Clear();
            }
            if (_writeOwner == s)
            {
                _writeOwner = null;
                _write.Clear();
            }
        }

        /// <summary>Epoch-1 keys from a key block in the order of RFC 5246 §6.3 (client key, server key, client IV, server IV).</summary>
        public void SetKeys(DtlsSession s, byte[] keyBlock)
        {
            Forget(s);
            byte[] st = s.RecordState;
            bool client = s.IsClient;
            System.Array.Copy(keyBlock, client ? 0 : 16, st, SessionLayout.WriteKey, 16);
            System.Array.Copy(keyBlock, client ? 32 : 36, st, SessionLayout.WriteIv, 4);
            System.Array.Copy(keyBlock, client ? 16 : 0, st, SessionLayout.ReadKey, 16);
            System.Array.Copy(keyBlock, client ? 36 : 32, st, SessionLayout.ReadIv, 4);
            s.SetFlag(DtlsSession.FlagHasKeys, true);
            s.ReadHighest = -1;
            s.ReadWindow = 0;
            s.WriteSequence = 0;
        }

        // ---------------------------------------------------------------- CID geometry (RFC 9146)

        /// <summary>Length of the CID our protected records carry to the peer (0: plain RFC 6347 records).</summary>
        public static int SentCidLength(DtlsSession s)
        {
            return s.UsesConnectionId ? s.RecordState[s.CidArea + 1 + RecordProtection.MaxCidLength] : 0;
        }

        /// <summary>Header length of our epoch-1 records: 13, plus the CID in tls12_cid records.</summary>
        public static int ProtectedHeaderLength(DtlsSession s)
        {
            return RecordHeader.Length + SentCidLength(s);
        }

        /// <summary>Bytes an epoch-1 record adds to its plaintext: header, explicit nonce, tag, and the inner type byte with a CID.</summary>
        public static int ProtectedOverhead(DtlsSession s)
        {
            int cid = SentCidLength(s);
            return RecordHeader.Length + RecordProtection.Overhead + (cid > 0 ? cid + 1 : 0);
        }

        /// <summary>Where the plaintext of an epoch-1 record built at <paramref name="at"/> goes.</summary>
        public static int PlaintextOffset(DtlsSession s, int at)
        {
            return at + ProtectedHeaderLength(s) + RecordProtection.ExplicitNonceLength;
        }

        // ---------------------------------------------------------------- out

        /// <summary>Sends one record in the session's current write epoch as its own datagram.</summary>
        public bool Send(DtlsSession s, int type, byte[] source, int offset, int count)
        {
            byte[] dg = _ctx.Datagram;
            if (ProtectedOverhead(s) + count > dg.Length)
            {
                return false;
            }
            int n;
            if ((s.Flags & DtlsSession.FlagWriteEpoch1) == 0)
            {
                n = WritePlain(s, dg, 0, type, source, offset, count);
            }
            else
            {
                System.Array.Copy(source, offset, dg, PlaintextOffset(s, 0), count);
                n = Seal(s, dg, 0, type, count);
            }
            if (n < 0)
            {
                return false;
            }
            _ctx.Sink.Send(dg, 0, n, s.Peer);
            return true;
        }

        /// <summary>An epoch-0 record at <paramref name="at"/> with the next epoch-0 sequence number; returns its length.</summary>
        public int WritePlain(DtlsSession s, byte[] dg, int at, int type, byte[] source, int offset, int count)
        {
            RecordHeader.Write(dg, at, type, ProtocolVersion.Dtls12, 0, NextPlainSequence(s), count);
            System.Array.Copy(source, offset, dg, at + RecordHeader.Length, count);
            return RecordHeader.Length + count;
        }

        /// <summary>Takes the next epoch-0 record number (48 bits, RFC 6347 §4.1).</summary>
        public static long NextPlainSequence(DtlsSession s)
        {
            byte[] st = s.RecordState;
            long sequence = SessionLayout.ReadLong(st, SessionLayout.WriteSequence0, 6);
            SessionLayout.WriteLong(st, SessionLayout.WriteSequence0, 6, sequence + 1);
            return sequence;
        }

        /// <summary>
        /// Protects an epoch-1 record whose <paramref name="plainLength"/> plaintext bytes already sit at
        /// <see cref="PlaintextOffset"/>: a plain record (RFC 6347 §4.1), or a tls12_cid record with the real type
        /// appended as DTLSInnerPlaintext, no padding (RFC 9146 §4). Returns its length or -1.
        /// </summary>
        public int Seal(DtlsSession s, byte[] dg, int at, int type, int plainLength)
        {
            if ((s.Flags & DtlsSession.FlagHasKeys) == 0)
            {
                return -1;
            }
            if (_writeOwner != s)
            {
                _write.SetKey(s.RecordState, SessionLayout.WriteKey, s.RecordState, SessionLayout.WriteIv);
                _writeOwner = s;
            }
            long sequence = s.WriteSequence++;
            int cid = SentCidLength(s);
            if (cid == 0)
            {
                RecordHeader.Write(dg, at, type, ProtocolVersion.Dtls12, 1, sequence, plainLength);
                return _write.Seal(dg, at, plainLength);
            }
            int peerCid = s.CidArea + 2 + RecordProtection.MaxCidLength;
            dg[at + RecordHeader.Length + cid + RecordProtection.ExplicitNonceLength + plainLength] = (byte)type;
            RecordHeader.WriteWithCid(dg, at, ProtocolVersion.Dtls12, 1, sequence, s.RecordState, peerCid, cid, plainLength + 1);
            return _write.SealWithCid(dg, at, cid, plainLength + 1);
        }

        // ---------------------------------------------------------------- in

        /// <summary>
        /// Authenticates and decrypts an epoch-1 record of <paramref name="s"/> in place: the plaintext replaces the
        /// ciphertext in the received datagram, right after the explicit nonce (<paramref name="plainOffset"/>), so it is
        /// handed on where it lies and the engine needs no second record buffer. Replay-checked before (RFC 6347
        /// §4.1.2.6) and the window moved only after authentication, so forged records move nothing; a record that
        /// fails authentication has its fragment zeroed (nothing of it is released). Returns the plaintext length,
        /// <see cref="Refused"/> or <see cref="NotAuthentic"/>. <paramref name="moved"/>: a tls12_cid record, the newest
        /// yet, from another address (RFC 9146 §6).
        /// </summary>
        public int Open(DtlsSession s, byte[] buffer, ref RecordHeader h, PeerAddress from, out int type, out bool moved, out int plainOffset)
        {
            type = h.Type;
            moved = false;
            plainOffset = h.FragmentOffset + RecordProtection.ExplicitNonceLength;
            // RFC 9146 §3: once we asked for a CID, the peer's protected records are tls12_cid records with our CID;
            // otherwise they are plain RFC 6347 records.
            int ownCid = s.UsesConnectionId ? s.RecordState[s.CidArea] : 0;
            bool hasCid = h.Type == ContentType.Tls12Cid;
            if ((s.Flags & DtlsSession.FlagHasKeys) == 0 || hasCid != (ownCid > 0)
                || !ReplayWindow.IsFresh(s.ReadHighest, s.ReadWindow, _ctx.Config.ReplayWindow, h.Sequence)
                || h.FragmentLength > _ctx.Config.MaxRecordPlaintext + RecordProtection.Overhead + (hasCid ? 1 : 0))
            {
                return Refused;
            }
            if (_readOwner != s)
            {
                _read.SetKey(s.RecordState, SessionLayout.ReadKey, s.RecordState, SessionLayout.ReadIv);
                _readOwner = s;
            }
            int n;
            if (hasCid)
            {
                if (!s.HasOwnConnectionId(buffer, h.CidOffset, h.CidLength))
                {
                    return Refused;
                }
                n = _read.OpenWithCid(h.Version, buffer, h.RecordOffset + 3, buffer, h.CidOffset, h.CidLength,
                                      buffer, h.FragmentOffset, h.FragmentLength, buffer, plainOffset);
                if (n > 0)
                {
                    // DTLSInnerPlaintext: content ‖ real type ‖ zeros; the last non-zero byte is the type (RFC 9146 §4).
                    n--;
                    while (n > 0 && buffer[plainOffset + n] == 0)
                    {
                        n--;
                    }
                    type = buffer[plainOffset + n];
                    if (type == 0)
                    {
                        return NotAuthentic;
                    }
                }
            }
            else
            {
                n = _read.Open(h.Type, h.Version, buffer, h.RecordOffset + 3, buffer, h.FragmentOffset, h.FragmentLength, buffer, plainOffset);
            }
            if (n < 0)
            {
                return NotAuthentic;
            }
            bool newest = h.Sequence > s.ReadHighest;
            ReplayWindow.Accept(ref s.ReadHighest, ref s.ReadWindow, _ctx.Config.ReplayWindow, h.Sequence);
            moved = hasCid && newest && from != null && !from.SameAs(s.Peer);
            return n;
        }
    }
}
