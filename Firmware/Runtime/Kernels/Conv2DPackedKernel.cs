using NanoInt8.Runtime.Operators;

namespace NanoInt8.Runtime.Kernels
{
    /// <summary>
    /// Int8 2-D convolution (groups 1, dilation 1) computed two products per 64-bit multiply
    /// (issue 7): the same result as <see cref="Conv2DKernel"/>, bit for bit, in fewer interpreted
    /// IL instructions per multiply-accumulate.
    /// </summary>
    /// <remarks>
    /// Packing (docs/model-format.md, "Conv2DPacked"). Input channels are paired, (c0, c1) =
    /// (2j, 2j+1), and the pair count rounded up to an even <see cref="ChannelPairCount"/> P.
    /// Once per batch the input is packed into the scratch, padding included, channels innermost:
    ///   scratch[(py·Wp + px)·P + j] = a0 + a1·2^24, with Hp = padTop + H + padBottom rows and
    ///   Wp = padLeft + W + padRight columns; a padded position holds the input zero point in both
    ///   lanes (so the folded bias needs no border correction), a channel at or beyond C holds 0.
    /// The host packs filter words as b1 + b0·2^24 (the FullyConnectedPacked word), laid out
    /// [⌈O/4⌉, KH, KW, P, 4]: four output channels side by side, so one input word feeds four
    /// channels, and a window row (KW·P words, contiguous in the scratch because the dilation is 1)
    /// is one inner loop of two words per iteration (KW·P is even because P is). Four adjacent
    /// output positions of a row are computed together (EvalTile), and while eight output channels
    /// are left two groups at once (EvalTileEight: the second group's words are groupWords further
    /// on), so each input word loaded feeds eight filter words.
    /// Overflow bound: that of <see cref="FullyConnectedPackedKernel"/>. A block sums at most
    /// <see cref="FullyConnectedPackedKernel.BlockPairs"/> = 254 pairs from 2^23: whole window
    /// rows, ⌊254 / (KW·P)⌋ of them (the reader requires KW·P ≤ 254); |a|, |b| ≤ 128, so the low
    /// lane stays in [0, 2^24) and the middle lane, |M| ≤ 254·2^15 &lt; 2^23, is exact in bits
    /// [24, 48) and extracted as ((S &lt;&lt; 16) &gt;&gt; 40). The int32 accumulator then holds
    /// bias' + Σ x·w over the window with padding read as zi, the value Conv2DKernel computes
    /// (below 2^31 at every step: the reader's 65535-tap and ±2^30 bias limits).
    /// </remarks>
    public static class Conv2DPackedKernel
    {
        /// <summary>Output channels fed by one input word.</summary>
        public const int GroupChannels = 4;

        /// <summary>Adjacent output positions of a row computed together (EvalTile).</summary>
        public const int TilePositions = 4;

        // Starting value of a block sum: keeps the low lane non-negative (see the bound above).
        private const long LaneBias = 1L << 23;

        /// <summary>Channel pairs per packed position: C rounded up to a multiple of 4, halved (even).</summary>
        public static int ChannelPairCount(int inputChannels)
        {
            return ((inputChannels + 3) >> 2) << 1;
        }

        /// <summary>Scratch words for one batch of the packed, padded input: Hp·Wp·P.</summary>
        public static long ScratchWords(int inputChannels, int inputHeight, int inputWidth, int padTop, int padLeft, int padBottom, int padRight)
        {
            return (long)(padTop + inputHeight + padBottom) * (padLeft + inputWidth + padRight) * ChannelPairCount(inputChannels);
        }

        /// <summary>Tap pairs Q per filter row of a tap-paired filter: KW rounded up to a multiple of 4, halved (even).</summary>
        public static int TapPairCount(int filterWidth)
        {
            return ChannelPairCount(filterWidth);
        }

        /// <summary>Scratch words of the tap-paired padded input (EvalTapPairs): Hp·(Wp + 2Q).</summary>
        public static long ScratchWordsTapPairs(int inputHeight, int inputWidth, int filterWidth, int padTop, int padLeft, int padBottom, int padRight)
        {
            return (long)(padTop + inputHeight + padBottom) * (padLeft + inputWidth + padRight + 2 * TapPairCount(filterWidth));
        }

        /// <summary>Filter words of a tap-paired [O, 1, KH, KW] filter: ⌈O/4⌉·KH·Q·4.</summary>
        public static int PackedFilterWordsTapPairs(int outputChannels, int filterHeight, int filterWidth)
        {
            return ((outputChannels + 3) >> 2) * filterHeight * TapPairCount(filterWidth) * GroupChannels;
        }

        /// <summary>Filter words of a packed [O, C, KH, KW] filter: ⌈O/4⌉·KH·KW·P·4.</summary>
        public static int PackedFilterWords(int outputChannels, int inputChannels, int filterHeight, int filterWidth)
        {
            return ((outputChannels + 3) >> 2) * filterHeight * filterWidth * ChannelPairCount(inputChannels) * GroupChannels;
        }

        /// <summary>
        /// Computes output[n, o, y, x] = clamp(zo + MBQM(bias[o] + Σ x·w, multiplier[o], shift[o]))
        /// for a groups-1, dilation-1 convolution whose filter the host packed (see the class).
        /// </summary>
        /// <param name="op">The operator's resolved arguments (<see cref="Conv2DPackedOperator"/>), read once.</param>
        public static void Eval(Conv2DPackedOperator op)
        {
            int inputChannels = op.InputChannels;
            int pairCount = ChannelPairCount(inputChannels);
            int paddedWidth = op.PadLeft + op.InputWidth + op.PadRight;
            Run(op, inputChannels, op.FilterWidth * pairCount, 1, pairCount, paddedWidth * pairCount,
                inputChannels * op.FilterHeight * op.FilterWidth, false);
        }

        /// <summary>
        /// The same result as <see cref="Conv2DKernel"/> for a convolution with one input channel
        /// (groups 1, dilation 1) whose filter the host packed by tap pairs (<see cref="PackFilterTaps"/>,
        /// docs/model-format.md code 18): the parameters as <see cref="Eval"/>'s, inputChannels 1.
        /// </summary>
        /// <remarks>
        /// With one input channel, channel pairs would leave three lanes of four empty. Here the two
        /// lanes of a word are two horizontally adjacent input positions: the scratch holds, per
        /// padded row, word px = v(px) + v(px+1)·2^24 (v the padded input, 0 past the padding) for
        /// px in [0, Wp + 2Q), Q = <see cref="TapPairCount"/>(KW); filter word j of a row pairs taps
        /// 2j and 2j+1. A window row is then Q words two apart (px, px + 2, ...), read with the
        /// same tiles as Eval's (input step 2 instead of 1), and the same lane bound holds: Q ≤ 254
        /// pairs a block, |a|, |b| ≤ 128.
        /// </remarks>
        /// <param name="op">The operator's resolved arguments (<see cref="Conv2DPackedTapsOperator"/>), read once.</param>
        public static void EvalTapPairs(Conv2DPackedTapsOperator op)
        {
            int filterWidth = op.FilterWidth;
            int tapPairs = TapPairCount(filterWidth);
            Run(op, 1, tapPairs, 2, 1, op.PadLeft + op.InputWidth + op.PadRight + 2 * tapPairs, op.FilterHeight * filterWidth, true);
        }

