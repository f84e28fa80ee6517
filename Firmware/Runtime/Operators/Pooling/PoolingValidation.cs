namespace NanoInt8.Runtime.Operators
{
    /// <summary>
    /// The checks of the pooling operators (codes 5, 6, 7): windows with at least one real element
    /// each (padding smaller than the window), window sums that fit int32.
    /// </summary>
    internal static class PoolingValidation
    {
        /// <summary>MaxPool (code 5): input and output quantized alike, every window holding a real element.</summary>
        internal static ModelError ValidateMaxPool(OperatorView op)
        {
            Model model = op.Model;
            int input = op.Input(MaxPoolLayout.Operands.Input);
            if (!model.IsInt8(input))
            {
                return ModelError.BadOperand;
            }

            int kernelHeight = op.Parameter(MaxPoolLayout.KernelHeight);
            int kernelWidth = op.Parameter(MaxPoolLayout.KernelWidth);
            int strideHeight = op.Parameter(MaxPoolLayout.StrideHeight);
            int strideWidth = op.Parameter(MaxPoolLayout.StrideWidth);
            int dilationHeight = op.Parameter(MaxPoolLayout.DilationHeight);
            int dilationWidth = op.Parameter(MaxPoolLayout.DilationWidth);
            int padTop = op.Parameter(MaxPoolLayout.PadTop);
            int padLeft = op.Parameter(MaxPoolLayout.PadLeft);
            int padBottom = op.Parameter(MaxPoolLayout.PadBottom);
            int padRight = op.Parameter(MaxPoolLayout.PadRight);
            if (!OperatorChecks.IsPositiveSmall(kernelHeight) || !OperatorChecks.IsPositiveSmall(kernelWidth)
                || !OperatorChecks.IsPositiveSmall(strideHeight) || !OperatorChecks.IsPositiveSmall(strideWidth)
                || !OperatorChecks.IsPositiveSmall(dilationHeight) || !OperatorChecks.IsPositiveSmall(dilationWidth)
                || !OperatorChecks.IsActivationRange(op.Parameter(MaxPoolLayout.ActivationMin), op.Parameter(MaxPoolLayout.ActivationMax))
                || model.ZeroPoint(input) != model.ZeroPoint(op.Output))
            {
                return ModelError.BadParameter;
            }

            // Every window must hold at least one real element: padding smaller than the window.
            int extentHeight = dilationHeight * (kernelHeight - 1) + 1;
            int extentWidth = dilationWidth * (kernelWidth - 1) + 1;
            if (!OperatorChecks.IsPadding(padTop) || !OperatorChecks.IsPadding(padLeft) || !OperatorChecks.IsPadding(padBottom) || !OperatorChecks.IsPadding(padRight)
                || padTop >= extentHeight || padBottom >= extentHeight || padLeft >= extentWidth || padRight >= extentWidth)
            {
                return ModelError.BadParameter;
            }

            return HasWindowOutput(model, input, op.Output,
                OperatorChecks.WindowOutputSize(model.Dim(input, 2), kernelHeight, strideHeight, dilationHeight, padTop, padBottom),
                OperatorChecks.WindowOutputSize(model.Dim(input, 3), kernelWidth, strideWidth, dilationWidth, padLeft, padRight));
        }

        /// <summary>
        /// AveragePool (code 6): a window of at most 65535 taps, padding smaller than the window, one
        /// (multiplier, shift) per possible count of taps.
        /// </summary>
        internal static ModelError ValidateAveragePool(OperatorView op)
        {
            Model model = op.Model;
            int input = op.Input(AveragePoolLayout.Operands.Input);
            int multiplier = op.Input(AveragePoolLayout.Operands.Multiplier);
            int shift = op.Input(AveragePoolLayout.Operands.Shift);
            if (!model.IsInt8(input) || !model.IsConstant(multiplier, ModelFormat.TypeInt32) || !model.IsConstant(shift, ModelFormat.TypeInt32))
            {
                return ModelError.BadOperand;
            }

            int kernelHeight = op.Parameter(AveragePoolLayout.KernelHeight);
            int kernelWidth = op.Parameter(AveragePoolLayout.KernelWidth);
            int strideHeight = op.Parameter(AveragePoolLayout.StrideHeight);
            int strideWidth = op.Parameter(AveragePoolLayout.StrideWidth);
            int padTop = op.Parameter(AveragePoolLayout.PadTop);
            int padLeft = op.Parameter(AveragePoolLayout.PadLeft);
            int padBottom = op.Parameter(AveragePoolLayout.PadBottom);
            int padRight = op.Parameter(AveragePoolLayout.PadRight);
            int countIncludePad = op.Parameter(AveragePoolLayout.CountIncludePad);
            if (!OperatorChecks.IsPositiveSmall(kernelHeight) || !OperatorChecks.IsPositiveSmall(kernelWidth)
                || !OperatorChecks.IsPositiveSmall(strideHeight) || !OperatorChecks.IsPositiveSmall(strideWidth)
                || !OperatorChecks.IsPadding(padTop) || !OperatorChecks.IsPadding(padLeft) || !OperatorChecks.IsPadding(padBottom) || !OperatorChecks.IsPadding(padRight)
                || padTop >= kernelHeight || padBottom >= kernelHeight || padLeft >= kernelWidth || padRight >= kernelWidth
                || countIncludePad < 0 || countIncludePad > 1
                || !OperatorChecks.IsActivationRange(op.Parameter(AveragePoolLayout.ActivationMin), op.Parameter(AveragePoolLayout.ActivationMax)))
            {
                return ModelError.BadParameter;
            }

            long window = (long)kernelHeight * kernelWidth;
            if (window > ModelReader.MaxReduction || model.ElementCount(multiplier) != window || model.ElementCount(shift) != window)
            {
                return ModelError.ShapeMismatch;
            }

            ModelError error = HasWindowOutput(model, input, op.Output,
                OperatorChecks.WindowOutputSize(model.Dim(input, 2), kernelHeight, strideHeight, 1, padTop, padBottom),
                OperatorChecks.WindowOutputSize(model.Dim(input, 3), kernelWidth, strideWidth, 1, padLeft, padRight));
            return error != ModelError.None ? error : OperatorChecks.ValidateMultipliers(model, multiplier, shift, false);
        }

        /// <summary>GlobalAveragePool (code 7): a window of at most 2^23 elements, an output [N, C, 1, 1].</summary>
        internal static ModelError ValidateGlobalAveragePool(OperatorView op)
        {
            Model model = op.Model;
            int input = op.Input(GlobalAveragePoolLayout.Operands.Input);
            if (!model.IsInt8(input))
            {
                return ModelError.BadOperand;
            }

            if (!OperatorChecks.IsValidPair(model, op.Parameter(GlobalAveragePoolLayout.Multiplier), op.Parameter(GlobalAveragePoolLayout.Shift))
                || !OperatorChecks.IsActivationRange(op.Parameter(GlobalAveragePoolLayout.ActivationMin), op.Parameter(GlobalAveragePoolLayout.ActivationMax)))
            {
                return ModelError.BadParameter;
            }

            if ((long)model.Dim(input, 2) * model.Dim(input, 3) > ModelReader.MaxPoolWindow
                || !model.HasDims(op.Output, model.Dim(input, 0), model.Dim(input, 1), 1, 1))
            {
                return ModelError.ShapeMismatch;
            }

            return ModelError.None;
        }

        // The output is [N, C, outputHeight, outputWidth] of the input's N and C, with at least one row and column.
        private static ModelError HasWindowOutput(Model model, int input, int output, int outputHeight, int outputWidth)
        {
            return outputHeight >= 1 && outputWidth >= 1
                && model.HasDims(output, model.Dim(input, 0), model.Dim(input, 1), outputHeight, outputWidth)
                ? ModelError.None
                : ModelError.ShapeMismatch;
        }
    }
}
