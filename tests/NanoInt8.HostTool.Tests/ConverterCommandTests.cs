using System.Globalization;
using NanoInt8.Device;
using NanoInt8.Host.Boards;
using NanoInt8.Host.Conversion;
using NanoInt8.Host.Execution;
using NanoInt8.Host.Files;
using NanoInt8.Onnx;
using NanoInt8.Runtime;

namespace NanoInt8.HostTool.Tests
{
    /// <summary>
    /// The commands that convert an .onnx model: they need OnnxConverter to convert a QDQ
    /// Conv + Relu model (category NeedsConverter, so they can be left out while it is unfinished).
    /// </summary>
    [TestClass]
    [TestCategory("NeedsConverter")]
    public sealed class ConverterCommandTests
    {
        [TestMethod]
        public void Convert_QdqModel_WritesNi8AndSummary()
        {
            using TempFolder folder = new TempFolder();
            string source = folder.Write("qdq_conv.onnx", Cli.QdqConvOnnx());
            string destination = folder.File("out.ni8");

            CliResult result = Cli.Run("convert", source, "-o", destination);

            Assert.AreEqual((int)ExitCode.Ok, result.ExitCode, result.Error);
            Assert.AreEqual(string.Empty, result.Error);
            ModelSummary summary = ModelSummary.FromBlob(File.ReadAllBytes(destination));
            // The default kernels are auto's: the convolution runs as Conv2DLanes (issue 15).
            Assert.IsTrue(summary.Operators.Any(line => line.Kind == "Conv2DLanes"), "a Conv2DLanes operator");
            StringAssert.Contains(result.Output, $"Converted {source} -> {destination}");
            StringAssert.Contains(result.Output, "Conv2DLanes 1");
            StringAssert.Contains(result.Output, "kernels auto: picked Conv2DLanes;");
            StringAssert.Contains(result.Output, "lower bound");
            StringAssert.Contains(result.Output, "device bytes");
        }

        [TestMethod]
        public void Convert_NoOutputOption_Ni8InTheCurrentFolderNotNextToTheInput()
        {
            using TempFolder folder = new TempFolder();
            using TempFolder current = new TempFolder();
            string source = folder.Write("qdq_conv.onnx", Cli.QdqConvOnnx());

            CliResult result = Cli.RunIn(current.Path, "convert", source);

            Assert.AreEqual((int)ExitCode.Ok, result.ExitCode, result.Error);
            Assert.IsTrue(File.Exists(current.File("qdq_conv.ni8")));
            Assert.IsFalse(File.Exists(folder.File("qdq_conv.ni8")), "nothing written next to the input");
            StringAssert.Contains(result.Output, $"Converted {source} -> qdq_conv.ni8");
        }

        [TestMethod]
        public void Convert_OutputInMissingFolders_CreatesThem()
        {
            using TempFolder folder = new TempFolder();
            string source = folder.Write("qdq_conv.onnx", Cli.QdqConvOnnx());
            string destination = folder.File("a/b/model.ni8");

            CliResult result = Cli.Run("convert", source, "-o", destination);

            Assert.AreEqual((int)ExitCode.Ok, result.ExitCode, result.Error);
            Assert.IsTrue(File.Exists(destination));
        }

        [TestMethod]
        public void Convert_OutputFolderNotWritable_FileErrorNamingThePath()
        {
            using TempFolder folder = new TempFolder();
            string source = folder.Write("qdq_conv.onnx", Cli.QdqConvOnnx());
            // A file where a folder should be: cannot be written, whoever runs the test (root included).
            string blocker = folder.Write("blocker", new byte[] { 1 });

            CliResult result = Cli.Run("convert", source, "-o", Path.Combine(blocker, "model.ni8"));

            Assert.AreEqual((int)ExitCode.FileError, result.ExitCode);
            Assert.HasCount(1, result.ErrorLines);
            StringAssert.StartsWith(result.Error, $"error: Cannot write {Path.Combine(blocker, "model.ni8")}: ");
        }

