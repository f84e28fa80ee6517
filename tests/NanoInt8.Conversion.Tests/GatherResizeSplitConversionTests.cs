using Microsoft.ML.OnnxRuntime;
using NanoInt8.Host.Conversion;
using NanoInt8.Host.Execution;
using NanoInt8.Host.Format;
using NanoInt8.Onnx;
using NanoInt8.Runtime;
using DataType = NanoInt8.Onnx.Protobuf.TensorProto.Types.DataType;

namespace NanoInt8.Conversion.Tests;

/// <summary>
/// ONNX Gather with constant indices, Resize and Upsample in nearest mode, and Split on a
/// quantized activation (DequantizeLinear → op → QuantizeLinear, or on the uint8 codes between
/// QuantizeLinear and DequantizeLinear as ONNX Runtime's QOperator format writes them), converted
/// to the device's Gather (code 22) or Slice (code 21) and run by the host runner against ONNX
/// Runtime on random inputs; and Pad on the codes.
/// </summary>
/// <remarks>
/// Semantics checked: each of these operators only copies elements, so ONNX Runtime (at
/// ORT_DISABLE_ALL, ONNX semantics: its CPU Resize kernel computes the nearest coordinates in
/// float32) gives back input codes, and the converted model must give the very same ones: every
/// output value identical, not within a step. Where the output is quantized with another scale,
/// the converter's table after the copy computes ONNX Runtime's float32 requantization: identical too.
/// </remarks>
[TestClass]
public sealed class GatherResizeSplitConversionTests
{
    private const float Scale = 0.05f;
    private const byte ZeroPoint = 131;
    private static readonly long[] s_inputShape = [1, 3, 5, 7];

    /// <summary>Resize and Upsample cases: the exporter layout, opset, coordinate transform, rounding, and the constant scales or sizes.</summary>
    public static IEnumerable<object[]> ResizeCases =>
    [
        ["PyTorch nn.Upsample(scale_factor=2)", 13L, "Resize", "asymmetric", "floor", new[] { 1f, 1f, 2f, 2f }, null!],
        ["defaults (half_pixel, round_prefer_floor), 2 and 3", 13L, "Resize", null!, null!, new[] { 1f, 1f, 2f, 3f }, null!],
        ["half_pixel, round_prefer_ceil, 1.5 and 0.6", 13L, "Resize", "half_pixel", "round_prefer_ceil", new[] { 1f, 1f, 1.5f, 0.6f }, null!],
        ["align_corners, floor, sizes", 13L, "Resize", "align_corners", "floor", null!, new[] { 1L, 3L, 9L, 4L }],
        ["pytorch_half_pixel, ceil, sizes with an axis of one", 13L, "Resize", "pytorch_half_pixel", "ceil", null!, new[] { 1L, 3L, 1L, 11L }],
        ["tf_half_pixel_for_nn, round_prefer_floor, 3 and 0.5", 11L, "Resize", "tf_half_pixel_for_nn", "round_prefer_floor", new[] { 1f, 1f, 3f, 0.5f }, null!],
        ["asymmetric, round_prefer_ceil, 1.7 and 2.3", 13L, "Resize", "asymmetric", "round_prefer_ceil", new[] { 1f, 1f, 1.7f, 2.3f }, null!],
        ["channels resized too, 2/3", 13L, "Resize", "half_pixel", "round_prefer_floor", new[] { 1f, 0.67f, 1f, 1f }, null!],
        ["opset 10 (asymmetric, truncation), 2.5 and 0.5", 10L, "Resize", null!, null!, new[] { 1f, 1f, 2.5f, 0.5f }, null!],
        ["opset 18 with axes (2, 3), sizes", 18L, "Resize", "asymmetric", "floor", null!, new[] { 10L, 14L }],
        ["Upsample opset 9, 2 and 3", 9L, "Upsample", null!, null!, new[] { 1f, 1f, 2f, 3f }, null!],
        ["Upsample opset 7 (scales attribute), 3 and 1", 7L, "Upsample", null!, null!, new[] { 1f, 1f, 3f, 1f }, null!],
    ];

