using System.Collections.Immutable;
using NanoInt8.Runtime;

namespace NanoInt8.Host.Format
{
    /// <summary>
    /// A mutable description of an integer model, filled in by the converter (or by tests) and
    /// turned into an .ni8 blob by <see cref="ModelWriter"/>.
    /// </summary>
    /// <remarks>
    /// Tensors are checked when they are added, against what a tensor record can hold: rank 1 .. 4,
    /// dimensions and element count 1 .. 2^24, int8 zero point -128 .. 127, data length equal to the
    /// element count. Operators are not checked beyond what an operator record can hold (opcode
    /// 0 .. 255, at most 255 inputs and outputs): their meaning is the device reader's business, and
    /// tests deliberately build invalid operators to exercise it. Constants are packed in the order
    /// they are added, so each constant's offset is known when it is added.
    /// </remarks>
    public sealed class ModelBuilder
    {
        private readonly List<ModelTensor> _tensors = new List<ModelTensor>();
        private readonly List<ModelOperator> _operators = new List<ModelOperator>();
        private ModelMetadata _metadata = new ModelMetadata();

        /// <summary>The tensors in index order.</summary>
        public IReadOnlyList<ModelTensor> Tensors => _tensors;

        /// <summary>The operators in execution order.</summary>
        public IReadOnlyList<ModelOperator> Operators => _operators;

        /// <summary>Graph input tensor indices, 1 .. 255 of them in a writable model.</summary>
        public IList<int> Inputs { get; } = new List<int>();

        /// <summary>Graph output tensor indices, 1 .. 255 of them in a writable model.</summary>
        public IList<int> Outputs { get; } = new List<int>();

        /// <summary>Size in bytes of the activation arena the memory plan needs.</summary>
        public int ArenaBytes { get; set; }

        /// <summary>
        /// The header flags: bits 0-1 the device requantization arithmetic, bit 2 per-tensor weights
        /// (<see cref="Requantization"/>); 0, TensorFlow Lite's Q31 pairs, unless set.
        /// </summary>
        public ushort Flags { get; set; }

        /// <summary>Host metadata written after the constants (model name, source hash, I/O quantization).</summary>
        public ModelMetadata Metadata
        {
            get => _metadata;
            set => _metadata = value ?? throw new ArgumentNullException(nameof(value));
        }

        /// <summary>Bytes of int8 constant data added so far (the header's int8Bytes, before padding).</summary>
        public int Int8ConstantBytes { get; private set; }

        /// <summary>Words of int32 constant data added so far (the header's int32Words less two per int64 constant).</summary>
        public int Int32ConstantWords { get; private set; }

        /// <summary>Elements of int64 constant data added so far (two words each, after the int32 constants).</summary>
        public int Int64ConstantCount { get; private set; }

        /// <summary>Adds an int8 activation tensor that lives in the arena.</summary>
        /// <param name="name">Name for tools; written to the host metadata (key 5), never read by the device.</param>
        /// <param name="shape">Shape, rank 1 .. 4, each dimension 1 .. 2^24.</param>
        /// <param name="zeroPoint">Zero point, -128 .. 127.</param>
        /// <param name="arenaOffset">Byte offset in the arena, not negative. Whether the tensor fits
        /// in <see cref="ArenaBytes"/> is left to the device reader.</param>
        /// <returns>The new tensor's index.</returns>
        /// <exception cref="ModelFormatException">A tensor record cannot hold the tensor.</exception>
        public int AddArenaTensor(string name, int[] shape, int zeroPoint, int arenaOffset)
        {
            ArgumentNullException.ThrowIfNull(name);
            ImmutableArray<int> checkedShape = CheckShape(name, shape);
            CheckInt8ZeroPoint(name, zeroPoint);
            if (arenaOffset < 0)
            {
                throw new ModelFormatException($"Tensor '{name}': arena offset {arenaOffset} is negative.");
            }

            return Add(new ModelTensor(
                name,
                TensorElementType.Int8,
                TensorStorage.Arena,
                checkedShape,
                zeroPoint,
                arenaOffset,
                ImmutableArray<sbyte>.Empty,
                ImmutableArray<int>.Empty));
        }

