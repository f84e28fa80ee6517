namespace NanoInt8.Host.Execution
{
    /// <summary>A range of real numbers, for the requantization multipliers of an operator.</summary>
    /// <param name="Minimum">The smallest value.</param>
    /// <param name="Maximum">The largest value.</param>
    public readonly record struct RealRange(double Minimum, double Maximum);

    /// <summary>What one operator of an .ni8 model costs and where its output lives.</summary>
    public sealed class OperatorSummary
    {
        /// <summary>Creates a summary line.</summary>
        public OperatorSummary(
            int index,
            int opCode,
            string? sourceName,
            IReadOnlyList<IReadOnlyList<int>> inputShapes,
            IReadOnlyList<int> outputShape,
            long multiplyAccumulates,
            long outputElements,
            long weightBytes,
            int arenaOffset,
            int arenaBytes,
            RealRange? multiplierRange)
        {
            Index = index;
            OpCode = opCode;
            SourceName = sourceName;
            InputShapes = inputShapes;
            OutputShape = outputShape;
            MultiplyAccumulates = multiplyAccumulates;
            OutputElements = outputElements;
            WeightBytes = weightBytes;
            ArenaOffset = arenaOffset;
            ArenaBytes = arenaBytes;
            MultiplierRange = multiplierRange;
        }

        /// <summary>Position in execution order.</summary>
        public int Index { get; }

        /// <summary>Operator code (<see cref="NanoInt8.Runtime.OpCode"/>).</summary>
        public int OpCode { get; }

        /// <summary>The operator's name: Conv2D, FullyConnected, Add ...</summary>
        public string Kind => ModelSummary.KindName(OpCode);

        /// <summary>The ONNX node name(s) it came from (metadata key 6), or null when the model does not say.</summary>
        public string? SourceName { get; }

        /// <summary>Shapes of the operator's activation (arena) inputs; constants are counted in <see cref="WeightBytes"/>.</summary>
        public IReadOnlyList<IReadOnlyList<int>> InputShapes { get; }

        /// <summary>Shape of the output.</summary>
        public IReadOnlyList<int> OutputShape { get; }

        /// <summary>
        /// Multiply-accumulates of one inference: Conv2D N·O·OH·OW·(C/groups)·KH·KW, FullyConnected
        /// rows·O·K, 0 for every other operator (see <see cref="OutputElements"/> for their work).
        /// </summary>
        public long MultiplyAccumulates { get; }

        /// <summary>Elements the operator writes per inference.</summary>
        public long OutputElements { get; }

        /// <summary>Bytes of the constants the operator reads: int8 constants plus 4 per int32 constant.</summary>
        public long WeightBytes { get; }

        /// <summary>Byte offset of the output in the arena.</summary>
        public int ArenaOffset { get; }

        /// <summary>Bytes of the output in the arena.</summary>
        public int ArenaBytes { get; }

        /// <summary>
        /// The real ratios multiplier · 2^(shift - 31) the operator requantizes with (per channel,
        /// per window count or per input), or null for operators that do not requantize.
        /// </summary>
        public RealRange? MultiplierRange { get; }
    }
}
