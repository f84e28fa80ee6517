using Microsoft.ML.OnnxRuntime;
using NanoInt8.Host.Conversion;
using NanoInt8.Host.Quantization;
using NanoInt8.Onnx;
using NanoInt8.Onnx.Protobuf;
using DataType = NanoInt8.Onnx.Protobuf.TensorProto.Types.DataType;

namespace NanoInt8.Exporters.Tests;

/// <summary>
/// Exporters that cannot be installed on the project's machines, imitated: their documented
/// graph patterns written with the project's own ONNX builder (<see cref="ImitationGraph"/>)
/// around the CNN of the PyTorch fixtures (its QAT-trained float weights, read from
/// cnn_qat_fbgemm_fakequant.onnx), calibrated and run on the held-out digits. Each test names the
/// exporter and version it imitates and the facts of its layout (read in the exporters' sources:
/// torch.ao.quantization's XNNPACKQuantizer and onnxscript's torchlib for PyTorch 2.x,
/// onnxruntime.quantization for quantize_static).
/// </summary>
/// <remarks>
/// Every model: converts without re-quantizing a weight (asymmetric weights too: their centred
/// values, beyond int8, are split into int8 lanes over a repeated input); q31 is within one step
/// of ONNX Runtime at ORT_ENABLE_BASIC on every value and identical on at least 99.5 %; exact is
/// identical to ONNX Runtime's integer kernels (ORT_ENABLE_EXTENDED) on every value.
/// </remarks>
[TestClass]
public sealed class ExporterImitationTests
{
    private static readonly Lazy<Cnn> s_cnn = new(Cnn.FromFixture);

    public TestContext TestContext { get; set; } = null!;

    /// <summary>
    /// PyTorch 2.x <c>prepare_pt2e</c>/<c>convert_pt2e</c> with <c>XNNPACKQuantizer</c> and
    /// <c>get_symmetric_quantization_config(is_per_channel=True)</c>, exported with
    /// <c>torch.onnx.export(dynamo=True)</c> (torch 2.5-2.9, onnxscript's torchlib) at opset 18:
    /// int8 activations (-128..127, asymmetric); weights folded to int8 constants (-127..127,
    /// symmetric per channel, axis 0) whose int64 zero points torchlib casts to int8; biases left
    /// in float; Conv+ReLU quantized after the ReLU; MaxPool's output sharing its input's
    /// quantization; the flatten a Reshape to a constant shape; Linear a Gemm with transB=1;
    /// activation scales and zero points as Constant nodes.
    /// </summary>
    [TestMethod]
    [DataRow(18L)]
    [DataRow(21L)]
    public void PyTorch2Pt2eXnnpackDynamo_ConvertsAndAgrees(long opset)
    {
        Cnn cnn = s_cnn.Value;
        byte[] model = ImitationGraph.Write(opset, graph =>
        {
            const ActivationScheme Int8 = ActivationScheme.Int8Asymmetric;
            graph.Builder.AddInput("input", DataType.Float, 1, 1, 8, 8);
            string x = graph.Activation("input", Int8, asConstants: true);
            string conv1 = ConvRelu(graph, "conv1", x, graph.Weight("conv1.weight", cnn.Conv1Weight, [8, 1, 3, 3], WeightScheme.Symmetric, zeroPointsCastFromInt64: true).Name, FloatBias(graph, "conv1.bias", cnn.Conv1Bias));
            string relu1 = graph.Activation(conv1, Int8, asConstants: true);
            string conv2 = ConvRelu(graph, "conv2", relu1, graph.Weight("conv2.weight", cnn.Conv2Weight, [16, 8, 3, 3], WeightScheme.Symmetric, zeroPointsCastFromInt64: true).Name, FloatBias(graph, "conv2.bias", cnn.Conv2Bias));
            string relu2 = graph.Activation(conv2, Int8, asConstants: true);
            string pooled = graph.Activation(MaxPool(graph, relu2), Int8, sharedWith: conv2, asConstants: true);
            Pt2eFlattenLinear(graph, cnn, pooled, conv2);
        }, cnn.Calibration);

        AssertAgrees(model, cnn, $"pt2e XNNPACK dynamo opset {opset}");
    }

