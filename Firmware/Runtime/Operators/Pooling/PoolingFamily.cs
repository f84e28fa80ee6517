namespace NanoInt8.Runtime.Operators
{
    /// <summary>The pooling operators: MaxPool, AveragePool, GlobalAveragePool (codes 5, 6, 7).</summary>
    internal sealed class PoolingFamily : OperatorFamily
    {
        internal override int InputCount(int code)
        {
            switch (code)
            {
                case OpCode.MaxPool:
                    return MaxPoolLayout.Operands.Count;
                case OpCode.AveragePool:
                    return AveragePoolLayout.Operands.Count;
                default:
                    return GlobalAveragePoolLayout.Operands.Count;
            }
        }

        internal override int ParameterCount(int code, int inputCount)
        {
            switch (code)
            {
                case OpCode.MaxPool:
                    return MaxPoolLayout.Count;
                case OpCode.AveragePool:
                    return AveragePoolLayout.Count;
                default:
                    return GlobalAveragePoolLayout.Count;
            }
        }

        internal override PreparedOperator Prepare(OperatorView op, sbyte[] arena, long[] scratch)
        {
            switch (op.Code)
            {
                case OpCode.MaxPool:
                    return PoolingPreparation.MaxPool(op, arena);
                case OpCode.AveragePool:
                    return PoolingPreparation.AveragePool(op, arena);
                default:
                    return PoolingPreparation.GlobalAveragePool(op, arena);
            }
        }

        internal override long PreparedBytes(int code, int inputCount)
        {
            switch (code)
            {
                case OpCode.MaxPool:
                    return PreparedOperator.ObjectBytes(MaxPoolOperator.FieldCount);
                case OpCode.AveragePool:
                    return PreparedOperator.ObjectBytes(AveragePoolOperator.FieldCount);
                default:
                    return PreparedOperator.ObjectBytes(GlobalAveragePoolOperator.FieldCount);
            }
        }

        // Every output element reads its whole window (padding taps included, as an upper bound).
        internal override long Work(OperatorView op)
        {
            Model model = op.Model;
            long taps;
            switch (op.Code)
            {
                case OpCode.MaxPool:
                    taps = (long)op.Parameter(MaxPoolLayout.KernelHeight) * op.Parameter(MaxPoolLayout.KernelWidth);
                    break;
                case OpCode.AveragePool:
                    taps = (long)op.Parameter(AveragePoolLayout.KernelHeight) * op.Parameter(AveragePoolLayout.KernelWidth);
                    break;
                default:
                    int input = op.Input(GlobalAveragePoolLayout.Operands.Input);
                    taps = (long)model.Dim(input, 2) * model.Dim(input, 3);
                    break;
            }

            return OperatorWork.Window(model.ElementCount(op.Output), taps);
        }

        internal override ModelError Validate(OperatorView op)
        {
            switch (op.Code)
            {
                case OpCode.MaxPool:
                    return PoolingValidation.ValidateMaxPool(op);
                case OpCode.AveragePool:
                    return PoolingValidation.ValidateAveragePool(op);
                case OpCode.GlobalAveragePool:
                    return PoolingValidation.ValidateGlobalAveragePool(op);
                default:
                    return ModelError.BadOperator;
            }
        }
    }
}
