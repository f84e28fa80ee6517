namespace NanoInt8.Runtime.Operators
{
    /// <summary>
    /// The words of FullyConnectedLanes (code 26, docs/model-format.md): FullyConnected's two at
    /// their places, then the clamp table's zero and the lane block's length; six operands, the
    /// clamp table last.
    /// </summary>
    [OperatorLayout(OpCode.FullyConnectedLanes)]
    public static class FullyConnectedLanesLayout
    {
        /// <summary>Lower clamp bound.</summary>
        public const int ActivationMin = FullyConnectedLayout.ActivationMin;
        /// <summary>Upper clamp bound.</summary>
        public const int ActivationMax = FullyConnectedLayout.ActivationMax;
        /// <summary>Index of the clamp table's entry for the value 0.</summary>
        public const int TableZero = FullyConnectedLayout.Count;
        /// <summary>Words of a lane block (at least 1): the row's ⌈K/3⌉ words are summed in blocks of this many.</summary>
        public const int BlockWords = TableZero + 1;
        /// <summary>Parameter words.</summary>
        public const int Count = BlockWords + 1;

        /// <summary>The operands, in this order.</summary>
        public static class Operands
        {
            /// <summary>Input [..., K], int8.</summary>
            public const int Input = FullyConnectedLayout.Operands.Input;
            /// <summary>Filter words, int64 constant [O, ⌈K/3⌉] in tiles (FullyConnectedLanesKernel.PackFilter).</summary>
            public const int Filter = FullyConnectedLayout.Operands.Filter;
            /// <summary>Bias, int32 constant [O], the input zero point folded in.</summary>
            public const int Bias = FullyConnectedLayout.Operands.Bias;
            /// <summary>Multiplier per output channel, int32 constant [O] (q31).</summary>
            public const int Multiplier = FullyConnectedLayout.Operands.Multiplier;
            /// <summary>Shift per output channel, int32 constant [O].</summary>
            public const int Shift = FullyConnectedLayout.Operands.Shift;
            /// <summary>Clamp table, int8 constant [L]: entry i is clamp(i - TableZero, min, max).</summary>
            public const int Table = FullyConnectedLayout.Operands.Count;
            /// <summary>Number of inputs.</summary>
            public const int Count = Table + 1;
        }
    }
}