        // The common body: windowWords packed words per window row, inputStep apart in the scratch;
        // columnWords scratch words per input column, scratchRow per padded input row; inputChannels
        // as the input is packed (1 for tap pairs); the record's fields read into locals once.
        private static void Run(PackedConvolutionOperator op, int inputChannels, int windowWords, int inputStep, int columnWords,
            int scratchRow, int positionMacs, bool tapPairs)
        {
            sbyte[] input = op.Input;
            int inputOffset = op.InputOffset;
            int batches = op.Batches;
            int inputHeight = op.InputHeight;
            int inputWidth = op.InputWidth;
            int inputZeroPoint = op.InputZeroPoint;
            int[] packedFilter = op.Filter;
            int packedFilterOffset = op.FilterOffset;
            int outputChannels = op.OutputChannels;
            int filterHeight = op.FilterHeight;
            int[] bias = op.Bias;
            int biasOffset = op.BiasOffset;
            int[] multiplier = op.Multiplier;
            int multiplierOffset = op.MultiplierOffset;
            int[] shift = op.Shift;
            int shiftOffset = op.ShiftOffset;
            sbyte[] output = op.Output;
            int outputOffset = op.OutputOffset;
            int outputHeight = op.OutputHeight;
            int outputWidth = op.OutputWidth;
            int outputZeroPoint = op.OutputZeroPoint;
            int strideHeight = op.StrideHeight;
            int strideWidth = op.StrideWidth;
            int padTop = op.PadTop;
            int padLeft = op.PadLeft;
            int padBottom = op.PadBottom;
            int padRight = op.PadRight;
            int activationMin = op.ActivationMin;
            int activationMax = op.ActivationMax;
            long[] scratch = op.Scratch;
            int mode = op.Mode;

            int paddedWidth = padLeft + inputWidth + padRight;
            int paddedHeight = padTop + inputHeight + padBottom;
            int windowSpan = windowWords * inputStep;
            int rowsPerBlock = FullyConnectedPackedKernel.BlockPairs / windowWords;
            int groupWords = filterHeight * windowWords * GroupChannels;
            int outputPlane = outputHeight * outputWidth;
            int strideRowWords = strideHeight * scratchRow;
            int strideColumnWords = strideWidth * columnWords;
            int outputBatchSize = outputChannels * outputPlane;

            for (int batch = 0; batch < batches; batch++)
            {
                int batchStart = inputOffset + batch * inputChannels * inputHeight * inputWidth;
                if (tapPairs)
                {
                    PackInputTaps(input, batchStart, inputHeight, inputWidth, inputZeroPoint, padTop, padLeft, paddedHeight, paddedWidth, scratchRow, scratch);
                }
                else
                {
                    PackInput(input, batchStart, inputChannels, inputHeight, inputWidth,
                        inputZeroPoint, padTop, padLeft, paddedHeight, paddedWidth, columnWords, scratch);
                }

                int outputBatchStart = outputOffset + batch * outputBatchSize;
                int groupStart = packedFilterOffset;
                int firstChannel = 0;
                while (firstChannel < outputChannels)
                {
                    // Eight channels (two whole groups) at a time while eight are left: each input
                    // word loaded then feeds eight filter words instead of four (EvalTileEight).
                    bool eight = outputChannels - firstChannel >= 2 * GroupChannels;
                    int channels = outputChannels - firstChannel < GroupChannels ? outputChannels - firstChannel : GroupChannels;
                    int bias0 = bias[biasOffset + firstChannel];
                    int bias1 = channels > 1 ? bias[biasOffset + firstChannel + 1] : 0;
                    int bias2 = channels > 2 ? bias[biasOffset + firstChannel + 2] : 0;
                    int bias3 = channels > 3 ? bias[biasOffset + firstChannel + 3] : 0;
                    int outputIndex = outputBatchStart + firstChannel * outputPlane;
                    int rowStart = 0;
                    for (int outputY = 0; outputY < outputHeight; outputY++)
                    {
                        int windowStart = rowStart;
                        int outputX = 0;

                        // Eight positions at a time with eight channels: each filter word loaded feeds
                        // eight positions, each input word eight channels.
                        if (eight)
                        {
                            while (outputX + 2 * TilePositions <= outputWidth)
                            {
#if NANOINT8_COUNTERS
                                RuntimeCounters.AddMultiplyAccumulates(2 * TilePositions * 2 * GroupChannels * positionMacs);
#endif
                                EvalTileWide(scratch, windowStart, strideColumnWords, scratchRow, windowSpan, inputStep, rowsPerBlock, filterHeight,
                                    packedFilter, groupStart, groupWords, firstChannel, bias, biasOffset,
                                    multiplier, multiplierOffset, shift, shiftOffset,
                                    output, outputIndex, outputPlane, outputZeroPoint, activationMin, activationMax, mode);
                                outputIndex += 2 * TilePositions;
                                windowStart += 2 * TilePositions * strideColumnWords;
                                outputX += 2 * TilePositions;
                            }
                        }

                        // Four output positions at a time: each filter word loaded feeds four positions.
                        while (outputX + TilePositions <= outputWidth)
                        {
                            if (eight)
                            {
#if NANOINT8_COUNTERS
                                RuntimeCounters.AddMultiplyAccumulates(TilePositions * 2 * GroupChannels * positionMacs);
#endif
                                EvalTileEight(scratch, windowStart, strideColumnWords, scratchRow, windowSpan, inputStep, rowsPerBlock, filterHeight,
                                    packedFilter, groupStart, groupWords, firstChannel, bias, biasOffset,
                                    multiplier, multiplierOffset, shift, shiftOffset,
                                    output, outputIndex, outputPlane, outputZeroPoint, activationMin, activationMax, mode);
                            }
                            else
                            {
#if NANOINT8_COUNTERS
                                RuntimeCounters.AddMultiplyAccumulates(TilePositions * channels * positionMacs);
#endif
                                EvalTile(scratch, windowStart, strideColumnWords, scratchRow, windowSpan, inputStep, rowsPerBlock, filterHeight,
                                    packedFilter, groupStart, firstChannel, channels, bias0, bias1, bias2, bias3,
                                    multiplier, multiplierOffset, shift, shiftOffset,
                                    output, outputIndex, outputPlane, outputZeroPoint, activationMin, activationMax, mode);
                            }

                            outputIndex += TilePositions;
                            windowStart += TilePositions * strideColumnWords;
                            outputX += TilePositions;
                        }

                        // The remaining positions of the row one at a time, one group after the other.
                        if (outputX < outputWidth)
                        {
                            int remaining = outputWidth - outputX;
#if NANOINT8_COUNTERS
                            RuntimeCounters.AddMultiplyAccumulates(remaining * (eight ? 2 * GroupChannels : channels) * positionMacs);
#endif
                            EvalPositions(scratch, windowStart, strideColumnWords, remaining, scratchRow, windowSpan, inputStep, rowsPerBlock, filterHeight,
                                packedFilter, groupStart, firstChannel, channels, bias0, bias1, bias2, bias3,
                                multiplier, multiplierOffset, shift, shiftOffset,
                                output, outputIndex, outputPlane, outputZeroPoint, activationMin, activationMax, mode);
                            if (eight)
                            {
                                int next = biasOffset + firstChannel + GroupChannels;
                                EvalPositions(scratch, windowStart, strideColumnWords, remaining, scratchRow, windowSpan, inputStep, rowsPerBlock, filterHeight,
                                    packedFilter, groupStart + groupWords, firstChannel + GroupChannels, GroupChannels,
                                    bias[next], bias[next + 1], bias[next + 2], bias[next + 3],
                                    multiplier, multiplierOffset, shift, shiftOffset,
                                    output, outputIndex + GroupChannels * outputPlane, outputPlane, outputZeroPoint, activationMin, activationMax, mode);
                            }

                            outputIndex += remaining;
                        }

                        rowStart += strideRowWords;
                    }

                    if (eight)
                    {
                        groupStart += 2 * groupWords;
                        firstChannel += 2 * GroupChannels;
                    }
                    else
                    {
                        groupStart += groupWords;
                        firstChannel += GroupChannels;
                    }
                }
            }
        }

