using NanoInt8.Host.Boards;
using NanoInt8.Host.Conversion;
using NanoInt8.Host.Device;
using NanoInt8.Host.Format;
using NanoInt8.Onnx;
using NanoInt8.Runtime;

namespace NanoInt8.HostTool.Tests
{
    /// <summary>
    /// Messages that once pointed the wrong way, and what two users of one device are told: each
    /// case gives one sentence and its documented exit code.
    /// </summary>
    [TestClass]
    public sealed class MessageTests : EmulatorTestBase
    {
        private const string Commands = "quantize, convert, analyze, inspect, run, boards, ports, info, deploy, infer, verify, bench, emulate";

        [TestMethod]
        public void UnknownCommand_UsageErrorListingTheCommands()
        {
            CliResult result = Cli.Run("frobnicate");

            Assert.AreEqual((int)ExitCode.UsageError, result.ExitCode);
            CollectionAssert.AreEqual(new[] { $"error: Unknown command 'frobnicate'; the commands are {Commands} ('hosttool --help')." }, result.ErrorLines);
        }

        [TestMethod]
        [DataRow("info", "--baud", "abc", "--baud takes a whole number, not 'abc'.")]
        [DataRow("bench", "--runs", "many", "--runs takes a whole number, not 'many'.")]
        [DataRow("quantize", "--percentile", "1,5", "--percentile takes a number (with '.' as the decimal point), not '1,5'.")]
        public void NumberOptionNotANumber_UsageErrorNamingTheOption(string command, string option, string value, string expected)
        {
            CliResult result = Cli.Run(command == "quantize" ? new[] { command, "m.onnx", "-c", "c.npy", option, value } : new[] { command, option, value });

            Assert.AreEqual((int)ExitCode.UsageError, result.ExitCode);
            Assert.HasCount(1, result.ErrorLines);
            Assert.AreEqual($"error: {expected} ('hosttool {command} --help' shows its usage)", result.ErrorLines[0]);
        }

        [TestMethod]
        [OSCondition(OperatingSystems.Linux | OperatingSystems.OSX)]
        public void PortNotATerminal_PortUnavailableSayingItIsNoSerialPort()
        {
            CliResult result = Cli.Run("info", "--port", "/dev/null");

            Assert.AreEqual((int)ExitCode.PortUnavailable, result.ExitCode);
            StringAssert.StartsWith(result.ErrorLines[^1], "error: /dev/null is not a serial port (the system says: ");
            Assert.DoesNotContain("dialout", result.Error);
        }

        [TestMethod]
        [DataRow("run")]
        [DataRow("infer")]
        public void OutputInMissingFolders_CreatedAsByConvert(string command)
        {
            string model = Folder.Write("requantize.ni8", ModelWriter.Write(Cli.FloatRequantizeModel()));
            string input = Folder.WriteNpy("x.npy", new NpyArray(new float[4], 1, 4));
            string output = Folder.File("deep/er/y.npy");
            if (command == "infer")
            {
                Cli.Run("deploy", model);
            }

            CliResult result = command == "run" ? Cli.Run("run", model, "-i", input, "-o", output) : Cli.Run("infer", "-i", input, "-o", output);

            Assert.AreEqual((int)ExitCode.Ok, result.ExitCode, result.Error);
            Assert.IsTrue(File.Exists(output));
        }

        [TestMethod]
        public void Quantize_OutputInMissingFolders_Created()
        {
            string model = Folder.Write("classifier.onnx", QuantizeCommandTests.FloatClassifier());
            string calibration = Folder.WriteNpy("calibration.npy", QuantizeCommandTests.CalibrationData());

            CliResult result = Cli.Run("quantize", model, "-c", calibration, "-o", Folder.File("new/folder/q.onnx"));

            Assert.AreEqual((int)ExitCode.Ok, result.ExitCode, result.Error);
            Assert.IsTrue(File.Exists(Folder.File("new/folder/q.onnx")));
        }

