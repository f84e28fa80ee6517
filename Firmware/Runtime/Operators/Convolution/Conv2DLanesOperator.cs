using NanoInt8.Runtime.Kernels;

namespace NanoInt8.Runtime.Operators
{
    /// <summary>
    /// Conv2DLanes (code 24), run by <see cref="Conv2DLanesKernel"/>: three products per 64-bit
    /// multiply, any window, the requantization and clamp of each output one table read.
    /// </summary>
    public sealed class Conv2DLanesOperator : ConvolutionOperator
    {
        /// <summary>Fields, inherited ones included.</summary>
        public new const int FieldCount = ConvolutionOperator.FieldCount + 8;

        /// <summary>Filter lanes, int8, in the kernel's word order (Conv2DLanesKernel.PackFilter).</summary>
        public sbyte[] Filter;
        /// <summary>Rows of padding below the input.</summary>
        public int PadBottom;
        /// <summary>Columns of padding right of the input.</summary>
        public int PadRight;
        /// <summary>How the input is packed (Conv2DLanesKernel.PackChannels, PackTaps, PackRows).</summary>
        public int Packing;
        /// <summary>The clamp table (the int8 constants): entry TableZero + v is clamp(v, min, max).</summary>
        public sbyte[] Table;
        /// <summary>Index of the clamp table's entry for the value 0, from the table's first element.</summary>
        public int TableZero;
        /// <summary>Nonzero when the bias starts the lane sum (one block a window).</summary>
        public int BiasInLane;
        /// <summary>The filter words, the packed padded input and a partial tile's accumulators, overwritten on every call (at least the kernel's ScratchWords).</summary>
        public long[] Scratch;

        /// <summary>An empty record, for a caller that fills the fields itself.</summary>
        public Conv2DLanesOperator()
        {
        }

        /// <inheritdoc />
        public override void Invoke()
        {
            Conv2DLanesKernel.Eval(this);
        }
    }
}
