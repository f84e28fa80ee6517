using NanoInt8.Runtime.Kernels;

namespace NanoInt8.Runtime
{
    /// <summary>
    /// The operator half of model validation: operand kinds and shapes, parameter ranges, the
    /// execution order and the memory plan. After it passed, every kernel call the interpreter
    /// makes stays inside its arrays and its int32 arithmetic cannot overflow.
    /// </summary>
    internal static class ModelValidator
    {
        // Operator-specific parameter words (after the operands), per opcode; -1: depends on inputs.
        private static readonly int[] s_parameterCounts = new int[]
        {
            0, // unused
            11, // Conv2D
            2, // FullyConnected
            18, // Add
            12, // Mul
            12, // MaxPool
            11, // AveragePool
            4, // GlobalAveragePool
            -1, // Concat: 1 + 2 per input
            9, // Pad
            0, // Reshape
            0, // Lookup
            2, // Softmax
            4, // Transpose
            4, // Requantize
            2, // FullyConnectedPacked
            11, // Conv2DPacked
            11, // DepthwiseConv3x3
            12, // Conv2DPackedTaps: Conv2D's parameters and filterWidth
            12, // Conv2DTriple: Conv2D's parameters and filterWidth
            2, // FullyConnectedTriple
        };

        // Inputs per opcode; -1: Concat, 1 .. MaxConcatInputs.
        private static readonly int[] s_inputCounts = new int[]
        {
            0, 5, 5, 2, 2, 1, 3, 1, -1, 1, 1, 2, 2, 1, 1, 5, 5, 5, 5, 5, 5,
        };

        /// <summary>True when an operator of this code may have these input and parameter counts.</summary>
        internal static bool HasValidOperandCounts(int code, int inputCount, int parameterCount)
        {
            int expectedInputs = s_inputCounts[code];
            int specific = s_parameterCounts[code];
            if (expectedInputs < 0)
            {
                if (inputCount < 1 || inputCount > ModelFormat.MaxConcatInputs)
                {
                    return false;
                }

                specific = 1 + 2 * inputCount;
            }
            else if (inputCount != expectedInputs)
            {
                return false;
            }

            return parameterCount == inputCount + 1 + specific;
        }

        /// <summary>
        /// Checks every operator's operands and parameters, and that the header's scratchWords is
        /// exactly what the packed operators need (so deviceBytes counts no more and no less).
        /// </summary>
        internal static ModelError ValidateOperators(Model model)
        {
            int scratchWords = 0;
            for (int op = 0; op < model.OperatorCount; op++)
            {
                ModelError error = ValidateOperator(model, op);
                if (error != ModelError.None)
                {
                    return error;
                }

                int words = ScratchWords(model, op);
                if (words > scratchWords)
                {
                    scratchWords = words;
                }
            }

            return scratchWords == model.ScratchWords ? ModelError.None : ModelError.BadParameter;
        }

        // Scratch words a validated operator needs: the packed input row of a FullyConnectedPacked,
        // the packed padded input of a Conv2DPacked (validated to be at most MaxScratchWords).
        private static int ScratchWords(Model model, int op)
        {
            int code = model.Operators[op * Model.OperatorFields + Model.OperatorCode];
            int first = model.Operators[op * Model.OperatorFields + Model.OperatorParameters];
            int input = model.Parameters[first];
            if (code == OpCode.FullyConnectedPacked)
            {
                return FullyConnectedPackedKernel.PairCount(Dim(model, input, 3));
            }

            if (code == OpCode.Conv2DPacked)
            {
                int at = first + 6;
                return (int)Conv2DPackedKernel.ScratchWords(Dim(model, input, 1), Dim(model, input, 2), Dim(model, input, 3),
                    model.Parameters[at + 4], model.Parameters[at + 5], model.Parameters[at + 6], model.Parameters[at + 7]);
            }

            if (code == OpCode.Conv2DPackedTaps)
            {
                int at = first + 6;
                return (int)Conv2DPackedKernel.ScratchWordsTapPairs(Dim(model, input, 2), Dim(model, input, 3), model.Parameters[at + 11],
                    model.Parameters[at + 4], model.Parameters[at + 5], model.Parameters[at + 6], model.Parameters[at + 7]);
            }

            if (code == OpCode.FullyConnectedTriple)
            {
                return FullyConnectedTripleKernel.RowWords(Dim(model, input, 3));
            }

            if (code == OpCode.Conv2DTriple)
            {
                int at = first + 6;
                int filter = model.Parameters[first + 1];
                return (int)Conv2DTripleKernel.ScratchWords(Dim(model, model.Parameters[first + 5], 1), Dim(model, input, 1),
                    Dim(model, input, 2), Dim(model, input, 3), Dim(model, filter, 1), model.Parameters[at + 11],
                    model.Parameters[at + 4], model.Parameters[at + 5], model.Parameters[at + 6], model.Parameters[at + 7]);
            }

            return 0;
        }

