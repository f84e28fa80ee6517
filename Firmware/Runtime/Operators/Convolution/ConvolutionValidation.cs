using NanoInt8.Runtime.Kernels;

namespace NanoInt8.Runtime.Operators
{
    /// <summary>
    /// The checks of the convolutions (codes 1, 16, 17, 18, 19, 24, 25; <see cref="Conv2DLayout"/>): after
    /// them every convolution kernel stays inside its arrays and its int32 accumulator cannot
    /// overflow (a reduction of at most 65535 taps, biases within ±2^30).
    /// </summary>
    internal static class ConvolutionValidation
    {
        /// <summary>Conv2D (code 1): any groups and dilation, an int8 filter [O, C/groups, KH, KW].</summary>
        internal static ModelError ValidateConv2D(OperatorView op)
        {
            Model model = op.Model;
            int input = op.Input(Conv2DLayout.Operands.Input);
            int filter = op.Input(Conv2DLayout.Operands.Filter);
            if (!model.IsInt8(input) || !model.IsConstant(filter, ModelFormat.TypeInt8) || model.ZeroPoint(filter) != 0)
            {
                return ModelError.BadOperand;
            }

            int strideHeight = op.Parameter(Conv2DLayout.StrideHeight);
            int strideWidth = op.Parameter(Conv2DLayout.StrideWidth);
            int dilationHeight = op.Parameter(Conv2DLayout.DilationHeight);
            int dilationWidth = op.Parameter(Conv2DLayout.DilationWidth);
            int padTop = op.Parameter(Conv2DLayout.PadTop);
            int padLeft = op.Parameter(Conv2DLayout.PadLeft);
            int padBottom = op.Parameter(Conv2DLayout.PadBottom);
            int padRight = op.Parameter(Conv2DLayout.PadRight);
            int groups = op.Parameter(Conv2DLayout.Groups);
            if (!OperatorChecks.IsPositiveSmall(strideHeight) || !OperatorChecks.IsPositiveSmall(strideWidth)
                || !OperatorChecks.IsPositiveSmall(dilationHeight) || !OperatorChecks.IsPositiveSmall(dilationWidth)
                || !OperatorChecks.IsPadding(padTop) || !OperatorChecks.IsPadding(padLeft)
                || !OperatorChecks.IsPadding(padBottom) || !OperatorChecks.IsPadding(padRight)
                || groups < 1 || !OperatorChecks.IsActivationRange(op.Parameter(Conv2DLayout.ActivationMin), op.Parameter(Conv2DLayout.ActivationMax)))
            {
                return ModelError.BadParameter;
            }

            int batches = model.Dim(input, 0);
            int inputChannels = model.Dim(input, 1);
            int outputChannels = model.Dim(filter, 0);
            int filterHeight = model.Dim(filter, 2);
            int filterWidth = model.Dim(filter, 3);
            if (inputChannels % groups != 0 || outputChannels % groups != 0
                || model.Dim(filter, 1) != inputChannels / groups
                || (long)model.Dim(filter, 1) * filterHeight * filterWidth > ModelReader.MaxReduction)
            {
                return ModelError.ShapeMismatch;
            }

            int outputHeight = OperatorChecks.WindowOutputSize(model.Dim(input, 2), filterHeight, strideHeight, dilationHeight, padTop, padBottom);
            int outputWidth = OperatorChecks.WindowOutputSize(model.Dim(input, 3), filterWidth, strideWidth, dilationWidth, padLeft, padRight);
            if (outputHeight < 1 || outputWidth < 1
                || !model.HasDims(op.Output, batches, outputChannels, outputHeight, outputWidth))
            {
                return ModelError.ShapeMismatch;
            }

            return ValidateChannels(op, outputChannels);
        }

        /// <summary>
        /// DepthwiseConv3x3 (code 17): a valid Conv2D that is depthwise (groups = C = O, one input
        /// channel per filter), 3x3 and not dilated, the shape DepthwiseConv3x3Kernel computes.
        /// </summary>
        internal static ModelError ValidateDepthwiseConv3x3(OperatorView op)
        {
            ModelError error = ValidateConv2D(op);
            if (error != ModelError.None)
            {
                return error;
            }

            Model model = op.Model;
            int filter = op.Input(Conv2DLayout.Operands.Filter);
            int channels = model.Dim(op.Input(Conv2DLayout.Operands.Input), 1);
            if (op.Parameter(Conv2DLayout.DilationHeight) != 1 || op.Parameter(Conv2DLayout.DilationWidth) != 1
                || op.Parameter(Conv2DLayout.Groups) != channels)
            {
                return ModelError.BadParameter;
            }

            if (model.Dim(filter, 0) != channels || model.Dim(filter, 1) != 1
                || model.Dim(filter, 2) != DepthwiseConv3x3Kernel.FilterSize || model.Dim(filter, 3) != DepthwiseConv3x3Kernel.FilterSize)
            {
                return ModelError.ShapeMismatch;
            }

            return ModelError.None;
        }

