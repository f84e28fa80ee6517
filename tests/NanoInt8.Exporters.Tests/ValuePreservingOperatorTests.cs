using Microsoft.ML.OnnxRuntime;
using NanoInt8.Host.Conversion;
using NanoInt8.Onnx;
using NanoInt8.Runtime;
using DataType = NanoInt8.Onnx.Protobuf.TensorProto.Types.DataType;

namespace NanoInt8.Exporters.Tests;

/// <summary>
/// The principle behind accepting what exporters write: an operator that only moves, selects or
/// clamps quantized values needs no QuantizeLinear of its own, on the float side (between a
/// DequantizeLinear and the operator that reads its result) or on the codes (between a
/// QuantizeLinear and a DequantizeLinear). Each case is a small graph around such an operator,
/// converted and compared with ONNX Runtime at ORT_DISABLE_ALL (ONNX semantics). Every scale is a
/// power of two, so ONNX Runtime's float arithmetic is exact and the converted model must agree
/// on every value, ties included: a pass-through operator that changed a value would show.
/// </summary>
[TestClass]
public sealed class ValuePreservingOperatorTests
{
    private const float InputScale = 1f / 64;
    private const float WeightScale = 1f / 128;
    private const float OutputScale = 1f / 32;

    /// <summary>Float-side cases: x → QuantizeLinear → DequantizeLinear → the operator → a 1x1 Conv reading it directly.</summary>
    public static IEnumerable<object[]> FloatSideCases =>
    [
        ["Relu"], ["Clip on the grid"], ["MaxPool"], ["GlobalMaxPool"], ["Transpose"], ["Pad with zero"], ["Identity and Cast to float"],
        ["Concat of equally quantized tensors"], ["Unsqueeze then Squeeze"], ["Slice"], ["Gather with constant indices"],
        ["Resize nearest"], ["Split, its parts joined again"],
    ];

    /// <summary>Code-side cases: x → QuantizeLinear → the operator on the codes → DequantizeLinear → a 1x1 Conv.</summary>
    public static IEnumerable<object[]> CodeSideCases =>
    [
        ["Clip to 0..127 (reduce_range)"], ["Relu on int8 codes"], ["Cast to the same type"], ["Identity"], ["MaxPool"], ["Transpose"], ["Reshape"], ["Slice"],
        ["Resize nearest"], ["Split"], ["Pad with the zero point's code"], ["Gather with constant indices"], ["Concat of equally quantized codes"],
        ["Unsqueeze then Squeeze"], ["Flatten then Reshape"],
    ];

    /// <summary>
    /// Semantics: the operator between DequantizeLinear and the Conv keeps every value on the
    /// input's grid (a Clip's bounds are grid values, Pad pads with real 0; Gather, Resize in
    /// nearest mode and Split copy elements), so the Conv reads the same int8 data with the same
    /// scale: bit-identical to ONNX Runtime.
    /// </summary>
    [TestMethod]
    [DynamicData(nameof(FloatSideCases))]
    public void FloatSide_PassesThroughBitIdentical(string operation)
    {
        byte[] model = Model(graph =>
        {
            string x = graph.DequantizedInput(DataType.Uint8);
            string result = operation switch
            {
                "Relu" => graph.Node("Relu", x),
                "Clip on the grid" => graph.Node("Clip", x, graph.Scalar(-0.25f), graph.Scalar(0.5f)),
                "MaxPool" => graph.Node("MaxPool", [x], node => node.WithInts("kernel_shape", 2, 2).WithInts("strides", 2, 2)),
                "GlobalMaxPool" => graph.Node("GlobalMaxPool", x),
                "Transpose" => graph.Node("Transpose", [x], node => node.WithInts("perm", 0, 1, 3, 2)),
                "Pad with zero" => graph.Node("Pad", x, graph.Int64s("pads", 0, 0, 1, 1, 0, 0, 1, 1)),
                "Identity and Cast to float" => graph.Node("Cast", [graph.Node("Identity", x)], node => node.WithInt("to", (long)DataType.Float)),
                "Concat of equally quantized tensors" => graph.Node("Conv", [graph.Node("Concat", [x, graph.Node("Relu", x)], node => node.WithInt("axis", 1)), graph.Weight(4, 8)]),
                "Slice" => graph.Node("Slice", x, graph.Int64s("starts", 1, 5), graph.Int64s("ends", 5, 0), graph.Int64s("axes", 3, 2), graph.Int64s("steps", 1, -2)),
                "Gather with constant indices" => graph.Node("Gather", [x, graph.Int64s("indices", 3, 0, 1, 2)], node => node.WithInt("axis", 1)),
                "Resize nearest" => graph.Resize(x),
                "Split, its parts joined again" => graph.SplitAndJoin(x),
                _ => graph.Node("Squeeze", graph.Node("Unsqueeze", x, graph.Int64s("axes", 0)), graph.Int64s("axes0", 0)),
            };
            return operation.StartsWith("Concat", StringComparison.Ordinal) ? result : graph.Node("Conv", result, graph.Weight(4, 4));
        });

        AssertBitIdentical(model);
    }

