using NfDtls.Config;

namespace NfDtls.Gateway
{
    /// <summary>
    /// The nodes a gateway accepts, in a table sized at construction and searched linearly (a gateway holds tens of
    /// nodes, and a lookup happens once per handshake). Ids, PSK identities and public keys are each unique.
    /// </summary>
    public sealed class NodeTable
    {
        private readonly NodeCredential[] _nodes;
        private int _count;

        public NodeTable(int capacity)
        {
            _nodes = new NodeCredential[capacity > 0 ? capacity : 1];
        }

        public int Count { get { return _count; } }

        public int Capacity { get { return _nodes.Length; } }

        public NodeCredential At(int index)
        {
            return _nodes[index];
        }

        /// <summary>Adds a node; null when done, otherwise why not (full, incomplete, or a second node with the same id, identity or key).</summary>
        public string Add(NodeCredential node)
        {
            if (node == null || node.Id == null || node.Id.Length == 0)
            {
                return "a node needs an id";
            }
            if (_count == _nodes.Length)
            {
                return string.Concat("node ", node.Id, ": the table is full");
            }
            if (FindById(node.Id) != null)
            {
                return string.Concat("node ", node.Id, " appears twice");
            }
            if (node.Security == NodeSettings.SecurityPsk)
            {
                if (node.PskIdentity == null || node.PskKey == null || node.PskKey.Length == 0)
                {
                    return string.Concat("node ", node.Id, ": psk needs an identity and a key");
                }
                if (FindByPskIdentity(node.PskIdentity, 0, node.PskIdentity.Length) != null)
                {
                    return string.Concat("node ", node.Id, ": its PSK identity is another node's");
                }
            }
            else if (node.Security == NodeSettings.SecurityRpk || node.Security == NodeSettings.SecurityX509)
            {
                if (node.PublicKey == null || node.PublicKey.Length != 65 || node.PublicKey[0] != 4)
                {
                    return string.Concat("node ", node.Id, ": ", node.Security, " needs a 65-byte uncompressed P-256 public key");
                }
                if (FindByPublicKey(node.PublicKey, 0) != null)
                {
                    return string.Concat("node ", node.Id, ": its public key is another node's");
                }
            }
            else
            {
                return string.Concat("node ", node.Id, ": security must be psk, rpk or x509");
            }
            _nodes[_count++] = node;
            return null;
        }

        public NodeCredential FindById(string id)
        {
            for (int i = 0; i < _count; i++)
            {
                if (_nodes[i].Id == id)
                {
                    return _nodes[i];
                }
            }
            return null;
        }

        /// <summary>The psk node with this identity (RFC 4279 §2: compared as bytes), or null.</summary>
        public NodeCredential FindByPskIdentity(byte[] identity, int offset, int count)
        {
            for (int i = 0; i < _count; i++)
            {
                NodeCredential n = _nodes[i];
                if (n.PskIdentity != null && n.Security == NodeSettings.SecurityPsk && SameBytes(n.PskIdentity, identity, offset, count))
                {
                    return n;
                }
            }
            return null;
        }

        /// <summary>The rpk or x509 node with this 65-byte point at <paramref name="offset"/>, or null.</summary>
        public NodeCredential FindByPublicKey(byte[] point, int offset)
        {
            for (int i = 0; i < _count; i++)
            {
                NodeCredential n = _nodes[i];
                if (n.PublicKey != null && SameBytes(n.PublicKey, point, offset, 65))
                {
                    return n;
                }
            }
            return null;
        }

        /// <summary>How many nodes use this kind of credential.</summary>
        public int CountOf(string security)
        {
            int n = 0;
            for (int i = 0; i < _count; i++)
            {
                if (_nodes[i].Security == security)
                {
                    n++;
                }
            }
            return n;
        }

        private static bool SameBytes(byte[] a, byte[] b, int offset, int count)
        {
            if (b == null || a.Length != count || offset < 0 || offset + count > b.Length)
            {
                return false;
            }
            for (int i = 0; i < count; i++)
            {
                if (a[i] != b[offset + i])
                {
                    return false;
                }
            }
            return true;
        }
    }
}
