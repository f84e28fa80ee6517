using NanoInt8.Conversion.Tests.Generators;
using NanoInt8.Host.Conversion;
using NanoInt8.Host.Execution;
using NanoInt8.Host.Format;
using NanoInt8.Host.Quantization;
using NanoInt8.Onnx;
using NanoInt8.Runtime;
using DataType = NanoInt8.Onnx.Protobuf.TensorProto.Types.DataType;

namespace NanoInt8.Conversion.Tests;

/// <summary>
/// Kernel selection (hosttool convert --kernels, issues 7 and 15): the packed and auto fully
/// connected and convolution layers give the device outputs of the plain ones bit for bit, in
/// every requantization mode, and plain stays ConversionOptions' default.
/// </summary>
[TestClass]
public sealed class PackedKernelTests
{
    private const int Seeds = 6;

    /// <summary>Every fully connected and convolution family with every mode, packed and auto.</summary>
    public static IEnumerable<object[]> FamiliesAndModes =>
        from family in new[] { Family.QdqGemm, Family.QdqMatMul, Family.QLinearMatMul, Family.QGemm, Family.QdqConv2d, Family.QdqConv1d, Family.QLinearConv }
        from mode in RequantizationModes.All
        from kernels in new[] { KernelSelection.Packed, KernelSelection.Auto }
        select new object[] { family, mode.Name(), kernels };

    [TestMethod]
    [DynamicData(nameof(FamiliesAndModes))]
    public void Convert_PackedAndAutoKernels_RunBitIdenticalToPlain(string family, string modeName, KernelSelection kernels)
    {
        RequantizationMode mode = RequantizationModes.Parse(modeName)!.Value;
        var generator = new QuantizedModelGenerator();
        int packedModels = 0;
        int laneModels = 0;
        for (int seed = 0; seed < Seeds; seed++)
        {
            GeneratedModel model = generator.Generate(family, seed);
            byte[] plain = OnnxConverter.Convert(OnnxModel.Load(model.Bytes), new ConversionOptions { Requantization = mode }).Blob;
            byte[] packed = OnnxConverter.Convert(OnnxModel.Load(model.Bytes),
                new ConversionOptions { Requantization = mode, Kernels = kernels }).Blob;
            ModelFile packedFile = ModelFile.Read(packed);
            if (packedFile.Operators.Any(op => op.OpCode is OpCode.FullyConnectedPacked or OpCode.FullyConnectedTriple or OpCode.Conv2DPacked
                or OpCode.Conv2DPackedTaps or OpCode.Conv2DTriple or OpCode.Conv2DLanes or OpCode.FullyConnectedLanes))
            {
                packedModels++;
                Assert.IsGreaterThan(0u, packedFile.Header.ScratchWords, $"{model}: scratch counted");
            }

            if (packedFile.Operators.Any(op => op.OpCode is OpCode.Conv2DLanes or OpCode.FullyConnectedLanes))
            {
                laneModels++;
            }

            var plainRunner = new HostModelRunner(plain);
            var packedRunner = new HostModelRunner(packed);
            var random = new Random(seed);
            for (int sample = 0; sample < 4; sample++)
            {
                Dictionary<string, NpyArray> inputs = model.CreateInputs(random);
                NpyArray input = inputs[model.Inputs[0].Name];
                // The runners return the graph's own output type (int8, uint8 or dequantized float):
                // equal arrays of it mean equal device bytes.
                CollectionAssert.AreEqual(
                    plainRunner.Run(new[] { input })[0].Data,
                    packedRunner.Run(new[] { input })[0].Data,
                    $"{model}, sample {sample}");
            }
        }

        // Symmetric int8 weights always pack; a filter with -128 before a negative tap stays plain,
        // and so does a grouped or dilated convolution.
        Assert.IsGreaterThan(0, packedModels, $"{family}: no model was packed");
        // The lane kernels (codes 24 and 26) are auto's, in the q31 arithmetic (q31 and per-tensor),
        // for convolutions and fully connected layers.
        bool lanes = kernels == KernelSelection.Auto && mode.DeviceMode() == Requantization.Q31;
        Assert.AreEqual(lanes, laneModels > 0, $"{family} {modeName} {kernels}: {laneModels} models with Conv2DLanes or FullyConnectedLanes");
    }

