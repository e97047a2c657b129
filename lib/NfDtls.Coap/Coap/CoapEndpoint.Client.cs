using NfDtls.Coap.Blockwise;
using NfDtls.Coap.Client;
using NfDtls.Coap.Message;
using NfDtls.Coap.Messaging;
using NfDtls.Coap.Observe;
using NfDtls.Net;

namespace NfDtls.Coap
{
    /// <summary>
    /// The client role: requests with token matching (§5.3.2), NSTART (§4.7), block-wise transfers both ways
    /// (RFC 7959 §2.4, §2.5) and observations with the §3.4 reordering check (RFC 7641).
    /// </summary>
    public sealed partial class CoapEndpoint
    {
        /// <summary>
        /// Sends <paramref name="request"/> (method, type CON/NON, Uri-Path etc. and payload set by the caller; the
        /// endpoint assigns message ID and token) to <paramref name="peer"/>. A body larger than the block size goes
        /// block-wise (Block1); its buffer must stay unchanged until the exchange ends. An Observe option of 0 makes
        /// it an observation: <see cref="ICoapResponseHandler.OnResponse"/> then runs per notification until
        /// <see cref="Cancel"/>. Returns the exchange handle, or -1 when every exchange slot is in use.
        /// </summary>
        public int Request(CoapMessage request, PeerAddress peer, ICoapResponseHandler handler, long nowMs)
        {
            int index = -1;
            for (int i = 0; i < _exchanges.Length; i++)
            {
                if (_exchanges[i].State == ClientExchange.Free)
                {
                    index = i;
                    break;
                }
            }
            if (index < 0 || request == null || handler == null || peer == null)
            {
                return -1;
            }
            ClientExchange ex = _exchanges[index];
            if (!ex.Request.CopyFrom(request))
            {
                return -1;
            }
            ex.Request.Type = request.Type == CoapType.NonConfirmable ? CoapType.NonConfirmable : CoapType.Confirmable;
            ex.Peer.CopyFrom(peer);
            ex.Handler = handler;
            int tkl = _config.TokenLength < 1 ? 1 : _config.TokenLength > 8 ? 8 : _config.TokenLength;
            NewToken(ex.Token, tkl);
            ex.TokenLength = tkl;
            ex.Request.SetToken(ex.Token, 0, tkl);
            ex.Sequence = ++_sequence;
            ex.IsObserve = request.Code == CoapCode.Get && request.GetUInt(CoapOption.Observe, -1) == 0;
            ex.HasSequence = false;
            ex.Deregistering = false;
            ex.Block1Active = request.PayloadLength > _config.BlockSize;
            ex.Block1Offset = 0;
            ex.Block1Szx = BlockOption.SzxForSize(_config.BlockSize);
            ex.Block2Szx = ex.Block1Szx;
            ex.Block2Next = 0;
            int requestedBlock2 = (int)request.GetUInt(CoapOption.Block2, -1);
            if (requestedBlock2 >= 0)
            {
                // The caller asked for a block size (late negotiation, RFC 7959 §2.4).
                ex.Block2Szx = BlockOption.Szx((uint)requestedBlock2);
                ex.Request.RemoveOption(CoapOption.Block2);
                ex.Request.AddOptionUInt(CoapOption.Block2, BlockOption.Encode(0, false, ex.Block2Szx));
            }
            else if (_config.BlockSize < 1024 && ex.Block2Szx >= 0)
            {
                // RFC 7959 §2.4 early negotiation: with blocks smaller than the default (e.g. so a response fits a
                // 1024-byte DTLS record) the server must not answer with larger ones.
                ex.Request.AddOptionUInt(CoapOption.Block2, BlockOption.Encode(0, false, ex.Block2Szx));
            }
            int requestedBlock1 = (int)request.GetUInt(CoapOption.Block1, -1);
            if (requestedBlock1 >= 0)
            {
                ex.Block1Szx = BlockOption.Szx((uint)requestedBlock1);
                ex.Block1Active = request.PayloadLength > BlockOption.Size(ex.Block1Szx);
                ex.Request.RemoveOption(CoapOption.Block1);
            }
            ex.AssemblyIndex = -1;
            ex.AssemblyLength = 0;
            ex.PendingObserve = -1;
            ex.ResponseDeadline = long.MaxValue;
            ex.State = ClientExchange.Queued;
            int handle = Handle(index);
            StartQueued(nowMs);
            return handle;
        }

