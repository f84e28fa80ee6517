using System.Diagnostics;
using System.Text;
using NanoInt8.HostTool;
using NanoInt8.Onnx;

namespace NanoInt8.EndToEnd.Tests
{
    /// <summary>What one in-process hosttool run printed and returned.</summary>
    internal sealed record CliResult(int ExitCode, string Output, string Error)
    {
        public override string ToString() => $"exit {ExitCode}\n{Output}\n{Error}";
    }

    /// <summary>Runs hosttool in-process, as the CLI tests do.</summary>
    internal static class Cli
    {
        public static CliResult Run(params string[] args)
        {
            using StringWriter output = new StringWriter();
            using StringWriter error = new StringWriter();
            int exitCode = Program.RunAsync(args, output, error).GetAwaiter().GetResult();
            return new CliResult(exitCode, output.ToString(), error.ToString());
        }
    }

    /// <summary>
    /// Two connected pseudo-terminals made by socat, named /tmp/ni8-e2e-UNIQUE-a and -b. The test
    /// fails (not skips) when socat is missing: .ci/run installs it.
    /// </summary>
    internal sealed class SocatPair : IDisposable
    {
        private readonly Process _process;

        public SocatPair()
        {
            string? socat = FindOnPath("socat");
            if (socat is null)
            {
                Assert.Fail("socat is not installed, and the end-to-end tests need it for a virtual serial pair: apt-get install socat (.ci/run does this).");
            }

            string stem = Path.Combine("/tmp", $"ni8-e2e-{Guid.NewGuid():N}");
            PortA = stem + "-a";
            PortB = stem + "-b";
            ProcessStartInfo start = new ProcessStartInfo(socat!)
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
                UseShellExecute = false,
            };
            foreach (string argument in new[] { "-d", "-d", $"pty,raw,echo=0,link={PortA}", $"pty,raw,echo=0,link={PortB}" })
            {
                start.ArgumentList.Add(argument);
            }

            _process = Process.Start(start)!;
            // socat -d -d logs to stderr; drain it so it never blocks on a full pipe.
            _process.ErrorDataReceived += (_, _) => { };
            _process.OutputDataReceived += (_, _) => { };
            _process.BeginErrorReadLine();
            _process.BeginOutputReadLine();
            Stopwatch waited = Stopwatch.StartNew();
            while (!(File.Exists(PortA) && File.Exists(PortB)))
            {
                if (_process.HasExited || waited.Elapsed > TimeSpan.FromSeconds(10))
                {
                    Dispose();
                    Assert.Fail($"socat did not create {PortA} and {PortB}.");
                }

                Thread.Sleep(20);
            }
        }

        /// <summary>The end the emulator serves.</summary>
        public string PortA { get; }

        /// <summary>The end the host commands use.</summary>
        public string PortB { get; }

        public void Dispose()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit();
            }

            _process.Dispose();
            File.Delete(PortA);
            File.Delete(PortB);
        }

        private static string? FindOnPath(string program)
        {
            foreach (string folder in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            {
                string candidate = Path.Combine(folder, program);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }

            return null;
        }
    }

    /// <summary><c>hosttool emulate --port P</c> run in-process on a background task until disposed.</summary>
    internal sealed class RunningEmulator : IDisposable
    {
        private readonly CancellationTokenSource _stop = new CancellationTokenSource();
        private readonly LockedWriter _output = new LockedWriter();
        private readonly Task<int> _run;

        public RunningEmulator(string port, string board = "esp32-devkitc")
        {
            _run = Task.Run(() => Program.RunAsync(new[] { "emulate", "--port", port, "--board", board }, _output, _output, _stop.Token));
            Stopwatch waited = Stopwatch.StartNew();
            while (!_output.ToString().Contains("emulating", StringComparison.Ordinal))
            {
                if (_run.IsCompleted || waited.Elapsed > TimeSpan.FromSeconds(20))
                {
                    _stop.Cancel();
                    Assert.Fail($"hosttool emulate did not start: {_output}");
                }

                Thread.Sleep(20);
            }
        }

        public string Output => _output.ToString();

        /// <summary>True once the emulator returned (by itself, or after <see cref="Stop"/>).</summary>
        public bool HasEnded => _run.IsCompleted;

        /// <summary>Waits up to <paramref name="timeout"/> for the emulator to end by itself; its exit code, or null while it runs.</summary>
        public int? WaitForEnd(TimeSpan timeout) => _run.Wait(timeout) ? _run.Result : null;

        /// <summary>Stops the emulator as Ctrl+C would and returns its exit code.</summary>
        public int Stop()
        {
            _stop.Cancel();
            return _run.GetAwaiter().GetResult();
        }

        public void Dispose()
        {
            if (!_run.IsCompleted)
            {
                _stop.Cancel();
                _run.Wait(TimeSpan.FromSeconds(20));
            }

            _stop.Dispose();
        }

        /// <summary>A StringWriter safe to write from the emulator's thread and read from the test's.</summary>
        private sealed class LockedWriter : TextWriter
        {
            private readonly StringBuilder _text = new StringBuilder();

            public override Encoding Encoding => Encoding.UTF8;

            public override void Write(char value)
            {
                lock (_text)
                {
                    _text.Append(value);
                }
            }

            public override void Write(string? value)
            {
                lock (_text)
                {
                    _text.Append(value);
                }
            }

            public override string ToString()
            {
                lock (_text)
                {
                    return _text.ToString();
                }
            }
        }
    }

    /// <summary>A temporary folder, also used as the emulator's home (NANOINT8_EMULATOR_HOME) while it exists.</summary>
    internal sealed class TempHome : IDisposable
    {
        private readonly string? _previousHome;

        public TempHome()
        {
            Path = Directory.CreateTempSubdirectory("hosttool-e2e-").FullName;
            _previousHome = Environment.GetEnvironmentVariable("NANOINT8_EMULATOR_HOME");
            Environment.SetEnvironmentVariable("NANOINT8_EMULATOR_HOME", System.IO.Path.Combine(Path, "emulator"));
        }

        public string Path { get; }

        public string File(string name) => System.IO.Path.Combine(Path, name);

        public string Write(string name, byte[] bytes)
        {
            string path = File(name);
            System.IO.File.WriteAllBytes(path, bytes);
            return path;
        }

        public void Dispose()
        {
            Environment.SetEnvironmentVariable("NANOINT8_EMULATOR_HOME", _previousHome);
            Directory.Delete(Path, recursive: true);
        }
    }

    /// <summary>The model the tests deploy: a QDQ Conv as ONNX Runtime's static quantization writes it.</summary>
    internal static class Models
    {
        /// <summary>The shared QDQ Conv model (tests/TestModels.Shared).</summary>
        public static byte[] QdqConvOnnx() => NanoInt8.Tests.Shared.QdqConvModel.Onnx();

        /// <summary>Deterministic float input for <see cref="QdqConvOnnx"/>.</summary>
        public static NpyArray QdqConvInput(int seed = 1234) => NanoInt8.Tests.Shared.QdqConvModel.Input(seed);
    }
}
