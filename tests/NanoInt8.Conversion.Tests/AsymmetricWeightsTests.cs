using Microsoft.ML.OnnxRuntime;
using NanoInt8.Host.Conversion;
using NanoInt8.Host.Execution;
using NanoInt8.Host.Format;
using NanoInt8.Host.Quantization;
using NanoInt8.Onnx;
using NanoInt8.Runtime;
using DataType = NanoInt8.Onnx.Protobuf.TensorProto.Types.DataType;

namespace NanoInt8.Conversion.Tests;

/// <summary>
/// Asymmetric weights (a weight zero point other than 0: ONNX Runtime's WeightSymmetric=False,
/// uint8 weights) kept exact: w - zw spans -255..255, so the converter splits each centred
/// weight into int8 lanes that add up to it, over the layer's input with every channel repeated
/// once per lane (a Gather before the layer). The products are then the model's own integers.
/// </summary>
/// <remarks>
/// Semantics checked: with the exact mode, the outputs equal ONNX Runtime's integer kernels
/// (QLinearConv, QLinearMatMul, and QDQ groups fused into them at ORT_ENABLE_EXTENDED), which
/// accumulate Σ (x - zx)(w - zw) in int32 and requantize in float32: every value identical. The
/// weights are drawn so that the extremes occur: a centred weight of 255 (int8 127 with zero
/// point -128, or uint8 255 with zero point 0) needs three lanes, -255 two.
/// </remarks>
[TestClass]
public sealed class AsymmetricWeightsTests
{
    private const float InputScale = 0.05f;
    private const float OutputScale = 0.4f;

    /// <summary>Per-channel int8 weights with zero points -128, 0, 127 and 5: centred weights from -255 to 255, three lanes.</summary>
    [TestMethod]
    public void Convert_QdqConvPerChannelZeroPoints_ThreeLanesIdenticalToOnnxRuntime()
    {
        byte[] model = QdqConv(groups: 1, zeroPoints: [-128, 0, 127, 5], out int lanes);
        Assert.AreEqual(3, lanes);

        ConversionResult conversion = AssertIdentical(model, GraphOptimizationLevel.ORT_ENABLE_EXTENDED);
        CollectionAssert.AreEqual(new[] { OpCode.Gather, OpCode.Conv2D }, conversion.Model.Operators.Select(op => op.OpCode).ToArray());
        Assert.Contains(note => note.Contains("3 int8 lanes", StringComparison.Ordinal), conversion.Notes.ToList());
    }

    /// <summary>A depthwise convolution (groups = channels): each group's channel is repeated inside its group; two lanes (no weight reaches 255).</summary>
    [TestMethod]
    public void Convert_QdqDepthwiseConvWithZeroPoints_TwoLanesIdenticalToOnnxRuntime()
    {
        byte[] model = QdqConv(groups: 4, zeroPoints: [-100, 90, 17, -3], out int lanes);
        Assert.AreEqual(2, lanes);

        AssertIdentical(model, GraphOptimizationLevel.ORT_ENABLE_EXTENDED);
    }

    /// <summary>QLinearMatMul with uint8 weights and a zero point (the ONNX backend cases' layout): two lanes along the depth.</summary>
    [TestMethod]
    public void Convert_QLinearMatMulUInt8Weights_TwoLanesIdenticalToOnnxRuntime()
    {
        byte[] model = QLinearMatMul(depth: 24, outputs: 5);

        ConversionResult conversion = AssertIdentical(model, GraphOptimizationLevel.ORT_DISABLE_ALL);
        Assert.Contains(note => note.Contains("2 int8 lanes", StringComparison.Ordinal), conversion.Notes.ToList());
    }

