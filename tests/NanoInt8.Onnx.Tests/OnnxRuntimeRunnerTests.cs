using NanoInt8.Onnx.Protobuf;
using Microsoft.ML.OnnxRuntime;
using DataType = NanoInt8.Onnx.Protobuf.TensorProto.Types.DataType;

namespace NanoInt8.Onnx.Tests;

/// <summary>
/// ONNX Runtime as the oracle: models built with <see cref="OnnxGraphBuilder"/> and run through
/// <see cref="OnnxRuntimeRunner"/>, checked against references computed here.
/// </summary>
[TestClass]
public sealed class OnnxRuntimeRunnerTests
{
    private const float Scale = 0.1f;
    private const sbyte ZeroPoint = 3;

    /// <summary>x(float[n]) -> QuantizeLinear(0.1, int8 3) -> q -> DequantizeLinear -> y; outputs q and y.</summary>
    private static byte[] QuantizeDequantizeModel(int length)
    {
        var builder = new OnnxGraphBuilder("qdq");
        builder.AddInput("x", DataType.Float, length);
        builder.AddInitializer("scale", [Scale], []);
        builder.AddInitializer("zero_point", [ZeroPoint], []);
        builder.AddNode("QuantizeLinear", ["x", "scale", "zero_point"], ["q"]);
        builder.AddNode("DequantizeLinear", ["q", "scale", "zero_point"], ["y"]);
        builder.AddOutput("q", DataType.Int8, length);
        builder.AddOutput("y", DataType.Float, length);
        return builder.ToBytes();
    }

    [TestMethod]
    public void Run_QuantizeDequantize_MatchesRoundHalfToEvenSaturateDequantize()
    {
        // Ties in float32 (0.25f / 0.1f == 2.5f, 0.35f / 0.1f == 3.5f and their negatives),
        // values that saturate at both ends, and a sweep that crosses every rounding boundary.
        float[] x =
        [
            0f, -0f, 0.25f, -0.25f, 0.35f, -0.35f, 0.05f, -0.05f, 0.15f, -0.15f,
            12.45f, 12.55f, -13.05f, -13.15f, 100f, -100f, 1e9f, -1e9f,
            .. Enumerable.Range(-300, 601).Select(step => step * 0.0437f),
        ];

        IReadOnlyList<NpyArray> outputs = new OnnxRuntimeRunner().Run(
            QuantizeDequantizeModel(x.Length),
            new Dictionary<string, NpyArray> { ["x"] = new NpyArray(x, x.Length) });

        // ONNX QuantizeLinear: saturate(round_half_to_even(x / scale) + zero_point); ONNX Runtime
        // divides in float32, so the reference does too.
        sbyte[] expectedQuantized = x
            .Select(value => (sbyte)Math.Clamp(MathF.Round(value / Scale, MidpointRounding.ToEven) + ZeroPoint, sbyte.MinValue, sbyte.MaxValue))
            .ToArray();
        float[] expectedDequantized = expectedQuantized.Select(quantized => (quantized - ZeroPoint) * Scale).ToArray();
        Assert.HasCount(2, outputs);
        CollectionAssert.AreEqual(new[] { x.Length }, outputs[0].Shape);
        CollectionAssert.AreEqual(expectedQuantized, outputs[0].AsInt8());
        CollectionAssert.AreEqual(expectedDequantized, outputs[1].AsFloats());
        CollectionAssert.Contains(outputs[0].AsInt8(), sbyte.MaxValue);
        CollectionAssert.Contains(outputs[0].AsInt8(), sbyte.MinValue);
    }

    [TestMethod]
    public void Run_TieCases_RoundToEven()
    {
        float[] x = [0.25f, -0.25f, 0.35f, -0.35f];

        NpyArray quantized = new OnnxRuntimeRunner().Run(
            QuantizeDequantizeModel(x.Length),
            new Dictionary<string, NpyArray> { ["x"] = new NpyArray(x, x.Length) })[0];

        // 2.5 -> 2, -2.5 -> -2, 3.5 -> 4, -3.5 -> -4, each plus the zero point 3.
        CollectionAssert.AreEqual(new sbyte[] { 5, 1, 7, -1 }, quantized.AsInt8());
    }

