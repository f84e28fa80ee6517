namespace NanoInt8.Runtime
{
    /// <summary>
    /// A validated integer model, decoded into a few flat arrays (one large array is better than
    /// many small ones on the device). Only <see cref="ModelReader"/> creates it, after it checked
    /// every index, offset, shape and parameter, so the interpreter can run it without checks.
    /// </summary>
    public sealed class Model
    {
        // Decoded tensor table: TensorFields ints per tensor (deviceBytes charges 48 bytes a tensor).
        internal const int TensorFields = 12;
        // Element type (ModelFormat.TypeInt8 ...) + KindStorageUnit · storage + KindRankUnit · rank.
        internal const int TensorKind = 0;
        internal const int TensorZeroPoint = 2;
        internal const int TensorOffset = 3;
        internal const int TensorElementCount = 4;
        // Four dims, right-aligned: a rank-2 [K, N] tensor is stored as 1, 1, K, N.
        internal const int TensorDims = 5;
        // Four columns the validation uses as scratch, one int per tensor each (so the scratch of a
        // validation linear in the blob is inside deviceBytes); their meaning changes from pass to
        // pass (ModelReader, ModelValidator, PlanCheck) and nothing reads them after validation.
        internal const int TensorScratch0 = 1;
        internal const int TensorScratch1 = 9;
        internal const int TensorScratch2 = 10;
        internal const int TensorScratch3 = 11;

        // Multipliers of the packed fields of TensorKind.
        internal const int KindStorageUnit = 4;
        internal const int KindRankUnit = 8;

        // Decoded operator table: OperatorFields ints per operator.
        internal const int OperatorFields = 4;
        internal const int OperatorCode = 0;
        internal const int OperatorInputCount = 1;
        internal const int OperatorOutputCount = 2;
        // Index in Parameters of the operator's first operand word.
        internal const int OperatorParameters = 3;

        internal readonly int[] Tensors;
        internal readonly int[] Operators;
        internal readonly int[] Parameters;
        internal readonly int[] Int32Constants;
        // The int64 constants: the tail of the int32 section, two words each (ModelFormat.TypeInt64).
        internal readonly long[] Int64Constants;
        internal readonly sbyte[] Int8Constants;
        // Graph inputs, then graph outputs.
        internal readonly int[] GraphIo;

        internal Model(int tensorCount, int operatorCount, int inputCount, int outputCount,
            int parameterWords, int int32Words, int int64Count, int int8Bytes, int arenaBytes, int scratchWords, int deviceBytes, int flags)
        {
            RequantizationMode = flags & Requantization.ModeMask;
            PerTensorWeights = (flags & Requantization.PerTensorFlag) != 0;
            TensorCount = tensorCount;
            OperatorCount = operatorCount;
            InputCount = inputCount;
            OutputCount = outputCount;
            ArenaBytes = arenaBytes;
            ScratchWords = scratchWords;
            DeviceBytes = deviceBytes;
            Tensors = new int[tensorCount * TensorFields];
            Operators = new int[operatorCount * OperatorFields];
            Parameters = new int[parameterWords];
            Int32Constants = new int[int32Words];
            Int64Constants = new long[int64Count];
            Int8Constants = new sbyte[int8Bytes];
            GraphIo = new int[inputCount + outputCount];
        }

        /// <summary>How every kernel applies its scale ratios (<see cref="Requantization"/>, header flags).</summary>
        public int RequantizationMode { get; }

        /// <summary>True when every Conv2D and FullyConnected has one multiplier and shift for all channels.</summary>
        public bool PerTensorWeights { get; }

        /// <summary>Number of tensors.</summary>
        public int TensorCount { get; }

        /// <summary>Number of operators.</summary>
        public int OperatorCount { get; }

        /// <summary>Number of graph inputs.</summary>
        public int InputCount { get; }

        /// <summary>Number of graph outputs.</summary>
        public int OutputCount { get; }

        /// <summary>Bytes of the activation arena an interpreter allocates for this model.</summary>
        public int ArenaBytes { get; }

        /// <summary>
        /// 64-bit words of packed-operand scratch an interpreter allocates for this model (the header's
        /// scratchWords): the packed input row of the deepest FullyConnectedPacked, 0 without one.
        /// </summary>
        public int ScratchWords { get; }

        /// <summary>Bytes the model and its arena take on the device (the header's deviceBytes).</summary>
        public int DeviceBytes { get; }

        /// <summary>
        /// Work of one inference, in work units (docs/model-format.md, "Work"): what the reader
        /// computed from the operators; a version-4 header declares the same figure.
        /// </summary>
        public long Work { get; internal set; }

        /// <summary>Tensor index of graph input <paramref name="index"/>.</summary>
        public int GetInputTensor(int index)
        {
            return GraphIo[index];
        }

        /// <summary>Tensor index of graph output <paramref name="index"/>.</summary>
        public int GetOutputTensor(int index)
        {
            return GraphIo[InputCount + index];
        }

        /// <summary>Describes tensor <paramref name="tensor"/> (allocates; not for hot paths).</summary>
        public TensorInfo GetTensorInfo(int tensor)
        {
            int record = tensor * TensorFields;
            int rank = Rank(tensor);
            int[] shape = new int[rank];
            for (int i = 0; i < rank; i++)
            {
                shape[i] = Tensors[record + TensorDims + 4 - rank + i];
            }

            return new TensorInfo(tensor, ElementType(tensor), shape, Tensors[record + TensorZeroPoint],
                Tensors[record + TensorElementCount], !IsArena(tensor), Tensors[record + TensorOffset]);
        }

        /// <summary>Operator code of operator <paramref name="index"/> (see <see cref="OpCode"/>).</summary>
        public int GetOperatorCode(int index)
        {
            return Operators[index * OperatorFields + OperatorCode];
        }

        // Decoded-table accessors for validation and preparation (not for hot paths).

        // Dim axis (0 .. 3) of the tensor's right-aligned 4-D view.
        internal int Dim(int tensor, int axis)
        {
            return Tensors[tensor * TensorFields + TensorDims + axis];
        }

        internal int Rank(int tensor)
        {
            return Tensors[tensor * TensorFields + TensorKind] / KindRankUnit;
        }

        // ModelFormat.TypeInt8, TypeInt32 or TypeInt64.
        internal int ElementType(int tensor)
        {
            return Tensors[tensor * TensorFields + TensorKind] % KindStorageUnit;
        }

        // TensorKind of a record: element type, storage and rank in one int.
        internal static int Kind(int type, int storage, int rank)
        {
            return type + KindStorageUnit * storage + KindRankUnit * rank;
        }

        internal int ElementCount(int tensor)
        {
            return Tensors[tensor * TensorFields + TensorElementCount];
        }

        internal int ZeroPoint(int tensor)
        {
            return Tensors[tensor * TensorFields + TensorZeroPoint];
        }

        // Arena byte offset, or the index into the constants of the tensor's element type.
        internal int Offset(int tensor)
        {
            return Tensors[tensor * TensorFields + TensorOffset];
        }

        internal bool IsInt8(int tensor)
        {
            return ElementType(tensor) == ModelFormat.TypeInt8;
        }

        internal bool IsArena(int tensor)
        {
            return Tensors[tensor * TensorFields + TensorKind] % KindRankUnit / KindStorageUnit == ModelFormat.StorageArena;
        }

        internal bool IsArenaInt8(int tensor)
        {
            return IsArena(tensor) && IsInt8(tensor);
        }

        // A constant of the element type (ModelFormat.TypeInt8, TypeInt32 or TypeInt64).
        internal bool IsConstant(int tensor, int type)
        {
            return !IsArena(tensor) && ElementType(tensor) == type;
        }

        internal bool HasDims(int tensor, int d0, int d1, int d2, int d3)
        {
            return Dim(tensor, 0) == d0 && Dim(tensor, 1) == d1 && Dim(tensor, 2) == d2 && Dim(tensor, 3) == d3;
        }

        internal bool SameDims(int a, int b)
        {
            return HasDims(b, Dim(a, 0), Dim(a, 1), Dim(a, 2), Dim(a, 3));
        }
    }

    /// <summary>Description of one tensor of a model.</summary>
    public sealed class TensorInfo
    {
        internal TensorInfo(int index, int elementType, int[] shape, int zeroPoint, int elementCount, bool isConstant, int offset)
        {
            Index = index;
            ElementType = elementType;
            Shape = shape;
            ZeroPoint = zeroPoint;
            ElementCount = elementCount;
            IsConstant = isConstant;
            Offset = offset;
        }

        /// <summary>Index in the model's tensor table.</summary>
        public int Index { get; }

        /// <summary><see cref="ModelFormat.TypeInt8"/> or <see cref="ModelFormat.TypeInt32"/>.</summary>
        public int ElementType { get; }

        /// <summary>The shape, outermost dimension first.</summary>
        public int[] Shape { get; }

        /// <summary>Zero point of the int8 quantization.</summary>
        public int ZeroPoint { get; }

        /// <summary>Product of the shape.</summary>
        public int ElementCount { get; }

        /// <summary>True for constant data, false for an activation in the arena.</summary>
        public bool IsConstant { get; }

        /// <summary>Arena byte offset, or index into the constants of the tensor's element type.</summary>
        public int Offset { get; }
    }
}