        [TestMethod]
        public void Convert_Ni8Input_UsageErrorSayingItIsAlreadyConverted()
        {
            using TempFolder folder = new TempFolder();
            string model = folder.Write("x.ni8", Host.Format.ModelWriter.Write(Cli.FloatRequantizeModel()));

            CliResult result = Cli.Run("convert", model);

            Assert.AreEqual((int)ExitCode.UsageError, result.ExitCode);
            Assert.AreEqual($"error: {model} is already an .ni8 model; convert takes a quantized .onnx model (inspect, run and deploy take an .ni8 model as it is).", result.Error.Trim());
        }

        [TestMethod]
        public void Convert_Ni8_KeepsOnnxTypesAndShapes()
        {
            using TempFolder folder = new TempFolder();
            string source = folder.Write("qdq_conv.onnx", Cli.QdqConvOnnx());

            CliResult result = Cli.Run("convert", source, "-o", folder.File("qdq_conv.ni8"));

            Assert.AreEqual((int)ExitCode.Ok, result.ExitCode, result.Error);
            HostModelRunner runner = new HostModelRunner(File.ReadAllBytes(folder.File("qdq_conv.ni8")));
            GraphTensor input = runner.Inputs.Single();
            GraphTensor output = runner.Outputs.Single();
            Assert.AreEqual(Host.Format.OriginalElementType.Float32, input.OriginalType);
            CollectionAssert.AreEqual(new[] { 1, 2, 5, 5 }, input.Shape.ToArray());
            Assert.AreEqual(0.05f, input.Scale);
            Assert.AreEqual(-3, input.ZeroPoint);
            Assert.AreEqual(Host.Format.OriginalElementType.Float32, output.OriginalType);
            CollectionAssert.AreEqual(new[] { 1, 3, 5, 5 }, output.Shape.ToArray());
        }

        [TestMethod]
        public void Convert_Ni8_GraphIoCarryOnnxNames()
        {
            using TempFolder folder = new TempFolder();
            string source = folder.Write("qdq_conv.onnx", Cli.QdqConvOnnx());

            CliResult result = Cli.Run("convert", source, "-o", folder.File("qdq_conv.ni8"));

            // Metadata key 5: the converter names graph inputs and outputs as the ONNX graph does,
            // so that `run --input images=...` and the output file names match the ONNX model.
            Assert.AreEqual((int)ExitCode.Ok, result.ExitCode, result.Error);
            HostModelRunner runner = new HostModelRunner(File.ReadAllBytes(folder.File("qdq_conv.ni8")));
            Assert.AreEqual("images", runner.Inputs.Single().Name);
            Assert.AreEqual("features", runner.Outputs.Single().Name);
        }

        [TestMethod]
        public void Inspect_Onnx_SameTableAsTheConvertedNi8()
        {
            using TempFolder folder = new TempFolder();
            string source = folder.Write("qdq_conv.onnx", Cli.QdqConvOnnx());
            string converted = folder.File("qdq_conv.ni8");
            Assert.AreEqual((int)ExitCode.Ok, Cli.Run("convert", source, "-o", converted).ExitCode);

            CliResult fromOnnx = Cli.Run("inspect", source, "--wide");
            CliResult fromNi8 = Cli.Run("inspect", converted, "--wide");

            Assert.AreEqual((int)ExitCode.Ok, fromOnnx.ExitCode, fromOnnx.Error);
            StringAssert.Contains(fromOnnx.Output, "Conv2D");
            // The first line names the file; the table and totals agree (the .onnx adds the arena lower bound and notes).
            string Table(string output) => string.Join('\n', output.Split('\n').Skip(1).TakeWhile(line => !line.StartsWith("  arena bytes", StringComparison.Ordinal)));
            StringAssert.Contains(Table(fromOnnx.Output), "conv1+relu1");
            Assert.AreEqual(Table(fromNi8.Output), Table(fromOnnx.Output));
        }

