namespace NanoInt8.DeviceAudit;

/// <summary>How an opcode's operand is encoded (ECMA-335 partition III), which fixes its size.</summary>
public enum IlOperandKind
{
    /// <summary>No operand.</summary>
    None,

    /// <summary>One unsigned byte: a short argument or local index, or the unaligned./no. prefix value.</summary>
    UInt8,

    /// <summary>One signed byte: ldc.i4.s.</summary>
    Int8,

    /// <summary>Two bytes: a long argument or local index.</summary>
    UInt16,

    /// <summary>Four bytes: ldc.i4.</summary>
    Int32,

    /// <summary>Eight bytes: ldc.i8.</summary>
    Int64,

    /// <summary>Four bytes: ldc.r4's float32.</summary>
    Float32,

    /// <summary>Eight bytes: ldc.r8's float64.</summary>
    Float64,

    /// <summary>One signed byte: a short branch displacement.</summary>
    ShortBranchTarget,

    /// <summary>Four bytes: a branch displacement.</summary>
    BranchTarget,

    /// <summary>Four bytes: a metadata token (type, method, field, signature or string).</summary>
    Token,

    /// <summary>A four-byte count N followed by N four-byte displacements.</summary>
    Switch,
}

/// <summary>One opcode: its encoded value (0xFExx for two-byte opcodes), mnemonic and operand.</summary>
/// <param name="Value">The opcode value; two-byte opcodes are 0xFE00 | second byte.</param>
/// <param name="Mnemonic">The ECMA-335 name, e.g. <c>conv.r8</c>.</param>
/// <param name="OperandKind">How the operand is encoded.</param>
public sealed record IlOpCode(int Value, string Mnemonic, IlOperandKind OperandKind)
{
    /// <summary>Bytes the opcode itself takes: 1, or 2 for the 0xFE-prefixed opcodes.</summary>
    public int OpCodeSize => Value > 0xFF ? 2 : 1;

    /// <summary>Bytes the operand takes, or -1 for switch, whose size depends on its count.</summary>
    public int OperandSize => OperandKind switch
    {
        IlOperandKind.None => 0,
        IlOperandKind.UInt8 or IlOperandKind.Int8 or IlOperandKind.ShortBranchTarget => 1,
        IlOperandKind.UInt16 => 2,
        IlOperandKind.Int32 or IlOperandKind.Float32 or IlOperandKind.BranchTarget or IlOperandKind.Token => 4,
        IlOperandKind.Int64 or IlOperandKind.Float64 => 8,
        IlOperandKind.Switch => -1,
        _ => throw new InvalidOperationException($"unknown operand kind {OperandKind}"),
    };

    /// <inheritdoc />
    public override string ToString() => Mnemonic;
}

/// <summary>
/// The complete CIL opcode table of ECMA-335 partition III (6th edition), written out by hand so
/// the walker owes nothing to the reflection emitter; a test checks it against
/// System.Reflection.Emit.OpCodes. Values not in the table are undefined opcodes.
/// </summary>
public static class IlOpCodes
{
    private static readonly IlOpCode?[] s_oneByte = new IlOpCode?[256];
    private static readonly IlOpCode?[] s_twoByte = new IlOpCode?[256];

