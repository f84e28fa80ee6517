using NanoInt8.Runtime.Kernels;

namespace NanoInt8.Runtime.Operators
{
    /// <summary>
    /// The checks of the fully connected layers (codes 2, 15, 20, 26; <see cref="FullyConnectedLayout"/>):
    /// a reduction of at most 65535 taps and biases within ±2^30, so the int32 accumulator cannot overflow.
    /// </summary>
    internal static class FullyConnectedValidation
    {
        /// <summary>FullyConnected (code 2): an int8 filter [O, K], an input [..., K], an output [rows, O].</summary>
        internal static ModelError ValidateFullyConnected(OperatorView op)
        {
            Model model = op.Model;
            int input = op.Input(FullyConnectedLayout.Operands.Input);
            int filter = op.Input(FullyConnectedLayout.Operands.Filter);
            if (!model.IsInt8(input) || !model.IsConstant(filter, ModelFormat.TypeInt8) || model.ZeroPoint(filter) != 0)
            {
                return ModelError.BadOperand;
            }

            if (!HasActivationRange(op))
            {
                return ModelError.BadParameter;
            }

            int depth = model.Dim(filter, 3);
            int outputDepth = model.Dim(filter, 2);
            int inputCount = model.ElementCount(input);
            if (model.Rank(filter) != 2 || depth > ModelReader.MaxReduction
                || model.Dim(input, 3) != depth || model.Dim(op.Output, 3) != outputDepth
                || (long)(inputCount / depth) * outputDepth != model.ElementCount(op.Output))
            {
                return ModelError.ShapeMismatch;
            }

            return ValidateChannels(op, outputDepth);
        }

        /// <summary>
        /// FullyConnectedPacked (code 15): the packed filter is int32 [⌈O/4⌉, PairCount(K), 4] and
        /// every word holds two taps in [-128, 127] (the kernel's lane bound needs |tap| ≤ 128); K and
        /// O come from the input and the output, which FullyConnected reads from its int8 filter.
        /// </summary>
        internal static ModelError ValidateFullyConnectedPacked(OperatorView op)
        {
            Model model = op.Model;
            int depth = model.Dim(op.Input(FullyConnectedLayout.Operands.Input), 3);
            ModelError error = ValidatePackedShape(op, ModelFormat.TypeInt32, FullyConnectedPackedKernel.PairCount(depth));
            return error != ModelError.None
                ? error
                : OperatorChecks.ValidatePackedFilterAndChannels(model, op.Input(FullyConnectedLayout.Operands.Filter),
                    op.Input(FullyConnectedLayout.Operands.Bias), op.Input(FullyConnectedLayout.Operands.Multiplier),
                    op.Input(FullyConnectedLayout.Operands.Shift), model.Dim(op.Output, 3));
        }

        /// <summary>
        /// FullyConnectedTriple (code 20): the packed filter is int64 [⌈O/4⌉, RowWords(K), 4] and every
        /// word holds three taps in [-128, 127] (the lane bound needs |tap| ≤ 128); K and O come from
        /// the input and the output.
        /// </summary>
        internal static ModelError ValidateFullyConnectedTriple(OperatorView op)
        {
            Model model = op.Model;
            int filter = op.Input(FullyConnectedLayout.Operands.Filter);
            ModelError error = ValidatePackedShape(op, ModelFormat.TypeInt64,
                FullyConnectedTripleKernel.RowWords(model.Dim(op.Input(FullyConnectedLayout.Operands.Input), 3)));
            if (error != ModelError.None)
            {
                return error;
            }

            if (!OperatorChecks.HasPassed(model, filter, OperatorChecks.CheckedTripleWords))
            {
                long[] words = model.Int64Constants;
                int filterOffset = model.Offset(filter);
                int filterCount = model.ElementCount(filter);
                for (int i = 0; i < filterCount; i++)
                {
                    if (!FullyConnectedTripleKernel.IsValidFilterWord(words[filterOffset + i]))
                    {
                        return ModelError.BadParameter;
                    }
                }

                OperatorChecks.MarkPassed(model, filter, OperatorChecks.CheckedTripleWords);
            }

            return ValidateChannels(op, model.Dim(op.Output, 3));
        }

