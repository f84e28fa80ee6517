namespace NanoInt8.DeviceAudit;

/// <summary>One decoded IL instruction.</summary>
/// <param name="Offset">Byte offset of the opcode in the method body (the IL_xxxx label).</param>
/// <param name="OpCode">The opcode.</param>
/// <param name="Token">The metadata token operand for <see cref="IlOperandKind.Token"/> opcodes, else 0.</param>
/// <param name="SwitchTargetCount">The number of targets of a switch, else 0.</param>
public readonly record struct IlInstruction(int Offset, IlOpCode OpCode, int Token, int SwitchTargetCount)
{
    /// <summary>The offset as ildasm prints it, e.g. <c>IL_0042</c>.</summary>
    public string Label => $"IL_{Offset:X4}";
}

/// <summary>
/// Walks a method body's IL instruction by instruction, consuming each operand with its exact size
/// (including switch tables and 0xFE two-byte opcodes), so an operand byte is never read as an
/// opcode: the constant 0x6C6B2322 is one ldc.i4, not ldc.r4, ldc.r8, conv.r4 and conv.r8.
/// </summary>
public static class IlDecoder
{
    /// <summary>Decodes the whole IL stream.</summary>
    /// <param name="il">The IL bytes of one method body.</param>
    /// <param name="error">Why decoding stopped early (an undefined opcode or a truncated
    /// operand), or null when every byte was decoded.</param>
    /// <returns>The instructions decoded before any error.</returns>
    public static IReadOnlyList<IlInstruction> Decode(ReadOnlySpan<byte> il, out string? error)
    {
        List<IlInstruction> instructions = new();
        error = null;
        int position = 0;
        while (position < il.Length)
        {
            int offset = position;
            IlOpCode? opCode;
            if (il[position] == 0xFE)
            {
                if (position + 1 >= il.Length)
                {
                    error = $"truncated two-byte opcode at IL_{offset:X4}";
                    return instructions;
                }

                opCode = IlOpCodes.TwoByte(il[position + 1]);
                if (opCode is null)
                {
                    error = $"undefined opcode 0xFE 0x{il[position + 1]:X2} at IL_{offset:X4}";
                    return instructions;
                }
            }
            else
            {
                opCode = IlOpCodes.OneByte(il[position]);
                if (opCode is null)
                {
                    error = $"undefined opcode 0x{il[position]:X2} at IL_{offset:X4}";
                    return instructions;
                }
            }

            position += opCode.OpCodeSize;

            int token = 0;
            int switchTargetCount = 0;
            int operandSize = opCode.OperandSize;
            if (opCode.OperandKind == IlOperandKind.Switch)
            {
                if (position + 4 > il.Length)
                {
                    error = $"truncated switch count at IL_{offset:X4}";
                    return instructions;
                }

                uint count = ReadUInt32(il, position);
                if (count > (uint)(il.Length - position - 4) / 4)
                {
                    error = $"switch at IL_{offset:X4} claims {count} targets, more than the body holds";
                    return instructions;
                }

                switchTargetCount = (int)count;
                operandSize = 4 + (4 * switchTargetCount);
            }
            else if (position + operandSize > il.Length)
            {
                error = $"truncated operand of {opCode.Mnemonic} at IL_{offset:X4}";
                return instructions;
            }

            if (opCode.OperandKind == IlOperandKind.Token)
            {
                token = (int)ReadUInt32(il, position);
            }

            position += operandSize;
            instructions.Add(new IlInstruction(offset, opCode, token, switchTargetCount));
        }

        return instructions;
    }

    private static uint ReadUInt32(ReadOnlySpan<byte> il, int position) =>
        (uint)(il[position] | (il[position + 1] << 8) | (il[position + 2] << 16) | (il[position + 3] << 24));
}