    static IlOpCodes()
    {
        IlOperandKind none = IlOperandKind.None;
        IlOperandKind token = IlOperandKind.Token;

        One(0x00, "nop", none);
        One(0x01, "break", none);
        One(0x02, "ldarg.0", none);
        One(0x03, "ldarg.1", none);
        One(0x04, "ldarg.2", none);
        One(0x05, "ldarg.3", none);
        One(0x06, "ldloc.0", none);
        One(0x07, "ldloc.1", none);
        One(0x08, "ldloc.2", none);
        One(0x09, "ldloc.3", none);
        One(0x0A, "stloc.0", none);
        One(0x0B, "stloc.1", none);
        One(0x0C, "stloc.2", none);
        One(0x0D, "stloc.3", none);
        One(0x0E, "ldarg.s", IlOperandKind.UInt8);
        One(0x0F, "ldarga.s", IlOperandKind.UInt8);
        One(0x10, "starg.s", IlOperandKind.UInt8);
        One(0x11, "ldloc.s", IlOperandKind.UInt8);
        One(0x12, "ldloca.s", IlOperandKind.UInt8);
        One(0x13, "stloc.s", IlOperandKind.UInt8);
        One(0x14, "ldnull", none);
        One(0x15, "ldc.i4.m1", none);
        One(0x16, "ldc.i4.0", none);
        One(0x17, "ldc.i4.1", none);
        One(0x18, "ldc.i4.2", none);
        One(0x19, "ldc.i4.3", none);
        One(0x1A, "ldc.i4.4", none);
        One(0x1B, "ldc.i4.5", none);
        One(0x1C, "ldc.i4.6", none);
        One(0x1D, "ldc.i4.7", none);
        One(0x1E, "ldc.i4.8", none);
        One(0x1F, "ldc.i4.s", IlOperandKind.Int8);
        One(0x20, "ldc.i4", IlOperandKind.Int32);
        One(0x21, "ldc.i8", IlOperandKind.Int64);
        One(0x22, "ldc.r4", IlOperandKind.Float32);
        One(0x23, "ldc.r8", IlOperandKind.Float64);
        One(0x25, "dup", none);
        One(0x26, "pop", none);
        One(0x27, "jmp", token);
        One(0x28, "call", token);
        One(0x29, "calli", token);
        One(0x2A, "ret", none);

        string[] shortBranches =
        {
            "br.s", "brfalse.s", "brtrue.s", "beq.s", "bge.s", "bgt.s", "ble.s", "blt.s",
            "bne.un.s", "bge.un.s", "bgt.un.s", "ble.un.s", "blt.un.s",
        };
        for (int index = 0; index < shortBranches.Length; index++)
        {
            One(0x2B + index, shortBranches[index], IlOperandKind.ShortBranchTarget);
            One(0x38 + index, shortBranches[index][..^2], IlOperandKind.BranchTarget);
        }

        One(0x45, "switch", IlOperandKind.Switch);

        string[] noOperandRun1 =
        {
            "ldind.i1", "ldind.u1", "ldind.i2", "ldind.u2", "ldind.i4", "ldind.u4", "ldind.i8", "ldind.i",
            "ldind.r4", "ldind.r8", "ldind.ref", "stind.ref", "stind.i1", "stind.i2", "stind.i4", "stind.i8",
            "stind.r4", "stind.r8", "add", "sub", "mul", "div", "div.un", "rem", "rem.un", "and", "or", "xor",
            "shl", "shr", "shr.un", "neg", "not", "conv.i1", "conv.i2", "conv.i4", "conv.i8", "conv.r4",
            "conv.r8", "conv.u4", "conv.u8",
        };
        Run(0x46, noOperandRun1, none);

        One(0x6F, "callvirt", token);
        One(0x70, "cpobj", token);
        One(0x71, "ldobj", token);
        One(0x72, "ldstr", token);
        One(0x73, "newobj", token);
        One(0x74, "castclass", token);
        One(0x75, "isinst", token);
        One(0x76, "conv.r.un", none);
        One(0x79, "unbox", token);
        One(0x7A, "throw", none);
        One(0x7B, "ldfld", token);
        One(0x7C, "ldflda", token);
        One(0x7D, "stfld", token);
        One(0x7E, "ldsfld", token);
        One(0x7F, "ldsflda", token);
        One(0x80, "stsfld", token);
        One(0x81, "stobj", token);

        string[] overflowUnsigned =
        {
            "conv.ovf.i1.un", "conv.ovf.i2.un", "conv.ovf.i4.un", "conv.ovf.i8.un",
            "conv.ovf.u1.un", "conv.ovf.u2.un", "conv.ovf.u4.un", "conv.ovf.u8.un",
            "conv.ovf.i.un", "conv.ovf.u.un",
        };
        Run(0x82, overflowUnsigned, none);

        One(0x8C, "box", token);
        One(0x8D, "newarr", token);
        One(0x8E, "ldlen", none);
        One(0x8F, "ldelema", token);

        string[] elementAccess =
        {
            "ldelem.i1", "ldelem.u1", "ldelem.i2", "ldelem.u2", "ldelem.i4", "ldelem.u4", "ldelem.i8",
            "ldelem.i", "ldelem.r4", "ldelem.r8", "ldelem.ref", "stelem.i", "stelem.i1", "stelem.i2",
            "stelem.i4", "stelem.i8", "stelem.r4", "stelem.r8", "stelem.ref",
        };
        Run(0x90, elementAccess, none);

        One(0xA3, "ldelem", token);
        One(0xA4, "stelem", token);
        One(0xA5, "unbox.any", token);

        string[] overflowSigned =
        {
            "conv.ovf.i1", "conv.ovf.u1", "conv.ovf.i2", "conv.ovf.u2",
            "conv.ovf.i4", "conv.ovf.u4", "conv.ovf.i8", "conv.ovf.u8",
        };
        Run(0xB3, overflowSigned, none);

        One(0xC2, "refanyval", token);
        One(0xC3, "ckfinite", none);
        One(0xC6, "mkrefany", token);
        One(0xD0, "ldtoken", token);

        string[] noOperandRun2 =
        {
            "conv.u2", "conv.u1", "conv.i", "conv.ovf.i", "conv.ovf.u", "add.ovf", "add.ovf.un", "mul.ovf",
            "mul.ovf.un", "sub.ovf", "sub.ovf.un", "endfinally",
        };
        Run(0xD1, noOperandRun2, none);

        One(0xDD, "leave", IlOperandKind.BranchTarget);
        One(0xDE, "leave.s", IlOperandKind.ShortBranchTarget);
        One(0xDF, "stind.i", none);
        One(0xE0, "conv.u", none);

        Two(0x00, "arglist", none);
        Two(0x01, "ceq", none);
        Two(0x02, "cgt", none);
        Two(0x03, "cgt.un", none);
        Two(0x04, "clt", none);
        Two(0x05, "clt.un", none);
        Two(0x06, "ldftn", token);
        Two(0x07, "ldvirtftn", token);
        Two(0x09, "ldarg", IlOperandKind.UInt16);
        Two(0x0A, "ldarga", IlOperandKind.UInt16);
        Two(0x0B, "starg", IlOperandKind.UInt16);
        Two(0x0C, "ldloc", IlOperandKind.UInt16);
        Two(0x0D, "ldloca", IlOperandKind.UInt16);
        Two(0x0E, "stloc", IlOperandKind.UInt16);
        Two(0x0F, "localloc", none);
        Two(0x11, "endfilter", none);
        Two(0x12, "unaligned.", IlOperandKind.UInt8);
        Two(0x13, "volatile.", none);
        Two(0x14, "tail.", none);
        Two(0x15, "initobj", token);
        Two(0x16, "constrained.", token);
        Two(0x17, "cpblk", none);
        Two(0x18, "initblk", none);
        Two(0x19, "no.", IlOperandKind.UInt8);
        Two(0x1A, "rethrow", none);
        Two(0x1C, "sizeof", token);
        Two(0x1D, "refanytype", none);
        Two(0x1E, "readonly.", none);
    }