        /// <summary>Adds an int8 constant (weights, lookup table); the data is copied.</summary>
        /// <param name="name">Name for tools; written to the host metadata (key 5), never read by the device.</param>
        /// <param name="data">The elements in row-major order, as many as the shape holds.</param>
        /// <param name="shape">Shape, rank 1 .. 4, each dimension 1 .. 2^24.</param>
        /// <param name="zeroPoint">Zero point, -128 .. 127 (filters are symmetric: 0).</param>
        /// <returns>The new tensor's index.</returns>
        /// <exception cref="ModelFormatException">A tensor record cannot hold the tensor.</exception>
        public int AddConstantInt8(string name, sbyte[] data, int[] shape, int zeroPoint = 0)
        {
            ArgumentNullException.ThrowIfNull(name);
            ArgumentNullException.ThrowIfNull(data);
            ImmutableArray<int> checkedShape = CheckShape(name, shape);
            CheckInt8ZeroPoint(name, zeroPoint);
            CheckDataLength(name, data.Length, checkedShape);
            int offset = Int8ConstantBytes;
            if ((long)offset + data.Length > int.MaxValue)
            {
                throw new ModelFormatException($"Tensor '{name}': the int8 constants would exceed {int.MaxValue} bytes.");
            }

            int index = Add(new ModelTensor(
                name,
                TensorElementType.Int8,
                TensorStorage.Constant,
                checkedShape,
                zeroPoint,
                offset,
                ImmutableArray.Create(data),
                ImmutableArray<int>.Empty));
            Int8ConstantBytes = offset + data.Length;
            return index;
        }

        /// <summary>Adds an int32 constant (bias, multipliers, shifts, table); the data is copied.</summary>
        /// <param name="name">Name for tools; written to the host metadata (key 5), never read by the device.</param>
        /// <param name="data">The elements in row-major order, as many as the shape holds.</param>
        /// <param name="shape">Shape, rank 1 .. 4, each dimension 1 .. 2^24.</param>
        /// <returns>The new tensor's index.</returns>
        /// <exception cref="ModelFormatException">A tensor record cannot hold the tensor.</exception>
        public int AddConstantInt32(string name, int[] data, int[] shape)
        {
            ArgumentNullException.ThrowIfNull(name);
            ArgumentNullException.ThrowIfNull(data);
            ImmutableArray<int> checkedShape = CheckShape(name, shape);
            CheckDataLength(name, data.Length, checkedShape);
            int offset = Int32ConstantWords;
            // The section is 4 bytes a word and its size must stay a valid array length.
            if (((long)offset + data.Length) * 4 > int.MaxValue)
            {
                throw new ModelFormatException($"Tensor '{name}': the int32 constants would exceed {int.MaxValue} bytes.");
            }

            int index = Add(new ModelTensor(
                name,
                TensorElementType.Int32,
                TensorStorage.Constant,
                checkedShape,
                0,
                offset,
                ImmutableArray<sbyte>.Empty,
                ImmutableArray.Create(data)));
            Int32ConstantWords = offset + data.Length;
            return index;
        }

        /// <summary>Adds an int64 constant (packed filter words); the data is copied.</summary>
        /// <param name="name">Name for tools; written to the host metadata (key 5), never read by the device.</param>
        /// <param name="data">The elements in row-major order, as many as the shape holds.</param>
        /// <param name="shape">Shape, rank 1 .. 4, each dimension 1 .. 2^24.</param>
        /// <returns>The new tensor's index.</returns>
        /// <exception cref="ModelFormatException">A tensor record cannot hold the tensor.</exception>
        public int AddConstantInt64(string name, long[] data, int[] shape)
        {
            ArgumentNullException.ThrowIfNull(name);
            ArgumentNullException.ThrowIfNull(data);
            ImmutableArray<int> checkedShape = CheckShape(name, shape);
            CheckDataLength(name, data.Length, checkedShape);
            int offset = Int64ConstantCount;
            if ((Int32ConstantWords + (2L * (offset + data.Length))) * 4 > int.MaxValue)
            {
                throw new ModelFormatException($"Tensor '{name}': the int32 constants section would exceed {int.MaxValue} bytes.");
            }

            int index = Add(new ModelTensor(
                name,
                TensorElementType.Int64,
                TensorStorage.Constant,
                checkedShape,
                0,
                offset,
                ImmutableArray<sbyte>.Empty,
                ImmutableArray<int>.Empty,
                ImmutableArray.Create(data)));
            Int64ConstantCount = offset + data.Length;
            return index;
        }

