using System.Security.Cryptography;

namespace NfDtls.Desktop.Crypto;

/// <summary>Conversions between SEC 1 uncompressed points and ECParameters, with the range checks the platform may skip.</summary>
internal static class P256Points
{
    // p and n of P-256, big-endian (FIPS 186-4 D.1.2.3).
    private static readonly byte[] P = Convert.FromHexString("FFFFFFFF00000001000000000000000000000000FFFFFFFFFFFFFFFFFFFFFFFF");
    private static readonly byte[] N = Convert.FromHexString("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551");

    public static bool IsValidScalar(byte[] scalar, int offset)
    {
        if (scalar == null || offset < 0 || offset + 32 > scalar.Length)
        {
            return false;
        }
        ReadOnlySpan<byte> d = scalar.AsSpan(offset, 32);
        return d.IndexOfAnyExcept((byte)0) >= 0 && d.SequenceCompareTo(N) < 0;
    }

    public static bool TryReadUncompressed(byte[] data, int offset, int count, out ECPoint q)
    {
        q = default;
        if (data == null || count != 65 || offset < 0 || offset + 65 > data.Length || data[offset] != 0x04)
        {
            return false;
        }
        ReadOnlySpan<byte> x = data.AsSpan(offset + 1, 32);
        ReadOnlySpan<byte> y = data.AsSpan(offset + 33, 32);
        if (x.SequenceCompareTo(P) >= 0 || y.SequenceCompareTo(P) >= 0)
        {
            return false;
        }
        q = new ECPoint { X = x.ToArray(), Y = y.ToArray() };
        return true;
    }

    public static bool WriteUncompressed(ECPoint q, byte[] output, int offset)
    {
        if (q.X == null || q.Y == null || q.X.Length != 32 || q.Y.Length != 32 || offset + 65 > output.Length)
        {
            return false;
        }
        output[offset] = 0x04;
        Array.Copy(q.X, 0, output, offset + 1, 32);
        Array.Copy(q.Y, 0, output, offset + 33, 32);
        return true;
    }
}
