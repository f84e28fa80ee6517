using NanoInt8.Host.Conversion;
using NanoInt8.Host.Execution;
using NanoInt8.Host.Format;
using NanoInt8.Onnx;
using NanoInt8.Runtime;
using DataType = NanoInt8.Onnx.Protobuf.TensorProto.Types.DataType;

namespace NanoInt8.Conversion.Tests;

/// <summary>
/// ONNX Slice on a quantized activation, DequantizeLinear → Slice → QuantizeLinear, converted to
/// the device's Slice (code 21) and run by the host runner against ONNX Runtime on random inputs.
/// </summary>
/// <remarks>
/// Semantics checked: ONNX Runtime takes the window of the dequantized values and quantizes them
/// again with the same scale and zero point, which gives back the very int8 codes; the device
/// copies the codes of the window. So every output value must be identical, not within a step.
/// Where the output is quantized with another scale, ONNX Runtime requantizes in float32 and the
/// converter's table (a Lookup after the Slice) computes the same float32 arithmetic: identical too.
/// </remarks>
[TestClass]
public sealed class SliceConversionTests
{
    private const float Scale = 0.05f;
    private const sbyte ZeroPoint = 3;

    /// <summary>Starts from the end (-1), a negative step along the width and a step of 2 along the height.</summary>
    [TestMethod]
    public void Convert_QdqSliceNegativeStep_IdenticalToOnnxRuntime()
    {
        byte[] model = QdqSlice(13, starts: [1, -1], ends: [6, -9], axes: [2, 3], steps: [2, -2]);

        AssertIdentical(model, expectedShape: [1, 3, 3, 4]);
    }

    /// <summary>No axes (the leading ones), int32 starts and ends, an end past the dim clamped to it.</summary>
    [TestMethod]
    public void Convert_QdqSliceLeadingAxesInt32Ends_IdenticalToOnnxRuntime()
    {
        byte[] model = QdqSlice(13, starts: [0, 1], ends: [1, 100], axes: null, steps: null, int32: true);

        AssertIdentical(model, expectedShape: [1, 2, 6, 8]);
    }

    /// <summary>
    /// Opset 9: starts, ends and axes as attributes (no steps), an end of INT64_MAX meaning "to the
    /// end"; the quantize and dequantize nodes come from com.microsoft (the default domain has
    /// them from opset 10 only).
    /// </summary>
    [TestMethod]
    public void Convert_QdqSliceOpset9Attributes_IdenticalToOnnxRuntime()
    {
        byte[] model = QdqSlice(9, starts: [2, 3], ends: [long.MaxValue, 7], axes: [2, 3], steps: null);

        AssertIdentical(model, expectedShape: [1, 3, 4, 4]);
    }

    /// <summary>The output quantized with another scale: a Slice, then a requantization table.</summary>
    [TestMethod]
    public void Convert_QdqSliceRequantized_IdenticalToOnnxRuntime()
    {
        byte[] model = QdqSlice(13, starts: [5], ends: [-7], axes: [-1], steps: [-1], outputScale: 0.08f);

        AssertIdentical(model, expectedShape: [1, 3, 6, 4], requantized: true);
    }

    private static void AssertIdentical(byte[] onnx, int[] expectedShape, bool requantized = false)
    {
        byte[] blob = OnnxConverter.Convert(OnnxModel.Load(onnx), new ConversionOptions { ModelName = "slice" }).Blob;
        ModelFile file = ModelFile.Read(blob);
        CollectionAssert.AreEqual(
            requantized ? new[] { OpCode.Slice, OpCode.Lookup } : new[] { OpCode.Slice },
            file.Operators.Select(op => op.OpCode).ToArray());
        var runner = new HostModelRunner(blob);
        var onnxRuntime = new OnnxRuntimeRunner();
        var random = new Random(21);
        for (int sample = 0; sample < 8; sample++)
        {
            float[] x = Enumerable.Range(0, 3 * 6 * 8).Select(_ => (float)((random.NextDouble() * 12) - 6)).ToArray();
            var input = new NpyArray(x, 1, 3, 6, 8);
            float[] expected = onnxRuntime.Run(onnx, new Dictionary<string, NpyArray> { ["x"] = input })[0].AsFloats();
            NpyArray actual = runner.Run(new[] { input })[0];

            CollectionAssert.AreEqual(expectedShape, actual.Shape);
            CollectionAssert.AreEqual(expected, actual.AsFloats(), $"sample {sample}");
        }
    }

    // x [1, 3, 6, 8] → QuantizeLinear → DequantizeLinear → Slice → QuantizeLinear → DequantizeLinear → y.
    private static byte[] QdqSlice(long opset, long[] starts, long[] ends, long[]? axes, long[]? steps, bool int32 = false, float outputScale = Scale)
    {
        var builder = new OnnxGraphBuilder("slice", opset) { IrVersion = 7 };
        builder.AddInput("x", DataType.Float, 1, 3, 6, 8);
        builder.AddInitializer("scale", [Scale], []);
        builder.AddInitializer("zero_point", [ZeroPoint], []);
        builder.AddInitializer("output_scale", [outputScale], []);
        string quantizeDomain = opset >= 10 ? string.Empty : OnnxModel.MicrosoftDomain;
        if (opset < 10)
        {
            builder.AddOpsetImport(OnnxModel.MicrosoftDomain, 1);
        }

        builder.AddNode("QuantizeLinear", ["x", "scale", "zero_point"], ["x_q"]).WithDomain(quantizeDomain);
        builder.AddNode("DequantizeLinear", ["x_q", "scale", "zero_point"], ["x_dq"]).WithDomain(quantizeDomain);
        if (opset >= 10)
        {
            AddIndices(builder, "starts", starts, int32);
            AddIndices(builder, "ends", ends, int32);
            var inputs = new List<string> { "x_dq", "starts", "ends" };
            if (axes is not null || steps is not null)
            {
                inputs.Add(axes is null ? string.Empty : "axes");
                if (axes is not null)
                {
                    AddIndices(builder, "axes", axes, int32);
                }
            }

            if (steps is not null)
            {
                AddIndices(builder, "steps", steps, int32);
                inputs.Add("steps");
            }

            builder.AddNode("Slice", inputs, ["sliced"]).WithName("slice");
        }
        else
        {
            builder.AddNode("Slice", ["x_dq"], ["sliced"]).WithName("slice")
                .WithInts("starts", starts).WithInts("ends", ends).WithInts("axes", axes!);
        }

        builder.AddNode("QuantizeLinear", ["sliced", "output_scale", "zero_point"], ["y_q"]).WithDomain(quantizeDomain);
        builder.AddNode("DequantizeLinear", ["y_q", "output_scale", "zero_point"], ["y"]).WithDomain(quantizeDomain);
        builder.AddOutput("y", DataType.Float);
        return builder.ToBytes();
    }

    private static void AddIndices(OnnxGraphBuilder builder, string name, long[] values, bool int32)
    {
        if (int32)
        {
            builder.AddInitializer(name, values.Select(value => (int)Math.Clamp(value, int.MinValue, int.MaxValue)).ToArray(), [values.Length]);
        }
        else
        {
            builder.AddInitializer(name, values, [values.Length]);
        }
    }
}