        /// <summary>
        /// FullyConnectedLanes (code 26): FullyConnected's words, then the table's zero and a block
        /// length of 1 to ⌈K/3⌉ words; the q31 mode; the filter is int64 [O, ⌈K/3⌉] of valid filter
        /// words (three taps in [-128, 127]); the sixth operand is a clamp table for the activation
        /// range; and for every channel every lane block keeps the lane bound, and the accumulator's
        /// range over every int8 input (bias plus each tap's weight times -128 or 127) leaves no
        /// rounding tie and indexes inside the table.
        /// </summary>
        internal static ModelError ValidateFullyConnectedLanes(OperatorView op)
        {
            Model model = op.Model;
            int input = op.Input(FullyConnectedLanesLayout.Operands.Input);
            int filter = op.Input(FullyConnectedLanesLayout.Operands.Filter);
            int table = op.Input(FullyConnectedLanesLayout.Operands.Table);
            if (!model.IsInt8(input) || !model.IsConstant(filter, ModelFormat.TypeInt64)
                || !model.IsConstant(table, ModelFormat.TypeInt8) || model.ZeroPoint(table) != 0)
            {
                return ModelError.BadOperand;
            }

            int depth = model.Dim(input, 3);
            int words = FullyConnectedLanesKernel.Words(depth);
            int blockWords = op.Parameter(FullyConnectedLanesLayout.BlockWords);
            if (!HasActivationRange(op) || model.RequantizationMode != Requantization.Q31 || blockWords < 1 || blockWords > words)
            {
                return ModelError.BadParameter;
            }

            int outputDepth = model.Dim(op.Output, 3);
            if (model.Rank(filter) != 2 || depth > ModelReader.MaxReduction
                || model.Dim(filter, 2) != outputDepth || model.Dim(filter, 3) != words
                || (long)(model.ElementCount(input) / depth) * outputDepth != model.ElementCount(op.Output))
            {
                return ModelError.ShapeMismatch;
            }

            ModelError error = ValidateChannels(op, outputDepth);
            if (error == ModelError.None)
            {
                error = OperatorChecks.ValidateClampTable(model, table, op.Parameter(FullyConnectedLanesLayout.TableZero),
                    op.Parameter(FullyConnectedLanesLayout.ActivationMin), op.Parameter(FullyConnectedLanesLayout.ActivationMax));
            }

            if (error != ModelError.None)
            {
                return error;
            }

            long[] filterWords = model.Int64Constants;
            int filterOffset = model.Offset(filter);
            int filterEnd = filterOffset + model.ElementCount(filter);
            for (int index = filterOffset; index < filterEnd; index++)
            {
                if (!FullyConnectedLanesKernel.IsValidFilterWord(filterWords[index]))
                {
                    return ModelError.BadParameter;
                }
            }

            int[] constants = model.Int32Constants;
            int biasOffset = model.Offset(op.Input(FullyConnectedLanesLayout.Operands.Bias));
            int multiplierOffset = model.Offset(op.Input(FullyConnectedLanesLayout.Operands.Multiplier));
            int shiftOffset = model.Offset(op.Input(FullyConnectedLanesLayout.Operands.Shift));
            int zeroIndex = model.ZeroPoint(op.Output) + op.Parameter(FullyConnectedLanesLayout.TableZero);
            for (int channel = 0; channel < outputDepth; channel++)
            {
                long low = constants[biasOffset + channel];
                long high = low;
                for (int blockStart = 0; blockStart < words; blockStart += blockWords)
                {
                    int blockEnd = words - blockStart > blockWords ? blockStart + blockWords : words;
                    if (!FullyConnectedLanesKernel.BlockBounds(filterWords, filterOffset, channel, outputDepth, words, blockStart, blockEnd, ref low, ref high))
                    {
                        return ModelError.BadParameter;
                    }
                }

                if (!ClampTableStore.Fits(low, high, constants[multiplierOffset + channel], constants[shiftOffset + channel], zeroIndex, model.ElementCount(table)))
                {
                    return ModelError.BadParameter;
                }
            }

            return ModelError.None;
        }

        /// <summary>Scratch words of a validated fully connected layer: the packed input row of codes 15, 20 and 26, else 0.</summary>
        internal static long ScratchWords(OperatorView op)
        {
            int depth = op.Model.Dim(op.Input(FullyConnectedLayout.Operands.Input), 3);
            switch (op.Code)
            {
                case OpCode.FullyConnectedPacked:
                    return FullyConnectedPackedKernel.PairCount(depth);
                case OpCode.FullyConnectedTriple:
                    return FullyConnectedTripleKernel.RowWords(depth);
                case OpCode.FullyConnectedLanes:
                    return FullyConnectedLanesKernel.Words(depth);
                default:
                    return 0;
            }
        }

        /// <summary>
        /// Work of a validated fully connected layer: K multiply-accumulates and one for the
        /// requantization per output, and for a packed layer the scratch words each input row fills.
        /// </summary>
        internal static long Work(OperatorView op)
        {
            Model model = op.Model;
            int input = op.Input(FullyConnectedLayout.Operands.Input);
            int depth = model.Dim(input, 3);
            long rows = model.ElementCount(input) / depth;
            return OperatorWork.Window(model.ElementCount(op.Output), depth) + rows * ScratchWords(op);
        }

        // What the two packed layers check alike: an int8 input, a constant filter of filterType
        // shaped [⌈O/4⌉, words, 4] (four channels side by side), the activation range and the
        // output's element count.
        private static ModelError ValidatePackedShape(OperatorView op, int filterType, int words)
        {
            Model model = op.Model;
            int input = op.Input(FullyConnectedLayout.Operands.Input);
            int filter = op.Input(FullyConnectedLayout.Operands.Filter);
            if (!model.IsInt8(input) || !model.IsConstant(filter, filterType))
            {
                return ModelError.BadOperand;
            }

            if (!HasActivationRange(op))
            {
                return ModelError.BadParameter;
            }

            int depth = model.Dim(input, 3);
            int outputDepth = model.Dim(op.Output, 3);
            int inputCount = model.ElementCount(input);
            if (model.Rank(filter) != 3 || depth > ModelReader.MaxReduction
                || model.Dim(filter, 1) != (outputDepth + 3) / 4
                || model.Dim(filter, 2) != words
                || model.Dim(filter, 3) != 4
                || (long)(inputCount / depth) * outputDepth != model.ElementCount(op.Output))
            {
                return ModelError.ShapeMismatch;
            }

            return ModelError.None;
        }

        private static bool HasActivationRange(OperatorView op)
        {
            return OperatorChecks.IsActivationRange(op.Parameter(FullyConnectedLayout.ActivationMin), op.Parameter(FullyConnectedLayout.ActivationMax));
        }

        private static ModelError ValidateChannels(OperatorView op, int outputChannels)
        {
            return OperatorChecks.ValidateChannelParameters(op.Model, op.Input(FullyConnectedLayout.Operands.Bias),
                op.Input(FullyConnectedLayout.Operands.Multiplier), op.Input(FullyConnectedLayout.Operands.Shift), outputChannels);
        }
    }
}
