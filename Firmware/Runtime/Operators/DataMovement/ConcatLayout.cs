namespace NanoInt8.Runtime.Operators
{
    /// <summary>
    /// The words of Concat (docs/model-format.md, code 8): <see cref="Axis"/>, then
    /// <see cref="PerInput"/>'s words once for each input, in input order. Its 1 to
    /// <see cref="ModelFormat.MaxConcatInputs"/> inputs are all int8 tensors.
    /// </summary>
    [OperatorLayout(OpCode.Concat)]
    public static class ConcatLayout
    {
        /// <summary>The concatenation axis, 0 .. 3 in the right-aligned 4-D view.</summary>
        public const int Axis = 0;
        /// <summary>Parameter words before the per-input words.</summary>
        public const int Count = 1;

        /// <summary>The words of one input, at <see cref="Count"/> + input · <see cref="PerInput.Count"/>.</summary>
        public static class PerInput
        {
            /// <summary>0 for a plain copy, else the multiplier for inputScale / outputScale.</summary>
            public const int Multiplier = 0;
            /// <summary>Shift of the same ratio.</summary>
            public const int Shift = 1;
            /// <summary>Words per input.</summary>
            public const int Count = 2;
        }

        /// <summary>Index, among the parameter words, of word <paramref name="name"/> (<see cref="PerInput"/>) of input <paramref name="input"/>.</summary>
        public static int InputWord(int input, int name)
        {
            return Count + input * PerInput.Count + name;
        }
    }
}
