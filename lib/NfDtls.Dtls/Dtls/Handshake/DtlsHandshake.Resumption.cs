using NfDtls.Crypto;
using NfDtls.Dtls.KeyExchange;
using NfDtls.Dtls.Record;
using NfDtls.Dtls.Resumption;
using NfDtls.Wire;

namespace NfDtls.Dtls.Handshake
{
    /// <summary>
    /// Session resumption (RFC 5246 §7.3, RFC 6347 §4.2.4, RFC 5077, RFC 7627 §5.3): the resumable record of a session,
    /// the server's choice to resume (a ticket, else a cached session ID), the abbreviated flights and the client's
    /// offer. Only sessions with the extended master secret are resumed, only with the same suite, and only when the
    /// suite still accepts the remembered peer identity (<see cref="KeyExchange.DtlsKeyExchange.RestorePeerIdentity"/>).
    /// In the abbreviated handshake the server sends the first Finished, so the client's Finished is the final flight:
    /// the client keeps what resending it takes in its session, and the server retransmits its flight on its timer.
    /// </summary>
    internal sealed partial class DtlsHandshake
    {
        internal DtlsContext Context { get { return _ctx; } }

        /// <summary>
        /// This handshake's resumable record (<see cref="ResumptionRecord"/>) at <paramref name="at"/>; its length, or -1
        /// when the suite cannot say who the peer is within <paramref name="peerMax"/> bytes.
        /// </summary>
        private int WriteResumptionRecord(byte[] record, int at, int peerMax)
        {
            int n = _kx.WritePeerIdentity(this, record, at + ResumptionRecord.Peer, peerMax);
            if (n < 0)
            {
                return -1;
            }
            WireWriter.WriteUInt16At(record, at + ResumptionRecord.Suite, _kx.CipherSuite);
            record[at + ResumptionRecord.Flags] = (byte)(_session.UsesExtendedMasterSecret ? ResumptionRecord.FlagExtendedMasterSecret : 0);
            System.Array.Copy(Secrets, MasterSecret, record, at + ResumptionRecord.MasterSecret, 48);
            WireWriter.WriteUInt16At(record, at + ResumptionRecord.PeerLength, n);
            return ResumptionRecord.Peer + n;
        }

        // ================================================================ server

        /// <summary>
        /// Server: the suite index of the session this hello resumes, or -1 for a full handshake. A ticket is tried first
        /// (RFC 5077 §3.4; a forged, damaged, expired or unknown-key ticket is no error, just a full handshake), then the
        /// session ID in the cache. Never without the extended master secret in this hello (RFC 7627 §5.3), never with a
        /// suite the client no longer offers, never when the suite refuses the remembered peer (PSK: identity gone from
        /// the store). On success the master secret and the peer identity are restored. Notes whether the client takes
        /// tickets.
        /// </summary>
        private int FindResumableSession(byte[] buffer, ref ClientHelloView view, bool ems, long nowMs)
        {
            ServerResumption resumption = _ctx.Server.Resumption;
            if (resumption == null)
            {
                return -1;
            }
            byte[] record = resumption.Scratch;
            int n = -1;
            int dataLength;
            if (resumption.Tickets != null)
            {
                int ticket = view.FindExtension(buffer, ExtensionType.SessionTicket, out dataLength);
                if (ticket >= 0 && ems)
                {
                    _bits |= BitTicket;
                    if (dataLength > 0)
                    {
                        n = resumption.Tickets.Open(buffer, ticket, dataLength, record, 0, nowMs);
                    }
                }
            }
            if (n < 0 && ems && resumption.Cache != null)
            {
                n = resumption.Cache.Find(buffer, view.SessionIdOffset, view.SessionIdLength, nowMs, record, 0);
            }
            int index = n > 0 ? ResumableSuite(record, n, buffer, ref view) : -1;
            if (index >= 0)
            {
                Select(index);
                _kx.RestorePeerIdentity(this, record, ResumptionRecord.Peer, n - ResumptionRecord.Peer, true);
                System.Array.Copy(record, ResumptionRecord.MasterSecret, Secrets, MasterSecret, 48);
                _bits &= ~BitTicket; // no new ticket on resumption
            }
            System.Array.Clear(record, 0, record.Length);
            return index;
        }

