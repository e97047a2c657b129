using System.Security.Cryptography;
using NfDtls.Crypto;

namespace NfDtls.Desktop.Crypto;

public sealed class DesktopHmacSha256 : IHmacSha256
{
    private IncrementalHash _hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, Array.Empty<byte>());
    private byte[] _key = Array.Empty<byte>();

    public void SetKey(byte[] key, int offset, int count)
    {
        // Re-keying allocates here (IncrementalHash takes the key at creation); keys change per handshake, not per record.
        if (count != _key.Length || !key.AsSpan(offset, count).SequenceEqual(_key))
        {
            _key = key.AsSpan(offset, count).ToArray();
            _hmac.Dispose();
            _hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, _key);
        }
        else
        {
            _hmac.TryGetHashAndReset(stackalloc byte[32], out _);
        }
    }

    public void Update(byte[] data, int offset, int count) => _hmac.AppendData(data, offset, count);

    public void Finish(byte[] output, int offset) => _hmac.TryGetHashAndReset(output.AsSpan(offset, 32), out _);
}