        // Positions [0, count) of a row from windowStart for one group of (up to) four channels, one
        // position at a time: two input words times four channels per inner iteration.
        private static void EvalPositions(long[] scratch, int windowStart, int columnStep, int count, int scratchRow, int windowRowWords, int inputStep,
            int rowsPerBlock, int filterHeight, int[] packedFilter, int groupStart, int firstChannel, int channels,
            int bias0, int bias1, int bias2, int bias3, int[] multiplier, int multiplierOffset, int[] shift, int shiftOffset,
            sbyte[] output, int outputIndex, int outputPlane, int outputZeroPoint, int activationMin, int activationMax, int mode)
        {
            int pairStep = 2 * inputStep;
            for (int position = 0; position < count; position++)
            {
                int accumulator0 = bias0;
                int accumulator1 = bias1;
                int accumulator2 = bias2;
                int accumulator3 = bias3;
                int filterIndex = groupStart;
                int windowRow = windowStart;
                int filterY = 0;
                while (filterY < filterHeight)
                {
                    int blockEnd = filterY + rowsPerBlock;
                    if (blockEnd > filterHeight)
                    {
                        blockEnd = filterHeight;
                    }

                    long sum0 = LaneBias;
                    long sum1 = LaneBias;
                    long sum2 = LaneBias;
                    long sum3 = LaneBias;
                    while (filterY < blockEnd)
                    {
                        int inputIndex = windowRow;
                        int rowEnd = windowRow + windowRowWords;

                        // Two input words times four channels: 16 multiply-accumulates per iteration.
                        while (inputIndex < rowEnd)
                        {
                            long first = scratch[inputIndex];
                            long second = scratch[inputIndex + inputStep];
                            sum0 += first * packedFilter[filterIndex] + second * packedFilter[filterIndex + 4];
                            sum1 += first * packedFilter[filterIndex + 1] + second * packedFilter[filterIndex + 5];
                            sum2 += first * packedFilter[filterIndex + 2] + second * packedFilter[filterIndex + 6];
                            sum3 += first * packedFilter[filterIndex + 3] + second * packedFilter[filterIndex + 7];
                            inputIndex += pairStep;
                            filterIndex += 8;
                        }

                        windowRow += scratchRow;
                        filterY++;
                    }

                    accumulator0 += (int)((sum0 << 16) >> 40);
                    accumulator1 += (int)((sum1 << 16) >> 40);
                    accumulator2 += (int)((sum2 << 16) >> 40);
                    accumulator3 += (int)((sum3 << 16) >> 40);
                }

                int index = outputIndex + position;
                Store(accumulator0, firstChannel, multiplier, multiplierOffset, shift, shiftOffset, output, index, outputZeroPoint, activationMin, activationMax, mode);
                if (channels > 1)
                {
                    Store(accumulator1, firstChannel + 1, multiplier, multiplierOffset, shift, shiftOffset, output, index + outputPlane, outputZeroPoint, activationMin, activationMax, mode);
                }

                if (channels > 2)
                {
                    Store(accumulator2, firstChannel + 2, multiplier, multiplierOffset, shift, shiftOffset, output, index + 2 * outputPlane, outputZeroPoint, activationMin, activationMax, mode);
                }

                if (channels > 3)
                {
                    Store(accumulator3, firstChannel + 3, multiplier, multiplierOffset, shift, shiftOffset, output, index + 3 * outputPlane, outputZeroPoint, activationMin, activationMax, mode);
                }

                windowStart += columnStep;
            }
        }