        private int ResumableSuite(byte[] record, int n, byte[] buffer, ref ClientHelloView view)
        {
            int suite = (record[ResumptionRecord.Suite] << 8) | record[ResumptionRecord.Suite + 1];
            int index = _ctx.IndexOfKeyExchange(suite);
            if (index < 0 || !view.OffersSuite(buffer, suite)
                || (record[ResumptionRecord.Flags] & ResumptionRecord.FlagExtendedMasterSecret) == 0
                || !_ctx.KeyExchanges[index].RestorePeerIdentity(this, record, ResumptionRecord.Peer, n - ResumptionRecord.Peer, false))
            {
                return -1;
            }
            return index;
        }

        /// <summary>
        /// Server, abbreviated handshake (RFC 5246 §7.3): ServerHello echoing the client's session ID (RFC 5077 §3.4),
        /// ChangeCipherSpec, Finished — one flight, retransmitted on its timer until the client's Finished arrives.
        /// </summary>
        private int SendResumedServerFlight(byte[] buffer, ref ClientHelloView view, long nowMs)
        {
            _session.SetFlag(DtlsSession.FlagResumed, true);
            Flight.Clear();
            WireWriter w = BeginMessage(0, HandshakeType.ServerHello);
            WriteServerHelloBody(ref w, buffer, view.SessionIdOffset, view.SessionIdLength);
            if (!EndMessage(ref w, true))
            {
                return AlertDescription.InternalError;
            }
            DeriveKeyBlock();
            return SendFlightEndingInFinished(TlsLabels.ServerFinished, ExpectedFlights.ResumedClientFinished, nowMs);
        }

        /// <summary>
        /// Server, end of a full handshake: the session goes into the cache under the session ID we gave, and when we
        /// promised a ticket, it is sealed into the session's record state (so the final flight can be sent again byte
        /// for byte) and its NewSessionTicket message enters the transcript before our Finished (RFC 5077 §3.3). A
        /// ticket we cannot make is sent empty (RFC 5077 §3.3).
        /// </summary>
        private void RememberFullSession(long nowMs)
        {
            ServerResumption resumption = _ctx.Server.Resumption;
            if (resumption == null)
            {
                return;
            }
            byte[] record = resumption.Scratch;
            DtlsConfig c = _ctx.Config;
            int n = _session.UsesExtendedMasterSecret ? WriteResumptionRecord(record, 0, ResumptionRecord.PeerMax(c)) : -1;
            if (n > 0 && resumption.Cache != null)
            {
                // the session ID is the one our ServerHello gave (still in the flight buffer): type, header, version, random
                int helloLength;
                int hello = Flight.FindMessage(HandshakeType.ServerHello, out helloLength);
                int id = hello + HandshakeType.HeaderLength + 2 + 32;
                if (hello >= 0 && Flight.Buffer[id] == SessionCache.SessionIdLength)
                {
                    resumption.Cache.Store(Flight.Buffer, id + 1, record, 0, n, nowMs);
                }
            }
            if ((_bits & BitTicket) != 0 && resumption.Tickets != null)
            {
                byte[] st = _session.RecordState;
                int area = SessionLayout.TicketArea(c);
                int length = n > 0 ? resumption.Tickets.Seal(record, 0, n, st, area + 2, nowMs) : 0;
                if (RecordHeader.Length + HandshakeType.HeaderLength + 6 + length > c.MaxDatagramSize)
                {
                    length = 0; // the final flight's NewSessionTicket goes unfragmented: a ticket it cannot hold is sent empty
                }
                WireWriter.WriteUInt16At(st, area, length);
                HashHeader(HandshakeType.NewSessionTicket, 4 + 2 + length, _nextSendSequence);
                byte[] lifetime = _ctx.Scratch;
                WireWriter.WriteUInt16At(lifetime, 0, (c.SessionLifetimeSeconds >> 16) & 0xFFFF);
                WireWriter.WriteUInt16At(lifetime, 2, c.SessionLifetimeSeconds & 0xFFFF);
                Transcript.Update(lifetime, 0, 4);
                Transcript.Update(st, area, 2 + length);
                if (_ctx.Log.Enabled)
                {
                    _ctx.Log.Write(string.Concat(_session.Who(), "-> NewSessionTicket (", (6 + length).ToString(), " bytes, seq ", _nextSendSequence.ToString(), ")"));
                }
                _nextSendSequence++;
                _session.SetFlag(DtlsSession.FlagTicketInFinalFlight, true);
            }
            System.Array.Clear(record, 0, record.Length);
        }

