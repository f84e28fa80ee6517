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

        internal override PreparedOperator Prepare(OperatorView op, sbyte[] arena, long[] scratch)
        {
            switch (op.Code)
            {
                case OpCode.Add:
                    return ArithmeticPreparation.Add(op, arena);
                case OpCode.Mul:
                    return ArithmeticPreparation.Mul(op, arena);
                default:
                    return ArithmeticPreparation.Requantize(op, arena);
            }
        }

        internal override long PreparedBytes(int code, int inputCount)
        {
            switch (code)
            {
                case OpCode.Add:
                    return PreparedOperator.ObjectBytes(AddOperator.FieldCount);
                case OpCode.Mul:
                    return PreparedOperator.ObjectBytes(MulOperator.FieldCount);
                default:
                    return PreparedOperator.ObjectBytes(RequantizeOperator.FieldCount);
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

        // One output element at a time, each reading one element of each input.
        internal override long Work(OperatorView op)
        {
            return op.Model.ElementCount(op.Output);
        }

        // Requantize is elementwise: element i of the output depends on element i of the input only.
        internal override bool RunsInPlace(int code)
        {
            return code == OpCode.Requantize;
        }
    }
}
