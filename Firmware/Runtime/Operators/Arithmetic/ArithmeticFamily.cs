namespace NanoInt8.Runtime.Operators
{
    /// <summary>The rescaling arithmetic: Add, Mul, Requantize (codes 3, 4, 14).</summary>
    internal sealed class ArithmeticFamily : OperatorFamily
    {
        internal override int InputCount(int code)
        {
            switch (code)
            {
                case OpCode.Add:
                    return AddLayout.Operands.Count;
                case OpCode.Mul:
                    return MulLayout.Operands.Count;
                default:
                    return RequantizeLayout.Operands.Count;
            }
        }

        internal override int ParameterCount(int code, int inputCount)
        {
            switch (code)
            {
                case OpCode.Add:
                    return AddLayout.Count;
                case OpCode.Mul:
                    return MulLayout.Count;
                default:
                    return RequantizeLayout.Count;
            }
        }

        internal override ModelError Validate(OperatorView op)
        {
            switch (op.Code)
            {
                case OpCode.Add:
                    return ArithmeticValidation.ValidateAdd(op);
                case OpCode.Mul:
                    return ArithmeticValidation.ValidateMul(op);
                case OpCode.Requantize:
                    return ArithmeticValidation.ValidateRequantize(op);
                default:
                    return ModelError.BadOperator;
            }
        }

        // Requantize is elementwise: element i of the output depends on element i of the input only.
        internal override bool RunsInPlace(int code)
        {
            return code == OpCode.Requantize;
        }
    }
}
