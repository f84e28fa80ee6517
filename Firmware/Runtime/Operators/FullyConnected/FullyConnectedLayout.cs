namespace NanoInt8.Runtime.Operators
{
    /// <summary>The words of the fully connected layers (docs/model-format.md, codes 2, 15, 20).</summary>
    [OperatorLayout(OpCode.FullyConnected)]
    [OperatorLayout(OpCode.FullyConnectedPacked)]
    [OperatorLayout(OpCode.FullyConnectedTriple)]
    public static class FullyConnectedLayout
    {
        /// <summary>Lower clamp bound.</summary>
        public const int ActivationMin = 0;
        /// <summary>Upper clamp bound.</summary>
        public const int ActivationMax = 1;
        /// <summary>Parameter words.</summary>
        public const int Count = 2;

        /// <summary>The operands, in this order.</summary>
        public static class Operands
        {
            /// <summary>Input [..., K], int8.</summary>
            public const int Input = 0;
            /// <summary>Filter constant (int8 [O, K]; packed for codes 15 and 20).</summary>
            public const int Filter = 1;
            /// <summary>Bias, int32 constant [O], the input zero point folded in.</summary>
            public const int Bias = 2;
            /// <summary>Multiplier per output channel, int32 constant [O].</summary>
            public const int Multiplier = 3;
            /// <summary>Shift per output channel, int32 constant [O].</summary>
            public const int Shift = 4;
            /// <summary>Number of inputs.</summary>
            public const int Count = 5;
        }
    }
}
