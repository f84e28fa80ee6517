using System.Collections.Immutable;

namespace NanoInt8.Host.Format
{
    /// <summary>
    /// One tensor of a <see cref="ModelBuilder"/>: an int8 activation in the arena, or an int8 or
    /// int32 constant with its data. Instances are created by the builder, which checks that the
    /// format can represent them.
    /// </summary>
    public sealed class ModelTensor
    {
        internal ModelTensor(
            string name,
            TensorElementType elementType,
            TensorStorage storage,
            ImmutableArray<int> shape,
            int zeroPoint,
            int offset,
            ImmutableArray<sbyte> int8Data,
            ImmutableArray<int> int32Data,
            ImmutableArray<long> int64Data = default)
        {
            Name = name;
            ElementType = elementType;
            Storage = storage;
            Shape = shape;
            ZeroPoint = zeroPoint;
            Offset = offset;
            Int8Data = int8Data;
            Int32Data = int32Data;
            Int64Data = int64Data.IsDefault ? ImmutableArray<long>.Empty : int64Data;
        }

        /// <summary>Name for diagnostics and tools; stored in the host metadata (key 5) of the .ni8 blob.</summary>
        public string Name { get; }

        /// <summary>Element type: arena tensors are always int8.</summary>
        public TensorElementType ElementType { get; }

        /// <summary>Arena (activation) or constant.</summary>
        public TensorStorage Storage { get; }

        /// <summary>The shape, rank 1 .. 4, each dimension 1 .. 2^24.</summary>
        public ImmutableArray<int> Shape { get; }

        /// <summary>Zero point: -128 .. 127 for int8 tensors, 0 for int32 tensors.</summary>
        public int ZeroPoint { get; }

        /// <summary>
        /// The record's offset field: for an arena tensor its byte offset in the arena; for an int8
        /// constant its byte index into the int8 constants section; for an int32 constant its
        /// element index into the int32 constants section; for an int64 constant its element index
        /// among the int64 constants (the writer places them after the int32 ones, two words each).
        /// Constants are packed in tensor order.
        /// </summary>
        public int Offset { get; }

        /// <summary>Data of an int8 constant; empty for other tensors.</summary>
        public ImmutableArray<sbyte> Int8Data { get; }

        /// <summary>Data of an int32 constant; empty for other tensors.</summary>
        public ImmutableArray<int> Int32Data { get; }

        /// <summary>Data of an int64 constant; empty for other tensors.</summary>
        public ImmutableArray<long> Int64Data { get; }

        /// <summary>Number of elements: the product of the dimensions.</summary>
        public int ElementCount
        {
            get
            {
                int count = 1;
                foreach (int dimension in Shape)
                {
                    count *= dimension;
                }

                return count;
            }
        }
    }
}