    [TestMethod]
    public void Convert_PackedDepthwise3x3_IsDepthwiseConv3x3AndRunsBitIdentical()
    {
        // The CNN family's depthwise-separable blocks: their depthwise 3x3 convolutions become
        // DepthwiseConv3x3 (code 17) with --kernels packed and stay Conv2D by default.
        var generator = new QuantizedModelGenerator();
        int depthwiseModels = 0;
        for (int seed = 0; seed < 12; seed++)
        {
            GeneratedModel model = generator.Generate(Family.Cnn, seed);
            byte[] plain = OnnxConverter.Convert(OnnxModel.Load(model.Bytes)).Blob;
            byte[] packed = OnnxConverter.Convert(OnnxModel.Load(model.Bytes), new ConversionOptions { Kernels = KernelSelection.Packed }).Blob;
            Assert.IsFalse(ModelFile.Read(plain).Operators.Any(op => op.OpCode == OpCode.DepthwiseConv3x3), $"{model}: plain");
            if (!ModelFile.Read(packed).Operators.Any(op => op.OpCode == OpCode.DepthwiseConv3x3))
            {
                continue;
            }

            depthwiseModels++;
            var plainRunner = new HostModelRunner(plain);
            var packedRunner = new HostModelRunner(packed);
            var random = new Random(seed);
            for (int sample = 0; sample < 3; sample++)
            {
                NpyArray input = model.CreateInputs(random)[model.Inputs[0].Name];
                CollectionAssert.AreEqual(plainRunner.Run(new[] { input })[0].Data, packedRunner.Run(new[] { input })[0].Data, $"{model}, sample {sample}");
            }
        }

        Assert.IsGreaterThan(0, depthwiseModels, "no CNN with a depthwise 3x3 block");
    }

    [TestMethod]
    [DataRow(Family.QdqConv1d)]
    [DataRow(Family.QdqConv2d)]
    public void Convert_PackedOneInputChannelConv_IsConv2DTripleAndRunsBitIdentical(string family)
    {
        // Convolutions with one input channel group three taps instead of three channels (code 19).
        var generator = new QuantizedModelGenerator();
        int tapModels = 0;
        for (int seed = 0; seed < 40 && tapModels < 4; seed++)
        {
            GeneratedModel model = generator.Generate(family, seed);
            byte[] packed = OnnxConverter.Convert(OnnxModel.Load(model.Bytes), new ConversionOptions { Kernels = KernelSelection.Packed }).Blob;
            ModelFile packedFile = ModelFile.Read(packed);
            if (!packedFile.Operators.Any(op => op.OpCode == OpCode.Conv2DTriple && packedFile.Tensors[op.Inputs[0]].Shape[1] == 1))
            {
                continue;
            }

            tapModels++;
            byte[] plain = OnnxConverter.Convert(OnnxModel.Load(model.Bytes)).Blob;
            var plainRunner = new HostModelRunner(plain);
            var packedRunner = new HostModelRunner(packed);
            var random = new Random(seed);
            for (int sample = 0; sample < 3; sample++)
            {
                NpyArray input = model.CreateInputs(random)[model.Inputs[0].Name];
                CollectionAssert.AreEqual(plainRunner.Run(new[] { input })[0].Data, packedRunner.Run(new[] { input })[0].Data, $"{model}, sample {sample}");
            }
        }

        Assert.IsGreaterThan(0, tapModels, $"{family}: no convolution with one input channel");
    }

    [TestMethod]
    [DataRow(8, 3, OpCode.Conv2DTriple)]
    [DataRow(21, 3, OpCode.Conv2DTriple)]
    [DataRow(22, 3, OpCode.Conv2DPacked)]
    [DataRow(1, 63, OpCode.Conv2DTriple)]
    [DataRow(1, 64, OpCode.Conv2DPackedTaps)]
    public void Convert_PackedConv_TakesTheTripleKernelWhileARowFitsOneBlock(int channels, int kernelWidth, int expected)
    {
        // Three lanes a word while a window row is at most 21 words (C = 21, KW 3: 7·3; one channel,
        // KW 63: 21 tap triples); beyond, two lanes a word (Conv2DPacked, Conv2DPackedTaps).
        byte[] onnx = WideConvModel(channels, kernelWidth);
        byte[] plain = OnnxConverter.Convert(OnnxModel.Load(onnx)).Blob;
        byte[] packed = OnnxConverter.Convert(OnnxModel.Load(onnx), new ConversionOptions { Kernels = KernelSelection.Packed }).Blob;
        CollectionAssert.AreEqual(new[] { expected }, ModelFile.Read(packed).Operators.Select(op => op.OpCode).Where(code => code != OpCode.Reshape).ToArray());
        Assert.AreEqual(expected == OpCode.Conv2DTriple ? 3 : 2, ModelFormat.MinVersionFor(expected), "the lowest format version the kernel needs");
        // Every model is written as version 4 since the header carries the work, 5 only with code 26
        // (docs/model-format.md, "Versions").
        Assert.AreEqual(ModelFormat.WorkVersion, (int)ModelFile.Read(packed).Header.Version);

        var random = new Random(channels * 100 + kernelWidth);
        for (int sample = 0; sample < 3; sample++)
        {
            float[] values = Enumerable.Range(0, channels * 2 * 70).Select(_ => (float)((random.NextDouble() * 8) - 4)).ToArray();
            var input = new NpyArray(values, 1, channels, 2, 70);
            CollectionAssert.AreEqual(new HostModelRunner(plain).Run(new[] { input })[0].Data, new HostModelRunner(packed).Run(new[] { input })[0].Data,
                $"C {channels}, KW {kernelWidth}, sample {sample}");
        }
    }

