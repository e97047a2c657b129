using NfDtls.Coap.Blockwise;
using NfDtls.Coap.Message;
using NfDtls.Coap.Messaging;
using NfDtls.Coap.Observe;
using NfDtls.Coap.Server;
using NfDtls.Net;
using NfDtls.Wire;

namespace NfDtls.Coap
{
    /// <summary>
    /// The server role: resource lookup by Uri-Path, the §5.4.1 critical-option check, piggybacked and separate
    /// responses, Block1 reassembly and Block2 slicing (RFC 7959), /.well-known/core (RFC 6690) and observers
    /// with notifications (RFC 7641). A handler reads the request where it was received and fills the one
    /// <see cref="CoapResponse"/>; the reply (or this block of it) is then written straight into the connector's space.
    /// </summary>
    public sealed partial class CoapEndpoint
    {
        private CoapResource[] _resources;
        private int _resourceCount;
        private CoapRequest _request;
        private CoapResponse _response;
        private Observer[] _observers;
        private DeferredExchange[] _deferred;
        private int _observeSequence;
        /// <summary>The observer being notified (what its handler sees as the request's peer).</summary>
        private readonly PeerAddress _observerPeer = new PeerAddress();

        private void InitServer(CoapConfig config)
        {
            _resources = new CoapResource[config.ResourceCapacity];
            _request = new CoapRequest();
            _response = new CoapResponse(this, config.ResponseBufferSize);
            _observers = new Observer[config.ObserverCapacity];
            for (int i = 0; i < _observers.Length; i++)
            {
                _observers[i] = new Observer();
            }
            _deferred = new DeferredExchange[config.DeferredCapacity];
            for (int i = 0; i < _deferred.Length; i++)
            {
                _deferred[i] = new DeferredExchange();
            }
            _observeSequence = (int)(NextRandom() & 0xFFFF);
        }

        /// <summary>Adds a resource to the tree; false when ResourceCapacity is reached.</summary>
        public bool AddResource(CoapResource resource)
        {
            if (_resourceCount >= _resources.Length || resource == null)
            {
                return false;
            }
            _resources[_resourceCount++] = resource;
            return true;
        }

        /// <summary>Registered observers (all resources).</summary>
        public int ObserverCount
        {
            get
            {
                int n = 0;
                for (int i = 0; i < _observers.Length; i++)
                {
                    if (_observers[i].Active)
                    {
                        n++;
                    }
                }
                return n;
            }
        }

        /// <summary>True for a request to /.well-known/core (RFC 6690 §4) when discovery is served.</summary>
        private bool IsDiscovery(CoapMessage m)
        {
            int first = m.FindOption(CoapOption.UriPath, 0);
            int second = first < 0 ? -1 : m.FindOption(CoapOption.UriPath, first + 1);
            return _serveDiscovery && second >= 0 && m.FindOption(CoapOption.UriPath, second + 1) < 0
                && m.OptionEquals(first, ".well-known") && m.OptionEquals(second, "core");
        }

        /// <summary>/.well-known/core: the link-format list of the resources, filtered by one ?attr=value query, written into the response scratch.</summary>
        private void AnswerDiscovery(CoapMessage m)
        {
            CoapResponse r = _response;
            if (m.Code != CoapCode.Get)
            {
                r.Code = CoapCode.MethodNotAllowed;
                return;
            }
            long accept = m.GetUInt(CoapOption.Accept, -1);
            if (accept >= 0 && accept != CoapContentFormat.LinkFormat)
            {
                r.Code = CoapCode.NotAcceptable;
                return;
            }
            int q = m.FindOption(CoapOption.UriQuery, 0);
            int n = LinkFormat.Write(_resources, _resourceCount, r.PayloadSpace, r.PayloadSpace.Length,
                q < 0 ? null : m.OptionBuffer(q), q < 0 ? 0 : m.OptionOffset(q), q < 0 ? 0 : m.OptionLength(q));
            if (n < 0)
            {
                r.Code = CoapCode.InternalServerError;
                return;
            }
            r.Code = CoapCode.Content;
            r.ContentFormat = CoapContentFormat.LinkFormat;
            r.SetPayload(r.PayloadSpace, 0, n);
        }

