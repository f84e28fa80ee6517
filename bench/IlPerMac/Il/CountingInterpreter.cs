using System.Reflection;

namespace NanoInt8.Bench.IlPerMac.Il;

/// <summary>A value on the evaluation stack, in an argument or in a local: an int32, an int64 or an object reference.</summary>
public readonly struct IlValue
{
    private IlValue(long number, object? reference, bool isInt64)
    {
        Number = number;
        Reference = reference;
        IsInt64 = isInt64;
    }

    /// <summary>The integer value (int32 values sign-extended).</summary>
    public long Number { get; }

    /// <summary>The object for a reference, else null.</summary>
    public object? Reference { get; }

    /// <summary>True for an int64 (ECMA-335 stack type int64), false for int32 and references.</summary>
    public bool IsInt64 { get; }

    /// <summary>An int32.</summary>
    public static IlValue Int32(int value) => new(value, null, false);

    /// <summary>An int64.</summary>
    public static IlValue Int64(long value) => new(value, null, true);

    /// <summary>An object reference (an array, or an object of the net10.0 build of the device assembly).</summary>
    public static IlValue Of(object? reference) => new(0, reference, false);
}

/// <summary>
/// Executes methods of a <see cref="DeviceAssembly"/> instruction by instruction, as nanoCLR does,
/// and counts how many times each IL instruction runs. It knows the integer subset the kernels are
/// written in (int32/int64 arithmetic, comparisons, branches, int8/int32/int64 and reference arrays,
/// calls within the assembly) and what the prepared operators add: field loads (ldfld) from the
/// records, which are objects of the runtime's net10.0 build (same sources, same field names, read
/// by reflection), a virtual call (callvirt) resolved by the receiver's type name to the device
/// assembly's override, and Array.Copy, native code on nanoCLR (one call instruction, run here
/// natively). It refuses anything else by name, so a count is never silently wrong.
/// </summary>
public sealed class CountingInterpreter
{
    private readonly Dictionary<IlMethod, long[]> _counts = new();
    private readonly Dictionary<IlMethod, Compiled> _compiled = new();
    private readonly Dictionary<(Type, int), FieldInfo> _fields = new();

    /// <summary>Executions of each instruction (by index) of each method run so far.</summary>
    public IReadOnlyDictionary<IlMethod, long[]> Counts => _counts;

    /// <summary>All instructions executed so far, every method together.</summary>
    public long TotalInstructions => _counts.Values.Sum(counts => counts.Sum());

    /// <summary>Runs <paramref name="method"/> with <paramref name="arguments"/>; returns its value, or default for void.</summary>
    /// <exception cref="NotSupportedException">The method uses an opcode or a call outside the subset.</exception>
    public IlValue Run(IlMethod method, params IlValue[] arguments)
    {
        if (arguments.Length != method.ParameterCount)
        {
            throw new ArgumentException($"{method} takes {method.ParameterCount} arguments, {arguments.Length} given");
        }

        return Execute(method, arguments);
    }

    private sealed class Compiled
    {
        public Compiled(IlMethod method)
        {
            int count = method.Instructions.Count;
            Ops = new int[count];
            Operands = new long[count];
            Targets = new int[count];
            for (int index = 0; index < count; index++)
            {
                IlInstruction instruction = method.Instructions[index];
                Ops[index] = instruction.OpCode.Value;
                Operands[index] = instruction.Operand;
                Targets[index] = instruction.Target;
            }
        }

        public int[] Ops { get; }

        public long[] Operands { get; }

        public int[] Targets { get; }

        public int[]?[] SwitchTargets { get; init; } = Array.Empty<int[]?>();
    }