    /// <summary>The packed kernels take the lanes as any int8 filter: bit-identical to plain.</summary>
    [TestMethod]
    public void Convert_AsymmetricWeightsPacked_BitIdenticalToPlain()
    {
        foreach (byte[] model in new[] { QdqConv(1, [-128, 0, 127, 5], out _), QdqConv(4, [-100, 90, 17, -3], out _), QLinearMatMul(24, 5) })
        {
            OnnxModel source = OnnxModel.Load(model);
            var plain = new HostModelRunner(OnnxConverter.Convert(source).Blob);
            var packed = new HostModelRunner(OnnxConverter.Convert(source, new ConversionOptions { Kernels = KernelSelection.Packed }).Blob);
            foreach (NpyArray input in Inputs(source, 4))
            {
                CollectionAssert.AreEqual(plain.Run([input])[0].AsFloats(), packed.Run([input])[0].AsFloats());
            }
        }
    }

    /// <summary>
    /// Semantics: the device refuses a reduction of more than 65535 taps (its int32 accumulator
    /// bound); a layer whose lanes would need more re-quantizes its channels that leave int8
    /// instead, and says so in a note.
    /// </summary>
    [TestMethod]
    public void Convert_LanesBeyondTheReductionLimit_RequantizesWithANote()
    {
        byte[] model = QLinearMatMul(depth: 40_000, outputs: 1);

        ConversionResult conversion = OnnxConverter.Convert(OnnxModel.Load(model));
        Assert.Contains(note => note.Contains("re-quantized symmetrically", StringComparison.Ordinal) && note.Contains("65535", StringComparison.Ordinal), conversion.Notes.ToList());
        CollectionAssert.AreEqual(new[] { OpCode.FullyConnected }, conversion.Model.Operators.Select(op => op.OpCode).ToArray());
    }

    private static ConversionResult AssertIdentical(byte[] onnx, GraphOptimizationLevel level)
    {
        OnnxModel source = OnnxModel.Load(onnx);
        ConversionResult conversion = OnnxConverter.Convert(source, new ConversionOptions { Requantization = RequantizationMode.Exact });
        var runner = new HostModelRunner(conversion.Blob);
        using OnnxRuntimeSession session = new OnnxRuntimeRunner { OptimizationLevel = level }.CreateSession(onnx);
        foreach (NpyArray input in Inputs(source, 16))
        {
            float[] expected = session.Run(new Dictionary<string, NpyArray> { ["x"] = input })[0].AsFloats();
            CollectionAssert.AreEqual(expected, runner.Run([input])[0].AsFloats());
        }

        return conversion;
    }

    private static IEnumerable<NpyArray> Inputs(OnnxModel model, int count)
    {
        int[] shape = model.Inputs[0].Shape!.Select(dimension => (int)dimension.Value!).ToArray();
        var random = new Random(12);
        for (int sample = 0; sample < count; sample++)
        {
            yield return new NpyArray(Enumerable.Range(0, shape.Aggregate(1, (a, b) => a * b)).Select(_ => (float)((random.NextDouble() * 10) - 3)).ToArray(), shape);
        }
    }

