using NanoInt8.Runtime.Operators;

namespace NanoInt8.Runtime
{
    /// <summary>
    /// Reads and validates an integer model blob (docs/model-format.md). Everything the
    /// interpreter later relies on is checked here, once: the header and both CRCs, every count,
    /// offset and index, every shape against its operator, every parameter range, the execution
    /// order and the memory plan. A bad blob gives a <see cref="ModelError"/>; nothing is thrown
    /// and nothing is allocated before the header proved the model fits the caller's budget.
    /// </summary>
    public static class ModelReader
    {
        /// <summary>Longest reduction (filter taps per output) of Conv2D and FullyConnected.</summary>
        /// <remarks>
        /// |x·w| is at most 128·128 = 2^14, so a sum of 65535 products stays below 2^30 - 2^14; with
        /// |bias| at most 2^30 the int32 accumulator can never overflow.
        /// </remarks>
        public const int MaxReduction = 65535;

        /// <summary>Largest magnitude of a Conv2D or FullyConnected bias (see <see cref="MaxReduction"/>).</summary>
        public const int MaxBias = 1 << 30;

        /// <summary>Largest Add left shift: 255 · 2^22 stays below 2^30.</summary>
        public const int MaxAddLeftShift = 22;

        /// <summary>Largest GlobalAveragePool window: 255 · 2^23 stays below 2^31.</summary>
        public const int MaxPoolWindow = 1 << 23;

        /// <summary>
        /// Bytes of the interpreter's operator records (<see cref="Interpreter.PreparedBytes(Model)"/>)
        /// a model may take beyond its budget: the caller's reserve holds them, as it holds the object
        /// headers deviceBytes leaves out (DeviceInfo's default reserve, 8 KB, holds them beside the
        /// frame buffers and the input and output staging arrays). Records beyond it are charged to
        /// the budget, so a model of thousands of operators is refused before any record exists.
        /// </summary>
        public const int PreparedBytesInReserve = 2048;

        // Largest padding on any side; keeps every index computation far from int overflow.
        private const int MaxPadding = 1 << 16;

        // Section sizes are checked against this before any arithmetic that could overflow.
        private const int MaxSectionSize = 1 << 28;

        /// <summary>
        /// Checks the 64-byte header at data[offset..]: magic, version, flags, header CRC, counts,
        /// the section lengths against totalLength, deviceBytes against its formula and against
        /// <paramref name="deviceBudget"/>. Lets a device refuse a model before receiving or
        /// allocating it.
        /// </summary>
        /// <param name="data">Buffer holding at least the header.</param>
        /// <param name="offset">Where the header starts.</param>
        /// <param name="length">Bytes available from <paramref name="offset"/> (at least the header).</param>
        /// <param name="deviceBudget">Most bytes the caller can give the model.</param>
        public static ModelError CheckHeader(byte[] data, int offset, int length, int deviceBudget)
        {
            return CheckHeader(data, offset, length, deviceBudget, long.MaxValue);
        }

