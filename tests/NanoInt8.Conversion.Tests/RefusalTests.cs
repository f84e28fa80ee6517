using NanoInt8.Host.Conversion;
using NanoInt8.Onnx;
using DataType = NanoInt8.Onnx.Protobuf.TensorProto.Types.DataType;

namespace NanoInt8.Conversion.Tests;

/// <summary>
/// Models the converter must refuse with a <see cref="ConversionException"/> whose message names
/// the node and its operator. Each model first runs in ONNX Runtime, so the refusal is about
/// NanoInt8's support, not about a broken model.
/// </summary>
[TestClass]
public sealed class RefusalTests
{
    /// <summary>
    /// Semantics: a float-only model (no QuantizeLinear/DequantizeLinear anywhere) has no
    /// quantization parameters to take, so no integer model exists for it; the converter must say
    /// so rather than invent scales.
    /// </summary>
    [TestMethod]
    public void Convert_FloatOnlyModel_ThrowsNamingTheNodeAndOperator()
    {
        var builder = new OnnxGraphBuilder("float_only", 13) { IrVersion = 7 };
        builder.AddInput("x", DataType.Float, 1, 3, 8, 8);
        builder.AddInitializer("weight", Enumerable.Range(0, 4 * 3 * 3 * 3).Select(index => ((index % 7) - 3) * 0.1f).ToArray(), [4, 3, 3, 3]);
        builder.AddInitializer("bias", [0.1f, -0.2f, 0.3f, 0f], [4]);
        builder.AddNode("Conv", ["x", "weight", "bias"], ["y"]).WithName("float_conv").WithInts("pads", 1, 1, 1, 1);
        builder.AddOutput("y", DataType.Float, 1, 4, 8, 8);

        AssertRefused(builder.ToBytes(), new Dictionary<string, NpyArray> { ["x"] = new(new float[3 * 8 * 8], 1, 3, 8, 8) }, "float_conv", "Conv");
    }

    /// <summary>
    /// Semantics: DynamicQuantizeLinear computes its scale and zero point from each input at run
    /// time (dynamic quantization); the device works with parameters fixed at conversion, so the
    /// model is refused at that node.
    /// </summary>
    [TestMethod]
    public void Convert_DynamicQuantizeLinear_ThrowsNamingTheNodeAndOperator()
    {
        var builder = new OnnxGraphBuilder("dynamic", 13) { IrVersion = 7 };
        builder.AddInput("x", DataType.Float, 1, 16);
        builder.AddInitializer("weight", Enumerable.Range(0, 16 * 4).Select(index => (sbyte)((index * 37 % 255) - 127)).ToArray(), [16, 4]);
        builder.AddInitializer("weight_zero_point", [(sbyte)0], []);
        builder.AddInitializer("weight_scale", [0.01f], []);
        builder.AddNode("DynamicQuantizeLinear", ["x"], ["x_quantized", "x_scale", "x_zero_point"]).WithName("dynamic_quantize");
        builder.AddNode("MatMulInteger", ["x_quantized", "weight", "x_zero_point", "weight_zero_point"], ["accumulator"]).WithName("matmul_integer");
        builder.AddNode("Cast", ["accumulator"], ["accumulator_float"]).WithInt("to", (long)DataType.Float);
        builder.AddNode("Mul", ["x_scale", "weight_scale"], ["scale"]);
        builder.AddNode("Mul", ["accumulator_float", "scale"], ["y"]);
        builder.AddOutput("y", DataType.Float, 1, 4);

        float[] input = Enumerable.Range(0, 16).Select(index => (index - 8) * 0.25f).ToArray();
        AssertRefused(builder.ToBytes(), new Dictionary<string, NpyArray> { ["x"] = new(input, 1, 16) }, "dynamic_quantize", "DynamicQuantizeLinear");
    }

