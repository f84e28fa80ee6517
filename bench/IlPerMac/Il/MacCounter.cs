namespace NanoInt8.Bench.IlPerMac.Il;

/// <summary>What <see cref="MacCounter"/> found in one loop body.</summary>
/// <param name="Macs">Multiplies per iteration whose two operands both come from int8 array loads.</param>
/// <param name="Multiplies">All <c>mul</c> instructions per iteration (index arithmetic included).</param>
/// <param name="Int8Loads">The <c>ldelem.i1</c> instructions per iteration.</param>
/// <param name="ZeroPointSubtracted">True when an operand of a counted multiply went through a
/// <c>sub</c> on its way from the load, as in <c>(x - zi) · w</c>.</param>
/// <param name="Unanalysed">Why the body could not be followed (an opcode without a known stack
/// effect), or null.</param>
public sealed record MacCount(int Macs, int Multiplies, int Int8Loads, bool ZeroPointSubtracted, string? Unanalysed);

/// <summary>
/// Counts the multiply-accumulates of one iteration of a loop. The heuristic: follow the evaluation
/// stack through the body, tagging each value that is an int8 array element (<c>ldelem.i1</c>) or
/// is derived from one by a conversion, a negation, or an <c>add</c>/<c>sub</c> with a value that
/// is not itself a product (the zero-point correction <c>x - zi</c>); a <c>mul</c> (or
/// <c>mul.ovf</c>) whose two operands are both tagged is one MAC. A multiply of an index or a
/// stride has at least one untagged operand and is not counted.
/// </summary>
/// <remarks>
/// Limits: the body is followed in instruction order, as straight-line code (kernel inner loops
/// are); a product of packed words (several MACs in one 64-bit multiply) is not recognized, nor a
/// MAC through a call, nor int8 data read from anything but an sbyte array. Index arithmetic is
/// never mistaken for a MAC as long as it never multiplies two int8 array elements.
/// </remarks>
public static class MacCounter
{
    private readonly record struct Slot(bool Int8, bool Product, bool ViaSub);

    /// <summary>Counts the MACs of one iteration of <paramref name="loop"/>.</summary>
    public static MacCount Count(IlLoop loop)
    {
        DeviceAssembly assembly = loop.Method.Assembly;
        Stack<Slot> stack = new();
        Slot Pop() => stack.Count > 0 ? stack.Pop() : default;
        void Push(Slot slot) => stack.Push(slot);
        void Discard(int count)
        {
            for (int index = 0; index < count; index++)
            {
                Pop();
            }
        }

        int macs = 0;
        int multiplies = 0;
        int int8Loads = 0;
        bool viaSub = false;
        foreach (IlInstruction instruction in loop.Instructions)
        {
            string mnemonic = instruction.Mnemonic;
            switch (mnemonic)
            {
                case "nop":
                case "br":
                case "br.s":
                    break;

                case "ldelem.i1":
                    Discard(2);
                    Push(new Slot(Int8: true, Product: false, ViaSub: false));
                    int8Loads++;
                    break;

                case "mul":
                case "mul.ovf":
                case "mul.ovf.un":
                {
                    Slot right = Pop();
                    Slot left = Pop();
                    multiplies++;
                    if (left.Int8 && right.Int8)
                    {
                        macs++;
                        viaSub |= left.ViaSub || right.ViaSub;
                    }

                    Push(new Slot(Int8: false, Product: true, ViaSub: false));
                    break;
                }

                case "add":
                case "sub":
                case "add.ovf":
                case "sub.ovf":
                {
                    Slot right = Pop();
                    Slot left = Pop();
                    bool derived = (left.Int8 && !right.Product && !right.Int8) || (right.Int8 && !left.Product && !left.Int8);
                    Push(derived
                        ? new Slot(Int8: true, Product: false, ViaSub: mnemonic.StartsWith("sub", StringComparison.Ordinal) || left.ViaSub || right.ViaSub)
                        : new Slot(Int8: false, Product: left.Product || right.Product, ViaSub: false));
                    break;
                }

                case "neg":
                case "conv.i1":
                case "conv.i2":
                case "conv.i4":
                case "conv.i8":
                case "conv.u1":
                case "conv.u2":
                case "conv.u4":
                case "conv.u8":
                case "conv.i":
                case "conv.u":
                    Push(Pop());
                    break;

                case "dup":
                {
                    Slot top = Pop();
                    Push(top);
                    Push(top);
                    break;
                }

                case "call":
                case "callvirt":
                {
                    var (pops, pushes) = assembly.CallEffect((int)instruction.Operand);
                    Discard(pops);
                    if (pushes)
                    {
                        Push(default);
                    }

                    break;
                }

                default:
                {
                    (int Pops, int Pushes)? effect = StackEffect(mnemonic);
                    if (effect is not (int pops, int pushes))
                    {
                        return new MacCount(macs, multiplies, int8Loads, viaSub, $"no stack effect known for {mnemonic} at {instruction.Label}");
                    }

                    Discard(pops);
                    for (int index = 0; index < pushes; index++)
                    {
                        Push(default);
                    }

                    break;
                }
            }
        }

        return new MacCount(macs, multiplies, int8Loads, viaSub, null);
    }