    /// <summary>
    /// Semantics: the nearest coordinates are ONNX Runtime's, computed in float32 in the same
    /// order of operations, for every coordinate transform and rounding mode, integer and
    /// non-integer scales, upsampling and downsampling, from scales or from sizes.
    /// </summary>
    [TestMethod]
    [DynamicData(nameof(ResizeCases))]
    public void Convert_QdqResizeNearest_IdenticalToOnnxRuntime(string layout, long opset, string opType, string? transform, string? rounding, float[]? scales, long[]? sizes)
    {
        byte[] model = Model(opset, (builder, x) =>
        {
            var inputs = new List<string> { x };
            if (opType == "Upsample" && opset < 9)
            {
                builder.AddNode("Upsample", inputs, ["resized"]).WithName("resize").WithString("mode", "nearest").WithFloats("scales", scales!);
                return ["resized"];
            }

            if (opset >= 11)
            {
                // Opset 11 requires the roi input (an empty one); from 13 it may be left out.
                builder.AddInitializer("roi", Array.Empty<float>(), [0]);
                inputs.Add(opset == 11 ? "roi" : string.Empty);
            }

            if (scales != null)
            {
                builder.AddInitializer("scales", scales, [scales.Length]);
                inputs.Add("scales");
            }
            else
            {
                builder.AddInitializer("sizes", sizes!, [sizes!.Length]);
                inputs.AddRange([string.Empty, "sizes"]);
            }

            OnnxNodeBuilder node = builder.AddNode(opType, inputs, ["resized"]).WithName("resize").WithString("mode", "nearest");
            if (transform != null)
            {
                node.WithString("coordinate_transformation_mode", transform);
            }

            if (rounding != null)
            {
                node.WithString("nearest_mode", rounding);
            }

            if (opset >= 18 && sizes is { Length: 2 })
            {
                node.WithInts("axes", 2, 3);
            }

            return ["resized"];
        });

        AssertIdentical(model, layout, OpCode.Gather);
    }

    /// <summary>The PyTorch upsampling with its output quantized with another scale: a Gather, then a requantization table.</summary>
    [TestMethod]
    public void Convert_QdqResizeRequantized_IdenticalToOnnxRuntime()
    {
        byte[] model = Model(13, (builder, x) =>
        {
            builder.AddInitializer("scales", [1f, 1f, 2f, 2f], [4]);
            builder.AddNode("Resize", [x, string.Empty, "scales"], ["resized"]).WithName("resize").WithString("mode", "nearest")
                .WithString("coordinate_transformation_mode", "asymmetric").WithString("nearest_mode", "floor");
            return ["resized"];
        }, outputScale: 0.08f);

        AssertIdentical(model, "requantized", OpCode.Gather, OpCode.Lookup);
    }

    /// <summary>Gather cases: axis, indices (int64 or int32, negative counting from the end, a scalar removing the axis).</summary>
    public static IEnumerable<object[]> GatherCases =>
    [
        ["channels 2, 0, 2, 1 (int64)", 1L, new long[] { 2, 0, 2, 1 }, new long[] { 4 }, false],
        ["columns from the end (int32)", -1L, new long[] { -1, 0, -7, 3 }, new long[] { 4 }, true],
        ["one row, a scalar index (then a reshape removing the axis)", 2L, new long[] { 3 }, Array.Empty<long>(), false],
        ["the batch twice", 0L, new long[] { 0, 0 }, new long[] { 2 }, false],
    ];

    /// <summary>Semantics: Gather with constant indices selects input elements along one axis; the output has the indices' shape in place of the axis.</summary>
    [TestMethod]
    [DynamicData(nameof(GatherCases))]
    public void Convert_QdqGatherConstantIndices_IdenticalToOnnxRuntime(string what, long axis, long[] indices, long[] indicesShape, bool int32)
    {
        byte[] model = Model(13, (builder, x) =>
        {
            if (int32)
            {
                builder.AddInitializer("indices", indices.Select(index => (int)index).ToArray(), indicesShape);
            }
            else
            {
                builder.AddInitializer("indices", indices, indicesShape);
            }

            builder.AddNode("Gather", [x, "indices"], ["gathered"]).WithName("gather").WithInt("axis", axis);
            return ["gathered"];
        });

        AssertIdentical(model, what, indicesShape.Length == 0 ? [OpCode.Gather, OpCode.Reshape] : [OpCode.Gather]);
    }

    /// <summary>Split cases: opset, axis, sizes (an input from opset 13, an attribute before, num_outputs in opset 18, equal parts without).</summary>
    public static IEnumerable<object[]> SplitCases =>
    [
        ["opset 13, sizes 1 and 2 of the channels", 13L, 1L, new long[] { 1, 2 }, 2],
        ["opset 11, sizes as an attribute, rows", 11L, 2L, new long[] { 2, 2, 1 }, 3],
        ["opset 18, num_outputs 3 of 7 columns (3, 3, 1)", 18L, -1L, null!, 3],
        ["opset 13, equal parts of the channels", 13L, 1L, null!, 3],
    ];