        private CoapResource FindResource(CoapMessage m)
        {
            int first = m.FindOption(CoapOption.UriPath, 0);
            int count = 0;
            for (int i = first; i >= 0; i = m.FindOption(CoapOption.UriPath, i + 1))
            {
                count++;
            }
            for (int r = 0; r < _resourceCount; r++)
            {
                if (Matches(_resources[r], m, first, count))
                {
                    return _resources[r];
                }
            }
            // No exact match: the deepest resource that takes sub-paths.
            CoapResource best = null;
            for (int r = 0; r < _resourceCount; r++)
            {
                CoapResource c = _resources[r];
                if (c.MatchesSubpaths && c.SegmentCount < count && (best == null || c.SegmentCount > best.SegmentCount) && PrefixMatches(c, m, first))
                {
                    best = c;
                }
            }
            return best;
        }

        private static bool Matches(CoapResource resource, CoapMessage m, int first, int count)
        {
            return resource.SegmentCount == count && PrefixMatches(resource, m, first);
        }

        private static bool PrefixMatches(CoapResource resource, CoapMessage m, int first)
        {
            int count = resource.SegmentCount;
            int i = first;
            for (int s = 0; s < count; s++)
            {
                if (!m.OptionEquals(i, resource.Segment(s)))
                {
                    return false;
                }
                i = m.FindOption(CoapOption.UriPath, i + 1);
            }
            return true;
        }

