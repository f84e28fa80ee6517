using NanoInt8.Host.Quantization;
using NanoInt8.Onnx;

namespace NanoInt8.HostTool.Tests
{
    /// <summary>hosttool analyze on the shared QDQ Conv model.</summary>
    [TestClass]
    public sealed class AnalyzeCommandTests
    {
        private static readonly byte[] s_pngSignature = { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A };

        [TestMethod]
        public void Analyze_QdqConv_TableRowAndVerdictPerMode()
        {
            using TempFolder folder = new TempFolder();
            string model = folder.Write("conv.onnx", Cli.QdqConvOnnx());

            CliResult result = Cli.Run("analyze", model, "--samples", "4", "--wide");

            Assert.AreEqual((int)ExitCode.Ok, result.ExitCode, result.Error);
            string[] lines = result.Output.Split(Environment.NewLine);
            StringAssert.Contains(lines[0], "4 random sample(s) (seed 1");
            StringAssert.Contains(result.Output, "ONNX Runtime's quantized model (ORT_ENABLE_EXTENDED");
            foreach (RequantizationMode mode in RequantizationModes.All)
            {
                // A table row per mode with the Conv's work per inference: 1,014 MACs (pad 1 skips
                // the border taps) and 75 requantizations (3 · 5 · 5 outputs).
                string row = lines.Single(line => line.StartsWith($"{mode.Name()} ", StringComparison.Ordinal));
                StringAssert.Contains(row, " 1,014 ");
                StringAssert.Contains(row, " 75 ");
                Assert.AreEqual(1, lines.Count(line => line.StartsWith($"  {mode.Name()}: needs no floating point", StringComparison.Ordinal)), mode.Name());
            }

            StringAssert.Contains(result.Error, "analyze: exact on the host: 4 sample(s) done");
        }

        [TestMethod]
        public void Analyze_InputFile_SaysHowManySamplesFromIt()
        {
            using TempFolder folder = new TempFolder();
            string model = folder.Write("conv.onnx", Cli.QdqConvOnnx());
            float[] two = Cli.QdqConvInput().AsFloats().Concat(Cli.QdqConvInput().AsFloats().Select(value => -value)).ToArray();
            string input = folder.WriteNpy("images.npy", new NpyArray(two, 2, 2, 5, 5));

            CliResult result = Cli.Run("analyze", model, "--input", input);

            Assert.AreEqual((int)ExitCode.Ok, result.ExitCode, result.Error);
            StringAssert.Contains(result.Output, $"2 sample(s) from {input}");
        }

        [TestMethod]
        public void Analyze_Plot_WritesPng()
        {
            using TempFolder folder = new TempFolder();
            string model = folder.Write("conv.onnx", Cli.QdqConvOnnx());
            string plot = folder.File("plots/modes.png");

            CliResult result = Cli.Run("analyze", model, "-n", "2", "--plot", plot);

            Assert.AreEqual((int)ExitCode.Ok, result.ExitCode, result.Error);
            byte[] png = File.ReadAllBytes(plot);
            Assert.IsTrue(png.Length > 1000, $"{png.Length} bytes");
            CollectionAssert.AreEqual(s_pngSignature, png.Take(8).ToArray());
            StringAssert.Contains(result.Output, $"plot: {plot}");
        }

        [TestMethod]
        public void Analyze_SamplesAndInput_UsageError()
        {
            using TempFolder folder = new TempFolder();
            string model = folder.Write("conv.onnx", Cli.QdqConvOnnx());
            string input = folder.WriteNpy("images.npy", Cli.QdqConvInput());

            CliResult result = Cli.Run("analyze", model, "--samples", "3", "--input", input);

            Assert.AreEqual((int)ExitCode.UsageError, result.ExitCode);
            CollectionAssert.AreEqual(new[] { "error: Give either --samples or --input, not both." }, result.ErrorLines);
        }

        [TestMethod]
        public void Analyze_PlotNotPng_UsageError()
        {
            using TempFolder folder = new TempFolder();
            string model = folder.Write("conv.onnx", Cli.QdqConvOnnx());

            CliResult result = Cli.Run("analyze", model, "--plot", folder.File("modes.svg"));

            Assert.AreEqual((int)ExitCode.UsageError, result.ExitCode);
            StringAssert.Contains(result.Error, "--plot writes a PNG file");
        }

        [TestMethod]
        public void Analyze_MissingFloatModel_FileError()
        {
            using TempFolder folder = new TempFolder();
            string model = folder.Write("conv.onnx", Cli.QdqConvOnnx());
            string missing = folder.File("float.onnx");

            CliResult result = Cli.Run("analyze", model, "--float-model", missing);

            Assert.AreEqual((int)ExitCode.FileError, result.ExitCode);
            CollectionAssert.AreEqual(new[] { $"error: The float model file '{missing}' does not exist." }, result.ErrorLines);
        }

        [TestMethod]
        public void Analyze_NotOnnx_InvalidModel()
        {
            using TempFolder folder = new TempFolder();
            string model = folder.Write("junk.onnx", new byte[] { 0xFF, 0x01, 0x02, 0x03, 0x04 });

            CliResult result = Cli.Run("analyze", model);

            Assert.AreEqual((int)ExitCode.InvalidModel, result.ExitCode);
            StringAssert.StartsWith(result.ErrorLines[0], $"error: '{model}'");
        }

        [TestMethod]
        public void Analyze_UnknownBoard_UsageError()
        {
            using TempFolder folder = new TempFolder();
            string model = folder.Write("conv.onnx", Cli.QdqConvOnnx());

            CliResult result = Cli.Run("analyze", model, "--board", "no-such-board");

            Assert.AreEqual((int)ExitCode.UsageError, result.ExitCode);
        }
    }
}
