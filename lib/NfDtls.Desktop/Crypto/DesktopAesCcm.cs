using System.Security.Cryptography;
using NfDtls.Crypto;

namespace NfDtls.Desktop.Crypto;

public sealed class DesktopAesCcm : IAesCcm
{
    private AesCcm? _ccm;
    private readonly byte[] _tag;

    public DesktopAesCcm(int tagLength)
    {
        if (tagLength != 8 && tagLength != 16)
        {
            throw new ArgumentOutOfRangeException(nameof(tagLength));
        }
        TagLength = tagLength;
        _tag = new byte[tagLength];
    }

    public int TagLength { get; }

    public void SetKey(byte[] key, int offset)
    {
        _ccm?.Dispose();
        _ccm = new AesCcm(key.AsSpan(offset, 16));
    }

    public bool Seal(byte[] nonce, int nonceOffset, int nonceLength, byte[] aad, int aadOffset, int aadLength,
                     byte[] input, int inputOffset, int count, byte[] output, int outputOffset)
    {
        if (_ccm == null || count < 0 || nonceLength < 7 || nonceLength > 13 || outputOffset + count + TagLength > output.Length)
        {
            return false;
        }
        try
        {
            _ccm.Encrypt(nonce.AsSpan(nonceOffset, nonceLength), input.AsSpan(inputOffset, count),
                         output.AsSpan(outputOffset, count), _tag, aad.AsSpan(aadOffset, aadLength));
            Array.Copy(_tag, 0, output, outputOffset + count, TagLength);
            return true;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    public bool Open(byte[] nonce, int nonceOffset, int nonceLength, byte[] aad, int aadOffset, int aadLength,
                     byte[] input, int inputOffset, int count, byte[] output, int outputOffset)
    {
        int plain = count - TagLength;
        if (_ccm == null || plain < 0 || nonceLength < 7 || nonceLength > 13 || outputOffset + plain > output.Length)
        {
            // Release nothing: clear what would have been the plaintext, where that range exists.
            if (output != null && plain > 0 && outputOffset >= 0 && outputOffset + plain <= output.Length)
            {
                Array.Clear(output, outputOffset, plain);
            }
            return false;
        }
        // Copy the tag out first: in-place decryption overwrites nothing past the plaintext, but keep it simple and safe.
        Array.Copy(input, inputOffset + plain, _tag, 0, TagLength);
        try
        {
            _ccm.Decrypt(nonce.AsSpan(nonceOffset, nonceLength), input.AsSpan(inputOffset, plain), _tag,
                         output.AsSpan(outputOffset, plain), aad.AsSpan(aadOffset, aadLength));
            return true;
        }
        catch (CryptographicException)
        {
            Array.Clear(output, outputOffset, plain);
            return false;
        }
    }
}