        /// <summary>
        /// Ends an exchange. For an observation with <paramref name="deregister"/>, sends a GET with Observe = 1
        /// (RFC 7641 §3.6) and the exchange ends with that response; otherwise it is forgotten, and later
        /// notifications get a Reset (also a deregistration). Returns false for an unknown handle.
        /// </summary>
        public bool Cancel(int exchange, bool deregister, long nowMs)
        {
            int index = IndexOf(exchange);
            if (index < 0)
            {
                return false;
            }
            ClientExchange ex = _exchanges[index];
            if (deregister && ex.IsObserve && ex.State == ClientExchange.Observing)
            {
                ex.Deregistering = true;
                ex.Request.SetOptionUInt(CoapOption.Observe, 1);
                ex.Block2Next = 0;
                ex.State = ClientExchange.Queued;
                ex.Sequence = ++_sequence;
                StartQueued(nowMs);
                return true;
            }
            ex.Transmit.Stop();
            Release(index);
            StartQueued(nowMs);
            return true;
        }

        /// <summary>Exchanges open (queued, in flight or observing).</summary>
        public int OpenExchanges
        {
            get
            {
                int n = 0;
                for (int i = 0; i < _exchanges.Length; i++)
                {
                    if (_exchanges[i].State != ClientExchange.Free)
                    {
                        n++;
                    }
                }
                return n;
            }
        }

        private int Handle(int index)
        {
            return (_exchanges[index].Generation << 8) | index;
        }

        private int IndexOf(int handle)
        {
            int index = handle & 0xFF;
            if (handle < 0 || index >= _exchanges.Length)
            {
                return -1;
            }
            ClientExchange ex = _exchanges[index];
            return ex.State != ClientExchange.Free && ex.Generation == (handle >> 8) ? index : -1;
        }

        private void NewToken(byte[] token, int length)
        {
            // A token unique among open exchanges (§5.3.1); collisions are astronomically rare but cheap to rule out.
            for (int attempt = 0; attempt < 8; attempt++)
            {
                _random.GetBytes(token, 0, length);
                bool clash = false;
                for (int i = 0; i < _exchanges.Length; i++)
                {
                    ClientExchange other = _exchanges[i];
                    if (other.State != ClientExchange.Free && other.Token != token && other.TokenLength == length)
                    {
                        bool same = true;
                        for (int k = 0; k < length; k++)
                        {
                            if (other.Token[k] != token[k])
                            {
                                same = false;
                                break;
                            }
                        }
                        clash |= same;
                    }
                }
                if (!clash)
                {
                    return;
                }
            }
        }

        /// <summary>§4.7 NSTART: starts queued exchanges, oldest first, while their peer has room.</summary>
        private void StartQueued(long nowMs)
        {
            while (true)
            {
                int best = -1;
                for (int i = 0; i < _exchanges.Length; i++)
                {
                    ClientExchange ex = _exchanges[i];
                    if (ex.State == ClientExchange.Queued && (best < 0 || ex.Sequence < _exchanges[best].Sequence) && Outstanding(ex.Peer) < _config.NStart)
                    {
                        best = i;
                    }
                }
                if (best < 0)
                {
                    return;
                }
                SendStep(best, nowMs);
            }
        }

        private int Outstanding(PeerAddress peer)
        {
            int n = 0;
            for (int i = 0; i < _exchanges.Length; i++)
            {
                if (_exchanges[i].Outstanding && _exchanges[i].Peer.SameAs(peer))
                {
                    n++;
                }
            }
            return n;
        }

