namespace NanoInt8.Runtime
{
    /// <summary>
    /// Constants of the integer model format, versions 1 to 5. The byte layout is described in
    /// docs/model-format.md; this class and that document change together.
    /// </summary>
    public static class ModelFormat
    {
        /// <summary>"NI8M" read as a little-endian u32.</summary>
        public const uint Magic = 0x4D38494E;

        /// <summary>
        /// The newest format version this runtime reads. Version 2 adds the header flags
        /// (requantization mode), the header's scratch words and operator codes 15 to
        /// <see cref="Version2MaxOpCode"/>; version 3 adds codes up to <see cref="Version3MaxOpCode"/>
        /// (the three-lane kernels) and int64 constants; version 4 adds Slice (code 21), Gather
        /// (code 22), the lane kernels with a clamp table (codes 24 and 25) and the header's
        /// workPerInference (<see cref="WorkVersion"/>); version 5 adds FullyConnectedLanes (code 26).
        /// The host writes version 4 for every model since the work field exists (a device refuses
        /// too much work from the header alone, before a transfer), 5 for a model that uses code 26
        /// (<see cref="MinVersionFor"/>); versions 1 to 3 stay readable, and an older runtime refuses
        /// a newer model with "unsupported version".
        /// </summary>
        public const int Version = 5;

        /// <summary>
        /// The first version whose header carries workPerInference: its word 32 holds inputCount
        /// (bits 0-15) and outputCount (bits 16-31), and word 36 the work of one inference
        /// (docs/model-format.md, "Header"). Before it, words 32 and 36 are inputCount and outputCount.
        /// </summary>
        public const int WorkVersion = 4;

        /// <summary>
        /// Largest workPerInference a header may declare: a model whose work does not fit the u32
        /// field is refused (CountOutOfRange), as no board's budget comes near it.
        /// </summary>
        public const long MaxWork = 0xFFFFFFFFL;

        /// <summary>The oldest format version this runtime reads.</summary>
        public const int MinVersion = 1;

        /// <summary>Largest operator code of format version 1.</summary>
        public const int Version1MaxOpCode = 14;

        /// <summary>Largest operator code of format version 2.</summary>
        public const int Version2MaxOpCode = 18;

        /// <summary>Largest operator code of format version 3.</summary>
        public const int Version3MaxOpCode = 20;

        /// <summary>Largest operator code of format version 4.</summary>
        public const int Version4MaxOpCode = 25;

        /// <summary>The lowest format version whose operator codes include <paramref name="code"/>.</summary>
        public static int MinVersionFor(int code)
        {
            return code <= Version1MaxOpCode ? 1 : code <= Version2MaxOpCode ? 2 : code <= Version3MaxOpCode ? 3 : code <= Version4MaxOpCode ? 4 : 5;
        }

        /// <summary>The largest operator code a blob of format <paramref name="version"/> may use.</summary>
        public static int MaxOpCode(int version)
        {
            return version == 1 ? Version1MaxOpCode : version == 2 ? Version2MaxOpCode : version == 3 ? Version3MaxOpCode
                : version == 4 ? Version4MaxOpCode : OpCode.Max;
        }

        /// <summary>Bytes in the fixed header.</summary>
        public const int HeaderSize = 64;

        /// <summary>Bytes in one tensor record.</summary>
        public const int TensorRecordSize = 32;

        /// <summary>Bytes in one operator record.</summary>
        public const int OperatorRecordSize = 12;

        /// <summary>Largest number of tensors or operators in a model.</summary>
        public const int MaxTableCount = 65535;

        /// <summary>Largest number of graph inputs or outputs.</summary>
        public const int MaxGraphIoCount = 255;

        /// <summary>Largest tensor dimension and element count (2^24).</summary>
        public const int MaxElements = 1 << 24;

        /// <summary>Largest number of Concat inputs.</summary>
        public const int MaxConcatInputs = 32;

        /// <summary>Element type code of an int8 tensor.</summary>
        public const int TypeInt8 = 1;