        private static ModelError ValidateOperator(Model model, int op)
        {
            int[] operators = model.Operators;
            int[] p = model.Parameters;
            int code = operators[op * Model.OperatorFields + Model.OperatorCode];
            int inputCount = operators[op * Model.OperatorFields + Model.OperatorInputCount];
            int first = operators[op * Model.OperatorFields + Model.OperatorParameters];
            int output = p[first + inputCount];
            int at = first + inputCount + 1;
            if (!IsArenaInt8(model, output))
            {
                return ModelError.BadOperand;
            }

            switch (code)
            {
                case OpCode.Conv2D:
                    return ValidateConv2D(model, p, first, output, at);
                case OpCode.FullyConnected:
                    return ValidateFullyConnected(model, p, first, output, at);
                case OpCode.FullyConnectedPacked:
                    return ValidateFullyConnectedPacked(model, p, first, output, at);
                case OpCode.Conv2DPacked:
                    return ValidateConv2DPacked(model, p, first, output, at);
                case OpCode.DepthwiseConv3x3:
                    return ValidateDepthwiseConv3x3(model, p, first, output, at);
                case OpCode.Conv2DPackedTaps:
                    return ValidateConv2DPackedTaps(model, p, first, output, at);
                case OpCode.Conv2DTriple:
                    return ValidateConv2DTriple(model, p, first, output, at);
                case OpCode.FullyConnectedTriple:
                    return ValidateFullyConnectedTriple(model, p, first, output, at);
                case OpCode.Add:
                    return ValidateBinary(model, p, first, output, at, true);
                case OpCode.Mul:
                    return ValidateBinary(model, p, first, output, at, false);
                case OpCode.MaxPool:
                    return ValidateMaxPool(model, p, first, output, at);
                case OpCode.AveragePool:
                    return ValidateAveragePool(model, p, first, output, at);
                case OpCode.GlobalAveragePool:
                    return ValidateGlobalAveragePool(model, p, first, output, at);
                case OpCode.Concat:
                    return ValidateConcat(model, p, first, inputCount, output, at);
                case OpCode.Pad:
                    return ValidatePad(model, p, first, output, at);
                case OpCode.Reshape:
                    return ValidateReshape(model, p, first, output);
                case OpCode.Lookup:
                    return ValidateLookup(model, p, first, output);
                case OpCode.Softmax:
                    return ValidateSoftmax(model, p, first, output, at);
                case OpCode.Transpose:
                    return ValidateTranspose(model, p, first, output, at);
                case OpCode.Requantize:
                    return ValidateRequantize(model, p, first, output, at);
            }

            return ModelError.BadOperator;
        }

        private static ModelError ValidateConv2D(Model model, int[] p, int first, int output, int at)
        {
            int input = p[first];
            int filter = p[first + 1];
            if (!IsInt8(model, input) || !IsConstant(model, filter, ModelFormat.TypeInt8) || ZeroPoint(model, filter) != 0)
            {
                return ModelError.BadOperand;
            }

            int strideHeight = p[at];
            int strideWidth = p[at + 1];
            int dilationHeight = p[at + 2];
            int dilationWidth = p[at + 3];
            int padTop = p[at + 4];
            int padLeft = p[at + 5];
            int padBottom = p[at + 6];
            int padRight = p[at + 7];
            int groups = p[at + 8];
            if (!IsPositiveSmall(strideHeight) || !IsPositiveSmall(strideWidth)
                || !IsPositiveSmall(dilationHeight) || !IsPositiveSmall(dilationWidth)
                || !IsPadding(padTop) || !IsPadding(padLeft) || !IsPadding(padBottom) || !IsPadding(padRight)
                || groups < 1 || !IsActivationRange(p[at + 9], p[at + 10]))
            {
                return ModelError.BadParameter;
            }

            int batches = Dim(model, input, 0);
            int inputChannels = Dim(model, input, 1);
            int outputChannels = Dim(model, filter, 0);
            int filterHeight = Dim(model, filter, 2);
            int filterWidth = Dim(model, filter, 3);
            if (inputChannels % groups != 0 || outputChannels % groups != 0
                || Dim(model, filter, 1) != inputChannels / groups
                || (long)Dim(model, filter, 1) * filterHeight * filterWidth > ModelReader.MaxReduction)
            {
                return ModelError.ShapeMismatch;
            }

            int outputHeight = WindowOutputSize(Dim(model, input, 2), filterHeight, strideHeight, dilationHeight, padTop, padBottom);
            int outputWidth = WindowOutputSize(Dim(model, input, 3), filterWidth, strideWidth, dilationWidth, padLeft, padRight);
            if (outputHeight < 1 || outputWidth < 1
                || !HasDims(model, output, batches, outputChannels, outputHeight, outputWidth))
            {
                return ModelError.ShapeMismatch;
            }

            return ValidateChannelParameters(model, p[first + 2], p[first + 3], p[first + 4], outputChannels);
        }

        // A valid Conv2D that is depthwise (groups = C = O, one input channel per filter), 3x3 and
        // not dilated: the shape DepthwiseConv3x3Kernel computes.
        private static ModelError ValidateDepthwiseConv3x3(Model model, int[] p, int first, int output, int at)
        {
            ModelError error = ValidateConv2D(model, p, first, output, at);
            if (error != ModelError.None)
            {
                return error;
            }

            int filter = p[first + 1];
            int channels = Dim(model, p[first], 1);
            if (p[at + 2] != 1 || p[at + 3] != 1 || p[at + 8] != channels)
            {
                return ModelError.BadParameter;
            }

            if (Dim(model, filter, 0) != channels || Dim(model, filter, 1) != 1
                || Dim(model, filter, 2) != DepthwiseConv3x3Kernel.FilterSize || Dim(model, filter, 3) != DepthwiseConv3x3Kernel.FilterSize)
            {
                return ModelError.ShapeMismatch;
            }

            return ModelError.None;
        }