        /// <summary>
        /// <see cref="CheckHeader(byte[], int, int, int)"/>, and from format version 4 on the header's
        /// workPerInference against <paramref name="workBudget"/> (TooMuchWork): a device refuses a
        /// model that would keep it busy too long before it receives a byte more.
        /// </summary>
        /// <param name="data">Buffer holding at least the header.</param>
        /// <param name="offset">Where the header starts.</param>
        /// <param name="length">Bytes available from <paramref name="offset"/> (at least the header).</param>
        /// <param name="deviceBudget">Most bytes the caller can give the model.</param>
        /// <param name="workBudget">Most work units one inference may take (<see cref="Model.Work"/>).</param>
        public static ModelError CheckHeader(byte[] data, int offset, int length, int deviceBudget, long workBudget)
        {
            if (data == null || offset < 0 || length < ModelFormat.HeaderSize || offset > data.Length - ModelFormat.HeaderSize)
            {
                return ModelError.TooShort;
            }

            if (ReadUInt32(data, offset + ModelFormat.HeaderMagic) != ModelFormat.Magic)
            {
                return ModelError.BadMagic;
            }

            int version = ReadUInt16(data, offset + ModelFormat.HeaderVersion);
            if (version < ModelFormat.MinVersion || version > ModelFormat.Version)
            {
                return ModelError.UnsupportedVersion;
            }

            // Version 1 has neither flags nor scratch words: both fields must be 0 there.
            int flags = ReadUInt16(data, offset + ModelFormat.HeaderFlags);
            if ((flags & ~Requantization.KnownFlags) != 0
                || (version == 1 && (flags != 0 || ReadInt32(data, offset + ModelFormat.HeaderScratchWords) != 0)))
            {
                return ModelError.BadFlags;
            }

            if (Crc32.Compute(data, offset, ModelFormat.HeaderCrc) != ReadUInt32(data, offset + ModelFormat.HeaderCrc))
            {
                return ModelError.HeaderCrcMismatch;
            }

            uint tensorCount = ReadUInt32(data, offset + ModelFormat.HeaderTensorCount);
            uint operatorCount = ReadUInt32(data, offset + ModelFormat.HeaderOperatorCount);
            uint inputCount = (uint)GetInputCount(data, offset);
            uint outputCount = (uint)GetOutputCount(data, offset);
            uint parameterWords = ReadUInt32(data, offset + ModelFormat.HeaderParameterWords);
            uint int32Words = ReadUInt32(data, offset + ModelFormat.HeaderInt32Words);
            uint int8Bytes = ReadUInt32(data, offset + ModelFormat.HeaderInt8Bytes);
            uint metadataBytes = ReadUInt32(data, offset + ModelFormat.HeaderMetadataBytes);
            uint arenaBytes = ReadUInt32(data, offset + ModelFormat.HeaderArenaBytes);
            uint scratchWords = ReadUInt32(data, offset + ModelFormat.HeaderScratchWords);
            if (scratchWords > ModelFormat.MaxScratchWords
                || tensorCount < 1 || tensorCount > ModelFormat.MaxTableCount
                || operatorCount < 1 || operatorCount > ModelFormat.MaxTableCount
                || inputCount < 1 || inputCount > ModelFormat.MaxGraphIoCount
                || outputCount < 1 || outputCount > ModelFormat.MaxGraphIoCount
                || parameterWords > MaxSectionSize || int32Words > MaxSectionSize || int8Bytes > MaxSectionSize
                || metadataBytes > MaxSectionSize || arenaBytes > MaxSectionSize)
            {
                return ModelError.CountOutOfRange;
            }

            // All terms are below 2^30 after the checks above, so long arithmetic is exact.
            long total = ModelFormat.HeaderSize
                + (long)ModelFormat.TensorRecordSize * tensorCount
                + (long)ModelFormat.OperatorRecordSize * operatorCount
                + 4L * (inputCount + outputCount)
                + 4L * parameterWords
                + 4L * int32Words
                + ((int8Bytes + 3L) & ~3L)
                + metadataBytes;
            if (total != ReadUInt32(data, offset + ModelFormat.HeaderTotalLength))
            {
                return ModelError.LengthMismatch;
            }

            long deviceBytes = ComputeDeviceBytes(arenaBytes, int8Bytes, int32Words, parameterWords, tensorCount, operatorCount, inputCount + outputCount, scratchWords);
            if (deviceBytes != ReadUInt32(data, offset + ModelFormat.HeaderDeviceBytes))
            {
                return ModelError.DeviceBytesMismatch;
            }

            if (deviceBytes > deviceBudget)
            {
                return ModelError.TooLarge;
            }

            return GetWork(data, offset) > workBudget ? ModelError.TooMuchWork : ModelError.None;
        }

        /// <summary>
        /// The workPerInference a header declares (format version 4 on), or -1 for an older header,
        /// which has no such field (its work is known once the whole blob is read).
        /// </summary>
        public static long GetWork(byte[] header, int offset)
        {
            return ReadUInt16(header, offset + ModelFormat.HeaderVersion) < ModelFormat.WorkVersion ? -1 : ReadUInt32(header, offset + ModelFormat.HeaderWork);
        }

        // Graph input and output counts: u32 fields before format version 4, two u16 in one word since.
        private static int GetInputCount(byte[] header, int offset)
        {
            return ReadUInt16(header, offset + ModelFormat.HeaderVersion) < ModelFormat.WorkVersion
                ? ReadClampedCount(header, offset + ModelFormat.HeaderInputCount)
                : ReadUInt16(header, offset + ModelFormat.HeaderInputCount);
        }

        private static int GetOutputCount(byte[] header, int offset)
        {
            return ReadUInt16(header, offset + ModelFormat.HeaderVersion) < ModelFormat.WorkVersion
                ? ReadClampedCount(header, offset + ModelFormat.HeaderOutputCount)
                : ReadUInt16(header, offset + ModelFormat.HeaderOutputCountSince4);
        }

