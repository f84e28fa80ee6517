using System.Globalization;
using NanoInt8.Host.Execution;
using NanoInt8.Onnx;
using NanoInt8.Onnx.Protobuf;
using DataType = NanoInt8.Onnx.Protobuf.TensorProto.Types.DataType;

namespace NanoInt8.HostTool.Tests
{
    /// <summary>
    /// <c>hosttool quantize</c>: a float Conv + Gemm classifier and calibration files written here;
    /// the QDQ model it writes must run through <c>hosttool convert</c> and <c>hosttool run</c>.
    /// </summary>
    [TestClass]
    public sealed class QuantizeCommandTests
    {
        private const int Samples = 40;

        [TestMethod]
        public void Quantize_FloatModelAndNpy_WritesQdqModelThatConverts()
        {
            using TempFolder folder = new TempFolder();
            string model = folder.Write("classifier.onnx", FloatClassifier());
            string calibration = folder.WriteNpy("calibration.npy", CalibrationData());
            string quantized = folder.File("out.qdq.onnx");

            CliResult result = Cli.Run("quantize", model, "--calibration", calibration, "-o", quantized);

            Assert.AreEqual((int)ExitCode.Ok, result.ExitCode, result.Error);
            Assert.AreEqual(string.Empty, result.Error);
            OnnxModel written = OnnxModel.Load(quantized);
            Assert.IsTrue(written.Nodes.Any(node => node.OpType == "QuantizeLinear"));
            string ni8 = folder.File("out.ni8");
            CliResult converted = Cli.Run("convert", quantized, "-o", ni8);
            Assert.AreEqual((int)ExitCode.Ok, converted.ExitCode, converted.Error);
            HostModelRunner runner = new HostModelRunner(File.ReadAllBytes(ni8));
            Assert.AreEqual("features", runner.Inputs.Single().Name);
            Assert.AreEqual("scores", runner.Outputs.Single().Name);
        }

        [TestMethod]
        public void Quantize_Report_PrintsRangesAndAgreement()
        {
            using TempFolder folder = new TempFolder();
            string model = folder.Write("classifier.onnx", FloatClassifier());
            string calibration = folder.WriteNpy("calibration.npy", CalibrationData());

            CliResult result = Cli.Run("quantize", model, "-c", calibration, "-o", folder.File("classifier.qdq.onnx"), "--wide");

            Assert.AreEqual((int)ExitCode.Ok, result.ExitCode, result.Error);
            StringAssert.Contains(result.Output, $"Quantized {model} -> {folder.File("classifier.qdq.onnx")}");
            StringAssert.Contains(result.Output, $"{Samples} samples from {calibration}, ranges by minmax");
            StringAssert.Contains(result.Output, "one scale per output channel");
            StringAssert.Contains(result.Output, "fused Relu 'relu' into Conv 'conv'");
            StringAssert.Contains(result.Output, "Conv 'conv' + Relu 'relu'");
            StringAssert.Contains(result.Output, "scores: top-1 agreement");
            StringAssert.Contains(result.Output, $"of {Samples})");
            StringAssert.Contains(result.Output, "mean absolute error");
        }

        [TestMethod]
        public void Quantize_CsvCalibration_SameModelAsNpy()
        {
            using TempFolder folder = new TempFolder();
            string model = folder.Write("classifier.onnx", FloatClassifier());
            NpyArray data = CalibrationData();
            string npy = folder.WriteNpy("calibration.npy", data);
            string csv = folder.Write("calibration.csv", System.Text.Encoding.UTF8.GetBytes(ToCsv(data)));

            CliResult fromNpy = Cli.Run("quantize", model, "-c", npy, "-o", folder.File("npy.qdq.onnx"));
            CliResult fromCsv = Cli.Run("quantize", model, "-c", csv, "-o", folder.File("csv.qdq.onnx"));

            Assert.AreEqual((int)ExitCode.Ok, fromNpy.ExitCode, fromNpy.Error);
            Assert.AreEqual((int)ExitCode.Ok, fromCsv.ExitCode, fromCsv.Error);
            CollectionAssert.AreEqual(File.ReadAllBytes(folder.File("npy.qdq.onnx")), File.ReadAllBytes(folder.File("csv.qdq.onnx")));
        }

        [TestMethod]
        [DataRow("percentile")]
        [DataRow("entropy")]
        public void Quantize_Method_NamedInReportAndConverts(string method)
        {
            using TempFolder folder = new TempFolder();
            string model = folder.Write("classifier.onnx", FloatClassifier());
            string calibration = folder.WriteNpy("calibration.npy", CalibrationData());

            CliResult result = Cli.RunIn(folder.Path, "quantize", model, "-c", calibration, "--method", method, "--per-tensor");

            Assert.AreEqual((int)ExitCode.Ok, result.ExitCode, result.Error);
            StringAssert.Contains(result.Output, $"ranges by {method}");
            StringAssert.Contains(result.Output, "one scale per tensor");
            Assert.AreEqual((int)ExitCode.Ok, Cli.Run("convert", folder.File("classifier.qdq.onnx"), "-o", folder.File("classifier.ni8")).ExitCode);
        }