    /// <summary>Pops and pushes of the opcodes that carry no int8 tag (ECMA-335 partition III).</summary>
    private static (int Pops, int Pushes)? StackEffect(string mnemonic)
    {
        if (mnemonic.StartsWith("ldarg", StringComparison.Ordinal) || mnemonic.StartsWith("ldloc", StringComparison.Ordinal)
            || mnemonic.StartsWith("ldc.", StringComparison.Ordinal) || mnemonic is "ldnull" or "ldstr" or "ldsfld" or "ldsflda"
            or "ldftn" or "sizeof" or "ldtoken")
        {
            return (0, 1);
        }

        if (mnemonic.StartsWith("stloc", StringComparison.Ordinal) || mnemonic.StartsWith("starg", StringComparison.Ordinal)
            || mnemonic is "pop" or "stsfld" or "brtrue" or "brtrue.s" or "brfalse" or "brfalse.s" or "switch")
        {
            return (1, 0);
        }

        if (mnemonic.StartsWith("ldelem", StringComparison.Ordinal))
        {
            return (2, 1);
        }

        if (mnemonic.StartsWith("stelem", StringComparison.Ordinal))
        {
            return (3, 0);
        }

        if (mnemonic.StartsWith("ldind", StringComparison.Ordinal) || mnemonic is "ldlen" or "ldfld" or "ldflda" or "not"
            or "conv.r4" or "conv.r8" or "conv.r.un" or "ckfinite" or "box" or "unbox.any" or "castclass" or "isinst"
            || mnemonic.StartsWith("conv.ovf", StringComparison.Ordinal))
        {
            return (1, 1);
        }

        if (mnemonic.StartsWith("stind", StringComparison.Ordinal) || mnemonic is "stfld")
        {
            return (2, 0);
        }

        if (mnemonic is "div" or "div.un" or "rem" or "rem.un" or "and" or "or" or "xor" or "shl" or "shr" or "shr.un"
            or "add.ovf.un" or "sub.ovf.un" or "ceq" or "cgt" or "cgt.un" or "clt" or "clt.un")
        {
            return (2, 1);
        }

        if (mnemonic is "beq" or "beq.s" or "bge" or "bge.s" or "bgt" or "bgt.s" or "ble" or "ble.s" or "blt" or "blt.s"
            or "bne.un" or "bne.un.s" or "bge.un" or "bge.un.s" or "bgt.un" or "bgt.un.s" or "ble.un" or "ble.un.s"
            or "blt.un" or "blt.un.s")
        {
            return (2, 0);
        }

        return null;
    }
}