        /// <summary>Encodes the exchange's next message (first request, next Block1 block, next Block2 request) and sends it.</summary>
        private void SendStep(int index, long nowMs)
        {
            ClientExchange ex = _exchanges[index];
            CoapMessage m = _tx;
            m.CopyFrom(ex.Request);
            m.MessageId = NextMessageId();
            if (ex.Block2Next > 0)
            {
                // RFC 7959 §2.4/§2.6: a follow-up GET for the next block, without Observe and without a body.
                m.RemoveOption(CoapOption.Observe);
                m.RemoveOption(CoapOption.Block2);
                m.AddOptionUInt(CoapOption.Block2, BlockOption.Encode(ex.Block2Next, false, ex.Block2Szx));
                m.SetPayload(null, 0, 0);
                m.RemoveOption(CoapOption.Block1);
            }
            else if (ex.Block1Active)
            {
                int size = BlockOption.Size(ex.Block1Szx);
                int total = ex.Request.PayloadLength;
                int num = ex.Block1Offset / size;
                int n = total - ex.Block1Offset;
                bool more = n > size;
                if (more)
                {
                    n = size;
                }
                m.AddOptionUInt(CoapOption.Block1, BlockOption.Encode(num, more, ex.Block1Szx));
                if (num == 0)
                {
                    m.AddOptionUInt(CoapOption.Size1, (uint)total); // RFC 7959 §4
                }
                m.SetPayload(ex.Request.PayloadBuffer, ex.Request.PayloadOffset + ex.Block1Offset, n);
                ex.Block1SentLength = n;
            }
            Transmission t = ex.Transmit;
            t.Length = m.OptionsOverflowed ? -1 : CoapCodec.Encode(m, t.Datagram, 0, t.Datagram.Length);
            if (t.Length < 0)
            {
                Fail(index, CoapFailure.TooLarge, nowMs);
                return;
            }
            t.Peer.CopyFrom(ex.Peer);
            t.MessageId = m.MessageId;
            t.Owner = Transmission.OwnerExchange;
            t.OwnerIndex = index;
            ex.State = ClientExchange.Sending;
            if (m.Type == CoapType.Confirmable)
            {
                ex.ResponseDeadline = long.MaxValue;
                StartTransmission(t, nowMs);
            }
            else
            {
                t.Stop();
                ex.ResponseDeadline = nowMs + _config.ResponseTimeoutMs;
                _sink.Send(t.Datagram, 0, t.Length, t.Peer);
            }
        }

        /// <summary>A CON or NON response arrived (§5.2.2 separate, or a notification): acknowledge, match, handle.</summary>
        private void OnResponse(PeerAddress from, int dedupEntry, long nowMs)
        {
            int index = -1;
            for (int i = 0; i < _exchanges.Length; i++)
            {
                ClientExchange ex = _exchanges[i];
                if ((ex.State == ClientExchange.Sending || ex.State == ClientExchange.Waiting || ex.State == ClientExchange.Observing)
                    && ex.Peer.SameAs(from) && _rx.TokenEquals(ex.Token, ex.TokenLength))
                {
                    index = i;
                    break;
                }
            }
            if (index < 0)
            {
                // §5.3.2 / RFC 7641 §3.6: an unexpected response (or a notification nobody wants) is rejected.
                SendEmpty(CoapType.Reset, _rx.MessageId, from, dedupEntry);
                return;
            }
            if (_rx.Type == CoapType.Confirmable)
            {
                SendEmpty(CoapType.Acknowledgement, _rx.MessageId, from, dedupEntry);
            }
            ClientExchange match = _exchanges[index];
            if (match.Transmit.Active)
            {
                match.Transmit.Stop(); // §5.2.2: the response also acknowledges a request whose ACK was lost
            }
            HandleResponse(index, nowMs);
        }