    /// <summary>
    /// PyTorch 2.x <c>torch.onnx.export(dynamo=False)</c> (the TorchScript exporter) at opset 17
    /// of an eager-mode converted int8 model with a dynamic batch: the same symbolic functions as
    /// torch 1.13 (the fixtures), so the same patterns at a later opset: a uint8→uint8 Cast after
    /// every QuantizeLinear, int32 biases dequantized with a zero point made by Cast(ConstantOfShape),
    /// Conv → Relu → QuantizeLinear, MaxPool between DequantizeLinear and QuantizeLinear of the
    /// same parameters, and the flatten a Reshape whose target a Shape → Gather → Unsqueeze →
    /// Concat subgraph computes from the dynamic batch.
    /// </summary>
    [TestMethod]
    public void PyTorch2TorchScriptInt8_ConvertsAndAgrees()
    {
        Cnn cnn = s_cnn.Value;
        byte[] model = ImitationGraph.Write(17, graph =>
        {
            const ActivationScheme UInt8 = ActivationScheme.UInt8Asymmetric;
            graph.Builder.AddInput("input", DataType.Float, OnnxDimension.Symbolic("batch"), 1, 8, 8);
            string x = graph.Activation("input", UInt8, castCodes: true);
            string conv1 = ConvRelu(graph, "conv1", x, graph.Weight("conv1.weight", cnn.Conv1Weight, [8, 1, 3, 3], WeightScheme.Symmetric).Name,
                TorchScriptBias(graph, "conv1.bias", cnn.Conv1Bias, "input", cnn.Conv1Weight));
            string relu1 = graph.Activation(conv1, UInt8, castCodes: true);
            string conv2 = ConvRelu(graph, "conv2", relu1, graph.Weight("conv2.weight", cnn.Conv2Weight, [16, 8, 3, 3], WeightScheme.Symmetric).Name,
                TorchScriptBias(graph, "conv2.bias", cnn.Conv2Bias, conv1, cnn.Conv2Weight));
            string relu2 = graph.Activation(conv2, UInt8, castCodes: true);
            string pooled = graph.Activation(MaxPool(graph, relu2), UInt8, sharedWith: conv2, castCodes: true);
            graph.Builder.AddNode("Shape", [pooled], ["shape"]);
            graph.Builder.AddInitializer("zero", [0L], []);
            graph.Builder.AddNode("Gather", ["shape", "zero"], ["batch"]).WithInt("axis", 0);
            graph.Builder.AddInitializer("axes", [0L], [1]);
            graph.Builder.AddNode("Unsqueeze", ["batch", "axes"], ["batch_1d"]);
            graph.Builder.AddInitializer("rest", [-1L], [1]);
            graph.Builder.AddNode("Concat", ["batch_1d", "rest"], ["target"]).WithInt("axis", 0);
            graph.Builder.AddNode("Reshape", [pooled, "target"], ["flat"]);
            string flat = graph.Activation("flat", UInt8, sharedWith: conv2, castCodes: true);
            graph.Builder.AddNode("Gemm", [flat, graph.Weight("fc.weight", cnn.FcWeight, [10, 256], WeightScheme.Symmetric).Name,
                TorchScriptBias(graph, "fc.bias", cnn.FcBias, conv2, cnn.FcWeight)], ["fc"]).WithInt("transB", 1);
            graph.Builder.AddNode("Identity", [graph.Activation("fc", UInt8, castCodes: true)], ["logits"]);
            graph.Builder.AddOutput("logits", DataType.Float, OnnxDimension.Symbolic("batch"), 10);
        }, cnn.Calibration);

        AssertAgrees(model, cnn, "TorchScript int8 opset 17");
    }

