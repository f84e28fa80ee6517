using System.Globalization;
using NanoInt8.Device;
using NanoInt8.Host.Device;
using NanoInt8.HostTool;
using NanoInt8.Onnx;

namespace NanoInt8.EndToEnd.Tests
{
    /// <summary>
    /// hosttool over a real virtual serial line: socat's pseudo-terminal pair, `hosttool emulate`
    /// on one end (in-process, stopped as Ctrl+C would), the device commands on the other.
    /// </summary>
    [TestClass]
    public sealed class SerialPairTests
    {
        [TestMethod]
        public void DeployInfoInferVerify_OverVirtualSerialPair_AgreeWithHostRun()
        {
            using TempHome home = new TempHome();
            using SocatPair pair = new SocatPair();
            using RunningEmulator emulator = new RunningEmulator(pair.PortA);
            string model = home.Write("conv.onnx", Models.QdqConvOnnx());
            string input = home.Write("x.npy", NpyFile.ToBytes(Models.QdqConvInput()));

            CliResult deploy = Cli.Run("deploy", model, "--port", pair.PortB, "--board", "esp32-devkitc");
            CliResult info = Cli.Run("info", "--port", pair.PortB);
            CliResult infer = Cli.Run("infer", "--port", pair.PortB, "--input", input, "--output", home.File("device.npy"));
            CliResult run = Cli.Run("run", model, "--input", input, "--output", home.File("host.npy"));
            CliResult verify = Cli.Run("verify", model, "--port", pair.PortB, "--samples", "5");

            Assert.AreEqual((int)ExitCode.Ok, deploy.ExitCode, deploy.ToString());
            StringAssert.Contains(deploy.Output, "(confirmed by INFO)");
            Assert.DoesNotContain("no --port given", deploy.Output);
            string crc = deploy.Output.Split("the device runs it: CRC ")[1][..10];
            Assert.AreEqual((int)ExitCode.Ok, info.ExitCode, info.ToString());
            StringAssert.Contains(info.Output, $"CRC {crc}");
            StringAssert.Contains(info.Output, "ESP32-DevKitC (emulated)");
            Assert.AreEqual((int)ExitCode.Ok, infer.ExitCode, infer.ToString());
            Assert.AreEqual((int)ExitCode.Ok, run.ExitCode, run.ToString());
            CollectionAssert.AreEqual(NpyFile.Read(home.File("host.npy")).AsFloats(), NpyFile.Read(home.File("device.npy")).AsFloats());
            Assert.AreEqual((int)ExitCode.Ok, verify.ExitCode, verify.ToString());
            StringAssert.Contains(verify.Output, "agreement: every value within 1 quantization step(s) of ONNX Runtime");
            Assert.AreEqual((int)ExitCode.Ok, emulator.Stop());
        }

        [TestMethod]
        public void Infer_CsvSamplesOverSerialPair_StackedOutputsLikeHostRun()
        {
            using TempHome home = new TempHome();
            using SocatPair pair = new SocatPair();
            using RunningEmulator emulator = new RunningEmulator(pair.PortA);
            string model = home.Write("conv.onnx", Models.QdqConvOnnx());
            NpyArray first = Models.QdqConvInput(seed: 1);
            NpyArray second = Models.QdqConvInput(seed: 2);
            string csv = home.Write("x.csv", System.Text.Encoding.UTF8.GetBytes(
                string.Join("\n", new[] { first, second }.Select(sample => string.Join(",", sample.AsFloats().Select(value => value.ToString("R", CultureInfo.InvariantCulture)))))));
            Assert.AreEqual((int)ExitCode.Ok, Cli.Run("deploy", model, "--port", pair.PortB).ExitCode);

            CliResult infer = Cli.Run("infer", "--port", pair.PortB, "--input", csv, "--output", home.File("device.npy"));

            Assert.AreEqual((int)ExitCode.Ok, infer.ExitCode, infer.ToString());
            NpyArray stacked = NpyFile.Read(home.File("device.npy"));
            CollectionAssert.AreEqual(new[] { 2, 3, 5, 5 }, stacked.Shape);
            float[] expected = new[] { first, second }.SelectMany(sample => HostRun(home, model, sample)).ToArray();
            CollectionAssert.AreEqual(expected, stacked.AsFloats());
        }

        [TestMethod]
        public void DeployedModel_EmulatorRestarted_StillThere()
        {
            using TempHome home = new TempHome();
            using SocatPair pair = new SocatPair();
            string model = home.Write("conv.onnx", Models.QdqConvOnnx());
            using (RunningEmulator first = new RunningEmulator(pair.PortA))
            {
                Assert.AreEqual((int)ExitCode.Ok, Cli.Run("deploy", model, "--port", pair.PortB).ExitCode);
                Assert.AreEqual((int)ExitCode.Ok, first.Stop());
            }

            using RunningEmulator second = new RunningEmulator(pair.PortA);
            CliResult verify = Cli.Run("verify", model, "--port", pair.PortB, "--samples", "2");

            Assert.AreEqual((int)ExitCode.Ok, verify.ExitCode, verify.ToString());
        }

