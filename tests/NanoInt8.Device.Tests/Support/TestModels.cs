using NanoInt8.Host.Format;
using NanoInt8.Runtime;

namespace NanoInt8.Device.Tests.Support;

/// <summary>
/// Small valid models written with the host's <see cref="ModelWriter"/>, whose results are known
/// without running anything: a Requantize with multiplier 2^30 and shift 1 is the identity
/// (MBQM(x, 2^30, 1) = x), so the output is clamp(x - inputZeroPoint + outputZeroPoint).
/// </summary>
internal static class TestModels
{
    private const int IdentityMultiplier = 1 << 30;
    private const int IdentityShift = 1;

    /// <summary>One input of <paramref name="elements"/> int8, one output = input + <paramref name="offset"/>, clamped.</summary>
    public static byte[] AddOffset(int elements, int offset, string name = "offset")
    {
        return ModelWriter.Write(AddOffsetBuilder(elements, offset, name));
    }

    public static ModelBuilder AddOffsetBuilder(int elements, int offset, string name = "offset")
    {
        ModelBuilder builder = new();
        int input = builder.AddArenaTensor("input", new[] { elements }, 0, 0);
        int output = builder.AddArenaTensor("output", new[] { elements }, offset, elements);
        builder.AddOperator(OpCode.Requantize, new[] { input }, new[] { output }, new[] { IdentityMultiplier, IdentityShift, -128, 127 });
        builder.Inputs.Add(input);
        builder.Outputs.Add(output);
        builder.ArenaBytes = 2 * elements;
        builder.Metadata.ModelName = name;
        return builder;
    }

    /// <summary>
    /// Two inputs (3 and 5 elements) and two outputs: first = a + 1, second = b - 2, to check that
    /// inputs and outputs are concatenated in graph order.
    /// </summary>
    public static byte[] TwoInputsTwoOutputs()
    {
        ModelBuilder builder = new();
        int a = builder.AddArenaTensor("a", new[] { 3 }, 0, 0);
        int b = builder.AddArenaTensor("b", new[] { 5 }, 0, 3);
        int first = builder.AddArenaTensor("first", new[] { 3 }, 1, 8);
        int second = builder.AddArenaTensor("second", new[] { 5 }, -2, 11);
        builder.AddOperator(OpCode.Requantize, new[] { a }, new[] { first }, new[] { IdentityMultiplier, IdentityShift, -128, 127 });
        builder.AddOperator(OpCode.Requantize, new[] { b }, new[] { second }, new[] { IdentityMultiplier, IdentityShift, -128, 127 });
        builder.Inputs.Add(a);
        builder.Inputs.Add(b);
        builder.Outputs.Add(first);
        builder.Outputs.Add(second);
        builder.ArenaBytes = 16;
        return ModelWriter.Write(builder);
    }

    /// <summary>
    /// A blob with a correct header and CRC whose content the reader refuses: a Requantize
    /// multiplier of 5 (multipliers are 0 or in [2^30, 2^31)), so TryRead gives BadParameter.
    /// </summary>
    public static byte[] InvalidContent(int elements = 8)
    {
        ModelBuilder broken = new();
        int input = broken.AddArenaTensor("input", new[] { elements }, 0, 0);
        int output = broken.AddArenaTensor("output", new[] { elements }, 0, elements);
        broken.AddOperator(OpCode.Requantize, new[] { input }, new[] { output }, new[] { 5, IdentityShift, -128, 127 });
        broken.Inputs.Add(input);
        broken.Outputs.Add(output);
        broken.ArenaBytes = 2 * elements;
        return ModelWriter.Write(broken);
    }

    /// <summary>The expected output of <see cref="AddOffset"/>.</summary>
    public static sbyte[] ExpectedAddOffset(sbyte[] input, int offset)
    {
        return input.Select(x => (sbyte)Math.Clamp(x + offset, -128, 127)).ToArray();
    }

    /// <summary>Deterministic int8 input data.</summary>
    public static sbyte[] RandomInput(int count, int seed)
    {
        Random random = new(seed);
        sbyte[] data = new sbyte[count];
        for (int i = 0; i < count; i++)
        {
            data[i] = (sbyte)random.Next(-128, 128);
        }

        return data;
    }

    public static int DeviceBytes(byte[] blob) => ModelReader.GetDeviceBytes(blob, 0);

    /// <summary>The same model as a version-3 host would have written it: no work in the header.</summary>
    public static byte[] AsVersion3(byte[] blob)
    {
        byte[] copy = (byte[])blob.Clone();
        ModelHeader header = ModelHeader.Parse(copy) with { Version = 3, Work = 0 };
        header.WriteTo(copy);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(ModelHeader.HeaderCrcOffset), Crc32.Compute(copy, 0, ModelHeader.HeaderCrcOffset));
        return copy;
    }

    public static uint PayloadCrc(byte[] blob) => ModelReader.GetPayloadCrc(blob, 0);
}
