using System.Text.Json;
using Google.Protobuf;
using NanoInt8.Host.Device;
using NanoInt8.Host.Execution;
using NanoInt8.Host.Files;
using NanoInt8.Onnx;
using NanoInt8.Onnx.Protobuf;

namespace NanoInt8.HostTool.Tests
{
    /// <summary>Class labels through the command line: --labels at convert and quantize time, the top classes of run, infer and deploy --input.</summary>
    [TestClass]
    public sealed class LabelsCommandTests : EmulatorTestBase
    {
        private static readonly string[] s_labels = { "cat", "dog", "fox", "owl", "yak" };

        [TestMethod]
        public void Convert_LabelsFile_StoredForTheOutputWithThatManyClasses()
        {
            string model = Folder.Write("conv.onnx", Cli.QdqConvOnnx());
            string labels = Folder.Write("labels.txt", System.Text.Encoding.UTF8.GetBytes(string.Join("\n", s_labels) + "\n"));

            CliResult result = Cli.Run("convert", model, "--labels", labels, "-o", Folder.File("conv.ni8"));

            Assert.AreEqual((int)ExitCode.Ok, result.ExitCode, result.Error);
            // The Conv model's output is [1, 3, 5, 5]: five classes along its last dimension.
            GraphTensor output = new HostModelRunner(File.ReadAllBytes(Folder.File("conv.ni8"))).Outputs.Single();
            CollectionAssert.AreEqual(s_labels, output.Labels?.ToArray());
            StringAssert.Contains(Cli.Run("inspect", Folder.File("conv.ni8")).Output, "classes cat, dog, fox, owl, yak");
        }

        [TestMethod]
        public void Convert_LabelsFitNoOutput_UsageErrorAndNothingWritten()
        {
            string model = Folder.Write("conv.onnx", Cli.QdqConvOnnx());
            string labels = Folder.Write("labels.txt", "a\nb\n"u8.ToArray());

            CliResult result = Cli.Run("convert", model, "--labels", labels, "-o", Folder.File("conv.ni8"));

            Assert.AreEqual((int)ExitCode.UsageError, result.ExitCode);
            Assert.AreEqual($"error: {labels} names 2 classes but no output of the model has 2 elements along its last dimension (features [1, 3, 5, 5]).", result.Error.Trim());
            Assert.IsFalse(File.Exists(Folder.File("conv.ni8")));
        }

        [TestMethod]
        public void RunInferDeploy_LabelledModel_PrintTheTopClassesOfEveryRow()
        {
            string model = LabelledModel();
            string input = Folder.WriteNpy("x.npy", Cli.QdqConvInput());

            CliResult run = Cli.Run("run", model, "-i", input);
            CliResult deploy = Cli.Run("deploy", model, "-i", input);
            CliResult infer = Cli.Run("infer", "-i", input);

            // [1, 3, 5, 5]: 15 rows of 5 classes, the first ten printed, then a tally.
            foreach (CliResult result in new[] { run, deploy, infer })
            {
                Assert.AreEqual((int)ExitCode.Ok, result.ExitCode, result.Error);
                string[] lines = result.Output.Split(Environment.NewLine);
                string first = lines.Single(line => line.StartsWith("  sample 0: ", StringComparison.Ordinal));
                Assert.AreEqual(3, first.Split(" %").Length - 1, first);
                Assert.IsTrue(s_labels.Any(label => first.StartsWith($"  sample 0: {label} ", StringComparison.Ordinal)), first);
                StringAssert.Contains(result.Output, "  ... 15 samples; most likely class: ");
            }

            Assert.AreEqual(TopLines(run.Output), TopLines(infer.Output));
        }

        [TestMethod]
        public void Run_LabelledModelJson_TopClassesWithProbabilities()
        {
            string model = LabelledModel();
            string input = Folder.WriteNpy("x.npy", Cli.QdqConvInput());

            CliResult result = Cli.Run("run", model, "-i", input, "--json");

            Assert.AreEqual((int)ExitCode.Ok, result.ExitCode, result.Error);
            using JsonDocument json = JsonDocument.Parse(result.Output);
            JsonElement top = json.RootElement.GetProperty("outputs")[0].GetProperty("top");
            Assert.AreEqual(15, top.GetArrayLength());
            JsonElement best = top[0][0];
            CollectionAssert.Contains(s_labels, best.GetProperty("label").GetString());
            Assert.IsGreaterThanOrEqualTo(top[0][1].GetProperty("probability").GetDouble(), best.GetProperty("probability").GetDouble());
        }

        [TestMethod]
        public void Quantize_LabelsFile_WrittenIntoTheQdqModelsMetadataProps()
        {
            string model = Folder.Write("classifier.onnx", QuantizeCommandTests.FloatClassifier());
            string calibration = Folder.WriteNpy("calibration.npy", QuantizeCommandTests.CalibrationData());
            string labels = Folder.Write("labels.json", """["low", "mid", "high"]"""u8.ToArray());

            CliResult result = Cli.Run("quantize", model, "-c", calibration, "--labels", labels, "-o", Folder.File("q.onnx"));
            CliResult converted = Cli.Run("convert", Folder.File("q.onnx"), "-o", Folder.File("q.ni8"));

            Assert.AreEqual((int)ExitCode.Ok, result.ExitCode, result.Error);
            CollectionAssert.AreEqual(new[] { "low", "mid", "high" }, ClassLabels.FromOnnx(OnnxModel.Load(Folder.File("q.onnx")))?.ToArray());
            Assert.AreEqual((int)ExitCode.Ok, converted.ExitCode, converted.Error);
            CollectionAssert.AreEqual(new[] { "low", "mid", "high" }, new HostModelRunner(File.ReadAllBytes(Folder.File("q.ni8"))).Outputs.Single().Labels?.ToArray());
        }

        /// <summary>The QDQ Conv model with five labels in its metadata_props, for its [1, 3, 5, 5] output.</summary>
        private string LabelledModel()
        {
            ModelProto proto = OnnxModel.Load(Cli.QdqConvOnnx()).Proto;
            ClassLabels.WriteToOnnx(proto, s_labels);
            return Folder.Write("conv.onnx", proto.ToByteArray());
        }

        private static string TopLines(string output) =>
            string.Join('\n', output.Split(Environment.NewLine).Where(line => line.StartsWith("  sample ", StringComparison.Ordinal)));
    }
}
