using NanoInt8.Runtime.Kernels;

namespace NanoInt8.Runtime.Operators
{
    /// <summary>
    /// What every fully connected kernel reads (codes 2, 15, 20): the input's rows of K
    /// elements, the output's O channels per row, the per-channel bias, multiplier and shift, and
    /// the clamp. The filter array is the subclass's: int8 weights, or int32 or int64 packed words.
    /// </summary>
    public abstract class DenseOperator : PreparedOperator
    {
        /// <summary>Fields of this class: what a subclass adds to.</summary>
        public const int FieldCount = 18;

        /// <summary>Input [Rows, Depth] (any shape with Depth as its last dim).</summary>
        public sbyte[] Input;
        /// <summary>Index of the input's first element.</summary>
        public int InputOffset;
        /// <summary>Number of input rows.</summary>
        public int Rows;
        /// <summary>Elements per input row (K).</summary>
        public int Depth;
        /// <summary>Index of the filter's first element in the subclass's filter array.</summary>
        public int FilterOffset;
        /// <summary>Output channel count (O).</summary>
        public int OutputDepth;
        /// <summary>Per-output-channel bias, the input zero point folded in.</summary>
        public int[] Bias;
        /// <summary>Index of bias[0].</summary>
        public int BiasOffset;
        /// <summary>Per-output-channel quantized multiplier.</summary>
        public int[] Multiplier;
        /// <summary>Index of multiplier[0].</summary>
        public int MultiplierOffset;
        /// <summary>Per-output-channel shift.</summary>
        public int[] Shift;
        /// <summary>Index of shift[0].</summary>
        public int ShiftOffset;
        /// <summary>Output [Rows, OutputDepth].</summary>
        public sbyte[] Output;
        /// <summary>Index of the output's first element.</summary>
        public int OutputOffset;
        /// <summary>Output zero point zo.</summary>
        public int OutputZeroPoint;
        /// <summary>Lower clamp bound.</summary>
        public int ActivationMin;
        /// <summary>Upper clamp bound.</summary>
        public int ActivationMax;
        /// <summary>Requantization mode of the model (<see cref="Requantization"/>).</summary>
        public int Mode;

        /// <summary>An empty record, for a caller that fills the fields itself.</summary>
        protected DenseOperator()
        {
        }
    }

    /// <summary>FullyConnected (code 2), run by <see cref="FullyConnectedKernel"/>: an int8 filter [O, K].</summary>
    public sealed class FullyConnectedOperator : DenseOperator
    {
        /// <summary>Fields, inherited ones included.</summary>
        public new const int FieldCount = DenseOperator.FieldCount + 1;

        /// <summary>Filter [OutputDepth, Depth], zero point 0.</summary>
        public sbyte[] Filter;

        /// <summary>An empty record, for a caller that fills the fields itself.</summary>
        public FullyConnectedOperator()
        {
        }

        /// <inheritdoc />
        public override void Invoke()
        {
            FullyConnectedKernel.Eval(this);
        }
    }

    /// <summary>FullyConnectedPacked (code 15), run by <see cref="FullyConnectedPackedKernel"/>: two taps per 64-bit multiply.</summary>
    public sealed class FullyConnectedPackedOperator : DenseOperator
    {
        /// <summary>Fields, inherited ones included.</summary>
        public new const int FieldCount = DenseOperator.FieldCount + 2;

        /// <summary>Packed filter words (int32, two taps each; docs/model-format.md code 15).</summary>
        public int[] Filter;
        /// <summary>The packed input row, overwritten on every call (at least PairCount(Depth) words).</summary>
        public long[] Scratch;

        /// <summary>An empty record, for a caller that fills the fields itself.</summary>
        public FullyConnectedPackedOperator()
        {
        }

        /// <inheritdoc />
        public override void Invoke()
        {
            FullyConnectedPackedKernel.Eval(this);
        }
    }

    /// <summary>FullyConnectedTriple (code 20), run by <see cref="FullyConnectedTripleKernel"/>: three taps per 64-bit multiply.</summary>
    public sealed class FullyConnectedTripleOperator : DenseOperator
    {
        /// <summary>Fields, inherited ones included.</summary>
        public new const int FieldCount = DenseOperator.FieldCount + 2;

        /// <summary>Packed filter words (int64, three taps each; docs/model-format.md code 20).</summary>
        public long[] Filter;
        /// <summary>The packed input row, overwritten on every call (at least RowWords(Depth) words).</summary>
        public long[] Scratch;

        /// <summary>An empty record, for a caller that fills the fields itself.</summary>
        public FullyConnectedTripleOperator()
        {
        }

        /// <inheritdoc />
        public override void Invoke()
        {
            FullyConnectedTripleKernel.Eval(this);
        }
    }

    /// <summary>
    /// FullyConnectedLanes (code 26), run by <see cref="FullyConnectedLanesKernel"/>: three taps per
    /// 64-bit multiply, each output stored through the clamp table.
    /// </summary>
    public sealed class FullyConnectedLanesOperator : DenseOperator
    {
        /// <summary>Fields, inherited ones included.</summary>
        public new const int FieldCount = DenseOperator.FieldCount + 5;

        /// <summary>Filter words (int64, three taps each, in tiles; docs/model-format.md code 26).</summary>
        public long[] Filter;
        /// <summary>The packed input row, overwritten on every call (at least ⌈Depth/3⌉ words).</summary>
        public long[] Scratch;
        /// <summary>The clamp table (the int8 constants): entry TableZero + v is clamp(v, min, max).</summary>
        public sbyte[] Table;
        /// <summary>Index in <see cref="Table"/> of the entry of the value 0.</summary>
        public int TableZero;
        /// <summary>Words of a lane block.</summary>
        public int BlockWords;

        /// <summary>An empty record, for a caller that fills the fields itself.</summary>
        public FullyConnectedLanesOperator()
        {
        }

        /// <inheritdoc />
        public override void Invoke()
        {
            FullyConnectedLanesKernel.Eval(this);
        }
    }
}
