using System.Globalization;
using NanoInt8.Host.Device;
using NanoInt8.Host.Format;
using NanoInt8.Onnx;

namespace NanoInt8.HostTool.Tests
{
    /// <summary>
    /// Inputs that once passed silently: NaN, infinities and huge values, spreadsheet CSV files,
    /// files without samples, NaN calibration data; and batches for run.
    /// </summary>
    [TestClass]
    public sealed class InputCheckTests : EmulatorTestBase
    {
        [TestMethod]
        [DataRow("run", float.NaN, "NaN")]
        [DataRow("run", float.PositiveInfinity, "Infinity")]
        [DataRow("infer", float.NegativeInfinity, "-Infinity")]
        [DataRow("infer", float.NaN, "NaN")]
        public void RunOrInfer_NonFiniteInput_UsageErrorNamingTheValue(string command, float value, string printed)
        {
            string input = Folder.WriteNpy("x.npy", new NpyArray(new[] { 0.5f, value, 1f, 2f }, 1, 4));

            CliResult result = RunOnModel(command, "--input", input);

            Assert.AreEqual((int)ExitCode.UsageError, result.ExitCode, result.Error);
            Assert.AreEqual($"error: {input} holds {printed} in sample 0, value 1 of input 'x'; inputs must be finite numbers.", result.ErrorLines[^1]);
        }

        [TestMethod]
        [DataRow("run")]
        [DataRow("infer")]
        public void RunOrInfer_HugeInput_WarnsThatItWasClipped(string command)
        {
            // Input scale 0.5, zero point 1: the int8 range covers -64.5 .. 63.
            string input = Folder.WriteNpy("x.npy", new NpyArray(new[] { 1e30f, 2f, -100f, 0f }, 1, 4));

            CliResult result = RunOnModel(command, "--input", input);

            Assert.AreEqual((int)ExitCode.Ok, result.ExitCode, result.Error);
            CollectionAssert.Contains(result.ErrorLines,
                $"warning: 2 of 4 values in {input} lie outside input 'x''s quantized range [-64.5, 63] (farthest 1E+30) and were clipped to it.");
        }

        [TestMethod]
        [DataRow("run")]
        [DataRow("infer")]
        public void RunOrInfer_NoSamples_UsageError(string command)
        {
            string input = Folder.WriteNpy("x.npy", new NpyArray(Array.Empty<float>(), 0, 4));

            CliResult result = RunOnModel(command, "--input", input);

            Assert.AreEqual((int)ExitCode.UsageError, result.ExitCode, result.Error);
            StringAssert.Contains(result.ErrorLines[^1], $"{input} holds no samples for input 'x'");
            Assert.DoesNotContain("NaN", result.Output);
        }

        [TestMethod]
        public void Infer_SemicolonCsvWithDecimalCommas_SameOutputsAsNpy()
        {
            // Multiples of the input scale, 0.5, so that they come back as they are.
            float[] values = { 1.5f, -2.5f, 3f, 0.5f };
            string npy = Folder.WriteNpy("x.npy", new NpyArray(values, 1, 4));
            string csv = Folder.Write("x.csv", System.Text.Encoding.UTF8.GetBytes(
                string.Join(";", values.Select(value => value.ToString(CultureInfo.GetCultureInfo("de-DE")))) + "\r\n"));

            CliResult fromNpy = RunOnModel("infer", "--input", npy);
            CliResult fromCsv = Cli.Run("infer", "--input", csv);

            Assert.AreEqual((int)ExitCode.Ok, fromCsv.ExitCode, fromCsv.Error);
            Assert.AreEqual(FirstLine(fromNpy.Output, "y:"), FirstLine(fromCsv.Output, "y:"));
            Assert.AreEqual("y: float32[1, 4]: 1.5, -2.5, 3, 0.5", FirstLine(fromCsv.Output, "y:"));
        }

        [TestMethod]
        public void Run_BatchAlongTheFirstDimension_ConvertedOnceSameAsOneByOne()
        {
            string model = Folder.Write("conv.onnx", Cli.QdqConvOnnx());
            float[] first = NanoInt8.Tests.Shared.QdqConvModel.Input(1).AsFloats();
            float[] second = NanoInt8.Tests.Shared.QdqConvModel.Input(2).AsFloats();
            string batch = Folder.WriteNpy("batch.npy", new NpyArray(first.Concat(second).ToArray(), 2, 2, 5, 5));
            Cli.Run("run", model, "-i", Folder.WriteNpy("a.npy", new NpyArray(first, 1, 2, 5, 5)), "-o", Folder.File("a-out.npy"));
            Cli.Run("run", model, "-i", Folder.WriteNpy("b.npy", new NpyArray(second, 1, 2, 5, 5)), "-o", Folder.File("b-out.npy"));

            CliResult result = Cli.Run("run", model, "-i", batch, "-o", Folder.File("out/batch-out.npy"));

            Assert.AreEqual((int)ExitCode.Ok, result.ExitCode, result.Error);
            NpyArray outputs = NpyFile.Read(Folder.File("out/batch-out.npy"));
            CollectionAssert.AreEqual(new[] { 2, 3, 5, 5 }, outputs.Shape);
            float[] expected = NpyFile.Read(Folder.File("a-out.npy")).AsFloats().Concat(NpyFile.Read(Folder.File("b-out.npy")).AsFloats()).ToArray();
            CollectionAssert.AreEqual(expected, outputs.AsFloats());
        }

        [TestMethod]
        public void Quantize_NaNCalibrationData_UsageErrorAndNoModelWritten()
        {
            string model = Folder.Write("classifier.onnx", QuantizeCommandTests.FloatClassifier());
            NpyArray data = QuantizeCommandTests.CalibrationData();
            data.AsFloats()[40] = float.NaN;
            string calibration = Folder.WriteNpy("calibration.npy", data);

            CliResult result = Cli.Run("quantize", model, "-c", calibration, "-o", Folder.File("q.onnx"));

            Assert.AreEqual((int)ExitCode.UsageError, result.ExitCode, result.Error);
            Assert.AreEqual($"error: calibration data '{calibration}' holds NaN (sample 1, value 8); calibration needs finite numbers.", result.Error.Trim());
            Assert.IsFalse(File.Exists(Folder.File("q.onnx")));
        }

        /// <summary>Runs the command on the float requantize model: run on its .ni8, infer after deploying it.</summary>
        private CliResult RunOnModel(string command, params string[] args)
        {
            string model = Folder.Write("requantize.ni8", ModelWriter.Write(Cli.FloatRequantizeModel()));
            if (command == "run")
            {
                return Cli.Run(new[] { "run", model }.Concat(args).ToArray());
            }

            Assert.AreEqual((int)ExitCode.Ok, Cli.Run("deploy", model).ExitCode);
            return Cli.Run(new[] { "infer" }.Concat(args).ToArray());
        }

        private static string FirstLine(string output, string prefix) =>
            output.Split(Environment.NewLine).First(line => line.StartsWith(prefix, StringComparison.Ordinal));
    }
}