        /// <summary>Processes a response matched to exchange <paramref name="index"/>: block steps, observe, completion.</summary>
        private void HandleResponse(int index, long nowMs)
        {
            ClientExchange ex = _exchanges[index];
            CoapMessage r = _rx;
            // RFC 7959 §2.5: 2.31 Continue asks for the next Block1 block.
            if (ex.Block1Active)
            {
                long b1 = r.GetUInt(CoapOption.Block1, -1);
                if (r.Code == CoapCode.Continue && b1 >= 0)
                {
                    ex.Block1Offset += ex.Block1SentLength;
                    int szx = BlockOption.Szx((uint)b1);
                    if (szx < ex.Block1Szx && ex.Block1Offset % BlockOption.Size(szx) == 0)
                    {
                        ex.Block1Szx = szx; // the server asked for smaller blocks (§2.5)
                    }
                    if (ex.Block1Offset < ex.Request.PayloadLength)
                    {
                        SendStep(index, nowMs);
                        return;
                    }
                }
                ex.Block1Active = false;
            }
            long b2 = r.GetUInt(CoapOption.Block2, -1);
            if (b2 >= 0 && CoapCode.IsSuccess(r.Code))
            {
                uint v = (uint)b2;
                int num = BlockOption.Num(v);
                bool more = BlockOption.More(v);
                int szx = BlockOption.Szx(v);
                if (more || num > 0)
                {
                    if (num == 0)
                    {
                        if (ex.AssemblyIndex < 0)
                        {
                            ex.AssemblyIndex = _blocks.Acquire(nowMs, _config.EffectiveExchangeLifetimeMs());
                        }
                        ex.AssemblyLength = 0;
                        ex.PendingObserve = r.GetUInt(CoapOption.Observe, -1);
                        if (ex.AssemblyIndex < 0)
                        {
                            Fail(index, CoapFailure.NoBuffer, nowMs);
                            return;
                        }
                    }
                    int offset = num * BlockOption.Size(szx);
                    if (ex.AssemblyIndex < 0 || offset != ex.AssemblyLength)
                    {
                        if (ex.AssemblyIndex >= 0 && offset < ex.AssemblyLength)
                        {
                            return; // an old block again: already have it
                        }
                        Fail(index, CoapFailure.BlockMismatch, nowMs);
                        return;
                    }
                    byte[] assembly = _blocks.Blocks[ex.AssemblyIndex];
                    if (offset + r.PayloadLength > assembly.Length)
                    {
                        Fail(index, CoapFailure.NoBuffer, nowMs);
                        return;
                    }
                    System.Array.Copy(r.PayloadBuffer == null ? assembly : r.PayloadBuffer, r.PayloadOffset, assembly, offset, r.PayloadLength);
                    ex.AssemblyLength = offset + r.PayloadLength;
                    if (more)
                    {
                        ex.Block2Szx = szx;
                        ex.Block2Next = ex.AssemblyLength / BlockOption.Size(szx);
                        SendStep(index, nowMs);
                        return;
                    }
                    // Last block: hand over the whole body.
                    r.SetPayload(assembly, 0, ex.AssemblyLength);
                    r.RemoveOption(CoapOption.Block2);
                    if (ex.PendingObserve >= 0)
                    {
                        r.SetOptionUInt(CoapOption.Observe, (uint)ex.PendingObserve);
                    }
                    ex.Block2Next = 0;
                }
            }
            bool done = true;
            if (ex.IsObserve && !ex.Deregistering)
            {
                long seq = r.GetUInt(CoapOption.Observe, -1);
                if (seq >= 0 && CoapCode.IsSuccess(r.Code))
                {
                    done = false;
                    // RFC 7641 §3.4: deliver only notifications fresher than the last one.
                    if (ex.HasSequence && !ObserveSequence.IsFresher(ex.LastSequence, ex.LastSequenceAt, (int)seq, nowMs))
                    {
                        ReleaseAssembly(ex);
                        return;
                    }
                    ex.HasSequence = true;
                    ex.LastSequence = (int)seq;
                    ex.LastSequenceAt = nowMs;
                    ex.State = ClientExchange.Observing;
                    ex.ResponseDeadline = long.MaxValue;
                }
            }
            ICoapResponseHandler handler = ex.Handler;
            int handle = Handle(index);
            if (done)
            {
                Release(index);
            }
            handler.OnResponse(handle, r, nowMs);
            if (!done)
            {
                ReleaseAssembly(ex);
            }
            StartQueued(nowMs);
        }

        private void ReleaseAssembly(ClientExchange ex)
        {
            if (ex.AssemblyIndex >= 0)
            {
                _blocks.Release(ex.AssemblyIndex);
                ex.AssemblyIndex = -1;
            }
        }

        private void Fail(int index, int reason, long nowMs)
        {
            ClientExchange ex = _exchanges[index];
            if (ex.State == ClientExchange.Free)
            {
                return;
            }
            ICoapResponseHandler handler = ex.Handler;
            int handle = Handle(index);
            Release(index);
            handler.OnFailure(handle, reason, nowMs);
            StartQueued(nowMs);
        }

        private void Release(int index)
        {
            ClientExchange ex = _exchanges[index];
            ex.Transmit.Stop();
            ReleaseAssembly(ex);
            ex.State = ClientExchange.Free;
            ex.Handler = null;
            ex.Generation = (ex.Generation + 1) & 0x7FFFFF;
        }
    }
}
