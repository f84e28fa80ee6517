using System.Globalization;
using Microsoft.ML.OnnxRuntime;
using NanoInt8.Host.Conversion;
using NanoInt8.Host.Execution;
using NanoInt8.Host.Format;
using NanoInt8.Host.Quantization;
using NanoInt8.Onnx;
using NanoInt8.Onnx.Protobuf;

namespace NanoInt8.Exporters.Tests;

/// <summary>
/// Every .onnx file PyTorch 1.13 wrote for the fixtures (Fixtures/pytorch/manifest.json), taken
/// as it is: it converts, and the converted model, run by the device interpreter on the host over
/// the 360 held-out digits, agrees with ONNX Runtime 1.31.1 and with torch's own int8 model.
/// </summary>
/// <remarks>
/// ONNX Runtime's optimization level, and why:
/// <list type="bullet">
/// <item>q31 against ORT_ENABLE_BASIC. Every ONNX operator keeps its float semantics (no fusion
/// into QLinear kernels, which is EXTENDED), but ORT's level-1 bias quantization applies: a float
/// bias of a Conv or Gemm whose input and weight are dequantized becomes int32 in units of input
/// scale × weight scale, as in any integer runtime. PyTorch's QAT export keeps its biases in
/// float; at ORT_DISABLE_ALL they stay float, a value no int8 runtime computes with (measured:
/// the depthwise-separable QAT export is then 98.17 % identical, every other export 99.19 % or
/// more).</item>
/// <item>exact against ORT_ENABLE_EXTENDED, where ONNX Runtime fuses each QDQ group into its
/// integer kernels (QLinearConv, QGemm...) that accumulate in int32 and requantize with a float32
/// ratio: what the exact mode reproduces (docs/conversion.md, "Requantization modes").</item>
/// </list>
/// </remarks>
[TestClass]
public sealed class PyTorchFixtureTests
{
    /// <summary>The bar for the default mode: identical values, raw share, no tie excused.</summary>
    private const double Q31IdenticalShare = 0.995;

    /// <summary>The bar for the top class against torch's int8 model, per engine.</summary>
    private const double TorchTop1Agreement = 0.99;

    public TestContext TestContext { get; set; } = null!;

    public static IEnumerable<object[]> Exports => PyTorchFixtures.Exports;

    /// <summary>
    /// Semantics: the fixtures are what the issue asks for (each .onnx well under 100 KB, written
    /// by torch 1.13 at opset 13) and every file the manifest names is there.
    /// </summary>
    [TestMethod]
    public void Manifest_EveryFileIsPresentAndEveryExportSmall()
    {
        PyTorchFixtures.Manifest manifest = PyTorchFixtures.Contents;
        Assert.IsTrue(manifest.Versions["torch"].StartsWith("1.13", StringComparison.Ordinal), manifest.Versions["torch"]);
        Assert.AreEqual(13, manifest.Opset);
        CollectionAssert.AreEquivalent(new[] { "onednn", "qnnpack" }, manifest.Engines);
        var files = new List<string> { manifest.Inputs, manifest.Labels };
        foreach (PyTorchFixtures.ModelEntry model in manifest.Models)
        {
            files.Add(model.TorchFloat);
            files.AddRange(model.TorchInt8.Values.Select(outputs => outputs.Codes));
            files.AddRange(model.Exports.Select(export => export.Onnx));
            foreach (PyTorchFixtures.ExportEntry export in model.Exports)
            {
                long bytes = new FileInfo(PyTorchFixtures.PathOf(export.Onnx)).Length;
                Assert.AreEqual(export.OnnxBytes, bytes, export.Onnx);
                Assert.IsTrue(bytes < 40_000, $"{export.Onnx} has {bytes} bytes");
            }
        }

        foreach (string file in files)
        {
            Assert.IsTrue(File.Exists(PyTorchFixtures.PathOf(file)), file);
        }

        Assert.AreEqual(manifest.Samples, PyTorchFixtures.Labels().Length);
    }

    /// <summary>
    /// Semantics: PyTorch's qint8 weights use -128 (its symmetric range is -128..127); the model
    /// format and every kernel take -128, so the converter keeps each weight exactly as torch
    /// quantized it, re-quantizes no channel and writes no note about it. The converted weights
    /// hold -128 where torch's do (the fbgemm and qnnpack qconfigs make one per channel whose
    /// largest weight is negative).
    /// </summary>
    [TestMethod]
    [DynamicData(nameof(Exports))]
    public void Convert_TorchWeightsOfMinus128_StayExact(string onnx)
    {
        ConversionResult conversion = OnnxConverter.Convert(OnnxModel.Load(PyTorchFixtures.PathOf(onnx)));

        Assert.IsFalse(conversion.Notes.Any(note => note.Contains("re-quantized", StringComparison.Ordinal)), string.Join(" | ", conversion.Notes));
        int minus128 = conversion.Model.Tensors
            .Where(tensor => tensor.Storage == TensorStorage.Constant && tensor.Name.EndsWith(".weight", StringComparison.Ordinal))
            .Sum(tensor => tensor.Int8Data.Count(weight => weight == sbyte.MinValue));
        TestContext.WriteLine($"{onnx}: {minus128} weights of -128 kept");
        Assert.IsTrue(minus128 > 0, $"{onnx} converted without a weight of -128; the fixture no longer exercises it.");
    }

