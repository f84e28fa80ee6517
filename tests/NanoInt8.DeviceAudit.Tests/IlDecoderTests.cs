using System.Reflection;
using System.Reflection.Emit;

namespace NanoInt8.DeviceAudit.Tests;

/// <summary>The IL walker decodes every opcode with its exact operand size.</summary>
[TestClass]
public class IlDecoderTests
{
    [TestMethod]
    public void OpCodeTable_MatchesReflectionEmit()
    {
        // Reflection.Emit's table is an independent statement of ECMA-335's opcodes; the prefix
        // placeholders (prefix1..prefix7, prefixref) are not instructions.
        List<string> mismatches = new();
        HashSet<int> emitValues = new();
        foreach (FieldInfo field in typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static))
        {
            OpCode emit = (OpCode)field.GetValue(null)!;
            if (emit.Name!.StartsWith("prefix", StringComparison.Ordinal))
            {
                continue;
            }

            int value = (ushort)emit.Value;
            emitValues.Add(value);
            IlOpCode? ours = value > 0xFF ? IlOpCodes.TwoByte((byte)value) : IlOpCodes.OneByte((byte)value);
            if (ours is null)
            {
                mismatches.Add($"{emit.Name} (0x{value:X}) missing");
                continue;
            }

            if (ours.Mnemonic != emit.Name || ours.OpCodeSize != emit.Size || ours.OperandSize != EmitOperandSize(emit.OperandType))
            {
                mismatches.Add($"0x{value:X}: ours {ours.Mnemonic}/{ours.OperandSize}, Emit {emit.Name}/{EmitOperandSize(emit.OperandType)}");
            }
        }

        foreach (IlOpCode ours in IlOpCodes.All)
        {
            // no. (0xFE 0x19) is in ECMA-335 but not in Reflection.Emit.
            if (!emitValues.Contains(ours.Value) && ours.Mnemonic != "no.")
            {
                mismatches.Add($"{ours.Mnemonic} (0x{ours.Value:X}) not in Reflection.Emit");
            }
        }

        Assert.IsEmpty(mismatches, string.Join(Environment.NewLine, mismatches));
        Assert.IsGreaterThan(200, IlOpCodes.All.Count());
    }

    [TestMethod]
    public void Decode_Int32ConstantOfFloatOpcodeBytes_IsOneLoad()
    {
        // ldc.i4 0x6C6B2322; ret
        byte[] il = { 0x20, 0x22, 0x23, 0x6B, 0x6C, 0x2A };

        IReadOnlyList<IlInstruction> instructions = IlDecoder.Decode(il, out string? error);

        Assert.IsNull(error);
        CollectionAssert.AreEqual(new[] { "ldc.i4", "ret" }, instructions.Select(instruction => instruction.OpCode.Mnemonic).ToArray());
        Assert.AreEqual(5, instructions[1].Offset);
    }

    [TestMethod]
    public void Decode_SwitchTable_SkipsEveryTarget()
    {
        // ldarg.0; switch (2 targets: 0x0000006C, 0x00000022); ret
        byte[] il = { 0x02, 0x45, 0x02, 0x00, 0x00, 0x00, 0x6C, 0x00, 0x00, 0x00, 0x22, 0x00, 0x00, 0x00, 0x2A };

        IReadOnlyList<IlInstruction> instructions = IlDecoder.Decode(il, out string? error);

        Assert.IsNull(error);
        CollectionAssert.AreEqual(new[] { "ldarg.0", "switch", "ret" }, instructions.Select(instruction => instruction.OpCode.Mnemonic).ToArray());
        Assert.AreEqual(2, instructions[1].SwitchTargetCount);
        Assert.AreEqual(14, instructions[2].Offset);
    }

    [TestMethod]
    public void Decode_TwoByteOpcodes_AreDecodedWithTheirOperands()
    {
        // ldc.i4.4; localloc; ldloc 0x0022 (two-byte index); ldc.r8 (8 bytes); ret
        byte[] il = { 0x1A, 0xFE, 0x0F, 0xFE, 0x0C, 0x22, 0x00, 0x23, 0, 0, 0, 0, 0, 0, 0xF0, 0x3F, 0x2A };

        IReadOnlyList<IlInstruction> instructions = IlDecoder.Decode(il, out string? error);

        Assert.IsNull(error);
        CollectionAssert.AreEqual(
            new[] { "ldc.i4.4", "localloc", "ldloc", "ldc.r8", "ret" },
            instructions.Select(instruction => instruction.OpCode.Mnemonic).ToArray());
        CollectionAssert.AreEqual(new[] { 0, 1, 3, 7, 16 }, instructions.Select(instruction => instruction.Offset).ToArray());
    }

    [TestMethod]
    public void Decode_TokenOperand_IsRead()
    {
        // call 0x0A000012
        byte[] il = { 0x28, 0x12, 0x00, 0x00, 0x0A, 0x2A };

        IReadOnlyList<IlInstruction> instructions = IlDecoder.Decode(il, out string? error);

        Assert.IsNull(error);
        Assert.AreEqual(0x0A000012, instructions[0].Token);
    }

    [TestMethod]
    public void Decode_UndefinedOpcode_StopsWithError()
    {
        byte[] il = { 0x00, 0x24, 0x2A };

        IReadOnlyList<IlInstruction> instructions = IlDecoder.Decode(il, out string? error);

        Assert.HasCount(1, instructions);
        Assert.AreEqual("undefined opcode 0x24 at IL_0001", error);
    }

    [TestMethod]
    public void Decode_TruncatedOperand_StopsWithError()
    {
        byte[] il = { 0x20, 0x01, 0x02 };

        IReadOnlyList<IlInstruction> instructions = IlDecoder.Decode(il, out string? error);

        Assert.IsEmpty(instructions);
        Assert.AreEqual("truncated operand of ldc.i4 at IL_0000", error);
    }

    [TestMethod]
    public void Decode_OversizedSwitchCount_StopsWithError()
    {
        byte[] il = { 0x45, 0xFF, 0xFF, 0xFF, 0x7F, 0x2A };

        IlDecoder.Decode(il, out string? error);

        Assert.IsNotNull(error);
        StringAssert.Contains(error, "switch at IL_0000");
    }

    private static int EmitOperandSize(OperandType operandType) => operandType switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineBrTarget or OperandType.InlineField or OperandType.InlineI or OperandType.InlineMethod
            or OperandType.InlineSig or OperandType.InlineString or OperandType.InlineTok or OperandType.InlineType
            or OperandType.ShortInlineR => 4,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        OperandType.InlineSwitch => -1,
        _ => throw new ArgumentOutOfRangeException(nameof(operandType), operandType, null),
    };
}
