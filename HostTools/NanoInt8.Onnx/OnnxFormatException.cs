namespace NanoInt8.Onnx;

/// <summary>
/// Thrown when bytes that should hold an ONNX model, or a tensor inside one, cannot be used:
/// not a protobuf message, not an ONNX model, no graph, data kept in external files, element
/// counts that do not match the dims, or an attribute of the wrong kind.
/// </summary>
public sealed class OnnxFormatException : Exception
{
    /// <summary>Creates the exception with a message that says what is wrong and where.</summary>
    /// <param name="message">A sentence naming the model, tensor, node or attribute concerned.</param>
    public OnnxFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the error that revealed the problem.</summary>
    /// <param name="message">A sentence naming the model, tensor, node or attribute concerned.</param>
    /// <param name="innerException">The parser or I/O error underneath.</param>
    public OnnxFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
