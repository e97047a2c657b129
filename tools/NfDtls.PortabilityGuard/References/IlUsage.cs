using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace NfDtls.PortabilityGuard.References;

/// <summary>
/// Which methods use each reference: walks every method body's IL and maps token operands (call, newobj, ldfld,
/// ldtoken, box, ...) back to the reference lines. Lets the guard say where an offender is, not only what it is.
/// </summary>
public static class IlUsage
{
    private static readonly Dictionary<ushort, OperandType> Operands = typeof(OpCodes)
        .GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .GroupBy(o => (ushort)o.Value)
        .ToDictionary(g => g.Key, g => g.First().OperandType);

    public static Dictionary<string, SortedSet<string>> Find(PEReader pe, MetadataReader reader, SignatureFormatter format,
        IReadOnlyDictionary<EntityHandle, string> lineOf)
    {
        var usedIn = new Dictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        foreach (var methodHandle in reader.MethodDefinitions)
        {
            var method = reader.GetMethodDefinition(methodHandle);
            if (method.RelativeVirtualAddress == 0)
            {
                continue;
            }
            var user = format.TypeName(method.GetDeclaringType()) + "::" + reader.GetString(method.Name);
            var il = pe.GetMethodBody(method.RelativeVirtualAddress).GetILReader();
            while (il.RemainingBytes > 0)
            {
                ushort code = il.ReadByte();
                if (code == 0xFE)
                {
                    code = (ushort)(0xFE00 | il.ReadByte());
                }
                if (!Operands.TryGetValue(code, out var operand))
                {
                    break; // not IL we understand; stop rather than misread
                }
                switch (operand)
                {
                    case OperandType.InlineField:
                    case OperandType.InlineMethod:
                    case OperandType.InlineTok:
                    case OperandType.InlineType:
                        var handle = MetadataTokens.EntityHandle(il.ReadInt32());
                        if (lineOf.TryGetValue(handle, out var line))
                        {
                            if (!usedIn.TryGetValue(line, out var users))
                            {
                                usedIn[line] = users = new SortedSet<string>(StringComparer.Ordinal);
                            }
                            users.Add(user);
                        }
                        break;
                    case OperandType.InlineSwitch:
                        int n = il.ReadInt32();
                        il.Offset += 4 * n;
                        break;
                    default:
                        il.Offset += Size(operand);
                        break;
                }
            }
        }
        return usedIn;
    }

    private static int Size(OperandType operand) => operand switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        _ => 4,
    };
}