        // The window parameters every packed convolution shares with Conv2D, restricted to what the
        // packed kernels run: strides and paddings in range, dilation 1, groups 1, a valid clamp.
        private static bool HasPackedWindowParameters(int[] p, int at)
        {
            return IsPositiveSmall(p[at]) && IsPositiveSmall(p[at + 1]) && p[at + 2] == 1 && p[at + 3] == 1
                && IsPadding(p[at + 4]) && IsPadding(p[at + 5]) && IsPadding(p[at + 6]) && IsPadding(p[at + 7])
                && p[at + 8] == 1 && IsActivationRange(p[at + 9], p[at + 10]);
        }

        // Conv2D's parameters with one input channel, groups 1 and dilation 1, then filterWidth KW;
        // the tap-paired filter is int32 [⌈O/4⌉, KH, 1, 4·Q] (Q = TapPairCount(KW) ≤ 254 pairs, one
        // lane block a row) of words with two taps in [-128, 127]; the packed padded input fits the scratch.
        private static ModelError ValidateConv2DPackedTaps(Model model, int[] p, int first, int output, int at)
        {
            int input = p[first];
            int filter = p[first + 1];
            if (!IsInt8(model, input) || !IsConstant(model, filter, ModelFormat.TypeInt32))
            {
                return ModelError.BadOperand;
            }

            int strideHeight = p[at];
            int strideWidth = p[at + 1];
            int padTop = p[at + 4];
            int padLeft = p[at + 5];
            int padBottom = p[at + 6];
            int padRight = p[at + 7];
            int filterWidth = p[at + 11];
            if (!HasPackedWindowParameters(p, at)
                || filterWidth < 1 || filterWidth > 2 * FullyConnectedPackedKernel.BlockPairs)
            {
                return ModelError.BadParameter;
            }

            int batches = Dim(model, input, 0);
            int inputHeight = Dim(model, input, 2);
            int inputWidth = Dim(model, input, 3);
            int outputChannels = Dim(model, output, 1);
            int filterHeight = Dim(model, filter, 1);
            if (Dim(model, input, 1) != 1 || Rank(model, filter) != 4 || Dim(model, filter, 0) != (outputChannels + 3) / 4
                || Dim(model, filter, 2) != 1
                || Dim(model, filter, 3) != Conv2DPackedKernel.TapPairCount(filterWidth) * Conv2DPackedKernel.GroupChannels
                || (long)filterHeight * filterWidth > ModelReader.MaxReduction
                || Conv2DPackedKernel.ScratchWordsTapPairs(inputHeight, inputWidth, filterWidth, padTop, padLeft, padBottom, padRight) > ModelFormat.MaxScratchWords)
            {
                return ModelError.ShapeMismatch;
            }

            return ValidatePackedWindowRest(model, p, first, output, filter, batches, outputChannels, inputHeight, inputWidth,
                filterHeight, filterWidth, strideHeight, strideWidth, padTop, padLeft, padBottom, padRight);
        }

        // What Conv2DPacked and Conv2DPackedTaps check alike once their filter shape is right: the
        // output shape of the window, every packed filter word, and the channel parameters.
        private static ModelError ValidatePackedWindowRest(Model model, int[] p, int first, int output, int filter,
            int batches, int outputChannels, int inputHeight, int inputWidth, int filterHeight, int filterWidth,
            int strideHeight, int strideWidth, int padTop, int padLeft, int padBottom, int padRight)
        {
            if (!HasWindowOutput(model, output, batches, outputChannels, inputHeight, inputWidth, filterHeight, filterWidth,
                strideHeight, strideWidth, padTop, padLeft, padBottom, padRight))
            {
                return ModelError.ShapeMismatch;
            }

            return ValidatePackedFilterAndChannels(model, p, first, filter, outputChannels);
        }

        // Whether the output has the shape of a dilation-1 window over the input.
        private static bool HasWindowOutput(Model model, int output, int batches, int outputChannels, int inputHeight, int inputWidth,
            int filterHeight, int filterWidth, int strideHeight, int strideWidth, int padTop, int padLeft, int padBottom, int padRight)
        {
            int outputHeight = WindowOutputSize(inputHeight, filterHeight, strideHeight, 1, padTop, padBottom);
            int outputWidth = WindowOutputSize(inputWidth, filterWidth, strideWidth, 1, padLeft, padRight);
            return outputHeight >= 1 && outputWidth >= 1 && HasDims(model, output, batches, outputChannels, outputHeight, outputWidth);
        }

        // Conv2D's parameters with groups 1 and dilation 1, then filterWidth KW; the filter is int8
        // lanes [⌈O/8⌉, KH, R, 24] (R = Conv2DTripleKernel.RowWords(C, KW) ≤ 21, one lane block a
        // row; any int8 value keeps the lane bound) and the scratch (filter words and packed padded
        // input) fits the limit.
        private static ModelError ValidateConv2DTriple(Model model, int[] p, int first, int output, int at)
        {
            int input = p[first];
            int filter = p[first + 1];
            if (!IsInt8(model, input) || !IsConstant(model, filter, ModelFormat.TypeInt8) || ZeroPoint(model, filter) != 0)
            {
                return ModelError.BadOperand;
            }

            int inputChannels = Dim(model, input, 1);
            int filterWidth = p[at + 11];
            if (!HasPackedWindowParameters(p, at) || !Conv2DTripleKernel.Fits(inputChannels, filterWidth))
            {
                return ModelError.BadParameter;
            }

            int batches = Dim(model, input, 0);
            int inputHeight = Dim(model, input, 2);
            int inputWidth = Dim(model, input, 3);
            int outputChannels = Dim(model, output, 1);
            int filterHeight = Dim(model, filter, 1);
            if (Rank(model, filter) != 4
                || Dim(model, filter, 0) != (outputChannels + Conv2DTripleKernel.TileChannels - 1) / Conv2DTripleKernel.TileChannels
                || Dim(model, filter, 2) != Conv2DTripleKernel.RowWords(inputChannels, filterWidth)
                || Dim(model, filter, 3) != 3 * Conv2DTripleKernel.TileChannels
                || (long)inputChannels * filterHeight * filterWidth > ModelReader.MaxReduction
                || Conv2DTripleKernel.ScratchWords(outputChannels, inputChannels, inputHeight, inputWidth, filterHeight, filterWidth,
                    p[at + 4], p[at + 5], p[at + 6], p[at + 7]) > ModelFormat.MaxScratchWords
                || !HasWindowOutput(model, output, batches, outputChannels, inputHeight, inputWidth, filterHeight, filterWidth,
                    p[at], p[at + 1], p[at + 4], p[at + 5], p[at + 6], p[at + 7]))
            {
                return ModelError.ShapeMismatch;
            }

            return ValidateChannelParameters(model, p[first + 2], p[first + 3], p[first + 4], outputChannels);
        }