        // A u32 count as an int; a value above int.MaxValue (refused as out of range anyway) as int.MaxValue.
        private static int ReadClampedCount(byte[] header, int offset)
        {
            uint value = ReadUInt32(header, offset);
            return value > int.MaxValue ? int.MaxValue : (int)value;
        }

        /// <summary>The deviceBytes formula of docs/model-format.md.</summary>
        public static long ComputeDeviceBytes(long arenaBytes, long int8Bytes, long int32Words, long parameterWords,
            long tensorCount, long operatorCount, long graphIoCount, long scratchWords)
        {
            return arenaBytes + int8Bytes + 4 * int32Words + 4 * parameterWords
                + ModelFormat.DeviceBytesPerTensor * tensorCount
                + ModelFormat.DeviceBytesPerOperator * operatorCount
                + 4 * graphIoCount
                + ModelFormat.DeviceBytesPerScratchWord * scratchWords;
        }

        /// <summary>
        /// Whether a model of <paramref name="deviceBytes"/> (the header's) whose interpreter records
        /// take <paramref name="preparedBytes"/> fits <paramref name="budget"/>: deviceBytes within it, and
        /// the records beyond <see cref="PreparedBytesInReserve"/> within what deviceBytes leaves.
        /// </summary>
        public static bool FitsBudget(long deviceBytes, long preparedBytes, long budget)
        {
            long charged = preparedBytes > PreparedBytesInReserve ? preparedBytes - PreparedBytesInReserve : 0;
            return deviceBytes <= budget && deviceBytes + charged <= budget;
        }

        /// <summary>The total length a header declares (valid after <see cref="CheckHeader(byte[], int, int, int, long)"/> passed).</summary>
        public static int GetTotalLength(byte[] header, int offset)
        {
            return (int)ReadUInt32(header, offset + ModelFormat.HeaderTotalLength);
        }

        /// <summary>The device bytes a header declares (valid after <see cref="CheckHeader(byte[], int, int, int, long)"/> passed).</summary>
        public static int GetDeviceBytes(byte[] header, int offset)
        {
            return (int)ReadUInt32(header, offset + ModelFormat.HeaderDeviceBytes);
        }

        /// <summary>The payload CRC-32 a header declares.</summary>
        public static uint GetPayloadCrc(byte[] header, int offset)
        {
            return ReadUInt32(header, offset + ModelFormat.HeaderPayloadCrc);
        }

        /// <summary>
        /// Validates <paramref name="blob"/> completely and decodes it. Returns
        /// <see cref="ModelError.None"/> and the model, or the first problem found and null.
        /// </summary>
        /// <param name="blob">The whole model, exactly totalLength bytes.</param>
        /// <param name="deviceBudget">Most bytes the caller can give the model: its deviceBytes, and the interpreter's records beyond <see cref="PreparedBytesInReserve"/> (<see cref="FitsBudget"/>).</param>
        /// <param name="model">The decoded model, or null.</param>
        public static ModelError TryRead(byte[] blob, int deviceBudget, out Model model)
        {
            return TryRead(blob, deviceBudget, long.MaxValue, out model);
        }

        /// <summary>
        /// <see cref="TryRead(byte[], int, out Model)"/> that also refuses a model whose inference
        /// is more than <paramref name="workBudget"/> work units (TooMuchWork): the work the reader
        /// computes (<see cref="Model.Work"/>), which a version-4 header must declare exactly (WorkMismatch).
        /// </summary>
        /// <param name="blob">The whole model, exactly totalLength bytes.</param>
        /// <param name="deviceBudget">Most bytes the caller can give the model (<see cref="FitsBudget"/>).</param>
        /// <param name="workBudget">Most work units one inference may take.</param>
        /// <param name="model">The decoded model, or null.</param>
        public static ModelError TryRead(byte[] blob, int deviceBudget, long workBudget, out Model model)
        {
            model = null;
            Model decoded;
            ModelError error = DecodeAndCheckOperators(blob, deviceBudget, workBudget, out decoded);
            if (error == ModelError.None)
            {
                error = CheckWork(blob, decoded.Work, workBudget);
            }

            if (error == ModelError.None)
            {
                error = ModelValidator.ValidatePlan(decoded);
            }

            if (error == ModelError.None)
            {
                model = decoded;
            }

            return error;
        }

