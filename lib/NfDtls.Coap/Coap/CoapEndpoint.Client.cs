using NfDtls.Coap.Blockwise;
using NfDtls.Coap.Client;
using NfDtls.Coap.Message;
using NfDtls.Coap.Messaging;
using NfDtls.Coap.Observe;
using NfDtls.Net;
using NfDtls.Wire;

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
        /// block-wise (Block1). The request is copied (its options); the body is not: its buffer must stay unchanged
        /// until the exchange ends, because every send and retransmission writes it again. An Observe option of 0 makes
        /// it an observation: <see cref="ICoapResponseHandler.OnResponse"/> then runs per notification until
        /// <see cref="Cancel"/>. Returns the exchange handle, or -1 when every exchange slot is in use.
        /// </summary>
        public int Request(CoapMessage request, PeerAddress peer, ICoapResponseHandler handler, long nowMs)
        {
            return Request(request, null, peer, handler, nowMs);
        }

        /// <summary>
        /// As <see cref="Request(CoapMessage, PeerAddress, ICoapResponseHandler, long)"/>, with the body written by
        /// <paramref name="body"/> each time the request goes out, where it is sent (the message's payload is not used).
        /// </summary>
        public int Request(CoapMessage request, ICoapBodyWriter body, PeerAddress peer, ICoapResponseHandler handler, long nowMs)
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
            _peers.SetPeer(index, peer);
            ex.Handler = handler;
            ex.Body = body;
            if (body != null)
            {
                ex.Request.SetPayload(null, 0, 0);
            }
            int tkl = _tokenLength < 1 ? 1 : _tokenLength > 8 ? 8 : _tokenLength;
            NewToken(ex.Request.Token, tkl);
            ex.Request.TokenLength = tkl;
            ex.Sequence = ++_sequence;
            ex.IsObserve = request.Code == CoapCode.Get && request.GetUInt(CoapOption.Observe, -1) == 0;
            ex.HasSequence = false;
            ex.Deregistering = false;
            ex.Block1Active = ex.Request.PayloadLength > _blockSize;
            ex.Block1Offset = 0;
            ex.Block1Szx = BlockOption.SzxForSize(_blockSize);
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
            else if (_blockSize < 1024 && ex.Block2Szx >= 0)
            {
                // RFC 7959 §2.4 early negotiation: with blocks smaller than the default (e.g. so a response fits a
                // 1024-byte DTLS record) the server must not answer with larger ones.
                ex.Request.AddOptionUInt(CoapOption.Block2, BlockOption.Encode(0, false, ex.Block2Szx));
            }
            int requestedBlock1 = (int)request.GetUInt(CoapOption.Block1, -1);
            if (requestedBlock1 >= 0)
            {
                ex.Block1Szx = BlockOption.Szx((uint)requestedBlock1);
                ex.Block1Active = ex.Request.PayloadLength > BlockOption.Size(ex.Block1Szx);
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
            ex.Stop();
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
                    if (other.State != ClientExchange.Free && other.Request.Token != token && other.Request.TokenLength == length)
                    {
                        bool same = true;
                        for (int k = 0; k < length; k++)
                        {
                            if (other.Request.Token[k] != token[k])
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
                    if (ex.State == ClientExchange.Queued && (best < 0 || ex.Sequence - _exchanges[best].Sequence < 0) && Outstanding(i) < _nStart)
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

        /// <summary>Exchanges outstanding with the peer of exchange <paramref name="row"/>.</summary>
        private int Outstanding(int row)
        {
            _peers.GetPeer(row, _peer);
            int n = 0;
            for (int i = 0; i < _exchanges.Length; i++)
            {
                if (_exchanges[i].Outstanding && _peers.SamePeer(i, _peer))
                {
                    n++;
                }
            }
            return n;
        }

        /// <summary>Starts the exchange's next message (first request, next Block1 block, next Block2 request): a new message ID, the timer for a CON.</summary>
        private void SendStep(int index, long nowMs)
        {
            ClientExchange ex = _exchanges[index];
            if (ex.Request.OptionsOverflowed)
            {
                Fail(index, CoapFailure.TooLarge, nowMs);
                return;
            }
            ex.MessageId = NextMessageId();
            ex.State = ClientExchange.Sending;
            if (ex.Request.Type == CoapType.Confirmable)
            {
                ex.ResponseDeadline = long.MaxValue;
                StartTimer(ex, nowMs);
            }
            else
            {
                ex.Stop();
                ex.ResponseDeadline = nowMs + _responseTimeoutMs;
            }
            WriteStep(index, nowMs);
        }

        /// <summary>
        /// Writes the exchange's current message straight into the connector's space and sends it: the request's
        /// options with this step's Block1/Size1 or Block2 merged in, and its body or this block of it. Called again
        /// for a retransmission, it writes the same bytes (§4.2). A message too large for the space fails the exchange.
        /// </summary>
        private void WriteStep(int index, long nowMs)
        {
            ClientExchange ex = _exchanges[index];
            CoapMessage m = ex.Request;
            long block2 = -1;
            long block1 = -1;
            long size1 = -1;
            int skip = -1;
            byte[] payload = m.PayloadBuffer;
            int payloadOffset = m.PayloadOffset;
            int payloadLength = m.PayloadLength;
            if (ex.Block2Next > 0)
            {
                // RFC 7959 §2.4/§2.6: a follow-up GET for the next block, without Observe and without a body.
                skip = CoapOption.Observe;
                block2 = BlockOption.Encode(ex.Block2Next, false, ex.Block2Szx);
                payloadLength = 0;
            }
            else if (ex.Block1Active)
            {
                int size = BlockOption.Size(ex.Block1Szx);
                int num = ex.Block1Offset / size;
                int n = m.PayloadLength - ex.Block1Offset;
                bool more = n > size;
                block1 = BlockOption.Encode(num, more, ex.Block1Szx);
                if (num == 0)
                {
                    size1 = m.PayloadLength; // RFC 7959 §4
                }
                payloadOffset += ex.Block1Offset;
                payloadLength = more ? size : n;
            }
            _peers.GetPeer(index, _peer);
            WireWriter w;
            if (!Lend(_peer, out w))
            {
                return; // no channel yet: the retransmission timer tries again (a NON is lost, as on the wire)
            }
            CoapCodec.WriteHeader(ref w, m.Type, m.Code, ex.MessageId, m.Token, m.TokenLength);
            int previous = 0;
            CoapCodec.WriteOptions(ref w, ref previous, m, skip, block2, block1, size1);
            if (ex.Body != null && ex.Block2Next == 0)
            {
                // The body written where it is sent: after the payload marker, if there is one (§3).
                int room = w.Remaining - 1;
                int n = room >= 0 ? ex.Body.WriteBody(Handle(index), w.Buffer, w.Position + 1, room) : -1;
                if (n < 0 || n > room)
                {
                    w.Fail();
                }
                else if (n > 0)
                {
                    w.WriteUInt8(0xFF);
                    w.Reserve(n);
                }
            }
            else
            {
                CoapCodec.WritePayload(ref w, payload, payloadOffset, payloadLength);
            }
            bool fits = !w.Failed;
            Finish(ref w, nowMs);
            if (!fits)
            {
                Fail(index, CoapFailure.TooLarge, nowMs);
            }
        }

        /// <summary>Bytes of the current Block1 block of <paramref name="ex"/>.</summary>
        private static int Block1Length(ClientExchange ex)
        {
            int size = BlockOption.Size(ex.Block1Szx);
            int n = ex.Request.PayloadLength - ex.Block1Offset;
            return n > size ? size : n;
        }

        /// <summary>A CON or NON response arrived (§5.2.2 separate, or a notification): acknowledge, match, handle.</summary>
        private void OnResponse(PeerAddress from, int dedupEntry, long nowMs)
        {
            int index = -1;
            for (int i = 0; i < _exchanges.Length; i++)
            {
                ClientExchange ex = _exchanges[i];
                if ((ex.State == ClientExchange.Sending || ex.State == ClientExchange.Waiting || ex.State == ClientExchange.Observing)
                    && _peers.SamePeer(i, from) && _rx.TokenEquals(ex.Request.Token, ex.Request.TokenLength))
                {
                    index = i;
                    break;
                }
            }
            if (index < 0)
            {
                // §5.3.2 / RFC 7641 §3.6: an unexpected response (or a notification nobody wants) is rejected.
                SendEmpty(CoapType.Reset, _rx.MessageId, from, dedupEntry, nowMs);
                return;
            }
            if (_rx.Type == CoapType.Confirmable)
            {
                SendEmpty(CoapType.Acknowledgement, _rx.MessageId, from, dedupEntry, nowMs);
            }
            ClientExchange match = _exchanges[index];
            if (match.Active)
            {
                match.Stop(); // §5.2.2: the response also acknowledges a request whose ACK was lost
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
                    ex.Block1Offset += Block1Length(ex);
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
                            ex.AssemblyIndex = _blocks.Acquire(nowMs, _exchangeLifetimeMs);
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
                    int assembly = _blocks.Offset(ex.AssemblyIndex);
                    if (offset + r.PayloadLength > _blocks.Capacity)
                    {
                        Fail(index, CoapFailure.NoBuffer, nowMs);
                        return;
                    }
                    if (r.PayloadLength > 0)
                    {
                        System.Array.Copy(r.PayloadBuffer, r.PayloadOffset, _blocks.Space, assembly + offset, r.PayloadLength);
                    }
                    ex.AssemblyLength = offset + r.PayloadLength;
                    if (more)
                    {
                        ex.Block2Szx = szx;
                        ex.Block2Next = ex.AssemblyLength / BlockOption.Size(szx);
                        SendStep(index, nowMs);
                        return;
                    }
                    // Last block: hand over the whole body.
                    r.SetPayload(_blocks.Space, assembly, ex.AssemblyLength);
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
            ex.Stop();
            ReleaseAssembly(ex);
            ex.State = ClientExchange.Free;
            ex.Handler = null;
            ex.Body = null;
            ex.Generation = (ex.Generation + 1) & 0x7FFFFF;
        }
    }
}