    private IlValue Execute(IlMethod method, IlValue[] arguments)
    {
        if (!_compiled.TryGetValue(method, out Compiled? compiled))
        {
            compiled = new Compiled(method) { SwitchTargets = method.Instructions.Select(instruction => instruction.SwitchTargets).ToArray() };
            _compiled[method] = compiled;
            _counts[method] = new long[method.Instructions.Count];
        }

        long[] counts = _counts[method];
        int[] ops = compiled.Ops;
        long[] operands = compiled.Operands;
        int[] targets = compiled.Targets;
        IlValue[] locals = new IlValue[method.LocalCount];
        for (int index = 0; index < locals.Length; index++)
        {
            locals[index] = IlValue.Int32(0);
        }

        IlValue[] stack = new IlValue[16];
        int top = 0;
        int pc = 0;
        try
        {
            while (true)
            {
                counts[pc]++;
                int op = ops[pc];
                if (top + 2 > stack.Length)
                {
                    Array.Resize(ref stack, stack.Length * 2);
                }

                switch (op)
                {
                    case 0x00: // nop
                        break;
                    case >= 0x02 and <= 0x05: // ldarg.0..3
                        stack[top++] = arguments[op - 0x02];
                        break;
                    case 0x0E: // ldarg.s
                    case 0xFE09: // ldarg
                        stack[top++] = arguments[(int)operands[pc]];
                        break;
                    case 0x10: // starg.s
                    case 0xFE0B: // starg
                        arguments[(int)operands[pc]] = stack[--top];
                        break;
                    case >= 0x06 and <= 0x09: // ldloc.0..3
                        stack[top++] = locals[op - 0x06];
                        break;
                    case 0x11: // ldloc.s
                    case 0xFE0C: // ldloc
                        stack[top++] = locals[(int)operands[pc]];
                        break;
                    case >= 0x0A and <= 0x0D: // stloc.0..3
                        locals[op - 0x0A] = stack[--top];
                        break;
                    case 0x13: // stloc.s
                    case 0xFE0E: // stloc
                        locals[(int)operands[pc]] = stack[--top];
                        break;
                    case 0x14: // ldnull
                        stack[top++] = IlValue.Of(null);
                        break;
                    case >= 0x15 and <= 0x1E: // ldc.i4.m1..ldc.i4.8
                        stack[top++] = IlValue.Int32(op - 0x16);
                        break;
                    case 0x1F: // ldc.i4.s
                    case 0x20: // ldc.i4
                        stack[top++] = IlValue.Int32((int)operands[pc]);
                        break;
                    case 0x21: // ldc.i8
                        stack[top++] = IlValue.Int64(operands[pc]);
                        break;
                    case 0x25: // dup
                        stack[top] = stack[top - 1];
                        top++;
                        break;
                    case 0x26: // pop
                        top--;
                        break;
                    case 0x28: // call
                    case 0x6F: // callvirt
                    {
                        int token = (int)operands[pc];
                        IlMethod? callee = method.Assembly.ResolveCall(token);
                        if (op == 0x6F)
                        {
                            // The override of the receiver's own type, as nanoCLR's virtual dispatch
                            // finds it (an abstract method has no body of its own).
                            (int pops, _) = method.Assembly.CallEffect(token);
                            object receiver = stack[top - pops].Reference ?? throw new NullReferenceException($"callvirt {method.Assembly.CallName(token)} on null");
                            string name = callee?.Name ?? method.Assembly.CallName(token);
                            callee = method.Assembly.ResolveVirtual(receiver.GetType().Name, name, pops) ?? callee;
                        }

                        if (callee is null)
                        {
                            CallNative(method.Assembly, token, stack, ref top);
                            break;
                        }

                        IlValue[] calleeArguments = new IlValue[callee.ParameterCount];
                        top -= calleeArguments.Length;
                        Array.Copy(stack, top, calleeArguments, 0, calleeArguments.Length);

                        IlValue result = Execute(callee, calleeArguments);
                        if (callee.ReturnsValue)
                        {
                            stack[top++] = result;
                        }

                        break;
                    }

                    case 0x7B: // ldfld
                    {
                        object instance = stack[top - 1].Reference ?? throw new NullReferenceException("ldfld on null");
                        stack[top - 1] = LoadField(method.Assembly, instance, (int)operands[pc]);
                        break;
                    }

                    case 0x2A: // ret
                        return method.ReturnsValue ? stack[--top] : default;

                    case >= 0x2B and <= 0x44: // br.s .. blt.un.s, br .. blt.un
                    {
                        int kind = op < 0x38 ? op - 0x2B : op - 0x38;
                        bool taken;
                        if (kind == 0)
                        {
                            taken = true;
                        }
                        else if (kind <= 2)
                        {
                            IlValue value = stack[--top];
                            bool isTrue = value.Reference is not null || value.Number != 0;
                            taken = kind == 2 ? isTrue : !isTrue;
                        }
                        else
                        {
                            IlValue right = stack[--top];
                            IlValue left = stack[--top];
                            taken = Compare(kind, left, right);
                        }

                        if (taken)
                        {
                            pc = targets[pc];
                            continue;
                        }

                        break;
                    }

                    case 0x45: // switch
                    {
                        int value = (int)stack[--top].Number;
                        int[] switchTargets = compiled.SwitchTargets[pc]!;
                        if (value >= 0 && value < switchTargets.Length)
                        {
                            pc = switchTargets[value];
                            continue;
                        }

                        break;
                    }

                    case >= 0x58 and <= 0x64: // add sub mul div div.un rem rem.un and or xor shl shr shr.un
                    {
                        IlValue right = stack[--top];
                        IlValue left = stack[--top];
                        stack[top++] = Binary(op, left, right);
                        break;
                    }

                    case 0x65: // neg
                    {
                        IlValue value = stack[top - 1];
                        stack[top - 1] = value.IsInt64 ? IlValue.Int64(-value.Number) : IlValue.Int32(-(int)value.Number);
                        break;
                    }

                    case 0x66: // not
                    {
                        IlValue value = stack[top - 1];
                        stack[top - 1] = value.IsInt64 ? IlValue.Int64(~value.Number) : IlValue.Int32(~(int)value.Number);
                        break;
                    }

                    case 0x67: // conv.i1
                        stack[top - 1] = IlValue.Int32((sbyte)stack[top - 1].Number);
                        break;
                    case 0x68: // conv.i2
                        stack[top - 1] = IlValue.Int32((short)stack[top - 1].Number);
                        break;
                    case 0x69: // conv.i4
                    case 0x6D: // conv.u4
                        stack[top - 1] = IlValue.Int32((int)stack[top - 1].Number);
                        break;
                    case 0x6A: // conv.i8
                        stack[top - 1] = IlValue.Int64(stack[top - 1].Number);
                        break;
                    case 0x6E: // conv.u8
                    {
                        IlValue value = stack[top - 1];
                        stack[top - 1] = IlValue.Int64(value.IsInt64 ? value.Number : (uint)(int)value.Number);
                        break;
                    }

                    case 0xD1: // conv.u2
                        stack[top - 1] = IlValue.Int32((ushort)stack[top - 1].Number);
                        break;
                    case 0xD2: // conv.u1
                        stack[top - 1] = IlValue.Int32((byte)stack[top - 1].Number);
                        break;
                    case 0x8E: // ldlen
                        stack[top - 1] = IlValue.Int32(((Array)stack[top - 1].Reference!).Length);
                        break;
                    case >= 0x90 and <= 0x96: // ldelem.i1 u1 i2 u2 i4 u4 i8
                    {
                        int index = (int)stack[--top].Number;
                        object array = stack[--top].Reference!;
                        stack[top++] = LoadElement(op, array, index);
                        break;
                    }

                    case 0x9A: // ldelem.ref
                    {
                        int index = (int)stack[--top].Number;
                        object?[] array = (object?[])stack[--top].Reference!;
                        stack[top++] = IlValue.Of(array[index]);
                        break;
                    }

                    case >= 0x9C and <= 0x9F: // stelem.i1 i2 i4 i8
                    {
                        IlValue value = stack[--top];
                        int index = (int)stack[--top].Number;
                        object array = stack[--top].Reference!;
                        StoreElement(op, array, index, value.Number);
                        break;
                    }

                    case 0xFE01: // ceq
                    case 0xFE02: // cgt
                    case 0xFE03: // cgt.un
                    case 0xFE04: // clt
                    case 0xFE05: // clt.un
                    {
                        IlValue right = stack[--top];
                        IlValue left = stack[--top];
                        int kind = op switch { 0xFE01 => 3, 0xFE02 => 5, 0xFE03 => 10, 0xFE04 => 7, _ => 12 };
                        stack[top++] = IlValue.Int32(Compare(kind, left, right) ? 1 : 0);
                        break;
                    }

                    default:
                        throw new NotSupportedException($"opcode {method.Instructions[pc].Mnemonic} is outside the interpreted subset");
                }

                pc++;
            }
        }
        catch (Exception exception) when (exception is not InterpretedException)
        {
            throw new InterpretedException($"{method.FullName} at {method.Instructions[pc].Label}: {exception.Message}", exception);
        }
    }

