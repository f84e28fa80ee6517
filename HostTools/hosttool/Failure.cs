using NanoInt8.Host.Boards;
using NanoInt8.Host.Conversion;
using NanoInt8.Host.Device;
using NanoInt8.Host.Execution;
using NanoInt8.Host.Files;
using NanoInt8.Host.Format;
using NanoInt8.Onnx;
using NanoInt8.Runtime;

namespace NanoInt8.HostTool
{
    /// <summary>
    /// The one place where exceptions become exit codes and messages: one line on stderr starting
    /// with "error: ", and the stack trace only with --verbose.
    /// </summary>
    internal static class Failure
    {
        /// <summary>The exit code an exception stands for.</summary>
        public static ExitCode Classify(Exception exception) => exception switch
        {
            UsageException or InputMismatchException or BoardNotFoundException or BoardFormatException or ClassLabelsException => ExitCode.UsageError,
            // A ConversionException too, so it comes first.
            ModelTooLargeException or ModelTooMuchWorkException => ExitCode.ModelTooLarge,
            ModelRefusedException { Error: ModelError.TooLarge or ModelError.TooMuchWork } => ExitCode.ModelTooLarge,
            OnnxFormatException or ConversionException or ModelLoadException or ModelFormatException or NpyFormatException or OnnxRuntimeRunException => ExitCode.InvalidModel,
            SerialPortUnavailableException or SerialLinkClosedException or DeviceBusyException => ExitCode.PortUnavailable,
            DeviceTimeoutException => ExitCode.DeviceNotAnswering,
            DeviceProtocolException => ExitCode.ProtocolMismatch,
            ModelRefusedException => ExitCode.ModelRefused,
            TransferFailedException => ExitCode.TransferFailed,
            DeviceModelMismatchException => ExitCode.NoModelOnDevice,
            DeviceErrorException => ExitCode.DeviceError,
            VerificationFailedException => ExitCode.VerificationFailed,
            OperationCanceledException => ExitCode.Cancelled,
            // FileNotFoundException and DirectoryNotFoundException are IOExceptions.
            IOException or UnauthorizedAccessException => ExitCode.FileError,
            _ => ExitCode.InternalError,
        };

        /// <summary>Prints the failure to <paramref name="error"/> and returns its exit code.</summary>
        public static int Report(Exception exception, bool verbose, TextWriter error)
        {
            ExitCode code = Classify(exception);
            string message = OneLine(exception.Message);
            if (code == ExitCode.Cancelled)
            {
                message = "Cancelled; a deploy that was cut short resumes when it is run again.";
            }
            else if (code == ExitCode.InternalError)
            {
                message = $"internal error ({exception.GetType().Name}): {message}";
                if (!verbose)
                {
                    message += " (run with --verbose for the stack trace)";
                }
            }

            error.WriteLine($"error: {message}");
            if (verbose)
            {
                error.WriteLine(exception.ToString());
            }

            return (int)code;
        }

        private static string OneLine(string message)
        {
            return string.Join(' ', message.Split(new[] { '\r', '\n' }, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        }
    }
}