    // QDQ Conv [1, C, 2, 70] → 6 channels, kernel 1 x KW, pads 0 / KW/2 on the width, per-channel int8 weights.
    private static byte[] WideConvModel(int channels, int kernelWidth)
    {
        const float InputScale = 0.03f;
        const int OutputChannels = 6;
        float[] weightScales = Enumerable.Range(0, OutputChannels).Select(channel => 0.002f + (0.001f * channel)).ToArray();
        var builder = new OnnxGraphBuilder("wide_conv");
        builder.AddInput("x", DataType.Float, 1, channels, 2, 70);
        builder.AddInitializer("x_scale", [InputScale], []);
        builder.AddInitializer("x_zero_point", [(sbyte)5], []);
        builder.AddInitializer("w", Enumerable.Range(0, OutputChannels * channels * kernelWidth).Select(i => (sbyte)(((i * 37) % 251) - 125)).ToArray(),
            [OutputChannels, channels, 1, kernelWidth]);
        builder.AddInitializer("w_scale", weightScales, [OutputChannels]);
        builder.AddInitializer("w_zero_point", new sbyte[OutputChannels], [OutputChannels]);
        builder.AddInitializer("y_scale", [0.2f], []);
        builder.AddInitializer("y_zero_point", [(sbyte)-4], []);
        builder.AddNode("QuantizeLinear", ["x", "x_scale", "x_zero_point"], ["x_q"]).WithName("x_quantize");
        builder.AddNode("DequantizeLinear", ["x_q", "x_scale", "x_zero_point"], ["x_dq"]).WithName("x_dequantize");
        builder.AddNode("DequantizeLinear", ["w", "w_scale", "w_zero_point"], ["w_dq"]).WithName("w_dequantize").WithInt("axis", 0);
        builder.AddNode("Conv", ["x_dq", "w_dq"], ["conv"]).WithName("conv")
            .WithInts("kernel_shape", 1, kernelWidth)
            .WithInts("pads", 0, kernelWidth / 2, 0, kernelWidth / 2);
        builder.AddNode("QuantizeLinear", ["conv", "y_scale", "y_zero_point"], ["y_q"]).WithName("y_quantize");
        builder.AddNode("DequantizeLinear", ["y_q", "y_scale", "y_zero_point"], ["y"]).WithName("y_dequantize");
        int outputWidth = 70 + (2 * (kernelWidth / 2)) - kernelWidth + 1;
        builder.AddOutput("y", DataType.Float, 1, OutputChannels, 2, outputWidth);
        return builder.ToBytes();
    }

    [TestMethod]
    [DataRow(Family.QdqGemm)]
    [DataRow(Family.QdqMatMul)]
    [DataRow(Family.QGemm)]
    public void Convert_PackedFullyConnected_IsFullyConnectedTripleWithInt64Filter(string family)
    {
        // Every fully connected layer becomes code 20, its filter an int64 constant after the int32 ones.
        GeneratedModel model = new QuantizedModelGenerator().Generate(family, 1);
        ModelFile file = ModelFile.Read(OnnxConverter.Convert(OnnxModel.Load(model.Bytes), new ConversionOptions { Kernels = KernelSelection.Packed }).Blob);
        ModelOperator[] fullyConnected = file.Operators.Where(op => op.OpCode == OpCode.FullyConnectedTriple).ToArray();

        Assert.IsNotEmpty(fullyConnected, $"{model}");
        Assert.IsFalse(file.Operators.Any(op => op.OpCode is OpCode.FullyConnected or OpCode.FullyConnectedPacked), $"{model}");
        foreach (ModelOperator op in fullyConnected)
        {
            Assert.AreEqual(TensorElementType.Int64, file.Tensors[op.Inputs[1]].ElementType);
        }
    }

    [TestMethod]
    public void Convert_DefaultOptions_EmitPlainKernelsAndNoScratch()
    {
        GeneratedModel model = new QuantizedModelGenerator().Generate(Family.QdqGemm, 0);
        byte[] blob = OnnxConverter.Convert(OnnxModel.Load(model.Bytes)).Blob;
        ModelFile file = ModelFile.Read(blob);

        Assert.IsTrue(file.Operators.Any(op => op.OpCode == OpCode.FullyConnected));
        Assert.IsFalse(file.Operators.Any(op => op.OpCode is OpCode.FullyConnectedPacked or OpCode.Conv2DPacked or OpCode.DepthwiseConv3x3
            or OpCode.Conv2DPackedTaps or OpCode.Conv2DTriple or OpCode.FullyConnectedTriple));
        Assert.AreEqual(0u, file.Header.ScratchWords);
        CollectionAssert.AreEqual(blob, OnnxConverter.Convert(OnnxModel.Load(model.Bytes),
            new ConversionOptions { Kernels = KernelSelection.Plain }).Blob);
    }
}