        private void OnRequest(PeerAddress from, int dedupEntry, long nowMs)
        {
            CoapMessage m = _rx;
            bool con = m.Type == CoapType.Confirmable;
            // §5.4.1: an unrecognised critical option: 4.02 for a CON, the NON is rejected (silently here).
            for (int i = 0; i < m.OptionCount; i++)
            {
                if (!CoapOption.IsRecognised(m.OptionNumber(i), m.OptionLength(i)) && CoapOption.IsCritical(m.OptionNumber(i)))
                {
                    if (con)
                    {
                        _response.Reset(CoapCode.BadOption);
                        SendResponse(from, dedupEntry, false, -1, false, nowMs);
                    }
                    return;
                }
            }
            // RFC 7959 §2.2: SZX 7 is reserved and "MUST lead to a 4.00 Bad Request response code upon reception
            // in a request", in Block1 and Block2 alike, before anything else is done with the request.
            if (HasReservedBlockSize(m, CoapOption.Block1) || HasReservedBlockSize(m, CoapOption.Block2))
            {
                _response.Reset(CoapCode.BadRequest);
                SendResponse(from, dedupEntry, false, -1, false, nowMs);
                return;
            }
            if (m.HasOption(CoapOption.ProxyUri) || m.HasOption(CoapOption.ProxyScheme))
            {
                // §5.7.2: this endpoint is no forward-proxy.
                _response.Reset(CoapCode.ProxyingNotSupported);
                SendResponse(from, dedupEntry, false, -1, false, nowMs);
                return;
            }
            int method = m.Code;
            _response.Reset(method == CoapCode.Get ? CoapCode.Content : method == CoapCode.Delete ? CoapCode.Deleted : CoapCode.Changed);
            if (IsDiscovery(m))
            {
                RequestsExecuted++;
                AnswerDiscovery(m);
                SendResponse(from, dedupEntry, true, -1, false, nowMs);
                return;
            }
            _request.Message = m;
            _request.Peer = from;
            _request.IsNotification = false;
            _request.SetBody(m.PayloadBuffer, m.PayloadOffset, m.PayloadLength);
            CoapResource resource = FindResource(m);
            if (resource == null)
            {
                _response.Code = CoapCode.NotFound;
                SendResponse(from, dedupEntry, false, -1, false, nowMs);
                return;
            }
            if (method > CoapCode.Delete)
            {
                _response.Code = CoapCode.MethodNotAllowed;
                SendResponse(from, dedupEntry, false, -1, false, nowMs);
                return;
            }
            // RFC 7959 §2.5: a Block1 upload is collected first; the handler sees the whole body.
            long block1 = m.GetUInt(CoapOption.Block1, -1);
            int uploadIndex = -1;
            if (block1 >= 0)
            {
                uploadIndex = CollectBlock1(from, resource, (uint)block1, nowMs);
                if (uploadIndex == -2)
                {
                    SendResponse(from, dedupEntry, false, -1, false, nowMs); // 2.31 Continue, 4.08 or 4.13 set by CollectBlock1
                    return;
                }
                if (uploadIndex >= 0)
                {
                    _request.SetBody(_blocks.Space, _blocks.Offset(uploadIndex), _blocks.Length[uploadIndex]);
                }
            }
            RequestsExecuted++;
            resource.Handle(_request, _response);
            if (_log.Enabled)
            {
                _log.Write(string.Concat(new string[] { CoapCode.ToText(method), " ", resource.Path, " from ", from.ToString(), " -> ", CoapCode.ToText(_response.Code) }));
            }
            if (uploadIndex >= 0)
            {
                _blocks.Release(uploadIndex);
            }
            if (_response.DeferredHandle >= 0)
            {
                int d = _response.DeferredHandle & 0xFF;
                _peers.SetPeer(DeferredRow(d), from);
                _peers.SetToken(DeferredRow(d), m.Token, m.TokenLength);
                _deferred[d].Confirmable = con;
                if (con)
                {
                    SendEmpty(CoapType.Acknowledgement, m.MessageId, from, dedupEntry, nowMs); // §5.2.2
                }
                return;
            }
            if (CoapCode.IsSuccess(_response.Code))
            {
                // §5.10.4: a representation in another format than the Accept option asked for is refused.
                long accept = m.GetUInt(CoapOption.Accept, -1);
                if (accept >= 0 && _response.ContentFormat >= 0 && accept != _response.ContentFormat)
                {
                    _response.Reset(CoapCode.NotAcceptable);
                }
                // §5.10.6.2: a GET naming the current ETag is answered 2.03 Valid without the body.
                else if (method == CoapCode.Get && _response.ETagLength > 0 && HasETag(m, _response.ETag, _response.ETagLength))
                {
                    _response.Code = CoapCode.Valid;
                    _response.SetPayload(null, 0, 0);
                }
            }
            // RFC 7641 §3.1, §3.6: registration and deregistration ride on a GET.
            int observe = -1;
            long observeOption = m.GetUInt(CoapOption.Observe, -1);
            if (method == CoapCode.Get && resource.Observable && observeOption >= 0)
            {
                if (observeOption == 0 && CoapCode.IsSuccess(_response.Code) && AddObserver(from, m, resource) >= 0)
                {
                    observe = NextObserveSequence();
                }
                else if (observeOption == 1 || !CoapCode.IsSuccess(_response.Code))
                {
                    RemoveObserver(FindObserver(from, m.Token, m.TokenLength));
                }
            }
            SendResponse(from, dedupEntry, true, observe, block1 >= 0, nowMs);
        }

        private static bool HasReservedBlockSize(CoapMessage m, int option)
        {
            long value = m.GetUInt(option, -1);
            return value >= 0 && BlockOption.Szx((uint)value) == 7;
        }

        private static bool HasETag(CoapMessage m, byte[] tag, int length)
        {
            for (int i = m.FindOption(CoapOption.ETag, 0); i >= 0; i = m.FindOption(CoapOption.ETag, i + 1))
            {
                if (m.OptionValueEquals(i, tag, 0, length))
                {
                    return true;
                }
            }
            return false;
        }