    /// <summary>Every defined opcode, one-byte opcodes first.</summary>
    public static IEnumerable<IlOpCode> All =>
        s_oneByte.Concat(s_twoByte).Where(opCode => opCode is not null).Select(opCode => opCode!);

    /// <summary>The one-byte opcode with this value, or null if the value is undefined or is the
    /// 0xFE prefix of the two-byte opcodes.</summary>
    public static IlOpCode? OneByte(byte value) => s_oneByte[value];

    /// <summary>The two-byte opcode 0xFE followed by <paramref name="secondByte"/>, or null if undefined.</summary>
    public static IlOpCode? TwoByte(byte secondByte) => s_twoByte[secondByte];

    private static void One(int value, string mnemonic, IlOperandKind operandKind)
    {
        Define(s_oneByte, value, value, mnemonic, operandKind);
    }

    private static void Two(int secondByte, string mnemonic, IlOperandKind operandKind)
    {
        Define(s_twoByte, secondByte, 0xFE00 | secondByte, mnemonic, operandKind);
    }

    private static void Run(int firstValue, string[] mnemonics, IlOperandKind operandKind)
    {
        for (int index = 0; index < mnemonics.Length; index++)
        {
            One(firstValue + index, mnemonics[index], operandKind);
        }
    }

    private static void Define(IlOpCode?[] table, int index, int value, string mnemonic, IlOperandKind operandKind)
    {
        if (table[index] is not null)
        {
            throw new InvalidOperationException($"opcode 0x{value:X} defined twice ({table[index]!.Mnemonic}, {mnemonic})");
        }

        table[index] = new IlOpCode(value, mnemonic, operandKind);
    }
}