        [TestMethod]
        public void Verify_ModelThatCannotBeDeployed_SaysWhyInsteadOfAdvisingToDeployIt()
        {
            // A board whose budget holds the tiny requantize model (and its transfer) but not the Conv model.
            byte[] smallBlob = ModelWriter.Write(Cli.FloatRequantizeModel());
            long budget = ModelReader.GetDeviceBytes(smallBlob, 0) + smallBlob.Length;
            long convDeviceBytes = ModelReader.GetDeviceBytes(OnnxConverter.Convert(OnnxModel.Load(Cli.QdqConvOnnx())).Blob, 0);
            Assert.IsGreaterThan(budget, convDeviceBytes, "the Conv model needs more than the board offers");
            string boards = Directory.CreateDirectory(Folder.File("boards")).FullName;
            File.WriteAllText(Path.Combine(boards, "tiny.json"), $"{{ \"name\": \"Tiny\", \"modelBudgetBytes\": {budget} }}");
            string small = Folder.Write("requantize.ni8", smallBlob);
            string conv = Folder.Write("conv.onnx", Cli.QdqConvOnnx());
            string? previous = Environment.GetEnvironmentVariable(BoardCatalog.DirectoryVariable);
            Environment.SetEnvironmentVariable(BoardCatalog.DirectoryVariable, boards);
            try
            {
                Assert.AreEqual((int)ExitCode.Ok, Cli.Run("deploy", small, "--board", "tiny").ExitCode);

                CliResult result = Cli.Run("verify", conv, "--board", "tiny");

                Assert.AreEqual((int)ExitCode.ModelTooLarge, result.ExitCode, result.Error);
                StringAssert.StartsWith(result.ErrorLines[^1], $"error: {conv} cannot be deployed to tiny: ");
                StringAssert.Contains(result.ErrorLines[^1], $"board tiny offers {budget.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)}");
                StringAssert.Contains(result.ErrorLines[^1], "the device runs 'requantize'");
                Assert.DoesNotContain("deploy it first", result.Error);
            }
            finally
            {
                Environment.SetEnvironmentVariable(BoardCatalog.DirectoryVariable, previous);
            }
        }

        [TestMethod]
        public void Deploy_EmulatedFlashCannotBeWritten_TransferFailedWithPathAndSystemReason()
        {
            string model = Folder.Write("conv.onnx", Cli.QdqConvOnnx());
            // A folder where the flash file goes: unwritable for anyone, root included.
            string flash = Path.Combine(Folder.File("emulator"), "esp32-devkitc");
            Directory.CreateDirectory(Path.Combine(flash, FileModelStore.NewFileName));

            CliResult result = Cli.Run("deploy", model);

            Assert.AreEqual((int)ExitCode.TransferFailed, result.ExitCode, result.Error);
            StringAssert.StartsWith(result.ErrorLines[^1],
                $"error: The emulated board received the model intact but could not write its flash file ({Path.Combine(flash, FileModelStore.NewFileName)}: ");
            StringAssert.EndsWith(result.ErrorLines[^1], "); the previous model stays.");
            Assert.DoesNotContain("flash full", result.Error);
        }

        [TestMethod]
        [DataRow("info")]
        [DataRow("deploy")]
        public void EmulatedBoardInUse_PortUnavailableNamingTheOtherProcess(string command)
        {
            string model = Folder.Write("conv.onnx", Cli.QdqConvOnnx());
            string flash = Path.Combine(Folder.File("emulator"), "esp32-devkitc");
            using DeviceLock other = DeviceLock.Acquire(DeviceLock.ForFolder(flash), "the emulated board esp32-devkitc", "hosttool deploy other.onnx");

            CliResult result = command == "deploy" ? Cli.Run("deploy", model) : Cli.Run(command);

            Assert.AreEqual((int)ExitCode.PortUnavailable, result.ExitCode);
            StringAssert.StartsWith(result.ErrorLines[^1],
                $"error: The emulated board esp32-devkitc is in use by process {Environment.ProcessId} ('hosttool deploy other.onnx', since ");
            Assert.DoesNotContain("confirmed by INFO", result.Output);
        }

        [TestMethod]
        public void Deploy_TheRunningModelAgain_SendsNothingUnlessForced()
        {
            string model = Folder.Write("conv.onnx", Cli.QdqConvOnnx());
            Assert.AreEqual((int)ExitCode.Ok, Cli.Run("deploy", model).ExitCode);

            CliResult again = Cli.Run("deploy", model);
            CliResult forced = Cli.Run("deploy", model, "--force");

            Assert.AreEqual((int)ExitCode.Ok, again.ExitCode, again.Error);
            StringAssert.Contains(again.Output, "the device already runs conv (CRC 0x");
            StringAssert.Contains(again.Output, "nothing sent (--force sends it again)");
            Assert.DoesNotContain("sending", again.Error);
            Assert.AreEqual((int)ExitCode.Ok, forced.ExitCode, forced.Error);
            StringAssert.Contains(forced.Error, "sending conv");
            StringAssert.Contains(forced.Output, "(confirmed by INFO)");
        }

        [TestMethod]
        public void Deploy_AnotherModelWhileOneRuns_SendsIt()
        {
            Cli.Run("deploy", Folder.Write("conv.onnx", Cli.QdqConvOnnx()));

            CliResult other = Cli.Run("deploy", Folder.Write("conv.onnx", Cli.QdqConvOnnx()), "--requant", "q15");

            StringAssert.Contains(other.Output, "(confirmed by INFO)");
        }
    }
}