    /// <summary>
    /// ONNX Runtime's <c>quantize_static</c> (onnxruntime 1.16-1.22), QDQ format, opset 13, with
    /// the options given: activations uint8 asymmetric (QUInt8) or, with ActivationSymmetric,
    /// int8 with zero point 0 (QInt8, -127..127); weights int8 (QInt8), symmetric -127..127, or
    /// -64..64 with reduce_range, or asymmetric -128..127 with a zero point with
    /// WeightSymmetric=False, per channel (axis 0) or per tensor; biases int32 in units of input
    /// scale × weight scale behind a DequantizeLinear; with weight_type=QUInt8 the weights are
    /// uint8 with a zero point per channel (asymmetric, its default for that type); a ReLU after a Conv removed (its output
    /// range given to the Conv's QuantizeLinear) unless activations are symmetric, where it keeps
    /// QuantizeLinear/DequantizeLinear of its own; MaxPool and Flatten between
    /// DequantizeLinear/QuantizeLinear pairs of their input's parameters.
    /// </summary>
    [TestMethod]
    [DataRow(ActivationScheme.UInt8Asymmetric, WeightScheme.Symmetric, true, DisplayName = "defaults, per channel")]
    [DataRow(ActivationScheme.UInt8Asymmetric, WeightScheme.SymmetricReducedRange, false, DisplayName = "reduce_range, per tensor")]
    [DataRow(ActivationScheme.Int8Symmetric, WeightScheme.Symmetric, true, DisplayName = "ActivationSymmetric, QInt8 activations")]
    [DataRow(ActivationScheme.UInt8Asymmetric, WeightScheme.Asymmetric, true, DisplayName = "WeightSymmetric=False")]
    [DataRow(ActivationScheme.UInt8Asymmetric, WeightScheme.Asymmetric, false, DisplayName = "WeightSymmetric=False, per tensor")]
    [DataRow(ActivationScheme.UInt8Asymmetric, WeightScheme.AsymmetricUInt8, true, DisplayName = "weight_type=QUInt8 (asymmetric uint8 weights)")]
    public void OnnxRuntimeQuantizeStaticQdq_ConvertsAndAgrees(ActivationScheme activations, WeightScheme weights, bool perChannel)
    {
        Cnn cnn = s_cnn.Value;
        bool keepsRelu = activations == ActivationScheme.Int8Symmetric;
        byte[] model = ImitationGraph.Write(13, graph =>
        {
            graph.Builder.AddInput("input", DataType.Float, 1, 1, 8, 8);
            string x = graph.Activation("input", activations);
            string conv1 = OnnxRuntimeConv(graph, x, "input", "conv1", cnn.Conv1Weight, [8, 1, 3, 3], cnn.Conv1Bias, weights, perChannel, activations, keepsRelu);
            string conv2 = OnnxRuntimeConv(graph, conv1, "conv1_relu", "conv2", cnn.Conv2Weight, [16, 8, 3, 3], cnn.Conv2Bias, weights, perChannel, activations, keepsRelu);
            const string relu2 = "conv2_relu";
            string pooled = graph.Activation(MaxPool(graph, conv2), activations, sharedWith: relu2);
            graph.Builder.AddNode("Flatten", [pooled], ["flat"]).WithInt("axis", 1);
            string flat = graph.Activation("flat", activations, sharedWith: relu2);
            (string fcWeight, _, float[] fcScales, _) = graph.Weight("fc.weight", cnn.FcWeight, [10, 256], weights, perChannel);
            string fcBias = graph.Int32Bias("fc.bias", cnn.FcBias, graph.ActivationParameters(relu2, activations).Scale, fcScales);
            graph.Builder.AddNode("Gemm", [flat, fcWeight, fcBias], ["fc"]).WithInt("transB", 1);
            graph.Builder.AddNode("Identity", [graph.Activation("fc", activations)], ["logits"]);
            graph.Builder.AddOutput("logits", DataType.Float, 1, 10);
        }, cnn.Calibration);

        AssertAgrees(model, cnn, $"quantize_static QDQ {activations} {weights} per-channel={perChannel}");
    }

    /// <summary>
    /// ONNX Runtime's <c>quantize_static</c> (onnxruntime 1.16-1.22), QOperator format, opset 13,
    /// per channel: QuantizeLinear at the input, QLinearConv (uint8 activations, int8 weights,
    /// int32 bias; the ReLU removed into its output range), MaxPool and Flatten running on the
    /// uint8 codes themselves (the quantizer's Direct8BitOp: the output keeps the input's scale
    /// and zero point), QGemm (com.microsoft) for the Linear, DequantizeLinear at the output.
    /// </summary>
    [TestMethod]
    public void OnnxRuntimeQuantizeStaticQOperator_ConvertsAndAgrees()
    {
        Cnn cnn = s_cnn.Value;
        byte[] model = ImitationGraph.Write(13, graph =>
        {
            const ActivationScheme UInt8 = ActivationScheme.UInt8Asymmetric;
            graph.Builder.AddOpsetImport(OnnxModel.MicrosoftDomain, 1);
            graph.Builder.AddInput("input", DataType.Float, 1, 1, 8, 8);
            if (graph.Calibrating)
            {
                // The float model the quantizer starts from, with its tensors observed.
                string x = graph.Activation("input", UInt8);
                string relu1 = graph.Activation(ConvRelu(graph, "conv1", x, graph.Weight("conv1.weight", cnn.Conv1Weight, [8, 1, 3, 3], WeightScheme.Symmetric).Name, FloatBias(graph, "conv1.bias", cnn.Conv1Bias)), UInt8);
                string relu2 = graph.Activation(ConvRelu(graph, "conv2", relu1, graph.Weight("conv2.weight", cnn.Conv2Weight, [16, 8, 3, 3], WeightScheme.Symmetric).Name, FloatBias(graph, "conv2.bias", cnn.Conv2Bias)), UInt8);
                graph.Builder.AddNode("Flatten", [MaxPool(graph, relu2)], ["flat"]).WithInt("axis", 1);
                graph.Builder.AddNode("Gemm", ["flat", graph.Weight("fc.weight", cnn.FcWeight, [10, 256], WeightScheme.Symmetric).Name, FloatBias(graph, "fc.bias", cnn.FcBias)], ["fc"]).WithInt("transB", 1);
                graph.Builder.AddNode("Identity", [graph.Activation("fc", UInt8)], ["logits"]);
            }
            else
            {
                (string inputScale, string inputZeroPoint) = UnsignedParameters(graph, "input");
                graph.Builder.AddNode("QuantizeLinear", ["input", inputScale, inputZeroPoint], ["input_quantized"]);
                (string scale1, string zeroPoint1) = UnsignedParameters(graph, "conv1_relu");
                QLinearConv(graph, "input_quantized", inputScale, inputZeroPoint, "input", "conv1", cnn.Conv1Weight, [8, 1, 3, 3], cnn.Conv1Bias, scale1, zeroPoint1, "conv1_quantized");
                (string scale2, string zeroPoint2) = UnsignedParameters(graph, "conv2_relu");
                QLinearConv(graph, "conv1_quantized", scale1, zeroPoint1, "conv1_relu", "conv2", cnn.Conv2Weight, [16, 8, 3, 3], cnn.Conv2Bias, scale2, zeroPoint2, "conv2_quantized");
                graph.Builder.AddNode("MaxPool", ["conv2_quantized"], ["pooled_quantized"]).WithInts("kernel_shape", 2, 2).WithInts("strides", 2, 2);
                graph.Builder.AddNode("Flatten", ["pooled_quantized"], ["flat_quantized"]).WithInt("axis", 1);
                (string fcWeight, string fcWeightScale, string fcWeightZeroPoint, float[] fcScales) = QuantizedWeightInputs(graph, "fc", cnn.FcWeight, [10, 256]);
                float flatScale = graph.ActivationParameters("conv2_relu", UInt8).Scale;
                graph.Builder.AddInitializer("fc_bias", cnn.FcBias.Select((b, c) => (int)MathF.Round(b / (flatScale * fcScales[c]), MidpointRounding.ToEven)).ToArray(), [10]);
                (string outputScale, string outputZeroPoint) = UnsignedParameters(graph, "fc");
                graph.Builder.AddNode("QGemm", ["flat_quantized", scale2, zeroPoint2, fcWeight, fcWeightScale, fcWeightZeroPoint, "fc_bias", outputScale, outputZeroPoint], ["fc_quantized"])
                    .WithDomain(OnnxModel.MicrosoftDomain).WithInt("transB", 1);
                graph.Builder.AddNode("DequantizeLinear", ["fc_quantized", outputScale, outputZeroPoint], ["logits"]);
            }

            graph.Builder.AddOutput("logits", DataType.Float, 1, 10);
        }, cnn.Calibration);

        AssertAgrees(model, cnn, "quantize_static QOperator");
    }

