using NfDtls.Config;

namespace NfDtls.Gateway
{
    /// <summary>
    /// What the gateway knows of one node: its id, the kind of credential it was provisioned with (psk, rpk or x509,
    /// the <see cref="NodeSettings"/> security names) and the material that authenticates it. A node is accepted only
    /// with the kind listed for it: an rpk node's key inside a fleet certificate is refused, and so is an x509 node's
    /// key sent as a raw public key (RFC 7250 §4.4: the certificate type is part of what was negotiated).
    /// </summary>
    public sealed class NodeCredential
    {
        /// <summary>The node's id: its MQTT topic level and the SenML base name "urn:dev:&lt;id&gt;:".</summary>
        public string Id;

        /// <summary><see cref="NodeSettings.SecurityPsk"/>, <see cref="NodeSettings.SecurityRpk"/> or <see cref="NodeSettings.SecurityX509"/>.</summary>
        public string Security;

        /// <summary>psk: the identity as it arrives in ClientKeyExchange (RFC 4279 §2: UTF-8 bytes) and the key.</summary>
        public byte[] PskIdentity;
        public byte[] PskKey;

        /// <summary>rpk and x509: the node's P-256 public key, 65 bytes uncompressed (x509: the one its certificate holds).</summary>
        public byte[] PublicKey;

        public NodeCredential(string id, string security)
        {
            Id = id;
            Security = security;
        }

        public static NodeCredential Psk(string id, byte[] identity, byte[] key)
        {
            NodeCredential c = new NodeCredential(id, NodeSettings.SecurityPsk);
            c.PskIdentity = identity;
            c.PskKey = key;
            return c;
        }

        public static NodeCredential Rpk(string id, byte[] publicKey)
        {
            NodeCredential c = new NodeCredential(id, NodeSettings.SecurityRpk);
            c.PublicKey = publicKey;
            return c;
        }

        public static NodeCredential X509(string id, byte[] publicKey)
        {
            NodeCredential c = new NodeCredential(id, NodeSettings.SecurityX509);
            c.PublicKey = publicKey;
            return c;
        }
    }
}