        /// <summary>
        /// Conv2DPacked (code 16): Conv2D's words with groups 1 and dilation 1; the packed filter is
        /// int32 [⌈O/4⌉, KH, KW, 4·P] (P = ChannelPairCount(C)) of words with two taps in
        /// [-128, 127]; a window row (KW·P pairs) fits one lane block and the packed padded input
        /// fits the scratch.
        /// </summary>
        internal static ModelError ValidateConv2DPacked(OperatorView op)
        {
            Model model = op.Model;
            int input = op.Input(Conv2DLayout.Operands.Input);
            int filter = op.Input(Conv2DLayout.Operands.Filter);
            if (!model.IsInt8(input) || !model.IsConstant(filter, ModelFormat.TypeInt32))
            {
                return ModelError.BadOperand;
            }

            if (!HasPackedWindowParameters(op))
            {
                return ModelError.BadParameter;
            }

            int inputChannels = model.Dim(input, 1);
            int outputChannels = model.Dim(op.Output, 1);
            int filterHeight = model.Dim(filter, 1);
            int filterWidth = model.Dim(filter, 2);
            int pairCount = Conv2DPackedKernel.ChannelPairCount(inputChannels);
            if (model.Rank(filter) != 4 || model.Dim(filter, 0) != (outputChannels + 3) / 4
                || model.Dim(filter, 3) != pairCount * Conv2DPackedKernel.GroupChannels
                || (long)inputChannels * filterHeight * filterWidth > ModelReader.MaxReduction
                || (long)filterWidth * pairCount > FullyConnectedPackedKernel.BlockPairs
                || Conv2DPackedKernel.ScratchWords(inputChannels, model.Dim(input, 2), model.Dim(input, 3),
                    op.Parameter(Conv2DLayout.PadTop), op.Parameter(Conv2DLayout.PadLeft),
                    op.Parameter(Conv2DLayout.PadBottom), op.Parameter(Conv2DLayout.PadRight)) > ModelFormat.MaxScratchWords)
            {
                return ModelError.ShapeMismatch;
            }

            return ValidatePackedWindowRest(op, filterHeight, filterWidth);
        }

        /// <summary>
        /// Conv2DPackedTaps (code 18): Conv2D's words with one input channel, groups 1 and dilation
        /// 1, then FilterWidth KW; the tap-paired filter is int32 [⌈O/4⌉, KH, 1, 4·Q]
        /// (Q = TapPairCount(KW) ≤ 254 pairs, one lane block a row) of words with two taps in
        /// [-128, 127]; the packed padded input fits the scratch.
        /// </summary>
        internal static ModelError ValidateConv2DPackedTaps(OperatorView op)
        {
            Model model = op.Model;
            int input = op.Input(Conv2DLayout.Operands.Input);
            int filter = op.Input(Conv2DLayout.Operands.Filter);
            if (!model.IsInt8(input) || !model.IsConstant(filter, ModelFormat.TypeInt32))
            {
                return ModelError.BadOperand;
            }

            int filterWidth = op.Parameter(Conv2DFilterWidthLayout.FilterWidth);
            if (!HasPackedWindowParameters(op) || filterWidth < 1 || filterWidth > 2 * FullyConnectedPackedKernel.BlockPairs)
            {
                return ModelError.BadParameter;
            }

            int outputChannels = model.Dim(op.Output, 1);
            int filterHeight = model.Dim(filter, 1);
            if (model.Dim(input, 1) != 1 || model.Rank(filter) != 4 || model.Dim(filter, 0) != (outputChannels + 3) / 4
                || model.Dim(filter, 2) != 1
                || model.Dim(filter, 3) != Conv2DPackedKernel.TapPairCount(filterWidth) * Conv2DPackedKernel.GroupChannels
                || (long)filterHeight * filterWidth > ModelReader.MaxReduction
                || Conv2DPackedKernel.ScratchWordsTapPairs(model.Dim(input, 2), model.Dim(input, 3), filterWidth,
                    op.Parameter(Conv2DLayout.PadTop), op.Parameter(Conv2DLayout.PadLeft),
                    op.Parameter(Conv2DLayout.PadBottom), op.Parameter(Conv2DLayout.PadRight)) > ModelFormat.MaxScratchWords)
            {
                return ModelError.ShapeMismatch;
            }

            return ValidatePackedWindowRest(op, filterHeight, filterWidth);
        }

