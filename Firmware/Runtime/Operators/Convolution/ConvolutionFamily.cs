namespace NanoInt8.Runtime.Operators
{
    /// <summary>
    /// The convolutions: Conv2D, Conv2DPacked, DepthwiseConv3x3, Conv2DPackedTaps, Conv2DTriple
    /// (codes 1, 16, 17, 18, 19), five operands each (<see cref="Conv2DLayout.Operands"/>), and
    /// Conv2DLanes and DepthwiseConv3x3Lanes (codes 24, 25), six (<see cref="Conv2DLanesLayout.Operands"/>,
    /// <see cref="DepthwiseConv3x3LanesLayout.Operands"/>).
    /// </summary>
    internal sealed class ConvolutionFamily : OperatorFamily
    {
        internal override int InputCount(int code)
        {
            return code == OpCode.Conv2DLanes ? Conv2DLanesLayout.Operands.Count
                : code == OpCode.DepthwiseConv3x3Lanes ? DepthwiseConv3x3LanesLayout.Operands.Count : Conv2DLayout.Operands.Count;
        }

        internal override int ParameterCount(int code, int inputCount)
        {
            if (code == OpCode.Conv2DLanes)
            {
                return Conv2DLanesLayout.Count;
            }

            if (code == OpCode.DepthwiseConv3x3Lanes)
            {
                return DepthwiseConv3x3LanesLayout.Count;
            }

            return code == OpCode.Conv2DPackedTaps || code == OpCode.Conv2DTriple ? Conv2DFilterWidthLayout.Count : Conv2DLayout.Count;
        }

        internal override PreparedOperator Prepare(OperatorView op, sbyte[] arena, long[] scratch)
        {
            switch (op.Code)
            {
                case OpCode.Conv2D:
                    return ConvolutionPreparation.Conv2D(op, arena);
                case OpCode.Conv2DPacked:
                    return ConvolutionPreparation.Conv2DPacked(op, arena, scratch);
                case OpCode.DepthwiseConv3x3:
                    return ConvolutionPreparation.DepthwiseConv3x3(op, arena);
                case OpCode.Conv2DPackedTaps:
                    return ConvolutionPreparation.Conv2DPackedTaps(op, arena, scratch);
                case OpCode.Conv2DLanes:
                    return ConvolutionPreparation.Conv2DLanes(op, arena, scratch);
                case OpCode.DepthwiseConv3x3Lanes:
                    return ConvolutionPreparation.DepthwiseConv3x3Lanes(op, arena);
                default:
                    return ConvolutionPreparation.Conv2DTriple(op, arena, scratch);
            }
        }

        internal override long PreparedBytes(int code, int inputCount)
        {
            switch (code)
            {
                case OpCode.Conv2D:
                    return PreparedOperator.ObjectBytes(Conv2DOperator.FieldCount);
                case OpCode.Conv2DPacked:
                    return PreparedOperator.ObjectBytes(Conv2DPackedOperator.FieldCount);
                case OpCode.DepthwiseConv3x3:
                    return PreparedOperator.ObjectBytes(DepthwiseConv3x3Operator.FieldCount);
                case OpCode.Conv2DPackedTaps:
                    return PreparedOperator.ObjectBytes(Conv2DPackedTapsOperator.FieldCount);
                case OpCode.Conv2DLanes:
                    return PreparedOperator.ObjectBytes(Conv2DLanesOperator.FieldCount);
                case OpCode.DepthwiseConv3x3Lanes:
                    return PreparedOperator.ObjectBytes(DepthwiseConv3x3LanesOperator.FieldCount);
                default:
                    return PreparedOperator.ObjectBytes(Conv2DTripleOperator.FieldCount);
            }
        }

        internal override ModelError Validate(OperatorView op)
        {
            switch (op.Code)
            {
                case OpCode.Conv2D:
                    return ConvolutionValidation.ValidateConv2D(op);
                case OpCode.Conv2DPacked:
                    return ConvolutionValidation.ValidateConv2DPacked(op);
                case OpCode.DepthwiseConv3x3:
                    return ConvolutionValidation.ValidateDepthwiseConv3x3(op);
                case OpCode.Conv2DPackedTaps:
                    return ConvolutionValidation.ValidateConv2DPackedTaps(op);
                case OpCode.Conv2DTriple:
                    return ConvolutionValidation.ValidateConv2DTriple(op);
                case OpCode.Conv2DLanes:
                    return ConvolutionValidation.ValidateConv2DLanes(op);
                case OpCode.DepthwiseConv3x3Lanes:
                    return ConvolutionValidation.ValidateDepthwiseConv3x3Lanes(op);
                default:
                    return ModelError.BadOperator;
            }
        }

        internal override long ScratchWords(OperatorView op)
        {
            return ConvolutionValidation.ScratchWords(op);
        }

        internal override long Work(OperatorView op)
        {
            return ConvolutionValidation.Work(op);
        }
    }
}
