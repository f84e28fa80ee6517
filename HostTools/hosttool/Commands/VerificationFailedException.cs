namespace NanoInt8.HostTool
{
    /// <summary>verify found the device and ONNX Runtime further apart than the tolerance; exit code <see cref="ExitCode.VerificationFailed"/>.</summary>
    public sealed class VerificationFailedException : Exception
    {
        /// <summary>Creates the exception.</summary>
        /// <param name="message">One sentence with the largest difference and the tolerance.</param>
        public VerificationFailedException(string message)
            : base(message)
        {
        }
    }
}