        /// <summary>
        /// Conv2DTriple (code 19): Conv2D's words with groups 1 and dilation 1, then FilterWidth KW;
        /// the filter is int8 lanes [⌈O/8⌉, KH, R, 24] (R = Conv2DTripleKernel.RowWords(C, KW) ≤ 21,
        /// one lane block a row; any int8 value keeps the lane bound) and the scratch (filter words
        /// and packed padded input) fits the limit.
        /// </summary>
        internal static ModelError ValidateConv2DTriple(OperatorView op)
        {
            Model model = op.Model;
            int input = op.Input(Conv2DLayout.Operands.Input);
            int filter = op.Input(Conv2DLayout.Operands.Filter);
            if (!model.IsInt8(input) || !model.IsConstant(filter, ModelFormat.TypeInt8) || model.ZeroPoint(filter) != 0)
            {
                return ModelError.BadOperand;
            }

            int inputChannels = model.Dim(input, 1);
            int filterWidth = op.Parameter(Conv2DFilterWidthLayout.FilterWidth);
            if (!HasPackedWindowParameters(op) || !Conv2DTripleKernel.Fits(inputChannels, filterWidth))
            {
                return ModelError.BadParameter;
            }

            int outputChannels = model.Dim(op.Output, 1);
            int filterHeight = model.Dim(filter, 1);
            if (model.Rank(filter) != 4
                || model.Dim(filter, 0) != (outputChannels + Conv2DTripleKernel.TileChannels - 1) / Conv2DTripleKernel.TileChannels
                || model.Dim(filter, 2) != Conv2DTripleKernel.RowWords(inputChannels, filterWidth)
                || model.Dim(filter, 3) != 3 * Conv2DTripleKernel.TileChannels
                || (long)inputChannels * filterHeight * filterWidth > ModelReader.MaxReduction
                || TripleScratchWords(op) > ModelFormat.MaxScratchWords
                || !HasWindowOutput(op, filterHeight, filterWidth))
            {
                return ModelError.ShapeMismatch;
            }

            return ValidateChannels(op, outputChannels);
        }

