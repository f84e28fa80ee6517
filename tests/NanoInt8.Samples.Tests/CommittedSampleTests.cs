using System.Globalization;
using NanoInt8.Host.Boards;
using NanoInt8.Host.Execution;
using NanoInt8.Host.Files;
using NanoInt8.Onnx;
using NanoInt8.Samples.VibrationSensor;

namespace NanoInt8.Samples.Tests
{
    /// <summary>
    /// The files kept in samples/vibration/ are what the sample's own command writes
    /// (`dotnet run --project samples/VibrationSensor`): these tests fail when they go stale.
    /// </summary>
    [TestClass]
    public sealed class CommittedSampleTests
    {
        private const string Regenerate = "run `dotnet run --project samples/VibrationSensor` to regenerate samples/vibration/";

        [TestMethod]
        public void CommittedNi8_SameBytesAsAFreshConversionOfTheCommittedQdqModel()
        {
            byte[] qdq = File.ReadAllBytes(SampleFile(VibrationPipeline.QdqFileName));
            BoardDefinition board = BoardCatalog.BuiltIn().Get(new PipelineOptions { OutputFolder = "unused" }.Board);

            byte[] fresh = VibrationPipeline.Convert(qdq, board).Blob;

            CollectionAssert.AreEqual(fresh, File.ReadAllBytes(SampleFile("model.ni8")), $"samples/vibration/model.ni8 is stale: {Regenerate}");
        }

        [TestMethod]
        public void CommittedReport_QuotesTheCommittedNi8sFigures()
        {
            ModelSummary summary = ModelSummary.FromBlob(File.ReadAllBytes(SampleFile("model.ni8")));
            string report = File.ReadAllText(SampleFile("report.md"));

            foreach (string row in new[]
            {
                $"| model bytes (.ni8 file) | {Count(summary.ModelBytes)} |",
                $"| arena bytes | {Count(summary.ArenaBytes)} |",
                $"| deviceBytes (what the device allocates) | {Count(summary.DeviceBytes)} |",
                $"| multiply-accumulates per inference | {Count(summary.MultiplyAccumulates)} |",
            })
            {
                StringAssert.Contains(report, row, $"samples/vibration/report.md is stale: {Regenerate}");
            }
        }

        [TestMethod]
        public void CommittedModels_CarryTheClassLabels()
        {
            IReadOnlyList<string> expected = OnnxExport.Labels;

            foreach (string onnx in new[] { "float.onnx", VibrationPipeline.QdqFileName })
            {
                CollectionAssert.AreEqual(expected.ToArray(), ClassLabels.FromOnnx(OnnxModel.Load(SampleFile(onnx)))?.ToArray(), onnx);
            }

            GraphTensor logits = new HostModelRunner(File.ReadAllBytes(SampleFile("model.ni8"))).Outputs.Single();
            CollectionAssert.AreEqual(expected.ToArray(), logits.Labels?.ToArray(), "model.ni8");
        }

        [TestMethod]
        public void CommittedExamples_OneWindowOfEachConditionClassifiedAsIt()
        {
            HostModelRunner runner = new HostModelRunner(File.ReadAllBytes(SampleFile("model.ni8")));
            foreach (MachineCondition condition in Enum.GetValues<MachineCondition>())
            {
                NpyArray window = NpyFile.Read(SampleFile($"example-{VibrationPipeline.ExampleName(condition)}.npy"));

                ClassScore top = ClassScores.Top(runner.Outputs[0], runner.Run(new[] { window })[0], 1).Single().Single();

                Assert.AreEqual((int)condition, top.Index, condition.ToString());
                Assert.AreEqual(OnnxExport.Labels[(int)condition], top.Label);
            }
        }

        private static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

        private static string SampleFile(string name)
        {
            for (DirectoryInfo? folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            {
                if (File.Exists(Path.Combine(folder.FullName, "NanoInt8.sln")))
                {
                    return Path.Combine(folder.FullName, "samples", "vibration", name);
                }
            }

            throw new InvalidOperationException($"No NanoInt8.sln above {AppContext.BaseDirectory}: the tests run outside the repository.");
        }
    }
}