    // The field a token names, read by reflection from the net10.0 object (the same source's field).
    private IlValue LoadField(DeviceAssembly assembly, object instance, int token)
    {
        Type type = instance.GetType();
        if (!_fields.TryGetValue((type, token), out FieldInfo? field))
        {
            string name = assembly.FieldName(token);
            field = type.GetField(name, BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)
                ?? throw new NotSupportedException($"{type.Name} has no field {name}");
            _fields[(type, token)] = field;
        }

        return field.GetValue(instance) switch
        {
            int number => IlValue.Int32(number),
            bool flag => IlValue.Int32(flag ? 1 : 0),
            long number => IlValue.Int64(number),
            sbyte or byte or short or ushort => IlValue.Int32(Convert.ToInt32(field.GetValue(instance))),
            var value => IlValue.Of(value),
        };
    }

    // Calls outside the assembly that nanoCLR runs as native code: counted as the one call instruction.
    private static void CallNative(DeviceAssembly assembly, int token, IlValue[] stack, ref int top)
    {
        string name = assembly.CallName(token);
        (int pops, bool pushes) = assembly.CallEffect(token);
        if (name != "Copy" || pops != 5 || pushes)
        {
            throw new NotSupportedException($"call to {name}, outside the assembly");
        }

        // Array.Copy(source, sourceIndex, destination, destinationIndex, length).
        top -= 5;
        Array.Copy((Array)stack[top].Reference!, (int)stack[top + 1].Number, (Array)stack[top + 2].Reference!, (int)stack[top + 3].Number, (int)stack[top + 4].Number);
    }