        /// <summary>
        /// Conv2DLanes (code 24): Conv2D's words with groups 1 and dilation 1, then KH, KW, a packing
        /// the input's channel count allows, the table's zero and BiasInLane; the q31 mode; the filter
        /// is int8 lanes [⌈O/8⌉, WindowRows, R, 24] (any int8 value keeps the lane bound) and the
        /// scratch fits the limit; the sixth operand is a clamp table for the activation range; and
        /// for every channel, over every int8 input, the accumulator's range (bias plus each lane's
        /// weight times -128 or 127) leaves no rounding tie and indexes inside the table, and with
        /// BiasInLane 1 the window is one lane block and the range lies in ±2^20.
        /// </summary>
        internal static ModelError ValidateConv2DLanes(OperatorView op)
        {
            Model model = op.Model;
            int input = op.Input(Conv2DLanesLayout.Operands.Input);
            int filter = op.Input(Conv2DLanesLayout.Operands.Filter);
            int table = op.Input(Conv2DLanesLayout.Operands.Table);
            if (!model.IsInt8(input) || !model.IsConstant(filter, ModelFormat.TypeInt8) || model.ZeroPoint(filter) != 0
                || !model.IsConstant(table, ModelFormat.TypeInt8) || model.ZeroPoint(table) != 0)
            {
                return ModelError.BadOperand;
            }

            int inputChannels = model.Dim(input, 1);
            int filterHeight = op.Parameter(Conv2DLanesLayout.FilterHeight);
            int filterWidth = op.Parameter(Conv2DLanesLayout.FilterWidth);
            int packing = op.Parameter(Conv2DLanesLayout.Packing);
            int biasInLane = op.Parameter(Conv2DLanesLayout.BiasInLane);
            if (!HasPackedWindowParameters(op) || !OperatorChecks.IsPositiveSmall(filterHeight) || !OperatorChecks.IsPositiveSmall(filterWidth)
                || !Conv2DLanesKernel.IsPacking(packing, inputChannels) || model.RequantizationMode != Requantization.Q31
                || (biasInLane != 0 && biasInLane != 1)
                || (biasInLane == 1 && !Conv2DLanesKernel.IsSingleBlock(packing, inputChannels, filterHeight, filterWidth)))
            {
                return ModelError.BadParameter;
            }

            int outputChannels = model.Dim(op.Output, 1);
            int windowRows = Conv2DLanesKernel.WindowRows(packing, filterHeight);
            int rowWords = Conv2DLanesKernel.RowWords(packing, inputChannels, filterWidth);
            if (model.Rank(filter) != 4
                || model.Dim(filter, 0) != (outputChannels + Conv2DLanesKernel.TileChannels - 1) / Conv2DLanesKernel.TileChannels
                || model.Dim(filter, 1) != windowRows || model.Dim(filter, 2) != rowWords
                || model.Dim(filter, 3) != 3 * Conv2DLanesKernel.TileChannels
                || (long)inputChannels * filterHeight * filterWidth > ModelReader.MaxReduction
                || LanesScratchWords(op) > ModelFormat.MaxScratchWords
                || !HasWindowOutput(op, filterHeight, filterWidth))
            {
                return ModelError.ShapeMismatch;
            }

            ModelError error = ValidateChannels(op, outputChannels);
            if (error == ModelError.None)
            {
                error = OperatorChecks.ValidateClampTable(model, table, op.Parameter(Conv2DLanesLayout.TableZero),
                    op.Parameter(Conv2DLanesLayout.ActivationMin), op.Parameter(Conv2DLanesLayout.ActivationMax));
            }

            if (error != ModelError.None)
            {
                return error;
            }

            int[] constants = model.Int32Constants;
            int biasOffset = model.Offset(op.Input(Conv2DLanesLayout.Operands.Bias));
            int multiplierOffset = model.Offset(op.Input(Conv2DLanesLayout.Operands.Multiplier));
            int shiftOffset = model.Offset(op.Input(Conv2DLanesLayout.Operands.Shift));
            int zeroIndex = model.ZeroPoint(op.Output) + op.Parameter(Conv2DLanesLayout.TableZero);
            for (int channel = 0; channel < outputChannels; channel++)
            {
                Conv2DLanesKernel.AccumulatorBounds(model.Int8Constants, model.Offset(filter), channel, windowRows * rowWords, constants[biasOffset + channel],
                    out long low, out long high);
                if (!ClampTableStore.Fits(low, high, constants[multiplierOffset + channel], constants[shiftOffset + channel], zeroIndex, model.ElementCount(table))
                    || (biasInLane == 1 && (low < -Conv2DLanesKernel.LaneLimit || high >= Conv2DLanesKernel.LaneLimit)))
                {
                    return ModelError.BadParameter;
                }
            }

            return ModelError.None;
        }

        /// <summary>
        /// DepthwiseConv3x3Lanes (code 25): a valid DepthwiseConv3x3 (its first five operands and
        /// Conv2D's eleven words), then the table's zero; the q31 mode; the sixth operand a clamp
        /// table for the activation range; and for every channel, over every int8 input, the
        /// accumulator's range leaves no rounding tie and indexes inside the table.
        /// </summary>
        internal static ModelError ValidateDepthwiseConv3x3Lanes(OperatorView op)
        {
            Model model = op.Model;
            int table = op.Input(DepthwiseConv3x3LanesLayout.Operands.Table);
            if (!model.IsConstant(table, ModelFormat.TypeInt8) || model.ZeroPoint(table) != 0)
            {
                return ModelError.BadOperand;
            }

            if (model.RequantizationMode != Requantization.Q31)
            {
                return ModelError.BadParameter;
            }

            ModelError error = ValidateDepthwiseConv3x3(op);
            if (error == ModelError.None)
            {
                error = OperatorChecks.ValidateClampTable(model, table, op.Parameter(DepthwiseConv3x3LanesLayout.TableZero),
                    op.Parameter(DepthwiseConv3x3LanesLayout.ActivationMin), op.Parameter(DepthwiseConv3x3LanesLayout.ActivationMax));
            }

            if (error != ModelError.None)
            {
                return error;
            }

            int[] constants = model.Int32Constants;
            int filter = op.Input(DepthwiseConv3x3LanesLayout.Operands.Filter);
            int biasOffset = model.Offset(op.Input(DepthwiseConv3x3LanesLayout.Operands.Bias));
            int multiplierOffset = model.Offset(op.Input(DepthwiseConv3x3LanesLayout.Operands.Multiplier));
            int shiftOffset = model.Offset(op.Input(DepthwiseConv3x3LanesLayout.Operands.Shift));
            int zeroIndex = model.ZeroPoint(op.Output) + op.Parameter(DepthwiseConv3x3LanesLayout.TableZero);
            int channels = model.Dim(filter, 0);
            for (int channel = 0; channel < channels; channel++)
            {
                DepthwiseConv3x3LanesKernel.AccumulatorBounds(model.Int8Constants, model.Offset(filter), channel, constants[biasOffset + channel],
                    out long low, out long high);
                if (!ClampTableStore.Fits(low, high, constants[multiplierOffset + channel], constants[shiftOffset + channel], zeroIndex, model.ElementCount(table)))
                {
                    return ModelError.BadParameter;
                }
            }

            return ModelError.None;
        }

