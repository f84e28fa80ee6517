namespace NanoInt8.Host.Quantization
{
    /// <summary>
    /// A float model that <see cref="StaticQuantizer"/> cannot quantize: an operator the converter
    /// does not support, weights that are not constants, an opset too old for the requested
    /// quantization. The message is one sentence naming the node and what to do instead.
    /// </summary>
    public class QuantizationException : Exception
    {
        /// <summary>Creates the exception.</summary>
        /// <param name="message">What is wrong, naming the node and operator where there is one.</param>
        /// <param name="nodeName">The ONNX node at fault, when there is one.</param>
        /// <param name="operatorType">The ONNX operator type at fault, when there is one.</param>
        public QuantizationException(string message, string? nodeName = null, string? operatorType = null)
            : base(message)
        {
            NodeName = nodeName;
            OperatorType = operatorType;
        }

        /// <summary>The ONNX node at fault, when there is one.</summary>
        public string? NodeName { get; }

        /// <summary>The ONNX operator type at fault, when there is one.</summary>
        public string? OperatorType { get; }
    }

    /// <summary>
    /// Calibration data that does not fit the model or cannot be read: a shape or element type
    /// other than the model input's, no samples, a CSV field that is not a number.
    /// </summary>
    public sealed class CalibrationDataException : QuantizationException
    {
        /// <summary>Creates the exception.</summary>
        /// <param name="message">What is wrong: the file, what it holds and what the model expects.</param>
        public CalibrationDataException(string message)
            : base(message)
        {
        }
    }
}
