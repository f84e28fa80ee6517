namespace NanoInt8.Runtime.Operators
{
    /// <summary>
    /// The checks several operator families share: window geometry, activation ranges,
    /// requantization pairs, per-channel bias/multiplier/shift constants, packed filter words,
    /// clamp tables and broadcast strides. Each is written once here; the families' validations call them.
    /// </summary>
    internal static class OperatorChecks
    {
        // Strides, dilations, kernel sizes and paddings above this are refused; it keeps every
        // index computation of the kernels far from int overflow.
        private const int MaxWindowParameter = 1 << 16;

        /// <summary>Output size of a window along one axis (0 when no window fits).</summary>
        internal static int WindowOutputSize(int inputSize, int kernelSize, int stride, int dilation, int padBefore, int padAfter)
        {
            long span = (long)inputSize + padBefore + padAfter - (long)dilation * (kernelSize - 1) - 1;
            return span < 0 ? 0 : (int)(span / stride + 1);
        }

        /// <summary>A stride, dilation or kernel size: 1 .. 2^16.</summary>
        internal static bool IsPositiveSmall(int value)
        {
            return value >= 1 && value <= MaxWindowParameter;
        }

        /// <summary>A padding: 0 .. 2^16.</summary>
        internal static bool IsPadding(int value)
        {
            return value >= 0 && value <= MaxWindowParameter;
        }

        /// <summary>A clamp range inside int8.</summary>
        internal static bool IsActivationRange(int minimum, int maximum)
        {
            return minimum >= -128 && minimum <= maximum && maximum <= 127;
        }

        /// <summary>A (multiplier, shift) pair the model's requantization mode accepts.</summary>
        internal static bool IsValidPair(Model model, int multiplier, int shift)
        {
            return Requantization.IsValid(multiplier, shift, model.RequantizationMode);
        }

        /// <summary>Bias, multiplier and shift: int32 constants of one value per output channel, in range.</summary>
        internal static ModelError ValidateChannelParameters(Model model, int bias, int multiplier, int shift, int channels)
        {
            if (!model.IsConstant(bias, ModelFormat.TypeInt32) || !model.IsConstant(multiplier, ModelFormat.TypeInt32)
                || !model.IsConstant(shift, ModelFormat.TypeInt32))
            {
                return ModelError.BadOperand;
            }

            if (model.ElementCount(bias) != channels || model.ElementCount(multiplier) != channels
                || model.ElementCount(shift) != channels)
            {
                return ModelError.ShapeMismatch;
            }

            int[] constants = model.Int32Constants;
            int biasOffset = model.Offset(bias);
            for (int i = 0; i < channels; i++)
            {
                int value = constants[biasOffset + i];
                if (value > ModelReader.MaxBias || value < -ModelReader.MaxBias)
                {
                    return ModelError.BadParameter;
                }
            }

            return ValidateMultipliers(model, multiplier, shift, model.PerTensorWeights);
        }

        /// <summary>
        /// Every (multiplier, shift) pair of two equally long int32 constant tensors is valid; with
        /// <paramref name="oneForAll"/>, all pairs are the same (a per-tensor model's weights).
        /// </summary>
        internal static ModelError ValidateMultipliers(Model model, int multiplier, int shift, bool oneForAll)
        {
            int[] constants = model.Int32Constants;
            int multiplierOffset = model.Offset(multiplier);
            int shiftOffset = model.Offset(shift);
            int count = model.ElementCount(multiplier);
            for (int i = 0; i < count; i++)
            {
                if (!Requantization.IsValid(constants[multiplierOffset + i], constants[shiftOffset + i], model.RequantizationMode))
                {
                    return ModelError.BadParameter;
                }

                if (oneForAll && i > 0
                    && (constants[multiplierOffset + i] != constants[multiplierOffset] || constants[shiftOffset + i] != constants[shiftOffset]))
                {
                    return ModelError.BadParameter;
                }
            }

            return ModelError.None;
        }

        /// <summary>
        /// Every word of a two-tap packed filter (an int32 constant) holds two taps in [-128, 127],
        /// then the per-channel bias, multiplier and shift (<see cref="ValidateChannelParameters"/>).
        /// </summary>
        internal static ModelError ValidatePackedFilterAndChannels(Model model, int filter, int bias, int multiplier, int shift, int outputChannels)
        {
            int[] constants = model.Int32Constants;
            int filterOffset = model.Offset(filter);
            int filterCount = model.ElementCount(filter);
            for (int i = 0; i < filterCount; i++)
            {
                if (!Kernels.FullyConnectedPackedKernel.IsValidFilterWord(constants[filterOffset + i]))
                {
                    return ModelError.BadParameter;
                }
            }

            return ValidateChannelParameters(model, bias, multiplier, shift, outputChannels);
        }

        /// <summary>
        /// A clamp table (codes 24 and 25): an int8 constant of at most <see cref="Kernels.ClampTableStore.MaxLength"/>
        /// entries whose entry i is clamp(i - zero, min, max), zero one of its indices.
        /// </summary>
        internal static ModelError ValidateClampTable(Model model, int table, int zero, int minimum, int maximum)
        {
            int length = model.ElementCount(table);
            if (length > Kernels.ClampTableStore.MaxLength || zero < 0 || zero >= length)
            {
                return ModelError.BadParameter;
            }

            sbyte[] data = model.Int8Constants;
            int offset = model.Offset(table);
            for (int index = 0; index < length; index++)
            {
                int value = index - zero;
                int expected = value < minimum ? minimum : value > maximum ? maximum : value;
                if (data[offset + index] != expected)
                {
                    return ModelError.BadParameter;
                }
            }

            return ModelError.None;
        }

        /// <summary>
        /// Every index of the output maps, through the four element strides starting at parameter
        /// word <paramref name="firstStride"/>, inside tensor <paramref name="source"/>.
        /// </summary>
        internal static bool StridesStayInside(OperatorView op, int firstStride, int source)
        {
            Model model = op.Model;
            long largest = 0;
            for (int k = 0; k < 4; k++)
            {
                int stride = op.Parameter(firstStride + k);
                if (stride < 0 || stride > ModelFormat.MaxElements)
                {
                    return false;
                }

                largest += (long)(model.Dim(op.Output, k) - 1) * stride;
            }

            return largest < model.ElementCount(source);
        }
    }
}