    // x [1, 4, 6, 6] → QuantizeLinear (uint8) → DequantizeLinear → Conv 3x3 (padding 1) with int8
    // weights per output channel (axis 0) and the given zero points, an int32 bias → QuantizeLinear
    // → DequantizeLinear → y. Each channel's weights take both ends of int8, so with zero point z
    // the centred weights reach -128 - z and 127 - z. The number of lanes that needs comes back.
    private static byte[] QdqConv(int groups, int[] zeroPoints, out int lanes)
    {
        const int Channels = 4;
        int inputChannels = Channels / groups;
        int taps = inputChannels * 9;
        var random = new Random(groups);
        sbyte[] weights = Enumerable.Range(0, Channels * taps)
            .Select(i => (sbyte)(i % taps == 0 ? 127 : i % taps == 1 ? -128 : random.Next(-128, 128)))
            .ToArray();
        int[] centred = weights.Select((w, i) => w - zeroPoints[i / taps]).ToArray();
        lanes = centred.Max() > 254 ? 3 : centred.Min() < -128 || centred.Max() > 127 ? 2 : 1;

        var builder = new OnnxGraphBuilder("asymmetric_conv", 13) { IrVersion = 7 };
        builder.AddInput("x", DataType.Float, 1, Channels, 6, 6);
        AddActivationQuantization(builder);
        float[] weightScales = [0.004f, 0.0021f, 0.0033f, 0.0051f];
        builder.AddInitializer("w", weights, [Channels, inputChannels, 3, 3]);
        builder.AddInitializer("w_scale", weightScales, [Channels]);
        builder.AddInitializer("w_zero_point", zeroPoints.Select(z => (sbyte)z).ToArray(), [Channels]);
        builder.AddNode("DequantizeLinear", ["w", "w_scale", "w_zero_point"], ["w_dq"]).WithInt("axis", 0);
        builder.AddInitializer("b", new[] { 300, -1200, 45, 7000 }, [Channels]);
        builder.AddInitializer("b_scale", weightScales.Select(scale => scale * InputScale).ToArray(), [Channels]);
        builder.AddNode("DequantizeLinear", ["b", "b_scale"], ["b_dq"]).WithInt("axis", 0);
        builder.AddNode("Conv", ["x_dq", "w_dq", "b_dq"], ["conv"]).WithInts("pads", 1, 1, 1, 1).WithInt("group", groups);
        builder.AddNode("QuantizeLinear", ["conv", "y_scale", "y_zero_point"], ["y_q"]);
        builder.AddNode("DequantizeLinear", ["y_q", "y_scale", "y_zero_point"], ["y"]);
        builder.AddOutput("y", DataType.Float, 1, Channels, 6, 6);
        return builder.ToBytes();
    }

    // x [1, depth] → QuantizeLinear (uint8) → QLinearMatMul with uint8 weights [depth, outputs]
    // and weight zero point 200 (centred weights -200 .. 55) → DequantizeLinear → y.
    private static byte[] QLinearMatMul(int depth, int outputs)
    {
        var random = new Random(depth);
        var builder = new OnnxGraphBuilder("asymmetric_matmul", 13) { IrVersion = 7 };
        builder.AddInput("x", DataType.Float, 1, depth);
        builder.AddInitializer("x_scale", [InputScale], []);
        builder.AddInitializer("x_zero_point", [(byte)100], []);
        builder.AddNode("QuantizeLinear", ["x", "x_scale", "x_zero_point"], ["x_q"]);
        builder.AddInitializer("w", Enumerable.Range(0, depth * outputs).Select(i => (byte)(i == 0 ? 0 : random.Next(0, 256))).ToArray(), [depth, outputs]);
        builder.AddInitializer("w_scale", [0.0007f], []);
        builder.AddInitializer("w_zero_point", [(byte)200], []);
        builder.AddInitializer("y_scale", [depth > 1000 ? 8f : OutputScale], []);
        builder.AddInitializer("y_zero_point", [(byte)128], []);
        builder.AddNode("QLinearMatMul", ["x_q", "x_scale", "x_zero_point", "w", "w_scale", "w_zero_point", "y_scale", "y_zero_point"], ["y_q"]);
        builder.AddNode("DequantizeLinear", ["y_q", "y_scale", "y_zero_point"], ["y"]);
        builder.AddOutput("y", DataType.Float, 1, outputs);
        return builder.ToBytes();
    }

    // QuantizeLinear → DequantizeLinear of the input 'x' (uint8) into 'x_dq', and the output's scale and zero point.
    private static void AddActivationQuantization(OnnxGraphBuilder builder)
    {
        builder.AddInitializer("x_scale", [InputScale], []);
        builder.AddInitializer("x_zero_point", [(byte)100], []);
        builder.AddInitializer("y_scale", [OutputScale], []);
        builder.AddInitializer("y_zero_point", [(byte)128], []);
        builder.AddNode("QuantizeLinear", ["x", "x_scale", "x_zero_point"], ["x_q"]);
        builder.AddNode("DequantizeLinear", ["x_q", "x_scale", "x_zero_point"], ["x_dq"]);
    }
}