    /// <summary>Semantics: Split cuts the tensor along one axis into consecutive parts, each a Slice on the device.</summary>
    [TestMethod]
    [DynamicData(nameof(SplitCases))]
    public void Convert_QdqSplit_EveryPartIdenticalToOnnxRuntime(string what, long opset, long axis, long[]? sizes, int outputs)
    {
        byte[] model = Model(opset, (builder, x) =>
        {
            string[] parts = Enumerable.Range(0, outputs).Select(i => $"part{i}").ToArray();
            var inputs = new List<string> { x };
            if (sizes != null && opset >= 13)
            {
                builder.AddInitializer("split", sizes, [sizes.Length]);
                inputs.Add("split");
            }

            OnnxNodeBuilder node = builder.AddNode("Split", inputs, parts).WithName("split").WithInt("axis", axis);
            if (sizes != null && opset < 13)
            {
                node.WithInts("split", sizes);
            }

            if (sizes == null && opset >= 18)
            {
                node.WithInt("num_outputs", outputs);
            }

            return parts;
        });

        AssertIdentical(model, what, Enumerable.Repeat(OpCode.Slice, outputs).ToArray());
    }

    /// <summary>
    /// Semantics: ONNX Runtime's QOperator format runs Resize and Split on the uint8 codes
    /// themselves (its quantizer's QResize and QSplit: the outputs keep the input's scale and
    /// zero point); copying codes is exact.
    /// </summary>
    [TestMethod]
    [DataRow("Resize")]
    [DataRow("Split")]
    public void Convert_OnTheCodes_IdenticalToOnnxRuntime(string opType)
    {
        byte[] model = Model(13, (builder, codes) =>
        {
            if (opType == "Resize")
            {
                builder.AddInitializer("scales", [1f, 1f, 2f, 2f], [4]);
                builder.AddNode("Resize", [codes, string.Empty, "scales"], ["resized"]).WithName("resize").WithString("mode", "nearest")
                    .WithString("coordinate_transformation_mode", "asymmetric").WithString("nearest_mode", "floor");
                return ["resized"];
            }

            builder.AddInitializer("split", new long[] { 2, 1 }, [2]);
            builder.AddNode("Split", [codes, "split"], ["part0", "part1"]).WithName("split").WithInt("axis", 1);
            return ["part0", "part1"];
        }, onCodes: true);

        AssertIdentical(model, opType, opType == "Resize" ? [OpCode.Gather] : [OpCode.Slice, OpCode.Slice]);
    }

    /// <summary>
    /// Semantics: ONNX Runtime's QOperator format pads the uint8 codes (its quantizer's QPad):
    /// with the zero point's code when the float model padded with 0, with the constant quantized
    /// otherwise, as an initializer or a QuantizeLinear of a float constant; any code is a value
    /// of the grid, so the Pad is exact. Without a constant_value ONNX pads with code 0.
    /// </summary>
    [TestMethod]
    [DataRow("the zero point")]
    [DataRow("a quantized constant")]
    [DataRow("a QuantizeLinear of a float constant")]
    [DataRow("no constant_value (code 0)")]
    public void Convert_PadOnTheCodes_IdenticalToOnnxRuntime(string value)
    {
        byte[] model = Model(13, (builder, codes) =>
        {
            builder.AddInitializer("pads", new long[] { 0, 0, 1, 2, 0, 0, 2, 1 }, [8]);
            var inputs = new List<string> { codes, "pads" };
            switch (value)
            {
                case "the zero point":
                    inputs.Add("zero_point");
                    break;
                case "a quantized constant":
                    builder.AddInitializer("pad_code", [(byte)200], []);
                    inputs.Add("pad_code");
                    break;
                case "a QuantizeLinear of a float constant":
                    builder.AddNode("Constant", [], ["pad_float"]).WithTensor("value", TensorData.Create("pad_float", [-1.3f], []));
                    builder.AddNode("QuantizeLinear", ["pad_float", "scale", "zero_point"], ["pad_quantized"]);
                    inputs.Add("pad_quantized");
                    break;
            }

            builder.AddNode("Pad", inputs, ["padded"]).WithName("pad");
            return ["padded"];
        }, onCodes: true);

        AssertIdentical(model, value, OpCode.Pad);
    }

