using NanoInt8.Host.Format;

namespace NanoInt8.HostTool.Tests
{
    /// <summary>Failures: exit codes, one "error:" line, stack traces only with --verbose.</summary>
    [TestClass]
    public sealed class ExitCodeTests
    {
        private static byte[] RandomBytes(int count)
        {
            byte[] bytes = new byte[count];
            new Random(42).NextBytes(bytes);
            return bytes;
        }

        [TestMethod]
        [DataRow("inspect")]
        [DataRow("convert")]
        public void Command_MissingModelFile_FileError(string command)
        {
            using TempFolder folder = new TempFolder();
            string missing = folder.File("missing.onnx");

            CliResult result = Cli.Run(command, missing);

            Assert.AreEqual((int)ExitCode.FileError, result.ExitCode);
            CollectionAssert.AreEqual(new[] { $"error: The model file '{missing}' does not exist." }, result.ErrorLines);
        }

        [TestMethod]
        public void Run_MissingInputFile_FileError()
        {
            using TempFolder folder = new TempFolder();
            string model = folder.Write("m.ni8", ModelWriter.Write(Cli.FloatRequantizeModel()));

            CliResult result = Cli.Run("run", model, "--input", folder.File("nothing.npy"));

            Assert.AreEqual((int)ExitCode.FileError, result.ExitCode);
            StringAssert.Contains(result.Error, "nothing.npy' does not exist");
        }

        [TestMethod]
        [DataRow("inspect")]
        [DataRow("convert")]
        [DataRow("run")]
        public void Command_RandomBytesOnnx_InvalidModelOneLineNoTrace(string command)
        {
            using TempFolder folder = new TempFolder();
            string model = folder.Write("random.onnx", RandomBytes(1000));
            string input = folder.WriteNpy("x.npy", new Onnx.NpyArray(new float[4], 1, 4));

            CliResult result = command == "run" ? Cli.Run(command, model, "--input", input) : Cli.Run(command, model);

            Assert.AreEqual((int)ExitCode.InvalidModel, result.ExitCode);
            Assert.HasCount(1, result.ErrorLines);
            Assert.StartsWith("error: ", result.ErrorLines[0]);
            StringAssert.Contains(result.ErrorLines[0], "random.onnx");
            StringAssert.Contains(result.ErrorLines[0], "not an ONNX model");
            Assert.DoesNotContain("   at ", result.Error);
        }

        [TestMethod]
        public void Verbose_RandomBytesOnnx_ShowsStackTrace()
        {
            using TempFolder folder = new TempFolder();
            string model = folder.Write("random.onnx", RandomBytes(1000));

            CliResult result = Cli.Run("inspect", model, "--verbose");

            Assert.AreEqual((int)ExitCode.InvalidModel, result.ExitCode);
            Assert.StartsWith("error: ", result.ErrorLines[0]);
            StringAssert.Contains(result.Error, "NanoInt8.Onnx.OnnxFormatException");
            StringAssert.Contains(result.Error, "   at ");
        }

        [TestMethod]
        public void Inspect_CorruptNi8_InvalidModelWithReaderCode()
        {
            using TempFolder folder = new TempFolder();
            byte[] blob = ModelWriter.Write(Cli.FloatRequantizeModel());
            blob[^1] ^= 0xFF;
            string model = folder.Write("corrupt.ni8", blob);

            CliResult result = Cli.Run("inspect", model);

            Assert.AreEqual((int)ExitCode.InvalidModel, result.ExitCode);
            CollectionAssert.AreEqual(
                new[] { "error: The model was refused by the device's model reader: error 7 (PayloadCrcMismatch): the payload CRC is wrong." },
                result.ErrorLines);
        }

        [TestMethod]
        public void Convert_UnknownBoard_UsageError()
        {
            using TempFolder folder = new TempFolder();
            string model = folder.Write("random.onnx", RandomBytes(100));

            CliResult result = Cli.Run("convert", model, "--board", "no-such-board-anywhere");

            Assert.AreEqual((int)ExitCode.UsageError, result.ExitCode);
            Assert.HasCount(1, result.ErrorLines);
            StringAssert.Contains(result.Error, "no-such-board-anywhere");
        }

        [TestMethod]
        public void NoCommand_UsageError()
        {
            CliResult result = Cli.Run();

            Assert.AreEqual((int)ExitCode.UsageError, result.ExitCode);
            Assert.HasCount(1, result.ErrorLines);
            Assert.StartsWith("error: ", result.Error);
        }

        [TestMethod]
        public void UnknownOption_UsageError()
        {
            CliResult result = Cli.Run("inspect", "model.ni8", "--frobnicate");

            Assert.AreEqual((int)ExitCode.UsageError, result.ExitCode);
            StringAssert.Contains(result.Error, "--frobnicate");
        }

        [TestMethod]
        public void Run_WithoutInput_UsageError()
        {
            CliResult result = Cli.Run("run", "model.ni8");

            Assert.AreEqual((int)ExitCode.UsageError, result.ExitCode);
            StringAssert.Contains(result.Error, "--input");
        }

        [TestMethod]
        public void Help_ListsCommands()
        {
            CliResult result = Cli.Run("--help");

            Assert.AreEqual((int)ExitCode.Ok, result.ExitCode);
            StringAssert.Contains(result.Output, "convert");
            StringAssert.Contains(result.Output, "inspect");
            StringAssert.Contains(result.Output, "run");
            Assert.AreEqual(string.Empty, result.Error);
        }
    }
}
