// Compiled twice: into NfDtls.Bench (desktop JIT column) and, with Roslyn's csc against Mono's reference assemblies,
// into the interpreter bench (InterpBench.cs builds it). So: C# that mscorlib 4.5 has (no u8 literals, no tuples,
// no Random.Shared), and only the public API of the portable core.
#nullable disable
using System;
using NfDtls.Crypto;

namespace NfDtls.Bench.Interp
{
    /// <summary>One measured operation: a row of the interpreter table.</summary>
    internal sealed class InterpRow
    {
        public readonly string Key;
        public readonly string Label;

        /// <summary>nanoCLR / Mono-interpreter time ratio measured for this kind of code (issue 17): 2.1 or 3.0.</summary>
        public readonly double NanoClrRatio;

        /// <summary>The workload whose run this row reads (handshake sides share the handshake's runs).</summary>
        public readonly string Workload;

        public InterpRow(string key, string label, double ratio, string workload)
        {
            Key = key;
            Label = label;
            NanoClrRatio = ratio;
            Workload = workload;
        }
    }

    /// <summary>The operations of the interpreter bench and how each is set up (once, outside the timing).</summary>
    internal static class InterpWorkloads
    {
        // Calibration of nanoCLR (x86 host build, 32-bit) against `mono --interpreter` on this code (issue 17):
        // hash, AEAD, protocol and CoAP code about 2.1x; P-256 about 3.0x.
        public const double ProtocolRatio = 2.1;
        public const double P256Ratio = 3.0;

        public static readonly InterpRow[] Rows =
        {
            new InterpRow("sha256", "SHA-256 1 KiB", ProtocolRatio, "sha256"),
            new InterpRow("ccm8", "AES-128-CCM-8 seal+open 64 B", ProtocolRatio, "ccm8"),
            new InterpRow("keygen", "P-256 keygen (k*G)", P256Ratio, "keygen"),
            new InterpRow("sign", "ECDSA P-256 sign", P256Ratio, "sign"),
            new InterpRow("verify", "ECDSA P-256 verify", P256Ratio, "verify"),
            new InterpRow("ecdh", "ECDH P-256 shared secret", P256Ratio, "ecdh"),
            new InterpRow("ecdhe-client", "ECDHE-ECDSA handshake, client side", P256Ratio, "ecdhe"),
            new InterpRow("ecdhe-server", "ECDHE-ECDSA handshake, server side", P256Ratio, "ecdhe"),
            new InterpRow("ecdhe", "ECDHE-ECDSA handshake, both sides", P256Ratio, "ecdhe"),
            // Resumed (abbreviated, RFC 5246 §7.3, with an RFC 5077 ticket): no P-256 at all, so the protocol ratio.
            new InterpRow("ecdhe-resumed-client", "ECDHE-ECDSA resumed, client side", ProtocolRatio, "ecdhe-resumed"),
            new InterpRow("ecdhe-resumed-server", "ECDHE-ECDSA resumed, server side", ProtocolRatio, "ecdhe-resumed"),
            new InterpRow("ecdhe-resumed", "ECDHE-ECDSA resumed, both sides", ProtocolRatio, "ecdhe-resumed"),
            new InterpRow("psk-client", "PSK handshake, client side", ProtocolRatio, "psk"),
            new InterpRow("psk-server", "PSK handshake, server side", ProtocolRatio, "psk"),
            new InterpRow("psk", "PSK handshake, both sides", ProtocolRatio, "psk"),
            new InterpRow("psk-resumed-client", "PSK resumed, client side", ProtocolRatio, "psk-resumed"),
            new InterpRow("psk-resumed-server", "PSK resumed, server side", ProtocolRatio, "psk-resumed"),
            new InterpRow("psk-resumed", "PSK resumed, both sides", ProtocolRatio, "psk-resumed"),
            new InterpRow("coap", "CoAPs GET on an open session", ProtocolRatio, "coap"),
        };

        // Fixed test keys (any scalar in [1, n-1]): the bench must not depend on a platform's own P-256.
        private static readonly byte[] KeyA = Hex("c9afa9d845ba75166b5c215767b1d6934e50c3db36e89b127b8a622b120f6721");
        private static readonly byte[] KeyB = Hex("519b423d715f8b581f4fa8ee59f4771a5b44c8130b4e3eacca54a56dda72b464");