        // Four adjacent output positions × eight output channels (two groups, their filter words
        // groupWords apart) of one row: per input word, eight filter words and four input words
        // loaded once for 32 products (64 multiply-accumulates). The same lane blocks and bound as
        // EvalTile; 64 accumulators live in locals, so the stores go through StorePositions.
        private static void EvalTileEight(long[] scratch, int windowStart, int columnStep, int scratchRow, int windowRowWords, int inputStep, int rowsPerBlock,
            int filterHeight, int[] packedFilter, int groupStart, int groupWords, int firstChannel, int[] bias, int biasOffset,
            int[] multiplier, int multiplierOffset, int[] shift, int shiftOffset,
            sbyte[] output, int outputIndex, int outputPlane, int outputZeroPoint, int activationMin, int activationMax, int mode)
        {
            // accumulatorPC: position P of the tile, channel C of the eight.
            int first = biasOffset + firstChannel;
            int accumulator00 = bias[first], accumulator01 = bias[first + 1], accumulator02 = bias[first + 2], accumulator03 = bias[first + 3];
            int accumulator04 = bias[first + 4], accumulator05 = bias[first + 5], accumulator06 = bias[first + 6], accumulator07 = bias[first + 7];
            int accumulator10 = accumulator00, accumulator11 = accumulator01, accumulator12 = accumulator02, accumulator13 = accumulator03;
            int accumulator14 = accumulator04, accumulator15 = accumulator05, accumulator16 = accumulator06, accumulator17 = accumulator07;
            int accumulator20 = accumulator00, accumulator21 = accumulator01, accumulator22 = accumulator02, accumulator23 = accumulator03;
            int accumulator24 = accumulator04, accumulator25 = accumulator05, accumulator26 = accumulator06, accumulator27 = accumulator07;
            int accumulator30 = accumulator00, accumulator31 = accumulator01, accumulator32 = accumulator02, accumulator33 = accumulator03;
            int accumulator34 = accumulator04, accumulator35 = accumulator05, accumulator36 = accumulator06, accumulator37 = accumulator07;
            int column2 = 2 * columnStep;
            int column3 = 3 * columnStep;
            int filterIndex = groupStart;
            int windowRow = windowStart;
            int filterY = 0;
            while (filterY < filterHeight)
            {
                int blockEnd = filterY + rowsPerBlock;
                if (blockEnd > filterHeight)
                {
                    blockEnd = filterHeight;
                }

                long sum00 = LaneBias, sum01 = LaneBias, sum02 = LaneBias, sum03 = LaneBias, sum04 = LaneBias, sum05 = LaneBias, sum06 = LaneBias, sum07 = LaneBias;
                long sum10 = LaneBias, sum11 = LaneBias, sum12 = LaneBias, sum13 = LaneBias, sum14 = LaneBias, sum15 = LaneBias, sum16 = LaneBias, sum17 = LaneBias;
                long sum20 = LaneBias, sum21 = LaneBias, sum22 = LaneBias, sum23 = LaneBias, sum24 = LaneBias, sum25 = LaneBias, sum26 = LaneBias, sum27 = LaneBias;
                long sum30 = LaneBias, sum31 = LaneBias, sum32 = LaneBias, sum33 = LaneBias, sum34 = LaneBias, sum35 = LaneBias, sum36 = LaneBias, sum37 = LaneBias;
                while (filterY < blockEnd)
                {
                    int inputIndex = windowRow;
                    int rowEnd = windowRow + windowRowWords;
                    while (inputIndex < rowEnd)
                    {
                        long weight0 = packedFilter[filterIndex];
                        long weight1 = packedFilter[filterIndex + 1];
                        long weight2 = packedFilter[filterIndex + 2];
                        long weight3 = packedFilter[filterIndex + 3];
                        int upperIndex = filterIndex + groupWords;
                        long weight4 = packedFilter[upperIndex];
                        long weight5 = packedFilter[upperIndex + 1];
                        long weight6 = packedFilter[upperIndex + 2];
                        long weight7 = packedFilter[upperIndex + 3];
                        long input0 = scratch[inputIndex];
                        long input1 = scratch[inputIndex + columnStep];
                        long input2 = scratch[inputIndex + column2];
                        long input3 = scratch[inputIndex + column3];
                        sum00 += input0 * weight0;
                        sum01 += input0 * weight1;
                        sum02 += input0 * weight2;
                        sum03 += input0 * weight3;
                        sum04 += input0 * weight4;
                        sum05 += input0 * weight5;
                        sum06 += input0 * weight6;
                        sum07 += input0 * weight7;
                        sum10 += input1 * weight0;
                        sum11 += input1 * weight1;
                        sum12 += input1 * weight2;
                        sum13 += input1 * weight3;
                        sum14 += input1 * weight4;
                        sum15 += input1 * weight5;
                        sum16 += input1 * weight6;
                        sum17 += input1 * weight7;
                        sum20 += input2 * weight0;
                        sum21 += input2 * weight1;
                        sum22 += input2 * weight2;
                        sum23 += input2 * weight3;
                        sum24 += input2 * weight4;
                        sum25 += input2 * weight5;
                        sum26 += input2 * weight6;
                        sum27 += input2 * weight7;
                        sum30 += input3 * weight0;
                        sum31 += input3 * weight1;
                        sum32 += input3 * weight2;
                        sum33 += input3 * weight3;
                        sum34 += input3 * weight4;
                        sum35 += input3 * weight5;
                        sum36 += input3 * weight6;
                        sum37 += input3 * weight7;
                        inputIndex += inputStep;
                        filterIndex += 4;
                    }

                    windowRow += scratchRow;
                    filterY++;
                }

                accumulator00 += (int)((sum00 << 16) >> 40);
                accumulator01 += (int)((sum01 << 16) >> 40);
                accumulator02 += (int)((sum02 << 16) >> 40);
                accumulator03 += (int)((sum03 << 16) >> 40);
                accumulator04 += (int)((sum04 << 16) >> 40);
                accumulator05 += (int)((sum05 << 16) >> 40);
                accumulator06 += (int)((sum06 << 16) >> 40);
                accumulator07 += (int)((sum07 << 16) >> 40);
                accumulator10 += (int)((sum10 << 16) >> 40);
                accumulator11 += (int)((sum11 << 16) >> 40);
                accumulator12 += (int)((sum12 << 16) >> 40);
                accumulator13 += (int)((sum13 << 16) >> 40);
                accumulator14 += (int)((sum14 << 16) >> 40);
                accumulator15 += (int)((sum15 << 16) >> 40);
                accumulator16 += (int)((sum16 << 16) >> 40);
                accumulator17 += (int)((sum17 << 16) >> 40);
                accumulator20 += (int)((sum20 << 16) >> 40);
                accumulator21 += (int)((sum21 << 16) >> 40);
                accumulator22 += (int)((sum22 << 16) >> 40);
                accumulator23 += (int)((sum23 << 16) >> 40);
                accumulator24 += (int)((sum24 << 16) >> 40);
                accumulator25 += (int)((sum25 << 16) >> 40);
                accumulator26 += (int)((sum26 << 16) >> 40);
                accumulator27 += (int)((sum27 << 16) >> 40);
                accumulator30 += (int)((sum30 << 16) >> 40);
                accumulator31 += (int)((sum31 << 16) >> 40);
                accumulator32 += (int)((sum32 << 16) >> 40);
                accumulator33 += (int)((sum33 << 16) >> 40);
                accumulator34 += (int)((sum34 << 16) >> 40);
                accumulator35 += (int)((sum35 << 16) >> 40);
                accumulator36 += (int)((sum36 << 16) >> 40);
                accumulator37 += (int)((sum37 << 16) >> 40);
            }

            StorePositions(accumulator00, accumulator10, accumulator20, accumulator30, firstChannel, multiplier, multiplierOffset, shift, shiftOffset,
                output, outputIndex, outputZeroPoint, activationMin, activationMax, mode);
            StorePositions(accumulator01, accumulator11, accumulator21, accumulator31, firstChannel + 1, multiplier, multiplierOffset, shift, shiftOffset,
                output, outputIndex + outputPlane, outputZeroPoint, activationMin, activationMax, mode);
            StorePositions(accumulator02, accumulator12, accumulator22, accumulator32, firstChannel + 2, multiplier, multiplierOffset, shift, shiftOffset,
                output, outputIndex + 2 * outputPlane, outputZeroPoint, activationMin, activationMax, mode);
            StorePositions(accumulator03, accumulator13, accumulator23, accumulator33, firstChannel + 3, multiplier, multiplierOffset, shift, shiftOffset,
                output, outputIndex + 3 * outputPlane, outputZeroPoint, activationMin, activationMax, mode);
            StorePositions(accumulator04, accumulator14, accumulator24, accumulator34, firstChannel + 4, multiplier, multiplierOffset, shift, shiftOffset,
                output, outputIndex + 4 * outputPlane, outputZeroPoint, activationMin, activationMax, mode);
            StorePositions(accumulator05, accumulator15, accumulator25, accumulator35, firstChannel + 5, multiplier, multiplierOffset, shift, shiftOffset,
                output, outputIndex + 5 * outputPlane, outputZeroPoint, activationMin, activationMax, mode);
            StorePositions(accumulator06, accumulator16, accumulator26, accumulator36, firstChannel + 6, multiplier, multiplierOffset, shift, shiftOffset,
                output, outputIndex + 6 * outputPlane, outputZeroPoint, activationMin, activationMax, mode);
            StorePositions(accumulator07, accumulator17, accumulator27, accumulator37, firstChannel + 7, multiplier, multiplierOffset, shift, shiftOffset,
                output, outputIndex + 7 * outputPlane, outputZeroPoint, activationMin, activationMax, mode);
        }

        // Four adjacent output positions × four output channels of one row: per input word, four
        // filter words and four input words (one per position, a column stride apart) loaded once
        // for 16 products (32 multiply-accumulates). The same lane blocks and bound as Eval's loop.
        private static void EvalTile(long[] scratch, int windowStart, int columnStep, int scratchRow, int windowRowWords, int inputStep, int rowsPerBlock,
            int filterHeight, int[] packedFilter, int groupStart, int firstChannel, int channels, int bias0, int bias1, int bias2, int bias3,
            int[] multiplier, int multiplierOffset, int[] shift, int shiftOffset,
            sbyte[] output, int outputIndex, int outputPlane, int outputZeroPoint, int activationMin, int activationMax, int mode)
        {
            // accumulatorPC: position P of the tile, channel C of the group.
            int accumulator00 = bias0, accumulator01 = bias1, accumulator02 = bias2, accumulator03 = bias3;
            int accumulator10 = bias0, accumulator11 = bias1, accumulator12 = bias2, accumulator13 = bias3;
            int accumulator20 = bias0, accumulator21 = bias1, accumulator22 = bias2, accumulator23 = bias3;
            int accumulator30 = bias0, accumulator31 = bias1, accumulator32 = bias2, accumulator33 = bias3;
            int column2 = 2 * columnStep;
            int column3 = 3 * columnStep;
            int filterIndex = groupStart;
            int windowRow = windowStart;
            int filterY = 0;
            while (filterY < filterHeight)
            {
                int blockEnd = filterY + rowsPerBlock;
                if (blockEnd > filterHeight)
                {
                    blockEnd = filterHeight;
                }

                long sum00 = LaneBias, sum01 = LaneBias, sum02 = LaneBias, sum03 = LaneBias;
                long sum10 = LaneBias, sum11 = LaneBias, sum12 = LaneBias, sum13 = LaneBias;
                long sum20 = LaneBias, sum21 = LaneBias, sum22 = LaneBias, sum23 = LaneBias;
                long sum30 = LaneBias, sum31 = LaneBias, sum32 = LaneBias, sum33 = LaneBias;
                while (filterY < blockEnd)
                {
                    int inputIndex = windowRow;
                    int rowEnd = windowRow + windowRowWords;
                    while (inputIndex < rowEnd)
                    {
                        long weight0 = packedFilter[filterIndex];
                        long weight1 = packedFilter[filterIndex + 1];
                        long weight2 = packedFilter[filterIndex + 2];
                        long weight3 = packedFilter[filterIndex + 3];
                        long input0 = scratch[inputIndex];
                        long input1 = scratch[inputIndex + columnStep];
                        long input2 = scratch[inputIndex + column2];
                        long input3 = scratch[inputIndex + column3];
                        sum00 += input0 * weight0;
                        sum01 += input0 * weight1;
                        sum02 += input0 * weight2;
                        sum03 += input0 * weight3;
                        sum10 += input1 * weight0;
                        sum11 += input1 * weight1;
                        sum12 += input1 * weight2;
                        sum13 += input1 * weight3;
                        sum20 += input2 * weight0;
                        sum21 += input2 * weight1;
                        sum22 += input2 * weight2;
                        sum23 += input2 * weight3;
                        sum30 += input3 * weight0;
                        sum31 += input3 * weight1;
                        sum32 += input3 * weight2;
                        sum33 += input3 * weight3;
                        inputIndex += inputStep;
                        filterIndex += 4;
                    }

                    windowRow += scratchRow;
                    filterY++;
                }

                accumulator00 += (int)((sum00 << 16) >> 40);
                accumulator01 += (int)((sum01 << 16) >> 40);
                accumulator02 += (int)((sum02 << 16) >> 40);
                accumulator03 += (int)((sum03 << 16) >> 40);
                accumulator10 += (int)((sum10 << 16) >> 40);
                accumulator11 += (int)((sum11 << 16) >> 40);
                accumulator12 += (int)((sum12 << 16) >> 40);
                accumulator13 += (int)((sum13 << 16) >> 40);
                accumulator20 += (int)((sum20 << 16) >> 40);
                accumulator21 += (int)((sum21 << 16) >> 40);
                accumulator22 += (int)((sum22 << 16) >> 40);
                accumulator23 += (int)((sum23 << 16) >> 40);
                accumulator30 += (int)((sum30 << 16) >> 40);
                accumulator31 += (int)((sum31 << 16) >> 40);
                accumulator32 += (int)((sum32 << 16) >> 40);
                accumulator33 += (int)((sum33 << 16) >> 40);
            }

            StorePositions(accumulator00, accumulator10, accumulator20, accumulator30, firstChannel, multiplier, multiplierOffset, shift, shiftOffset,
                output, outputIndex, outputZeroPoint, activationMin, activationMax, mode);
            if (channels > 1)
            {
                StorePositions(accumulator01, accumulator11, accumulator21, accumulator31, firstChannel + 1, multiplier, multiplierOffset, shift, shiftOffset,
                    output, outputIndex + outputPlane, outputZeroPoint, activationMin, activationMax, mode);
            }

            if (channels > 2)
            {
                StorePositions(accumulator02, accumulator12, accumulator22, accumulator32, firstChannel + 2, multiplier, multiplierOffset, shift, shiftOffset,
                    output, outputIndex + 2 * outputPlane, outputZeroPoint, activationMin, activationMax, mode);
            }

            if (channels > 3)
            {
                StorePositions(accumulator03, accumulator13, accumulator23, accumulator33, firstChannel + 3, multiplier, multiplierOffset, shift, shiftOffset,
                    output, outputIndex + 3 * outputPlane, outputZeroPoint, activationMin, activationMax, mode);
            }
        }