        [TestMethod]
        public void Quantize_CalibrationShapeMismatch_UsageErrorNamingShapes()
        {
            using TempFolder folder = new TempFolder();
            string model = folder.Write("classifier.onnx", FloatClassifier());
            string calibration = folder.WriteNpy("wrong.npy", new NpyArray(new float[10 * 3 * 20], 10, 3, 20));

            CliResult result = Cli.Run("quantize", model, "-c", calibration);

            Assert.AreEqual((int)ExitCode.UsageError, result.ExitCode);
            Assert.HasCount(1, result.ErrorLines);
            StringAssert.StartsWith(result.Error, "error: ");
            StringAssert.Contains(result.Error, "has shape [10, 3, 20]");
            StringAssert.Contains(result.Error, "'features' is float32[1, 2, 16]");
            Assert.IsFalse(File.Exists(folder.File("classifier.qdq.onnx")));
        }

        [TestMethod]
        public void Quantize_CsvWithText_UsageErrorNamingLine()
        {
            using TempFolder folder = new TempFolder();
            string model = folder.Write("classifier.onnx", FloatClassifier());
            string calibration = folder.Write("bad.csv", System.Text.Encoding.UTF8.GetBytes("1,2\n3,oops\n"));

            CliResult result = Cli.Run("quantize", model, "-c", calibration);

            Assert.AreEqual((int)ExitCode.UsageError, result.ExitCode);
            StringAssert.Contains(result.Error, "line 2: 'oops' is not a number");
        }

        [TestMethod]
        public void Quantize_UnsupportedOperator_InvalidModelNamingNode()
        {
            using TempFolder folder = new TempFolder();
            OnnxGraphBuilder builder = new OnnxGraphBuilder("cosine");
            builder.AddInput("features", DataType.Float, 1, 2, 16);
            builder.AddNode("Cos", ["features"], ["scores"]).WithName("wave");
            builder.AddOutput("scores", DataType.Float, 1, 2, 16);
            string model = folder.Write("cosine.onnx", builder.ToBytes());
            string calibration = folder.WriteNpy("calibration.npy", CalibrationData());

            CliResult result = Cli.Run("quantize", model, "-c", calibration);

            Assert.AreEqual((int)ExitCode.InvalidModel, result.ExitCode);
            Assert.HasCount(1, result.ErrorLines);
            StringAssert.Contains(result.Error, "node 'wave' uses operator Cos, which NanoInt8 cannot quantize");
            Assert.IsFalse(result.Error.Contains("   at ", StringComparison.Ordinal), "no stack trace without --verbose");
        }

        [TestMethod]
        public void Quantize_FloatModelOnnxRuntimeCannotRun_InvalidModel()
        {
            using TempFolder folder = new TempFolder();
            OnnxGraphBuilder builder = new OnnxGraphBuilder("mismatch");
            builder.AddInput("features", DataType.Float, 1, 2, 16);
            // Weights for 5 input channels where the input has 2.
            builder.AddInitializer("w", new float[3 * 5 * 3], [3, 5, 3]);
            builder.AddNode("Conv", ["features", "w"], ["scores"]).WithName("conv").WithInts("kernel_shape", 3);
            builder.AddOutput("scores", DataType.Float, 1, 3, 14);
            string model = folder.Write("mismatch.onnx", builder.ToBytes());
            string calibration = folder.WriteNpy("calibration.npy", CalibrationData());

            CliResult result = Cli.Run("quantize", model, "-c", calibration);

            Assert.AreEqual((int)ExitCode.InvalidModel, result.ExitCode, result.Error);
            Assert.HasCount(1, result.ErrorLines);
            StringAssert.Contains(result.Error, "mismatch.onnx: ONNX Runtime");
        }

        [TestMethod]
        public void Quantize_MissingCalibrationFile_FileError()
        {
            using TempFolder folder = new TempFolder();
            string model = folder.Write("classifier.onnx", FloatClassifier());

            CliResult result = Cli.Run("quantize", model, "-c", folder.File("absent.npy"));

            Assert.AreEqual((int)ExitCode.FileError, result.ExitCode);
            StringAssert.Contains(result.Error, "absent.npy");
        }

