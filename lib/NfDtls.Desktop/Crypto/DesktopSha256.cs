using System.Security.Cryptography;
using NfDtls.Crypto;

namespace NfDtls.Desktop.Crypto;

public sealed class DesktopSha256 : ISha256
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    public void Reset() => _hash.TryGetHashAndReset(stackalloc byte[32], out _);

    public void Update(byte[] data, int offset, int count) => _hash.AppendData(data, offset, count);

    public void PeekHash(byte[] output, int offset) => _hash.TryGetCurrentHash(output.AsSpan(offset, 32), out _);

    public void Finish(byte[] output, int offset) => _hash.TryGetHashAndReset(output.AsSpan(offset, 32), out _);
}
