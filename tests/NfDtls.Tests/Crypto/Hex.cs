namespace NfDtls.Tests.Crypto;

/// <summary>Hex text as the standards print it (any case, spaces allowed) to bytes and back.</summary>
internal static class Hex
{
    public static byte[] Parse(string text) =>
        Convert.FromHexString(text.Replace(" ", "").Replace("\n", "").Replace("\r", ""));

    public static string Of(byte[] data, int offset, int count) => Convert.ToHexString(data, offset, count).ToLowerInvariant();

    public static string Of(byte[] data) => Of(data, 0, data.Length);

    public static byte[] Ascii(string text) => System.Text.Encoding.ASCII.GetBytes(text);
}