        [TestMethod]
        public void Quantize_MalformedNpy_InvalidModelNamingFile()
        {
            using TempFolder folder = new TempFolder();
            string model = folder.Write("classifier.onnx", FloatClassifier());
            string calibration = folder.Write("broken.npy", new byte[] { 1, 2, 3, 4 });

            CliResult result = Cli.Run("quantize", model, "-c", calibration);

            Assert.AreEqual((int)ExitCode.InvalidModel, result.ExitCode);
            Assert.HasCount(1, result.ErrorLines);
            Assert.AreEqual(1, result.Error.Split("broken.npy").Length - 1, "the file named once: " + result.Error);
        }

        [TestMethod]
        [DataRow("--per-channel --per-tensor")]
        [DataRow("--method median")]
        [DataRow("--method percentile --percentile 120")]
        public void Quantize_BadOptions_UsageError(string options)
        {
            using TempFolder folder = new TempFolder();
            string model = folder.Write("classifier.onnx", FloatClassifier());
            string calibration = folder.WriteNpy("calibration.npy", CalibrationData());

            CliResult result = Cli.Run(new[] { "quantize", model, "-c", calibration }.Concat(options.Split(' ')).ToArray());

            Assert.AreEqual((int)ExitCode.UsageError, result.ExitCode, result.Error);
            StringAssert.StartsWith(result.Error, "error: ");
            Assert.IsFalse(File.Exists(folder.File("classifier.qdq.onnx")));
        }

        [TestMethod]
        public void Quantize_NoCalibrationOption_UsageError()
        {
            using TempFolder folder = new TempFolder();
            string model = folder.Write("classifier.onnx", FloatClassifier());

            CliResult result = Cli.Run("quantize", model);

            Assert.AreEqual((int)ExitCode.UsageError, result.ExitCode);
            StringAssert.Contains(result.Error, "--calibration");
        }

        [TestMethod]
        public void Quantize_OutputIsInput_UsageError()
        {
            using TempFolder folder = new TempFolder();
            string model = folder.Write("classifier.onnx", FloatClassifier());
            string calibration = folder.WriteNpy("calibration.npy", CalibrationData());

            CliResult result = Cli.Run("quantize", model, "-c", calibration, "-o", model);

            Assert.AreEqual((int)ExitCode.UsageError, result.ExitCode);
            StringAssert.Contains(result.Error, "would overwrite the input model");
        }

        /// <summary>
        /// features [1, 2, 16] → Conv1D kernel 3 pad 1 (4 ch) → Relu → GlobalAveragePool → Flatten →
        /// Gemm (transB=1) → scores [1, 3]; fixed weights.
        /// </summary>
        internal static byte[] FloatClassifier()
        {
            Random random = new Random(21);
            float[] Values(int count, double spread) => Enumerable.Range(0, count).Select(_ => (float)(((random.NextDouble() * 2) - 1) * spread)).ToArray();
            OnnxGraphBuilder builder = new OnnxGraphBuilder("classifier");
            builder.AddInput("features", DataType.Float, 1, 2, 16);
            builder.AddInitializer("conv_w", Values(4 * 2 * 3, 0.5), [4, 2, 3]);
            builder.AddInitializer("conv_b", Values(4, 0.1), [4]);
            builder.AddInitializer("dense_w", Values(3 * 4, 1.0), [3, 4]);
            builder.AddInitializer("dense_b", Values(3, 0.1), [3]);
            builder.AddNode("Conv", ["features", "conv_w", "conv_b"], ["conv_out"]).WithName("conv").WithInts("kernel_shape", 3).WithInts("pads", 1, 1);
            builder.AddNode("Relu", ["conv_out"], ["relu_out"]).WithName("relu");
            builder.AddNode("GlobalAveragePool", ["relu_out"], ["pooled"]).WithName("pool");
            builder.AddNode("Flatten", ["pooled"], ["flat"]).WithName("flatten");
            builder.AddNode("Gemm", ["flat", "dense_w", "dense_b"], ["scores"]).WithName("dense").WithInt("transB", 1);
            builder.AddOutput("scores", DataType.Float, 1, 3);
            return builder.ToBytes();
        }

        /// <summary>[Samples, 2, 16] uniform values in [-2, 2].</summary>
        internal static NpyArray CalibrationData()
        {
            Random random = new Random(22);
            float[] values = Enumerable.Range(0, Samples * 32).Select(_ => (float)((random.NextDouble() * 4) - 2)).ToArray();
            return new NpyArray(values, Samples, 2, 16);
        }

        // One sample per line, flattened; "R" keeps every float32 exactly.
        private static string ToCsv(NpyArray data)
        {
            float[] values = data.AsFloats();
            int width = values.Length / data.Shape[0];
            IEnumerable<string> lines = Enumerable.Range(0, data.Shape[0])
                .Select(row => string.Join(",", values.Skip(row * width).Take(width).Select(value => value.ToString("R", CultureInfo.InvariantCulture))));
            return "# calibration samples, one per line\n" + string.Join("\n", lines) + "\n";
        }
    }
}
