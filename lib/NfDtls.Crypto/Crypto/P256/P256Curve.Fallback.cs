namespace NfDtls.Crypto.P256
{
    internal sealed partial class P256Curve
    {
        /// <summary>
        /// (_qx, _qy, _qz) = k P by plain double-and-add with complete additions: exact for every scalar, but its time
        /// depends on k. Only run when a constant-time multiplication met an exceptional addition (equal x coordinates,
        /// see <see cref="P256Jacobian"/>), which depends on the scalar alone and happens for a few dozen scalars next to
        /// 0 or n (small multiples such as 2 or n - 2), never in practice for a random secret.
        /// </summary>
        private void MultiplyComplete(uint[] px, uint[] py, byte[] k, int ko)
        {
            P256Jacobian.SetInfinity(_qx, _qy, _qz);
            for (int i = 0; i < 32; i++)
            {
                uint b = k[ko + i];
                for (int bit = 7; bit >= 0; bit--)
                {
                    _j.Double(_qx, _qy, _qz, _qx, _qy, _qz);
                    if (((b >> bit) & 1u) != 0)
                    {
                        _j.AddMixedComplete(_qx, _qy, _qz, _qx, _qy, _qz, px, py);
                    }
                }
            }
        }
    }
}