        /// <summary>
        /// The work of one inference of a blob whose header's workPerInference may not be filled in
        /// yet (the host's writer fills it in with this): checks the header but its work, decodes
        /// the blob and checks every operator, but not the memory plan.
        /// </summary>
        /// <param name="blob">The whole model, exactly totalLength bytes.</param>
        /// <param name="work">The work of one inference (<see cref="Model.Work"/>), or 0.</param>
        public static ModelError ComputeWork(byte[] blob, out long work)
        {
            work = 0;
            Model decoded;
            ModelError error = DecodeAndCheckOperators(blob, int.MaxValue, long.MaxValue, out decoded);
            if (error == ModelError.None)
            {
                work = decoded.Work;
            }

            return error;
        }

        // Everything TryRead checks before the work and the memory plan: the header, the CRC, the
        // tables, the budget of the interpreter's records, every operator.
        private static ModelError DecodeAndCheckOperators(byte[] blob, int deviceBudget, long workBudget, out Model model)
        {
            model = null;
            if (blob == null)
            {
                return ModelError.TooShort;
            }

            ModelError error = CheckHeader(blob, 0, blob.Length, deviceBudget, workBudget);
            if (error != ModelError.None)
            {
                return error;
            }

            if (GetTotalLength(blob, 0) != blob.Length)
            {
                return ModelError.LengthMismatch;
            }

            if (Crc32.Compute(blob, ModelFormat.HeaderSize, blob.Length - ModelFormat.HeaderSize) != GetPayloadCrc(blob, 0))
            {
                return ModelError.PayloadCrcMismatch;
            }

            int tensorCount = ReadInt32(blob, ModelFormat.HeaderTensorCount);
            int operatorCount = ReadInt32(blob, ModelFormat.HeaderOperatorCount);
            int inputCount = GetInputCount(blob, 0);
            int outputCount = GetOutputCount(blob, 0);
            int parameterWords = ReadInt32(blob, ModelFormat.HeaderParameterWords);
            int int32Words = ReadInt32(blob, ModelFormat.HeaderInt32Words);
            int int8Bytes = ReadInt32(blob, ModelFormat.HeaderInt8Bytes);
            int arenaBytes = ReadInt32(blob, ModelFormat.HeaderArenaBytes);

            int tensorTable = ModelFormat.HeaderSize;
            int operatorTable = tensorTable + ModelFormat.TensorRecordSize * tensorCount;
            int graphIoTable = operatorTable + ModelFormat.OperatorRecordSize * operatorCount;
            int parameterSection = graphIoTable + 4 * (inputCount + outputCount);
            int int32Section = parameterSection + 4 * parameterWords;
            int int8Section = int32Section + 4 * int32Words;

            // int64 constants fill the tail of the int32 section, two words each: the head holds
            // the int32 constants. The tensor records say how many int64 elements there are.
            long int64Count = CountInt64Elements(blob, tensorTable, tensorCount);
            if (2 * int64Count > int32Words)
            {
                return ModelError.TensorOutOfBounds;
            }

            int int32Head = int32Words - 2 * (int)int64Count;

            // The header proved the total fits deviceBudget: these allocations are within it.
            Model decoded = new Model(tensorCount, operatorCount, inputCount, outputCount, parameterWords,
                int32Head, (int)int64Count, int8Bytes, arenaBytes, ReadInt32(blob, ModelFormat.HeaderScratchWords), GetDeviceBytes(blob, 0),
                ReadUInt16(blob, ModelFormat.HeaderFlags));
            for (int i = 0; i < parameterWords; i++)
            {
                decoded.Parameters[i] = ReadInt32(blob, parameterSection + 4 * i);
            }

            for (int i = 0; i < int32Head; i++)
            {
                decoded.Int32Constants[i] = ReadInt32(blob, int32Section + 4 * i);
            }

            for (int i = 0; i < int64Count; i++)
            {
                int word = int32Section + 4 * (int32Head + 2 * i);
                decoded.Int64Constants[i] = (uint)ReadInt32(blob, word) | ((long)ReadInt32(blob, word + 4) << 32);
            }

            for (int i = 0; i < int8Bytes; i++)
            {
                decoded.Int8Constants[i] = (sbyte)blob[int8Section + i];
            }

            error = DecodeTensors(blob, tensorTable, decoded, arenaBytes, int32Head, int32Words, int8Bytes);
            if (error == ModelError.None)
            {
                error = DecodeGraphIo(blob, graphIoTable, decoded);
            }

            if (error == ModelError.None)
            {
                error = DecodeOperators(blob, operatorTable, decoded, parameterWords);
            }

            // The interpreter's records follow from the operator codes alone: counted against the
            // budget here, before validation and before the caller can create any.
            if (error == ModelError.None && !FitsBudget(GetDeviceBytes(blob, 0), Interpreter.PreparedBytes(decoded), deviceBudget))
            {
                error = ModelError.TooLarge;
            }

            if (error == ModelError.None)
            {
                error = ModelValidator.ValidateOperators(decoded);
            }

            if (error == ModelError.None)
            {
                model = decoded;
            }

            return error;
        }

