using System.Buffers.Binary;
using NanoInt8.Runtime;

namespace NanoInt8.Host.Format
{
    /// <summary>
    /// A 12-byte operator record as stored in the blob:
    /// <code>
    /// 0 u8 opCode   1 u8 inputCount   2 u8 outputCount   3 u8 reserved (0)
    /// 4 u32 parameterOffset (first word in the parameter section)   8 u32 parameterCount
    /// </code>
    /// The operator's words are its input indices, output indices, then its parameters.
    /// </summary>
    public sealed record OperatorRecord
    {
        /// <summary>Operator code.</summary>
        public byte OpCode { get; init; }

        /// <summary>Number of input tensor indices.</summary>
        public byte InputCount { get; init; }

        /// <summary>Number of output tensor indices.</summary>
        public byte OutputCount { get; init; }

        /// <summary>Index of the operator's first word in the parameter section.</summary>
        public uint ParameterOffset { get; init; }

        /// <summary>Words the operator owns, operands included.</summary>
        public uint ParameterCount { get; init; }

        /// <summary>Reads the record in the first 12 bytes of <paramref name="record"/>.</summary>
        public static OperatorRecord Parse(ReadOnlySpan<byte> record)
        {
            if (record.Length < ModelFormat.OperatorRecordSize)
            {
                throw new ModelFormatException($"An operator record needs {ModelFormat.OperatorRecordSize} bytes, not {record.Length}.");
            }

            return new OperatorRecord
            {
                OpCode = record[0],
                InputCount = record[1],
                OutputCount = record[2],
                ParameterOffset = BinaryPrimitives.ReadUInt32LittleEndian(record.Slice(4)),
                ParameterCount = BinaryPrimitives.ReadUInt32LittleEndian(record.Slice(8)),
            };
        }

        /// <summary>Writes the record, reserved byte 0, into the first 12 bytes of <paramref name="destination"/>.</summary>
        public void WriteTo(Span<byte> destination)
        {
            if (destination.Length < ModelFormat.OperatorRecordSize)
            {
                throw new ArgumentException($"The destination holds fewer than {ModelFormat.OperatorRecordSize} bytes.", nameof(destination));
            }

            destination[0] = OpCode;
            destination[1] = InputCount;
            destination[2] = OutputCount;
            destination[3] = 0;
            BinaryPrimitives.WriteUInt32LittleEndian(destination.Slice(4), ParameterOffset);
            BinaryPrimitives.WriteUInt32LittleEndian(destination.Slice(8), ParameterCount);
        }
    }
}
