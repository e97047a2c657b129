using NfDtls.Coap.Blockwise;
using NfDtls.Coap.Message;
using NfDtls.Coap.Messaging;
using NfDtls.Coap.Observe;
using NfDtls.Coap.Server;
using NfDtls.Net;

namespace NfDtls.Coap
{
    /// <summary>
    /// The server role: resource lookup by Uri-Path, the §5.4.1 critical-option check, piggybacked and separate
    /// responses, Block1 reassembly and Block2 slicing (RFC 7959), /.well-known/core (RFC 6690) and observers
    /// with notifications (RFC 7641).
    /// </summary>
    public sealed partial class CoapEndpoint
    {
        private CoapResource[] _resources;
        private int _resourceCount;
        private CoapRequest _request;
        private CoapResponse _response;
        private Observer[] _observers;
        private DeferredExchange[] _deferred;
        private byte[] _discovery;
        private WellKnownCore _wellKnown;
        private int _observeSequence;

        private void InitServer()
        {
            _resources = new CoapResource[_config.ResourceCapacity];
            _request = new CoapRequest();
            _response = new CoapResponse(this, _config.ResponseBufferSize);
            _observers = new Observer[_config.ObserverCapacity];
            for (int i = 0; i < _observers.Length; i++)
            {
                _observers[i] = new Observer();
            }
            _deferred = new DeferredExchange[_config.DeferredCapacity];
            for (int i = 0; i < _deferred.Length; i++)
            {
                _deferred[i] = new DeferredExchange();
            }
            _discovery = new byte[_config.DiscoveryBufferSize];
            _wellKnown = new WellKnownCore(this);
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

        internal int WriteDiscovery(byte[] filter, int filterOffset, int filterLength)
        {
            return LinkFormat.Write(_resources, _resourceCount, _discovery, _discovery.Length, filter, filterOffset, filterLength);
        }

        internal byte[] DiscoveryBuffer { get { return _discovery; } }

        private CoapResource FindResource(CoapMessage m)
        {
            int first = m.FindOption(CoapOption.UriPath, 0);
            int count = 0;
            for (int i = first; i >= 0; i = m.FindOption(CoapOption.UriPath, i + 1))
            {
                count++;
            }
            if (_config.ServeDiscovery && Matches(_wellKnown, m, first, count))
            {
                return _wellKnown;
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
                        SendResponse(from, dedupEntry, null, -1, false, nowMs);
                    }
                    return;
                }
            }
            // RFC 7959 §2.2: SZX 7 is reserved and "MUST lead to a 4.00 Bad Request response code upon reception
            // in a request", in Block1 and Block2 alike, before anything else is done with the request.
            if (HasReservedBlockSize(m, CoapOption.Block1) || HasReservedBlockSize(m, CoapOption.Block2))
            {
                _response.Reset(CoapCode.BadRequest);
                SendResponse(from, dedupEntry, null, -1, false, nowMs);
                return;
            }
            if (m.HasOption(CoapOption.ProxyUri) || m.HasOption(CoapOption.ProxyScheme))
            {
                // §5.7.2: this endpoint is no forward-proxy.
                _response.Reset(CoapCode.ProxyingNotSupported);
                SendResponse(from, dedupEntry, null, -1, false, nowMs);
                return;
            }
            _request.Message = m;
            _request.Peer.CopyFrom(from);
            _request.IsNotification = false;
            _request.SetBody(m.PayloadBuffer, m.PayloadOffset, m.PayloadLength);
            CoapResource resource = FindResource(m);
            int method = m.Code;
            _response.Reset(method == CoapCode.Get ? CoapCode.Content : method == CoapCode.Delete ? CoapCode.Deleted : CoapCode.Changed);
            if (resource == null)
            {
                _response.Code = CoapCode.NotFound;
                SendResponse(from, dedupEntry, null, -1, false, nowMs);
                return;
            }
            if (method > CoapCode.Delete)
            {
                _response.Code = CoapCode.MethodNotAllowed;
                SendResponse(from, dedupEntry, null, -1, false, nowMs);
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
                    SendResponse(from, dedupEntry, null, -1, false, nowMs); // 2.31 Continue, 4.08 or 4.13 set by CollectBlock1
                    return;
                }
                if (uploadIndex >= 0)
                {
                    _request.SetBody(_blocks.Blocks[uploadIndex], 0, _blocks.Length[uploadIndex]);
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
                DeferredExchange d = _deferred[_response.DeferredHandle & 0xFF];
                d.Peer.CopyFrom(from);
                System.Array.Copy(m.Token, 0, d.Token, 0, m.TokenLength);
                d.TokenLength = m.TokenLength;
                d.Confirmable = con;
                if (con)
                {
                    SendEmpty(CoapType.Acknowledgement, m.MessageId, from, dedupEntry); // §5.2.2
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
            SendResponse(from, dedupEntry, m, observe, block1 >= 0, nowMs);
        }

        private static bool HasReservedBlockSize(CoapMessage m, int option)
        {
            long value = m.GetUInt(option, -1);
            return value >= 0 && BlockOption.Szx((uint)value) == 7;
        }

        private static bool HasETag(CoapMessage m, byte[] tag, int length)
        {
            byte[] data = m.OptionData;
            for (int i = m.FindOption(CoapOption.ETag, 0); i >= 0; i = m.FindOption(CoapOption.ETag, i + 1))
            {
                if (m.OptionLength(i) != length)
                {
                    continue;
                }
                bool same = true;
                for (int k = 0; k < length; k++)
                {
                    if (data[m.OptionOffset(i) + k] != tag[k])
                    {
                        same = false;
                        break;
                    }
                }
                if (same)
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
                    index = _blocks.AcquireUpload(from, nowMs, _config.EffectiveExchangeLifetimeMs(), _config.UploadStallMs(), _config.NStart);
                }
                if (index < 0)
                {
                    _response.Reset(CoapCode.ServiceUnavailable);
                    return -2;
                }
                _blocks.Peer[index].CopyFrom(from);
                _blocks.Resource[index] = resource;
                _blocks.Length[index] = 0;
            }
            if (index < 0 || num * size != _blocks.Length[index] || (more && m.PayloadLength != size))
            {
                _response.Reset(CoapCode.RequestEntityIncomplete); // §2.9.2
                return -2;
            }
            System.Array.Copy(m.PayloadBuffer == null ? _blocks.Blocks[index] : m.PayloadBuffer, m.PayloadOffset, _blocks.Blocks[index], num * size, m.PayloadLength);
            _blocks.Length[index] += m.PayloadLength;
            _blocks.Expires[index] = nowMs + _config.EffectiveExchangeLifetimeMs(); // the upload is alive: last block now
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
        /// Encodes _response as the answer to request <paramref name="request"/> (null: no request options apply):
        /// piggybacked on the ACK for a CON (§5.2.1), a NON for a NON; slices Block2 (RFC 7959 §2.4) and caches the
        /// reply for duplicates.
        /// </summary>
        private void SendResponse(PeerAddress to, int dedupEntry, CoapMessage request, int observe, bool echoBlock1, long nowMs)
        {
            CoapMessage rq = _rx;
            CoapMessage m = _tx;
            m.Reset();
            bool con = rq.Type == CoapType.Confirmable;
            m.Type = con ? CoapType.Acknowledgement : CoapType.NonConfirmable;
            m.MessageId = con ? rq.MessageId : NextMessageId();
            m.SetToken(rq.Token, 0, rq.TokenLength);
            long block2 = request == null ? -1 : request.GetUInt(CoapOption.Block2, -1);
            int szx = block2 >= 0 ? BlockOption.Szx((uint)block2) : -1;
            int num = block2 >= 0 ? BlockOption.Num((uint)block2) : 0;
            if (!FillResponse(m, observe, szx, num, request != null && request.HasOption(CoapOption.Size2)))
            {
                m.Reset();
                m.Type = con ? CoapType.Acknowledgement : CoapType.NonConfirmable;
                m.MessageId = con ? rq.MessageId : m.MessageId;
                m.SetToken(rq.Token, 0, rq.TokenLength);
                m.Code = CoapCode.BadOption; // a Block2 number past the end (RFC 7959 §2.2)
            }
            if (_response.Block1 >= 0 && (echoBlock1 || _response.Code == CoapCode.Continue))
            {
                m.AddOptionUInt(CoapOption.Block1, (uint)_response.Block1);
            }
            if (_response.Size1 >= 0)
            {
                m.AddOptionUInt(CoapOption.Size1, (uint)_response.Size1);
            }
            int n = CoapCodec.Encode(m, _out, 0, _out.Length);
            if (n < 0)
            {
                // Options overflowed the buffer: answer 5.00 rather than nothing.
                m.Reset();
                m.Type = con ? CoapType.Acknowledgement : CoapType.NonConfirmable;
                m.MessageId = con ? rq.MessageId : NextMessageId();
                m.SetToken(rq.Token, 0, rq.TokenLength);
                m.Code = CoapCode.InternalServerError;
                n = CoapCodec.Encode(m, _out, 0, _out.Length);
            }
            _sink.Send(_out, 0, n, to);
            if (con)
            {
                _dedup.StoreReply(dedupEntry, _out, 0, n);
            }
        }

        /// <summary>
        /// Writes _response's code, options and (a block of) its body into <paramref name="m"/>. Block2 applies when
        /// asked (<paramref name="szx"/> ≥ 0) or when the body is larger than the block size. False if <paramref name="num"/> is past the end.
        /// </summary>
        private bool FillResponse(CoapMessage m, int observe, int szx, int num, bool askedSize2)
        {
            CoapResponse r = _response;
            m.Code = r.Code;
            if (observe >= 0)
            {
                m.AddOptionUInt(CoapOption.Observe, (uint)observe);
            }
            if (r.ETagLength > 0)
            {
                m.AddOption(CoapOption.ETag, r.ETag, 0, r.ETagLength);
            }
            if (r.ContentFormat >= 0)
            {
                m.AddOptionUInt(CoapOption.ContentFormat, (uint)r.ContentFormat);
            }
            if (r.MaxAge >= 0)
            {
                m.AddOptionUInt(CoapOption.MaxAge, (uint)r.MaxAge);
            }
            int ourSzx = BlockOption.SzxForSize(_config.BlockSize);
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
            if (szx >= 0 && CoapCode.IsSuccess(r.Code))
            {
                int size = BlockOption.Size(szx);
                int offset = num * size;
                if (offset > total || (offset == total && total > 0))
                {
                    return false;
                }
                int n = total - offset;
                bool more = n > size;
                if (more)
                {
                    n = size;
                }
                m.AddOptionUInt(CoapOption.Block2, BlockOption.Encode(num, more, szx));
                if (num == 0 || askedSize2)
                {
                    m.AddOptionUInt(CoapOption.Size2, (uint)total); // RFC 7959 §4
                }
                m.SetPayload(r.Payload, r.PayloadOffset + offset, n);
                return true;
            }
            m.SetPayload(r.Payload, r.PayloadOffset, total);
            return true;
        }

        // ---- Separate responses (RFC 7252 §5.2.2) ----

        internal int AllocateDeferred()
        {
            for (int i = 0; i < _deferred.Length; i++)
            {
                if (!_deferred[i].Active)
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
            CoapMessage m = _tx;
            m.Reset();
            m.Type = d.Confirmable ? CoapType.Confirmable : CoapType.NonConfirmable;
            m.MessageId = NextMessageId();
            m.SetToken(d.Token, 0, d.TokenLength);
            FillResponse(m, -1, -1, 0, false);
            bool sent = false;
            if (d.Confirmable)
            {
                int slot = FreeServerSlot();
                if (slot >= 0)
                {
                    Transmission t = _serverSlots[slot];
                    t.Length = CoapCodec.Encode(m, t.Datagram, 0, t.Datagram.Length);
                    if (t.Length > 0)
                    {
                        t.Peer.CopyFrom(d.Peer);
                        t.MessageId = m.MessageId;
                        t.Owner = Transmission.OwnerSeparate;
                        t.OwnerIndex = i;
                        StartTransmission(t, nowMs);
                        sent = true;
                    }
                }
            }
            else
            {
                int n = CoapCodec.Encode(m, _out, 0, _out.Length);
                if (n > 0)
                {
                    _sink.Send(_out, 0, n, d.Peer);
                    sent = true;
                }
            }
            d.Active = false;
            return sent;
        }

        private int FreeServerSlot()
        {
            for (int i = 0; i < _serverSlots.Length; i++)
            {
                if (!_serverSlots[i].Active)
                {
                    return i;
                }
            }
            return -1;
        }

        // ---- Observe (RFC 7641) ----

        private int FindObserver(PeerAddress peer, byte[] token, int tokenLength)
        {
            for (int i = 0; i < _observers.Length; i++)
            {
                Observer o = _observers[i];
                if (o.Active && o.TokenLength == tokenLength && o.Peer.SameAs(peer))
                {
                    bool same = true;
                    for (int k = 0; k < tokenLength; k++)
                    {
                        if (o.Token[k] != token[k])
                        {
                            same = false;
                            break;
                        }
                    }
                    if (same)
                    {
                        return i;
                    }
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
                    if (!_observers[k].Active)
                    {
                        i = k;
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
            o.Peer.CopyFrom(from);
            System.Array.Copy(m.Token, 0, o.Token, 0, m.TokenLength);
            o.TokenLength = m.TokenLength;
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
                Transmission t = _serverSlots[o.Slot];
                if (t.Owner == Transmission.OwnerNotification && t.OwnerIndex == index)
                {
                    t.Stop();
                    t.Owner = Transmission.OwnerNone;
                }
            }
            o.Slot = -1;
            o.Active = false;
            o.Resource = null;
        }

        private void ReleaseObserverSlot(int observer, int slot)
        {
            if (observer >= 0 && observer < _observers.Length && _observers[observer].Slot == slot)
            {
                _observers[observer].Slot = -1;
            }
        }

        private void ResetToNonNotification(PeerAddress from, int mid)
        {
            for (int i = 0; i < _observers.Length; i++)
            {
                if (_observers[i].Active && _observers[i].LastMid == mid && _observers[i].Peer.SameAs(from))
                {
                    RemoveObserver(i); // RFC 7641 §3.6
                    return;
                }
            }
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
                _request.Message = null;
                _request.Peer.CopyFrom(o.Peer);
                _request.IsNotification = true;
                _request.NotificationAccept = o.Accept;
                _request.SetBody(null, 0, 0);
                _response.Reset(CoapCode.Content);
                resource.Handle(_request, _response);
                _request.IsNotification = false;
                bool final = !CoapCode.IsSuccess(_response.Code);
                CoapMessage m = _tx;
                m.Reset();
                m.MessageId = NextMessageId();
                m.SetToken(o.Token, 0, o.TokenLength);
                o.Sent++;
                bool con = o.Slot >= 0 || final || (_config.ObserveConEvery > 0 && o.Sent % _config.ObserveConEvery == 0)
                    || nowMs - o.LastConAt >= _config.ObserveConMaxIntervalMs;
                m.Type = con ? CoapType.Confirmable : CoapType.NonConfirmable;
                if (!FillResponse(m, final ? -1 : NextObserveSequence(), o.Szx, 0, false))
                {
                    continue;
                }
                if (con)
                {
                    int slot = o.Slot >= 0 ? o.Slot : FreeServerSlot();
                    if (slot >= 0)
                    {
                        Transmission t = _serverSlots[slot];
                        bool inFlight = t.Active && t.Owner == Transmission.OwnerNotification && t.OwnerIndex == i;
                        t.Length = CoapCodec.Encode(m, t.Datagram, 0, t.Datagram.Length);
                        if (t.Length < 0)
                        {
                            continue;
                        }
                        t.Peer.CopyFrom(o.Peer);
                        t.MessageId = m.MessageId;
                        t.Owner = Transmission.OwnerNotification;
                        t.OwnerIndex = i;
                        o.Slot = slot;
                        o.LastConAt = nowMs;
                        if (inFlight)
                        {
                            // §4.5.2: keep the retransmission state, send the new state now.
                            _sink.Send(t.Datagram, 0, t.Length, t.Peer);
                        }
                        else
                        {
                            StartTransmission(t, nowMs);
                        }
                        sent++;
                        if (final)
                        {
                            o.Active = false; // the slot finishes delivering it; no more notifications
                            o.Resource = null;
                        }
                        continue;
                    }
                    m.Type = CoapType.NonConfirmable; // no slot free: NON now, CON next time
                }
                int n = CoapCodec.Encode(m, _out, 0, _out.Length);
                if (n > 0)
                {
                    _sink.Send(_out, 0, n, o.Peer);
                    o.LastMid = m.MessageId;
                    sent++;
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