    /// <summary>
    /// Semantics: on the codes, Clip and Relu clamp at code values (uint8 0..127 is reduce_range's
    /// clamp; Relu on int8 codes clamps at code 0), Cast to the codes' own type and Identity change
    /// nothing, MaxPool, Transpose, Reshape and its kin, Slice, Resize, Split, Gather and Concat
    /// move codes, Pad writes a code (ONNX Runtime's QOperator format pads with the zero point's):
    /// bit-identical to ONNX Runtime.
    /// </summary>
    [TestMethod]
    [DynamicData(nameof(CodeSideCases))]
    public void CodeSide_PassesThroughBitIdentical(string operation)
    {
        DataType type = operation == "Relu on int8 codes" ? DataType.Int8 : DataType.Uint8;
        byte[] model = Model(graph =>
        {
            string codes = graph.QuantizedInput(type);
            string result = operation switch
            {
                "Clip to 0..127 (reduce_range)" => graph.Node("Clip", codes, string.Empty, graph.Code("max", 127, type)),
                "Relu on int8 codes" => graph.Node("Relu", codes),
                "Cast to the same type" => graph.Node("Cast", [codes], node => node.WithInt("to", (long)type)),
                "Identity" => graph.Node("Identity", codes),
                "MaxPool" => graph.Node("MaxPool", [codes], node => node.WithInts("kernel_shape", 3, 3).WithInts("strides", 1, 1)),
                "Transpose" => graph.Node("Transpose", [codes], node => node.WithInts("perm", 0, 1, 3, 2)),
                "Slice" => graph.Node("Slice", codes, graph.Int64s("starts", 0), graph.Int64s("ends", 4), graph.Int64s("axes", -1)),
                "Resize nearest" => graph.Resize(codes),
                "Split" => graph.SplitAndJoin(codes, joinOnCodes: true),
                "Pad with the zero point's code" => graph.Node("Pad", codes, graph.Int64s("pads", 0, 0, 1, 1, 0, 0, 1, 1), graph.Code("pad_code", 128, type)),
                "Gather with constant indices" => graph.Node("Gather", [codes, graph.Int64s("indices", 5, 0, 2)], node => node.WithInt("axis", -1)),
                "Concat of equally quantized codes" => graph.Node("Concat", [codes, graph.Node("MaxPool", [codes], node => node.WithInts("kernel_shape", 1, 2).WithInts("pads", 0, 0, 0, 1))], node => node.WithInt("axis", 3)),
                "Unsqueeze then Squeeze" => graph.Node("Squeeze", graph.Node("Unsqueeze", codes, graph.Int64s("axes", 0)), graph.Int64s("axes0", 0)),
                "Flatten then Reshape" => graph.Node("Reshape", graph.Node("Flatten", [codes], node => node.WithInt("axis", 2)), graph.Int64s("shape", 1, 4, 6, 6)),
                _ => graph.Node("Reshape", codes, graph.Int64s("shape", 1, 4, 3, 12)),
            };
            return graph.Node("Conv", graph.Dequantize(result, type), graph.Weight(4, 4));
        });

        AssertBitIdentical(model);
    }

