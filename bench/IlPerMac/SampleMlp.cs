using NanoInt8.Host.Conversion;
using NanoInt8.Host.Format;
using NanoInt8.Runtime;
using NanoInt8.Runtime.Kernels;

namespace NanoInt8.Bench.IlPerMac;

/// <summary>
/// The fully connected counterpart of <see cref="SampleModel"/>: an MLP of the size a sensor
/// classifier on a window of features has, built with the host writer (random weights).
/// <code>
/// input  [1,256]
/// fc1    256 -> 64    16,384 MACs
/// fc2    64 -> 32      2,048 MACs
/// fc3    32 -> 10        320 MACs
/// </code>
/// Outputs have zero point -128, so a ReLU would fold into the full clamp range [-128, 127].
/// Arena plan (bytes): input [0, 256), fc1 [256, 320), fc2 [0, 32), fc3 [32, 42).
/// </summary>
public static class SampleMlp
{
    /// <summary>The model's name in its metadata and in the printed tables.</summary>
    public const string Name = "sample-mlp (built in)";

    /// <summary>The name of the same model with packed kernels.</summary>
    public const string PackedName = "sample-mlp, packed kernels (built in)";

    /// <summary>
    /// Builds the model; with <paramref name="kernels"/> Packed, every layer is a
    /// FullyConnectedTriple over the same weights, as the converter's --kernels packed writes it.
    /// </summary>
    public static ModelBuilder Build(KernelSelection kernels = KernelSelection.Plain)
    {
        ModelBuilder builder = new ModelBuilder();
        Random random = new Random(11);
        int input = builder.AddArenaTensor("input", new[] { 1, 256 }, -5, 0);
        int hidden1 = AddLayer(builder, random, "fc1", input, 256, 64, 256, kernels);
        int hidden2 = AddLayer(builder, random, "fc2", hidden1, 64, 32, 0, kernels);
        int logits = AddLayer(builder, random, "fc3", hidden2, 32, 10, 32, kernels);
        builder.Inputs.Add(input);
        builder.Outputs.Add(logits);
        builder.ArenaBytes = 320;
        builder.Metadata.ModelName = kernels == KernelSelection.Packed ? PackedName : Name;
        return builder;
    }

    private static int AddLayer(ModelBuilder builder, Random random, string name, int input, int depth, int outputDepth, int arenaOffset,
        KernelSelection kernels)
    {
        sbyte[] weights = new sbyte[outputDepth * depth];
        for (int index = 0; index < weights.Length; index++)
        {
            weights[index] = (sbyte)random.Next(-127, 128);
        }

        int filter;
        if (kernels == KernelSelection.Packed)
        {
            long[] packed = new long[FullyConnectedTripleKernel.FilterWords(outputDepth, depth)];
            FullyConnectedTripleKernel.PackFilter(weights, 0, outputDepth, depth, packed, 0);
            filter = builder.AddConstantInt64(name + ".weight", packed,
                new[] { (outputDepth + 3) / 4, FullyConnectedTripleKernel.RowWords(depth), FullyConnectedTripleKernel.GroupChannels });
        }
        else
        {
            filter = builder.AddConstantInt8(name + ".weight", weights, new[] { outputDepth, depth });
        }

        int[] bias = new int[outputDepth];
        int[] multiplier = new int[outputDepth];
        int[] shift = new int[outputDepth];
        for (int channel = 0; channel < outputDepth; channel++)
        {
            bias[channel] = random.Next(-5000, 5000);
            multiplier[channel] = random.Next(1 << 30, int.MaxValue);
            shift[channel] = -random.Next(8, 12);
        }

        int output = builder.AddArenaTensor(name + ".out", new[] { 1, outputDepth }, -128, arenaOffset);
        builder.AddOperator(kernels == KernelSelection.Packed ? OpCode.FullyConnectedTriple : OpCode.FullyConnected,
            new[]
            {
                input, filter,
                builder.AddConstantInt32(name + ".bias", bias, new[] { outputDepth }),
                builder.AddConstantInt32(name + ".multiplier", multiplier, new[] { outputDepth }),
                builder.AddConstantInt32(name + ".shift", shift, new[] { outputDepth }),
            },
            new[] { output }, OperatorWords.FullyConnected(-128, 127));
        return output;
    }
}