        [TestMethod]
        public void Emulator_HostileBytesAndMaximalFrames_StillAnswersInfo()
        {
            using TempHome home = new TempHome();
            using SocatPair pair = new SocatPair();
            using RunningEmulator emulator = new RunningEmulator(pair.PortA);
            using (SerialPortLink link = SerialPortLink.Open(pair.PortB, SerialPortLink.DefaultBaud))
            {
                Random random = new Random(99);
                byte[] noise = new byte[20_000];
                random.NextBytes(noise);
                link.Write(noise, 0, noise.Length);
                // Valid frames of the largest size, of request types the device must refuse now.
                foreach (int type in new[] { MessageType.Chunk, MessageType.Infer, MessageType.Input, 0x7F, MessageType.Hello })
                {
                    byte[] frame = new byte[FrameCodec.MaxFrameLength];
                    random.NextBytes(frame.AsSpan(FrameCodec.PayloadOffset, FrameCodec.MaxPayloadLength));
                    byte[] wire = new byte[FrameCodec.MaxWireLength];
                    int length = FrameCodec.Encode(frame, type, 1, FrameCodec.MaxPayloadLength, wire, 0);
                    link.Write(wire, 0, length);
                }

                // Longer than any frame, no delimiter until the end.
                byte[] endless = Enumerable.Repeat((byte)0x55, 3000).Append((byte)0).ToArray();
                link.Write(endless, 0, endless.Length);
                DrainUntilQuiet(link);
            }

            CliResult info = Cli.Run("info", "--port", pair.PortB);
            int stopped = emulator.Stop();

            Assert.AreEqual((int)ExitCode.Ok, info.ExitCode, info.ToString());
            StringAssert.Contains(info.Output, "ESP32-DevKitC (emulated)");
            Assert.AreEqual((int)ExitCode.Ok, stopped);
            StringAssert.Contains(emulator.Output, "stopped: ");
            Assert.DoesNotContain(" 0 malformed frames dropped", emulator.Output);
        }

        [TestMethod]
        public void Emulator_OtherEndClosesAndReopens_KeepsServingUntilThePortDisappears()
        {
            using TempHome home = new TempHome();
            SocatPair pair = new SocatPair();
            using RunningEmulator emulator = new RunningEmulator(pair.PortA);

            // A host program opens the other end and exits without a word, then others come and go.
            SerialPortLink.Open(pair.PortB, SerialPortLink.DefaultBaud).Dispose();

            CliResult first = Cli.Run("info", "--port", pair.PortB);
            CliResult second = Cli.Run("info", "--port", pair.PortB);
            bool runningAfterClients = !emulator.HasEnded;
            // socat ends: the port itself is gone.
            pair.Dispose();
            int? ended = emulator.WaitForEnd(TimeSpan.FromSeconds(20));

            Assert.AreEqual((int)ExitCode.Ok, first.ExitCode, first.ToString());
            Assert.AreEqual((int)ExitCode.Ok, second.ExitCode, second.ToString());
            Assert.IsTrue(runningAfterClients, emulator.Output);
            Assert.AreEqual((int)ExitCode.PortUnavailable, ended, emulator.Output);
        }

        [TestMethod]
        public void Info_NothingServesThePort_DeviceNotAnswering()
        {
            using TempHome home = new TempHome();
            using SocatPair pair = new SocatPair();

            CliResult info = Cli.Run("info", "--port", pair.PortB);

            Assert.AreEqual((int)ExitCode.DeviceNotAnswering, info.ExitCode, info.ToString());
            StringAssert.StartsWith(info.Error, $"error: No answer from the device on {pair.PortB} within ");
            StringAssert.Contains(info.Error, "is the firmware running and the wiring right?");
        }

        [TestMethod]
        public void Deploy_EmulatorStopped_NotAnsweringUntilRestarted()
        {
            using TempHome home = new TempHome();
            using SocatPair pair = new SocatPair();
            string model = home.Write("conv.onnx", Models.QdqConvOnnx());
            RunningEmulator first = new RunningEmulator(pair.PortA);
            Assert.AreEqual((int)ExitCode.Ok, Cli.Run("deploy", model, "--port", pair.PortB).ExitCode);
            first.Stop();
            first.Dispose();

            CliResult silent = Cli.Run("deploy", model, "--port", pair.PortB);
            using RunningEmulator second = new RunningEmulator(pair.PortA);
            CliResult again = Cli.Run("deploy", model, "--port", pair.PortB);

            Assert.AreEqual((int)ExitCode.DeviceNotAnswering, silent.ExitCode, silent.ToString());
            Assert.AreEqual((int)ExitCode.Ok, again.ExitCode, again.ToString());
        }

        private static float[] HostRun(TempHome home, string model, NpyArray input)
        {
            string inputPath = home.Write($"in-{Guid.NewGuid():N}.npy", NpyFile.ToBytes(input));
            string outputPath = home.File($"out-{Guid.NewGuid():N}.npy");
            CliResult run = Cli.Run("run", model, "--input", inputPath, "--output", outputPath);
            Assert.AreEqual((int)ExitCode.Ok, run.ExitCode, run.ToString());
            return NpyFile.Read(outputPath).AsFloats();
        }

        /// <summary>Reads the emulator's answers until it has been quiet for half a second.</summary>
        private static void DrainUntilQuiet(ISerialLink link)
        {
            byte[] buffer = new byte[4096];
            while (link.Read(buffer, 0, buffer.Length, 500) > 0)
            {
            }
        }
    }
}
