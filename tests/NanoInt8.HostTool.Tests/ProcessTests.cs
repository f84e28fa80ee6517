using System.Diagnostics;
using Google.Protobuf;
using System.Runtime.InteropServices;
using NanoInt8.Onnx;
using NanoInt8.Onnx.Protobuf;

namespace NanoInt8.HostTool.Tests
{
    /// <summary>
    /// hosttool as a separate process (the hosttool.dll built beside these tests): what only a
    /// process shows, Ctrl+C (SIGINT) and ONNX Runtime's own log, which it writes to the process's
    /// standard error, not through .NET.
    /// </summary>
    [TestClass]
    public sealed class ProcessTests
    {
        private const int Interrupt = 2; // SIGINT

        [TestMethod]
        [OSCondition(OperatingSystems.Linux | OperatingSystems.OSX)]
        [DataRow("deploy", 0)]
        [DataRow("deploy", 150)]
        [DataRow("deploy", 400)]
        [DataRow("deploy", 800)]
        [DataRow("deploy", 1500)]
        [DataRow("analyze", 300)]
        [DataRow("analyze", 1200)]
        public void CtrlCTwiceAtAnyMoment_Exit130WithoutStackTrace(string command, int delayMilliseconds)
        {
            using TempFolder folder = new TempFolder();

            // The signals land before, during or after the work: the start-up, the transfer, the analysis.
            ChildResult result = RunAndInterrupt(folder, delayMilliseconds, twice: true, LongRunning(folder, command));

            AssertCancelled(result);
        }

        [TestMethod]
        [OSCondition(OperatingSystems.Linux | OperatingSystems.OSX)]
        [DataRow("deploy")]
        [DataRow("analyze")]
        public void CtrlCOnce_StopsCleanlyWithExit130(string command)
        {
            using TempFolder folder = new TempFolder();

            Stopwatch clock = Stopwatch.StartNew();
            ChildResult result = RunAndInterrupt(folder, 800, twice: false, LongRunning(folder, command));

            AssertCancelled(result);
            StringAssert.Contains(result.Error, "error: Cancelled");
            // The command stops at its next check or, at the latest, when the grace period ends.
            Assert.IsLessThan(800 + 15_000, clock.ElapsedMilliseconds);
        }

        [TestMethod]
        public void Analyze_OnnxRuntimeWarnings_OnlyWithVerbose()
        {
            using TempFolder folder = new TempFolder();
            // An initializer no node reads: ONNX Runtime warns "Removing initializer 'unused'" when it loads the model.
            ModelProto proto = OnnxModel.Load(Cli.QdqConvOnnx()).Proto;
            proto.Graph.Initializer.Add(TensorData.Create("unused", new float[] { 1, 2 }, new long[] { 2 }));
            string model = folder.Write("conv.onnx", proto.ToByteArray());

            ChildResult quiet = Run(folder, "analyze", model, "--samples", "1");
            ChildResult verbose = Run(folder, "analyze", model, "--samples", "1", "--verbose");

            Assert.AreEqual((int)ExitCode.Ok, quiet.ExitCode, quiet.Error);
            Assert.AreEqual((int)ExitCode.Ok, verbose.ExitCode, verbose.Error);
            StringAssert.Contains(verbose.Error, "onnxruntime", "the model does make ONNX Runtime warn");
            Assert.DoesNotContain("onnxruntime", quiet.Error);
        }

        [TestMethod]
        public void Boards_FromAnotherFolder_ListsTheBuiltInBoards()
        {
            using TempFolder folder = new TempFolder();

            ChildResult result = Run(folder, "boards");

            Assert.AreEqual((int)ExitCode.Ok, result.ExitCode, result.Error);
            StringAssert.Contains(result.Output, "esp32-devkitc");
            StringAssert.Contains(result.Output, "esp32-c3-devkitm");
        }

        /// <summary>
        /// A command that runs for seconds: deploy at 4800 baud (the model's bytes alone take 5 s),
        /// or analyze on enough samples for a minute of work.
        /// </summary>
        private static string[] LongRunning(TempFolder folder, string command)
        {
            string model = folder.Write("conv.onnx", Cli.QdqConvOnnx());
            return command == "deploy" ? new[] { "deploy", model, "--baud", "4800" } : new[] { "analyze", model, "--samples", "200000" };
        }

        private static void AssertCancelled(ChildResult result)
        {
            // 130 either way: exited by hosttool's handler, or killed by the signal before the
            // runtime had installed it (.NET reports 128 + the signal number, as shells do).
            Assert.AreEqual((int)ExitCode.Cancelled, result.ExitCode, result.Error);
            Assert.DoesNotContain("   at ", result.Error, "no stack trace");
            Assert.DoesNotContain("Unhandled", result.Error);
            Assert.IsTrue(result.Error.Length == 0 || result.Error.TrimEnd().EndsWith("error: Cancelled; a deploy that was cut short resumes when it is run again.", StringComparison.Ordinal),
                result.Error);
        }

        private static ChildResult RunAndInterrupt(TempFolder folder, int delayMilliseconds, bool twice, params string[] args)
        {
            using Process process = Start(folder, args);
            Task<string> output = process.StandardOutput.ReadToEndAsync();
            Task<string> error = process.StandardError.ReadToEndAsync();
            Thread.Sleep(delayMilliseconds);
            Assert.IsFalse(process.HasExited, $"hosttool ended before Ctrl+C: {error.Result}");
            SendInterrupt(process);
            if (twice)
            {
                Thread.Sleep(50);
                SendInterrupt(process);
            }

            Assert.IsTrue(process.WaitForExit(30_000), "hosttool ended within 30 s of Ctrl+C");
            return new ChildResult(process.ExitCode, output.Result, error.Result);
        }

        private static ChildResult Run(TempFolder folder, params string[] args)
        {
            using Process process = Start(folder, args);
            Task<string> output = process.StandardOutput.ReadToEndAsync();
            Task<string> error = process.StandardError.ReadToEndAsync();
            Assert.IsTrue(process.WaitForExit(120_000), "hosttool ended within 120 s");
            return new ChildResult(process.ExitCode, output.Result, error.Result);
        }

        private static Process Start(TempFolder folder, string[] args)
        {
            ProcessStartInfo start = new ProcessStartInfo("dotnet")
            {
                WorkingDirectory = folder.Path,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "hosttool.dll"));
            foreach (string arg in args)
            {
                start.ArgumentList.Add(arg);
            }

            start.Environment[Host.Device.EmulatedBoard.HomeVariable] = folder.File("emulator");
            return Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        }

        private static void SendInterrupt(Process process)
        {
            if (!process.HasExited)
            {
                _ = Kill(process.Id, Interrupt);
            }
        }

        [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
        private static extern int Kill(int processId, int signal);

        private sealed record ChildResult(int ExitCode, string Output, string Error);
    }
}