    /// <summary>
    /// Semantics: a clamp of the codes that nothing else reads (PyTorch's
    /// QuantizeLinear → Clip(0, 127) → DequantizeLinear after a Conv) becomes the Conv's output
    /// range: the integer model is one Conv2D, no operator for the Clip.
    /// </summary>
    [TestMethod]
    public void ClipOfCodesAfterConv_BecomesTheConvOutputRange()
    {
        var graph = new PassThroughGraph();
        string conv = graph.Node("Conv", graph.DequantizedInput(DataType.Uint8), graph.Weight(4, 4));
        string codes = graph.Quantize(conv, DataType.Uint8, OutputScale);
        string clipped = graph.Node("Clip", codes, string.Empty, graph.Code("max", 127, DataType.Uint8));
        graph.Builder.AddNode("DequantizeLinear", [clipped, graph.Scalar(OutputScale), graph.Code("output_zero_point", 128, DataType.Uint8)], ["y"]);
        graph.Builder.AddOutput("y", DataType.Float, 1, 4, 6, 6);
        byte[] model = graph.Builder.ToBytes();

        ConversionResult conversion = AssertBitIdentical(model);
        CollectionAssert.AreEqual(new[] { OpCode.Conv2D }, conversion.Model.Operators.Select(op => op.OpCode).ToArray());
    }

    /// <summary>
    /// Semantics: a Clip on the float side whose bound is not a value of the quantized tensor
    /// (0.3 with a scale of 1/64) produces values the int8 tensor cannot hold; with nothing
    /// quantizing its result the converter refuses it, naming the node and what to do.
    /// </summary>
    [TestMethod]
    public void ClipOffTheGridWithoutQuantizeLinear_IsRefusedNamingTheNode()
    {
        byte[] model = Model(graph => graph.Node("Conv", graph.Node("Clip", graph.DequantizedInput(DataType.Uint8), graph.Scalar(0f), graph.Scalar(0.3f)), graph.Weight(4, 4)));

        AssertRefused(model, "Clip", "QuantizeLinear after it");
    }

    /// <summary>
    /// Semantics: Pad with a value that is not on the input's grid (0.3 with a scale of 1/64)
    /// writes values the int8 tensor cannot hold; with nothing quantizing its result it is refused.
    /// </summary>
    [TestMethod]
    public void PadWithAValueOffTheGridWithoutQuantizeLinear_IsRefusedNamingTheNode()
    {
        byte[] model = Model(graph => graph.Node("Conv", graph.Node("Pad", graph.DequantizedInput(DataType.Uint8), graph.Int64s("pads", 0, 0, 1, 1, 0, 0, 1, 1), graph.Scalar(0.3f)), graph.Weight(4, 4)));

        AssertRefused(model, "Pad", "QuantizeLinear after it");
    }

    /// <summary>Semantics: a Cast of uint8 codes to int8 reinterprets them (200 becomes -56): not value-preserving, refused by name.</summary>
    [TestMethod]
    public void CastOfCodesToAnotherType_IsRefusedNamingTheNode()
    {
        byte[] model = Model(graph =>
        {
            string cast = graph.Node("Cast", [graph.QuantizedInput(DataType.Uint8)], node => node.WithInt("to", (long)DataType.Int8));
            return graph.Node("Conv", graph.Dequantize(cast, DataType.Int8), graph.Weight(4, 4));
        });

        AssertRefused(model, "Cast", "changes its values");
    }

