using NanoInt8.Runtime;

namespace NanoInt8.Host.Execution
{
    /// <summary>
    /// An .ni8 blob that the device's model reader (<see cref="ModelReader.TryRead(byte[], int, long, out Model)"/>) refuses. The
    /// message names the error code, its name and its meaning (docs/model-format.md, "Error codes").
    /// </summary>
    public sealed class ModelLoadException : Exception
    {
        /// <summary>Creates the exception for the reader's <paramref name="error"/>.</summary>
        /// <param name="error">The reader's answer; not <see cref="ModelError.None"/>.</param>
        public ModelLoadException(ModelError error)
            : base($"The model was refused by the device's model reader: error {(int)error} ({error}): {Describe(error)}.")
        {
            Error = error;
        }

        /// <summary>The reader's error code.</summary>
        public ModelError Error { get; }

        /// <summary>What an error code means, as docs/model-format.md words it.</summary>
        public static string Describe(ModelError error) => error switch
        {
            ModelError.None => "the model is valid",
            ModelError.TooShort => "the blob is shorter than the 64-byte header",
            ModelError.BadMagic => "it is not an .ni8 blob (bad magic)",
            ModelError.UnsupportedVersion => $"the format version is not one this runtime reads ({ModelFormat.MinVersion} to {ModelFormat.Version}); a newer model needs a newer runtime",
            ModelError.BadFlags => "reserved bits or fields are not 0",
            ModelError.HeaderCrcMismatch => "the header CRC is wrong",
            ModelError.LengthMismatch => "totalLength differs from the blob or from the sum of the sections",
            ModelError.PayloadCrcMismatch => "the payload CRC is wrong",
            ModelError.CountOutOfRange => "a count or size is outside its limits",
            ModelError.DeviceBytesMismatch => "deviceBytes differs from the format's formula",
            ModelError.TooLarge => "deviceBytes is above the memory budget",
            ModelError.BadTensor => "a tensor record is invalid (type, rank, dims, zero point or storage)",
            ModelError.TensorOutOfBounds => "a tensor lies outside the arena or its constant section",
            ModelError.BadOperator => "an operator has an unknown opcode, wrong operand or parameter counts, or a reserved byte set",
            ModelError.BadOperand => "an operand index is out of range or of the wrong kind",
            ModelError.ShapeMismatch => "operand shapes are inconsistent with an operator",
            ModelError.BadParameter => "a parameter is outside its range",
            ModelError.BadGraphIo => "a graph input or output index is invalid or not an arena int8 tensor",
            ModelError.OrderViolation => "an operator reads an arena tensor not yet written, or writes one twice",
            ModelError.ArenaOverlap => "the memory plan lets a write clobber a live tensor (or two graph inputs overlap)",
            ModelError.TooMuchWork => "one inference is more work than the device's budget (maxWorkPerInference)",
            ModelError.WorkMismatch => "the header's workPerInference differs from the work of the model's operators",
            ModelError.ConstantOverlap => "two int32 or int64 constant tensors share elements",
            _ => "an error code this host tool does not know",
        };
    }
}
