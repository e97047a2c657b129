using System.Security.Cryptography;
using NfDtls.Crypto;

namespace NfDtls.Desktop.Provisioning;

/// <summary>
/// A P-256 key in the three shapes provisioning needs: the 32-byte private scalar and 65-byte uncompressed point a
/// node stores, the SubjectPublicKeyInfo (RFC 5480 §2) a raw-public-key handshake sends (RFC 7250 §3), and an
/// <see cref="ECDsa"/> for signing certificates.
/// </summary>
public sealed class P256KeyPair : IDisposable
{
    private P256KeyPair(ECDsa key, byte[] privateKey, byte[] publicKey)
    {
        Key = key;
        PrivateKey = privateKey;
        PublicKey = publicKey;
    }

    public ECDsa Key { get; }

    /// <summary>d, 32 bytes big-endian.</summary>
    public byte[] PrivateKey { get; }

    /// <summary>04 || X || Y (SEC 1 §2.3.3).</summary>
    public byte[] PublicKey { get; }

    public byte[] SubjectPublicKeyInfo => Key.ExportSubjectPublicKeyInfo();

    /// <summary>
    /// A key whose scalar comes from <paramref name="random"/> (so a seeded generator gives the same fleet twice):
    /// 32 random bytes, drawn again in the rare case they are 0 or not below the group order n (FIPS 186-4 B.4.2).
    /// </summary>
    public static P256KeyPair Generate(IRandom random)
    {
        var d = new byte[32];
        do
        {
            random.GetBytes(d, 0, 32);
        }
        while (!IsValidScalar(d));
        return FromPrivateKey(d);
    }

    public static P256KeyPair FromPrivateKey(byte[] d)
    {
        if (d.Length != 32 || !IsValidScalar(d))
        {
            throw new ArgumentException("not a P-256 private key", nameof(d));
        }
        // The platform derives Q = d·G when only D is imported.
        var key = ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, D = (byte[])d.Clone() });
        var q = key.ExportParameters(false).Q;
        var pub = new byte[65];
        pub[0] = 0x04;
        q.X!.CopyTo(pub, 1);
        q.Y!.CopyTo(pub, 33);
        return new P256KeyPair(key, (byte[])d.Clone(), pub);
    }

    /// <summary>The 65-byte point inside a P-256 SubjectPublicKeyInfo, or null when it is not one.</summary>
    public static byte[]? PointFromSubjectPublicKeyInfo(byte[] spki)
    {
        try
        {
            using var key = ECDsa.Create();
            key.ImportSubjectPublicKeyInfo(spki, out int read);
            var p = key.ExportParameters(false);
            if (read != spki.Length || p.Curve.Oid?.Value != ECCurve.NamedCurves.nistP256.Oid.Value)
            {
                return null;
            }
            var pub = new byte[65];
            pub[0] = 0x04;
            p.Q.X!.CopyTo(pub, 1);
            p.Q.Y!.CopyTo(pub, 33);
            return pub;
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    private static readonly byte[] Order = Convert.FromHexString("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551");

    private static bool IsValidScalar(byte[] d) =>
        d.AsSpan().IndexOfAnyExcept((byte)0) >= 0 && d.AsSpan().SequenceCompareTo(Order) < 0;

    public void Dispose() => Key.Dispose();
}
