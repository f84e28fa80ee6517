namespace NanoInt8.HostTool
{
    /// <summary>
    /// The process exit codes of hosttool, documented in README.md. Exceptions are turned into
    /// these in one place, <see cref="Failure.Classify"/>. Codes 10 and up are kept for device and
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

        /// <summary>The model needs more device memory than the board can give it.</summary>
        ModelTooLarge = 5,
    }
}
