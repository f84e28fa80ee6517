namespace NanoInt8.Host.Conversion
{
    /// <summary>
    /// A model the converter cannot turn into an integer model. The message is one sentence a
    /// user can act on: it names the node and operator and says what is supported instead.
    /// </summary>
    public class ConversionException : Exception
    {
        /// <summary>Creates the exception.</summary>
        public ConversionException(string message, string? nodeName = null, string? operatorType = null)
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
}

namespace NanoInt8.Host.Conversion
{
    /// <summary>The converted model needs more device memory than the target board offers.</summary>
    public sealed class ModelTooLargeException : ConversionException
    {
        /// <summary>Creates the exception.</summary>
        public ModelTooLargeException(string message, long requiredBytes, long availableBytes)
            : base(message)
        {
            RequiredBytes = requiredBytes;
            AvailableBytes = availableBytes;
        }

        /// <summary>What the model takes on the device: its deviceBytes and the interpreter's records.</summary>
        public long RequiredBytes { get; }

        /// <summary>What the board offers.</summary>
        public long AvailableBytes { get; }
    }

    /// <summary>One inference of the converted model is more work than the target board allows (its maxWorkPerInference).</summary>
    public sealed class ModelTooMuchWorkException : ConversionException
    {
        /// <summary>Creates the exception.</summary>
        public ModelTooMuchWorkException(string message, long work, long workBudget)
            : base(message)
        {
            Work = work;
            WorkBudget = workBudget;
        }

        /// <summary>Work units of one inference.</summary>
        public long Work { get; }

        /// <summary>What the board allows.</summary>
        public long WorkBudget { get; }
    }
}
