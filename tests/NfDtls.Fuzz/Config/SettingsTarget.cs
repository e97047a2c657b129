using System.Text;
using NfDtls.Config;
using NfDtls.Fuzz.Harness;

namespace NfDtls.Fuzz.Config;

/// <summary>
/// NodeSettingsReader (a node's settings file, as a board decodes it: UTF-8): never throws; settings it accepts pass
/// through NodeSettingsCheck without throwing and write back (NodeSettingsWriter) to text that reads to the same values.
/// </summary>
public sealed class SettingsTarget : FuzzTarget
{
    public override string Name => "settings";

    public override string Description => "NodeSettingsReader/Check/Writer: parse, check, write back, parse again equal";

    public override void Execute(byte[] data, int length)
    {
        string text = Encoding.UTF8.GetString(data, 0, length);
        var first = new NodeSettings();
        if (!NodeSettingsReader.TryParse(text, first, out string error))
        {
            FuzzFailure.Check(!string.IsNullOrEmpty(error), "refused without a reason");
            return;
        }
        NodeSettingsCheck.Check(first, out _);
        string written = NodeSettingsWriter.Write(first);
        var second = new NodeSettings();
        FuzzFailure.Check(NodeSettingsReader.TryParse(written, second, out error), "the written settings do not read back: " + error + "\n" + written);
        string again = NodeSettingsWriter.Write(second);
        FuzzFailure.Check(again == written, "settings differ after the round trip:\n" + written + "\n---\n" + again);
        FuzzFailure.Check(Same(first, second), "settings fields differ after the round trip:\n" + written);
    }

    private static bool Same(NodeSettings a, NodeSettings b) =>
        a.NodeId == b.NodeId && a.GatewayHost == b.GatewayHost && a.GatewayPort == b.GatewayPort && a.Security == b.Security
        && a.PskIdentity == b.PskIdentity && Same(a.PskKey, b.PskKey) && Same(a.PrivateKey, b.PrivateKey) && Same(a.PublicKey, b.PublicKey)
        && Same(a.Certificate, b.Certificate) && Same(a.CaCertificate, b.CaCertificate) && Same(a.GatewayPublicKey, b.GatewayPublicKey)
        && a.ReadingPeriodMs == b.ReadingPeriodMs && a.Confirmable == b.Confirmable && a.MaxDatagramSize == b.MaxDatagramSize
        && a.MaxRecordPlaintext == b.MaxRecordPlaintext && a.HandshakeBufferSize == b.HandshakeBufferSize
        && a.FlightBufferSize == b.FlightBufferSize && a.SessionResumption == b.SessionResumption && a.WifiSsid == b.WifiSsid && a.WifiPassword == b.WifiPassword;

    // The writer leaves out null and empty byte fields alike.
    private static bool Same(byte[] a, byte[] b) => (a ?? Array.Empty<byte>()).AsSpan().SequenceEqual(b ?? Array.Empty<byte>());
}
