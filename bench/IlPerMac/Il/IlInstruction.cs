using NanoInt8.DeviceAudit;

namespace NanoInt8.Bench.IlPerMac.Il;

/// <summary>One decoded IL instruction with its operand.</summary>
/// <param name="Index">Position in the method's instruction list.</param>
/// <param name="Offset">Byte offset of the opcode (the IL_xxxx label).</param>
/// <param name="OpCode">The opcode (the device audit's table).</param>
/// <param name="Operand">The integer operand: constant, argument or local index, token; 0 if none.</param>
/// <param name="Target">The index of the branch target instruction, or -1 if not a branch.</param>
/// <param name="SwitchTargets">The target instruction indices of a switch, else null.</param>
public sealed record IlInstruction(int Index, int Offset, IlOpCode OpCode, long Operand, int Target, int[]? SwitchTargets)
{
    /// <summary>The offset as ildasm prints it, e.g. <c>IL_0042</c>.</summary>
    public string Label => $"IL_{Offset:X4}";

    /// <summary>The mnemonic, e.g. <c>ldelem.i1</c>.</summary>
    public string Mnemonic => OpCode.Mnemonic;

    /// <summary>True for an unconditional branch (br, br.s).</summary>
    public bool IsUnconditionalBranch => OpCode.Value is 0x2B or 0x38;

    /// <summary>True for any branch with one target (conditional or not, leave included).</summary>
    public bool IsBranch => Target >= 0;

    /// <inheritdoc />
    public override string ToString()
    {
        string operand = OpCode.OperandKind switch
        {
            IlOperandKind.None => string.Empty,
            IlOperandKind.ShortBranchTarget or IlOperandKind.BranchTarget => $" -> #{Target}",
            IlOperandKind.Token => $" 0x{Operand:X8}",
            IlOperandKind.Switch => $" ({SwitchTargets!.Length} targets)",
            _ => $" {Operand}",
        };
        return $"{Label}: {Mnemonic}{operand}";
    }
}

/// <summary>
/// Decodes a method body into <see cref="IlInstruction"/>s with their operands, using the device
/// audit's opcode table for operand sizes (so an operand byte is never read as an opcode), and
/// resolves branch displacements into instruction indices.
/// </summary>
public static class IlReader
{
    /// <summary>Decodes the whole IL stream.</summary>
    /// <exception cref="InvalidDataException">An undefined opcode, a truncated operand or a branch into the middle of an instruction.</exception>
    public static IReadOnlyList<IlInstruction> Decode(byte[] il)
    {
        List<(int Offset, IlOpCode OpCode, long Operand, int TargetOffset, int[]? SwitchOffsets)> raw = new();
        int position = 0;
        while (position < il.Length)
        {
            int offset = position;
            IlOpCode opCode = (il[position] == 0xFE
                ? (position + 1 < il.Length ? IlOpCodes.TwoByte(il[position + 1]) : null)
                : IlOpCodes.OneByte(il[position]))
                ?? throw new InvalidDataException($"undefined opcode at IL_{offset:X4}");
            position += opCode.OpCodeSize;
            long operand = 0;
            int targetOffset = -1;
            int[]? switchOffsets = null;
            switch (opCode.OperandKind)
            {
                case IlOperandKind.None:
                    break;
                case IlOperandKind.UInt8:
                    operand = Read(il, ref position, 1);
                    break;
                case IlOperandKind.Int8:
                    operand = (sbyte)Read(il, ref position, 1);
                    break;
                case IlOperandKind.UInt16:
                    operand = Read(il, ref position, 2);
                    break;
                case IlOperandKind.Int32:
                case IlOperandKind.Token:
                case IlOperandKind.Float32:
                    operand = (int)Read(il, ref position, 4);
                    break;
                case IlOperandKind.Int64:
                case IlOperandKind.Float64:
                    operand = Read(il, ref position, 8);
                    break;
                case IlOperandKind.ShortBranchTarget:
                {
                    int displacement = (sbyte)Read(il, ref position, 1);
                    targetOffset = position + displacement;
                    break;
                }

                case IlOperandKind.BranchTarget:
                {
                    int displacement = (int)Read(il, ref position, 4);
                    targetOffset = position + displacement;
                    break;
                }

                case IlOperandKind.Switch:
                {
                    int count = (int)Read(il, ref position, 4);
                    if (count < 0 || count > (il.Length - position) / 4)
                    {
                        throw new InvalidDataException($"switch at IL_{offset:X4} claims {count} targets");
                    }

                    int[] displacements = new int[count];
                    for (int index = 0; index < count; index++)
                    {
                        displacements[index] = (int)Read(il, ref position, 4);
                    }

                    switchOffsets = displacements.Select(displacement => position + displacement).ToArray();
                    break;
                }
            }

            raw.Add((offset, opCode, operand, targetOffset, switchOffsets));
        }

        Dictionary<int, int> indexOfOffset = new();
        for (int index = 0; index < raw.Count; index++)
        {
            indexOfOffset[raw[index].Offset] = index;
        }

        int IndexOf(int targetOffset, int from) => indexOfOffset.TryGetValue(targetOffset, out int index)
            ? index
            : throw new InvalidDataException($"branch at IL_{raw[from].Offset:X4} to IL_{targetOffset:X4}, not an instruction start");

        IlInstruction[] instructions = new IlInstruction[raw.Count];
        for (int index = 0; index < raw.Count; index++)
        {
            var (offset, opCode, operand, targetOffset, switchOffsets) = raw[index];
            instructions[index] = new IlInstruction(
                index,
                offset,
                opCode,
                operand,
                targetOffset >= 0 ? IndexOf(targetOffset, index) : -1,
                switchOffsets?.Select(target => IndexOf(target, index)).ToArray());
        }

        return instructions;
    }

    private static long Read(byte[] il, ref int position, int size)
    {
        if (position + size > il.Length)
        {
            throw new InvalidDataException($"truncated operand at byte {position}");
        }

        long value = 0;
        for (int index = size - 1; index >= 0; index--)
        {
            value = (value << 8) | il[position + index];
        }

        position += size;
        return value;
    }
}
