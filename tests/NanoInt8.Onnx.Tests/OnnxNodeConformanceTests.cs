using NanoInt8.Onnx.Protobuf;

namespace NanoInt8.Onnx.Tests;

/// <summary>
/// Runs cases of the ONNX backend node test suite (model.onnx plus test_data_set_0/input_N.pb and
/// output_0.pb TensorProtos) through our reader and ONNX Runtime and compares byte for byte.
/// </summary>
/// <remarks>
/// The cases live outside the repository, in shared/onnx-node-tests beside the checkout (or where
/// the NANOINT8_ONNX_NODE_TESTS environment variable points). When that folder is absent these
/// tests end Inconclusive (reported as skipped) with a message saying so; no other test uses it.
/// </remarks>
[TestClass]
public sealed class OnnxNodeConformanceTests
{
    private const string EnvironmentVariable = "NANOINT8_ONNX_NODE_TESTS";

    [TestMethod]
    [DataRow("test_qlinearmatmul_2D_int8_float32")]
    [DataRow("test_qlinearmatmul_2D_uint8_float32")]
    [DataRow("test_qlinearconv")]
    [DataRow("test_quantizelinear")]
    [DataRow("test_quantizelinear_axis")]
    [DataRow("test_dequantizelinear")]
    [DataRow("test_dequantizelinear_axis")]
    [DataRow("test_matmulinteger")]
    public void Run_BackendNodeTest_OnnxRuntimeReproducesExpectedOutputByteForByte(string caseName)
    {
        string caseFolder = Path.Combine(FindNodeTestsFolder(), caseName);
        if (!Directory.Exists(caseFolder))
        {
            Assert.Inconclusive($"Case folder {caseFolder} is missing from the ONNX node tests folder.");
        }

        OnnxModel model = OnnxModel.Load(Path.Combine(caseFolder, "model.onnx"));
        string dataFolder = Path.Combine(caseFolder, "test_data_set_0");
        var inputs = new Dictionary<string, NpyArray>();
        for (int index = 0; index < model.Inputs.Count; index++)
        {
            TensorProto tensor = TensorProto.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(dataFolder, $"input_{index}.pb")));
            inputs[model.Inputs[index].Name] = tensor.ToNpyArray();
        }

        NpyArray expected = TensorProto.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(dataFolder, "output_0.pb"))).ToNpyArray();

        NpyArray actual = new OnnxRuntimeRunner().Run(model.ToBytes(), inputs)[0];

        Assert.AreEqual(expected.ElementType, actual.ElementType);
        CollectionAssert.AreEqual(expected.Shape, actual.Shape);
        CollectionAssert.AreEqual(NpyFile.ToBytes(expected), NpyFile.ToBytes(actual), $"{caseName}: ONNX Runtime's output differs from output_0.pb");
    }

    /// <summary>The node tests folder, or Inconclusive when there is none.</summary>
    private static string FindNodeTestsFolder()
    {
        string? configured = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrEmpty(configured))
        {
            if (!Directory.Exists(configured))
            {
                Assert.Fail($"{EnvironmentVariable} points to {configured}, which does not exist.");
            }

            return configured;
        }

        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "NanoInt8.sln")))
            {
                string beside = Path.Combine(directory.FullName, "..", "shared", "onnx-node-tests");
                if (Directory.Exists(beside))
                {
                    return Path.GetFullPath(beside);
                }

                break;
            }
        }

        Assert.Inconclusive(
            "The ONNX backend node tests (shared/onnx-node-tests beside the checkout, or $" + EnvironmentVariable +
            ") are not on this machine; these conformance checks were skipped. The project's own tests do not need them.");
        return string.Empty;
    }
}
