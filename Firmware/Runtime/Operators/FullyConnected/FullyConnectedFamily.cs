namespace NanoInt8.Runtime.Operators
{
    /// <summary>
    /// The fully connected layers: FullyConnected, FullyConnectedPacked, FullyConnectedTriple
    /// (codes 2, 15, 20), five operands each (<see cref="FullyConnectedLayout.Operands"/>), and
    /// FullyConnectedLanes (code 26), six (<see cref="FullyConnectedLanesLayout.Operands"/>).
    /// </summary>
    internal sealed class FullyConnectedFamily : OperatorFamily
    {
        internal override int InputCount(int code)
        {
            return code == OpCode.FullyConnectedLanes ? FullyConnectedLanesLayout.Operands.Count : FullyConnectedLayout.Operands.Count;
        }

        internal override int ParameterCount(int code, int inputCount)
        {
            return code == OpCode.FullyConnectedLanes ? FullyConnectedLanesLayout.Count : FullyConnectedLayout.Count;
        }

        internal override PreparedOperator Prepare(OperatorView op, sbyte[] arena, long[] scratch)
        {
            switch (op.Code)
            {
                case OpCode.FullyConnected:
                    return FullyConnectedPreparation.FullyConnected(op, arena);
                case OpCode.FullyConnectedPacked:
                    return FullyConnectedPreparation.FullyConnectedPacked(op, arena, scratch);
                case OpCode.FullyConnectedLanes:
                    return FullyConnectedPreparation.FullyConnectedLanes(op, arena, scratch);
                default:
                    return FullyConnectedPreparation.FullyConnectedTriple(op, arena, scratch);
            }
        }

        internal override long PreparedBytes(int code, int inputCount)
        {
            switch (code)
            {
                case OpCode.FullyConnected:
                    return PreparedOperator.ObjectBytes(FullyConnectedOperator.FieldCount);
                case OpCode.FullyConnectedPacked:
                    return PreparedOperator.ObjectBytes(FullyConnectedPackedOperator.FieldCount);
                case OpCode.FullyConnectedLanes:
                    return PreparedOperator.ObjectBytes(FullyConnectedLanesOperator.FieldCount);
                default:
                    return PreparedOperator.ObjectBytes(FullyConnectedTripleOperator.FieldCount);
            }
        }

        internal override ModelError Validate(OperatorView op)
        {
            switch (op.Code)
            {
                case OpCode.FullyConnected:
                    return FullyConnectedValidation.ValidateFullyConnected(op);
                case OpCode.FullyConnectedPacked:
                    return FullyConnectedValidation.ValidateFullyConnectedPacked(op);
                case OpCode.FullyConnectedTriple:
                    return FullyConnectedValidation.ValidateFullyConnectedTriple(op);
                case OpCode.FullyConnectedLanes:
                    return FullyConnectedValidation.ValidateFullyConnectedLanes(op);
                default:
                    return ModelError.BadOperator;
            }
        }

        internal override long ScratchWords(OperatorView op)
        {
            return FullyConnectedValidation.ScratchWords(op);
        }

        internal override long Work(OperatorView op)
        {
            return FullyConnectedValidation.Work(op);
        }
    }
}
