using NanoInt8.Host.Format;
using NanoInt8.Host.Conversion;
using NanoInt8.Runtime;
using NanoInt8.Runtime.Kernels;

namespace NanoInt8.Bench.IlPerMac;

/// <summary>
/// The model measured when no --model is given: a small NCHW CNN of the four MAC shapes that
/// matter on a sensor, built with the host writer (random weights; the IL count does not depend
/// on their values beyond the clamp and rounding branches).
/// <code>
/// input  [1,8,32,32]
/// conv   3x3, 8 -> 16, stride 1, pad 1   -> [1,16,32,32]   1,179,648 MACs
/// dw     3x3 depthwise, stride 2, pad 1  -> [1,16,16,16]      36,864 MACs
/// pw     1x1, 16 -> 32                   -> [1,32,16,16]     131,072 MACs
/// flat   reshape in place                -> [1,8192]
/// fc     8192 -> 10                      -> [1,10]            81,920 MACs
/// </code>
/// Arena plan (bytes): input [0, 8192), conv [8192, 24576), dw [0, 4096), pw and flat [4096, 12288), fc [0, 10).
/// </summary>
public static class SampleModel
{
    /// <summary>The model's name in its metadata and in the printed tables.</summary>
    public const string Name = "sample-cnn (built in)";

    /// <summary>The name of the same model with packed kernels.</summary>
    public const string PackedName = "sample-cnn, packed kernels (built in)";

    /// <summary>
    /// Builds the model; with <paramref name="kernels"/> Packed, the fully connected layer is a
    /// FullyConnectedTriple, the two groups-1 convolutions Conv2DTriple over the same weights
    /// (their window rows fit: 9 and 6 words) and the depthwise 3x3 one DepthwiseConv3x3, as the
    /// converter's --kernels packed writes them.
    /// </summary>
    public static ModelBuilder Build(KernelSelection kernels = KernelSelection.Plain)
    {
        ModelBuilder builder = new ModelBuilder();
        Random random = new Random(7);
        int input = builder.AddArenaTensor("input", new[] { 1, 8, 32, 32 }, -3, 0);

        int conv = builder.AddArenaTensor("conv.out", new[] { 1, 16, 32, 32 }, -128, 8192);
        AddConv(builder, random, "conv", input, conv, outputChannels: 16, channelsPerGroup: 8, kernel: 3, stride: 1, pad: 1, groups: 1, kernels);

        int depthwise = builder.AddArenaTensor("dw.out", new[] { 1, 16, 16, 16 }, -128, 0);
        AddConv(builder, random, "dw", conv, depthwise, outputChannels: 16, channelsPerGroup: 1, kernel: 3, stride: 2, pad: 1, groups: 16, kernels);

        int pointwise = builder.AddArenaTensor("pw.out", new[] { 1, 32, 16, 16 }, -128, 4096);
        AddConv(builder, random, "pw", depthwise, pointwise, outputChannels: 32, channelsPerGroup: 16, kernel: 1, stride: 1, pad: 0, groups: 1, kernels);

        int flat = builder.AddArenaTensor("flat", new[] { 1, 8192 }, -128, 4096);
        builder.AddOperator(OpCode.Reshape, new[] { pointwise }, new[] { flat }, OperatorWords.Reshape());

        sbyte[] fcWeights = RandomWeights(random, 10 * 8192);
        int fcFilter;
        if (kernels == KernelSelection.Packed)
        {
            long[] packed = new long[FullyConnectedTripleKernel.FilterWords(10, 8192)];
            FullyConnectedTripleKernel.PackFilter(fcWeights, 0, 10, 8192, packed, 0);
            fcFilter = builder.AddConstantInt64("fc.weight", packed,
                new[] { 3, FullyConnectedTripleKernel.RowWords(8192), FullyConnectedTripleKernel.GroupChannels });
        }
        else
        {
            fcFilter = builder.AddConstantInt8("fc.weight", fcWeights, new[] { 10, 8192 });
        }

        var (fcBias, fcMultiplier, fcShift) = AddRequantization(builder, random, "fc", 10);
        int logits = builder.AddArenaTensor("logits", new[] { 1, 10 }, 0, 0);
        builder.AddOperator(kernels == KernelSelection.Packed ? OpCode.FullyConnectedTriple : OpCode.FullyConnected,
            new[] { flat, fcFilter, fcBias, fcMultiplier, fcShift }, new[] { logits }, OperatorWords.FullyConnected(-128, 127));

        builder.Inputs.Add(input);
        builder.Outputs.Add(logits);
        builder.ArenaBytes = 24576;
        builder.Metadata.ModelName = kernels == KernelSelection.Packed ? PackedName : Name;
        return builder;
    }

