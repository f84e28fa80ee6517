namespace NanoInt8.Runtime.Operators
{
    /// <summary>The table-driven operators: Lookup and Softmax (codes 11, 12).</summary>
    internal sealed class TableFamily : OperatorFamily
    {
        internal override int InputCount(int code)
        {
            return code == OpCode.Lookup ? LookupLayout.Operands.Count : SoftmaxLayout.Operands.Count;
        }

        internal override int ParameterCount(int code, int inputCount)
        {
            return code == OpCode.Lookup ? LookupLayout.Count : SoftmaxLayout.Count;
        }

        internal override PreparedOperator Prepare(OperatorView op, sbyte[] arena, long[] scratch)
        {
            return op.Code == OpCode.Lookup ? (PreparedOperator)TablePreparation.Lookup(op, arena) : TablePreparation.Softmax(op, arena);
        }

        internal override long PreparedBytes(int code, int inputCount)
        {
            return PreparedOperator.ObjectBytes(code == OpCode.Lookup ? LookupOperator.FieldCount : SoftmaxOperator.FieldCount);
        }

        internal override ModelError Validate(OperatorView op)
        {
            switch (op.Code)
            {
                case OpCode.Lookup:
                    return TableValidation.ValidateLookup(op);
                case OpCode.Softmax:
                    return TableValidation.ValidateSoftmax(op);
                default:
                    return ModelError.BadOperator;
            }
        }

        // Lookup reads each element once; Softmax reads each row three times (maximum, sum, output).
        internal override long Work(OperatorView op)
        {
            long elements = op.Model.ElementCount(op.Output);
            return op.Code == OpCode.Lookup ? elements : 3 * elements;
        }

        // Lookup is elementwise: element i of the output depends on element i of the input only.
        internal override bool RunsInPlace(int code)
        {
            return code == OpCode.Lookup;
        }
    }
}
