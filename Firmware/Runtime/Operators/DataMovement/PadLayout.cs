namespace NanoInt8.Runtime.Operators
{
    /// <summary>The words of Pad (docs/model-format.md, code 9).</summary>
    [OperatorLayout(OpCode.Pad)]
    public static class PadLayout
    {
        /// <summary>Four leading pads, one per right-aligned dim.</summary>
        public const int PadBefore = 0;
        /// <summary>Four trailing pads, one per right-aligned dim.</summary>
        public const int PadAfter = 4;
        /// <summary>Value of the new elements (-128 .. 127, normally the zero point).</summary>
        public const int PadValue = 8;
        /// <summary>Parameter words.</summary>
        public const int Count = 9;

        /// <summary>The operands.</summary>
        public static class Operands
        {
            /// <summary>Input, int8.</summary>
            public const int Input = 0;
            /// <summary>Number of inputs.</summary>
            public const int Count = 1;
        }
    }
}