        /// <summary>
        /// Stores one Block1 block (RFC 7959 §2.5). Returns the buffer index when the body is complete, -1 when the
        /// request carried no usable block state, -2 when the response (2.31, 4.08, 4.13) is already set.
        /// </summary>
        private int CollectBlock1(PeerAddress from, CoapResource resource, uint block1, long nowMs)
        {
            CoapMessage m = _rx;
            int num = BlockOption.Num(block1);
            bool more = BlockOption.More(block1);
            int szx = BlockOption.Szx(block1); // never 7 here (OnRequest)
            int size = BlockOption.Size(szx);
            long size1 = m.GetUInt(CoapOption.Size1, -1);
            if (size1 > _blocks.Capacity || (long)num * size + m.PayloadLength > _blocks.Capacity)
            {
                _response.Reset(CoapCode.RequestEntityTooLarge);
                _response.Size1 = _blocks.Capacity; // §4: tell the client what would fit
                return -2;
            }
            int index = _blocks.FindUpload(from, resource, nowMs);
            if (num == 0)
            {
                if (index < 0)
                {
                    index = _blocks.AcquireUpload(from, nowMs, _exchangeLifetimeMs, _uploadStallMs, _nStart);
                }
                if (index < 0)
                {
                    _response.Reset(CoapCode.ServiceUnavailable);
                    return -2;
                }
                _blocks.SetPeer(index, from);
                _blocks.Resource[index] = resource;
                _blocks.Length[index] = 0;
            }
            if (index < 0 || num * size != _blocks.Length[index] || (more && m.PayloadLength != size))
            {
                _response.Reset(CoapCode.RequestEntityIncomplete); // §2.9.2
                return -2;
            }
            if (m.PayloadLength > 0)
            {
                System.Array.Copy(m.PayloadBuffer, m.PayloadOffset, _blocks.Space, _blocks.Offset(index) + num * size, m.PayloadLength);
            }
            _blocks.Length[index] += m.PayloadLength;
            _blocks.Expires[index] = nowMs + _exchangeLifetimeMs; // the upload is alive: last block now
            if (more)
            {
                _response.Reset(CoapCode.Continue);
                _response.Block1 = (int)BlockOption.Encode(num, true, szx);
                return -2;
            }
            _response.Block1 = (int)BlockOption.Encode(num, false, szx);
            return index;
        }

        private int NextObserveSequence()
        {
            _observeSequence = (_observeSequence + 1) & (ObserveSequence.Modulus - 1);
            return _observeSequence;
        }

        /// <summary>
        /// Writes _response as the answer to the request in _rx straight into the connector's space: piggybacked on the
        /// ACK for a CON (§5.2.1), a NON for a NON; slices Block2 (RFC 7959 §2.4) when the request's options apply
        /// (<paramref name="requestOptions"/>) and keeps a copy of the reply for duplicates (§4.5) before it is sealed.
        /// </summary>
        private void SendResponse(PeerAddress to, int dedupEntry, bool requestOptions, int observe, bool echoBlock1, long nowMs)
        {
            CoapMessage rq = _rx;
            bool con = rq.Type == CoapType.Confirmable;
            int type = con ? CoapType.Acknowledgement : CoapType.NonConfirmable;
            int mid = con ? rq.MessageId : NextMessageId();
            long block2 = requestOptions ? rq.GetUInt(CoapOption.Block2, -1) : -1;
            int szx = block2 >= 0 ? BlockOption.Szx((uint)block2) : -1;
            int num = block2 >= 0 ? BlockOption.Num((uint)block2) : 0;
            WireWriter w;
            if (!Lend(to, out w))
            {
                return;
            }
            int start = w.Position;
            int capacity = w.Remaining;
            if (!WriteResponse(ref w, type, mid, rq.Token, 0, rq.TokenLength, observe, szx, num,
                               requestOptions && rq.HasOption(CoapOption.Size2), echoBlock1))
            {
                // A Block2 number past the end (RFC 7959 §2.2).
                w = new WireWriter(w.Buffer, start, capacity);
                CoapCodec.WriteHeader(ref w, type, CoapCode.BadOption, mid, rq.Token, rq.TokenLength);
            }
            if (w.Failed)
            {
                // The options did not fit the space: answer 5.00 rather than nothing.
                w = new WireWriter(w.Buffer, start, capacity);
                CoapCodec.WriteHeader(ref w, type, CoapCode.InternalServerError, mid, rq.Token, rq.TokenLength);
            }
            if (con && !w.Failed && MustKeepReply(rq))
            {
                _dedup.StoreResponse(dedupEntry, w.Buffer, start, w.Length, rq.TokenLength);
            }
            Finish(ref w, nowMs);
        }