    /// <summary>The branch kinds of br.s .. blt.un.s in opcode order: 3 beq, 4 bge, 5 bgt, 6 ble, 7 blt, 8 bne.un, 9 bge.un, 10 bgt.un, 11 ble.un, 12 blt.un.</summary>
    private static bool Compare(int kind, IlValue left, IlValue right)
    {
        if (left.Reference is not null || right.Reference is not null)
        {
            return kind switch
            {
                3 => ReferenceEquals(left.Reference, right.Reference),
                8 => !ReferenceEquals(left.Reference, right.Reference),
                _ => throw new NotSupportedException("ordered comparison of references"),
            };
        }

        bool wide = left.IsInt64 || right.IsInt64;
        long a = left.Number;
        long b = right.Number;
        ulong ua = wide ? (ulong)a : (uint)(int)a;
        ulong ub = wide ? (ulong)b : (uint)(int)b;
        return kind switch
        {
            3 => a == b,
            4 => a >= b,
            5 => a > b,
            6 => a <= b,
            7 => a < b,
            8 => a != b,
            9 => ua >= ub,
            10 => ua > ub,
            11 => ua <= ub,
            12 => ua < ub,
            _ => throw new NotSupportedException($"comparison kind {kind}"),
        };
    }

    private static IlValue Binary(int op, IlValue left, IlValue right)
    {
        if (op >= 0x62)
        {
            // shl, shr, shr.un: the result has the shifted value's type; the amount is an int32.
            int amount = (int)right.Number;
            if (left.IsInt64)
            {
                return IlValue.Int64(op switch
                {
                    0x62 => left.Number << amount,
                    0x63 => left.Number >> amount,
                    _ => (long)((ulong)left.Number >> amount),
                });
            }

            int value = (int)left.Number;
            return IlValue.Int32(op switch
            {
                0x62 => value << amount,
                0x63 => value >> amount,
                _ => (int)((uint)value >> amount),
            });
        }

        if (left.IsInt64 || right.IsInt64)
        {
            long a = left.Number;
            long b = right.Number;
            return IlValue.Int64(op switch
            {
                0x58 => a + b,
                0x59 => a - b,
                0x5A => a * b,
                0x5B => a / b,
                0x5C => (long)((ulong)a / (ulong)b),
                0x5D => a % b,
                0x5E => (long)((ulong)a % (ulong)b),
                0x5F => a & b,
                0x60 => a | b,
                _ => a ^ b,
            });
        }

        int x = (int)left.Number;
        int y = (int)right.Number;
        return IlValue.Int32(op switch
        {
            0x58 => unchecked(x + y),
            0x59 => unchecked(x - y),
            0x5A => unchecked(x * y),
            0x5B => x / y,
            0x5C => (int)((uint)x / (uint)y),
            0x5D => x % y,
            0x5E => (int)((uint)x % (uint)y),
            0x5F => x & y,
            0x60 => x | y,
            _ => x ^ y,
        });
    }

    private static IlValue LoadElement(int op, object array, int index)
    {
        return op switch
        {
            0x90 => IlValue.Int32(array is byte[] bytes ? (sbyte)bytes[index] : ((sbyte[])array)[index]),
            0x91 => IlValue.Int32(array is sbyte[] signed ? (byte)signed[index] : ((byte[])array)[index]),
            0x92 => IlValue.Int32(((short[])array)[index]),
            0x93 => IlValue.Int32(((ushort[])array)[index]),
            0x94 => IlValue.Int32(((int[])array)[index]),
            0x95 => IlValue.Int32((int)((uint[])array)[index]),
            _ => IlValue.Int64(((long[])array)[index]),
        };
    }

    private static void StoreElement(int op, object array, int index, long value)
    {
        switch (op)
        {
            case 0x9C when array is byte[] bytes:
                bytes[index] = (byte)value;
                break;
            case 0x9C:
                ((sbyte[])array)[index] = (sbyte)value;
                break;
            case 0x9D:
                ((short[])array)[index] = (short)value;
                break;
            case 0x9E:
                ((int[])array)[index] = (int)value;
                break;
            default:
                ((long[])array)[index] = value;
                break;
        }
    }
}

/// <summary>An interpreted method failed; the message names the method and the instruction.</summary>
public sealed class InterpretedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public InterpretedException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