        // Every word of a packed filter holds two taps in [-128, 127]; bias, multiplier and shift
        // (operands 2 to 4) hold one value per output channel.
        private static ModelError ValidatePackedFilterAndChannels(Model model, int[] p, int first, int filter, int outputChannels)
        {
            int[] constants = model.Int32Constants;
            int filterOffset = Offset(model, filter);
            int filterCount = ElementCount(model, filter);
            for (int i = 0; i < filterCount; i++)
            {
                if (!FullyConnectedPackedKernel.IsValidFilterWord(constants[filterOffset + i]))
                {
                    return ModelError.BadParameter;
                }
            }

            return ValidateChannelParameters(model, p[first + 2], p[first + 3], p[first + 4], outputChannels);
        }

        private static ModelError ValidateFullyConnected(Model model, int[] p, int first, int output, int at)
        {
            int input = p[first];
            int filter = p[first + 1];
            if (!IsInt8(model, input) || !IsConstant(model, filter, ModelFormat.TypeInt8) || ZeroPoint(model, filter) != 0)
            {
                return ModelError.BadOperand;
            }

            if (!IsActivationRange(p[at], p[at + 1]))
            {
                return ModelError.BadParameter;
            }

            int depth = Dim(model, filter, 3);
            int outputDepth = Dim(model, filter, 2);
            int inputCount = ElementCount(model, input);
            if (Rank(model, filter) != 2 || depth > ModelReader.MaxReduction
                || Dim(model, input, 3) != depth || Dim(model, output, 3) != outputDepth
                || (long)(inputCount / depth) * outputDepth != ElementCount(model, output))
            {
                return ModelError.ShapeMismatch;
            }

            return ValidateChannelParameters(model, p[first + 2], p[first + 3], p[first + 4], outputDepth);
        }

        // The packed filter is int32 [ceil(O/4), PairCount(K), 4] and every word holds two taps in
        // [-128, 127] (the kernel's lane bound needs |tap| <= 128); K and O come from the input and
        // the output, which FullyConnected reads from its int8 filter.
        private static ModelError ValidateFullyConnectedPacked(Model model, int[] p, int first, int output, int at)
        {
            int depth = Dim(model, p[first], 3);
            ModelError error = ValidatePackedFullyConnectedShape(model, p, first, output, at, ModelFormat.TypeInt32,
                FullyConnectedPackedKernel.PairCount(depth));
            return error != ModelError.None ? error : ValidatePackedFilterAndChannels(model, p, first, p[first + 1], Dim(model, output, 3));
        }

        // The packed filter is int64 [⌈O/4⌉, RowWords(K), 4] and every word holds three taps in
        // [-128, 127] (the lane bound needs |tap| <= 128); K and O come from the input and the output.
        private static ModelError ValidateFullyConnectedTriple(Model model, int[] p, int first, int output, int at)
        {
            int filter = p[first + 1];
            ModelError error = ValidatePackedFullyConnectedShape(model, p, first, output, at, ModelFormat.TypeInt64,
                FullyConnectedTripleKernel.RowWords(Dim(model, p[first], 3)));
            if (error != ModelError.None)
            {
                return error;
            }

            long[] words = model.Int64Constants;
            int filterOffset = Offset(model, filter);
            int filterCount = ElementCount(model, filter);
            for (int i = 0; i < filterCount; i++)
            {
                if (!FullyConnectedTripleKernel.IsValidFilterWord(words[filterOffset + i]))
                {
                    return ModelError.BadParameter;
                }
            }

            return ValidateChannelParameters(model, p[first + 2], p[first + 3], p[first + 4], Dim(model, output, 3));
        }

        // What the two packed fully connected layers check alike: an int8 input, a constant filter
        // of filterType shaped [⌈O/4⌉, words, 4] (four channels side by side), the activation range
        // and the output's element count.
        private static ModelError ValidatePackedFullyConnectedShape(Model model, int[] p, int first, int output, int at, int filterType, int words)
        {
            int input = p[first];
            int filter = p[first + 1];
            if (!IsInt8(model, input) || !IsConstant(model, filter, filterType))
            {
                return ModelError.BadOperand;
            }

            if (!IsActivationRange(p[at], p[at + 1]))
            {
                return ModelError.BadParameter;
            }

            int depth = Dim(model, input, 3);
            int outputDepth = Dim(model, output, 3);
            int inputCount = ElementCount(model, input);
            if (Rank(model, filter) != 3 || depth > ModelReader.MaxReduction
                || Dim(model, filter, 1) != (outputDepth + 3) / 4
                || Dim(model, filter, 2) != words
                || Dim(model, filter, 3) != 4
                || (long)(inputCount / depth) * outputDepth != ElementCount(model, output))
            {
                return ModelError.ShapeMismatch;
            }

            return ModelError.None;
        }

