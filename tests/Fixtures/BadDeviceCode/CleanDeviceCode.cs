namespace BadDeviceCode
{
    /// <summary>
    /// Code the device can run, written to trip a careless audit: integer constants whose bytes are
    /// floating-point opcodes (0x22 ldc.r4, 0x23 ldc.r8, 0x6B conv.r4, 0x6C conv.r8, 0x76 conv.r.un,
    /// 0xC3 ckfinite, 0xFE 0x0F localloc), a switch table, a jagged array (a TypeSpec that is not a
    /// generic instantiation) and a static array initializer (a compiler-generated
    /// &lt;PrivateImplementationDetails&gt; helper). None of it may be reported.
    /// </summary>
    public static class CleanDeviceCode
    {
        private static readonly sbyte[] s_weights = { 1, -2, 3, -4, 5, -6, 7, -8, 9, -10, 11, -12 };

        /// <summary>An int8 dot product mixed with constants that look like float opcodes.</summary>
        public static long CleanDotProduct(sbyte[] input, int selector)
        {
            int accumulator = 0;
            for (int index = 0; index < input.Length && index < s_weights.Length; index++)
            {
                accumulator += input[index] * s_weights[index];
            }

            sbyte[][] rows = new sbyte[2][];
            rows[0] = input;
            rows[1] = s_weights;

            long mixed;
            switch (selector)
            {
                case 0:
                    mixed = accumulator ^ 0x6C6B2322;
                    break;
                case 1:
                    mixed = accumulator ^ 0x0FFEC376;
                    break;
                case 2:
                    mixed = accumulator ^ 0x2223_6B6C_76C3_FE0FL;
                    break;
                case 3:
                    mixed = accumulator + rows[1].Length;
                    break;
                default:
                    mixed = accumulator;
                    break;
            }

            return mixed;
        }
    }
}