        // Eight adjacent output positions × eight output channels (two groups, their filter words
        // groupWords apart) of one row: per input word, eight filter words and eight input words
        // loaded once for 64 products (128 multiply-accumulates). The same lane blocks and bound as
        // EvalTile. 64 block sums and 64 accumulators live in locals (nanoCLR counts a method's
        // locals in one byte: this method stays well below 255).
        private static void EvalTileWide(long[] scratch, int windowStart, int columnStep, int scratchRow, int windowRowWords, int inputStep, int rowsPerBlock,
            int filterHeight, int[] packedFilter, int groupStart, int groupWords, int firstChannel, int[] bias, int biasOffset,
            int[] multiplier, int multiplierOffset, int[] shift, int shiftOffset,
            sbyte[] output, int outputIndex, int outputPlane, int outputZeroPoint, int activationMin, int activationMax, int mode)
        {
            // accumulatorPC: position P of the tile, channel C of the eight.
            int first = biasOffset + firstChannel;
            int accumulator00 = bias[first], accumulator01 = bias[first + 1], accumulator02 = bias[first + 2], accumulator03 = bias[first + 3], accumulator04 = bias[first + 4], accumulator05 = bias[first + 5], accumulator06 = bias[first + 6], accumulator07 = bias[first + 7];
            int accumulator10 = accumulator00, accumulator11 = accumulator01, accumulator12 = accumulator02, accumulator13 = accumulator03, accumulator14 = accumulator04, accumulator15 = accumulator05, accumulator16 = accumulator06, accumulator17 = accumulator07;
            int accumulator20 = accumulator00, accumulator21 = accumulator01, accumulator22 = accumulator02, accumulator23 = accumulator03, accumulator24 = accumulator04, accumulator25 = accumulator05, accumulator26 = accumulator06, accumulator27 = accumulator07;
            int accumulator30 = accumulator00, accumulator31 = accumulator01, accumulator32 = accumulator02, accumulator33 = accumulator03, accumulator34 = accumulator04, accumulator35 = accumulator05, accumulator36 = accumulator06, accumulator37 = accumulator07;
            int accumulator40 = accumulator00, accumulator41 = accumulator01, accumulator42 = accumulator02, accumulator43 = accumulator03, accumulator44 = accumulator04, accumulator45 = accumulator05, accumulator46 = accumulator06, accumulator47 = accumulator07;
            int accumulator50 = accumulator00, accumulator51 = accumulator01, accumulator52 = accumulator02, accumulator53 = accumulator03, accumulator54 = accumulator04, accumulator55 = accumulator05, accumulator56 = accumulator06, accumulator57 = accumulator07;
            int accumulator60 = accumulator00, accumulator61 = accumulator01, accumulator62 = accumulator02, accumulator63 = accumulator03, accumulator64 = accumulator04, accumulator65 = accumulator05, accumulator66 = accumulator06, accumulator67 = accumulator07;
            int accumulator70 = accumulator00, accumulator71 = accumulator01, accumulator72 = accumulator02, accumulator73 = accumulator03, accumulator74 = accumulator04, accumulator75 = accumulator05, accumulator76 = accumulator06, accumulator77 = accumulator07;
            int column2 = 2 * columnStep;
            int column3 = 3 * columnStep;
            int column4 = 4 * columnStep;
            int column5 = 5 * columnStep;
            int column6 = 6 * columnStep;
            int column7 = 7 * columnStep;
            int filterIndex = groupStart;
            int windowRow = windowStart;
            int filterY = 0;
            while (filterY < filterHeight)
            {
                int blockEnd = filterY + rowsPerBlock;
                if (blockEnd > filterHeight)
                {
                    blockEnd = filterHeight;
                }

                long sum00 = LaneBias, sum01 = LaneBias, sum02 = LaneBias, sum03 = LaneBias, sum04 = LaneBias, sum05 = LaneBias, sum06 = LaneBias, sum07 = LaneBias;
                long sum10 = LaneBias, sum11 = LaneBias, sum12 = LaneBias, sum13 = LaneBias, sum14 = LaneBias, sum15 = LaneBias, sum16 = LaneBias, sum17 = LaneBias;
                long sum20 = LaneBias, sum21 = LaneBias, sum22 = LaneBias, sum23 = LaneBias, sum24 = LaneBias, sum25 = LaneBias, sum26 = LaneBias, sum27 = LaneBias;
                long sum30 = LaneBias, sum31 = LaneBias, sum32 = LaneBias, sum33 = LaneBias, sum34 = LaneBias, sum35 = LaneBias, sum36 = LaneBias, sum37 = LaneBias;
                long sum40 = LaneBias, sum41 = LaneBias, sum42 = LaneBias, sum43 = LaneBias, sum44 = LaneBias, sum45 = LaneBias, sum46 = LaneBias, sum47 = LaneBias;
                long sum50 = LaneBias, sum51 = LaneBias, sum52 = LaneBias, sum53 = LaneBias, sum54 = LaneBias, sum55 = LaneBias, sum56 = LaneBias, sum57 = LaneBias;
                long sum60 = LaneBias, sum61 = LaneBias, sum62 = LaneBias, sum63 = LaneBias, sum64 = LaneBias, sum65 = LaneBias, sum66 = LaneBias, sum67 = LaneBias;
                long sum70 = LaneBias, sum71 = LaneBias, sum72 = LaneBias, sum73 = LaneBias, sum74 = LaneBias, sum75 = LaneBias, sum76 = LaneBias, sum77 = LaneBias;
                while (filterY < blockEnd)
                {
                    int inputIndex = windowRow;
                    int rowEnd = windowRow + windowRowWords;
                    while (inputIndex < rowEnd)
                    {
                        int upperIndex = filterIndex + groupWords;
                        long weight0 = packedFilter[filterIndex];
                        long weight1 = packedFilter[filterIndex + 1];
                        long weight2 = packedFilter[filterIndex + 2];
                        long weight3 = packedFilter[filterIndex + 3];
                        long weight4 = packedFilter[upperIndex];
                        long weight5 = packedFilter[upperIndex + 1];
                        long weight6 = packedFilter[upperIndex + 2];
                        long weight7 = packedFilter[upperIndex + 3];
                        long input0 = scratch[inputIndex];
                        long input1 = scratch[inputIndex + columnStep];
                        long input2 = scratch[inputIndex + column2];
                        long input3 = scratch[inputIndex + column3];
                        long input4 = scratch[inputIndex + column4];
                        long input5 = scratch[inputIndex + column5];
                        long input6 = scratch[inputIndex + column6];
                        long input7 = scratch[inputIndex + column7];
                        sum00 += input0 * weight0;
                        sum01 += input0 * weight1;
                        sum02 += input0 * weight2;
                        sum03 += input0 * weight3;
                        sum04 += input0 * weight4;
                        sum05 += input0 * weight5;
                        sum06 += input0 * weight6;
                        sum07 += input0 * weight7;
                        sum10 += input1 * weight0;
                        sum11 += input1 * weight1;
                        sum12 += input1 * weight2;
                        sum13 += input1 * weight3;
                        sum14 += input1 * weight4;
                        sum15 += input1 * weight5;
                        sum16 += input1 * weight6;
                        sum17 += input1 * weight7;
                        sum20 += input2 * weight0;
                        sum21 += input2 * weight1;
                        sum22 += input2 * weight2;
                        sum23 += input2 * weight3;
                        sum24 += input2 * weight4;
                        sum25 += input2 * weight5;
                        sum26 += input2 * weight6;
                        sum27 += input2 * weight7;
                        sum30 += input3 * weight0;
                        sum31 += input3 * weight1;
                        sum32 += input3 * weight2;
                        sum33 += input3 * weight3;
                        sum34 += input3 * weight4;
                        sum35 += input3 * weight5;
                        sum36 += input3 * weight6;
                        sum37 += input3 * weight7;
                        sum40 += input4 * weight0;
                        sum41 += input4 * weight1;
                        sum42 += input4 * weight2;
                        sum43 += input4 * weight3;
                        sum44 += input4 * weight4;
                        sum45 += input4 * weight5;
                        sum46 += input4 * weight6;
                        sum47 += input4 * weight7;
                        sum50 += input5 * weight0;
                        sum51 += input5 * weight1;
                        sum52 += input5 * weight2;
                        sum53 += input5 * weight3;
                        sum54 += input5 * weight4;
                        sum55 += input5 * weight5;
                        sum56 += input5 * weight6;
                        sum57 += input5 * weight7;
                        sum60 += input6 * weight0;
                        sum61 += input6 * weight1;
                        sum62 += input6 * weight2;
                        sum63 += input6 * weight3;
                        sum64 += input6 * weight4;
                        sum65 += input6 * weight5;
                        sum66 += input6 * weight6;
                        sum67 += input6 * weight7;
                        sum70 += input7 * weight0;
                        sum71 += input7 * weight1;
                        sum72 += input7 * weight2;
                        sum73 += input7 * weight3;
                        sum74 += input7 * weight4;
                        sum75 += input7 * weight5;
                        sum76 += input7 * weight6;
                        sum77 += input7 * weight7;
                        inputIndex += inputStep;
                        filterIndex += 4;
                    }

                    windowRow += scratchRow;
                    filterY++;
                }

                accumulator00 += (int)((sum00 << 16) >> 40);
                accumulator01 += (int)((sum01 << 16) >> 40);
                accumulator02 += (int)((sum02 << 16) >> 40);
                accumulator03 += (int)((sum03 << 16) >> 40);
                accumulator04 += (int)((sum04 << 16) >> 40);
                accumulator05 += (int)((sum05 << 16) >> 40);
                accumulator06 += (int)((sum06 << 16) >> 40);
                accumulator07 += (int)((sum07 << 16) >> 40);
                accumulator10 += (int)((sum10 << 16) >> 40);
                accumulator11 += (int)((sum11 << 16) >> 40);
                accumulator12 += (int)((sum12 << 16) >> 40);
                accumulator13 += (int)((sum13 << 16) >> 40);
                accumulator14 += (int)((sum14 << 16) >> 40);
                accumulator15 += (int)((sum15 << 16) >> 40);
                accumulator16 += (int)((sum16 << 16) >> 40);
                accumulator17 += (int)((sum17 << 16) >> 40);
                accumulator20 += (int)((sum20 << 16) >> 40);
                accumulator21 += (int)((sum21 << 16) >> 40);
                accumulator22 += (int)((sum22 << 16) >> 40);
                accumulator23 += (int)((sum23 << 16) >> 40);
                accumulator24 += (int)((sum24 << 16) >> 40);
                accumulator25 += (int)((sum25 << 16) >> 40);
                accumulator26 += (int)((sum26 << 16) >> 40);
                accumulator27 += (int)((sum27 << 16) >> 40);
                accumulator30 += (int)((sum30 << 16) >> 40);
                accumulator31 += (int)((sum31 << 16) >> 40);
                accumulator32 += (int)((sum32 << 16) >> 40);
                accumulator33 += (int)((sum33 << 16) >> 40);
                accumulator34 += (int)((sum34 << 16) >> 40);
                accumulator35 += (int)((sum35 << 16) >> 40);
                accumulator36 += (int)((sum36 << 16) >> 40);
                accumulator37 += (int)((sum37 << 16) >> 40);
                accumulator40 += (int)((sum40 << 16) >> 40);
                accumulator41 += (int)((sum41 << 16) >> 40);
                accumulator42 += (int)((sum42 << 16) >> 40);
                accumulator43 += (int)((sum43 << 16) >> 40);
                accumulator44 += (int)((sum44 << 16) >> 40);
                accumulator45 += (int)((sum45 << 16) >> 40);
                accumulator46 += (int)((sum46 << 16) >> 40);
                accumulator47 += (int)((sum47 << 16) >> 40);
                accumulator50 += (int)((sum50 << 16) >> 40);
                accumulator51 += (int)((sum51 << 16) >> 40);
                accumulator52 += (int)((sum52 << 16) >> 40);
                accumulator53 += (int)((sum53 << 16) >> 40);
                accumulator54 += (int)((sum54 << 16) >> 40);
                accumulator55 += (int)((sum55 << 16) >> 40);
                accumulator56 += (int)((sum56 << 16) >> 40);
                accumulator57 += (int)((sum57 << 16) >> 40);
                accumulator60 += (int)((sum60 << 16) >> 40);
                accumulator61 += (int)((sum61 << 16) >> 40);
                accumulator62 += (int)((sum62 << 16) >> 40);
                accumulator63 += (int)((sum63 << 16) >> 40);
                accumulator64 += (int)((sum64 << 16) >> 40);
                accumulator65 += (int)((sum65 << 16) >> 40);
                accumulator66 += (int)((sum66 << 16) >> 40);
                accumulator67 += (int)((sum67 << 16) >> 40);
                accumulator70 += (int)((sum70 << 16) >> 40);
                accumulator71 += (int)((sum71 << 16) >> 40);
                accumulator72 += (int)((sum72 << 16) >> 40);
                accumulator73 += (int)((sum73 << 16) >> 40);
                accumulator74 += (int)((sum74 << 16) >> 40);
                accumulator75 += (int)((sum75 << 16) >> 40);
                accumulator76 += (int)((sum76 << 16) >> 40);
                accumulator77 += (int)((sum77 << 16) >> 40);
            }

            StorePositions(accumulator00, accumulator10, accumulator20, accumulator30, firstChannel, multiplier, multiplierOffset, shift, shiftOffset,
                output, outputIndex, outputZeroPoint, activationMin, activationMax, mode);
            StorePositions(accumulator40, accumulator50, accumulator60, accumulator70, firstChannel, multiplier, multiplierOffset, shift, shiftOffset,
                output, outputIndex + 4, outputZeroPoint, activationMin, activationMax, mode);
            StorePositions(accumulator01, accumulator11, accumulator21, accumulator31, firstChannel + 1, multiplier, multiplierOffset, shift, shiftOffset,
                output, outputIndex + outputPlane, outputZeroPoint, activationMin, activationMax, mode);
            StorePositions(accumulator41, accumulator51, accumulator61, accumulator71, firstChannel + 1, multiplier, multiplierOffset, shift, shiftOffset,
                output, outputIndex + outputPlane + 4, outputZeroPoint, activationMin, activationMax, mode);
            StorePositions(accumulator02, accumulator12, accumulator22, accumulator32, firstChannel + 2, multiplier, multiplierOffset, shift, shiftOffset,
                output, outputIndex + 2 * outputPlane, outputZeroPoint, activationMin, activationMax, mode);
            StorePositions(accumulator42, accumulator52, accumulator62, accumulator72, firstChannel + 2, multiplier, multiplierOffset, shift, shiftOffset,
                output, outputIndex + 2 * outputPlane + 4, outputZeroPoint, activationMin, activationMax, mode);
            StorePositions(accumulator03, accumulator13, accumulator23, accumulator33, firstChannel + 3, multiplier, multiplierOffset, shift, shiftOffset,
                output, outputIndex + 3 * outputPlane, outputZeroPoint, activationMin, activationMax, mode);
            StorePositions(accumulator43, accumulator53, accumulator63, accumulator73, firstChannel + 3, multiplier, multiplierOffset, shift, shiftOffset,
                output, outputIndex + 3 * outputPlane + 4, outputZeroPoint, activationMin, activationMax, mode);
            StorePositions(accumulator04, accumulator14, accumulator24, accumulator34, firstChannel + 4, multiplier, multiplierOffset, shift, shiftOffset,
                output, outputIndex + 4 * outputPlane, outputZeroPoint, activationMin, activationMax, mode);
            StorePositions(accumulator44, accumulator54, accumulator64, accumulator74, firstChannel + 4, multiplier, multiplierOffset, shift, shiftOffset,
                output, outputIndex + 4 * outputPlane + 4, outputZeroPoint, activationMin, activationMax, mode);
            StorePositions(accumulator05, accumulator15, accumulator25, accumulator35, firstChannel + 5, multiplier, multiplierOffset, shift, shiftOffset,
                output, outputIndex + 5 * outputPlane, outputZeroPoint, activationMin, activationMax, mode);
            StorePositions(accumulator45, accumulator55, accumulator65, accumulator75, firstChannel + 5, multiplier, multiplierOffset, shift, shiftOffset,
                output, outputIndex + 5 * outputPlane + 4, outputZeroPoint, activationMin, activationMax, mode);
            StorePositions(accumulator06, accumulator16, accumulator26, accumulator36, firstChannel + 6, multiplier, multiplierOffset, shift, shiftOffset,
                output, outputIndex + 6 * outputPlane, outputZeroPoint, activationMin, activationMax, mode);
            StorePositions(accumulator46, accumulator56, accumulator66, accumulator76, firstChannel + 6, multiplier, multiplierOffset, shift, shiftOffset,
                output, outputIndex + 6 * outputPlane + 4, outputZeroPoint, activationMin, activationMax, mode);
            StorePositions(accumulator07, accumulator17, accumulator27, accumulator37, firstChannel + 7, multiplier, multiplierOffset, shift, shiftOffset,
                output, outputIndex + 7 * outputPlane, outputZeroPoint, activationMin, activationMax, mode);
            StorePositions(accumulator47, accumulator57, accumulator67, accumulator77, firstChannel + 7, multiplier, multiplierOffset, shift, shiftOffset,
                output, outputIndex + 7 * outputPlane + 4, outputZeroPoint, activationMin, activationMax, mode);
        }

