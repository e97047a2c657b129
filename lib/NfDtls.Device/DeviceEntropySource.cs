using System;
using NfDtls.Crypto;

namespace NfDtls.Device
{
    /// <summary>
    /// Entropy for the core's HMAC-DRBG. On ESP32 and STM32 nanoFramework backs System.Random with the hardware TRNG
    /// (PORTABLE.md); the DRBG conditions it, and only this adapter touches System.Random.
    /// </summary>
    public sealed class DeviceEntropySource : IEntropySource
    {
        private readonly Random _trng = new Random();
        private readonly byte[] _block = new byte[32];

        public void GetEntropy(byte[] buffer, int offset, int count)
        {
            while (count > 0)
            {
                _trng.NextBytes(_block);
                int n = count < _block.Length ? count : _block.Length;
                Array.Copy(_block, 0, buffer, offset, n);
                offset += n;
                count -= n;
            }
            Array.Clear(_block, 0, _block.Length);
        }
    }
}
