using NanoInt8.Runtime.Kernels;

namespace NanoInt8.Runtime.Operators
{
    /// <summary>Lookup (code 11), run by <see cref="LookupKernel"/>: out = table[x + 128].</summary>
    public sealed class LookupOperator : PreparedOperator
    {
        /// <summary>Fields.</summary>
        public const int FieldCount = 7;

        /// <summary>Input tensor (the arena or the int8 constants).</summary>
        public sbyte[] Input;
        /// <summary>Index of the input's first element.</summary>
        public int InputOffset;
        /// <summary>Number of elements.</summary>
        public int Count;
        /// <summary>The 256-entry table.</summary>
        public sbyte[] Table;
        /// <summary>Index of table[0] (the entry for x = -128).</summary>
        public int TableOffset;
        /// <summary>Output tensor (may be the input's bytes).</summary>
        public sbyte[] Output;
        /// <summary>Index of the output's first element.</summary>
        public int OutputOffset;

        /// <summary>An empty record, for a caller that fills the fields itself.</summary>
        public LookupOperator()
        {
        }

        /// <inheritdoc />
        public override void Invoke()
        {
            LookupKernel.Eval(this);
        }
    }

    /// <summary>Softmax (code 12), run by <see cref="SoftmaxKernel"/>: along the last dim, through the exponential table.</summary>
    public sealed class SoftmaxOperator : PreparedOperator
    {
        /// <summary>Fields.</summary>
        public const int FieldCount = 12;

        /// <summary>Input [Rows, Depth] (the arena or the int8 constants).</summary>
        public sbyte[] Input;
        /// <summary>Index of the input's first element.</summary>
        public int InputOffset;
        /// <summary>Number of rows.</summary>
        public int Rows;
        /// <summary>Elements per row (the last dim).</summary>
        public int Depth;
        /// <summary>The 256-entry exponential table, entries 1 .. 2^20.</summary>
        public int[] ExpTable;
        /// <summary>Index of expTable[0].</summary>
        public int ExpTableOffset;
        /// <summary>Output [Rows, Depth].</summary>
        public sbyte[] Output;
        /// <summary>Index of the output's first element.</summary>
        public int OutputOffset;
        /// <summary>Output zero point zo.</summary>
        public int OutputZeroPoint;
        /// <summary>Multiplier for 2^-16 / outputScale.</summary>
        public int OutputMultiplier;
        /// <summary>Shift of the same ratio.</summary>
        public int OutputShift;
        /// <summary>Requantization mode of the model (<see cref="Requantization"/>).</summary>
        public int Mode;

        /// <summary>An empty record, for a caller that fills the fields itself.</summary>
        public SoftmaxOperator()
        {
        }

        /// <inheritdoc />
        public override void Invoke()
        {
            SoftmaxKernel.Eval(this);
        }
    }
}