        // One channel's outputs at four adjacent positions of a row: the channel's multiplier and
        // shift read once, the clamp and store inline (one call level less per output than Store).
        // In the q31 mode the requantization is inline too, with the per-channel terms of
        // FixedPoint.MultiplyByQuantizedMultiplier (total shift, half, tie mask) computed once for
        // the four outputs: the same formula, so the same result, without the two calls and the
        // mode dispatch that cost more interpreted IL per output than the rounding itself.
        private static void StorePositions(int accumulator0, int accumulator1, int accumulator2, int accumulator3, int channel,
            int[] multiplier, int multiplierOffset, int[] shift, int shiftOffset,
            sbyte[] output, int index, int outputZeroPoint, int activationMin, int activationMax, int mode)
        {
            int channelMultiplier = multiplier[multiplierOffset + channel];
            int channelShift = shift[shiftOffset + channel];
            int value0;
            int value1;
            int value2;
            int value3;
            if (mode == Requantization.Q31)
            {
#if NANOINT8_COUNTERS
                // As Requantization.Apply counts a q31 requantization.
                RuntimeCounters.AddRequantization(9);
                RuntimeCounters.AddRequantization(9);
                RuntimeCounters.AddRequantization(9);
                RuntimeCounters.AddRequantization(9);
#endif
                long wideMultiplier = channelMultiplier;
                int totalShift = 31 - channelShift;
                long half = 1L << (totalShift - 1);
                long tieMask = (half << 1) - 1;
                long product = accumulator0 * wideMultiplier;
                long rounded = (product + half) >> totalShift;
                if ((product & tieMask) == half && (rounded & 1) != 0)
                {
                    rounded--;
                }

                value0 = outputZeroPoint + (int)rounded;
                product = accumulator1 * wideMultiplier;
                rounded = (product + half) >> totalShift;
                if ((product & tieMask) == half && (rounded & 1) != 0)
                {
                    rounded--;
                }

                value1 = outputZeroPoint + (int)rounded;
                product = accumulator2 * wideMultiplier;
                rounded = (product + half) >> totalShift;
                if ((product & tieMask) == half && (rounded & 1) != 0)
                {
                    rounded--;
                }

                value2 = outputZeroPoint + (int)rounded;
                product = accumulator3 * wideMultiplier;
                rounded = (product + half) >> totalShift;
                if ((product & tieMask) == half && (rounded & 1) != 0)
                {
                    rounded--;
                }

                value3 = outputZeroPoint + (int)rounded;
            }
            else
            {
                value0 = outputZeroPoint + Requantization.Apply(accumulator0, channelMultiplier, channelShift, mode);
                value1 = outputZeroPoint + Requantization.Apply(accumulator1, channelMultiplier, channelShift, mode);
                value2 = outputZeroPoint + Requantization.Apply(accumulator2, channelMultiplier, channelShift, mode);
                value3 = outputZeroPoint + Requantization.Apply(accumulator3, channelMultiplier, channelShift, mode);
            }

            output[index] = (sbyte)(value0 < activationMin ? activationMin : value0 > activationMax ? activationMax : value0);
            output[index + 1] = (sbyte)(value1 < activationMin ? activationMin : value1 > activationMax ? activationMax : value1);
            output[index + 2] = (sbyte)(value2 < activationMin ? activationMin : value2 > activationMax ? activationMax : value2);
            output[index + 3] = (sbyte)(value3 < activationMin ? activationMin : value3 > activationMax ? activationMax : value3);
        }

