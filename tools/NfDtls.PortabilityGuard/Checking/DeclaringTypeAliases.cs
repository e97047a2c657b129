namespace NfDtls.PortabilityGuard.Checking;

/// <summary>
/// Where one portable source line compiles to different reference lines on the two platforms. A virtual member call
/// is emitted against the member's first declaration in the hierarchy, and the hierarchies differ: `e.ErrorCode` on a
/// SocketException is ExternalException::get_ErrorCode on .NET (SocketException : Win32Exception : ExternalException)
/// but SocketException::get_ErrorCode on nanoFramework (SocketException : Exception). A line here is accepted when its
/// nanoFramework spelling is in the target's API lists. Reviewed by hand; keep it short.
/// </summary>
public static class DeclaringTypeAliases
{
    public static readonly IReadOnlyDictionary<string, string> DesktopToNano = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["M System.Runtime.InteropServices.ExternalException::get_ErrorCode():System.Int32"] =
            "M System.Net.Sockets.SocketException::get_ErrorCode():System.Int32",
        ["T System.Runtime.InteropServices.ExternalException"] = "T System.Net.Sockets.SocketException",
    };

    /// <summary>True if the line, or its nanoFramework spelling, is in the API set.</summary>
    public static bool IsIn(string line, IReadOnlySet<string> api) =>
        api.Contains(line) || (DesktopToNano.TryGetValue(line, out var nano) && api.Contains(nano));
}
