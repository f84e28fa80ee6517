using System.Globalization;
using NanoInt8.Host.Device;
using NanoInt8.Host.Format;
using NanoInt8.Onnx;

namespace NanoInt8.HostTool.Tests
{
    /// <summary>
    /// The device commands without --port: the built-in emulated board, its flash in a temporary
    /// NANOINT8_EMULATOR_HOME, so separate invocations share the deployed model as with a real board.
    /// </summary>
    [TestClass]
    public sealed class DeviceCommandTests : EmulatorTestBase
    {
        [TestMethod]
        public void Deploy_NoPort_SaysItUsesTheEmulatedBoardAndConfirms()
        {
            string model = Folder.Write("conv.onnx", Cli.QdqConvOnnx());

            CliResult result = Cli.Run("deploy", model);

            Assert.AreEqual((int)ExitCode.Ok, result.ExitCode, result.Error);
            string flash = Path.Combine(Folder.File("emulator"), "esp32-devkitc");
            // The notice and the progress are diagnostics (stderr); the report is the result (stdout).
            Assert.StartsWith($"no --port given: using the built-in emulated board esp32-devkitc (flash in {flash}){Environment.NewLine}", result.Error);
            StringAssert.Contains(result.Output, "device: ESP32-DevKitC (emulated)");
            StringAssert.Contains(result.Error, "sending conv: ");
            StringAssert.Contains(result.Error, "(100 %)");
            StringAssert.Contains(result.Output, "(confirmed by INFO)");
            Assert.DoesNotContain("sending conv", result.Output);
            Assert.IsTrue(File.Exists(Path.Combine(flash, FileModelStore.ModelFileName)));
        }

        [TestMethod]
        public void DeployThenInfer_SeparateInvocations_SameOutputsAsHostRun()
        {
            string model = Folder.Write("conv.onnx", Cli.QdqConvOnnx());
            string input = Folder.WriteNpy("x.npy", Cli.QdqConvInput());
            Assert.AreEqual((int)ExitCode.Ok, Cli.Run("deploy", model).ExitCode);

            CliResult infer = Cli.Run("infer", "--input", input, "--output", Folder.File("device.npy"));
            CliResult run = Cli.Run("run", model, "--input", input, "--output", Folder.File("host.npy"));

            Assert.AreEqual((int)ExitCode.Ok, infer.ExitCode, infer.Error);
            Assert.AreEqual((int)ExitCode.Ok, run.ExitCode, run.Error);
            NpyArray device = NpyFile.Read(Folder.File("device.npy"));
            CollectionAssert.AreEqual(new[] { 1, 3, 5, 5 }, device.Shape);
            CollectionAssert.AreEqual(NpyFile.Read(Folder.File("host.npy")).AsFloats(), device.AsFloats());
            StringAssert.Contains(infer.Output, "ms per inference (device clock)");
        }