        /// <summary>
        /// Packs one batch of the input, padding included, into scratch[0 .. Hp·Wp·P) (layout on
        /// the class): pair j of a position is x[2j] + x[2j+1]·2^24, padding reads zi, channels at
        /// or beyond C read 0.
        /// </summary>
        public static void PackInput(sbyte[] input, int batchStart, int inputChannels, int inputHeight, int inputWidth, int inputZeroPoint,
            int padTop, int padLeft, int paddedHeight, int paddedWidth, int pairCount, long[] scratch)
        {
            // Padding first: every position gets the zero point in the lanes of real channels.
            int wordCount = paddedHeight * paddedWidth * pairCount;
            for (int pair = 0; pair < pairCount; pair++)
            {
                long low = 2 * pair < inputChannels ? inputZeroPoint : 0;
                long high = 2 * pair + 1 < inputChannels ? inputZeroPoint : 0;
                long padWord = low + (high << 24);
                for (int word = pair; word < wordCount; word += pairCount)
                {
                    scratch[word] = padWord;
                }
            }

            // Then the input, one channel pair (or a last single channel) and one row at a time.
            int plane = inputHeight * inputWidth;
            int scratchRow = paddedWidth * pairCount;
            for (int pair = 0; 2 * pair < inputChannels; pair++)
            {
                int lowChannel = batchStart + 2 * pair * plane;
                bool single = 2 * pair + 1 == inputChannels;
                for (int y = 0; y < inputHeight; y++)
                {
                    int inputIndex = lowChannel + y * inputWidth;
                    int inputRowEnd = inputIndex + inputWidth;
                    int word = (padTop + y) * scratchRow + padLeft * pairCount + pair;
                    if (single)
                    {
                        while (inputIndex < inputRowEnd)
                        {
                            scratch[word] = input[inputIndex];
                            inputIndex++;
                            word += pairCount;
                        }
                    }
                    else
                    {
                        while (inputIndex < inputRowEnd)
                        {
                            scratch[word] = input[inputIndex] + ((long)input[inputIndex + plane] << 24);
                            inputIndex++;
                            word += pairCount;
                        }
                    }
                }
            }
        }

