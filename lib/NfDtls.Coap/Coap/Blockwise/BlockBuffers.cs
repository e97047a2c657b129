using NfDtls.Coap.Messaging;
using NfDtls.Coap.Server;
using NfDtls.Net;

namespace NfDtls.Coap.Blockwise
{
    /// <summary>
    /// The fixed pool of reassembly buffers (RFC 7959): a client reassembling a Block2 body, or the server
    /// collecting a Block1 upload keyed by peer and resource (§2.5). All of them are one array of
    /// BlockBufferCount × BlockBufferSize bytes (buffer i at <see cref="Offset"/>(i)), their peers address rows of
    /// another; a buffer is free when its <see cref="Expires"/> has passed. An upload's Expires moves with every
    /// block, so it also tells when the last block came.
    /// </summary>
    internal sealed class BlockBuffers
    {
        /// <summary>The buffers, one after another.</summary>
        public readonly byte[] Space;
        public readonly int Capacity;
        public readonly int[] Length;
        public readonly long[] Expires;
        public readonly CoapResource[] Resource;
        private readonly byte[] _peers;

        public BlockBuffers(int count, int size)
        {
            count = count < 0 ? 0 : count;
            Capacity = size < 0 ? 0 : size;
            Space = new byte[count * Capacity];
            Length = new int[count];
            Expires = new long[count];
            Resource = new CoapResource[count];
            _peers = new byte[count * PeerTable.AddressLength];
            for (int i = 0; i < count; i++)
            {
                Expires[i] = long.MinValue;
            }
        }

        /// <summary>Where buffer <paramref name="index"/> starts in <see cref="Space"/>.</summary>
        public int Offset(int index)
        {
            return index * Capacity;
        }

        public void SetPeer(int index, PeerAddress peer)
        {
            PeerTable.Write(_peers, index * PeerTable.AddressLength, peer);
        }

        private bool IsPeer(int index, PeerAddress peer)
        {
            return PeerTable.Same(_peers, index * PeerTable.AddressLength, peer);
        }

        /// <summary>A free buffer (or an expired one), -1 if none.</summary>
        public int Acquire(long nowMs, long lifetimeMs)
        {
            for (int i = 0; i < Length.Length; i++)
            {
                if (Expires[i] <= nowMs)
                {
                    Length[i] = 0;
                    Resource[i] = null;
                    Expires[i] = nowMs + lifetimeMs;
                    return i;
                }
            }
            return -1;
        }

        /// <summary>
        /// A buffer for a new upload from <paramref name="peer"/>, -1 if none may be taken. Uploads are bounded so a few
        /// peers cannot hold every buffer for an EXCHANGE_LIFETIME (issue 16, finding 10): a peer that already holds
        /// <paramref name="perPeer"/> uploads gives up its own oldest; otherwise a free buffer; otherwise the upload
        /// whose last block is oldest, if no block came for <paramref name="stallMs"/> (an upload still moving is
        /// never taken; its client would only have to start over). The caller sets Peer and Resource.
        /// </summary>
        public int AcquireUpload(PeerAddress peer, long nowMs, long lifetimeMs, long stallMs, int perPeer)
        {
            int free = -1;
            int own = 0;
            int ownOldest = -1;
            int stalled = -1;
            for (int i = 0; i < Length.Length; i++)
            {
                if (Expires[i] <= nowMs)
                {
                    if (free < 0)
                    {
                        free = i;
                    }
                    continue;
                }
                if (Resource[i] == null)
                {
                    continue; // a client's Block2 reassembly: never taken over
                }
                if (IsPeer(i, peer))
                {
                    own++;
                    if (ownOldest < 0 || Expires[i] < Expires[ownOldest])
                    {
                        ownOldest = i;
                    }
                }
                if (Expires[i] - lifetimeMs + stallMs <= nowMs && (stalled < 0 || Expires[i] < Expires[stalled]))
                {
                    stalled = i;
                }
            }
            int index = own >= perPeer && ownOldest >= 0 ? ownOldest : free >= 0 ? free : stalled;
            if (index < 0)
            {
                return -1;
            }
            if (index != free)
            {
                Replaced++;
            }
            Length[index] = 0;
            Resource[index] = null;
            Expires[index] = nowMs + lifetimeMs;
            return index;
        }

        /// <summary>Uploads given up before they completed to make room for a newer one.</summary>
        public int Replaced;

        /// <summary>The server upload buffer of (peer, resource), -1 if none.</summary>
        public int FindUpload(PeerAddress peer, CoapResource resource, long nowMs)
        {
            for (int i = 0; i < Length.Length; i++)
            {
                if (Expires[i] > nowMs && Resource[i] == resource && IsPeer(i, peer))
                {
                    return i;
                }
            }
            return -1;
        }

        /// <summary>The peer at <paramref name="from"/> now speaks from <paramref name="to"/> (RFC 9146 §6): its uploads follow.</summary>
        public void Move(PeerAddress from, PeerAddress to)
        {
            for (int i = 0; i < Length.Length; i++)
            {
                if (Resource[i] != null && IsPeer(i, from))
                {
                    SetPeer(i, to);
                }
            }
        }

        public void Release(int index)
        {
            if (index >= 0 && index < Length.Length)
            {
                Expires[index] = long.MinValue;
                Resource[index] = null;
            }
        }
    }
}