        [TestMethod]
        public void Deploy_WithInput_RunsTheModelOnTheDeviceAfterDeploying()
        {
            string model = Folder.Write("conv.onnx", Cli.QdqConvOnnx());
            string input = Folder.WriteNpy("x.npy", Cli.QdqConvInput());
            CliResult run = Cli.Run("run", model, "--input", input, "--output", Folder.File("host.npy"));

            CliResult deploy = Cli.Run("deploy", model, "--input", input);

            Assert.AreEqual((int)ExitCode.Ok, deploy.ExitCode, deploy.Error);
            Assert.AreEqual((int)ExitCode.Ok, run.ExitCode, run.Error);
            StringAssert.Contains(deploy.Output, "(confirmed by INFO)");
            StringAssert.Contains(deploy.Output, "for 1 sample(s)");
            float first = NpyFile.Read(Folder.File("host.npy")).AsFloats()[0];
            StringAssert.Contains(deploy.Output, first.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        [TestMethod]
        public void Deploy_PackedKernelsAndQ15_DeviceOutputsEqualHostRunWithTheSameOptions()
        {
            // A format-version-2 model (flags, scratch, packed operator) end to end through the
            // emulated board: it is accepted, run, and agrees with the host runtime.
            string model = Folder.Write("conv.onnx", Cli.QdqConvOnnx());
            string input = Folder.WriteNpy("x.npy", Cli.QdqConvInput());
            CliResult run = Cli.Run("run", model, "--input", input, "--output", Folder.File("host.npy"), "--kernels", "packed", "--requant", "q15");
            Assert.AreEqual((int)ExitCode.Ok, run.ExitCode, run.Error);

            CliResult deploy = Cli.Run("deploy", model, "--kernels", "packed", "--requant", "q15");
            CliResult infer = Cli.Run("infer", "--input", input, "--output", Folder.File("device.npy"));

            Assert.AreEqual((int)ExitCode.Ok, deploy.ExitCode, deploy.Error);
            Assert.AreEqual((int)ExitCode.Ok, infer.ExitCode, infer.Error);
            CollectionAssert.AreEqual(NpyFile.Read(Folder.File("host.npy")).AsFloats(), NpyFile.Read(Folder.File("device.npy")).AsFloats());
            StringAssert.Contains(Cli.Run("inspect", model, "--kernels", "packed", "--requant", "q15").Output, "Conv2DTriple");
        }

        [TestMethod]
        public void Infer_CsvFlatList_SameAsNpy()
        {
            string model = Folder.Write("conv.onnx", Cli.QdqConvOnnx());
            NpyArray array = Cli.QdqConvInput();
            string npy = Folder.WriteNpy("x.npy", array);
            string csv = Folder.Write("x.csv", System.Text.Encoding.UTF8.GetBytes(
                string.Join("\n", array.AsFloats().Select(value => value.ToString("R", CultureInfo.InvariantCulture)))));
            Cli.Run("deploy", model);

            CliResult fromNpy = Cli.Run("infer", "--input", npy);
            CliResult fromCsv = Cli.Run("infer", "--input", $"images={csv}");

            Assert.AreEqual((int)ExitCode.Ok, fromCsv.ExitCode, fromCsv.Error);
            Assert.AreEqual(FirstLine(fromNpy.Output, "features:"), FirstLine(fromCsv.Output, "features:"));
        }

        [TestMethod]
        public void Info_AfterDeploy_ShowsTheModelCrc()
        {
            byte[] blob = ModelWriter.Write(Cli.FloatRequantizeModel());
            string model = Folder.Write("requantize.ni8", blob);
            Cli.Run("deploy", model);

            CliResult info = Cli.Run("info");

            Assert.AreEqual((int)ExitCode.Ok, info.ExitCode, info.Error);
            StringAssert.Contains(info.Output, $"CRC 0x{NanoInt8.Runtime.ModelReader.GetPayloadCrc(blob, 0):X8}, {blob.Length} bytes");
            StringAssert.Contains(info.Output, "52,224 bytes (maxModelBytes)");
        }

        [TestMethod]
        public void Bench_AfterDeploy_MeanFastestSlowest()
        {
            Cli.Run("deploy", Folder.Write("requantize.ni8", ModelWriter.Write(Cli.FloatRequantizeModel())));

            CliResult bench = Cli.Run("bench", "--runs", "7");

            Assert.AreEqual((int)ExitCode.Ok, bench.ExitCode, bench.Error);
            StringAssert.Contains(bench.Output, "bench: 7 runs of model CRC 0x");
            StringAssert.Contains(bench.Output, "mean ");
            StringAssert.Contains(bench.Output, "fastest ");
            StringAssert.Contains(bench.Output, "slowest ");
        }

        [TestMethod]
        public void Verify_AfterDeploy_AgreesWithOnnxRuntime()
        {
            string model = Folder.Write("conv.onnx", Cli.QdqConvOnnx());
            Cli.Run("deploy", model);

            CliResult verify = Cli.Run("verify", model, "--samples", "4");

            Assert.AreEqual((int)ExitCode.Ok, verify.ExitCode, verify.Error);
            StringAssert.Contains(verify.Output, "verify: 4 sample(s)");
            StringAssert.Contains(verify.Output, "features");
            StringAssert.Contains(verify.Output, "4 / 4");
        }

        [TestMethod]
        public void Verify_DeviceRunsAnotherModel_NoModelOnDevice()
        {
            Cli.Run("deploy", Folder.Write("requantize.ni8", ModelWriter.Write(Cli.FloatRequantizeModel())));
            string onnx = Folder.Write("conv.onnx", Cli.QdqConvOnnx());

            CliResult verify = Cli.Run("verify", onnx);

            Assert.AreEqual((int)ExitCode.NoModelOnDevice, verify.ExitCode);
            StringAssert.Contains(verify.Error, "which was not converted from");
            StringAssert.Contains(verify.Error, "deploy it first");
        }

        [TestMethod]
        [DataRow("infer")]
        [DataRow("bench")]
        public void Command_NoModelDeployed_NoModelOnDevice(string command)
        {
            string input = Folder.WriteNpy("x.npy", new NpyArray(new float[4], 1, 4));

            CliResult result = command == "infer" ? Cli.Run(command, "--input", input) : Cli.Run(command);

            Assert.AreEqual((int)ExitCode.NoModelOnDevice, result.ExitCode);
            Assert.AreEqual("error: The device has no model running; deploy one first (hosttool deploy MODEL.onnx).", result.ErrorLines[^1].Trim());
        }

        [TestMethod]
        public void Deploy_Ni8TooLargeForBoard_ModelTooLargeBeforeConnecting()
        {
            ModelBuilder builder = new ModelBuilder();
            int input = builder.AddArenaTensor("x", new[] { 30_000 }, 0, 0);
            int output = builder.AddArenaTensor("y", new[] { 30_000 }, 0, 30_000);
            builder.AddOperator(NanoInt8.Runtime.OpCode.Requantize, new[] { input }, new[] { output }, OperatorWords.Requantize((1 << 30, 1), -128, 127));
            builder.Inputs.Add(input);
            builder.Outputs.Add(output);
            builder.ArenaBytes = 60_000;
            string model = Folder.Write("big.ni8", ModelWriter.Write(builder));

            CliResult result = Cli.Run("deploy", model);

            Assert.AreEqual((int)ExitCode.ModelTooLarge, result.ExitCode);
            StringAssert.Contains(result.Error, "but at most 52,224 are available (modelBudgetBytes of built-in boards/esp32-devkitc.json); nothing was sent");
            Assert.DoesNotContain("no --port given", result.Error);
        }

        [TestMethod]
        public void Deploy_CorruptNi8_InvalidModel()
        {
            byte[] blob = ModelWriter.Write(Cli.FloatRequantizeModel());
            blob[blob.Length - 1] ^= 0xFF;

            CliResult result = Cli.Run("deploy", Folder.Write("corrupt.ni8", blob));

            Assert.AreEqual((int)ExitCode.InvalidModel, result.ExitCode);
            StringAssert.Contains(result.Error, "PayloadCrcMismatch");
        }

        [TestMethod]
        [DataRow("info")]
        [DataRow("bench")]
        public void Command_PortMissing_PortUnavailable(string command)
        {
            string missing = Folder.File("ttyNOPE");

            CliResult result = Cli.Run(command, "--port", missing);

            Assert.AreEqual((int)ExitCode.PortUnavailable, result.ExitCode);
            Assert.AreEqual($"error: The serial port {missing} does not exist; is the board plugged in? 'hosttool ports' lists the ports (socat's pseudo-terminals are not listed, give their path).", result.Error.Trim());
        }

        [TestMethod]
        public void Emulate_PortMissing_PortUnavailable()
        {
            CliResult result = Cli.Run("emulate", "--port", Folder.File("ttyNOPE"));

            Assert.AreEqual((int)ExitCode.PortUnavailable, result.ExitCode);
        }

        [TestMethod]
        public void Ports_NotesThatPseudoTerminalsAreNotListed()
        {
            CliResult result = Cli.Run("ports");

            Assert.AreEqual((int)ExitCode.Ok, result.ExitCode);
            StringAssert.Contains(result.Output, "pseudo-terminals");
        }

        [TestMethod]
        public void Info_UnknownBoard_UsageError()
        {
            CliResult result = Cli.Run("info", "--board", "no-such-board");

            Assert.AreEqual((int)ExitCode.UsageError, result.ExitCode);
            StringAssert.Contains(result.Error, "Unknown board 'no-such-board'");
        }

        private static string FirstLine(string output, string prefix) =>
            output.Split(Environment.NewLine).First(line => line.StartsWith(prefix, StringComparison.Ordinal));
    }
}