        /// <summary>Element type code of an int32 tensor.</summary>
        public const int TypeInt32 = 2;

        /// <summary>
        /// Element type code of an int64 constant (packed filter words): two words each, low word
        /// first, in the tail of the int32 constants section (docs/model-format.md, "Tensor record").
        /// </summary>
        public const int TypeInt64 = 3;

        /// <summary>Storage code of a tensor that lives in the activation arena.</summary>
        public const int StorageArena = 0;

        /// <summary>Storage code of a constant tensor.</summary>
        public const int StorageConstant = 1;

        /// <summary>deviceBytes charged per tensor: the decoded tensor table holds 12 ints per tensor.</summary>
        public const int DeviceBytesPerTensor = 48;

        /// <summary>deviceBytes charged per operator: the decoded operator table holds 4 ints per operator.</summary>
        public const int DeviceBytesPerOperator = 16;

        /// <summary>deviceBytes charged per scratch word: the interpreter's packed-operand scratch is a long[].</summary>
        public const int DeviceBytesPerScratchWord = 8;

        /// <summary>
        /// Largest scratchWords a header may declare: the largest long[] nanoCLR allocates
        /// (786,400 bytes, boards/README) in 8-byte words.
        /// </summary>
        public const int MaxScratchWords = 98300;

        // Header field offsets.
        internal const int HeaderMagic = 0;
        internal const int HeaderVersion = 4;
        internal const int HeaderFlags = 6;
        internal const int HeaderTotalLength = 8;
        internal const int HeaderPayloadCrc = 12;
        internal const int HeaderArenaBytes = 16;
        internal const int HeaderDeviceBytes = 20;
        internal const int HeaderTensorCount = 24;
        internal const int HeaderOperatorCount = 28;
        internal const int HeaderInputCount = 32;
        internal const int HeaderOutputCount = 36;
        // From WorkVersion on: inputCount and outputCount as two u16 at 32, the work at 36.
        internal const int HeaderOutputCountSince4 = 34;
        internal const int HeaderWork = 36;
        internal const int HeaderParameterWords = 40;
        internal const int HeaderInt32Words = 44;
        internal const int HeaderInt8Bytes = 48;
        internal const int HeaderMetadataBytes = 52;
        internal const int HeaderScratchWords = 56;
        internal const int HeaderCrc = 60;
    }

