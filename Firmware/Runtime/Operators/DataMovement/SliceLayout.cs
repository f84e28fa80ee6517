namespace NanoInt8.Runtime.Operators
{
    /// <summary>
    /// The words of Slice (docs/model-format.md, code 21): for each right-aligned axis of the input,
    /// the index of the first element taken and the step to the next (negative steps walk
    /// backwards, as ONNX Slice's); the output's shape gives how many are taken along each axis.
    /// </summary>
    [OperatorLayout(OpCode.Slice)]
    public static class SliceLayout
    {
        /// <summary>Four start indices, one per right-aligned axis (0 for an axis not sliced).</summary>
        public const int Starts = 0;
        /// <summary>Four steps, one per right-aligned axis, never 0 (1 for an axis not sliced).</summary>
        public const int Steps = 4;
        /// <summary>Parameter words.</summary>
        public const int Count = 8;

        /// <summary>The operands.</summary>
        public static class Operands
        {
            /// <summary>Input, int8, quantized as the output (same scale and zero point).</summary>
            public const int Input = 0;
            /// <summary>Number of inputs.</summary>
            public const int Count = 1;
        }
    }
}