        /// <summary>
        /// Writes _response's code, options and (a block of) its body as one message. Block2 applies when asked
        /// (<paramref name="szx"/> ≥ 0) or when the body is larger than the block size. False (nothing written) if
        /// <paramref name="num"/> is past the end.
        /// </summary>
        private bool WriteResponse(ref WireWriter w, int type, int mid, byte[] token, int tokenOffset, int tokenLength,
                                   int observe, int szx, int num, bool askedSize2, bool echoBlock1)
        {
            CoapResponse r = _response;
            int ourSzx = BlockOption.SzxForSize(_blockSize);
            if (ourSzx < 0)
            {
                ourSzx = 6;
            }
            if (szx > ourSzx || szx == 7)
            {
                szx = ourSzx; // §2.4: the server may use a smaller block than asked for
                num = 0;
            }
            int total = r.PayloadLength;
            if (szx < 0 && total > BlockOption.Size(ourSzx))
            {
                szx = ourSzx;
            }
            long block2 = -1;
            long size2 = -1;
            int offset = 0;
            int length = total;
            if (szx >= 0 && CoapCode.IsSuccess(r.Code))
            {
                int size = BlockOption.Size(szx);
                offset = num * size;
                if (offset > total || (offset == total && total > 0))
                {
                    return false;
                }
                length = total - offset;
                bool more = length > size;
                if (more)
                {
                    length = size;
                }
                block2 = BlockOption.Encode(num, more, szx);
                if (num == 0 || askedSize2)
                {
                    size2 = total; // RFC 7959 §4
                }
            }
            CoapCodec.WriteHeader(ref w, type, r.Code, mid, token, tokenOffset, tokenLength);
            int previous = 0;
            if (r.ETagLength > 0)
            {
                CoapCodec.WriteOption(ref w, ref previous, CoapOption.ETag, r.ETag, 0, r.ETagLength);
            }
            if (observe >= 0)
            {
                CoapCodec.WriteOptionUInt(ref w, ref previous, CoapOption.Observe, (uint)observe);
            }
            if (r.ContentFormat >= 0)
            {
                CoapCodec.WriteOptionUInt(ref w, ref previous, CoapOption.ContentFormat, (uint)r.ContentFormat);
            }
            if (r.MaxAge >= 0)
            {
                CoapCodec.WriteOptionUInt(ref w, ref previous, CoapOption.MaxAge, (uint)r.MaxAge);
            }
            if (block2 >= 0)
            {
                CoapCodec.WriteOptionUInt(ref w, ref previous, CoapOption.Block2, (uint)block2);
            }
            if (r.Block1 >= 0 && (echoBlock1 || r.Code == CoapCode.Continue))
            {
                CoapCodec.WriteOptionUInt(ref w, ref previous, CoapOption.Block1, (uint)r.Block1);
            }
            if (size2 >= 0)
            {
                CoapCodec.WriteOptionUInt(ref w, ref previous, CoapOption.Size2, (uint)size2);
            }
            if (r.Size1 >= 0)
            {
                CoapCodec.WriteOptionUInt(ref w, ref previous, CoapOption.Size1, (uint)r.Size1);
            }
            CoapCodec.WritePayload(ref w, r.Payload, r.PayloadOffset + offset, length);
            return true;
        }

        // ---- Separate responses (RFC 7252 §5.2.2) ----