    /// <summary>Operator codes (docs/model-format.md, "Operators"); codes above 14 need format version 2, above 18 version 3, above 20 version 4.</summary>
    public static class OpCode
    {
        /// <summary>2-D convolution, grouped and depthwise included.</summary>
        public const int Conv2D = 1;
        /// <summary>Fully connected layer (Gemm, MatMul with a constant right operand).</summary>
        public const int FullyConnected = 2;
        /// <summary>Elementwise add or subtract with broadcasting.</summary>
        public const int Add = 3;
        /// <summary>Elementwise multiply with broadcasting.</summary>
        public const int Mul = 4;
        /// <summary>Max pooling.</summary>
        public const int MaxPool = 5;
        /// <summary>Average pooling.</summary>
        public const int AveragePool = 6;
        /// <summary>Average over the whole spatial extent.</summary>
        public const int GlobalAveragePool = 7;
        /// <summary>Concatenation with per-input requantization.</summary>
        public const int Concat = 8;
        /// <summary>Constant padding.</summary>
        public const int Pad = 9;
        /// <summary>Reshape, Flatten, Squeeze, Unsqueeze.</summary>
        public const int Reshape = 10;
        /// <summary>Elementwise function through a 256-entry table.</summary>
        public const int Lookup = 11;
        /// <summary>Softmax over the last dimension.</summary>
        public const int Softmax = 12;
        /// <summary>Strided copy (Transpose).</summary>
        public const int Transpose = 13;
        /// <summary>Change of scale and zero point.</summary>
        public const int Requantize = 14;
        /// <summary>
        /// Fully connected layer with its filter packed by the host into int32 words of two taps
        /// each (FullyConnectedPackedKernel): the host emits it only when asked (hosttool convert
        /// --kernels packed); its input rows are packed into the interpreter's scratch.
        /// </summary>
        public const int FullyConnectedPacked = 15;
        /// <summary>
        /// 2-D convolution (groups 1, dilation 1) with its filter packed by the host into int32
        /// words of two input channels each (Conv2DPackedKernel): emitted only on request (hosttool
        /// convert --kernels packed); its padded input is packed into the interpreter's scratch.
        /// </summary>
        public const int Conv2DPacked = 16;
        /// <summary>
        /// Depthwise 3x3 convolution (groups = C = O, dilation 1) with Conv2D's operands and
        /// parameters, run by DepthwiseConv3x3Kernel: emitted only on request (hosttool convert
        /// --kernels packed).
        /// </summary>
        public const int DepthwiseConv3x3 = 17;
        /// <summary>
        /// 2-D convolution with one input channel (groups 1, dilation 1) with its filter packed by
        /// the host into int32 words of two adjacent taps of a filter row
        /// (Conv2DPackedKernel.EvalTapPairs): emitted only on request (hosttool convert --kernels
        /// packed); its padded input is packed into the interpreter's scratch.
        /// </summary>
        public const int Conv2DPackedTaps = 18;
        /// <summary>
        /// 2-D convolution (groups 1, dilation 1) three products per 64-bit multiply
        /// (Conv2DTripleKernel): three input channels, or with one input channel three adjacent
        /// taps, per word; the host stores the filter as int8 lanes in the kernel's word order and
        /// the kernel builds the words and packs the padded input in the interpreter's scratch.
        /// Emitted only on request (hosttool convert --kernels packed).
        /// </summary>
        public const int Conv2DTriple = 19;
        /// <summary>
        /// Fully connected layer three products per 64-bit multiply (FullyConnectedTripleKernel):
        /// the filter is int64 words of three taps built by the host. Emitted only on request
        /// (hosttool convert --kernels packed).
        /// </summary>
        public const int FullyConnectedTriple = 20;
        /// <summary>
        /// Strided window copy of an int8 tensor (ONNX Slice, steps possibly negative): per
        /// right-aligned axis a start and a step, the output shape giving the counts.
        /// </summary>
        public const int Slice = 21;
        /// <summary>
        /// Per-axis gather of an int8 tensor: along each right-aligned axis a constant map from
        /// output index to input index (ONNX Gather with constant indices, Resize and Upsample in
        /// nearest mode, channel shuffles), the values copied as they are.
        /// </summary>
        public const int Gather = 22;
        /// <summary>
        /// 2-D convolution (groups 1, dilation 1) three products per 64-bit multiply over any
        /// window (Conv2DLanesKernel): three input channels, or with one input channel three
        /// horizontally or vertically adjacent values, per word; rows longer than a lane block in
        /// several blocks; each output requantized in the q31 mode and clamped through a clamp table
        /// (its sixth operand). Code 23 is unused (issue 12 left it free: Gather covers Resize).
        /// </summary>
        public const int Conv2DLanes = 24;
        /// <summary>
        /// Depthwise 3x3 convolution (groups = C = O, dilation 1) three products per 64-bit multiply
        /// (DepthwiseConv3x3LanesKernel): DepthwiseConv3x3's operands, then a clamp table through
        /// which each output is requantized (q31) and clamped.
        /// </summary>
        public const int DepthwiseConv3x3Lanes = 25;
        /// <summary>
        /// Fully connected layer three products per 64-bit multiply (FullyConnectedLanesKernel):
        /// int64 filter words of three taps in tiles of 8, 4, 2 and 1 output channels, exactly
        /// ⌈K/3⌉ words a channel, lane blocks as long as the weights allow (a parameter word), each
        /// output requantized in the q31 mode and clamped through a clamp table (its sixth operand).
        /// </summary>
        public const int FullyConnectedLanes = 26;
        /// <summary>Largest operator code of this version.</summary>
        public const int Max = 26;
    }
}