        [TestMethod]
        public void Inspect_Onnx_ShowsSourceNodeNames()
        {
            using TempFolder folder = new TempFolder();
            string source = folder.Write("qdq_conv.onnx", Cli.QdqConvOnnx());

            CliResult result = Cli.Run("inspect", source, "--wide");

            // Metadata key 6: the convolution's row names the ONNX node(s) it came from (conv1, fused with relu1).
            Assert.AreEqual((int)ExitCode.Ok, result.ExitCode, result.Error);
            string convRow = result.Output.Split('\n').Single(line => line.Contains("Conv2D") && !line.Contains("operators") && !line.Contains("kernels auto"));
            StringAssert.Contains(convRow, "conv1");
        }

        [TestMethod]
        public void Run_Onnx_WithinOneOutputStepOfOnnxRuntime()
        {
            using TempFolder folder = new TempFolder();
            byte[] onnx = Cli.QdqConvOnnx();
            string source = folder.Write("qdq_conv.onnx", onnx);
            NpyArray input = Cli.QdqConvInput();
            string inputPath = folder.WriteNpy("images.npy", input);
            string outputPath = folder.File("features.npy");

            CliResult result = Cli.Run("run", source, "--input", inputPath, "--output", outputPath);

            Assert.AreEqual((int)ExitCode.Ok, result.ExitCode, result.Error);
            float[] ours = NpyFile.Read(outputPath).AsFloats();
            float[] reference = new OnnxRuntimeRunner().Run(onnx, new Dictionary<string, NpyArray> { ["images"] = input })[0].AsFloats();
            // ONNX Runtime requantizes in float, the device in fixed point: they may differ by one
            // step of the output scale (0.1) on a few elements, never more.
            Assert.HasCount(reference.Length, ours);
            for (int index = 0; index < ours.Length; index++)
            {
                Assert.IsLessThanOrEqualTo(0.1f + 1e-5f, Math.Abs(ours[index] - reference[index]), $"element {index}: {ours[index]} vs {reference[index]}");
            }
        }

        [TestMethod]
        public void Convert_BoardBudgetTooSmall_ModelTooLarge()
        {
            using TempFolder folder = new TempFolder();
            string source = folder.Write("qdq_conv.onnx", Cli.QdqConvOnnx());
            string boards = Directory.CreateDirectory(folder.File("boards")).FullName;
            File.WriteAllText(Path.Combine(boards, "tiny.json"), "{ \"modelBudgetBytes\": 100 }");

            CliResult result = WithBoardsFolder(boards, () => Cli.Run("convert", source, "--board", "tiny", "-o", folder.File("qdq_conv.ni8")));

            Assert.AreEqual((int)ExitCode.ModelTooLarge, result.ExitCode, result.Error);
            Assert.HasCount(1, result.ErrorLines);
            StringAssert.Contains(result.Error, "board tiny offers 100");
            Assert.IsFalse(File.Exists(folder.File("qdq_conv.ni8")), "nothing written");
        }

        [TestMethod]
        public void Convert_BoardHoldsTheModelButNotItsTransfer_ModelTooLargeAsTheDevicesLoadSays()
        {
            using TempFolder folder = new TempFolder();
            byte[] onnx = Cli.QdqConvOnnx();
            string source = folder.Write("qdq_conv.onnx", onnx);
            // The same bytes convert --kernels plain writes (auto would hold its layers to plain
            // to fit; plain has nothing left to give); a budget that holds its deviceBytes (and
            // records) but not deviceBytes + totalLength, which the device's LOAD demands.
            byte[] blob = OnnxFileConversion.Convert(OnnxModel.Load(onnx), source, onnx, board: null, kernels: KernelSelection.Plain).Blob;
            long deviceBytes = ModelReader.GetDeviceBytes(blob, 0);
            long records = Interpreter.PreparedBytes(Decode(blob));
            long budget = deviceBytes + Math.Max(0, records - ModelReader.PreparedBytesInReserve);
            Assert.IsTrue(ModelReader.FitsBudget(deviceBytes, records, budget), "the decoded model fits");
            Assert.AreEqual(ModelError.TooLarge, LoadCheck.Check(blob, 0, blob.Length, (int)budget, (int)budget, long.MaxValue), "the device refuses the LOAD");
            string boards = Directory.CreateDirectory(folder.File("boards")).FullName;
            File.WriteAllText(Path.Combine(boards, "snug.json"), $"{{ \"modelBudgetBytes\": {budget} }}");

            CliResult result = WithBoardsFolder(boards, () => Cli.Run("convert", source, "--board", "snug", "--kernels", "plain", "-o", folder.File("qdq_conv.ni8")));

            Assert.AreEqual((int)ExitCode.ModelTooLarge, result.ExitCode, result.Error);
            StringAssert.Contains(result.Error, $"receiving it needs {(deviceBytes + blob.Length).ToString("N0", CultureInfo.InvariantCulture)}");
            Assert.IsFalse(File.Exists(folder.File("qdq_conv.ni8")), "nothing written");
        }

