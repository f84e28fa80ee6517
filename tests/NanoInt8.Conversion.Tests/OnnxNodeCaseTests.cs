using Google.Protobuf;
using NanoInt8.Host.Conversion;
using NanoInt8.Host.Execution;
using NanoInt8.Onnx;
using NanoInt8.Onnx.Protobuf;

namespace NanoInt8.Conversion.Tests;

/// <summary>
/// ONNX's own backend conformance cases for the quantized operators (shared/onnx-node-tests,
/// beside the checkout; NANOINT8_ONNX_NODE_TESTS overrides), run through the converter and the
/// device runtime and compared with the expected output the ONNX project ships. The cases pass
/// scales, zero points and weights as graph inputs; the converter needs them constant, so the test
/// freezes every input but the first into an initializer with the case's own values. Semantics
/// checked: the ONNX operator definition (its reference outputs), within one quantization step,
/// and the share of identical outputs is reported. The project's own tests do not depend on this
/// folder: without it these tests end Inconclusive.
/// </summary>
[TestClass]
public sealed class OnnxNodeCaseTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    [DataRow("test_qlinearconv")]
    [DataRow("test_qlinearmatmul_2D_int8_float32")]
    [DataRow("test_qlinearmatmul_2D_uint8_float32")]
    public void Convert_BackendNodeCase_MatchesTheExpectedOutputWithinOneStep(string caseName)
    {
        string dataFolder = Path.Combine(CaseFolder(caseName), "test_data_set_0");
        OnnxModel original = OnnxModel.Load(Path.Combine(CaseFolder(caseName), "model.onnx"));
        TensorProto[] inputs = original.Inputs
            .Select((_, index) => TensorProto.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(dataFolder, $"input_{index}.pb"))))
            .ToArray();
        NpyArray expected = TensorProto.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(dataFolder, "output_0.pb"))).ToNpyArray();

        ModelProto frozen = original.Proto.Clone();
        for (int index = original.Inputs.Count - 1; index >= 1; index--)
        {
            string name = original.Inputs[index].Name;
            TensorProto value = inputs[index].Clone();
            value.Name = name;
            frozen.Graph.Initializer.Add(value);
            ValueInfoProto info = frozen.Graph.Input.Single(input => input.Name == name);
            frozen.Graph.Input.Remove(info);
        }

        ConversionResult conversion = OnnxConverter.Convert(OnnxModel.Load(frozen.ToByteArray()));
        NpyArray actual = new HostModelRunner(conversion.Blob).Run(new[] { inputs[0].ToNpyArray() })[0];

        Assert.AreEqual(expected.ElementType, actual.ElementType);
        CollectionAssert.AreEqual(expected.Shape, actual.Shape);
        int[] want = Steps(expected);
        int[] got = Steps(actual);
        int identical = want.Zip(got).Count(pair => pair.First == pair.Second);
        int largest = want.Zip(got).Max(pair => Math.Abs(pair.First - pair.Second));
        TestContext.WriteLine($"{caseName}: {identical}/{want.Length} identical, largest difference {largest} step(s)");
        Assert.IsLessThanOrEqualTo(1, largest, $"{caseName}: expected [{string.Join(",", want)}], device [{string.Join(",", got)}]");
    }

    private static int[] Steps(NpyArray array) => array.ElementType switch
    {
        NpyType.Int8 => array.AsInt8().Select(v => (int)v).ToArray(),
        NpyType.UInt8 => array.AsUInt8().Select(v => (int)v).ToArray(),
        _ => throw new InvalidOperationException($"unexpected output type {array.ElementType}"),
    };

    private static string CaseFolder(string caseName)
    {
        string? configured = Environment.GetEnvironmentVariable("NANOINT8_ONNX_NODE_TESTS");
        string? root = !string.IsNullOrEmpty(configured) ? configured : null;
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); root is null && directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "NanoInt8.sln")))
            {
                root = Path.GetFullPath(Path.Combine(directory.FullName, "..", "shared", "onnx-node-tests"));
            }
        }

        string folder = Path.Combine(root ?? string.Empty, caseName);
        if (root is null || !Directory.Exists(folder))
        {
            Assert.Inconclusive($"ONNX node test case {caseName} not found (shared/onnx-node-tests beside the checkout, or NANOINT8_ONNX_NODE_TESTS).");
        }

        return folder;
    }
}