        internal int AllocateDeferred()
        {
            for (int i = 0; i < _deferred.Length; i++)
            {
                if (!_deferred[i].Active && !_deferred[i].InFlight)
                {
                    _deferred[i].Active = true;
                    _deferred[i].Generation = (_deferred[i].Generation + 1) & 0x7FFFFF;
                    return (_deferred[i].Generation << 8) | i;
                }
            }
            return -1;
        }

        /// <summary>The response object to fill for deferred exchange <paramref name="handle"/> (then call <see cref="SendDeferred"/>); null if unknown.</summary>
        public CoapResponse DeferredResponse(int handle)
        {
            if (DeferredIndex(handle) < 0)
            {
                return null;
            }
            _response.Reset(CoapCode.Content);
            return _response;
        }

        private int DeferredIndex(int handle)
        {
            int i = handle & 0xFF;
            if (handle < 0 || i >= _deferred.Length || !_deferred[i].Active || _deferred[i].Generation != (handle >> 8))
            {
                return -1;
            }
            return i;
        }

        /// <summary>Sends the separate response (CON for a CON request, retransmitted until ACKed). False if unknown or no slot free.</summary>
        public bool SendDeferred(int handle, long nowMs)
        {
            int i = DeferredIndex(handle);
            if (i < 0)
            {
                return false;
            }
            DeferredExchange d = _deferred[i];
            int row = DeferredRow(i);
            bool sent = false;
            if (d.Confirmable)
            {
                // The application's representation is gone after this call: the message is kept for retransmission
                // (§4.2: the same message again), in this deferred exchange's place of the copy store.
                int slot = FreeServerSlot();
                int size = _maxMessageSize;
                int mid = NextMessageId();
                WireWriter copy = new WireWriter(_deferredCopies, i * size, size);
                if (slot >= 0 && WriteResponse(ref copy, CoapType.Confirmable, mid, _peers.Rows, PeerTable.TokenOffset(row), _peers.TokenLength(row), -1, -1, 0, false, false)
                    && !copy.Failed)
                {
                    ServerSlot t = _serverSlots[slot];
                    t.MessageId = mid;
                    t.Owner = ServerSlot.OwnerSeparate;
                    t.OwnerIndex = i;
                    t.Value = copy.Length;
                    d.InFlight = true;
                    StartTimer(t, nowMs);
                    WriteSlot(slot, nowMs);
                    sent = true;
                }
            }
            else
            {
                _peers.GetPeer(row, _peer);
                WireWriter w;
                if (Lend(_peer, out w))
                {
                    WriteResponse(ref w, CoapType.NonConfirmable, NextMessageId(), _peers.Rows, PeerTable.TokenOffset(row), _peers.TokenLength(row), -1, -1, 0, false, false);
                    sent = Finish(ref w, nowMs);
                }
            }
            d.Active = false;
            return sent;
        }

        private int FreeServerSlot()
        {
            for (int i = 0; i < _serverSlots.Length; i++)
            {
                if (!_serverSlots[i].Active && _serverSlots[i].Owner == ServerSlot.OwnerNone)
                {
                    return i;
                }
            }
            return -1;
        }

        /// <summary>The peer table row naming who slot <paramref name="slot"/> sends to: its observer's or its deferred exchange's.</summary>
        private int SlotRow(int slot)
        {
            ServerSlot t = _serverSlots[slot];
            return t.Owner == ServerSlot.OwnerSeparate ? DeferredRow(t.OwnerIndex) : ObserverRow(t.OwnerIndex);
        }

        /// <summary>
        /// Sends server slot <paramref name="slot"/>'s message (first time or again, same message ID): a separate
        /// response from its copy, a notification written again from _response (which the caller just had the
        /// resource fill, <see cref="Render"/>).
        /// </summary>
        private void WriteSlot(int slot, long nowMs)
        {
            ServerSlot t = _serverSlots[slot];
            int row = SlotRow(slot);
            _peers.GetPeer(row, _peer);
            WireWriter w;
            if (!Lend(_peer, out w))
            {
                return;
            }
            if (t.Owner == ServerSlot.OwnerSeparate)
            {
                w.WriteBytes(_deferredCopies, t.OwnerIndex * _maxMessageSize, t.Value);
            }
            else if (!WriteResponse(ref w, CoapType.Confirmable, t.MessageId, _peers.Rows, PeerTable.TokenOffset(row), _peers.TokenLength(row),
                                    t.Value, _observers[t.OwnerIndex].Szx, 0, false, false))
            {
                w.Fail();
            }
            Finish(ref w, nowMs);
        }