    /// <summary>
    /// Semantics: the packed kernels (Conv2DTriple, FullyConnectedTriple, DepthwiseConv3x3)
    /// compute the same integers as the plain ones, -128 weights included: a packed conversion of
    /// every fixture gives the plain conversion's outputs bit for bit on every held-out digit.
    /// </summary>
    [TestMethod]
    [DynamicData(nameof(Exports))]
    public void Packed_IsBitIdenticalToPlain(string onnx)
    {
        (PyTorchFixtures.ModelEntry model, _) = PyTorchFixtures.Find(onnx);
        OnnxModel source = OnnxModel.Load(PyTorchFixtures.PathOf(onnx));
        var plain = new HostModelRunner(OnnxConverter.Convert(source).Blob);
        ConversionResult packedConversion = OnnxConverter.Convert(source, new ConversionOptions { Kernels = KernelSelection.Packed });
        var packed = new HostModelRunner(packedConversion.Blob);
        string kernels = string.Join(", ", packedConversion.Model.Operators.Select(op => op.OpCode).Distinct());
        foreach (NpyArray input in PyTorchFixtures.Inputs(model))
        {
            CollectionAssert.AreEqual(plain.Run([input])[0].AsFloats(), packed.Run([input])[0].AsFloats(), $"{onnx} (operator codes {kernels})");
        }

        TestContext.WriteLine($"{onnx}: packed operator codes {kernels}, identical to plain on {PyTorchFixtures.Contents.Samples} digits");
    }

    /// <summary>
    /// Semantics: the default q31 conversion against ONNX Runtime at ORT_ENABLE_BASIC (see the
    /// class remarks): at least 99.5 % of the output values identical (raw share, ties not
    /// excused) and none more than one step away. The device rounds once, half to even, in fixed
    /// point; ONNX Runtime in float32.
    /// </summary>
    [TestMethod]
    [DynamicData(nameof(Exports))]
    public void Q31_AgreesWithOnnxRuntime(string onnx)
    {
        OrtAgreement agreement = Measure(onnx, RequantizationMode.Q31, GraphOptimizationLevel.ORT_ENABLE_BASIC);

        Assert.IsTrue(agreement.LargestDifference <= 1, agreement.ToString());
        Assert.IsTrue(agreement.IdenticalShare >= Q31IdenticalShare, agreement.ToString());
    }

    /// <summary>
    /// Semantics: the exact mode (the float32 ratio ONNX Runtime's integer kernels use) against
    /// ONNX Runtime at ORT_ENABLE_EXTENDED, where it runs its integer kernels: every output value
    /// identical. One case is beyond any integer model: a Conv or Gemm whose input is not a
    /// DequantizeLinear output (an unfused ReLU, a Split or a Gather in between) ONNX Runtime
    /// computes in float at every level, with its float bias (its bias quantization does not
    /// apply) and float32 sums of the products, and fuses nothing into its integer kernels
    /// there. An int32 bias is off by up to half a unit of input scale × weight scale, which moves
    /// a value that lies within that distance of a rounding tie; there the mode must still be
    /// within one step on all and meet the q31 bar (measured: 99.94 % for one such Gemm, 99.61 %
    /// for the channel-shuffle model's Conv after a Split and Gemm after a Gather).
    /// </summary>
    [TestMethod]
    [DynamicData(nameof(Exports))]
    public void Exact_IsIdenticalToOnnxRuntimeIntegerKernels(string onnx)
    {
        OrtAgreement agreement = Measure(onnx, RequantizationMode.Exact, GraphOptimizationLevel.ORT_ENABLE_EXTENDED);
        string? floatBias = FloatBiasOnnxRuntimeKeeps(OnnxModel.Load(PyTorchFixtures.PathOf(onnx)));

        if (floatBias == null)
        {
            Assert.AreEqual(agreement.Compared, agreement.Identical, agreement.ToString());
        }
        else
        {
            TestContext.WriteLine($"{onnx}: ONNX Runtime computes '{floatBias}' in float.");
            Assert.IsTrue(agreement.LargestDifference <= 1, agreement.ToString());
            Assert.IsTrue(agreement.IdenticalShare >= Q31IdenticalShare, agreement.ToString());
        }
    }