        /// <summary>
        /// Adds an operator after the ones already added. Only what the record cannot hold is
        /// refused; operand indices and parameters are written as given, valid or not.
        /// </summary>
        /// <param name="opCode">Operator code (<see cref="OpCode"/>), 0 .. 255.</param>
        /// <param name="inputs">Input tensor indices, at most 255.</param>
        /// <param name="outputs">Output tensor indices, at most 255 (1 in a valid version 1 model).</param>
        /// <param name="parameters">The operator-specific words after the operands.</param>
        /// <returns>The new operator's index.</returns>
        /// <exception cref="ModelFormatException">An operator record cannot hold the operator.</exception>
        public int AddOperator(int opCode, int[] inputs, int[] outputs, int[] parameters)
        {
            ArgumentNullException.ThrowIfNull(inputs);
            ArgumentNullException.ThrowIfNull(outputs);
            ArgumentNullException.ThrowIfNull(parameters);
            int index = _operators.Count;
            if (opCode < 0 || opCode > byte.MaxValue)
            {
                throw new ModelFormatException($"Operator {index}: opcode {opCode} does not fit the record's u8 field.");
            }

            if (inputs.Length > byte.MaxValue)
            {
                throw new ModelFormatException($"Operator {index}: {inputs.Length} inputs; the record holds at most {byte.MaxValue}.");
            }

            if (outputs.Length > byte.MaxValue)
            {
                throw new ModelFormatException($"Operator {index}: {outputs.Length} outputs; the record holds at most {byte.MaxValue}.");
            }

            _operators.Add(new ModelOperator(
                opCode,
                ImmutableArray.Create(inputs),
                ImmutableArray.Create(outputs),
                ImmutableArray.Create(parameters)));
            return index;
        }

        private int Add(ModelTensor tensor)
        {
            _tensors.Add(tensor);
            return _tensors.Count - 1;
        }

        private static ImmutableArray<int> CheckShape(string name, int[] shape)
        {
            ArgumentNullException.ThrowIfNull(shape);
            if (shape.Length < 1 || shape.Length > 4)
            {
                throw new ModelFormatException($"Tensor '{name}': rank {shape.Length}; the format holds ranks 1 .. 4.");
            }

            long elementCount = 1;
            for (int axis = 0; axis < shape.Length; axis++)
            {
                int dimension = shape[axis];
                if (dimension < 1 || dimension > ModelFormat.MaxElements)
                {
                    throw new ModelFormatException(
                        $"Tensor '{name}': dimension {axis} is {dimension}; the format holds 1 .. {ModelFormat.MaxElements}.");
                }

                elementCount *= dimension;
                if (elementCount > ModelFormat.MaxElements)
                {
                    throw new ModelFormatException(
                        $"Tensor '{name}': shape [{string.Join(", ", shape)}] has more than {ModelFormat.MaxElements} elements.");
                }
            }

            return ImmutableArray.Create(shape);
        }

        private static void CheckInt8ZeroPoint(string name, int zeroPoint)
        {
            if (zeroPoint < sbyte.MinValue || zeroPoint > sbyte.MaxValue)
            {
                throw new ModelFormatException($"Tensor '{name}': zero point {zeroPoint} is outside -128 .. 127.");
            }
        }

        private static void CheckDataLength(string name, int dataLength, ImmutableArray<int> shape)
        {
            int elementCount = 1;
            foreach (int dimension in shape)
            {
                elementCount *= dimension;
            }

            if (dataLength != elementCount)
            {
                throw new ModelFormatException(
                    $"Tensor '{name}': {dataLength} data elements for shape [{string.Join(", ", shape)}] of {elementCount} elements.");
            }
        }
    }
}