        /// <summary>
        /// Packs filter [O, C, KH, KW] (from filterOffset) into PackedFilterWords words at
        /// packed[packedOffset..]: word [g, ky, kx, j, c] = w[4g+c, 2j+1, ky, kx] + w[4g+c, 2j, ky, kx]·2^24,
        /// 0 beyond the filter. Returns false, leaving packed partly written, when a word does not fit
        /// an int32 (w[o, 2j] = -128 with w[o, 2j+1] negative); symmetric filters always fit.
        /// </summary>
        public static bool PackFilter(sbyte[] filter, int filterOffset, int outputChannels, int inputChannels, int filterHeight, int filterWidth,
            int[] packed, int packedOffset)
        {
            int pairCount = ChannelPairCount(inputChannels);
            int taps = filterHeight * filterWidth;
            int word = packedOffset;
            for (int firstChannel = 0; firstChannel < outputChannels; firstChannel += GroupChannels)
            {
                for (int tap = 0; tap < taps; tap++)
                {
                    for (int pair = 0; pair < pairCount; pair++)
                    {
                        for (int lane = 0; lane < GroupChannels; lane++)
                        {
                            int channel = firstChannel + lane;
                            int lowInput = 2 * pair;
                            int firstWeight = 0;
                            int secondWeight = 0;
                            if (channel < outputChannels && lowInput < inputChannels)
                            {
                                int channelStart = filterOffset + channel * inputChannels * taps + tap;
                                firstWeight = filter[channelStart + lowInput * taps];
                                if (lowInput + 1 < inputChannels)
                                {
                                    secondWeight = filter[channelStart + (lowInput + 1) * taps];
                                }
                            }

                            long value = secondWeight + ((long)firstWeight << 24);
                            if (value < int.MinValue)
                            {
                                return false;
                            }

                            packed[word] = (int)value;
                            word++;
                        }
                    }
                }
            }

            return true;
        }

        /// <summary>
        /// Packs one batch of a one-channel input for EvalTapPairs into scratch[0 .. Hp·rowWords):
        /// word (py, px) = v(py, px) + v(py, px+1)·2^24, v the input inside, zi in the padding and 0
        /// from column Wp on (only taps with weight 0 read there).
        /// </summary>
        public static void PackInputTaps(sbyte[] input, int batchStart, int inputHeight, int inputWidth, int inputZeroPoint,
            int padTop, int padLeft, int paddedHeight, int paddedWidth, int rowWords, long[] scratch)
        {
            int inputEnd = padLeft + inputWidth;
            int word = 0;
            for (int row = 0; row < paddedHeight; row++)
            {
                int inputRow = row - padTop;
                bool inside = inputRow >= 0 && inputRow < inputHeight;
                int rowStart = batchStart + inputRow * inputWidth - padLeft;
                long next = padLeft > 0 || !inside ? inputZeroPoint : input[rowStart];
                for (int column = 0; column < rowWords; column++)
                {
                    long current = next;
                    int following = column + 1;
                    if (following >= paddedWidth)
                    {
                        next = 0;
                    }
                    else if (inside && following >= padLeft && following < inputEnd)
                    {
                        next = input[rowStart + following];
                    }
                    else
                    {
                        next = inputZeroPoint;
                    }

                    scratch[word] = current + (next << 24);
                    word++;
                }
            }
        }

        /// <summary>
        /// Packs a one-input-channel filter [O, 1, KH, KW] (from filterOffset) by tap pairs into
        /// PackedFilterWordsTapPairs words at packed[packedOffset..]: word [g, ky, j, c] =
        /// w[4g+c, 0, ky, 2j+1] + w[4g+c, 0, ky, 2j]·2^24, 0 beyond the filter. Returns false when a
        /// word does not fit an int32 (as PackFilter).
        /// </summary>
        public static bool PackFilterTaps(sbyte[] filter, int filterOffset, int outputChannels, int filterHeight, int filterWidth,
            int[] packed, int packedOffset)
        {
            int tapPairs = TapPairCount(filterWidth);
            int word = packedOffset;
            for (int firstChannel = 0; firstChannel < outputChannels; firstChannel += GroupChannels)
            {
                for (int filterY = 0; filterY < filterHeight; filterY++)
                {
                    for (int pair = 0; pair < tapPairs; pair++)
                    {
                        for (int lane = 0; lane < GroupChannels; lane++)
                        {
                            int channel = firstChannel + lane;
                            int firstTap = 2 * pair;
                            int firstWeight = 0;
                            int secondWeight = 0;
                            if (channel < outputChannels && firstTap < filterWidth)
                            {
                                int rowStart = filterOffset + (channel * filterHeight + filterY) * filterWidth;
                                firstWeight = filter[rowStart + firstTap];
                                if (firstTap + 1 < filterWidth)
                                {
                                    secondWeight = filter[rowStart + firstTap + 1];
                                }
                            }

                            long value = secondWeight + ((long)firstWeight << 24);
                            if (value < int.MinValue)
                            {
                                return false;
                            }

                            packed[word] = (int)value;
                            word++;
                        }
                    }
                }
            }

            return true;
        }

        private static void Store(int accumulator, int channel, int[] multiplier, int multiplierOffset, int[] shift, int shiftOffset,
            sbyte[] output, int index, int outputZeroPoint, int activationMin, int activationMax, int mode)
        {
            int value = outputZeroPoint + Requantization.Apply(
                accumulator, multiplier[multiplierOffset + channel], shift[shiftOffset + channel], mode);
            if (value < activationMin)
            {
                value = activationMin;
            }
            else if (value > activationMax)
            {
                value = activationMax;
            }

            output[index] = (sbyte)value;
        }
    }
}
