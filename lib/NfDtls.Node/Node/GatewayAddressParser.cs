using NfDtls.Net;

namespace NfDtls.Node
{
    /// <summary>Dotted IPv4 text → <see cref="PeerAddress"/> without System.Net (a separate assembly on nanoFramework).</summary>
    public static class GatewayAddressParser
    {
        public static bool TryParseIPv4(string text, int port, PeerAddress into)
        {
            if (text == null)
            {
                return false;
            }
            int part = 0;
            int value = 0;
            int digits = 0;
            int[] parts = new int[4];
            for (int i = 0; i <= text.Length; i++)
            {
                if (i == text.Length || text[i] == '.')
                {
                    if (digits == 0 || part > 3)
                    {
                        return false;
                    }
                    parts[part++] = value;
                    value = 0;
                    digits = 0;
                    continue;
                }
                char c = text[i];
                if (c < '0' || c > '9' || digits == 3)
                {
                    return false;
                }
                value = value * 10 + (c - '0');
                digits++;
                if (value > 255)
                {
                    return false;
                }
            }
            if (part != 4 || port < 0 || port > 65535)
            {
                return false;
            }
            into.SetIPv4(parts[0], parts[1], parts[2], parts[3], port);
            return true;
        }
    }
}
