namespace NanoInt8.Onnx;

/// <summary>
/// Thrown when a NumPy .npy file cannot be read (bad magic, unsupported version, truncated or
/// malformed header, unsupported dtype, Fortran order, big-endian data, shape and data size that
/// disagree) or an array cannot be written.
/// </summary>
public sealed class NpyFormatException : Exception
{
    /// <summary>Creates the exception with a message that says what is wrong.</summary>
    /// <param name="message">A sentence naming the problem, with the offending value where useful.</param>
    public NpyFormatException(string message)
        : base(message)
    {
    }
}
