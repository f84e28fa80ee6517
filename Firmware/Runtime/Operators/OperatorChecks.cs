namespace NanoInt8.Runtime.Operators
{
    /// <summary>
    /// The checks several operator families share: window geometry, activation ranges,
    /// requantization pairs, per-channel bias/multiplier/shift constants, packed filter words,
    /// clamp tables and broadcast strides. Each is written once here; the families' validations call them.
    /// </summary>
    /// <remarks>
    /// The values of a constant tensor are checked once per kind of check, however many operators
    /// use it: the tensor's mark (a bit per check in <see cref="CheckedColumn"/>) says which passed,
    /// and the reader refuses int32 and int64 constants that share elements (ConstantOverlap), so
    /// every constant value is read a bounded number of times and validation stays linear in the blob.
    /// </remarks>
    internal static class OperatorChecks
    {
        /// <summary>The tensor-table column holding each constant's marks during operator validation.</summary>
        internal const int CheckedColumn = Model.TensorScratch3;

        /// <summary>Mark: every value is a bias within ±<see cref="ModelReader.MaxBias"/>.</summary>
        internal const int CheckedBias = 1;

        /// <summary>Mark: every value is a multiplier the model's requantization mode accepts.</summary>
        internal const int CheckedMultipliers = 2;

        /// <summary>Mark: every value is a shift the model's requantization mode accepts.</summary>
        internal const int CheckedShifts = 4;

        /// <summary>Mark: all values are equal.</summary>
        internal const int CheckedUniform = 8;

        /// <summary>Mark: every value is a two-tap packed filter word (FullyConnectedPackedKernel.IsValidFilterWord).</summary>
        internal const int CheckedPairWords = 16;

        /// <summary>Mark: every value is a three-tap packed filter word (FullyConnectedTripleKernel.IsValidFilterWord).</summary>
        internal const int CheckedTripleWords = 32;

        /// <summary>Mark: every value is a Softmax exponential in [1, 2^20].</summary>
        internal const int CheckedExpTable = 64;

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

        /// <summary>True when <paramref name="tensor"/> already passed the check <paramref name="check"/> (one of the Checked* marks).</summary>
        internal static bool HasPassed(Model model, int tensor, int check)
        {
            return (model.Tensors[tensor * Model.TensorFields + CheckedColumn] & check) != 0;
        }

        /// <summary>Records that <paramref name="tensor"/> passed the check <paramref name="check"/>.</summary>
        internal static void MarkPassed(Model model, int tensor, int check)
        {
            model.Tensors[tensor * Model.TensorFields + CheckedColumn] |= check;
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

            if (!HasPassed(model, bias, CheckedBias))
            {
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

                MarkPassed(model, bias, CheckedBias);
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
            int mode = model.RequantizationMode;
            if (!HasPassed(model, multiplier, CheckedMultipliers))
            {
                int offset = model.Offset(multiplier);
                int end = offset + model.ElementCount(multiplier);
                for (int i = offset; i < end; i++)
                {
                    if (!Requantization.IsValidMultiplier(constants[i], mode))
                    {
                        return ModelError.BadParameter;
                    }
                }

                MarkPassed(model, multiplier, CheckedMultipliers);
            }

            if (!HasPassed(model, shift, CheckedShifts))
            {
                int offset = model.Offset(shift);
                int end = offset + model.ElementCount(shift);
                for (int i = offset; i < end; i++)
                {
                    if (!Requantization.IsValidShift(constants[i], mode))
                    {
                        return ModelError.BadParameter;
                    }
                }

                MarkPassed(model, shift, CheckedShifts);
            }

            return oneForAll && (!IsUniform(model, multiplier) || !IsUniform(model, shift)) ? ModelError.BadParameter : ModelError.None;
        }

        /// <summary>
        /// Every word of a two-tap packed filter (an int32 constant) holds two taps in [-128, 127],
        /// then the per-channel bias, multiplier and shift (<see cref="ValidateChannelParameters"/>).
        /// </summary>
        internal static ModelError ValidatePackedFilterAndChannels(Model model, int filter, int bias, int multiplier, int shift, int outputChannels)
        {
            if (!HasPassed(model, filter, CheckedPairWords))
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

                MarkPassed(model, filter, CheckedPairWords);
            }

            return ValidateChannelParameters(model, bias, multiplier, shift, outputChannels);
        }

        // All values of an int32 constant equal (checked once per tensor).
        private static bool IsUniform(Model model, int tensor)
        {
            if (HasPassed(model, tensor, CheckedUniform))
            {
                return true;
            }

            int[] constants = model.Int32Constants;
            int offset = model.Offset(tensor);
            int end = offset + model.ElementCount(tensor);
            for (int i = offset + 1; i < end; i++)
            {
                if (constants[i] != constants[offset])
                {
                    return false;
                }
            }

            MarkPassed(model, tensor, CheckedUniform);
            return true;
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