    /// <summary>Semantics: a Resize that computes new values (linear) or reads outside the input (tf_crop_and_resize) is refused by node name.</summary>
    [TestMethod]
    [DataRow("linear", "half_pixel", "mode 'linear'")]
    [DataRow("nearest", "tf_crop_and_resize", "tf_crop_and_resize")]
    public void Convert_ResizeThatIsNotANearestCopy_IsRefusedNamingTheNode(string mode, string transform, string named)
    {
        byte[] model = Model(13, (builder, x) =>
        {
            builder.AddInitializer("roi", [0f, 0f, 0.2f, 0.2f, 1f, 1f, 0.8f, 0.8f], [8]);
            builder.AddInitializer("scales", [1f, 1f, 2f, 2f], [4]);
            builder.AddNode("Resize", [x, "roi", "scales"], ["resized"]).WithName("resize").WithString("mode", mode)
                .WithString("coordinate_transformation_mode", transform);
            return ["resized"];
        });

        ConversionException exception = Assert.ThrowsExactly<ConversionException>(() => OnnxConverter.Convert(OnnxModel.Load(model)));
        Assert.AreEqual("resize", exception.NodeName, exception.Message);
        Assert.Contains(named, exception.Message);
    }

    private static void AssertIdentical(byte[] onnx, string what, params int[] expectedCodes)
    {
        byte[] blob = OnnxConverter.Convert(OnnxModel.Load(onnx), new ConversionOptions { ModelName = "selection" }).Blob;
        CollectionAssert.AreEqual(expectedCodes, ModelFile.Read(blob).Operators.Select(op => op.OpCode).ToArray(), what);
        var runner = new HostModelRunner(blob);
        using OnnxRuntimeSession session = new OnnxRuntimeRunner { OptimizationLevel = GraphOptimizationLevel.ORT_DISABLE_ALL }.CreateSession(onnx);
        var random = new Random(22);
        for (int sample = 0; sample < 8; sample++)
        {
            float[] x = Enumerable.Range(0, 3 * 5 * 7).Select(_ => (float)((random.NextDouble() * 12) - 6)).ToArray();
            var input = new NpyArray(x, s_inputShape.Select(d => (int)d).ToArray());
            IReadOnlyList<NpyArray> expected = session.Run(new Dictionary<string, NpyArray> { ["x"] = input });
            IReadOnlyList<NpyArray> actual = runner.Run([input]);
            Assert.AreEqual(expected.Count, actual.Count);
            for (int output = 0; output < expected.Count; output++)
            {
                CollectionAssert.AreEqual(expected[output].Shape, actual[output].Shape, $"{what}, output {output}");
                CollectionAssert.AreEqual(expected[output].AsFloats(), actual[output].AsFloats(), $"{what}, output {output}, sample {sample}");
            }
        }
    }

    // x [1, 3, 5, 7] → QuantizeLinear (uint8) → DequantizeLinear → the node(s) 'write' adds → for
    // each of its outputs QuantizeLinear → DequantizeLinear → y0, y1, ... With onCodes the node
    // reads the uint8 codes and each output is only dequantized.
    private static byte[] Model(long opset, Func<OnnxGraphBuilder, string, string[]> write, bool onCodes = false, float outputScale = Scale)
    {
        var builder = new OnnxGraphBuilder("selection", opset) { IrVersion = opset >= 18 ? 8 : 7 };
        builder.AddInput("x", DataType.Float, s_inputShape.Select(d => (OnnxDimension)d).ToArray());
        builder.AddInitializer("scale", [Scale], []);
        builder.AddInitializer("zero_point", [ZeroPoint], []);
        builder.AddInitializer("output_scale", [outputScale], []);
        // The default domain has QuantizeLinear and DequantizeLinear from opset 10; before, com.microsoft's.
        string quantizeDomain = opset >= 10 ? string.Empty : OnnxModel.MicrosoftDomain;
        if (opset < 10)
        {
            builder.AddOpsetImport(OnnxModel.MicrosoftDomain, 1);
        }

        builder.AddNode("QuantizeLinear", ["x", "scale", "zero_point"], ["x_q"]).WithDomain(quantizeDomain);
        if (!onCodes)
        {
            builder.AddNode("DequantizeLinear", ["x_q", "scale", "zero_point"], ["x_dq"]).WithDomain(quantizeDomain);
        }

        string[] results = write(builder, onCodes ? "x_q" : "x_dq");
        for (int i = 0; i < results.Length; i++)
        {
            string codes = results[i];
            if (!onCodes)
            {
                codes = $"y{i}_q";
                builder.AddNode("QuantizeLinear", [results[i], "output_scale", "zero_point"], [codes]).WithDomain(quantizeDomain);
            }

            builder.AddNode("DequantizeLinear", [codes, onCodes ? "scale" : "output_scale", "zero_point"], [$"y{i}"]).WithDomain(quantizeDomain);
            builder.AddOutput($"y{i}", DataType.Float);
        }

        return builder.ToBytes();
    }
}
