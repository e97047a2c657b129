using System.Reflection;
using Xunit;

namespace NfDtls.Tests.Boards;

/// <summary>
/// The firmware's stand-ins (tests/Fixtures/FirmwareBuildCheck/StandIns) declare only what nanoFramework's real
/// assemblies have: every public or protected type and member, as a line in the format of ../shared/nanoframework-api,
/// must be a line of the lists they were written from (M2Mqtt 5.1, Bmxx80 1.2, UnitsNet 5.75, I2c, Wifi, System.Net,
/// Runtime.Native, Hardware.Esp32). So the firmware, compiled against them, compiles against the real surface.
/// </summary>
public class StandInsTests
{
    private static readonly string[] Lists =
    {
        "nanoFramework.M2Mqtt-5.1.txt", "Iot.Device.Bmxx80-1.2.txt", "UnitsNet.Temperature-5.75.txt", "UnitsNet.Pressure-5.75.txt",
        "UnitsNet.RelativeHumidity-5.75.txt", "System.Device.I2c-1.1.txt", "System.Device.Wifi-1.5.txt", "System.Net-1.11.txt",
        "nanoFramework.Runtime.Native-1.7.txt", "nanoFramework.Hardware.Esp32-1.6.txt",
    };

    [Fact]
    public void Every_declared_member_is_in_the_nanoFramework_api_lists()
    {
        var known = new HashSet<string>(Lists.SelectMany(l => File.ReadAllLines(Path.Combine(RepoPaths.Shared, "nanoframework-api", l))), StringComparer.Ordinal);
        string dll = Path.Combine(RepoPaths.Root, "tests", "Fixtures", "FirmwareBuildCheck", "StandIns", "bin", Portability.GuardLayout.Configuration, "net10.0", "NanoFrameworkStandIns.dll");
        var assembly = Assembly.LoadFrom(dll);
        var lines = assembly.GetTypes().Where(t => t.IsPublic || t.IsNestedPublic).SelectMany(Lines).ToArray();
        Assert.True(lines.Length > 60, "stand-in lines: " + lines.Length);
        var missing = lines.Where(l => !known.Contains(l)).ToArray();
        Assert.True(missing.Length == 0, "not in the API lists:\n" + string.Join("\n", missing));
    }

    private static string Name(Type t) => t.IsByRef ? Name(t.GetElementType()!) + "&" : t.FullName!.Replace('+', '/');

    private static IEnumerable<string> Lines(Type t)
    {
        const BindingFlags declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        string type = Name(t);
        yield return "T " + type;
        foreach (var c in t.GetConstructors(declared).Where(c => c.IsPublic || c.IsFamily || c.IsFamilyOrAssembly))
        {
            yield return "M " + type + "::.ctor(" + string.Join(",", c.GetParameters().Select(p => Name(p.ParameterType))) + "):System.Void";
        }
        foreach (var m in t.GetMethods(declared).Where(m => m.IsPublic || m.IsFamily || m.IsFamilyOrAssembly))
        {
            yield return "M " + type + "::" + m.Name + "(" + string.Join(",", m.GetParameters().Select(p => Name(p.ParameterType))) + "):" + Name(m.ReturnType);
        }
        foreach (var f in t.GetFields(declared).Where(f => f.IsPublic || f.IsFamily))
        {
            yield return "F " + type + "::" + f.Name + ":" + Name(f.FieldType);
        }
        foreach (var p in t.GetProperties(declared))
        {
            yield return "P " + type + "::" + p.Name + ":" + Name(p.PropertyType);
        }
        foreach (var e in t.GetEvents(declared))
        {
            yield return "E " + type + "::" + e.Name + ":" + Name(e.EventHandlerType!);
        }
    }
}