    /// <summary>
    /// PyTorch 2.x <c>quantize_pt2e</c> with <c>XNNPACKQuantizer</c> exported by
    /// <c>torch.onnx.export(dynamo=True)</c> at opset 18, a U-Net-style decoder step:
    /// <c>F.interpolate(scale_factor=2, mode="nearest")</c> as onnxscript's torchlib writes
    /// <c>aten::upsample_nearest2d</c> (torch 2.5-2.9): <c>Resize(x, None, None, sizes)</c> with
    /// mode nearest, coordinate_transformation_mode asymmetric and nearest_mode floor, the sizes a
    /// <c>Concat</c> of <c>Shape(x, start=0, end=2)</c> and the constant output size. The
    /// upsampled tensor quantized with its input's parameters (an observer shared with it) or with
    /// its own (the next convolution's input observer): both are checked. Around it the CNN's
    /// layers: Conv+ReLU, MaxPool, Conv+ReLU at 4x4, the upsampling back to 8x8, MaxPool, Gemm.
    /// </summary>
    [TestMethod]
    [DataRow(true, DisplayName = "upsampling sharing its input's quantization")]
    [DataRow(false, DisplayName = "upsampling quantized with its own parameters")]
    public void PyTorch2Pt2eDynamoUpsample_ConvertsAndAgrees(bool shared)
    {
        Cnn cnn = s_cnn.Value;
        byte[] model = ImitationGraph.Write(18, graph =>
        {
            const ActivationScheme Int8 = ActivationScheme.Int8Asymmetric;
            graph.Builder.AddInput("input", DataType.Float, 1, 1, 8, 8);
            string x = graph.Activation("input", Int8, asConstants: true);
            string conv1 = ConvRelu(graph, "conv1", x, graph.Weight("conv1.weight", cnn.Conv1Weight, [8, 1, 3, 3], WeightScheme.Symmetric, zeroPointsCastFromInt64: true).Name, FloatBias(graph, "conv1.bias", cnn.Conv1Bias));
            string relu1 = graph.Activation(conv1, Int8, asConstants: true);
            graph.Builder.AddNode("MaxPool", [relu1], ["down"]).WithInts("kernel_shape", 2, 2).WithInts("strides", 2, 2);
            string down = graph.Activation("down", Int8, sharedWith: conv1, asConstants: true);
            string conv2 = ConvRelu(graph, "conv2", down, graph.Weight("conv2.weight", cnn.Conv2Weight, [16, 8, 3, 3], WeightScheme.Symmetric, zeroPointsCastFromInt64: true).Name, FloatBias(graph, "conv2.bias", cnn.Conv2Bias));
            string relu2 = graph.Activation(conv2, Int8, asConstants: true);
            graph.Builder.AddNode("Shape", [relu2], ["batch_and_channels"]).WithInt("start", 0).WithInt("end", 2);
            graph.Builder.AddNode("Constant", [], ["output_size"]).WithTensor("value", TensorData.Create("output_size", [8L, 8L], [2]));
            graph.Builder.AddNode("Concat", ["batch_and_channels", "output_size"], ["sizes"]).WithInt("axis", 0);
            graph.Builder.AddNode("Resize", [relu2, string.Empty, string.Empty, "sizes"], ["upsampled"]).WithString("mode", "nearest")
                .WithString("coordinate_transformation_mode", "asymmetric").WithString("nearest_mode", "floor");
            string upsampled = graph.Activation("upsampled", Int8, sharedWith: shared ? conv2 : null, asConstants: true);
            graph.Builder.AddNode("MaxPool", [upsampled], ["pooled"]).WithInts("kernel_shape", 2, 2).WithInts("strides", 2, 2);
            string pooled = graph.Activation("pooled", Int8, sharedWith: shared ? conv2 : "upsampled", asConstants: true);
            Pt2eFlattenLinear(graph, cnn, pooled, shared ? conv2 : "upsampled");
        }, cnn.Calibration);

        AssertAgrees(model, cnn, $"pt2e XNNPACK dynamo upsampling, shared={shared}");
    }

