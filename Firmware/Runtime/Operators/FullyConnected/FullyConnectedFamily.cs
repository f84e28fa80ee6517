namespace NanoInt8.Runtime.Operators
{
    /// <summary>
    /// The fully connected layers: FullyConnected, FullyConnectedPacked, FullyConnectedTriple
    /// (codes 2, 15, 20), five operands each (<see cref="FullyConnectedLayout.Operands"/>).
    /// </summary>
    internal sealed class FullyConnectedFamily : OperatorFamily
    {
        internal override int InputCount(int code)
        {
            return FullyConnectedLayout.Operands.Count;
        }

        internal override int ParameterCount(int code, int inputCount)
        {
            return FullyConnectedLayout.Count;
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
                default:
                    return ModelError.BadOperator;
            }
        }

        internal override long ScratchWords(OperatorView op)
        {
            return FullyConnectedValidation.ScratchWords(op);
        }
    }
}