        /// <summary>A retransmission of slot <paramref name="slot"/> is due.</summary>
        private void ResendSlot(int slot, long nowMs)
        {
            ServerSlot t = _serverSlots[slot];
            if (t.Owner == ServerSlot.OwnerNotification)
            {
                // Written again from the resource: the state it carries is the one it was sent for (a newer state
                // replaces the notification through Notify, RFC 7641 §4.5.2), so the bytes are the same; no copy kept.
                Observer o = _observers[t.OwnerIndex];
                if (o.Resource == null)
                {
                    EndSlot(slot, false);
                    return;
                }
                Render(t.OwnerIndex);
            }
            WriteSlot(slot, nowMs);
        }

        /// <summary>
        /// Slot <paramref name="slot"/> is done (acknowledged, reset, or given up): its owner learns it. With
        /// <paramref name="deregister"/> (a Reset or no ACK, RFC 7641 §3.6, §4.5) a notification's observer ends.
        /// </summary>
        private void EndSlot(int slot, bool deregister)
        {
            ServerSlot t = _serverSlots[slot];
            t.Stop();
            int owner = t.Owner;
            int index = t.OwnerIndex;
            t.Owner = ServerSlot.OwnerNone;
            if (owner == ServerSlot.OwnerNotification)
            {
                Observer o = _observers[index];
                if (o.Slot == slot)
                {
                    o.Slot = -1;
                }
                if (deregister)
                {
                    RemoveObserver(index);
                }
                else if (!o.Active)
                {
                    o.Resource = null; // the final notification is delivered
                }
            }
            else if (owner == ServerSlot.OwnerSeparate)
            {
                _deferred[index].InFlight = false;
            }
        }

        // ---- Observe (RFC 7641) ----

        private int FindObserver(PeerAddress peer, byte[] token, int tokenLength)
        {
            for (int i = 0; i < _observers.Length; i++)
            {
                if (_observers[i].Active && _peers.TokenEquals(ObserverRow(i), token, tokenLength) && _peers.SamePeer(ObserverRow(i), peer))
                {
                    return i;
                }
            }
            return -1;
        }

        /// <summary>§4.1: one entry per (client, token); a re-registration replaces it. -1 when the table is full.</summary>
        private int AddObserver(PeerAddress from, CoapMessage m, CoapResource resource)
        {
            int i = FindObserver(from, m.Token, m.TokenLength);
            if (i < 0)
            {
                for (int k = 0; k < _observers.Length; k++)
                {
                    if (!_observers[k].Active && _observers[k].Slot < 0)
                    {
                        i = k; // (an inactive one with a slot still delivers its final notification)
                        break;
                    }
                }
            }
            if (i < 0)
            {
                return -1;
            }
            Observer o = _observers[i];
            if (!o.Active)
            {
                o.Slot = -1;
                o.LastConAt = 0;
                o.Sent = 0;
            }
            o.Active = true;
            _peers.SetPeer(ObserverRow(i), from);
            _peers.SetToken(ObserverRow(i), m.Token, m.TokenLength);
            o.Resource = resource;
            o.Accept = (int)m.GetUInt(CoapOption.Accept, -1);
            long b2 = m.GetUInt(CoapOption.Block2, -1);
            o.Szx = b2 >= 0 ? BlockOption.Szx((uint)b2) : -1;
            o.LastMid = -1;
            return i;
        }

