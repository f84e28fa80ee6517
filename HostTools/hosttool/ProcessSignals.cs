using System.Runtime.InteropServices;

namespace NanoInt8.HostTool
{
    /// <summary>
    /// Ctrl+C (SIGINT) and SIGTERM for the hosttool process. The first signal cancels the command's
    /// token: commands stop at their next check (between frames, samples, transfers) and exit 130
    /// through <see cref="Failure"/> (emulate exits 0: that is how it is stopped). A command that
    /// has not ended <see cref="GracePeriod"/> later, or a second signal at any moment, ends the
    /// process at once with exit code 130 and one "error:" line, never a stack trace.
    /// </summary>
    /// <remarks>
    /// This replaces System.CommandLine's own handler, which could throw on a second Ctrl+C while
    /// the first one's cancellation was still running (exit 134 and a stack trace). The forced end
    /// is <c>_exit</c> on Linux and macOS, which runs no cleanup that could crash.
    /// </remarks>
    internal sealed class ProcessSignals : IDisposable
    {
        /// <summary>How long a command may take to stop after the first signal.</summary>
        public static readonly TimeSpan GracePeriod = TimeSpan.FromSeconds(3);

        private const string Message = "error: Cancelled; a deploy that was cut short resumes when it is run again.";

        private readonly CancellationTokenSource _cancellation;
        private readonly TextWriter _error;
        private readonly PosixSignalRegistration[] _registrations;
        private int _signals;

        private ProcessSignals(CancellationTokenSource cancellation, TextWriter error)
        {
            _cancellation = cancellation;
            _error = error;
            _registrations = new[]
            {
                PosixSignalRegistration.Create(PosixSignal.SIGINT, Handle),
                PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handle),
            };
        }

        /// <summary>Handles SIGINT and SIGTERM until disposed: they cancel <paramref name="cancellation"/>.</summary>
        public static ProcessSignals Install(CancellationTokenSource cancellation, TextWriter error) => new ProcessSignals(cancellation, error);

        public void Dispose()
        {
            foreach (PosixSignalRegistration registration in _registrations)
            {
                registration.Dispose();
            }
        }

        private void Handle(PosixSignalContext context)
        {
            // Not the runtime's default (terminate at once): the command gets to stop cleanly.
            context.Cancel = true;
            if (Interlocked.Increment(ref _signals) > 1)
            {
                Exit();
            }

            // Cancelling runs the token's callbacks; they run off this handler's thread, and a
            // failure among them must not become an unhandled exception.
            _ = Task.Run(() =>
            {
                try
                {
                    _cancellation.Cancel();
                }
                catch (Exception exception) when (exception is ObjectDisposedException or AggregateException)
                {
                    // The command has already finished, or a callback failed: the process ends either way.
                }
            });
            _ = Task.Delay(GracePeriod).ContinueWith(_ => Exit(), TaskScheduler.Default);
        }

        private void Exit()
        {
            try
            {
                _error.WriteLine(Message);
                _error.Flush();
            }
            catch (Exception exception) when (exception is IOException or ObjectDisposedException)
            {
                // stderr is gone (a closed pipe): the exit code still says it.
            }

            if (OperatingSystem.IsWindows())
            {
                Environment.Exit((int)ExitCode.Cancelled);
            }

            // Not Environment.Exit: the main thread may be inside ONNX Runtime or already shutting
            // the runtime down, and native destructors running under it crash the process
            // (SIGSEGV, exit 139). _exit ends the process at once; stderr is already flushed.
            ExitImmediately((int)ExitCode.Cancelled);
        }

        [DllImport("libc", EntryPoint = "_exit")]
        private static extern void ExitImmediately(int status);
    }
}
