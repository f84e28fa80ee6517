namespace NanoInt8.Runtime.Operators
{
    /// <summary>
    /// The checks of the operators that move int8 values without arithmetic on them (Concat may
    /// requantize an input): Concat, Pad, Reshape, Transpose, Slice, Gather (codes 8, 9, 10, 13, 21, 22). Every
    /// element they read or write lies inside its tensor.
    /// </summary>
    internal static class DataMovementValidation
    {
        /// <summary>Concat (code 8): inputs equal to the output but along the axis, whose sizes add up; valid pairs.</summary>
        internal static ModelError ValidateConcat(OperatorView op)
        {
            Model model = op.Model;
            int axis = op.Parameter(ConcatLayout.Axis);
            if (axis < 0 || axis > 3)
            {
                return ModelError.BadParameter;
            }

            long axisTotal = 0;
            for (int i = 0; i < op.InputCount; i++)
            {
                int input = op.Input(i);
                if (!model.IsInt8(input))
                {
                    return ModelError.BadOperand;
                }

                int multiplier = op.Parameter(ConcatLayout.InputWord(i, ConcatLayout.PerInput.Multiplier));
                if (!OperatorChecks.IsValidPair(model, multiplier, op.Parameter(ConcatLayout.InputWord(i, ConcatLayout.PerInput.Shift)))
                    || multiplier == 0 && model.ZeroPoint(input) != model.ZeroPoint(op.Output))
                {
                    return ModelError.BadParameter;
                }

                for (int k = 0; k < 4; k++)
                {
                    if (k != axis && model.Dim(input, k) != model.Dim(op.Output, k))
                    {
                        return ModelError.ShapeMismatch;
                    }
                }

                axisTotal += model.Dim(input, axis);
            }

            return axisTotal == model.Dim(op.Output, axis) ? ModelError.None : ModelError.ShapeMismatch;
        }

        /// <summary>Pad (code 9): pads of at most 2^16 on each side of each dim, the output that size, an int8 value.</summary>
        internal static ModelError ValidatePad(OperatorView op)
        {
            Model model = op.Model;
            int input = op.Input(PadLayout.Operands.Input);
            if (!model.IsInt8(input))
            {
                return ModelError.BadOperand;
            }

            int padValue = op.Parameter(PadLayout.PadValue);
            if (padValue < -128 || padValue > 127)
            {
                return ModelError.BadParameter;
            }

            for (int k = 0; k < 4; k++)
            {
                int before = op.Parameter(PadLayout.PadBefore + k);
                int after = op.Parameter(PadLayout.PadAfter + k);
                if (!OperatorChecks.IsPadding(before) || !OperatorChecks.IsPadding(after))
                {
                    return ModelError.BadParameter;
                }

                if ((long)before + model.Dim(input, k) + after != model.Dim(op.Output, k))
                {
                    return ModelError.ShapeMismatch;
                }
            }

            return ModelError.None;
        }

        /// <summary>Reshape (code 10): as many elements as the output, quantized alike.</summary>
        internal static ModelError ValidateReshape(OperatorView op)
        {
            Model model = op.Model;
            int input = op.Input(ReshapeLayout.Operands.Input);
            if (!model.IsInt8(input))
            {
                return ModelError.BadOperand;
            }

            if (model.ZeroPoint(input) != model.ZeroPoint(op.Output))
            {
                return ModelError.BadParameter;
            }

            return model.ElementCount(input) == model.ElementCount(op.Output) ? ModelError.None : ModelError.ShapeMismatch;
        }

        /// <summary>Transpose (code 13): as many elements as the output, every output index mapped inside the input.</summary>
        internal static ModelError ValidateTranspose(OperatorView op)
        {
            Model model = op.Model;
            int input = op.Input(TransposeLayout.Operands.Input);
            if (!model.IsInt8(input))
            {
                return ModelError.BadOperand;
            }

            if (model.ElementCount(input) != model.ElementCount(op.Output)
                || !OperatorChecks.StridesStayInside(op, TransposeLayout.InputStrides, input))
            {
                return ModelError.ShapeMismatch;
            }

            return ModelError.None;
        }

        /// <summary>
        /// Slice (code 21): input and output quantized alike; along each right-aligned axis a start
        /// inside the input and a step other than 0, and the output's last index along the axis,
        /// start + (count - 1)·step, inside the input too (so every element read is).
        /// </summary>
        internal static ModelError ValidateSlice(OperatorView op)
        {
            Model model = op.Model;
            int input = op.Input(SliceLayout.Operands.Input);
            if (!model.IsInt8(input))
            {
                return ModelError.BadOperand;
            }

            if (model.ZeroPoint(input) != model.ZeroPoint(op.Output))
            {
                return ModelError.BadParameter;
            }

            for (int k = 0; k < 4; k++)
            {
                int start = op.Parameter(SliceLayout.Starts + k);
                int step = op.Parameter(SliceLayout.Steps + k);
                int inputDim = model.Dim(input, k);
                if (start < 0 || start >= inputDim || step == 0 || step < -ModelFormat.MaxElements || step > ModelFormat.MaxElements)
                {
                    return ModelError.BadParameter;
                }

                long last = start + (long)(model.Dim(op.Output, k) - 1) * step;
                if (last < 0 || last >= inputDim)
                {
                    return ModelError.ShapeMismatch;
                }
            }

            return ModelError.None;
        }

        /// <summary>
        /// Gather (code 22): input and output quantized alike; the index maps an int32 constant of
        /// output dim0 + dim1 + dim2 + dim3 entries (ShapeMismatch), each entry of axis k's map an
        /// index inside the input's dim k (BadParameter), so every element read lies in the input.
        /// </summary>
        /// <remarks>TODO(#17): its work, one element read per output element, counts into the work bound.</remarks>
        internal static ModelError ValidateGather(OperatorView op)
        {
            Model model = op.Model;
            int input = op.Input(GatherLayout.Operands.Input);
            int indices = op.Input(GatherLayout.Operands.Indices);
            if (!model.IsInt8(input) || !model.IsConstant(indices, ModelFormat.TypeInt32))
            {
                return ModelError.BadOperand;
            }

            if (model.ZeroPoint(input) != model.ZeroPoint(op.Output))
            {
                return ModelError.BadParameter;
            }

            long mapLength = (long)model.Dim(op.Output, 0) + model.Dim(op.Output, 1) + model.Dim(op.Output, 2) + model.Dim(op.Output, 3);
            if (model.ElementCount(indices) != mapLength)
            {
                return ModelError.ShapeMismatch;
            }

            int[] constants = model.Int32Constants;
            int entry = model.Offset(indices);
            for (int k = 0; k < 4; k++)
            {
                int inputDim = model.Dim(input, k);
                int end = entry + model.Dim(op.Output, k);
                for (; entry < end; entry++)
                {
                    int index = constants[entry];
                    if (index < 0 || index >= inputDim)
                    {
                        return ModelError.BadParameter;
                    }
                }
            }

            return ModelError.None;
        }
    }
}
