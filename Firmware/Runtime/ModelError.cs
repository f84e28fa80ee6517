namespace NanoInt8.Runtime
{
    /// <summary>
    /// Why a model blob was refused. The numbers are part of the model format and of the serial
    /// protocol (docs/model-format.md, "Error codes"): never renumber them.
    /// </summary>
    public enum ModelError
    {
        /// <summary>The model is valid.</summary>
        None = 0,
        /// <summary>Shorter than the header.</summary>
        TooShort = 1,
        /// <summary>Not an .ni8 blob.</summary>
        BadMagic = 2,
        /// <summary>A format version this runtime does not read.</summary>
        UnsupportedVersion = 3,
        /// <summary>Reserved bits or fields are not zero.</summary>
        BadFlags = 4,
        /// <summary>The header CRC is wrong.</summary>
        HeaderCrcMismatch = 5,
        /// <summary>totalLength differs from the blob or from the sum of the sections.</summary>
        LengthMismatch = 6,
        /// <summary>The payload CRC is wrong.</summary>
        PayloadCrcMismatch = 7,
        /// <summary>A count or size is outside its limits.</summary>
        CountOutOfRange = 8,
        /// <summary>deviceBytes differs from the formula.</summary>
        DeviceBytesMismatch = 9,
        /// <summary>deviceBytes is above the caller's memory budget.</summary>
        TooLarge = 10,
        /// <summary>A tensor record is invalid.</summary>
        BadTensor = 11,
        /// <summary>A tensor lies outside the arena or its constant section.</summary>
        TensorOutOfBounds = 12,
        /// <summary>Unknown opcode, wrong operand or parameter counts, reserved byte set.</summary>
        BadOperator = 13,
        /// <summary>An operand index is out of range or of the wrong kind.</summary>
        BadOperand = 14,
        /// <summary>Operand shapes are inconsistent with the operator.</summary>
        ShapeMismatch = 15,
        /// <summary>A parameter is outside its range.</summary>
        BadParameter = 16,
        /// <summary>A graph input or output index is invalid.</summary>
        BadGraphIo = 17,
        /// <summary>An operator reads an arena tensor not yet written, or writes one twice.</summary>
        OrderViolation = 18,
        /// <summary>The memory plan lets a write clobber a live tensor.</summary>
        ArenaOverlap = 19,
        /// <summary>One inference is more work than the caller's budget (the header's workPerInference, or the work the reader computed).</summary>
        TooMuchWork = 20,
        /// <summary>The header's workPerInference differs from the work of the model's operators.</summary>
        WorkMismatch = 21,
        /// <summary>Two int32 or int64 constant tensors share elements.</summary>
        ConstantOverlap = 22,
    }
}