        // ================================================================ client

        /// <summary>
        /// Client: offers the last session when it is resumable with today's configuration — the extended master secret
        /// on, its suite still configured and its peer identity still ours (PSK: the same identity and key). A ticket
        /// goes with a session ID the server echoes when it accepts the ticket (RFC 5077 §3.4): our client random, fresh
        /// and random, the same in both hellos of a cookie exchange; without a ticket, the server's session ID.
        /// </summary>
        private void OfferResumption()
        {
            byte[] r = _ctx.Resumption;
            DtlsConfig c = _ctx.Config;
            if (!ClientResumption.IsResumable(r) || !c.ExtendedMasterSecret)
            {
                return;
            }
            DtlsKeyExchange kx = _ctx.FindKeyExchange(ClientResumption.SuiteOf(r));
            if (kx == null || !kx.RestorePeerIdentity(this, r, ClientResumption.Peer, ClientResumption.PeerLengthOf(r), false))
            {
                return;
            }
            if (c.SessionTickets && ClientResumption.TicketLengthOf(r) > 0)
            {
                _bits |= BitOfferedTicket;
            }
            else if (ClientResumption.SessionIdLengthOf(r) > 0)
            {
                _bits |= BitOfferedSessionId;
            }
        }

        /// <summary>Client: the ClientHello's session_id (RFC 5246 §7.4.1.2): what <see cref="OfferResumption"/> chose, or empty.</summary>
        private void WriteOfferedSessionId(ref WireWriter w)
        {
            byte[] r = _ctx.Resumption;
            if ((_bits & BitOfferedTicket) != 0)
            {
                w.WriteUInt8(32);
                w.WriteBytes(Secrets, ClientRandom, 32);
            }
            else if ((_bits & BitOfferedSessionId) != 0)
            {
                int n = ClientResumption.SessionIdLengthOf(r);
                w.WriteUInt8(n);
                w.WriteBytes(r, ClientResumption.SessionId, n);
            }
            else
            {
                w.WriteUInt8(0);
            }
        }

        /// <summary>Client: our ClientHello's SessionTicket extension (RFC 5077 §3.2): the ticket offered, or empty.</summary>
        private void WriteSessionTicketExtension(ref WireWriter w)
        {
            byte[] r = _ctx.Resumption;
            int length = (_bits & (BitOfferedTicket | BitTicketDropped)) == BitOfferedTicket ? ClientResumption.TicketLengthOf(r) : 0;
            w.WriteUInt16(ExtensionType.SessionTicket);
            w.WriteUInt16(length);
            w.WriteBytes(r, ClientResumption.TicketOffset(r), length);
        }

