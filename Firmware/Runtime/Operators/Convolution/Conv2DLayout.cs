namespace NanoInt8.Runtime.Operators
{
    /// <summary>
    /// The words of the convolutions (docs/model-format.md, codes 1, 16, 17, and the first
    /// <see cref="Count"/> of 18 and 19, which add <see cref="Conv2DFilterWidthLayout"/>).
    /// </summary>
    [OperatorLayout(OpCode.Conv2D)]
    [OperatorLayout(OpCode.Conv2DPacked)]
    [OperatorLayout(OpCode.DepthwiseConv3x3)]
    [OperatorLayout(OpCode.Conv2DPackedTaps)]
    [OperatorLayout(OpCode.Conv2DTriple)]
    public static class Conv2DLayout
    {
        /// <summary>Vertical stride.</summary>
        public const int StrideHeight = 0;
        /// <summary>Horizontal stride.</summary>
        public const int StrideWidth = 1;
        /// <summary>Vertical dilation (1 for codes 16 to 19).</summary>
        public const int DilationHeight = 2;
        /// <summary>Horizontal dilation (1 for codes 16 to 19).</summary>
        public const int DilationWidth = 3;
        /// <summary>Rows of padding above the input.</summary>
        public const int PadTop = 4;
        /// <summary>Columns of padding left of the input.</summary>
        public const int PadLeft = 5;
        /// <summary>Rows of padding below the input.</summary>
        public const int PadBottom = 6;
        /// <summary>Columns of padding right of the input.</summary>
        public const int PadRight = 7;
        /// <summary>Group count (input channels for depthwise; 1 for codes 16, 18, 19).</summary>
        public const int Groups = 8;
        /// <summary>Lower clamp bound.</summary>
        public const int ActivationMin = 9;
        /// <summary>Upper clamp bound.</summary>
        public const int ActivationMax = 10;
        /// <summary>Parameter words of codes 1, 16 and 17.</summary>
        public const int Count = 11;

        /// <summary>The operands, in this order.</summary>
        public static class Operands
        {
            /// <summary>Input [N, C, H, W], int8.</summary>
            public const int Input = 0;
            /// <summary>Filter constant (int8 [O, C/groups, KH, KW]; packed for codes 16, 18, 19).</summary>
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

    /// <summary>
    /// The word Conv2DPackedTaps and Conv2DTriple (codes 18, 19) add after
    /// <see cref="Conv2DLayout"/>'s: their filter's width dimension is not KW.
    /// </summary>
    [OperatorLayout(OpCode.Conv2DPackedTaps)]
    [OperatorLayout(OpCode.Conv2DTriple)]
    public static class Conv2DFilterWidthLayout
    {
        /// <summary>Filter width KW.</summary>
        public const int FilterWidth = Conv2DLayout.Count;
        /// <summary>Parameter words of codes 18 and 19.</summary>
        public const int Count = FilterWidth + 1;
    }
}