    /// <summary>
    /// Semantics: Concat of tensors quantized with different scales gives values of two grids;
    /// with nothing quantizing the result there is no single scale for it: refused by name.
    /// </summary>
    [TestMethod]
    public void ConcatOfDifferentlyQuantizedTensorsWithoutQuantizeLinear_IsRefusedNamingTheNode()
    {
        byte[] model = Model(graph =>
        {
            string x = graph.DequantizedInput(DataType.Uint8);
            string other = graph.Dequantize(graph.Quantize(graph.Node("Relu", x), DataType.Uint8, InputScale * 2), DataType.Uint8, InputScale * 2);
            return graph.Node("Conv", graph.Node("Concat", [x, other], node => node.WithInt("axis", 1)), graph.Weight(4, 8));
        });

        AssertRefused(model, "Concat", "QuantizeLinear after it");
    }

    /// <summary>
    /// Semantics: Resize in linear mode computes values between the input's (their weighted
    /// mean), which are not on its grid; with nothing quantizing its result the converter refuses
    /// it, naming the node and the one mode that passes through.
    /// </summary>
    [TestMethod]
    public void ResizeInLinearModeWithoutQuantizeLinear_IsRefusedNamingTheNode()
    {
        byte[] model = Model(graph => graph.Node("Conv", graph.Resize(graph.DequantizedInput(DataType.Uint8), mode: "linear"), graph.Weight(4, 4)));

        AssertRefused(model, "Resize", "only mode 'nearest'");
    }

    // The graph 'write' makes, ending in the float tensor it returns, quantized and dequantized as the output 'y'.
    private static byte[] Model(Func<PassThroughGraph, string> write)
    {
        var graph = new PassThroughGraph();
        string result = write(graph);
        string codes = graph.Quantize(result, DataType.Uint8, OutputScale);
        graph.Builder.AddNode("DequantizeLinear", [codes, graph.Scalar(OutputScale), graph.Code("output_zero_point", 128, DataType.Uint8)], ["y"]);
        graph.Builder.AddOutput("y", DataType.Float, null);
        return graph.Builder.ToBytes();
    }

    private static ConversionResult AssertBitIdentical(byte[] model)
    {
        var random = new Random(12);
        NpyArray[] inputs = Enumerable.Range(0, 24)
            .Select(_ => new NpyArray(Enumerable.Range(0, 4 * 6 * 6).Select(_ => (float)(random.NextDouble() * 4 - 2)).ToArray(), 1, 4, 6, 6))
            .ToArray();
        OrtAgreement agreement = OrtAgreement.Measure(model, inputs, new ConversionOptions(), GraphOptimizationLevel.ORT_DISABLE_ALL);
        Assert.AreEqual(agreement.Compared, agreement.Identical, agreement.ToString());
        Assert.IsTrue(agreement.Compared > 0);
        return agreement.Conversion;
    }

    private static void AssertRefused(byte[] model, string operatorType, string advice)
    {
        // The model is valid: ONNX Runtime runs it.
        new OnnxRuntimeRunner().Run(model, new Dictionary<string, NpyArray> { ["x"] = new(new float[4 * 6 * 6], 1, 4, 6, 6) });

        ConversionException exception = Assert.ThrowsExactly<ConversionException>(() => OnnxConverter.Convert(OnnxModel.Load(model)));
        Assert.AreEqual(operatorType, exception.OperatorType, exception.Message);
        Assert.Contains($"'{exception.NodeName}' ({operatorType})", exception.Message);
        Assert.Contains(advice, exception.Message);
    }

    /// <summary>A graph with input x [1, 4, 6, 6] and power-of-two scales, written node by node.</summary>
    private sealed class PassThroughGraph
    {
        private int _names;

        public PassThroughGraph()
        {
            Builder.AddInput("x", DataType.Float, 1, 4, 6, 6);
        }