    /// <summary>
    /// Semantics: Einsum is not among the operators NanoInt8 implements; inside an otherwise
    /// well-formed QDQ graph (its inputs dequantized, its output quantized) it must be refused by
    /// name, not skipped or approximated.
    /// </summary>
    [TestMethod]
    public void Convert_EinsumInsideQdqGraph_ThrowsNamingTheNodeAndOperator()
    {
        var builder = new OnnxGraphBuilder("einsum", 13) { IrVersion = 7 };
        builder.AddInput("x", DataType.Float, 2, 8);
        AddQuantizeDequantize(builder, "x", "x_dequantized", 0.05f);
        builder.AddInitializer("weight", Enumerable.Range(0, 8 * 4).Select(index => (sbyte)((index * 29 % 255) - 127)).ToArray(), [8, 4]);
        builder.AddInitializer("weight_scale", [0.01f], []);
        builder.AddInitializer("weight_zero_point", [(sbyte)0], []);
        builder.AddNode("DequantizeLinear", ["weight", "weight_scale", "weight_zero_point"], ["weight_dequantized"]);
        builder.AddNode("Einsum", ["x_dequantized", "weight_dequantized"], ["product"]).WithName("unsupported_einsum").WithString("equation", "ij,jk->ik");
        AddQuantizeDequantize(builder, "product", "y", 0.02f);
        builder.AddOutput("y", DataType.Float, 2, 4);

        float[] input = Enumerable.Range(0, 16).Select(index => (index - 8) * 0.1f).ToArray();
        AssertRefused(builder.ToBytes(), new Dictionary<string, NpyArray> { ["x"] = new(input, 2, 8) }, "unsupported_einsum", "Einsum");
    }

    /// <summary>
    /// Semantics: LSTM (a recurrent operator with internal float state) is not implemented by
    /// NanoInt8; inside a QDQ graph it must be refused by name.
    /// </summary>
    [TestMethod]
    public void Convert_LstmInsideQdqGraph_ThrowsNamingTheNodeAndOperator()
    {
        const int sequence = 3;
        const int inputSize = 4;
        const int hidden = 5;
        var builder = new OnnxGraphBuilder("lstm", 13) { IrVersion = 7 };
        builder.AddInput("x", DataType.Float, sequence, 1, inputSize);
        AddQuantizeDequantize(builder, "x", "x_dequantized", 0.05f);
        builder.AddInitializer("w", Enumerable.Range(0, 4 * hidden * inputSize).Select(index => (sbyte)((index * 31 % 255) - 127)).ToArray(), [1, 4 * hidden, inputSize]);
        builder.AddInitializer("r", Enumerable.Range(0, 4 * hidden * hidden).Select(index => (sbyte)((index * 17 % 255) - 127)).ToArray(), [1, 4 * hidden, hidden]);
        builder.AddInitializer("weight_scale", [0.005f], []);
        builder.AddInitializer("weight_zero_point", [(sbyte)0], []);
        builder.AddNode("DequantizeLinear", ["w", "weight_scale", "weight_zero_point"], ["w_dequantized"]);
        builder.AddNode("DequantizeLinear", ["r", "weight_scale", "weight_zero_point"], ["r_dequantized"]);
        builder.AddNode("LSTM", ["x_dequantized", "w_dequantized", "r_dequantized"], ["hidden_states"]).WithName("unsupported_lstm").WithInt("hidden_size", hidden);
        AddQuantizeDequantize(builder, "hidden_states", "y", 0.01f);
        builder.AddOutput("y", DataType.Float, sequence, 1, 1, hidden);

        float[] input = Enumerable.Range(0, sequence * inputSize).Select(index => (index - 6) * 0.1f).ToArray();
        AssertRefused(builder.ToBytes(), new Dictionary<string, NpyArray> { ["x"] = new(input, sequence, 1, inputSize) }, "unsupported_lstm", "LSTM");
    }

    private static void AddQuantizeDequantize(OnnxGraphBuilder builder, string input, string output, float scale)
    {
        builder.AddInitializer(input + "_scale", [scale], []);
        builder.AddInitializer(input + "_zero_point", [(byte)128], []);
        builder.AddNode("QuantizeLinear", [input, input + "_scale", input + "_zero_point"], [input + "_quantized"]);
        builder.AddNode("DequantizeLinear", [input + "_quantized", input + "_scale", input + "_zero_point"], [output]);
    }

    private static void AssertRefused(byte[] model, Dictionary<string, NpyArray> inputs, string nodeName, string operatorType)
    {
        // The model is valid: ONNX Runtime runs it.
        new OnnxRuntimeRunner().Run(model, inputs);

        ConversionException exception = Assert.ThrowsExactly<ConversionException>(() => OnnxConverter.Convert(OnnxModel.Load(model)));
        Assert.Contains(nodeName, exception.Message, $"The message does not name the node: {exception.Message}");
        Assert.Contains(operatorType, exception.Message, $"The message does not name the operator: {exception.Message}");
    }
}
