using NanoInt8.Conversion.Tests.Generators;
using NanoInt8.Host.Conversion;
using NanoInt8.Host.Execution;
using NanoInt8.Host.Format;
using NanoInt8.Host.Quantization;
using NanoInt8.Onnx;
using NanoInt8.Runtime;

namespace NanoInt8.Conversion.Tests;

/// <summary>
/// Kernel selection (hosttool convert --kernels, issue 7): the packed fully connected and
/// convolution layers give the device outputs of the plain ones bit for bit, in every
/// requantization mode, and plain stays the default.
/// </summary>
[TestClass]
public sealed class PackedKernelTests
{
    private const int Seeds = 6;

    /// <summary>Every fully connected and convolution family with every mode.</summary>
    public static IEnumerable<object[]> FamiliesAndModes =>
        from family in new[] { Family.QdqGemm, Family.QdqMatMul, Family.QLinearMatMul, Family.QGemm, Family.QdqConv2d, Family.QdqConv1d, Family.QLinearConv }
        from mode in RequantizationModes.All
        select new object[] { family, mode.Name() };

    [TestMethod]
    [DynamicData(nameof(FamiliesAndModes))]
    public void Convert_PackedKernels_RunBitIdenticalToPlain(string family, string modeName)
    {
        RequantizationMode mode = RequantizationModes.Parse(modeName)!.Value;
        var generator = new QuantizedModelGenerator();
        int packedModels = 0;
        for (int seed = 0; seed < Seeds; seed++)
        {
            GeneratedModel model = generator.Generate(family, seed);
            byte[] plain = OnnxConverter.Convert(OnnxModel.Load(model.Bytes), new ConversionOptions { Requantization = mode }).Blob;
            byte[] packed = OnnxConverter.Convert(OnnxModel.Load(model.Bytes),
                new ConversionOptions { Requantization = mode, Kernels = KernelSelection.Packed }).Blob;
            ModelFile packedFile = ModelFile.Read(packed);
            if (packedFile.Operators.Any(op => op.OpCode is OpCode.FullyConnectedPacked or OpCode.Conv2DPacked or OpCode.Conv2DPackedTaps))
            {
                packedModels++;
                Assert.IsGreaterThan(0u, packedFile.Header.ScratchWords, $"{model}: scratch counted");
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
    public void Convert_PackedOneInputChannelConv_IsConv2DPackedTapsAndRunsBitIdentical(string family)
    {
        // Convolutions with one input channel pair taps instead of channels (code 18).
        var generator = new QuantizedModelGenerator();
        int tapModels = 0;
        for (int seed = 0; seed < 40 && tapModels < 4; seed++)
        {
            GeneratedModel model = generator.Generate(family, seed);
            byte[] packed = OnnxConverter.Convert(OnnxModel.Load(model.Bytes), new ConversionOptions { Kernels = KernelSelection.Packed }).Blob;
            if (!ModelFile.Read(packed).Operators.Any(op => op.OpCode == OpCode.Conv2DPackedTaps))
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
    public void Convert_DefaultOptions_EmitPlainKernelsAndNoScratch()
    {
        GeneratedModel model = new QuantizedModelGenerator().Generate(Family.QdqGemm, 0);
        byte[] blob = OnnxConverter.Convert(OnnxModel.Load(model.Bytes)).Blob;
        ModelFile file = ModelFile.Read(blob);

        Assert.IsTrue(file.Operators.Any(op => op.OpCode == OpCode.FullyConnected));
        Assert.IsFalse(file.Operators.Any(op => op.OpCode is OpCode.FullyConnectedPacked or OpCode.Conv2DPacked or OpCode.DepthwiseConv3x3
            or OpCode.Conv2DPackedTaps));
        Assert.AreEqual(0u, file.Header.ScratchWords);
        CollectionAssert.AreEqual(blob, OnnxConverter.Convert(OnnxModel.Load(model.Bytes),
            new ConversionOptions { Kernels = KernelSelection.Plain }).Blob);
    }
}