    /// <summary>
    /// Semantics: the converted model picks the same class as torch's own int8 model on at least
    /// 99 % of the held-out digits, on each of torch's engines (a class tied for first place in
    /// torch's output codes counts as the same); accuracies on the labels are printed next to
    /// torch's float and int8 models'.
    /// </summary>
    [TestMethod]
    [DynamicData(nameof(Exports))]
    public void Top1_AgreesWithTorchInt8OnBothEngines(string onnx)
    {
        (PyTorchFixtures.ModelEntry model, _) = PyTorchFixtures.Find(onnx);
        OrtAgreement agreement = Measure(onnx, RequantizationMode.Q31, GraphOptimizationLevel.ORT_ENABLE_BASIC);
        int[] labels = PyTorchFixtures.Labels();
        double accuracy = agreement.Rows.Select((row, sample) => ArgMax(row) == labels[sample] ? 1.0 : 0.0).Average();
        var line = string.Create(CultureInfo.InvariantCulture,
            $"{onnx}: accuracy {accuracy:P2} converted (q31), torch float {model.TorchFloatAccuracy:P2}");
        foreach ((string engine, PyTorchFixtures.Int8Outputs outputs) in model.TorchInt8)
        {
            int[][] torch = PyTorchFixtures.CodeRows(outputs);
            double agreeing = agreement.Rows.Select((row, sample) => torch[sample][ArgMax(row)] == torch[sample].Max() ? 1.0 : 0.0).Average();
            line += string.Create(CultureInfo.InvariantCulture, $", torch int8 {engine} {outputs.Accuracy:P2} (top-1 agreement {agreeing:P2})");
            Assert.IsTrue(agreeing >= TorchTop1Agreement, $"{onnx} against torch's {engine} int8 model: {agreeing:P2}");
        }

        TestContext.WriteLine(line);
    }

    /// <summary>
    /// Semantics: the fixture is faithful: ONNX Runtime running the QAT export in float
    /// (ORT_DISABLE_ALL, the model as written) picks the class torch's QAT model picked on at
    /// least 99.5 % of the digits, so the workaround for the fake-quantize export changed nothing.
    /// </summary>
    [TestMethod]
    [DynamicData(nameof(Exports))]
    public void OnnxRuntime_RunsTheExportAsTorchRanTheModel(string onnx)
    {
        (PyTorchFixtures.ModelEntry model, PyTorchFixtures.ExportEntry export) = PyTorchFixtures.Find(onnx);
        IReadOnlyList<NpyArray> inputs = PyTorchFixtures.Inputs(model);
        using OnnxRuntimeSession session = new OnnxRuntimeRunner().CreateSession(File.ReadAllBytes(PyTorchFixtures.PathOf(onnx)));
        float[][] ort = inputs.Select(input => session.Run(new Dictionary<string, NpyArray> { [session.InputNames[0]] = input })[0].AsFloats()).ToArray();
        int[] torch = export.Kind == "fakequant"
            ? PyTorchFixtures.FloatRows(model.TorchFakeQuant!).Select(ArgMax).ToArray()
            : PyTorchFixtures.CodeRows(model.TorchInt8[PyTorchFixtures.Contents.ExportedEngine]).Select(row => Array.IndexOf(row, row.Max())).ToArray();

        double agreeing = ort.Select((row, sample) => ArgMax(row) == torch[sample] ? 1.0 : 0.0).Average();
        TestContext.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{onnx}: ONNX Runtime and torch pick the same class on {agreeing:P2}"));
        Assert.IsTrue(agreeing >= 0.995, $"{onnx}: {agreeing:P2}");
    }

    private OrtAgreement Measure(string onnx, RequantizationMode mode, GraphOptimizationLevel level)
    {
        (PyTorchFixtures.ModelEntry model, _) = PyTorchFixtures.Find(onnx);
        OrtAgreement agreement = OrtAgreement.Measure(
            File.ReadAllBytes(PyTorchFixtures.PathOf(onnx)), PyTorchFixtures.Inputs(model), new ConversionOptions { Requantization = mode }, level);
        TestContext.WriteLine($"{onnx} {mode.Name()}: {agreement}");
        return agreement;
    }

    // The first class with the largest value, as numpy's argmax picks it.
    private static int ArgMax(float[] row) => Array.IndexOf(row, row.Max());

    /// <summary>
    /// The name of a Conv or Gemm with a float bias initializer whose data input is not a
    /// DequantizeLinear output: ONNX Runtime's bias quantization leaves such a bias in float, and
    /// it computes the layer in float.
    /// </summary>
    private static string? FloatBiasOnnxRuntimeKeeps(OnnxModel model)
    {
        var producers = model.Nodes.SelectMany(node => node.Output.Select(output => (output, node))).ToDictionary(pair => pair.output, pair => pair.node);
        foreach (NodeProto node in model.Nodes.Where(node => node.OpType is "Conv" or "Gemm" && node.Input.Count > 2))
        {
            bool floatBias = model.Initializers.TryGetValue(node.Input[2], out TensorProto? bias) && bias.GetDataType() == TensorProto.Types.DataType.Float;
            bool dequantizedInput = producers.TryGetValue(node.Input[0], out NodeProto? producer) && producer.OpType == "DequantizeLinear";
            if (floatBias && !dequantizedInput)
            {
                return node.Name;
            }
        }

        return null;
    }
}
