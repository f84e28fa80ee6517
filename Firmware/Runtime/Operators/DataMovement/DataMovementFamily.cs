namespace NanoInt8.Runtime.Operators
{
    /// <summary>The data movement operators: Concat, Pad, Reshape, Transpose, Slice, Gather (codes 8, 9, 10, 13, 21, 22).</summary>
    internal sealed class DataMovementFamily : OperatorFamily
    {
        internal override int InputCount(int code)
        {
            switch (code)
            {
                case OpCode.Concat:
                    return -1;
                case OpCode.Pad:
                    return PadLayout.Operands.Count;
                case OpCode.Reshape:
                    return ReshapeLayout.Operands.Count;
                case OpCode.Slice:
                    return SliceLayout.Operands.Count;
                case OpCode.Gather:
                    return GatherLayout.Operands.Count;
                default:
                    return TransposeLayout.Operands.Count;
            }
        }

        internal override int ParameterCount(int code, int inputCount)
        {
            switch (code)
            {
                case OpCode.Concat:
                    return ConcatLayout.Count + inputCount * ConcatLayout.PerInput.Count;
                case OpCode.Pad:
                    return PadLayout.Count;
                case OpCode.Reshape:
                    return ReshapeLayout.Count;
                case OpCode.Slice:
                    return SliceLayout.Count;
                case OpCode.Gather:
                    return GatherLayout.Count;
                default:
                    return TransposeLayout.Count;
            }
        }

        internal override PreparedOperator Prepare(OperatorView op, sbyte[] arena, long[] scratch)
        {
            switch (op.Code)
            {
                case OpCode.Concat:
                    return DataMovementPreparation.Concat(op, arena);
                case OpCode.Pad:
                    return DataMovementPreparation.Pad(op, arena);
                case OpCode.Reshape:
                    return DataMovementPreparation.Reshape(op, arena);
                case OpCode.Slice:
                    return DataMovementPreparation.Slice(op, arena);
                case OpCode.Gather:
                    return DataMovementPreparation.Gather(op, arena);
                default:
                    return DataMovementPreparation.Transpose(op, arena);
            }
        }

        internal override long PreparedBytes(int code, int inputCount)
        {
            switch (code)
            {
                case OpCode.Concat:
                    return ConcatOperator.HeapBytes(inputCount);
                case OpCode.Pad:
                    return PreparedOperator.ObjectBytes(PadOperator.FieldCount);
                case OpCode.Reshape:
                    return PreparedOperator.ObjectBytes(ReshapeOperator.FieldCount);
                case OpCode.Slice:
                    return PreparedOperator.ObjectBytes(SliceOperator.FieldCount);
                case OpCode.Gather:
                    return PreparedOperator.ObjectBytes(GatherOperator.FieldCount);
                default:
                    return PreparedOperator.ObjectBytes(TransposeOperator.FieldCount);
            }
        }

        internal override ModelError Validate(OperatorView op)
        {
            switch (op.Code)
            {
                case OpCode.Concat:
                    return DataMovementValidation.ValidateConcat(op);
                case OpCode.Pad:
                    return DataMovementValidation.ValidatePad(op);
                case OpCode.Reshape:
                    return DataMovementValidation.ValidateReshape(op);
                case OpCode.Transpose:
                    return DataMovementValidation.ValidateTranspose(op);
                case OpCode.Slice:
                    return DataMovementValidation.ValidateSlice(op);
                case OpCode.Gather:
                    return DataMovementValidation.ValidateGather(op);
                default:
                    return ModelError.BadOperator;
            }
        }

        // Each output element is read from one place (or, for Pad, written as the pad value) once.
        internal override long Work(OperatorView op)
        {
            return op.Model.ElementCount(op.Output);
        }

        // A Reshape copies element i to element i (or nothing, sharing its input's bytes).
        internal override bool RunsInPlace(int code)
        {
            return code == OpCode.Reshape;
        }
    }
}
