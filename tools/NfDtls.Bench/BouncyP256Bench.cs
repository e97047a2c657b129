using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Agreement;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Security;

/// <summary>BouncyCastle's managed P-256 (the usual pure-.NET alternative) on the same operations as the P-256 rows.</summary>
internal static class BouncyP256Bench
{
    private static readonly ECDomainParameters Domain = new(ECNamedCurveTable.GetByName("P-256"));
    private static readonly SecureRandom Random = new();

    private static AsymmetricCipherKeyPair NewKey()
    {
        var gen = new ECKeyPairGenerator();
        gen.Init(new ECKeyGenerationParameters(Domain, Random));
        return gen.GenerateKeyPair();
    }

    public static Action FixedBaseMultiply()
    {
        BigInteger d = ((ECPrivateKeyParameters)NewKey().Private).D;
        return () => Domain.G.Multiply(d).Normalize();
    }

    public static Action EcdhDerive()
    {
        var own = NewKey();
        var peer = (ECPublicKeyParameters)NewKey().Public;
        var agreement = new ECDHBasicAgreement();
        agreement.Init(own.Private);
        return () => agreement.CalculateAgreement(peer);
    }

    public static Action Sign()
    {
        var key = NewKey();
        byte[] hash = new byte[32];
        Random.NextBytes(hash);
        var signer = new ECDsaSigner(new HMacDsaKCalculator(new Sha256Digest())); // RFC 6979, as the portable provider
        signer.Init(true, key.Private);
        return () => signer.GenerateSignature(hash);
    }

    public static Action Verify()
    {
        var key = NewKey();
        byte[] hash = new byte[32];
        Random.NextBytes(hash);
        var signer = new ECDsaSigner(new HMacDsaKCalculator(new Sha256Digest()));
        signer.Init(true, key.Private);
        BigInteger[] rs = signer.GenerateSignature(hash);
        var verifier = new ECDsaSigner();
        verifier.Init(false, key.Public);
        return () =>
        {
            if (!verifier.VerifySignature(hash, rs[0], rs[1]))
            {
                throw new InvalidOperationException("BouncyCastle verify failed");
            }
        };
    }
}
