namespace NanoInt8.HostTool
{
    /// <summary>
    /// The process exit codes of hosttool, documented in README.md. Exceptions are turned into
    /// these in one place, <see cref="Failure.Classify"/>. Codes 10 and up are device and
    /// serial-link failures.
    /// </summary>
    public enum ExitCode
    {
        /// <summary>The command did what was asked.</summary>
        Ok = 0,

        /// <summary>A bug in hosttool or a library it uses: an exception nobody expected.</summary>
        InternalError = 1,

        /// <summary>Bad arguments: unknown option, missing value, unknown board, inputs that do not fit the model.</summary>
        UsageError = 2,

        /// <summary>A file could not be found, read or written.</summary>
        FileError = 3,

        /// <summary>The model (or an .npy input) is invalid or uses something unsupported.</summary>
        InvalidModel = 4,

        /// <summary>The model needs more device memory, or more work per inference, than the board (its file, or the device's INFO) can give it.</summary>
        ModelTooLarge = 5,

        /// <summary>The serial port does not exist, is busy, access is denied, or it went away while in use.</summary>
        PortUnavailable = 10,

        /// <summary>The device did not answer (firmware not running, wrong port or wiring, wrong baud).</summary>
        DeviceNotAnswering = 11,

        /// <summary>The device speaks another protocol version, or sent something the protocol does not allow.</summary>
        ProtocolMismatch = 12,

        /// <summary>The device's model reader refused the model (the message gives its error code).</summary>
        ModelRefused = 13,

        /// <summary>A model transfer could not be completed; deploying again resumes it.</summary>
        TransferFailed = 14,

        /// <summary>The device has no model, or not the model the command is about.</summary>
        NoModelOnDevice = 15,

        /// <summary>The device answered a request with an error (e.g. inputs of the wrong size for its model).</summary>
        DeviceError = 16,

        /// <summary>verify: the device and ONNX Runtime differ by more than the tolerance.</summary>
        VerificationFailed = 17,

        /// <summary>Stopped by Ctrl+C (or SIGTERM) before it finished.</summary>
        Cancelled = 130,
    }
}
