using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace NfDtls.PortabilityGuard.ByteCode;

/// <summary>
/// The size of one method's body in a nanoFramework assembly's byte-code table, computed from its ECMA IL the way
/// nanoFramework's MetadataProcessor (MDP) re-encodes it when it writes the .pe file a board loads
/// (nanoframework/metadata-processor: Mono.Cecil/CodeWriter.cs writes each body, Tables/nanoByteCodeTable.cs lays the
/// bodies end to end and hands out their offsets as 16-bit values, hence the 64 KiB limit per assembly):
/// <list type="bullet">
/// <item>opcodes are ECMA's (1 or 2 bytes);</item>
/// <item>string, method, field and type tokens become 2-byte table indexes (ECMA: 4);</item>
/// <item>long branch targets become 2-byte offsets (ECMA: 4); short ones stay 1 byte;</item>
/// <item>a switch has a 1-byte count and 2-byte targets (ECMA: 4 + 4 each);</item>
/// <item>ldtoken keeps a 4-byte token; InlineSig (calli) writes nothing; locals, arguments and constants keep ECMA's
///   sizes (InlineVar 2, InlineI 4, InlineI8 8, ShortInlineR 4, InlineR 8);</item>
/// <item>a body with exception handlers is followed by one 12-byte entry per handler (kind, catch type or filter,
///   try start/end, handler start/end: six 16-bit values) and a 1-byte handler count.</item>
/// </list>
/// Nothing else goes into the table per method: the method's flags, locals and stack size live in the method table.
/// </summary>
public static class NanoByteCode
{
    /// <summary>Bytes per exception handler entry (6 × uint16) and the count byte after the entries.</summary>
    public const int HandlerEntryBytes = 12;
    public const int HandlerCountBytes = 1;

    private static readonly Dictionary<ushort, OperandType> Operands = typeof(OpCodes)
        .GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .GroupBy(o => (ushort)o.Value)
        .ToDictionary(g => g.Key, g => g.First().OperandType);

    /// <summary>The nanoFramework byte-code size of one method body (0 for an abstract, extern or runtime method).</summary>
    public static int MethodSize(PEReader pe, MethodDefinition method)
    {
        if (method.RelativeVirtualAddress == 0)
        {
            return 0;
        }
        MethodBodyBlock body = pe.GetMethodBody(method.RelativeVirtualAddress);
        int size = CodeSize(body.GetILBytes() ?? Array.Empty<byte>());
        if (body.ExceptionRegions.Length > 0)
        {
            size += body.ExceptionRegions.Length * HandlerEntryBytes + HandlerCountBytes;
        }
        return size;
    }

    /// <summary>The instructions alone, re-encoded with nanoFramework's operand sizes.</summary>
    public static int CodeSize(byte[] il)
    {
        int size = 0;
        int at = 0;
        while (at < il.Length)
        {
            int start = at;
            ushort code = il[at++];
            if (code == 0xFE && at < il.Length)
            {
                code = (ushort)(0xFE00 | il[at++]);
            }
            if (!Operands.TryGetValue(code, out var operand))
            {
                throw new GuardException("unknown IL opcode 0x" + code.ToString("X") + " at IL offset " + start);
            }
            size += at - start;
            switch (operand)
            {
                case OperandType.InlineSwitch:
                    int targets = BitConverter.ToInt32(il, at);
                    at += 4 + 4 * targets;
                    size += 1 + 2 * targets;
                    break;
                case OperandType.InlineString:
                case OperandType.InlineMethod:
                case OperandType.InlineField:
                case OperandType.InlineType:
                case OperandType.InlineBrTarget:
                    at += 4;
                    size += 2;
                    break;
                case OperandType.InlineSig:
                    at += 4;            // MDP writes no operand for calli (C# never emits it)
                    break;
                case OperandType.InlineTok:
                case OperandType.InlineI:
                case OperandType.ShortInlineR:
                    at += 4;
                    size += 4;
                    break;
                case OperandType.InlineI8:
                case OperandType.InlineR:
                    at += 8;
                    size += 8;
                    break;
                case OperandType.InlineVar:
                    at += 2;
                    size += 2;
                    break;
                case OperandType.ShortInlineBrTarget:
                case OperandType.ShortInlineI:
                case OperandType.ShortInlineVar:
                    at += 1;
                    size += 1;
                    break;
                case OperandType.InlineNone:
                    break;
                default:
                    throw new GuardException("IL operand type " + operand + " not priced");
            }
        }
        if (at != il.Length)
        {
            throw new GuardException("IL ends inside an instruction");
        }
        return size;
    }
}