        /// <summary>Scratch words of a validated convolution: the packed padded input (and Conv2DTriple's filter words), 0 without packing.</summary>
        internal static long ScratchWords(OperatorView op)
        {
            Model model = op.Model;
            int input = op.Input(Conv2DLayout.Operands.Input);
            switch (op.Code)
            {
                case OpCode.Conv2DPacked:
                    return Conv2DPackedKernel.ScratchWords(model.Dim(input, 1), model.Dim(input, 2), model.Dim(input, 3),
                        op.Parameter(Conv2DLayout.PadTop), op.Parameter(Conv2DLayout.PadLeft),
                        op.Parameter(Conv2DLayout.PadBottom), op.Parameter(Conv2DLayout.PadRight));
                case OpCode.Conv2DPackedTaps:
                    return Conv2DPackedKernel.ScratchWordsTapPairs(model.Dim(input, 2), model.Dim(input, 3),
                        op.Parameter(Conv2DFilterWidthLayout.FilterWidth),
                        op.Parameter(Conv2DLayout.PadTop), op.Parameter(Conv2DLayout.PadLeft),
                        op.Parameter(Conv2DLayout.PadBottom), op.Parameter(Conv2DLayout.PadRight));
                case OpCode.Conv2DTriple:
                    return TripleScratchWords(op);
                case OpCode.Conv2DLanes:
                    return LanesScratchWords(op);
                default:
                    return 0;
            }
        }

        /// <summary>
        /// Work of a validated convolution: its multiply-accumulates and one per output, and the
        /// scratch words a packed kernel fills for each batch.
        /// </summary>
        internal static long Work(OperatorView op)
        {
            Model model = op.Model;
            int input = op.Input(Conv2DLayout.Operands.Input);
            int filter = op.Input(Conv2DLayout.Operands.Filter);
            long taps;
            switch (op.Code)
            {
                case OpCode.Conv2D:
                case OpCode.DepthwiseConv3x3:
                case OpCode.DepthwiseConv3x3Lanes:
                    // [O, C/groups, KH, KW] ([C, 1, 3, 3] for the depthwise codes)
                    taps = (long)model.Dim(filter, 1) * model.Dim(filter, 2) * model.Dim(filter, 3);
                    break;
                case OpCode.Conv2DLanes:
                    // Groups 1; the filter is in lanes, KH and KW are parameters.
                    taps = (long)model.Dim(input, 1) * op.Parameter(Conv2DLanesLayout.FilterHeight) * op.Parameter(Conv2DLanesLayout.FilterWidth);
                    break;
                case OpCode.Conv2DPacked:
                    // [⌈O/4⌉, KH, KW, 4·P], groups 1
                    taps = (long)model.Dim(input, 1) * model.Dim(filter, 1) * model.Dim(filter, 2);
                    break;
                default:
                    // Conv2DPackedTaps, Conv2DTriple: KH is the filter's dim 1, KW a parameter, groups 1
                    taps = (long)model.Dim(input, 1) * model.Dim(filter, 1) * op.Parameter(Conv2DFilterWidthLayout.FilterWidth);
                    break;
            }

            return OperatorWork.Window(model.ElementCount(op.Output), taps) + model.Dim(input, 0) * ScratchWords(op);
        }

        private static long TripleScratchWords(OperatorView op)
        {
            Model model = op.Model;
            int input = op.Input(Conv2DLayout.Operands.Input);
            return Conv2DTripleKernel.ScratchWords(model.Dim(op.Output, 1), model.Dim(input, 1), model.Dim(input, 2), model.Dim(input, 3),
                model.Dim(op.Input(Conv2DLayout.Operands.Filter), 1), op.Parameter(Conv2DFilterWidthLayout.FilterWidth),
                op.Parameter(Conv2DLayout.PadTop), op.Parameter(Conv2DLayout.PadLeft),
                op.Parameter(Conv2DLayout.PadBottom), op.Parameter(Conv2DLayout.PadRight));
        }