    /// <summary>
    /// ONNX Runtime's <c>quantize_static</c> (onnxruntime 1.16-1.22), QOperator format, opset 13,
    /// on a U-Net-style model: the operators its quantizer runs on the uint8 codes themselves,
    /// each output keeping its input's scale and zero point: MaxPool (QMaxPool), Pad (QPad: with
    /// the input's zero point as constant_value where the float model padded with 0), Resize
    /// (QResize, a Direct8BitOp from opset 11), Split (QSplit), Flatten; QLinearConv for the
    /// convolutions, QLinearConcat (com.microsoft) for the concatenation (its own output
    /// parameters), QGemm for the Linear. Around the CNN's trained weights: Conv+ReLU, MaxPool,
    /// Pad 1, Conv+ReLU without padding at 4x4, Resize by 2, Split into halves concatenated the
    /// other way round, MaxPool, Flatten, Gemm.
    /// </summary>
    [TestMethod]
    public void OnnxRuntimeQuantizeStaticQOperatorUNet_ConvertsAndAgrees()
    {
        Cnn cnn = s_cnn.Value;
        byte[] model = ImitationGraph.Write(13, graph =>
        {
            const ActivationScheme UInt8 = ActivationScheme.UInt8Asymmetric;
            graph.Builder.AddOpsetImport(OnnxModel.MicrosoftDomain, 1);
            graph.Builder.AddInput("input", DataType.Float, 1, 1, 8, 8);
            graph.Builder.AddInitializer("pads", new long[] { 0, 0, 1, 1, 0, 0, 1, 1 }, [8]);
            graph.Builder.AddInitializer("scales", [1f, 1f, 2f, 2f], [4]);
            graph.Builder.AddInitializer("halves", new long[] { 8, 8 }, [2]);
            if (graph.Calibrating)
            {
                // The float model the quantizer starts from, with its tensors observed.
                string x = graph.Activation("input", UInt8);
                string relu1 = graph.Activation(ConvRelu(graph, "conv1", x, graph.Weight("conv1.weight", cnn.Conv1Weight, [8, 1, 3, 3], WeightScheme.Symmetric).Name, FloatBias(graph, "conv1.bias", cnn.Conv1Bias)), UInt8);
                graph.Builder.AddNode("MaxPool", [relu1], ["down"]).WithInts("kernel_shape", 2, 2).WithInts("strides", 2, 2);
                graph.Builder.AddNode("Pad", ["down", "pads"], ["padded"]);
                graph.Builder.AddNode("Conv", ["padded", graph.Weight("conv2.weight", cnn.Conv2Weight, [16, 8, 3, 3], WeightScheme.Symmetric).Name, FloatBias(graph, "conv2.bias", cnn.Conv2Bias)], ["conv2_conv"]);
                graph.Builder.AddNode("Relu", ["conv2_conv"], ["conv2_relu"]);
                string relu2 = graph.Activation("conv2_relu", UInt8);
                ResizeSplitConcat(graph, relu2, "resized", "concat");
                string concat = graph.Activation("concat", UInt8);
                graph.Builder.AddNode("MaxPool", [concat], ["pooled"]).WithInts("kernel_shape", 2, 2).WithInts("strides", 2, 2);
                graph.Builder.AddNode("Flatten", ["pooled"], ["flat"]).WithInt("axis", 1);
                graph.Builder.AddNode("Gemm", ["flat", graph.Weight("fc.weight", cnn.FcWeight, [10, 256], WeightScheme.Symmetric).Name, FloatBias(graph, "fc.bias", cnn.FcBias)], ["fc"]).WithInt("transB", 1);
                graph.Builder.AddNode("Identity", [graph.Activation("fc", UInt8)], ["logits"]);
            }
            else
            {
                (string inputScale, string inputZeroPoint) = UnsignedParameters(graph, "input");
                graph.Builder.AddNode("QuantizeLinear", ["input", inputScale, inputZeroPoint], ["input_quantized"]);
                (string scale1, string zeroPoint1) = UnsignedParameters(graph, "conv1_relu");
                QLinearConv(graph, "input_quantized", inputScale, inputZeroPoint, "input", "conv1", cnn.Conv1Weight, [8, 1, 3, 3], cnn.Conv1Bias, scale1, zeroPoint1, "conv1_quantized");
                graph.Builder.AddNode("MaxPool", ["conv1_quantized"], ["down_quantized"]).WithInts("kernel_shape", 2, 2).WithInts("strides", 2, 2);
                graph.Builder.AddNode("Pad", ["down_quantized", "pads", zeroPoint1], ["padded_quantized"]);
                (string scale2, string zeroPoint2) = UnsignedParameters(graph, "conv2_relu");
                QLinearConv(graph, "padded_quantized", scale1, zeroPoint1, "conv1_relu", "conv2", cnn.Conv2Weight, [16, 8, 3, 3], cnn.Conv2Bias, scale2, zeroPoint2, "conv2_quantized", padding: 0);
                (string concatScale, string concatZeroPoint) = UnsignedParameters(graph, "concat");
                graph.Builder.AddNode("Resize", ["conv2_quantized", string.Empty, "scales"], ["resized_quantized"]).WithString("mode", "nearest")
                    .WithString("coordinate_transformation_mode", "asymmetric").WithString("nearest_mode", "floor");
                graph.Builder.AddNode("Split", ["resized_quantized", "halves"], ["first_quantized", "second_quantized"]).WithInt("axis", 1);
                graph.Builder.AddNode("QLinearConcat", [concatScale, concatZeroPoint, "second_quantized", scale2, zeroPoint2, "first_quantized", scale2, zeroPoint2], ["concat_quantized"])
                    .WithDomain(OnnxModel.MicrosoftDomain).WithInt("axis", 1);
                graph.Builder.AddNode("MaxPool", ["concat_quantized"], ["pooled_quantized"]).WithInts("kernel_shape", 2, 2).WithInts("strides", 2, 2);
                graph.Builder.AddNode("Flatten", ["pooled_quantized"], ["flat_quantized"]).WithInt("axis", 1);
                (string fcWeight, string fcWeightScale, string fcWeightZeroPoint, float[] fcScales) = QuantizedWeightInputs(graph, "fc", cnn.FcWeight, [10, 256]);
                float flatScale = graph.ActivationParameters("concat", UInt8).Scale;
                graph.Builder.AddInitializer("fc_bias", cnn.FcBias.Select((b, c) => (int)MathF.Round(b / (flatScale * fcScales[c]), MidpointRounding.ToEven)).ToArray(), [10]);
                (string outputScale, string outputZeroPoint) = UnsignedParameters(graph, "fc");
                graph.Builder.AddNode("QGemm", ["flat_quantized", concatScale, concatZeroPoint, fcWeight, fcWeightScale, fcWeightZeroPoint, "fc_bias", outputScale, outputZeroPoint], ["fc_quantized"])
                    .WithDomain(OnnxModel.MicrosoftDomain).WithInt("transB", 1);
                graph.Builder.AddNode("DequantizeLinear", ["fc_quantized", outputScale, outputZeroPoint], ["logits"]);
            }

            graph.Builder.AddOutput("logits", DataType.Float, 1, 10);
        }, cnn.Calibration);

        AssertAgrees(model, cnn, "quantize_static QOperator U-Net");
    }