        // Conv2D's parameters with groups 1 and dilation 1; the packed filter is int32
        // [⌈O/4⌉, KH, KW, 4·P] (P = ChannelPairCount(C)) of words with two taps in [-128, 127]; a
        // window row (KW·P pairs) fits one lane block and the packed padded input fits the scratch.
        private static ModelError ValidateConv2DPacked(Model model, int[] p, int first, int output, int at)
        {
            int input = p[first];
            int filter = p[first + 1];
            if (!IsInt8(model, input) || !IsConstant(model, filter, ModelFormat.TypeInt32))
            {
                return ModelError.BadOperand;
            }

            int strideHeight = p[at];
            int strideWidth = p[at + 1];
            int padTop = p[at + 4];
            int padLeft = p[at + 5];
            int padBottom = p[at + 6];
            int padRight = p[at + 7];
            if (!HasPackedWindowParameters(p, at))
            {
                return ModelError.BadParameter;
            }

            int batches = Dim(model, input, 0);
            int inputChannels = Dim(model, input, 1);
            int inputHeight = Dim(model, input, 2);
            int inputWidth = Dim(model, input, 3);
            int outputChannels = Dim(model, output, 1);
            int filterHeight = Dim(model, filter, 1);
            int filterWidth = Dim(model, filter, 2);
            int pairCount = Conv2DPackedKernel.ChannelPairCount(inputChannels);
            if (Rank(model, filter) != 4 || Dim(model, filter, 0) != (outputChannels + 3) / 4
                || Dim(model, filter, 3) != pairCount * Conv2DPackedKernel.GroupChannels
                || (long)inputChannels * filterHeight * filterWidth > ModelReader.MaxReduction
                || (long)filterWidth * pairCount > FullyConnectedPackedKernel.BlockPairs
                || Conv2DPackedKernel.ScratchWords(inputChannels, inputHeight, inputWidth, padTop, padLeft, padBottom, padRight) > ModelFormat.MaxScratchWords)
            {
                return ModelError.ShapeMismatch;
            }

            return ValidatePackedWindowRest(model, p, first, output, filter, batches, outputChannels, inputHeight, inputWidth,
                filterHeight, filterWidth, strideHeight, strideWidth, padTop, padLeft, padBottom, padRight);
        }