        private void RemoveObserver(int index)
        {
            if (index < 0 || index >= _observers.Length)
            {
                return;
            }
            Observer o = _observers[index];
            if (o.Slot >= 0)
            {
                ServerSlot t = _serverSlots[o.Slot];
                if (t.Owner == ServerSlot.OwnerNotification && t.OwnerIndex == index)
                {
                    t.Stop();
                    t.Owner = ServerSlot.OwnerNone;
                }
            }
            o.Slot = -1;
            o.Active = false;
            o.Resource = null;
        }

        private void ResetToNonNotification(PeerAddress from, int mid)
        {
            for (int i = 0; i < _observers.Length; i++)
            {
                if (_observers[i].Active && _observers[i].LastMid == mid && _peers.SamePeer(ObserverRow(i), from))
                {
                    RemoveObserver(i); // RFC 7641 §3.6
                    return;
                }
            }
        }

        /// <summary>Asks observer <paramref name="index"/>'s resource for its representation into _response (RFC 7641 §4.2).</summary>
        private void Render(int index)
        {
            Observer o = _observers[index];
            _peers.GetPeer(ObserverRow(index), _observerPeer);
            _request.Message = null;
            _request.Peer = _observerPeer;
            _request.IsNotification = true;
            _request.NotificationAccept = o.Accept;
            _request.SetBody(null, 0, 0);
            _response.Reset(CoapCode.Content);
            o.Resource.Handle(_request, _response);
            _request.IsNotification = false;
        }

        /// <summary>
        /// The state of <paramref name="resource"/> changed: asks it for a fresh representation per observer and
        /// sends notifications (RFC 7641 §4.2). Every ObserveConEvery-th one, and at least once per
        /// ObserveConMaxIntervalMs, is CON (§4.5); a CON still in flight is replaced by the newer state (§4.5.2).
        /// A non-2.xx representation ends the observation. Returns notifications sent.
        /// </summary>
        public int Notify(CoapResource resource, long nowMs)
        {
            int sent = 0;
            for (int i = 0; i < _observers.Length; i++)
            {
                Observer o = _observers[i];
                if (!o.Active || o.Resource != resource)
                {
                    continue;
                }
                Render(i);
                bool final = !CoapCode.IsSuccess(_response.Code);
                int mid = NextMessageId();
                o.Sent++;
                bool con = o.Slot >= 0 || final || (_observeConEvery > 0 && o.Sent % _observeConEvery == 0)
                    || nowMs - o.LastConAt >= _observeConMaxIntervalMs;
                int observe = final ? -1 : NextObserveSequence();
                if (con)
                {
                    int slot = o.Slot >= 0 ? o.Slot : FreeServerSlot();
                    if (slot >= 0)
                    {
                        ServerSlot t = _serverSlots[slot];
                        bool inFlight = t.Active && t.Owner == ServerSlot.OwnerNotification && t.OwnerIndex == i;
                        t.MessageId = mid;
                        t.Owner = ServerSlot.OwnerNotification;
                        t.OwnerIndex = i;
                        t.Value = observe;
                        o.Slot = slot;
                        o.LastConAt = nowMs;
                        if (!inFlight)
                        {
                            StartTimer(t, nowMs); // §4.5.2: a replaced one keeps its retransmission state
                        }
                        WriteSlot(slot, nowMs);
                        sent++;
                        if (final)
                        {
                            o.Active = false; // the slot finishes delivering it; no more notifications
                        }
                        continue;
                    }
                    // no slot free: NON now, CON next time
                }
                WireWriter w;
                if (Lend(_observerPeer, out w))
                {
                    int row = ObserverRow(i);
                    if (!WriteResponse(ref w, CoapType.NonConfirmable, mid, _peers.Rows, PeerTable.TokenOffset(row), _peers.TokenLength(row), observe, o.Szx, 0, false, false))
                    {
                        w.Fail();
                    }
                    if (Finish(ref w, nowMs))
                    {
                        o.LastMid = mid;
                        sent++;
                    }
                }
                if (final)
                {
                    RemoveObserver(i);
                }
            }
            return sent;
        }
    }
}