    // The float model's Resize by 2, Split into two halves of the channels, and Concat of them the other way round.
    private static void ResizeSplitConcat(ImitationGraph graph, string input, string resized, string concat)
    {
        graph.Builder.AddNode("Resize", [input, string.Empty, "scales"], [resized]).WithString("mode", "nearest")
            .WithString("coordinate_transformation_mode", "asymmetric").WithString("nearest_mode", "floor");
        graph.Builder.AddNode("Split", [resized, "halves"], ["first", "second"]).WithInt("axis", 1);
        graph.Builder.AddNode("Concat", ["second", "first"], [concat]).WithInt("axis", 1);
    }

    private void AssertAgrees(byte[] model, Cnn cnn, string what)
    {
        OrtAgreement q31 = OrtAgreement.Measure(model, cnn.Inputs, new ConversionOptions(), GraphOptimizationLevel.ORT_ENABLE_BASIC);
        OrtAgreement exact = OrtAgreement.Measure(model, cnn.Inputs, new ConversionOptions { Requantization = RequantizationMode.Exact }, GraphOptimizationLevel.ORT_ENABLE_EXTENDED);
        TestContext.WriteLine($"{what}: q31 {q31}; exact {exact}; notes: {string.Join(" | ", q31.Conversion.Notes)}");

        Assert.IsFalse(q31.Conversion.Notes.Any(note => note.Contains("re-quantized", StringComparison.Ordinal)), string.Join(" | ", q31.Conversion.Notes));
        Assert.IsTrue(q31.LargestDifference <= 1, $"{what}: {q31}");
        Assert.IsTrue(q31.IdenticalShare >= 0.995, $"{what}: {q31}");
        Assert.AreEqual(exact.Compared, exact.Identical, $"{what}: {exact}");
    }

