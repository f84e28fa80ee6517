namespace NanoInt8.Runtime.Operators
{
    /// <summary>
    /// Which family (folder under Operators/) handles each operator code: the one place where a
    /// code is registered. Adding an operator is one line here plus its family's layout, checks
    /// and record (docs/adding-an-operator.md); a test fails for a code that lacks any of them.
    /// </summary>
    public static class OperatorRegistry
    {
        private static readonly OperatorFamily s_convolution = new ConvolutionFamily();
        private static readonly OperatorFamily s_fullyConnected = new FullyConnectedFamily();
        private static readonly OperatorFamily s_arithmetic = new ArithmeticFamily();
        private static readonly OperatorFamily s_pooling = new PoolingFamily();
        private static readonly OperatorFamily s_dataMovement = new DataMovementFamily();
        private static readonly OperatorFamily s_tables = new TableFamily();

        /// <summary>True when this runtime knows operator <paramref name="code"/>.</summary>
        public static bool IsKnown(int code)
        {
            return For(code) != null;
        }

        /// <summary>
        /// Inputs an operator of a known <paramref name="code"/> has; -1 for any count from 1 to
        /// <see cref="ModelFormat.MaxConcatInputs"/> (Concat).
        /// </summary>
        public static int InputCount(int code)
        {
            return For(code).InputCount(code);
        }

        /// <summary>Parameter words after the operands of an operator of a known <paramref name="code"/> with <paramref name="inputCount"/> inputs.</summary>
        public static int ParameterCount(int code, int inputCount)
        {
            return For(code).ParameterCount(code, inputCount);
        }

        /// <summary>
        /// True when an operator of a known <paramref name="code"/> may write exactly over its input 0
        /// when that input is not needed afterwards (Requantize, Lookup, Reshape).
        /// </summary>
        public static bool RunsInPlace(int code)
        {
            return For(code).RunsInPlace(code);
        }

        /// <summary>The family of <paramref name="code"/>, or null for a code this runtime does not know.</summary>
        internal static OperatorFamily For(int code)
        {
            switch (code)
            {
                case OpCode.Conv2D:
                case OpCode.Conv2DPacked:
                case OpCode.DepthwiseConv3x3:
                case OpCode.Conv2DPackedTaps:
                case OpCode.Conv2DTriple:
                case OpCode.Conv2DLanes:
                case OpCode.DepthwiseConv3x3Lanes:
                    return s_convolution;
                case OpCode.FullyConnected:
                case OpCode.FullyConnectedPacked:
                case OpCode.FullyConnectedTriple:
                case OpCode.FullyConnectedLanes:
                    return s_fullyConnected;
                case OpCode.Add:
                case OpCode.Mul:
                case OpCode.Requantize:
                    return s_arithmetic;
                case OpCode.MaxPool:
                case OpCode.AveragePool:
                case OpCode.GlobalAveragePool:
                    return s_pooling;
                case OpCode.Concat:
                case OpCode.Pad:
                case OpCode.Reshape:
                case OpCode.Transpose:
                case OpCode.Slice:
                case OpCode.Gather:
                    return s_dataMovement;
                case OpCode.Lookup:
                case OpCode.Softmax:
                    return s_tables;
                default:
                    return null;
            }
        }
    }
}