    private static void AddConv(ModelBuilder builder, Random random, string name, int input, int output,
        int outputChannels, int channelsPerGroup, int kernel, int stride, int pad, int groups, KernelSelection kernels)
    {
        sbyte[] weights = RandomWeights(random, outputChannels * channelsPerGroup * kernel * kernel);
        // Packed as the converter packs: groups 1 only (the depthwise layer keeps its int8 filter).
        bool packed = kernels == KernelSelection.Packed && groups == 1;
        bool triple = packed && Conv2DTripleKernel.Fits(channelsPerGroup, kernel);
        int filter;
        if (triple)
        {
            sbyte[] lanes = new sbyte[3 * Conv2DTripleKernel.FilterWords(outputChannels, channelsPerGroup, kernel, kernel)];
            Conv2DTripleKernel.PackFilter(weights, 0, outputChannels, channelsPerGroup, kernel, kernel, lanes, 0);
            filter = builder.AddConstantInt8(name + ".weight", lanes,
                new[] { (outputChannels + 7) / 8, kernel, Conv2DTripleKernel.RowWords(channelsPerGroup, kernel), 3 * Conv2DTripleKernel.TileChannels });
        }
        else if (packed)
        {
            int[] words = new int[Conv2DPackedKernel.PackedFilterWords(outputChannels, channelsPerGroup, kernel, kernel)];
            Conv2DPackedKernel.PackFilter(weights, 0, outputChannels, channelsPerGroup, kernel, kernel, words, 0);
            filter = builder.AddConstantInt32(name + ".weight", words,
                new[] { (outputChannels + 3) / 4, kernel, kernel, Conv2DPackedKernel.ChannelPairCount(channelsPerGroup) * Conv2DPackedKernel.GroupChannels });
        }
        else
        {
            filter = builder.AddConstantInt8(name + ".weight", weights, new[] { outputChannels, channelsPerGroup, kernel, kernel });
        }

        var (bias, multiplier, shift) = AddRequantization(builder, random, name, outputChannels);
        bool depthwise3x3 = kernels == KernelSelection.Packed && groups == outputChannels && channelsPerGroup == 1 && kernel == 3;
        int opCode = triple ? OpCode.Conv2DTriple : packed ? OpCode.Conv2DPacked : depthwise3x3 ? OpCode.DepthwiseConv3x3 : OpCode.Conv2D;
        OperatorWindow window = new OperatorWindow(stride, stride, 1, 1, pad, pad, pad, pad);
        int[] parameters = triple
            ? OperatorWords.Conv2DTriple(window, -128, 127, kernel)
            : OperatorWords.Conv2D(window, groups, -128, 127);
        builder.AddOperator(opCode, new[] { input, filter, bias, multiplier, shift }, new[] { output }, parameters);
    }

    private static (int Bias, int Multiplier, int Shift) AddRequantization(ModelBuilder builder, Random random, string name, int channels)
    {
        int[] bias = new int[channels];
        int[] multiplier = new int[channels];
        int[] shift = new int[channels];
        for (int channel = 0; channel < channels; channel++)
        {
            bias[channel] = random.Next(-5000, 5000);
            multiplier[channel] = random.Next(1 << 30, int.MaxValue);
            shift[channel] = -random.Next(8, 12);
        }

        return (builder.AddConstantInt32(name + ".bias", bias, new[] { channels }),
            builder.AddConstantInt32(name + ".multiplier", multiplier, new[] { channels }),
            builder.AddConstantInt32(name + ".shift", shift, new[] { channels }));
    }

    private static sbyte[] RandomWeights(Random random, int count)
    {
        sbyte[] weights = new sbyte[count];
        for (int index = 0; index < count; index++)
        {
            weights[index] = (sbyte)random.Next(-127, 128);
        }

        return weights;
    }
}