    // pt2e's end of the CNN: the flatten a Reshape to a constant shape quantized like SHAREDWITH,
    // the Linear a Gemm with int8 weight constants and a float bias, the logits quantized.
    private static void Pt2eFlattenLinear(ImitationGraph graph, Cnn cnn, string pooled, string sharedWith)
    {
        const ActivationScheme Int8 = ActivationScheme.Int8Asymmetric;
        graph.Builder.AddNode("Constant", [], ["flat_shape"]).WithTensor("value", TensorData.Create("flat_shape", [1L, 256L], [2]));
        graph.Builder.AddNode("Reshape", [pooled, "flat_shape"], ["flat"]);
        string flat = graph.Activation("flat", Int8, sharedWith: sharedWith, asConstants: true);
        graph.Builder.AddNode("Gemm", [flat, graph.Weight("fc.weight", cnn.FcWeight, [10, 256], WeightScheme.Symmetric, zeroPointsCastFromInt64: true).Name, FloatBias(graph, "fc.bias", cnn.FcBias)], ["fc"]).WithInt("transB", 1);
        graph.Builder.AddNode("Identity", [graph.Activation("fc", Int8, asConstants: true)], ["logits"]);
        graph.Builder.AddOutput("logits", DataType.Float, 1, 10);
    }

    // Conv with padding 1 and a Relu after it: the Relu's output, NAME_relu.
    private static string ConvRelu(ImitationGraph graph, string name, string input, string weight, string bias)
    {
        string conv = name + "_conv";
        string relu = name + "_relu";
        graph.Builder.AddNode("Conv", [input, weight, bias], [conv]).WithInts("pads", 1, 1, 1, 1).WithInts("kernel_shape", 3, 3);
        graph.Builder.AddNode("Relu", [conv], [relu]);
        return relu;
    }

    private static string MaxPool(ImitationGraph graph, string input)
    {
        const string pooled = "pooled";
        graph.Builder.AddNode("MaxPool", [input], [pooled]).WithInts("kernel_shape", 2, 2).WithInts("strides", 2, 2);
        return pooled;
    }

    private static string FloatBias(ImitationGraph graph, string name, float[] values)
    {
        graph.Builder.AddInitializer(name, values, [values.Length]);
        return name;
    }


    /// <summary>TorchScript's bias of a converted model: int32 behind DequantizeLinear with an int32 zero point from Cast(ConstantOfShape).</summary>
    private static string TorchScriptBias(ImitationGraph graph, string name, float[] values, string input, float[] weight)
    {
        if (graph.Calibrating)
        {
            return FloatBias(graph, name, values);
        }

        float inputScale = graph.ActivationParameters(input, ActivationScheme.UInt8Asymmetric).Scale;
        int channels = values.Length;
        int inner = weight.Length / channels;
        float[] scales = Enumerable.Range(0, channels)
            .Select(c => inputScale * ImitationGraph.ScaleAndZeroPoint(weight.Skip(c * inner).Take(inner).Min(), weight.Skip(c * inner).Take(inner).Max(), -127, 127, true).Scale)
            .ToArray();
        graph.Builder.AddInitializer(name + "_int32", values.Select((v, c) => (int)MathF.Round(v / scales[c], MidpointRounding.ToEven)).ToArray(), [channels]);
        graph.Builder.AddInitializer(name + "_scale", scales, [channels]);
        graph.Builder.AddInitializer(name + "_shape", [(long)channels], [1]);
        graph.Builder.AddNode("ConstantOfShape", [name + "_shape"], [name + "_zeros"]).WithTensor("value", TensorData.Create("value", [0], [1]));
        graph.Builder.AddNode("Cast", [name + "_zeros"], [name + "_zero_point"]).WithInt("to", (long)DataType.Int32);
        graph.Builder.AddNode("DequantizeLinear", [name + "_int32", name + "_scale", name + "_zero_point"], [name + "_dequantized"]).WithInt("axis", 0);
        return name + "_dequantized";
    }

