using System.Reflection;
using NfDtls.Dtls;
using Xunit;

namespace NfDtls.Tests.Dtls;

/// <summary>
/// Issue 16, finding 12: key material was public (DtlsServer.Context.Premaster, KeyBlock, Psk). Walks everything an
/// application can reach from the engines through public members and checks no secret is among it, nor any public
/// hook that computes one (a key exchange writing a premaster secret on request is as good as the key).
/// </summary>
public class SecretExposureTests
{
    private static readonly string[] SecretNames = { "Premaster", "KeyBlock", "Psk", "MasterSecret", "PrivateKey", "Scalar" };

    [Theory]
    [InlineData(typeof(DtlsServer))]
    [InlineData(typeof(DtlsClient))]
    public void NoSecretIsReachableThroughAnEnginesPublicSurface(Type engine)
    {
        var found = new List<string>();
        var seen = new HashSet<Type>();
        Walk(engine, engine.Name, seen, found);
        Assert.Empty(found);
        Assert.Contains(typeof(DtlsSession), seen); // the walk does reach the sessions
    }

    private static void Walk(Type type, string path, HashSet<Type> seen, List<string> found)
    {
        if (type.IsArray)
        {
            type = type.GetElementType()!;
        }
        if (type.Assembly != typeof(DtlsServer).Assembly || !seen.Add(type))
        {
            return;
        }
        const BindingFlags Public = BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static;
        foreach (var f in type.GetFields(Public))
        {
            Check(path + "." + f.Name, f.Name, found);
            Walk(f.FieldType, path + "." + f.Name, seen, found);
        }
        foreach (var p in type.GetProperties(Public))
        {
            Check(path + "." + p.Name, p.Name, found);
            Walk(p.PropertyType, path + "." + p.Name, seen, found);
        }
        foreach (var m in type.GetMethods(Public))
        {
            if (m.IsSpecialName)
            {
                continue;
            }
            foreach (var parameter in m.GetParameters())
            {
                if (parameter.Name != null && parameter.Name.Contains("premaster", StringComparison.OrdinalIgnoreCase))
                {
                    found.Add(path + "." + m.Name + "(" + parameter.Name + ")");
                }
            }
            Walk(m.ReturnType, path + "." + m.Name + "()", seen, found);
        }
    }

    private static void Check(string path, string name, List<string> found)
    {
        foreach (string secret in SecretNames)
        {
            if (name == secret)
            {
                found.Add(path);
            }
        }
    }
}