        // The computed work against the header (version 4 on: exactly its figure, which must fit the
        // u32 field) and against the caller's budget.
        private static ModelError CheckWork(byte[] blob, long work, long workBudget)
        {
            long declared = GetWork(blob, 0);
            if (declared >= 0 && work > ModelFormat.MaxWork)
            {
                return ModelError.CountOutOfRange;
            }

            if (declared >= 0 && declared != work)
            {
                return ModelError.WorkMismatch;
            }

            return work > workBudget ? ModelError.TooMuchWork : ModelError.None;
        }

        // Elements of the int64 constant records (dims as recorded; DecodeTensors validates them and
        // refuses an int64 arena tensor), capped so that an invalid record cannot overflow the sum.
        private static long CountInt64Elements(byte[] blob, int table, int tensorCount)
        {
            long total = 0;
            for (int tensor = 0; tensor < tensorCount; tensor++)
            {
                int record = table + tensor * ModelFormat.TensorRecordSize;
                if (blob[record] != ModelFormat.TypeInt64 || blob[record + 2] != ModelFormat.StorageConstant)
                {
                    continue;
                }

                long elements = 1;
                for (int k = 0; k < 4; k++)
                {
                    int dim = ReadInt32(blob, record + 4 + 4 * k);
                    elements *= dim < 1 || dim > ModelFormat.MaxElements ? 1 : dim;
                    if (elements > ModelFormat.MaxElements)
                    {
                        elements = ModelFormat.MaxElements;
                    }
                }

                total += elements;
            }

            return total;
        }

        private static ModelError DecodeTensors(byte[] blob, int table, Model model, int arenaBytes, int int32Head, int int32Words, int int8Bytes)
        {
            // int64 constants are a version-3 element type.
            int version = ReadUInt16(blob, ModelFormat.HeaderVersion);
            int[] tensors = model.Tensors;
            for (int tensor = 0; tensor < model.TensorCount; tensor++)
            {
                int record = table + tensor * ModelFormat.TensorRecordSize;
                int type = blob[record];
                int rank = blob[record + 1];
                int storage = blob[record + 2];
                if (type != ModelFormat.TypeInt8 && type != ModelFormat.TypeInt32 && (type != ModelFormat.TypeInt64 || version < 3)
                    || rank < 1 || rank > 4
                    || storage != ModelFormat.StorageArena && storage != ModelFormat.StorageConstant
                    || blob[record + 3] != 0 || ReadInt32(blob, record + 28) != 0
                    || storage == ModelFormat.StorageArena && type != ModelFormat.TypeInt8)
                {
                    return ModelError.BadTensor;
                }

                int decoded = tensor * Model.TensorFields;
                long elementCount = 1;
                for (int k = 0; k < 4; k++)
                {
                    int dim = ReadInt32(blob, record + 4 + 4 * k);
                    if (k < rank ? dim < 1 || dim > ModelFormat.MaxElements : dim != 1)
                    {
                        return ModelError.BadTensor;
                    }

                    elementCount *= dim;
                    if (elementCount > ModelFormat.MaxElements)
                    {
                        return ModelError.BadTensor;
                    }

                    // Right-align: dims[0..rank) land in the last rank slots of the 4-D view.
                    if (k < rank)
                    {
                        tensors[decoded + Model.TensorDims + 4 - rank + k] = dim;
                    }
                }

                for (int k = 0; k < 4 - rank; k++)
                {
                    tensors[decoded + Model.TensorDims + k] = 1;
                }

                int zeroPoint = ReadInt32(blob, record + 20);
                if (type == ModelFormat.TypeInt8 ? zeroPoint < -128 || zeroPoint > 127 : zeroPoint != 0)
                {
                    return ModelError.BadTensor;
                }

                int offset = ReadInt32(blob, record + 24);
                if (type == ModelFormat.TypeInt64)
                {
                    // Two words an element in the section's tail, at an even distance from its start;
                    // decoded as the element index into Int64Constants.
                    if (offset < int32Head || ((offset - int32Head) & 1) != 0 || offset + 2 * elementCount > int32Words)
                    {
                        return ModelError.TensorOutOfBounds;
                    }

                    offset = (offset - int32Head) / 2;
                }
                else
                {
                    long limit = storage == ModelFormat.StorageArena ? arenaBytes
                        : type == ModelFormat.TypeInt8 ? int8Bytes : int32Head;
                    if (offset < 0 || offset + elementCount > limit)
                    {
                        return ModelError.TensorOutOfBounds;
                    }
                }

                tensors[decoded + Model.TensorKind] = Model.Kind(type, storage, rank);
                tensors[decoded + Model.TensorZeroPoint] = zeroPoint;
                tensors[decoded + Model.TensorOffset] = offset;
                tensors[decoded + Model.TensorElementCount] = (int)elementCount;
                tensors[decoded + Model.TensorScratch0] = 0;
                tensors[decoded + Model.TensorScratch1] = 0;
                tensors[decoded + Model.TensorScratch2] = 0;
                tensors[decoded + Model.TensorScratch3] = 0;
            }

            return ModelError.None;
        }