        private static long LanesScratchWords(OperatorView op)
        {
            Model model = op.Model;
            int input = op.Input(Conv2DLanesLayout.Operands.Input);
            return Conv2DLanesKernel.ScratchWords(model.Dim(op.Output, 1), op.Parameter(Conv2DLanesLayout.Packing), model.Dim(input, 1),
                model.Dim(input, 2), model.Dim(input, 3), op.Parameter(Conv2DLanesLayout.FilterHeight), op.Parameter(Conv2DLanesLayout.FilterWidth),
                op.Parameter(Conv2DLanesLayout.PadTop), op.Parameter(Conv2DLanesLayout.PadLeft),
                op.Parameter(Conv2DLanesLayout.PadBottom), op.Parameter(Conv2DLanesLayout.PadRight));
        }

        // The window words every packed convolution shares with Conv2D, restricted to what the
        // packed kernels run: strides and paddings in range, dilation 1, groups 1, a valid clamp.
        private static bool HasPackedWindowParameters(OperatorView op)
        {
            return OperatorChecks.IsPositiveSmall(op.Parameter(Conv2DLayout.StrideHeight))
                && OperatorChecks.IsPositiveSmall(op.Parameter(Conv2DLayout.StrideWidth))
                && op.Parameter(Conv2DLayout.DilationHeight) == 1 && op.Parameter(Conv2DLayout.DilationWidth) == 1
                && OperatorChecks.IsPadding(op.Parameter(Conv2DLayout.PadTop)) && OperatorChecks.IsPadding(op.Parameter(Conv2DLayout.PadLeft))
                && OperatorChecks.IsPadding(op.Parameter(Conv2DLayout.PadBottom)) && OperatorChecks.IsPadding(op.Parameter(Conv2DLayout.PadRight))
                && op.Parameter(Conv2DLayout.Groups) == 1
                && OperatorChecks.IsActivationRange(op.Parameter(Conv2DLayout.ActivationMin), op.Parameter(Conv2DLayout.ActivationMax));
        }

        // What Conv2DPacked and Conv2DPackedTaps check alike once their filter shape is right: the
        // output shape of the window, every packed filter word, and the channel parameters.
        private static ModelError ValidatePackedWindowRest(OperatorView op, int filterHeight, int filterWidth)
        {
            if (!HasWindowOutput(op, filterHeight, filterWidth))
            {
                return ModelError.ShapeMismatch;
            }

            return OperatorChecks.ValidatePackedFilterAndChannels(op.Model, op.Input(Conv2DLayout.Operands.Filter),
                op.Input(Conv2DLayout.Operands.Bias), op.Input(Conv2DLayout.Operands.Multiplier), op.Input(Conv2DLayout.Operands.Shift),
                op.Model.Dim(op.Output, 1));
        }

        // Whether the output has the shape of a dilation-1 window over the input (the output's channels as they are).
        private static bool HasWindowOutput(OperatorView op, int filterHeight, int filterWidth)
        {
            Model model = op.Model;
            int input = op.Input(Conv2DLayout.Operands.Input);
            int outputHeight = OperatorChecks.WindowOutputSize(model.Dim(input, 2), filterHeight, op.Parameter(Conv2DLayout.StrideHeight), 1,
                op.Parameter(Conv2DLayout.PadTop), op.Parameter(Conv2DLayout.PadBottom));
            int outputWidth = OperatorChecks.WindowOutputSize(model.Dim(input, 3), filterWidth, op.Parameter(Conv2DLayout.StrideWidth), 1,
                op.Parameter(Conv2DLayout.PadLeft), op.Parameter(Conv2DLayout.PadRight));
            return outputHeight >= 1 && outputWidth >= 1
                && model.HasDims(op.Output, model.Dim(input, 0), model.Dim(op.Output, 1), outputHeight, outputWidth);
        }

        private static ModelError ValidateChannels(OperatorView op, int outputChannels)
        {
            return OperatorChecks.ValidateChannelParameters(op.Model, op.Input(Conv2DLayout.Operands.Bias),
                op.Input(Conv2DLayout.Operands.Multiplier), op.Input(Conv2DLayout.Operands.Shift), outputChannels);
        }
    }
}