        // Bias, multiplier and shift: int32 constants of one value per output channel, in range.
        private static ModelError ValidateChannelParameters(Model model, int bias, int multiplier, int shift, int channels)
        {
            if (!IsConstant(model, bias, ModelFormat.TypeInt32) || !IsConstant(model, multiplier, ModelFormat.TypeInt32)
                || !IsConstant(model, shift, ModelFormat.TypeInt32))
            {
                return ModelError.BadOperand;
            }

            if (ElementCount(model, bias) != channels || ElementCount(model, multiplier) != channels
                || ElementCount(model, shift) != channels)
            {
                return ModelError.ShapeMismatch;
            }

            int[] constants = model.Int32Constants;
            int biasOffset = Offset(model, bias);
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

        // Every (multiplier, shift) pair of two equally long int32 constant tensors is valid; with
        // oneForAll, all pairs are the same (a per-tensor model's weights).
        private static ModelError ValidateMultipliers(Model model, int multiplier, int shift, bool oneForAll)
        {
            int[] constants = model.Int32Constants;
            int multiplierOffset = Offset(model, multiplier);
            int shiftOffset = Offset(model, shift);
            int count = ElementCount(model, multiplier);
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

        // A (multiplier, shift) pair the model's requantization mode accepts.
        private static bool IsValidPair(Model model, int multiplier, int shift)
        {
            return Requantization.IsValid(multiplier, shift, model.RequantizationMode);
        }

        private static ModelError ValidateBinary(Model model, int[] p, int first, int output, int at, bool isAdd)
        {
            int a = p[first];
            int b = p[first + 1];
            if (!IsInt8(model, a) || !IsInt8(model, b))
            {
                return ModelError.BadOperand;
            }

            int strides;
            if (isAdd)
            {
                int leftShift = p[at];
                if (leftShift < 0 || leftShift > ModelReader.MaxAddLeftShift
                    || !IsValidPair(model, p[at + 1], p[at + 2]) || p[at + 2] > 0
                    || !IsValidPair(model, p[at + 3], p[at + 4]) || p[at + 4] > 0
                    || !IsValidPair(model, p[at + 5], p[at + 6])
                    || !IsActivationRange(p[at + 7], p[at + 8]) || p[at + 9] < 0 || p[at + 9] > 1)
                {
                    return ModelError.BadParameter;
                }

                strides = at + 10;
            }
            else
            {
                if (!IsValidPair(model, p[at], p[at + 1]) || !IsActivationRange(p[at + 2], p[at + 3]))
                {
                    return ModelError.BadParameter;
                }

                strides = at + 4;
            }

            if (!StridesStayInside(model, output, p, strides, a) || !StridesStayInside(model, output, p, strides + 4, b))
            {
                return ModelError.ShapeMismatch;
            }

            return ModelError.None;
        }

        // Every output index maps, through strides p[at..at+4), inside tensor source.
        private static bool StridesStayInside(Model model, int output, int[] p, int at, int source)
        {
            long largest = 0;
            for (int k = 0; k < 4; k++)
            {
                int stride = p[at + k];
                if (stride < 0 || stride > ModelFormat.MaxElements)
                {
                    return false;
                }

                largest += (long)(Dim(model, output, k) - 1) * stride;
            }

            return largest < ElementCount(model, source);
        }

        private static ModelError ValidateMaxPool(Model model, int[] p, int first, int output, int at)
        {
            int input = p[first];
            if (!IsInt8(model, input))
            {
                return ModelError.BadOperand;
            }

            int kernelHeight = p[at];
            int kernelWidth = p[at + 1];
            int dilationHeight = p[at + 4];
            int dilationWidth = p[at + 5];
            if (!IsPositiveSmall(kernelHeight) || !IsPositiveSmall(kernelWidth)
                || !IsPositiveSmall(p[at + 2]) || !IsPositiveSmall(p[at + 3])
                || !IsPositiveSmall(dilationHeight) || !IsPositiveSmall(dilationWidth)
                || !IsActivationRange(p[at + 10], p[at + 11])
                || ZeroPoint(model, input) != ZeroPoint(model, output))
            {
                return ModelError.BadParameter;
            }

            // Every window must hold at least one real element: padding smaller than the window.
            int extentHeight = dilationHeight * (kernelHeight - 1) + 1;
            int extentWidth = dilationWidth * (kernelWidth - 1) + 1;
            if (!IsPadding(p[at + 6]) || !IsPadding(p[at + 7]) || !IsPadding(p[at + 8]) || !IsPadding(p[at + 9])
                || p[at + 6] >= extentHeight || p[at + 8] >= extentHeight || p[at + 7] >= extentWidth || p[at + 9] >= extentWidth)
            {
                return ModelError.BadParameter;
            }

            int outputHeight = WindowOutputSize(Dim(model, input, 2), kernelHeight, p[at + 2], dilationHeight, p[at + 6], p[at + 8]);
            int outputWidth = WindowOutputSize(Dim(model, input, 3), kernelWidth, p[at + 3], dilationWidth, p[at + 7], p[at + 9]);
            if (outputHeight < 1 || outputWidth < 1
                || !HasDims(model, output, Dim(model, input, 0), Dim(model, input, 1), outputHeight, outputWidth))
            {
                return ModelError.ShapeMismatch;
            }

            return ModelError.None;
        }

        private static ModelError ValidateAveragePool(Model model, int[] p, int first, int output, int at)
        {
            int input = p[first];
            int multiplier = p[first + 1];
            int shift = p[first + 2];
            if (!IsInt8(model, input) || !IsConstant(model, multiplier, ModelFormat.TypeInt32)
                || !IsConstant(model, shift, ModelFormat.TypeInt32))
            {
                return ModelError.BadOperand;
            }

            int kernelHeight = p[at];
            int kernelWidth = p[at + 1];
            if (!IsPositiveSmall(kernelHeight) || !IsPositiveSmall(kernelWidth)
                || !IsPositiveSmall(p[at + 2]) || !IsPositiveSmall(p[at + 3])
                || !IsPadding(p[at + 4]) || !IsPadding(p[at + 5]) || !IsPadding(p[at + 6]) || !IsPadding(p[at + 7])
                || p[at + 4] >= kernelHeight || p[at + 6] >= kernelHeight || p[at + 5] >= kernelWidth || p[at + 7] >= kernelWidth
                || p[at + 8] < 0 || p[at + 8] > 1 || !IsActivationRange(p[at + 9], p[at + 10]))
            {
                return ModelError.BadParameter;
            }

            long window = (long)kernelHeight * kernelWidth;
            if (window > ModelReader.MaxReduction || ElementCount(model, multiplier) != window || ElementCount(model, shift) != window)
            {
                return ModelError.ShapeMismatch;
            }

            int outputHeight = WindowOutputSize(Dim(model, input, 2), kernelHeight, p[at + 2], 1, p[at + 4], p[at + 6]);
            int outputWidth = WindowOutputSize(Dim(model, input, 3), kernelWidth, p[at + 3], 1, p[at + 5], p[at + 7]);
            if (outputHeight < 1 || outputWidth < 1
                || !HasDims(model, output, Dim(model, input, 0), Dim(model, input, 1), outputHeight, outputWidth))
            {
                return ModelError.ShapeMismatch;
            }

            return ValidateMultipliers(model, multiplier, shift, false);
        }

        private static ModelError ValidateGlobalAveragePool(Model model, int[] p, int first, int output, int at)
        {
            int input = p[first];
            if (!IsInt8(model, input))
            {
                return ModelError.BadOperand;
            }

            if (!IsValidPair(model, p[at], p[at + 1]) || !IsActivationRange(p[at + 2], p[at + 3]))
            {
                return ModelError.BadParameter;
            }

            if ((long)Dim(model, input, 2) * Dim(model, input, 3) > ModelReader.MaxPoolWindow
                || !HasDims(model, output, Dim(model, input, 0), Dim(model, input, 1), 1, 1))
            {
                return ModelError.ShapeMismatch;
            }

            return ModelError.None;
        }

        private static ModelError ValidateConcat(Model model, int[] p, int first, int inputCount, int output, int at)
        {
            int axis = p[at];
            if (axis < 0 || axis > 3)
            {
                return ModelError.BadParameter;
            }

            long axisTotal = 0;
            for (int i = 0; i < inputCount; i++)
            {
                int input = p[first + i];
                if (!IsInt8(model, input))
                {
                    return ModelError.BadOperand;
                }

                int multiplier = p[at + 1 + 2 * i];
                if (!IsValidPair(model, multiplier, p[at + 2 + 2 * i])
                    || multiplier == 0 && ZeroPoint(model, input) != ZeroPoint(model, output))
                {
                    return ModelError.BadParameter;
                }

                for (int k = 0; k < 4; k++)
                {
                    if (k != axis && Dim(model, input, k) != Dim(model, output, k))
                    {
                        return ModelError.ShapeMismatch;
                    }
                }

                axisTotal += Dim(model, input, axis);
            }

            return axisTotal == Dim(model, output, axis) ? ModelError.None : ModelError.ShapeMismatch;
        }

        private static ModelError ValidatePad(Model model, int[] p, int first, int output, int at)
        {
            int input = p[first];
            if (!IsInt8(model, input))
            {
                return ModelError.BadOperand;
            }

            if (p[at + 8] < -128 || p[at + 8] > 127)
            {
                return ModelError.BadParameter;
            }

            for (int k = 0; k < 4; k++)
            {
                if (!IsPadding(p[at + k]) || !IsPadding(p[at + 4 + k]))
                {
                    return ModelError.BadParameter;
                }

                if ((long)p[at + k] + Dim(model, input, k) + p[at + 4 + k] != Dim(model, output, k))
                {
                    return ModelError.ShapeMismatch;
                }
            }

            return ModelError.None;
        }

        private static ModelError ValidateReshape(Model model, int[] p, int first, int output)
        {
            int input = p[first];
            if (!IsInt8(model, input))
            {
                return ModelError.BadOperand;
            }

            if (ZeroPoint(model, input) != ZeroPoint(model, output))
            {
                return ModelError.BadParameter;
            }

            return ElementCount(model, input) == ElementCount(model, output) ? ModelError.None : ModelError.ShapeMismatch;
        }

        private static ModelError ValidateLookup(Model model, int[] p, int first, int output)
        {
            int input = p[first];
            int table = p[first + 1];
            if (!IsInt8(model, input) || !IsConstant(model, table, ModelFormat.TypeInt8))
            {
                return ModelError.BadOperand;
            }

            if (ElementCount(model, table) != 256 || ElementCount(model, input) != ElementCount(model, output))
            {
                return ModelError.ShapeMismatch;
            }

            return ModelError.None;
        }

        private static ModelError ValidateSoftmax(Model model, int[] p, int first, int output, int at)
        {
            int input = p[first];
            int table = p[first + 1];
            if (!IsInt8(model, input) || !IsConstant(model, table, ModelFormat.TypeInt32))
            {
                return ModelError.BadOperand;
            }

            if (ElementCount(model, table) != 256 || !SameDims(model, input, output))
            {
                return ModelError.ShapeMismatch;
            }

            if (!IsValidPair(model, p[at], p[at + 1]))
            {
                return ModelError.BadParameter;
            }

            // Entries in [1, 2^20] keep the row sum positive and e·floor(2^47/S) below 2^47.
            int[] constants = model.Int32Constants;
            int offset = Offset(model, table);
            for (int i = 0; i < 256; i++)
            {
                int entry = constants[offset + i];
                if (entry < 1 || entry > 1 << 20)
                {
                    return ModelError.BadParameter;
                }
            }

            return ModelError.None;
        }

        private static ModelError ValidateTranspose(Model model, int[] p, int first, int output, int at)
        {
            int input = p[first];
            if (!IsInt8(model, input))
            {
                return ModelError.BadOperand;
            }

            if (ElementCount(model, input) != ElementCount(model, output) || !StridesStayInside(model, output, p, at, input))
            {
                return ModelError.ShapeMismatch;
            }

            return ModelError.None;
        }

        private static ModelError ValidateRequantize(Model model, int[] p, int first, int output, int at)
        {
            int input = p[first];
            if (!IsInt8(model, input))
            {
                return ModelError.BadOperand;
            }

            if (!IsValidPair(model, p[at], p[at + 1]) || !IsActivationRange(p[at + 2], p[at + 3]))
            {
                return ModelError.BadParameter;
            }

            return ElementCount(model, input) == ElementCount(model, output) ? ModelError.None : ModelError.ShapeMismatch;
        }

        /// <summary>
        /// Checks the execution order and the memory plan. Every arena tensor an operator reads
        /// must be a graph input or written by an earlier operator (so the operator list has no
        /// cycles), no tensor is written twice, and no write overlaps an arena tensor that is still
        /// live, except an elementwise operator writing exactly over an input that dies with it.
        /// </summary>
        internal static ModelError ValidatePlan(Model model)
        {
            int[] tensors = model.Tensors;
            int[] p = model.Parameters;
            int operatorCount = model.OperatorCount;

            for (int i = 0; i < model.InputCount; i++)
            {
                tensors[model.GraphIo[i] * Model.TensorFields + Model.TensorProducer] = -2;
            }

            // Last use of every tensor: the last operator reading it, or past the end for graph outputs.
            for (int op = 0; op < operatorCount; op++)
            {
                int first = model.Operators[op * Model.OperatorFields + Model.OperatorParameters];
                int inputCount = model.Operators[op * Model.OperatorFields + Model.OperatorInputCount];
                for (int i = 0; i < inputCount; i++)
                {
                    tensors[p[first + i] * Model.TensorFields + Model.TensorLastUse] = op;
                }
            }

            for (int i = 0; i < model.OutputCount; i++)
            {
                tensors[model.GraphIo[model.InputCount + i] * Model.TensorFields + Model.TensorLastUse] = operatorCount;
            }

            for (int op = 0; op < operatorCount; op++)
            {
                int first = model.Operators[op * Model.OperatorFields + Model.OperatorParameters];
                int inputCount = model.Operators[op * Model.OperatorFields + Model.OperatorInputCount];
                for (int i = 0; i < inputCount; i++)
                {
                    int record = p[first + i] * Model.TensorFields;
                    if (tensors[record + Model.TensorStorage] == ModelFormat.StorageArena && tensors[record + Model.TensorProducer] == -1)
                    {
                        return ModelError.OrderViolation;
                    }
                }

                int output = p[first + inputCount];
                int outputRecord = output * Model.TensorFields;
                if (tensors[outputRecord + Model.TensorProducer] != -1)
                {
                    return ModelError.OrderViolation;
                }

                ModelError error = CheckWriteIsSafe(model, op, first, inputCount, output);
                if (error != ModelError.None)
                {
                    return error;
                }

                tensors[outputRecord + Model.TensorProducer] = op;
            }

            for (int i = 0; i < model.OutputCount; i++)
            {
                if (tensors[model.GraphIo[model.InputCount + i] * Model.TensorFields + Model.TensorProducer] == -1)
                {
                    return ModelError.OrderViolation;
                }
            }

            return ModelError.None;
        }

        // The output of operator op must not overlap any arena tensor that holds a value still
        // needed at this step (written before and read at or after op, or a graph output).
        private static ModelError CheckWriteIsSafe(Model model, int op, int first, int inputCount, int output)
        {
            int[] tensors = model.Tensors;
            int outputRecord = output * Model.TensorFields;
            int start = tensors[outputRecord + Model.TensorOffset];
            int end = start + tensors[outputRecord + Model.TensorElementCount];
            int code = model.Operators[op * Model.OperatorFields + Model.OperatorCode];
            bool elementwise = code == OpCode.Requantize || code == OpCode.Lookup || code == OpCode.Reshape;
            for (int tensor = 0; tensor < model.TensorCount; tensor++)
            {
                int record = tensor * Model.TensorFields;
                if (tensor == output || tensors[record + Model.TensorStorage] != ModelFormat.StorageArena
                    || tensors[record + Model.TensorProducer] == -1 || tensors[record + Model.TensorLastUse] < op)
                {
                    continue;
                }

                int otherStart = tensors[record + Model.TensorOffset];
                int otherEnd = otherStart + tensors[record + Model.TensorElementCount];
                if (otherEnd <= start || end <= otherStart)
                {
                    continue;
                }

                bool inPlace = elementwise && tensor == model.Parameters[first]
                    && tensors[record + Model.TensorLastUse] == op
                    && otherStart == start && otherEnd == end;
                if (!inPlace)
                {
                    return ModelError.ArenaOverlap;
                }
            }

            return ModelError.None;
        }

        private static int WindowOutputSize(int inputSize, int kernelSize, int stride, int dilation, int padBefore, int padAfter)
        {
            long span = (long)inputSize + padBefore + padAfter - (long)dilation * (kernelSize - 1) - 1;
            return span < 0 ? 0 : (int)(span / stride + 1);
        }

        private static bool IsPositiveSmall(int value)
        {
            return value >= 1 && value <= MaxWindowParameter;
        }

        private static bool IsPadding(int value)
        {
            return value >= 0 && value <= MaxWindowParameter;
        }

        // Strides, dilations, kernel sizes and paddings above this are refused; it keeps every
        // index computation of the kernels far from int overflow.
        private const int MaxWindowParameter = 1 << 16;

        private static bool IsActivationRange(int minimum, int maximum)
        {
            return minimum >= -128 && minimum <= maximum && maximum <= 127;
        }

        private static bool IsArenaInt8(Model model, int tensor)
        {
            int record = tensor * Model.TensorFields;
            return model.Tensors[record + Model.TensorStorage] == ModelFormat.StorageArena
                && model.Tensors[record + Model.TensorType] == ModelFormat.TypeInt8;
        }

        private static bool IsInt8(Model model, int tensor)
        {
            return model.Tensors[tensor * Model.TensorFields + Model.TensorType] == ModelFormat.TypeInt8;
        }

        private static bool IsConstant(Model model, int tensor, int type)
        {
            int record = tensor * Model.TensorFields;
            return model.Tensors[record + Model.TensorStorage] == ModelFormat.StorageConstant
                && model.Tensors[record + Model.TensorType] == type;
        }

        private static int Dim(Model model, int tensor, int axis)
        {
            return model.Tensors[tensor * Model.TensorFields + Model.TensorDims + axis];
        }

        private static int Rank(Model model, int tensor)
        {
            return model.Tensors[tensor * Model.TensorFields + Model.TensorRank];
        }

        private static int ElementCount(Model model, int tensor)
        {
            return model.Tensors[tensor * Model.TensorFields + Model.TensorElementCount];
        }

        private static int ZeroPoint(Model model, int tensor)
        {
            return model.Tensors[tensor * Model.TensorFields + Model.TensorZeroPoint];
        }

        private static int Offset(Model model, int tensor)
        {
            return model.Tensors[tensor * Model.TensorFields + Model.TensorOffset];
        }

        private static bool HasDims(Model model, int tensor, int d0, int d1, int d2, int d3)
        {
            return Dim(model, tensor, 0) == d0 && Dim(model, tensor, 1) == d1
                && Dim(model, tensor, 2) == d2 && Dim(model, tensor, 3) == d3;
        }

        private static bool SameDims(Model model, int a, int b)
        {
            return HasDims(model, b, Dim(model, a, 0), Dim(model, a, 1), Dim(model, a, 2), Dim(model, a, 3));
        }
    }
}