        // Opset 14: Relu on int8 codes needs it (MaxPool and Clip take 8-bit integers from 12).
        public OnnxGraphBuilder Builder { get; } = new("pass_through", 14) { IrVersion = 7 };

        public string QuantizedInput(DataType type) => Quantize("x", type, InputScale);

        public string DequantizedInput(DataType type) => Dequantize(QuantizedInput(type), type);

        public string Quantize(string tensor, DataType type, float scale)
        {
            string codes = Unique("codes");
            Builder.AddNode("QuantizeLinear", [tensor, Scalar(scale), ZeroPoint(type)], [codes]);
            return codes;
        }

        public string Dequantize(string codes, DataType type, float scale = InputScale)
        {
            string values = Unique("values");
            Builder.AddNode("DequantizeLinear", [codes, Scalar(scale), ZeroPoint(type)], [values]);
            return values;
        }

        public string Node(string opType, params string[] inputs) => Node(opType, inputs, _ => { });

        public string Node(string opType, string[] inputs, Action<OnnxNodeBuilder> attributes)
        {
            string output = Unique(opType.ToLowerInvariant());
            attributes(Builder.AddNode(opType, inputs, [output]).WithName(output));
            return output;
        }

        public string Scalar(float value)
        {
            string name = Unique("scalar");
            Builder.AddInitializer(name, [value], []);
            return name;
        }

        public string Code(string stem, int value, DataType type)
        {
            string name = Unique(stem);
            if (type == DataType.Uint8)
            {
                Builder.AddInitializer(name, [(byte)value], []);
            }
            else
            {
                Builder.AddInitializer(name, [(sbyte)value], []);
            }

            return name;
        }

        public string Int64s(string stem, params long[] values)
        {
            string name = Unique(stem);
            Builder.AddInitializer(name, values, [values.Length]);
            return name;
        }

        // Resize by 2 along height and width, as PyTorch's nn.Upsample(scale_factor=2) exports it.
        public string Resize(string input, string mode = "nearest")
        {
            string scales = Unique("scales");
            Builder.AddInitializer(scales, [1f, 1f, 2f, 2f], [4]);
            string output = Unique("resize");
            Builder.AddNode("Resize", [input, string.Empty, scales], [output]).WithName(output).WithString("mode", mode)
                .WithString("coordinate_transformation_mode", "asymmetric").WithString("nearest_mode", "floor");
            return output;
        }

        // Split into channels 0..2 and 3, joined again in the other order (a tensor of the input's
        // shape); on the codes the parts are joined after their DequantizeLinear.
        public string SplitAndJoin(string input, bool joinOnCodes = false)
        {
            string first = Unique("part");
            string second = Unique("part");
            Builder.AddNode("Split", [input, Int64s("split", 3, 1)], [first, second]).WithName(Unique("split")).WithInt("axis", 1);
            if (joinOnCodes)
            {
                (first, second) = (Dequantize(first, DataType.Uint8), Dequantize(second, DataType.Uint8));
                string joined = Node("Concat", [second, first], node => node.WithInt("axis", 1));
                return Quantize(joined, DataType.Uint8, InputScale);
            }

            return Node("Concat", [second, first], node => node.WithInt("axis", 1));
        }

        // 1x1 int8 weights of a Conv with 'inputs' input channels, dequantized.
        public string Weight(int outputs, int inputs)
        {
            string name = Unique("weight");
            Builder.AddInitializer(name, Enumerable.Range(0, outputs * inputs).Select(i => (sbyte)((i * 7 % 17) - 8)).ToArray(), [outputs, inputs, 1, 1]);
            return Dequantize(name, DataType.Int8, WeightScale);
        }

        private string ZeroPoint(DataType type) => type == DataType.Uint8 ? Code("zero_point", 128, type) : Code("zero_point", 0, type);

        private string Unique(string stem) => $"{stem}_{++_names}";
    }
}
