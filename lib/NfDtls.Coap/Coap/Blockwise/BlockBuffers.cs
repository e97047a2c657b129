using NfDtls.Coap.Server;
using NfDtls.Net;

namespace NfDtls.Coap.Blockwise
{
    /// <summary>
    /// The fixed pool of reassembly buffers (RFC 7959): a client reassembling a Block2 body, or the server
    /// collecting a Block1 upload keyed by peer and resource (§2.5). BlockBufferCount × BlockBufferSize bytes.
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