        /// <summary>Sets up the workload named <paramref name="workload"/>; a handshake workload also fills <paramref name="pair"/>.</summary>
        public static Action Create(string workload, out InterpHandshake pair)
        {
            pair = null;
            ICryptoProvider p = PortableCryptoProvider.Instance;
            switch (workload)
            {
                case "sha256":
                    return Sha256Of1KiB(p);
                case "ccm8":
                    return CcmSealOpen(p);
                case "keygen":
                    return KeyGen(p);
                case "sign":
                    return Sign(p);
                case "verify":
                    return Verify(p);
                case "ecdh":
                    return Ecdh(p);
                case "ecdhe":
                    pair = InterpHandshake.Ecdhe(KeyA, KeyB);
                    return pair.Handshake;
                case "ecdhe-resumed":
                    pair = InterpHandshake.Ecdhe(KeyA, KeyB);
                    return pair.ResumedHandshakeAction();
                case "psk":
                    pair = InterpHandshake.Psk();
                    return pair.Handshake;
                case "psk-resumed":
                    pair = InterpHandshake.Psk();
                    return pair.ResumedHandshakeAction();
                case "coap":
                    pair = InterpHandshake.Psk();
                    return pair.CoapGetAction();
                default:
                    throw new ArgumentException("unknown workload " + workload);
            }
        }

        private static Action Sha256Of1KiB(ICryptoProvider p)
        {
            ISha256 sha = p.CreateSha256();
            byte[] data = Pattern(1024);
            byte[] digest = new byte[32];
            return delegate
            {
                sha.Update(data, 0, data.Length);
                sha.Finish(digest, 0);
            };
        }

        private static Action CcmSealOpen(ICryptoProvider p)
        {
            IAesCcm ccm = p.CreateAesCcm(8);
            ccm.SetKey(Pattern(16), 0);
            byte[] nonce = Pattern(12);   // DTLS 1.2 CCM: 4-byte implicit + 8-byte explicit nonce (RFC 6655 §3)
            byte[] aad = Pattern(13);     // DTLS 1.2 additional data (RFC 6347 §4.1.2.1)
            byte[] record = Pattern(64 + 8);
            return delegate
            {
                ccm.Seal(nonce, 0, 12, aad, 0, 13, record, 0, 64, record, 0);
                if (!ccm.Open(nonce, 0, 12, aad, 0, 13, record, 0, 72, record, 0))
                {
                    throw new InvalidOperationException("CCM round trip failed");
                }
            };
        }

        private static Action KeyGen(ICryptoProvider p)
        {
            IEcdsaP256 ecdsa = p.CreateEcdsaP256();
            byte[] publicKey = new byte[65];
            return delegate
            {
                if (!ecdsa.DerivePublicKey(KeyA, 0, publicKey, 0))
                {
                    throw new InvalidOperationException("k*G failed");
                }
            };
        }

        private static Action Sign(ICryptoProvider p)
        {
            IEcdsaP256 ecdsa = p.CreateEcdsaP256();
            byte[] hash = Pattern(32);
            byte[] signature = new byte[64];
            return delegate
            {
                hash[0]++; // a fresh digest (and so a fresh RFC 6979 nonce) each time
                if (!ecdsa.Sign(KeyA, 0, hash, 0, signature, 0))
                {
                    throw new InvalidOperationException("ECDSA sign failed");
                }
            };
        }

        private static Action Verify(ICryptoProvider p)
        {
            IEcdsaP256 ecdsa = p.CreateEcdsaP256();
            byte[] publicKey = new byte[65];
            byte[] hash = Pattern(32);
            byte[] signature = new byte[64];
            if (!ecdsa.DerivePublicKey(KeyA, 0, publicKey, 0) || !ecdsa.Sign(KeyA, 0, hash, 0, signature, 0))
            {
                throw new InvalidOperationException("ECDSA setup failed");
            }
            return delegate
            {
                if (!ecdsa.Verify(publicKey, 0, 65, hash, 0, signature, 0))
                {
                    throw new InvalidOperationException("ECDSA verify failed");
                }
            };
        }

        private static Action Ecdh(ICryptoProvider p)
        {
            IEcdhP256 peer = p.CreateEcdhP256();
            IEcdhP256 ecdh = p.CreateEcdhP256();
            byte[] peerPublic = new byte[65];
            byte[] shared = new byte[32];
            if (!peer.ImportPrivateKey(KeyB, 0) || !peer.ExportPublicKey(peerPublic, 0) || !ecdh.ImportPrivateKey(KeyA, 0))
            {
                throw new InvalidOperationException("ECDH setup failed");
            }
            return delegate
            {
                if (!ecdh.DeriveSharedSecret(peerPublic, 0, 65, shared, 0))
                {
                    throw new InvalidOperationException("ECDH failed");
                }
            };
        }

        internal static byte[] Pattern(int length)
        {
            byte[] b = new byte[length];
            for (int i = 0; i < length; i++)
            {
                b[i] = (byte)(i * 7 + 3);
            }
            return b;
        }

        internal static byte[] Hex(string hex)
        {
            byte[] b = new byte[hex.Length / 2];
            for (int i = 0; i < b.Length; i++)
            {
                b[i] = (byte)((Nibble(hex[2 * i]) << 4) | Nibble(hex[2 * i + 1]));
            }
            return b;
        }

        private static int Nibble(char c)
        {
            return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
        }
    }
}
