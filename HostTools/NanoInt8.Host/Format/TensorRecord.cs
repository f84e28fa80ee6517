using System.Buffers.Binary;
using System.Collections.Immutable;
using NanoInt8.Runtime;

namespace NanoInt8.Host.Format
{
    /// <summary>
    /// A 32-byte tensor record as stored in the blob:
    /// <code>
    ///  0 u8 elementType (1 int8, 2 int32)   1 u8 rank (1 .. 4)   2 u8 storage (0 arena, 1 constant)
    ///  3 u8 reserved (0)                    4 i32[4] dims, right-padded with 1
    /// 20 i32 zeroPoint                      24 i32 offset        28 u32 reserved (0)
    /// </code>
    /// Values are kept as read, valid or not.
    /// </summary>
    public sealed record TensorRecord
    {
        /// <summary>Element type code.</summary>
        public TensorElementType ElementType { get; init; }

        /// <summary>Rank, 1 .. 4 when valid.</summary>
        public int Rank { get; init; }

        /// <summary>Storage code.</summary>
        public TensorStorage Storage { get; init; }

        /// <summary>The four dims fields; those past the rank are 1 when valid.</summary>
        public ImmutableArray<int> Dims { get; init; } = ImmutableArray.Create(1, 1, 1, 1);

        /// <summary>Zero point.</summary>
        public int ZeroPoint { get; init; }

        /// <summary>Arena byte offset, int8 constant byte index or int32 constant element index.</summary>
        public int Offset { get; init; }

        /// <summary>The first <see cref="Rank"/> dims (all four if the rank is larger).</summary>
        public ImmutableArray<int> Shape => Dims.Take(Math.Clamp(Rank, 0, 4)).ToImmutableArray();

        /// <summary>The record the writer stores for <paramref name="tensor"/>.</summary>
        /// <param name="tensor">The tensor.</param>
        /// <param name="int64Base">Word index in the int32 constants section where the int64
        /// constants start (the model's int32 constant words): an int64 constant's offset is that
        /// plus two words per element before it.</param>
        public static TensorRecord FromTensor(ModelTensor tensor, int int64Base = 0)
        {
            ArgumentNullException.ThrowIfNull(tensor);
            int[] dims = { 1, 1, 1, 1 };
            tensor.Shape.CopyTo(dims);
            return new TensorRecord
            {
                ElementType = tensor.ElementType,
                Rank = tensor.Shape.Length,
                Storage = tensor.Storage,
                Dims = ImmutableArray.Create(dims),
                ZeroPoint = tensor.ZeroPoint,
                Offset = tensor.ElementType == TensorElementType.Int64 ? int64Base + (2 * tensor.Offset) : tensor.Offset,
            };
        }

        /// <summary>Reads the record in the first 32 bytes of <paramref name="record"/>.</summary>
        public static TensorRecord Parse(ReadOnlySpan<byte> record)
        {
            if (record.Length < ModelFormat.TensorRecordSize)
            {
                throw new ModelFormatException($"A tensor record needs {ModelFormat.TensorRecordSize} bytes, not {record.Length}.");
            }

            return new TensorRecord
            {
                ElementType = (TensorElementType)record[0],
                Rank = record[1],
                Storage = (TensorStorage)record[2],
                Dims = ImmutableArray.Create(
                    BinaryPrimitives.ReadInt32LittleEndian(record.Slice(4)),
                    BinaryPrimitives.ReadInt32LittleEndian(record.Slice(8)),
                    BinaryPrimitives.ReadInt32LittleEndian(record.Slice(12)),
                    BinaryPrimitives.ReadInt32LittleEndian(record.Slice(16))),
                ZeroPoint = BinaryPrimitives.ReadInt32LittleEndian(record.Slice(20)),
                Offset = BinaryPrimitives.ReadInt32LittleEndian(record.Slice(24)),
            };
        }

        /// <summary>Writes the record, reserved fields 0, into the first 32 bytes of <paramref name="destination"/>.</summary>
        public void WriteTo(Span<byte> destination)
        {
            if (destination.Length < ModelFormat.TensorRecordSize)
            {
                throw new ArgumentException($"The destination holds fewer than {ModelFormat.TensorRecordSize} bytes.", nameof(destination));
            }

            if (Dims.Length != 4)
            {
                throw new ModelFormatException($"A tensor record has exactly 4 dims fields, not {Dims.Length}.");
            }

            if (Rank < 0 || Rank > byte.MaxValue)
            {
                throw new ModelFormatException($"Rank {Rank} does not fit the record's u8 field.");
            }

            destination.Slice(0, ModelFormat.TensorRecordSize).Clear();
            destination[0] = (byte)ElementType;
            destination[1] = (byte)Rank;
            destination[2] = (byte)Storage;
            for (int axis = 0; axis < 4; axis++)
            {
                BinaryPrimitives.WriteInt32LittleEndian(destination.Slice(4 + (4 * axis)), Dims[axis]);
            }

            BinaryPrimitives.WriteInt32LittleEndian(destination.Slice(20), ZeroPoint);
            BinaryPrimitives.WriteInt32LittleEndian(destination.Slice(24), Offset);
        }
    }
}
