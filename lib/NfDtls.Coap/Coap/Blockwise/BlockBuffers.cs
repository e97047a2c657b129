using NfDtls.Coap.Server;
using NfDtls.Net;

namespace NfDtls.Coap.Blockwise
{
    /// <summary>
    /// The fixed pool of reassembly buffers (RFC 7959): a client reassembling a Block2 body, or the server
    /// collecting a Block1 upload keyed by peer and resource (§2.5). BlockBufferCount × BlockBufferSize bytes.
    /// An upload's <see cref="Expires"/> moves with every block, so it also tells when the last block came.
    /// </summary>
    internal sealed class BlockBuffers
    {
        public readonly byte[][] Blocks;
        public readonly bool[] InUse;
        public readonly int[] Length;
        public readonly long[] Expires;
        public readonly PeerAddress[] Peer;
        public readonly CoapResource[] Resource;

        public BlockBuffers(int count, int size)
        {
            Blocks = new byte[count][];
            InUse = new bool[count];
            Length = new int[count];
            Expires = new long[count];
            Peer = new PeerAddress[count];
            Resource = new CoapResource[count];
            for (int i = 0; i < count; i++)
            {
                Blocks[i] = new byte[size];
                Peer[i] = new PeerAddress();
            }
        }

        public int Capacity { get { return Blocks.Length == 0 ? 0 : Blocks[0].Length; } }

        /// <summary>A free buffer (or an expired one), -1 if none.</summary>
        public int Acquire(long nowMs, long lifetimeMs)
        {
            for (int i = 0; i < Blocks.Length; i++)
            {
                if (!InUse[i] || Expires[i] <= nowMs)
                {
                    InUse[i] = true;
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
            for (int i = 0; i < Blocks.Length; i++)
            {
                if (!InUse[i] || Expires[i] <= nowMs)
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
                if (Peer[i].SameAs(peer))
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
            InUse[index] = true;
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
            for (int i = 0; i < Blocks.Length; i++)
            {
                if (InUse[i] && Expires[i] > nowMs && Resource[i] == resource && Peer[i].SameAs(peer))
                {
                    return i;
                }
            }
            return -1;
        }

        public void Release(int index)
        {
            if (index >= 0 && index < InUse.Length)
            {
                InUse[index] = false;
                Resource[index] = null;
            }
        }
    }
}