        private static ModelError DecodeGraphIo(byte[] blob, int table, Model model)
        {
            // A tensor may be listed once as an input and once as an output (an identity model), but
            // never twice in the same list: scratch column 0 (zero after DecodeTensors) marks it,
            // bit 1 as an input, bit 2 as an output.
            int count = model.InputCount + model.OutputCount;
            for (int i = 0; i < count; i++)
            {
                uint tensor = ReadUInt32(blob, table + 4 * i);
                if (tensor >= (uint)model.TensorCount || !model.IsArena((int)tensor))
                {
                    return ModelError.BadGraphIo;
                }

                int mark = (int)tensor * Model.TensorFields + Model.TensorScratch0;
                int list = i < model.InputCount ? 1 : 2;
                if ((model.Tensors[mark] & list) != 0)
                {
                    return ModelError.BadGraphIo;
                }

                model.Tensors[mark] |= list;
                model.GraphIo[i] = (int)tensor;
            }

            return ModelError.None;
        }

        private static ModelError DecodeOperators(byte[] blob, int table, Model model, int parameterWords)
        {
            int version = ReadUInt16(blob, ModelFormat.HeaderVersion);
            int maxCode = ModelFormat.MaxOpCode(version);
            for (int op = 0; op < model.OperatorCount; op++)
            {
                int record = table + op * ModelFormat.OperatorRecordSize;
                int code = blob[record];
                int inputCount = blob[record + 1];
                int outputCount = blob[record + 2];
                uint parameterOffset = ReadUInt32(blob, record + 4);
                uint parameterCount = ReadUInt32(blob, record + 8);
                if (code < 1 || code > maxCode || !OperatorRegistry.IsKnown(code) || blob[record + 3] != 0 || outputCount != 1
                    || parameterOffset > (uint)parameterWords || parameterCount > (uint)parameterWords - parameterOffset
                    || !ModelValidator.HasValidOperandCounts(code, inputCount, (int)parameterCount))
                {
                    return ModelError.BadOperator;
                }

                int decoded = op * Model.OperatorFields;
                model.Operators[decoded + Model.OperatorCode] = code;
                model.Operators[decoded + Model.OperatorInputCount] = inputCount;
                model.Operators[decoded + Model.OperatorOutputCount] = outputCount;
                model.Operators[decoded + Model.OperatorParameters] = (int)parameterOffset;

                int operandEnd = (int)parameterOffset + inputCount + outputCount;
                for (int p = (int)parameterOffset; p < operandEnd; p++)
                {
                    if ((uint)model.Parameters[p] >= (uint)model.TensorCount)
                    {
                        return ModelError.BadOperand;
                    }
                }
            }

            return ModelError.None;
        }

        internal static int ReadInt32(byte[] data, int offset)
        {
            return data[offset] | data[offset + 1] << 8 | data[offset + 2] << 16 | data[offset + 3] << 24;
        }

        internal static uint ReadUInt32(byte[] data, int offset)
        {
            return (uint)ReadInt32(data, offset);
        }

        internal static int ReadUInt16(byte[] data, int offset)
        {
            return data[offset] | data[offset + 1] << 8;
        }
    }
}