    [TestMethod]
    public void Run_ModelFile_GivesSameOutputsAsBytes()
    {
        string path = Path.Combine(Path.GetTempPath(), $"nanoint8-{Guid.NewGuid():N}.onnx");
        var inputs = new Dictionary<string, NpyArray> { ["x"] = new NpyArray([0.5f, -1.25f], 2) };
        try
        {
            File.WriteAllBytes(path, QuantizeDequantizeModel(2));

            IReadOnlyList<NpyArray> outputs = new OnnxRuntimeRunner().Run(path, inputs);

            CollectionAssert.AreEqual(new sbyte[] { 8, -9 }, outputs[0].AsInt8());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [TestMethod]
    public void Session_RunTwice_ReportsNamesAndGivesOutputsInGraphOrder()
    {
        using OnnxRuntimeSession session = new OnnxRuntimeRunner().CreateSession(QuantizeDequantizeModel(1));

        IReadOnlyList<NpyArray> first = session.Run(new Dictionary<string, NpyArray> { ["x"] = new NpyArray([1f], 1) });
        IReadOnlyList<NpyArray> second = session.Run(new Dictionary<string, NpyArray> { ["x"] = new NpyArray([-1f], 1) });

        CollectionAssert.AreEqual(new[] { "x" }, session.InputNames.ToArray());
        CollectionAssert.AreEqual(new[] { "q", "y" }, session.OutputNames.ToArray());
        CollectionAssert.AreEqual(new sbyte[] { 13 }, first[0].AsInt8());
        CollectionAssert.AreEqual(new sbyte[] { -7 }, second[0].AsInt8());
    }

    [TestMethod]
    public void Runner_ByDefault_DisablesGraphOptimizationsAndUsesOneThread()
    {
        var runner = new OnnxRuntimeRunner();

        Assert.AreEqual(GraphOptimizationLevel.ORT_DISABLE_ALL, runner.OptimizationLevel);
        Assert.AreEqual(1, runner.IntraOpThreads);
    }

    [TestMethod]
    public void Run_Int32AndUInt8Tensors_PassThroughUnchanged()
    {
        var builder = new OnnxGraphBuilder();
        builder.AddInput("a", DataType.Int32, 2, 2);
        builder.AddInput("b", DataType.Uint8, 3);
        builder.AddNode("Identity", ["a"], ["a_out"]);
        builder.AddNode("Identity", ["b"], ["b_out"]);
        builder.AddOutput("b_out", DataType.Uint8, 3);
        builder.AddOutput("a_out", DataType.Int32, 2, 2);
        var inputs = new Dictionary<string, NpyArray>
        {
            ["a"] = new NpyArray([int.MinValue, -1, 0, int.MaxValue], 2, 2),
            ["b"] = new NpyArray(new byte[] { 0, 1, 255 }, 3),
        };

        IReadOnlyList<NpyArray> outputs = new OnnxRuntimeRunner().Run(builder.ToBytes(), inputs);

        CollectionAssert.AreEqual(new byte[] { 0, 1, 255 }, outputs[0].AsUInt8());
        CollectionAssert.AreEqual(new[] { int.MinValue, -1, 0, int.MaxValue }, outputs[1].AsInt32());
        CollectionAssert.AreEqual(new[] { 2, 2 }, outputs[1].Shape);
    }

    [TestMethod]
    public void Run_MissingInput_ThrowsArgumentException()
    {
        ArgumentException exception = Assert.ThrowsExactly<ArgumentException>(
            () => new OnnxRuntimeRunner().Run(QuantizeDequantizeModel(1), new Dictionary<string, NpyArray>()));

        StringAssert.Contains(exception.Message, "'x'");
    }

    [TestMethod]
    public void Run_UnknownInput_ThrowsArgumentException()
    {
        var inputs = new Dictionary<string, NpyArray> { ["x"] = new NpyArray([1f], 1), ["z"] = new NpyArray([1f], 1) };

        ArgumentException exception = Assert.ThrowsExactly<ArgumentException>(
            () => new OnnxRuntimeRunner().Run(QuantizeDequantizeModel(1), inputs));

        StringAssert.Contains(exception.Message, "'z'");
    }

    [TestMethod]
    public void Run_InputOfWrongElementType_ThrowsArgumentException()
    {
        var inputs = new Dictionary<string, NpyArray> { ["x"] = new NpyArray(new sbyte[] { 1 }, 1) };

        Assert.ThrowsExactly<ArgumentException>(() => new OnnxRuntimeRunner().Run(QuantizeDequantizeModel(1), inputs));
    }

    [TestMethod]
    public void Run_InputOfWrongShape_ThrowsOnnxRuntimeRunException()
    {
        var inputs = new Dictionary<string, NpyArray> { ["x"] = new NpyArray([1f, 2f], 2) };

        Assert.ThrowsExactly<OnnxRuntimeRunException>(() => new OnnxRuntimeRunner().Run(QuantizeDequantizeModel(1), inputs));
    }

    [TestMethod]
    public void CreateSession_BytesThatOnnxRuntimeRejects_ThrowsOnnxRuntimeRunException()
    {
        var builder = new OnnxGraphBuilder();
        builder.AddInput("x", DataType.Float, 1);
        builder.AddNode("NoSuchOperator", ["x"], ["y"]);
        builder.AddOutput("y", DataType.Float, 1);

        Assert.ThrowsExactly<OnnxRuntimeRunException>(() => new OnnxRuntimeRunner().CreateSession(builder.ToBytes()));
    }
}