    /// <summary>ONNX Runtime's QDQ Conv: the ReLU removed into the output's range, or kept with QDQ of its own.</summary>
    private static string OnnxRuntimeConv(ImitationGraph graph, string input, string inputObserved, string name, float[] weights, long[] dims, float[] bias,
        WeightScheme weightScheme, bool perChannel, ActivationScheme activations, bool keepsRelu)
    {
        (string weight, _, float[] scales, _) = graph.Weight(name + ".weight", weights, dims, weightScheme, perChannel);
        string biasName = graph.Int32Bias(name + ".bias", bias, graph.ActivationParameters(inputObserved, activations).Scale, scales);
        string conv = name + "_conv";
        graph.Builder.AddNode("Conv", [input, weight, biasName], [conv]).WithInts("pads", 1, 1, 1, 1).WithInts("kernel_shape", 3, 3);
        string relu = name + "_relu";
        if (keepsRelu)
        {
            graph.Builder.AddNode("Relu", [graph.Activation(conv, activations)], [relu]);
            return graph.Activation(relu, activations);
        }

        if (graph.Calibrating)
        {
            // The quantizer calibrates the float model, ReLU included, then removes the ReLU.
            graph.Builder.AddNode("Relu", [conv], [relu]);
            return graph.Activation(relu, activations);
        }

        (float scale, int zeroPoint) = graph.ActivationParameters(relu, activations);
        (string scaleName, string zeroPointName) = graph.QuantizationParameters(scale, zeroPoint, activations == ActivationScheme.UInt8Asymmetric);
        graph.Builder.AddNode("QuantizeLinear", [conv, scaleName, zeroPointName], [relu + "_quantized"]);
        graph.Builder.AddNode("DequantizeLinear", [relu + "_quantized", scaleName, zeroPointName], [relu + "_dequantized"]);
        return relu + "_dequantized";
    }

    private static (string Scale, string ZeroPoint) UnsignedParameters(ImitationGraph graph, string observed)
    {
        (float scale, int zeroPoint) = graph.ActivationParameters(observed, ActivationScheme.UInt8Asymmetric);
        return graph.QuantizationParameters(scale, zeroPoint, unsigned: true);
    }

    private static void QLinearConv(ImitationGraph graph, string input, string inputScale, string inputZeroPoint, string inputObserved, string name,
        float[] weights, long[] dims, float[] bias, string outputScale, string outputZeroPoint, string output, int padding = 1)
    {
        (string weight, string weightScale, string weightZeroPoint, float[] scales) = QuantizedWeightInputs(graph, name, weights, dims);
        float scaleOfInput = graph.ActivationParameters(inputObserved, ActivationScheme.UInt8Asymmetric).Scale;
        graph.Builder.AddInitializer(name + "_bias", bias.Select((b, c) => (int)MathF.Round(b / (scaleOfInput * scales[c]), MidpointRounding.ToEven)).ToArray(), [bias.Length]);
        graph.Builder.AddNode("QLinearConv", [input, inputScale, inputZeroPoint, weight, weightScale, weightZeroPoint, outputScale, outputZeroPoint, name + "_bias"], [output])
            .WithInts("pads", padding, padding, padding, padding).WithInts("kernel_shape", 3, 3);
    }

    // Symmetric per-channel int8 weights as QLinear inputs: data, scales, zero points.
    private static (string Data, string Scale, string ZeroPoint, float[] Scales) QuantizedWeightInputs(ImitationGraph graph, string name, float[] weights, long[] dims)
    {
        (_, _, float[] scales, _) = graph.Weight(name + ".weight", weights, dims, WeightScheme.Symmetric, dequantize: false);
        return (name + ".weight_quantized", name + ".weight_scale", name + ".weight_zero_point", scales);
    }

    /// <summary>The fixtures' CNN: its QAT-trained float weights, calibration and test inputs.</summary>
    private sealed record Cnn(float[] Conv1Weight, float[] Conv1Bias, float[] Conv2Weight, float[] Conv2Bias, float[] FcWeight, float[] FcBias,
        IReadOnlyList<NpyArray> Calibration, IReadOnlyList<NpyArray> Inputs)
    {
        public static Cnn FromFixture()
        {
            OnnxModel model = OnnxModel.Load(PyTorchFixtures.PathOf("cnn_qat_fbgemm_fakequant.onnx"));
            float[] Floats(string name) => model.GetInitializer(name).ToFloats();
            (PyTorchFixtures.ModelEntry entry, _) = PyTorchFixtures.Find("cnn_qat_fbgemm_fakequant.onnx");
            IReadOnlyList<NpyArray> inputs = PyTorchFixtures.Inputs(entry);
            // Calibrated on a third of the digits, compared on all of them: some values fall outside the observed ranges, as in use.
            return new Cnn(Floats("conv1.weight"), Floats("conv1.bias"), Floats("conv2.weight"), Floats("conv2.bias"), Floats("fc.weight"), Floats("fc.bias"),
                inputs.Take(120).ToList(), inputs);
        }
    }
}