        /// <summary>True when the ServerHello's session ID is the one we offered: the server resumes (RFC 5246 §7.4.1.3).</summary>
        private bool ServerResumes(byte[] buffer, int offset, int length)
        {
            byte[] r = _ctx.Resumption;
            if ((_bits & BitOfferedTicket) != 0)
            {
                return length == 32 && ConstantTime.Equals(Secrets, ClientRandom, buffer, offset, 32);
            }
            int offered = ClientResumption.SessionIdLengthOf(r);
            return (_bits & BitOfferedSessionId) != 0 && offered > 0 && length == offered
                && ConstantTime.Equals(r, ClientResumption.SessionId, buffer, offset, offered);
        }

        /// <summary>
        /// Client: the server resumed our session. Same suite (RFC 5246 §7.4.1.3), and the extended master secret again
        /// (RFC 7627 §5.3: abort otherwise); the master secret and peer identity come back, new keys from the new randoms.
        /// </summary>
        private int ResumeClient(int suite, bool ems)
        {
            byte[] r = _ctx.Resumption;
            if (suite != ClientResumption.SuiteOf(r))
            {
                return AlertDescription.IllegalParameter;
            }
            if (!ems || !ClientResumption.HasExtendedMasterSecret(r))
            {
                return AlertDescription.HandshakeFailure;
            }
            if (!_kx.RestorePeerIdentity(this, r, ClientResumption.Peer, ClientResumption.PeerLengthOf(r), true))
            {
                return AlertDescription.HandshakeFailure;
            }
            System.Array.Copy(r, ClientResumption.MasterSecret, Secrets, MasterSecret, 48);
            _session.SetFlag(DtlsSession.FlagResumed, true);
            DeriveKeyBlock();
            _awaited = ExpectedFlights.ResumedServerHello; // the cursor stands after ServerHello in both lists
            return 0;
        }

        /// <summary>Client: a NewSessionTicket (RFC 5077 §3.3), only when the ServerHello announced it; kept for the next resumption.</summary>
        private int HandleNewSessionTicket(byte[] buffer, int body, int length)
        {
            if ((_bits & BitTicket) == 0)
            {
                return AlertDescription.UnexpectedMessage;
            }
            WireReader r = new WireReader(buffer, body, length);
            r.ReadUInt16(); // ticket_lifetime_hint (uint32): the server decides; we offer until it declines
            r.ReadUInt16();
            WireReader ticket = r.ReadVector16();
            if (r.Failed || !r.IsEmpty)
            {
                return AlertDescription.DecodeError;
            }
            ClientResumption.SetTicket(_ctx.Resumption, buffer, ticket.Position, ticket.Remaining);
            return 0;
        }

        /// <summary>
        /// Client, abbreviated handshake, the server's Finished verified: our ChangeCipherSpec and Finished are the final
        /// flight (RFC 5246 §7.3). Like the server's final flight of a full handshake, it is rebuilt from the session's
        /// bytes whenever the server repeats its Finished (RFC 6347 §4.2.4), so the handshake goes back to the pool now.
        /// </summary>
        private int SendClientFinalFlight(int serverFinishedSequence, long nowMs)
        {
            DtlsSession s = _session;
            SendFinalFlight(TlsLabels.ClientFinished, serverFinishedSequence, nowMs);
            ClientResumption.Commit(_ctx.Resumption); // a renewed ticket replaces the old one
            s.Connected();
            return 0;
        }

        /// <summary>Client, full handshake done: this session becomes the one to resume (only with the extended master secret).</summary>
        private void RememberClientSession()
        {
            byte[] r = _ctx.Resumption;
            if (!_session.UsesExtendedMasterSecret)
            {
                ClientResumption.Forget(r);
                return;
            }
            ClientResumption.SetSession(r, _kx.CipherSuite, true, Secrets, MasterSecret);
            int n = _kx.WritePeerIdentity(this, r, ClientResumption.Peer, ClientResumption.PeerRoomOf(r));
            if (n < 0)
            {
                ClientResumption.Forget(r);
                return;
            }
            ClientResumption.SetPeerLength(r, n);
            ClientResumption.Commit(r);
        }
    }
}