        [TestMethod]
        public void Convert_BoardWorkBudget_PrintsTheWorkAndRefusesMore()
        {
            using TempFolder folder = new TempFolder();
            string source = folder.Write("qdq_conv.onnx", Cli.QdqConvOnnx());
            string boards = Directory.CreateDirectory(folder.File("boards")).FullName;
            File.WriteAllText(Path.Combine(boards, "slow.json"), "{ \"modelBudgetBytes\": 10000000, \"maxWorkPerInference\": 1000 }");
            File.WriteAllText(Path.Combine(boards, "fast.json"), "{ \"modelBudgetBytes\": 10000000, \"maxWorkPerInference\": 1000000 }");

            CliResult slow = WithBoardsFolder(boards, () => Cli.Run("convert", source, "--board", "slow", "-o", folder.File("slow.ni8")));
            CliResult fast = WithBoardsFolder(boards, () => Cli.Run("convert", source, "--board", "fast", "-o", folder.File("fast.ni8")));

            // The Conv model's work: its 1,350 MACs and the element reads the reader counts besides.
            long work = Decode(File.ReadAllBytes(folder.File("fast.ni8"))).Work;
            Assert.IsGreaterThanOrEqualTo(1350L, work);
            Assert.AreEqual((int)ExitCode.ModelTooLarge, slow.ExitCode, slow.Error);
            StringAssert.Contains(slow.Error, $"one inference of the model is {work.ToString("N0", CultureInfo.InvariantCulture)} work units but board slow takes at most 1,000");
            Assert.IsFalse(File.Exists(folder.File("slow.ni8")), "nothing written");
            Assert.AreEqual((int)ExitCode.Ok, fast.ExitCode, fast.Error);
            StringAssert.Contains(fast.Output, $"work          {work.ToString("N0", CultureInfo.InvariantCulture)} units per inference (MACs and element reads, board fast takes at most 1,000,000)");
        }

        [TestMethod]
        public void Convert_BoardBudgetLargeEnough_ShowsUse()
        {
            using TempFolder folder = new TempFolder();
            string source = folder.Write("qdq_conv.onnx", Cli.QdqConvOnnx());
            string boards = Directory.CreateDirectory(folder.File("boards")).FullName;
            File.WriteAllText(Path.Combine(boards, "roomy.json"), "{ \"modelBudgetBytes\": 10000000 }");

            CliResult result = WithBoardsFolder(boards, () => Cli.Run("convert", source, "--board", "roomy", "-o", folder.File("qdq_conv.ni8")));

            Assert.AreEqual((int)ExitCode.Ok, result.ExitCode, result.Error);
            StringAssert.Contains(result.Output, "board roomy: budget 10,000,000");
        }

        private static Model Decode(byte[] blob)
        {
            Assert.AreEqual(ModelError.None, ModelReader.TryRead(blob, int.MaxValue, out Model model));
            return model;
        }

        private static CliResult WithBoardsFolder(string boards, Func<CliResult> action)
        {
            // MSTest runs this assembly's tests one at a time, so the variable is not seen by another test.
            string? previous = Environment.GetEnvironmentVariable(BoardCatalog.DirectoryVariable);
            Environment.SetEnvironmentVariable(BoardCatalog.DirectoryVariable, boards);
            try
            {
                return action();
            }
            finally
            {
                Environment.SetEnvironmentVariable(BoardCatalog.DirectoryVariable, previous);
            }
        }
    }
}
