using NanoInt8.Runtime.Operators;

namespace NanoInt8.Runtime.Kernels
{
    /// <summary>
    /// Int8 2-D convolution (groups 1, dilation 1) three products per 64-bit multiply with the
    /// requantization, clamp and store of each output in one table read (issue 15,
    /// docs/model-format.md code 24): the same result as <see cref="Conv2DKernel"/>, bit for bit,
    /// for any layer shape.
    /// </summary>
    /// <remarks>
    /// Lanes. An input word holds three int8 values a0 + a1·2^21 + a2·2^42 (as
    /// <see cref="Conv2DTripleKernel"/> packs them) and a filter word three taps
    /// b0·2^43 + b1·2^22 + b2·2^1, so the product's bits [43, 64), the top of the word, hold
    /// a0·b0 + a1·b1 + a2·b2 and one arithmetic shift, S &gt;&gt; 43, reads them. Below sit
    /// a0·b2·2 and (a0·b1 + a1·b2)·2^22; a1·b0, a2·b1 and a2·b0 fall at 2^64 and beyond, out of the
    /// word.
    /// Overflow bound. A block sums at most <see cref="BlockWords"/> = 21 products from 2^42. With
    /// |a|, |b| ≤ 128 each product's low part is below 2^15 + 2^15·2^22 in magnitude, so the
    /// block's low part plus 2^42 stays in (0, 2^43) (21·(2^37 + 2^15) &lt; 2^42) and never carries
    /// into the dot field, which then holds its true value V exactly as long as
    /// -2^20 ≤ V &lt; 2^20: 21 products are at most 21·3·2^14 = 1,032,192 in magnitude. When a
    /// window is one block and every channel's bias plus its largest possible sum stays inside
    /// ±2^20 (the converter says so in BiasInLane, the reader checks it), the block starts from
    /// 2^42 + bias·2^43 and the field is the whole accumulator; otherwise the blocks' fields are
    /// added to an int32 accumulator that starts at the bias.
    /// Packing. Three input channels of a position per word (<see cref="PackChannels"/>, T = ⌈C/3⌉
    /// words a position); with one input channel three horizontally adjacent values
    /// (<see cref="PackTaps"/>) or three vertically adjacent ones (<see cref="PackRows"/>: a
    /// window column of three filter rows per word, ⌈KH/3⌉ word rows a window). A window is
    /// <see cref="WindowRows"/> rows of R = <see cref="RowWords"/> words (a multiple of three; the
    /// extra words have weight 0); a row longer than a block is split into blocks of 21 words.
    /// Store. Ties of the rounding cannot occur (the reader checks 2^(k-1-t) beyond every channel's
    /// largest accumulator, k the total shift and t the multiplier's trailing zero bits), so
    /// FixedPoint.MultiplyByQuantizedMultiplier's half to even is (p + 2^(k-1)) &gt;&gt; k; the
    /// output zero point and the table's zero are folded into that rounding constant, and the
    /// clamp table (int8, table[i] = clamp(i - TableZero, min, max), long enough for every
    /// reachable value: the reader checks) clamps: one expression per output. RunOneChain and
    /// RunTwoChains shift by the constant <see cref="ClampTableStore.FixedShift"/> (two IL fewer an
    /// output than a variable shift) with each multiplier scaled to it, for groups whose every
    /// channel <see cref="ClampTableStore.AtFixedShift"/> accepts with the lane limit as bound;
    /// other groups take RunFolded.
    /// Tiles. Eight output channels times eight consecutive output positions of the plane, row
    /// ends crossed; per inner iteration three words of each window and three filter words of
    /// each channel: 192 products. A tile past the plane's end or a group of fewer than eight
    /// channels goes through <see cref="StorePartial"/>. A window of three (six) words with the bias
    /// in the lane has a whole group's filter words in locals (RunOneChain, RunTwoChains), other
    /// windows of one block with the bias in the lane, and groups of fewer than eight channels, keep
    /// no int32 accumulators (RunFolded).
    /// </remarks>
    public static class Conv2DLanesKernel
    {
        /// <summary>Packing: three input channels of one position per word.</summary>
        public const int PackChannels = 0;

        /// <summary>Packing (one input channel): three horizontally adjacent values per word.</summary>
        public const int PackTaps = 1;

        /// <summary>Packing (one input channel): three vertically adjacent values per word.</summary>
        public const int PackRows = 2;

        /// <summary>Largest number of products summed in one lane block (see the bound on the class).</summary>
        public const int BlockWords = LaneWords.BlockWords;

        /// <summary>Words of a window row taken per inner iteration; window rows are a multiple of it.</summary>
        public const int ChainWords = LaneWords.ChainWords;

        /// <summary>Output channels of a tile (filter words are grouped by eight channels).</summary>
        public const int TileChannels = 8;

        /// <summary>Consecutive output positions of a tile.</summary>
        public const int TilePositions = 8;

        /// <summary>A dot field holds values in [-LaneLimit, LaneLimit).</summary>
        public const int LaneLimit = LaneWords.LaneLimit;

        // The total shift of RunOneChain's and RunTwoChains' stores.
        private const int FixedShift = ClampTableStore.FixedShift;

        // The dot field is bits [DotShift, 64).
        private const int DotShift = LaneWords.DotShift;

        // Starting value of a block sum: keeps the low part positive (see the bound above).
        private const long LaneBias = LaneWords.LaneBias;

        // Filter words of window word j of channel c lie TileChannels apart.
        private const int ChainFilterWords = ChainWords * TileChannels;

        // Scratch words a partial tile's accumulators are put in before StorePartial stores them.
        private const int DumpWords = TilePositions * TileChannels;

        /// <summary>The packing the converter chooses: channels, or with one input channel rows when the filter has several, else taps.</summary>
        public static int DefaultPacking(int inputChannels, int filterHeight)
        {
            return inputChannels > 1 ? PackChannels : filterHeight > 1 ? PackRows : PackTaps;
        }

        /// <summary>Whether <paramref name="packing"/> is valid for <paramref name="inputChannels"/> (taps and rows need one channel).</summary>
        public static bool IsPacking(int packing, int inputChannels)
        {
            return packing == PackChannels ? inputChannels >= 1 : (packing == PackTaps || packing == PackRows) && inputChannels == 1;
        }

        /// <summary>Words per packed input position: ⌈C/3⌉ for channels, 1 otherwise.</summary>
        public static int WordsPerPosition(int packing, int inputChannels)
        {
            return packing == PackChannels ? (inputChannels + 2) / 3 : 1;
        }

        /// <summary>Rows of words of a window: ⌈KH/3⌉ for rows, KH otherwise.</summary>
        public static int WindowRows(int packing, int filterHeight)
        {
            return packing == PackRows ? (filterHeight + 2) / 3 : filterHeight;
        }

        /// <summary>
        /// Words R of a window row: KW·⌈C/3⌉ (channels), ⌈KW/3⌉ (taps) or KW (rows), rounded up to a
        /// multiple of <see cref="ChainWords"/>.
        /// </summary>
        public static int RowWords(int packing, int inputChannels, int filterWidth)
        {
            long words = packing == PackChannels ? (long)filterWidth * WordsPerPosition(packing, inputChannels)
                : packing == PackTaps ? (filterWidth + 2) / 3 : filterWidth;
            return (int)((words + ChainWords - 1) / ChainWords * ChainWords);
        }

        /// <summary>Whether a window is one lane block: WindowRows · R ≤ 21 words.</summary>
        public static bool IsSingleBlock(int packing, int inputChannels, int filterHeight, int filterWidth)
        {
            return (long)WindowRows(packing, filterHeight) * RowWords(packing, inputChannels, filterWidth) <= BlockWords;
        }

        /// <summary>64-bit filter words: ⌈O/8⌉·WindowRows·R·8; the host stores three int8 lanes for each.</summary>
        public static long FilterWords(int outputChannels, int packing, int inputChannels, int filterHeight, int filterWidth)
        {
            return (long)((outputChannels + TileChannels - 1) / TileChannels) * WindowRows(packing, filterHeight)
                * RowWords(packing, inputChannels, filterWidth) * TileChannels;
        }

        /// <summary>
        /// Scratch words of one call: the filter words, the packed padded input (channels:
        /// Hp·Wp·T + 3 words of slack; taps: Hp·(Wp + 3R); rows: Hp·Wp + 3) and 64 words for a
        /// partial tile's accumulators.
        /// </summary>
        public static long ScratchWords(int outputChannels, int packing, int inputChannels, int inputHeight, int inputWidth, int filterHeight, int filterWidth,
            int padTop, int padLeft, int padBottom, int padRight)
        {
            long paddedHeight = (long)padTop + inputHeight + padBottom;
            long paddedWidth = (long)padLeft + inputWidth + padRight;
            long inputWords = packing == PackTaps
                ? paddedHeight * (paddedWidth + ChainWords * RowWords(packing, inputChannels, filterWidth))
                : paddedHeight * paddedWidth * WordsPerPosition(packing, inputChannels) + ChainWords;
            return FilterWords(outputChannels, packing, inputChannels, filterHeight, filterWidth) + inputWords + DumpWords;
        }

        /// <summary>
        /// Computes output[n, o, y, x] = clamp(zo + MBQM(bias[o] + Σ x·w, multiplier[o], shift[o]))
        /// for a groups-1, dilation-1 convolution whose filter the host packed with
        /// <see cref="PackFilter"/>, in the q31 mode, through the clamp table.
        /// </summary>
        /// <param name="op">The operator's resolved arguments (<see cref="Conv2DLanesOperator"/>), read once.</param>
        public static void Eval(Conv2DLanesOperator op)
        {
            sbyte[] input = op.Input;
            int inputOffset = op.InputOffset;
            int batches = op.Batches;
            int inputChannels = op.InputChannels;
            int inputHeight = op.InputHeight;
            int inputWidth = op.InputWidth;
            int inputZeroPoint = op.InputZeroPoint;
            int outputChannels = op.OutputChannels;
            int filterHeight = op.FilterHeight;
            int filterWidth = op.FilterWidth;
            int outputHeight = op.OutputHeight;
            int outputWidth = op.OutputWidth;
            int strideHeight = op.StrideHeight;
            int strideWidth = op.StrideWidth;
            int padTop = op.PadTop;
            int padLeft = op.PadLeft;
            int padBottom = op.PadBottom;
            int padRight = op.PadRight;
            int packing = op.Packing;
            long[] scratch = op.Scratch;

            int rowWords = RowWords(packing, inputChannels, filterWidth);
            int windowRows = WindowRows(packing, filterHeight);
            int filterWords = (int)FilterWords(outputChannels, packing, inputChannels, filterHeight, filterWidth);
            BuildFilterWords(op.Filter, op.FilterOffset, filterWords, scratch);

            int paddedWidth = padLeft + inputWidth + padRight;
            int paddedHeight = padTop + inputHeight + padBottom;
            int columnWords = WordsPerPosition(packing, inputChannels);
            int scratchRow = packing == PackTaps ? paddedWidth + ChainWords * rowWords : paddedWidth * columnWords;
            int wordStep = packing == PackTaps ? ChainWords : 1;
            int rowStride = packing == PackRows ? 3 * scratchRow : scratchRow;
            int plane = outputHeight * outputWidth;
            int dump = (int)ScratchWords(outputChannels, packing, inputChannels, inputHeight, inputWidth, filterHeight, filterWidth,
                padTop, padLeft, padBottom, padRight) - DumpWords;
            for (int batch = 0; batch < batches; batch++)
            {
                int batchStart = inputOffset + batch * inputChannels * inputHeight * inputWidth;
                if (packing == PackTaps)
                {
                    Conv2DTripleKernel.PackInputTaps(input, batchStart, inputHeight, inputWidth, inputZeroPoint, padTop, padLeft, paddedHeight, paddedWidth,
                        scratchRow, scratch, filterWords);
                }
                else if (packing == PackRows)
                {
                    PackInputRows(input, batchStart, inputHeight, inputWidth, inputZeroPoint, padTop, padLeft, paddedHeight, paddedWidth,
                        outputHeight, strideHeight, windowRows, scratch, filterWords);
                }
                else
                {
                    Conv2DTripleKernel.PackInput(input, batchStart, inputChannels, inputHeight, inputWidth, inputZeroPoint, padTop, padLeft,
                        paddedHeight, paddedWidth, scratch, filterWords);
                }

                int outputStart = op.OutputOffset + batch * outputChannels * plane;
                int filterStart = 0;
                for (int firstChannel = 0; firstChannel < outputChannels; firstChannel += TileChannels)
                {
#if NANOINT8_COUNTERS
                    // Every tap of every stored output, and one q31 requantization each (counted as Requantization.Apply counts it).
                    int stored = (outputChannels - firstChannel < TileChannels ? outputChannels - firstChannel : TileChannels) * plane;
                    RuntimeCounters.AddMultiplyAccumulates(stored * inputChannels * filterHeight * filterWidth);
                    for (int output = 0; output < stored; output++)
                    {
                        RuntimeCounters.AddRequantization(9);
                    }
#endif
                    int windowWords = windowRows * rowWords;
                    bool fixedShift = GroupAtFixedShift(op, firstChannel);
                    if (op.BiasInLane != 0 && windowWords == ChainWords && outputChannels - firstChannel >= TileChannels && fixedShift)
                    {
                        RunOneChain(op, firstChannel, scratch, filterStart, wordStep, 2 * wordStep, filterWords,
                            outputWidth, plane, strideWidth * columnWords, strideHeight * scratchRow, outputStart, dump);
                    }
                    else if (op.BiasInLane != 0 && windowWords == 2 * ChainWords && fixedShift)
                    {
                        // Two chains: one row of six words, or two rows of three.
                        int second = rowWords == windowWords ? 3 * wordStep : rowStride;
                        RunTwoChains(op, firstChannel, scratch, filterStart, wordStep, 2 * wordStep, second, second + wordStep, second + 2 * wordStep, filterWords,
                            outputWidth, plane, strideWidth * columnWords, strideHeight * scratchRow, outputStart, dump);
                    }
                    else if (op.BiasInLane != 0)
                    {
                        RunFolded(op, firstChannel, scratch, filterStart, windowRows, rowWords, wordStep, rowStride, filterWords,
                            outputWidth, plane, strideWidth * columnWords, strideHeight * scratchRow, outputStart, dump);
                    }
                    else
                    {
                        RunBlocks(op, firstChannel, scratch, filterStart, windowRows, rowWords, wordStep, rowStride, filterWords,
                            outputWidth, plane, strideWidth * columnWords, strideHeight * scratchRow, outputStart, dump);
                    }

                    filterStart += windowRows * rowWords * TileChannels;
                    outputStart += TileChannels * plane;
                }
            }
        }

        // Whether every channel of the group from firstChannel stores at ClampTableStore.FixedShift
        // (its accumulator is the dot field: at most LaneLimit in magnitude).
        private static bool GroupAtFixedShift(Conv2DLanesOperator op, int firstChannel)
        {
            int end = firstChannel + TileChannels < op.OutputChannels ? firstChannel + TileChannels : op.OutputChannels;
            for (int channel = firstChannel; channel < end; channel++)
            {
                if (!ClampTableStore.AtFixedShift(op.Multiplier[op.MultiplierOffset + channel], op.Shift[op.ShiftOffset + channel], LaneLimit))
                {
                    return false;
                }
            }

            return true;
        }

        // A window of 3 words (one block, the bias in the lane): the 24 filter words of the group
        // in locals, each output one expression from its window's words, no sums kept.
        private static void RunOneChain(Conv2DLanesOperator op, int firstChannel, long[] scratch, int filterStart, int offset1, int offset2,
            int firstWindow, int outputWidth, int plane, int columnWords, int strideRowWords, int outputStart, int dump)
        {
            sbyte[] output = op.Output;
            sbyte[] table = op.Table;
            int channels = op.OutputChannels - firstChannel < TileChannels ? op.OutputChannels - firstChannel : TileChannels;
            bool wholeGroup = channels == TileChannels;
            int zeroIndex = op.OutputZeroPoint + op.TableZero;
            int[] multipliers = op.Multiplier;
            int[] shifts = op.Shift;
            int[] biases = op.Bias;
            int multiplierIndex = op.MultiplierOffset + firstChannel;
            int shiftIndex = op.ShiftOffset + firstChannel;
            int biasIndex = op.BiasOffset + firstChannel;
            // Channels past the output's (zero weights, outputs not stored) get multiplier 0.
            long multiplier0 = ClampTableStore.FixedMultiplier(multipliers[multiplierIndex], shifts[shiftIndex]);
            int bias0 = biases[biasIndex];
            long rounding = ClampTableStore.Rounding(FixedShift, zeroIndex);
            long multiplier1 = channels > 1 ? ClampTableStore.FixedMultiplier(multipliers[multiplierIndex + 1], shifts[shiftIndex + 1]) : 0;
            int bias1 = channels > 1 ? biases[biasIndex + 1] : 0;
            long multiplier2 = channels > 2 ? ClampTableStore.FixedMultiplier(multipliers[multiplierIndex + 2], shifts[shiftIndex + 2]) : 0;
            int bias2 = channels > 2 ? biases[biasIndex + 2] : 0;
            long multiplier3 = channels > 3 ? ClampTableStore.FixedMultiplier(multipliers[multiplierIndex + 3], shifts[shiftIndex + 3]) : 0;
            int bias3 = channels > 3 ? biases[biasIndex + 3] : 0;
            long multiplier4 = channels > 4 ? ClampTableStore.FixedMultiplier(multipliers[multiplierIndex + 4], shifts[shiftIndex + 4]) : 0;
            int bias4 = channels > 4 ? biases[biasIndex + 4] : 0;
            long multiplier5 = channels > 5 ? ClampTableStore.FixedMultiplier(multipliers[multiplierIndex + 5], shifts[shiftIndex + 5]) : 0;
            int bias5 = channels > 5 ? biases[biasIndex + 5] : 0;
            long multiplier6 = channels > 6 ? ClampTableStore.FixedMultiplier(multipliers[multiplierIndex + 6], shifts[shiftIndex + 6]) : 0;
            int bias6 = channels > 6 ? biases[biasIndex + 6] : 0;
            long multiplier7 = channels > 7 ? ClampTableStore.FixedMultiplier(multipliers[multiplierIndex + 7], shifts[shiftIndex + 7]) : 0;
            int bias7 = channels > 7 ? biases[biasIndex + 7] : 0;
            long sumBase0 = LaneBias + ((long)bias0 << DotShift);
            long sumBase1 = LaneBias + ((long)bias1 << DotShift);
            long sumBase2 = LaneBias + ((long)bias2 << DotShift);
            long sumBase3 = LaneBias + ((long)bias3 << DotShift);
            long sumBase4 = LaneBias + ((long)bias4 << DotShift);
            long sumBase5 = LaneBias + ((long)bias5 << DotShift);
            long sumBase6 = LaneBias + ((long)bias6 << DotShift);
            long sumBase7 = LaneBias + ((long)bias7 << DotShift);
            long weight00 = scratch[filterStart];
            long weight10 = scratch[filterStart + 1];
            long weight20 = scratch[filterStart + 2];
            long weight30 = scratch[filterStart + 3];
            long weight40 = scratch[filterStart + 4];
            long weight50 = scratch[filterStart + 5];
            long weight60 = scratch[filterStart + 6];
            long weight70 = scratch[filterStart + 7];
            long weight01 = scratch[filterStart + 8];
            long weight11 = scratch[filterStart + 9];
            long weight21 = scratch[filterStart + 10];
            long weight31 = scratch[filterStart + 11];
            long weight41 = scratch[filterStart + 12];
            long weight51 = scratch[filterStart + 13];
            long weight61 = scratch[filterStart + 14];
            long weight71 = scratch[filterStart + 15];
            long weight02 = scratch[filterStart + 16];
            long weight12 = scratch[filterStart + 17];
            long weight22 = scratch[filterStart + 18];
            long weight32 = scratch[filterStart + 19];
            long weight42 = scratch[filterStart + 20];
            long weight52 = scratch[filterStart + 21];
            long weight62 = scratch[filterStart + 22];
            long weight72 = scratch[filterStart + 23];
            int output0 = outputStart;
            int rowWindow = firstWindow;
            int outputX = 0;
            for (int position = 0; position < plane; position += TilePositions)
            {
                int start0 = rowWindow + outputX * columnWords;
                int start1, start2, start3, start4, start5, start6, start7;
                if (outputX + TilePositions <= outputWidth)
                {
                    // The whole tile in one output row: its windows a column stride apart.
                    start1 = start0 + columnWords;
                    start2 = start1 + columnWords;
                    start3 = start2 + columnWords;
                    start4 = start3 + columnWords;
                    start5 = start4 + columnWords;
                    start6 = start5 + columnWords;
                    start7 = start6 + columnWords;
                    outputX += TilePositions;
                    if (outputX == outputWidth)
                    {
                        outputX = 0;
                        rowWindow += strideRowWords;
                    }
                }
                else
                {
                    // The tile crosses a row end or the plane's end (positions past it read the first window).
                    start1 = WindowAt(position + 1, plane, outputWidth, firstWindow, strideRowWords, columnWords, start0);
                    start2 = WindowAt(position + 2, plane, outputWidth, firstWindow, strideRowWords, columnWords, start0);
                    start3 = WindowAt(position + 3, plane, outputWidth, firstWindow, strideRowWords, columnWords, start0);
                    start4 = WindowAt(position + 4, plane, outputWidth, firstWindow, strideRowWords, columnWords, start0);
                    start5 = WindowAt(position + 5, plane, outputWidth, firstWindow, strideRowWords, columnWords, start0);
                    start6 = WindowAt(position + 6, plane, outputWidth, firstWindow, strideRowWords, columnWords, start0);
                    start7 = WindowAt(position + 7, plane, outputWidth, firstWindow, strideRowWords, columnWords, start0);
                    int next = position + TilePositions;
                    outputX = next % outputWidth;
                    rowWindow = firstWindow + next / outputWidth * strideRowWords;
                }
                long input00 = scratch[start0], input01 = scratch[start0 + offset1], input02 = scratch[start0 + offset2];
                long input10 = scratch[start1], input11 = scratch[start1 + offset1], input12 = scratch[start1 + offset2];
                long input20 = scratch[start2], input21 = scratch[start2 + offset1], input22 = scratch[start2 + offset2];
                long input30 = scratch[start3], input31 = scratch[start3 + offset1], input32 = scratch[start3 + offset2];
                long input40 = scratch[start4], input41 = scratch[start4 + offset1], input42 = scratch[start4 + offset2];
                long input50 = scratch[start5], input51 = scratch[start5 + offset1], input52 = scratch[start5 + offset2];
                long input60 = scratch[start6], input61 = scratch[start6 + offset1], input62 = scratch[start6 + offset2];
                long input70 = scratch[start7], input71 = scratch[start7 + offset1], input72 = scratch[start7 + offset2];
                if (wholeGroup && position + TilePositions <= plane)
                {
                    int output1 = output0 + plane;
                    int output2 = output1 + plane;
                    int output3 = output2 + plane;
                    int output4 = output3 + plane;
                    int output5 = output4 + plane;
                    int output6 = output5 + plane;
                    int output7 = output6 + plane;
                    output[output0] = table[(int)((((sumBase0 + input00 * weight00 + input01 * weight01 + input02 * weight02) >> DotShift) * multiplier0 + rounding) >> FixedShift)];
                    output[output0 + 1] = table[(int)((((sumBase0 + input10 * weight00 + input11 * weight01 + input12 * weight02) >> DotShift) * multiplier0 + rounding) >> FixedShift)];
                    output[output0 + 2] = table[(int)((((sumBase0 + input20 * weight00 + input21 * weight01 + input22 * weight02) >> DotShift) * multiplier0 + rounding) >> FixedShift)];
                    output[output0 + 3] = table[(int)((((sumBase0 + input30 * weight00 + input31 * weight01 + input32 * weight02) >> DotShift) * multiplier0 + rounding) >> FixedShift)];
                    output[output0 + 4] = table[(int)((((sumBase0 + input40 * weight00 + input41 * weight01 + input42 * weight02) >> DotShift) * multiplier0 + rounding) >> FixedShift)];
                    output[output0 + 5] = table[(int)((((sumBase0 + input50 * weight00 + input51 * weight01 + input52 * weight02) >> DotShift) * multiplier0 + rounding) >> FixedShift)];
                    output[output0 + 6] = table[(int)((((sumBase0 + input60 * weight00 + input61 * weight01 + input62 * weight02) >> DotShift) * multiplier0 + rounding) >> FixedShift)];
                    output[output0 + 7] = table[(int)((((sumBase0 + input70 * weight00 + input71 * weight01 + input72 * weight02) >> DotShift) * multiplier0 + rounding) >> FixedShift)];
                    output[output1] = table[(int)((((sumBase1 + input00 * weight10 + input01 * weight11 + input02 * weight12) >> DotShift) * multiplier1 + rounding) >> FixedShift)];
                    output[output1 + 1] = table[(int)((((sumBase1 + input10 * weight10 + input11 * weight11 + input12 * weight12) >> DotShift) * multiplier1 + rounding) >> FixedShift)];
                    output[output1 + 2] = table[(int)((((sumBase1 + input20 * weight10 + input21 * weight11 + input22 * weight12) >> DotShift) * multiplier1 + rounding) >> FixedShift)];
                    output[output1 + 3] = table[(int)((((sumBase1 + input30 * weight10 + input31 * weight11 + input32 * weight12) >> DotShift) * multiplier1 + rounding) >> FixedShift)];
                    output[output1 + 4] = table[(int)((((sumBase1 + input40 * weight10 + input41 * weight11 + input42 * weight12) >> DotShift) * multiplier1 + rounding) >> FixedShift)];
                    output[output1 + 5] = table[(int)((((sumBase1 + input50 * weight10 + input51 * weight11 + input52 * weight12) >> DotShift) * multiplier1 + rounding) >> FixedShift)];
                    output[output1 + 6] = table[(int)((((sumBase1 + input60 * weight10 + input61 * weight11 + input62 * weight12) >> DotShift) * multiplier1 + rounding) >> FixedShift)];
                    output[output1 + 7] = table[(int)((((sumBase1 + input70 * weight10 + input71 * weight11 + input72 * weight12) >> DotShift) * multiplier1 + rounding) >> FixedShift)];
                    output[output2] = table[(int)((((sumBase2 + input00 * weight20 + input01 * weight21 + input02 * weight22) >> DotShift) * multiplier2 + rounding) >> FixedShift)];
                    output[output2 + 1] = table[(int)((((sumBase2 + input10 * weight20 + input11 * weight21 + input12 * weight22) >> DotShift) * multiplier2 + rounding) >> FixedShift)];
                    output[output2 + 2] = table[(int)((((sumBase2 + input20 * weight20 + input21 * weight21 + input22 * weight22) >> DotShift) * multiplier2 + rounding) >> FixedShift)];
                    output[output2 + 3] = table[(int)((((sumBase2 + input30 * weight20 + input31 * weight21 + input32 * weight22) >> DotShift) * multiplier2 + rounding) >> FixedShift)];
                    output[output2 + 4] = table[(int)((((sumBase2 + input40 * weight20 + input41 * weight21 + input42 * weight22) >> DotShift) * multiplier2 + rounding) >> FixedShift)];
                    output[output2 + 5] = table[(int)((((sumBase2 + input50 * weight20 + input51 * weight21 + input52 * weight22) >> DotShift) * multiplier2 + rounding) >> FixedShift)];
                    output[output2 + 6] = table[(int)((((sumBase2 + input60 * weight20 + input61 * weight21 + input62 * weight22) >> DotShift) * multiplier2 + rounding) >> FixedShift)];
                    output[output2 + 7] = table[(int)((((sumBase2 + input70 * weight20 + input71 * weight21 + input72 * weight22) >> DotShift) * multiplier2 + rounding) >> FixedShift)];
                    output[output3] = table[(int)((((sumBase3 + input00 * weight30 + input01 * weight31 + input02 * weight32) >> DotShift) * multiplier3 + rounding) >> FixedShift)];
                    output[output3 + 1] = table[(int)((((sumBase3 + input10 * weight30 + input11 * weight31 + input12 * weight32) >> DotShift) * multiplier3 + rounding) >> FixedShift)];
                    output[output3 + 2] = table[(int)((((sumBase3 + input20 * weight30 + input21 * weight31 + input22 * weight32) >> DotShift) * multiplier3 + rounding) >> FixedShift)];
                    output[output3 + 3] = table[(int)((((sumBase3 + input30 * weight30 + input31 * weight31 + input32 * weight32) >> DotShift) * multiplier3 + rounding) >> FixedShift)];
                    output[output3 + 4] = table[(int)((((sumBase3 + input40 * weight30 + input41 * weight31 + input42 * weight32) >> DotShift) * multiplier3 + rounding) >> FixedShift)];
                    output[output3 + 5] = table[(int)((((sumBase3 + input50 * weight30 + input51 * weight31 + input52 * weight32) >> DotShift) * multiplier3 + rounding) >> FixedShift)];
                    output[output3 + 6] = table[(int)((((sumBase3 + input60 * weight30 + input61 * weight31 + input62 * weight32) >> DotShift) * multiplier3 + rounding) >> FixedShift)];
                    output[output3 + 7] = table[(int)((((sumBase3 + input70 * weight30 + input71 * weight31 + input72 * weight32) >> DotShift) * multiplier3 + rounding) >> FixedShift)];
                    output[output4] = table[(int)((((sumBase4 + input00 * weight40 + input01 * weight41 + input02 * weight42) >> DotShift) * multiplier4 + rounding) >> FixedShift)];
                    output[output4 + 1] = table[(int)((((sumBase4 + input10 * weight40 + input11 * weight41 + input12 * weight42) >> DotShift) * multiplier4 + rounding) >> FixedShift)];
                    output[output4 + 2] = table[(int)((((sumBase4 + input20 * weight40 + input21 * weight41 + input22 * weight42) >> DotShift) * multiplier4 + rounding) >> FixedShift)];
                    output[output4 + 3] = table[(int)((((sumBase4 + input30 * weight40 + input31 * weight41 + input32 * weight42) >> DotShift) * multiplier4 + rounding) >> FixedShift)];
                    output[output4 + 4] = table[(int)((((sumBase4 + input40 * weight40 + input41 * weight41 + input42 * weight42) >> DotShift) * multiplier4 + rounding) >> FixedShift)];
                    output[output4 + 5] = table[(int)((((sumBase4 + input50 * weight40 + input51 * weight41 + input52 * weight42) >> DotShift) * multiplier4 + rounding) >> FixedShift)];
                    output[output4 + 6] = table[(int)((((sumBase4 + input60 * weight40 + input61 * weight41 + input62 * weight42) >> DotShift) * multiplier4 + rounding) >> FixedShift)];
                    output[output4 + 7] = table[(int)((((sumBase4 + input70 * weight40 + input71 * weight41 + input72 * weight42) >> DotShift) * multiplier4 + rounding) >> FixedShift)];
                    output[output5] = table[(int)((((sumBase5 + input00 * weight50 + input01 * weight51 + input02 * weight52) >> DotShift) * multiplier5 + rounding) >> FixedShift)];
                    output[output5 + 1] = table[(int)((((sumBase5 + input10 * weight50 + input11 * weight51 + input12 * weight52) >> DotShift) * multiplier5 + rounding) >> FixedShift)];
                    output[output5 + 2] = table[(int)((((sumBase5 + input20 * weight50 + input21 * weight51 + input22 * weight52) >> DotShift) * multiplier5 + rounding) >> FixedShift)];
                    output[output5 + 3] = table[(int)((((sumBase5 + input30 * weight50 + input31 * weight51 + input32 * weight52) >> DotShift) * multiplier5 + rounding) >> FixedShift)];
                    output[output5 + 4] = table[(int)((((sumBase5 + input40 * weight50 + input41 * weight51 + input42 * weight52) >> DotShift) * multiplier5 + rounding) >> FixedShift)];
                    output[output5 + 5] = table[(int)((((sumBase5 + input50 * weight50 + input51 * weight51 + input52 * weight52) >> DotShift) * multiplier5 + rounding) >> FixedShift)];
                    output[output5 + 6] = table[(int)((((sumBase5 + input60 * weight50 + input61 * weight51 + input62 * weight52) >> DotShift) * multiplier5 + rounding) >> FixedShift)];
                    output[output5 + 7] = table[(int)((((sumBase5 + input70 * weight50 + input71 * weight51 + input72 * weight52) >> DotShift) * multiplier5 + rounding) >> FixedShift)];
                    output[output6] = table[(int)((((sumBase6 + input00 * weight60 + input01 * weight61 + input02 * weight62) >> DotShift) * multiplier6 + rounding) >> FixedShift)];
                    output[output6 + 1] = table[(int)((((sumBase6 + input10 * weight60 + input11 * weight61 + input12 * weight62) >> DotShift) * multiplier6 + rounding) >> FixedShift)];
                    output[output6 + 2] = table[(int)((((sumBase6 + input20 * weight60 + input21 * weight61 + input22 * weight62) >> DotShift) * multiplier6 + rounding) >> FixedShift)];
                    output[output6 + 3] = table[(int)((((sumBase6 + input30 * weight60 + input31 * weight61 + input32 * weight62) >> DotShift) * multiplier6 + rounding) >> FixedShift)];
                    output[output6 + 4] = table[(int)((((sumBase6 + input40 * weight60 + input41 * weight61 + input42 * weight62) >> DotShift) * multiplier6 + rounding) >> FixedShift)];
                    output[output6 + 5] = table[(int)((((sumBase6 + input50 * weight60 + input51 * weight61 + input52 * weight62) >> DotShift) * multiplier6 + rounding) >> FixedShift)];
                    output[output6 + 6] = table[(int)((((sumBase6 + input60 * weight60 + input61 * weight61 + input62 * weight62) >> DotShift) * multiplier6 + rounding) >> FixedShift)];
                    output[output6 + 7] = table[(int)((((sumBase6 + input70 * weight60 + input71 * weight61 + input72 * weight62) >> DotShift) * multiplier6 + rounding) >> FixedShift)];
                    output[output7] = table[(int)((((sumBase7 + input00 * weight70 + input01 * weight71 + input02 * weight72) >> DotShift) * multiplier7 + rounding) >> FixedShift)];
                    output[output7 + 1] = table[(int)((((sumBase7 + input10 * weight70 + input11 * weight71 + input12 * weight72) >> DotShift) * multiplier7 + rounding) >> FixedShift)];
                    output[output7 + 2] = table[(int)((((sumBase7 + input20 * weight70 + input21 * weight71 + input22 * weight72) >> DotShift) * multiplier7 + rounding) >> FixedShift)];
                    output[output7 + 3] = table[(int)((((sumBase7 + input30 * weight70 + input31 * weight71 + input32 * weight72) >> DotShift) * multiplier7 + rounding) >> FixedShift)];
                    output[output7 + 4] = table[(int)((((sumBase7 + input40 * weight70 + input41 * weight71 + input42 * weight72) >> DotShift) * multiplier7 + rounding) >> FixedShift)];
                    output[output7 + 5] = table[(int)((((sumBase7 + input50 * weight70 + input51 * weight71 + input52 * weight72) >> DotShift) * multiplier7 + rounding) >> FixedShift)];
                    output[output7 + 6] = table[(int)((((sumBase7 + input60 * weight70 + input61 * weight71 + input62 * weight72) >> DotShift) * multiplier7 + rounding) >> FixedShift)];
                    output[output7 + 7] = table[(int)((((sumBase7 + input70 * weight70 + input71 * weight71 + input72 * weight72) >> DotShift) * multiplier7 + rounding) >> FixedShift)];
                }
                else
                {
                    DumpChainTile(op, firstChannel, scratch, filterStart, offset1, offset2, dump, start0, start1, start2, start3, start4, start5, start6, start7);
                    StorePartial(op, firstChannel, dump, output0, plane, plane - position < TilePositions ? plane - position : TilePositions);
                }

                output0 += TilePositions;
            }
        }

        // A window of 6 words (one block, the bias in the lane): the 48 filter words of the group
        // in locals, each output one expression from its window's words, no sums kept.
        private static void RunTwoChains(Conv2DLanesOperator op, int firstChannel, long[] scratch, int filterStart, int offset1, int offset2, int offset3, int offset4, int offset5,
            int firstWindow, int outputWidth, int plane, int columnWords, int strideRowWords, int outputStart, int dump)
        {
            sbyte[] output = op.Output;
            sbyte[] table = op.Table;
            int channels = op.OutputChannels - firstChannel < TileChannels ? op.OutputChannels - firstChannel : TileChannels;
            bool wholeGroup = channels == TileChannels;
            int zeroIndex = op.OutputZeroPoint + op.TableZero;
            int[] multipliers = op.Multiplier;
            int[] shifts = op.Shift;
            int[] biases = op.Bias;
            int multiplierIndex = op.MultiplierOffset + firstChannel;
            int shiftIndex = op.ShiftOffset + firstChannel;
            int biasIndex = op.BiasOffset + firstChannel;
            // Channels past the output's (zero weights, outputs not stored) get multiplier 0.
            long multiplier0 = ClampTableStore.FixedMultiplier(multipliers[multiplierIndex], shifts[shiftIndex]);
            int bias0 = biases[biasIndex];
            long rounding = ClampTableStore.Rounding(FixedShift, zeroIndex);
            long multiplier1 = channels > 1 ? ClampTableStore.FixedMultiplier(multipliers[multiplierIndex + 1], shifts[shiftIndex + 1]) : 0;
            int bias1 = channels > 1 ? biases[biasIndex + 1] : 0;
            long multiplier2 = channels > 2 ? ClampTableStore.FixedMultiplier(multipliers[multiplierIndex + 2], shifts[shiftIndex + 2]) : 0;
            int bias2 = channels > 2 ? biases[biasIndex + 2] : 0;
            long multiplier3 = channels > 3 ? ClampTableStore.FixedMultiplier(multipliers[multiplierIndex + 3], shifts[shiftIndex + 3]) : 0;
            int bias3 = channels > 3 ? biases[biasIndex + 3] : 0;
            long multiplier4 = channels > 4 ? ClampTableStore.FixedMultiplier(multipliers[multiplierIndex + 4], shifts[shiftIndex + 4]) : 0;
            int bias4 = channels > 4 ? biases[biasIndex + 4] : 0;
            long multiplier5 = channels > 5 ? ClampTableStore.FixedMultiplier(multipliers[multiplierIndex + 5], shifts[shiftIndex + 5]) : 0;
            int bias5 = channels > 5 ? biases[biasIndex + 5] : 0;
            long multiplier6 = channels > 6 ? ClampTableStore.FixedMultiplier(multipliers[multiplierIndex + 6], shifts[shiftIndex + 6]) : 0;
            int bias6 = channels > 6 ? biases[biasIndex + 6] : 0;
            long multiplier7 = channels > 7 ? ClampTableStore.FixedMultiplier(multipliers[multiplierIndex + 7], shifts[shiftIndex + 7]) : 0;
            int bias7 = channels > 7 ? biases[biasIndex + 7] : 0;
            long sumBase0 = LaneBias + ((long)bias0 << DotShift);
            long sumBase1 = LaneBias + ((long)bias1 << DotShift);
            long sumBase2 = LaneBias + ((long)bias2 << DotShift);
            long sumBase3 = LaneBias + ((long)bias3 << DotShift);
            long sumBase4 = LaneBias + ((long)bias4 << DotShift);
            long sumBase5 = LaneBias + ((long)bias5 << DotShift);
            long sumBase6 = LaneBias + ((long)bias6 << DotShift);
            long sumBase7 = LaneBias + ((long)bias7 << DotShift);
            long weight00 = scratch[filterStart];
            long weight10 = scratch[filterStart + 1];
            long weight20 = scratch[filterStart + 2];
            long weight30 = scratch[filterStart + 3];
            long weight40 = scratch[filterStart + 4];
            long weight50 = scratch[filterStart + 5];
            long weight60 = scratch[filterStart + 6];
            long weight70 = scratch[filterStart + 7];
            long weight01 = scratch[filterStart + 8];
            long weight11 = scratch[filterStart + 9];
            long weight21 = scratch[filterStart + 10];
            long weight31 = scratch[filterStart + 11];
            long weight41 = scratch[filterStart + 12];
            long weight51 = scratch[filterStart + 13];
            long weight61 = scratch[filterStart + 14];
            long weight71 = scratch[filterStart + 15];
            long weight02 = scratch[filterStart + 16];
            long weight12 = scratch[filterStart + 17];
            long weight22 = scratch[filterStart + 18];
            long weight32 = scratch[filterStart + 19];
            long weight42 = scratch[filterStart + 20];
            long weight52 = scratch[filterStart + 21];
            long weight62 = scratch[filterStart + 22];
            long weight72 = scratch[filterStart + 23];
            long weight03 = scratch[filterStart + 24];
            long weight13 = scratch[filterStart + 25];
            long weight23 = scratch[filterStart + 26];
            long weight33 = scratch[filterStart + 27];
            long weight43 = scratch[filterStart + 28];
            long weight53 = scratch[filterStart + 29];
            long weight63 = scratch[filterStart + 30];
            long weight73 = scratch[filterStart + 31];
            long weight04 = scratch[filterStart + 32];
            long weight14 = scratch[filterStart + 33];
            long weight24 = scratch[filterStart + 34];
            long weight34 = scratch[filterStart + 35];
            long weight44 = scratch[filterStart + 36];
            long weight54 = scratch[filterStart + 37];
            long weight64 = scratch[filterStart + 38];
            long weight74 = scratch[filterStart + 39];
            long weight05 = scratch[filterStart + 40];
            long weight15 = scratch[filterStart + 41];
            long weight25 = scratch[filterStart + 42];
            long weight35 = scratch[filterStart + 43];
            long weight45 = scratch[filterStart + 44];
            long weight55 = scratch[filterStart + 45];
            long weight65 = scratch[filterStart + 46];
            long weight75 = scratch[filterStart + 47];
            int output0 = outputStart;
            int rowWindow = firstWindow;
            int outputX = 0;
            for (int position = 0; position < plane; position += TilePositions)
            {
                int start0 = rowWindow + outputX * columnWords;
                int start1, start2, start3, start4, start5, start6, start7;
                if (outputX + TilePositions <= outputWidth)
                {
                    // The whole tile in one output row: its windows a column stride apart.
                    start1 = start0 + columnWords;
                    start2 = start1 + columnWords;
                    start3 = start2 + columnWords;
                    start4 = start3 + columnWords;
                    start5 = start4 + columnWords;
                    start6 = start5 + columnWords;
                    start7 = start6 + columnWords;
                    outputX += TilePositions;
                    if (outputX == outputWidth)
                    {
                        outputX = 0;
                        rowWindow += strideRowWords;
                    }
                }
                else
                {
                    // The tile crosses a row end or the plane's end (positions past it read the first window).
                    start1 = WindowAt(position + 1, plane, outputWidth, firstWindow, strideRowWords, columnWords, start0);
                    start2 = WindowAt(position + 2, plane, outputWidth, firstWindow, strideRowWords, columnWords, start0);
                    start3 = WindowAt(position + 3, plane, outputWidth, firstWindow, strideRowWords, columnWords, start0);
                    start4 = WindowAt(position + 4, plane, outputWidth, firstWindow, strideRowWords, columnWords, start0);
                    start5 = WindowAt(position + 5, plane, outputWidth, firstWindow, strideRowWords, columnWords, start0);
                    start6 = WindowAt(position + 6, plane, outputWidth, firstWindow, strideRowWords, columnWords, start0);
                    start7 = WindowAt(position + 7, plane, outputWidth, firstWindow, strideRowWords, columnWords, start0);
                    int next = position + TilePositions;
                    outputX = next % outputWidth;
                    rowWindow = firstWindow + next / outputWidth * strideRowWords;
                }
                long input00 = scratch[start0], input01 = scratch[start0 + offset1], input02 = scratch[start0 + offset2], input03 = scratch[start0 + offset3], input04 = scratch[start0 + offset4], input05 = scratch[start0 + offset5];
                long input10 = scratch[start1], input11 = scratch[start1 + offset1], input12 = scratch[start1 + offset2], input13 = scratch[start1 + offset3], input14 = scratch[start1 + offset4], input15 = scratch[start1 + offset5];
                long input20 = scratch[start2], input21 = scratch[start2 + offset1], input22 = scratch[start2 + offset2], input23 = scratch[start2 + offset3], input24 = scratch[start2 + offset4], input25 = scratch[start2 + offset5];
                long input30 = scratch[start3], input31 = scratch[start3 + offset1], input32 = scratch[start3 + offset2], input33 = scratch[start3 + offset3], input34 = scratch[start3 + offset4], input35 = scratch[start3 + offset5];
                long input40 = scratch[start4], input41 = scratch[start4 + offset1], input42 = scratch[start4 + offset2], input43 = scratch[start4 + offset3], input44 = scratch[start4 + offset4], input45 = scratch[start4 + offset5];
                long input50 = scratch[start5], input51 = scratch[start5 + offset1], input52 = scratch[start5 + offset2], input53 = scratch[start5 + offset3], input54 = scratch[start5 + offset4], input55 = scratch[start5 + offset5];
                long input60 = scratch[start6], input61 = scratch[start6 + offset1], input62 = scratch[start6 + offset2], input63 = scratch[start6 + offset3], input64 = scratch[start6 + offset4], input65 = scratch[start6 + offset5];
                long input70 = scratch[start7], input71 = scratch[start7 + offset1], input72 = scratch[start7 + offset2], input73 = scratch[start7 + offset3], input74 = scratch[start7 + offset4], input75 = scratch[start7 + offset5];
                if (wholeGroup && position + TilePositions <= plane)
                {
                    int output1 = output0 + plane;
                    int output2 = output1 + plane;
                    int output3 = output2 + plane;
                    int output4 = output3 + plane;
                    int output5 = output4 + plane;
                    int output6 = output5 + plane;
                    int output7 = output6 + plane;
                    output[output0] = table[(int)((((sumBase0 + input00 * weight00 + input01 * weight01 + input02 * weight02 + input03 * weight03 + input04 * weight04 + input05 * weight05) >> DotShift) * multiplier0 + rounding) >> FixedShift)];
                    output[output0 + 1] = table[(int)((((sumBase0 + input10 * weight00 + input11 * weight01 + input12 * weight02 + input13 * weight03 + input14 * weight04 + input15 * weight05) >> DotShift) * multiplier0 + rounding) >> FixedShift)];
                    output[output0 + 2] = table[(int)((((sumBase0 + input20 * weight00 + input21 * weight01 + input22 * weight02 + input23 * weight03 + input24 * weight04 + input25 * weight05) >> DotShift) * multiplier0 + rounding) >> FixedShift)];
                    output[output0 + 3] = table[(int)((((sumBase0 + input30 * weight00 + input31 * weight01 + input32 * weight02 + input33 * weight03 + input34 * weight04 + input35 * weight05) >> DotShift) * multiplier0 + rounding) >> FixedShift)];
                    output[output0 + 4] = table[(int)((((sumBase0 + input40 * weight00 + input41 * weight01 + input42 * weight02 + input43 * weight03 + input44 * weight04 + input45 * weight05) >> DotShift) * multiplier0 + rounding) >> FixedShift)];
                    output[output0 + 5] = table[(int)((((sumBase0 + input50 * weight00 + input51 * weight01 + input52 * weight02 + input53 * weight03 + input54 * weight04 + input55 * weight05) >> DotShift) * multiplier0 + rounding) >> FixedShift)];
                    output[output0 + 6] = table[(int)((((sumBase0 + input60 * weight00 + input61 * weight01 + input62 * weight02 + input63 * weight03 + input64 * weight04 + input65 * weight05) >> DotShift) * multiplier0 + rounding) >> FixedShift)];
                    output[output0 + 7] = table[(int)((((sumBase0 + input70 * weight00 + input71 * weight01 + input72 * weight02 + input73 * weight03 + input74 * weight04 + input75 * weight05) >> DotShift) * multiplier0 + rounding) >> FixedShift)];
                    output[output1] = table[(int)((((sumBase1 + input00 * weight10 + input01 * weight11 + input02 * weight12 + input03 * weight13 + input04 * weight14 + input05 * weight15) >> DotShift) * multiplier1 + rounding) >> FixedShift)];
                    output[output1 + 1] = table[(int)((((sumBase1 + input10 * weight10 + input11 * weight11 + input12 * weight12 + input13 * weight13 + input14 * weight14 + input15 * weight15) >> DotShift) * multiplier1 + rounding) >> FixedShift)];
                    output[output1 + 2] = table[(int)((((sumBase1 + input20 * weight10 + input21 * weight11 + input22 * weight12 + input23 * weight13 + input24 * weight14 + input25 * weight15) >> DotShift) * multiplier1 + rounding) >> FixedShift)];
                    output[output1 + 3] = table[(int)((((sumBase1 + input30 * weight10 + input31 * weight11 + input32 * weight12 + input33 * weight13 + input34 * weight14 + input35 * weight15) >> DotShift) * multiplier1 + rounding) >> FixedShift)];
                    output[output1 + 4] = table[(int)((((sumBase1 + input40 * weight10 + input41 * weight11 + input42 * weight12 + input43 * weight13 + input44 * weight14 + input45 * weight15) >> DotShift) * multiplier1 + rounding) >> FixedShift)];
                    output[output1 + 5] = table[(int)((((sumBase1 + input50 * weight10 + input51 * weight11 + input52 * weight12 + input53 * weight13 + input54 * weight14 + input55 * weight15) >> DotShift) * multiplier1 + rounding) >> FixedShift)];
                    output[output1 + 6] = table[(int)((((sumBase1 + input60 * weight10 + input61 * weight11 + input62 * weight12 + input63 * weight13 + input64 * weight14 + input65 * weight15) >> DotShift) * multiplier1 + rounding) >> FixedShift)];
                    output[output1 + 7] = table[(int)((((sumBase1 + input70 * weight10 + input71 * weight11 + input72 * weight12 + input73 * weight13 + input74 * weight14 + input75 * weight15) >> DotShift) * multiplier1 + rounding) >> FixedShift)];
                    output[output2] = table[(int)((((sumBase2 + input00 * weight20 + input01 * weight21 + input02 * weight22 + input03 * weight23 + input04 * weight24 + input05 * weight25) >> DotShift) * multiplier2 + rounding) >> FixedShift)];
                    output[output2 + 1] = table[(int)((((sumBase2 + input10 * weight20 + input11 * weight21 + input12 * weight22 + input13 * weight23 + input14 * weight24 + input15 * weight25) >> DotShift) * multiplier2 + rounding) >> FixedShift)];
                    output[output2 + 2] = table[(int)((((sumBase2 + input20 * weight20 + input21 * weight21 + input22 * weight22 + input23 * weight23 + input24 * weight24 + input25 * weight25) >> DotShift) * multiplier2 + rounding) >> FixedShift)];
                    output[output2 + 3] = table[(int)((((sumBase2 + input30 * weight20 + input31 * weight21 + input32 * weight22 + input33 * weight23 + input34 * weight24 + input35 * weight25) >> DotShift) * multiplier2 + rounding) >> FixedShift)];
                    output[output2 + 4] = table[(int)((((sumBase2 + input40 * weight20 + input41 * weight21 + input42 * weight22 + input43 * weight23 + input44 * weight24 + input45 * weight25) >> DotShift) * multiplier2 + rounding) >> FixedShift)];
                    output[output2 + 5] = table[(int)((((sumBase2 + input50 * weight20 + input51 * weight21 + input52 * weight22 + input53 * weight23 + input54 * weight24 + input55 * weight25) >> DotShift) * multiplier2 + rounding) >> FixedShift)];
                    output[output2 + 6] = table[(int)((((sumBase2 + input60 * weight20 + input61 * weight21 + input62 * weight22 + input63 * weight23 + input64 * weight24 + input65 * weight25) >> DotShift) * multiplier2 + rounding) >> FixedShift)];
                    output[output2 + 7] = table[(int)((((sumBase2 + input70 * weight20 + input71 * weight21 + input72 * weight22 + input73 * weight23 + input74 * weight24 + input75 * weight25) >> DotShift) * multiplier2 + rounding) >> FixedShift)];
                    output[output3] = table[(int)((((sumBase3 + input00 * weight30 + input01 * weight31 + input02 * weight32 + input03 * weight33 + input04 * weight34 + input05 * weight35) >> DotShift) * multiplier3 + rounding) >> FixedShift)];
                    output[output3 + 1] = table[(int)((((sumBase3 + input10 * weight30 + input11 * weight31 + input12 * weight32 + input13 * weight33 + input14 * weight34 + input15 * weight35) >> DotShift) * multiplier3 + rounding) >> FixedShift)];
                    output[output3 + 2] = table[(int)((((sumBase3 + input20 * weight30 + input21 * weight31 + input22 * weight32 + input23 * weight33 + input24 * weight34 + input25 * weight35) >> DotShift) * multiplier3 + rounding) >> FixedShift)];
                    output[output3 + 3] = table[(int)((((sumBase3 + input30 * weight30 + input31 * weight31 + input32 * weight32 + input33 * weight33 + input34 * weight34 + input35 * weight35) >> DotShift) * multiplier3 + rounding) >> FixedShift)];
                    output[output3 + 4] = table[(int)((((sumBase3 + input40 * weight30 + input41 * weight31 + input42 * weight32 + input43 * weight33 + input44 * weight34 + input45 * weight35) >> DotShift) * multiplier3 + rounding) >> FixedShift)];
                    output[output3 + 5] = table[(int)((((sumBase3 + input50 * weight30 + input51 * weight31 + input52 * weight32 + input53 * weight33 + input54 * weight34 + input55 * weight35) >> DotShift) * multiplier3 + rounding) >> FixedShift)];
                    output[output3 + 6] = table[(int)((((sumBase3 + input60 * weight30 + input61 * weight31 + input62 * weight32 + input63 * weight33 + input64 * weight34 + input65 * weight35) >> DotShift) * multiplier3 + rounding) >> FixedShift)];
                    output[output3 + 7] = table[(int)((((sumBase3 + input70 * weight30 + input71 * weight31 + input72 * weight32 + input73 * weight33 + input74 * weight34 + input75 * weight35) >> DotShift) * multiplier3 + rounding) >> FixedShift)];
                    output[output4] = table[(int)((((sumBase4 + input00 * weight40 + input01 * weight41 + input02 * weight42 + input03 * weight43 + input04 * weight44 + input05 * weight45) >> DotShift) * multiplier4 + rounding) >> FixedShift)];
                    output[output4 + 1] = table[(int)((((sumBase4 + input10 * weight40 + input11 * weight41 + input12 * weight42 + input13 * weight43 + input14 * weight44 + input15 * weight45) >> DotShift) * multiplier4 + rounding) >> FixedShift)];
                    output[output4 + 2] = table[(int)((((sumBase4 + input20 * weight40 + input21 * weight41 + input22 * weight42 + input23 * weight43 + input24 * weight44 + input25 * weight45) >> DotShift) * multiplier4 + rounding) >> FixedShift)];
                    output[output4 + 3] = table[(int)((((sumBase4 + input30 * weight40 + input31 * weight41 + input32 * weight42 + input33 * weight43 + input34 * weight44 + input35 * weight45) >> DotShift) * multiplier4 + rounding) >> FixedShift)];
                    output[output4 + 4] = table[(int)((((sumBase4 + input40 * weight40 + input41 * weight41 + input42 * weight42 + input43 * weight43 + input44 * weight44 + input45 * weight45) >> DotShift) * multiplier4 + rounding) >> FixedShift)];
                    output[output4 + 5] = table[(int)((((sumBase4 + input50 * weight40 + input51 * weight41 + input52 * weight42 + input53 * weight43 + input54 * weight44 + input55 * weight45) >> DotShift) * multiplier4 + rounding) >> FixedShift)];
                    output[output4 + 6] = table[(int)((((sumBase4 + input60 * weight40 + input61 * weight41 + input62 * weight42 + input63 * weight43 + input64 * weight44 + input65 * weight45) >> DotShift) * multiplier4 + rounding) >> FixedShift)];
                    output[output4 + 7] = table[(int)((((sumBase4 + input70 * weight40 + input71 * weight41 + input72 * weight42 + input73 * weight43 + input74 * weight44 + input75 * weight45) >> DotShift) * multiplier4 + rounding) >> FixedShift)];
                    output[output5] = table[(int)((((sumBase5 + input00 * weight50 + input01 * weight51 + input02 * weight52 + input03 * weight53 + input04 * weight54 + input05 * weight55) >> DotShift) * multiplier5 + rounding) >> FixedShift)];
                    output[output5 + 1] = table[(int)((((sumBase5 + input10 * weight50 + input11 * weight51 + input12 * weight52 + input13 * weight53 + input14 * weight54 + input15 * weight55) >> DotShift) * multiplier5 + rounding) >> FixedShift)];
                    output[output5 + 2] = table[(int)((((sumBase5 + input20 * weight50 + input21 * weight51 + input22 * weight52 + input23 * weight53 + input24 * weight54 + input25 * weight55) >> DotShift) * multiplier5 + rounding) >> FixedShift)];
                    output[output5 + 3] = table[(int)((((sumBase5 + input30 * weight50 + input31 * weight51 + input32 * weight52 + input33 * weight53 + input34 * weight54 + input35 * weight55) >> DotShift) * multiplier5 + rounding) >> FixedShift)];
                    output[output5 + 4] = table[(int)((((sumBase5 + input40 * weight50 + input41 * weight51 + input42 * weight52 + input43 * weight53 + input44 * weight54 + input45 * weight55) >> DotShift) * multiplier5 + rounding) >> FixedShift)];
                    output[output5 + 5] = table[(int)((((sumBase5 + input50 * weight50 + input51 * weight51 + input52 * weight52 + input53 * weight53 + input54 * weight54 + input55 * weight55) >> DotShift) * multiplier5 + rounding) >> FixedShift)];
                    output[output5 + 6] = table[(int)((((sumBase5 + input60 * weight50 + input61 * weight51 + input62 * weight52 + input63 * weight53 + input64 * weight54 + input65 * weight55) >> DotShift) * multiplier5 + rounding) >> FixedShift)];
                    output[output5 + 7] = table[(int)((((sumBase5 + input70 * weight50 + input71 * weight51 + input72 * weight52 + input73 * weight53 + input74 * weight54 + input75 * weight55) >> DotShift) * multiplier5 + rounding) >> FixedShift)];
                    output[output6] = table[(int)((((sumBase6 + input00 * weight60 + input01 * weight61 + input02 * weight62 + input03 * weight63 + input04 * weight64 + input05 * weight65) >> DotShift) * multiplier6 + rounding) >> FixedShift)];
                    output[output6 + 1] = table[(int)((((sumBase6 + input10 * weight60 + input11 * weight61 + input12 * weight62 + input13 * weight63 + input14 * weight64 + input15 * weight65) >> DotShift) * multiplier6 + rounding) >> FixedShift)];
                    output[output6 + 2] = table[(int)((((sumBase6 + input20 * weight60 + input21 * weight61 + input22 * weight62 + input23 * weight63 + input24 * weight64 + input25 * weight65) >> DotShift) * multiplier6 + rounding) >> FixedShift)];
                    output[output6 + 3] = table[(int)((((sumBase6 + input30 * weight60 + input31 * weight61 + input32 * weight62 + input33 * weight63 + input34 * weight64 + input35 * weight65) >> DotShift) * multiplier6 + rounding) >> FixedShift)];
                    output[output6 + 4] = table[(int)((((sumBase6 + input40 * weight60 + input41 * weight61 + input42 * weight62 + input43 * weight63 + input44 * weight64 + input45 * weight65) >> DotShift) * multiplier6 + rounding) >> FixedShift)];
                    output[output6 + 5] = table[(int)((((sumBase6 + input50 * weight60 + input51 * weight61 + input52 * weight62 + input53 * weight63 + input54 * weight64 + input55 * weight65) >> DotShift) * multiplier6 + rounding) >> FixedShift)];
                    output[output6 + 6] = table[(int)((((sumBase6 + input60 * weight60 + input61 * weight61 + input62 * weight62 + input63 * weight63 + input64 * weight64 + input65 * weight65) >> DotShift) * multiplier6 + rounding) >> FixedShift)];
                    output[output6 + 7] = table[(int)((((sumBase6 + input70 * weight60 + input71 * weight61 + input72 * weight62 + input73 * weight63 + input74 * weight64 + input75 * weight65) >> DotShift) * multiplier6 + rounding) >> FixedShift)];
                    output[output7] = table[(int)((((sumBase7 + input00 * weight70 + input01 * weight71 + input02 * weight72 + input03 * weight73 + input04 * weight74 + input05 * weight75) >> DotShift) * multiplier7 + rounding) >> FixedShift)];
                    output[output7 + 1] = table[(int)((((sumBase7 + input10 * weight70 + input11 * weight71 + input12 * weight72 + input13 * weight73 + input14 * weight74 + input15 * weight75) >> DotShift) * multiplier7 + rounding) >> FixedShift)];
                    output[output7 + 2] = table[(int)((((sumBase7 + input20 * weight70 + input21 * weight71 + input22 * weight72 + input23 * weight73 + input24 * weight74 + input25 * weight75) >> DotShift) * multiplier7 + rounding) >> FixedShift)];
                    output[output7 + 3] = table[(int)((((sumBase7 + input30 * weight70 + input31 * weight71 + input32 * weight72 + input33 * weight73 + input34 * weight74 + input35 * weight75) >> DotShift) * multiplier7 + rounding) >> FixedShift)];
                    output[output7 + 4] = table[(int)((((sumBase7 + input40 * weight70 + input41 * weight71 + input42 * weight72 + input43 * weight73 + input44 * weight74 + input45 * weight75) >> DotShift) * multiplier7 + rounding) >> FixedShift)];
                    output[output7 + 5] = table[(int)((((sumBase7 + input50 * weight70 + input51 * weight71 + input52 * weight72 + input53 * weight73 + input54 * weight74 + input55 * weight75) >> DotShift) * multiplier7 + rounding) >> FixedShift)];
                    output[output7 + 6] = table[(int)((((sumBase7 + input60 * weight70 + input61 * weight71 + input62 * weight72 + input63 * weight73 + input64 * weight74 + input65 * weight75) >> DotShift) * multiplier7 + rounding) >> FixedShift)];
                    output[output7 + 7] = table[(int)((((sumBase7 + input70 * weight70 + input71 * weight71 + input72 * weight72 + input73 * weight73 + input74 * weight74 + input75 * weight75) >> DotShift) * multiplier7 + rounding) >> FixedShift)];
                }
                else
                {
                    scratch[dump + 0] = (sumBase0 + input00 * weight00 + input01 * weight01 + input02 * weight02 + input03 * weight03 + input04 * weight04 + input05 * weight05) >> DotShift;
                    scratch[dump + 1] = (sumBase1 + input00 * weight10 + input01 * weight11 + input02 * weight12 + input03 * weight13 + input04 * weight14 + input05 * weight15) >> DotShift;
                    scratch[dump + 2] = (sumBase2 + input00 * weight20 + input01 * weight21 + input02 * weight22 + input03 * weight23 + input04 * weight24 + input05 * weight25) >> DotShift;
                    scratch[dump + 3] = (sumBase3 + input00 * weight30 + input01 * weight31 + input02 * weight32 + input03 * weight33 + input04 * weight34 + input05 * weight35) >> DotShift;
                    scratch[dump + 4] = (sumBase4 + input00 * weight40 + input01 * weight41 + input02 * weight42 + input03 * weight43 + input04 * weight44 + input05 * weight45) >> DotShift;
                    scratch[dump + 5] = (sumBase5 + input00 * weight50 + input01 * weight51 + input02 * weight52 + input03 * weight53 + input04 * weight54 + input05 * weight55) >> DotShift;
                    scratch[dump + 6] = (sumBase6 + input00 * weight60 + input01 * weight61 + input02 * weight62 + input03 * weight63 + input04 * weight64 + input05 * weight65) >> DotShift;
                    scratch[dump + 7] = (sumBase7 + input00 * weight70 + input01 * weight71 + input02 * weight72 + input03 * weight73 + input04 * weight74 + input05 * weight75) >> DotShift;
                    scratch[dump + 8] = (sumBase0 + input10 * weight00 + input11 * weight01 + input12 * weight02 + input13 * weight03 + input14 * weight04 + input15 * weight05) >> DotShift;
                    scratch[dump + 9] = (sumBase1 + input10 * weight10 + input11 * weight11 + input12 * weight12 + input13 * weight13 + input14 * weight14 + input15 * weight15) >> DotShift;
                    scratch[dump + 10] = (sumBase2 + input10 * weight20 + input11 * weight21 + input12 * weight22 + input13 * weight23 + input14 * weight24 + input15 * weight25) >> DotShift;
                    scratch[dump + 11] = (sumBase3 + input10 * weight30 + input11 * weight31 + input12 * weight32 + input13 * weight33 + input14 * weight34 + input15 * weight35) >> DotShift;
                    scratch[dump + 12] = (sumBase4 + input10 * weight40 + input11 * weight41 + input12 * weight42 + input13 * weight43 + input14 * weight44 + input15 * weight45) >> DotShift;
                    scratch[dump + 13] = (sumBase5 + input10 * weight50 + input11 * weight51 + input12 * weight52 + input13 * weight53 + input14 * weight54 + input15 * weight55) >> DotShift;
                    scratch[dump + 14] = (sumBase6 + input10 * weight60 + input11 * weight61 + input12 * weight62 + input13 * weight63 + input14 * weight64 + input15 * weight65) >> DotShift;
                    scratch[dump + 15] = (sumBase7 + input10 * weight70 + input11 * weight71 + input12 * weight72 + input13 * weight73 + input14 * weight74 + input15 * weight75) >> DotShift;
                    scratch[dump + 16] = (sumBase0 + input20 * weight00 + input21 * weight01 + input22 * weight02 + input23 * weight03 + input24 * weight04 + input25 * weight05) >> DotShift;
                    scratch[dump + 17] = (sumBase1 + input20 * weight10 + input21 * weight11 + input22 * weight12 + input23 * weight13 + input24 * weight14 + input25 * weight15) >> DotShift;
                    scratch[dump + 18] = (sumBase2 + input20 * weight20 + input21 * weight21 + input22 * weight22 + input23 * weight23 + input24 * weight24 + input25 * weight25) >> DotShift;
                    scratch[dump + 19] = (sumBase3 + input20 * weight30 + input21 * weight31 + input22 * weight32 + input23 * weight33 + input24 * weight34 + input25 * weight35) >> DotShift;
                    scratch[dump + 20] = (sumBase4 + input20 * weight40 + input21 * weight41 + input22 * weight42 + input23 * weight43 + input24 * weight44 + input25 * weight45) >> DotShift;
                    scratch[dump + 21] = (sumBase5 + input20 * weight50 + input21 * weight51 + input22 * weight52 + input23 * weight53 + input24 * weight54 + input25 * weight55) >> DotShift;
                    scratch[dump + 22] = (sumBase6 + input20 * weight60 + input21 * weight61 + input22 * weight62 + input23 * weight63 + input24 * weight64 + input25 * weight65) >> DotShift;
                    scratch[dump + 23] = (sumBase7 + input20 * weight70 + input21 * weight71 + input22 * weight72 + input23 * weight73 + input24 * weight74 + input25 * weight75) >> DotShift;
                    scratch[dump + 24] = (sumBase0 + input30 * weight00 + input31 * weight01 + input32 * weight02 + input33 * weight03 + input34 * weight04 + input35 * weight05) >> DotShift;
                    scratch[dump + 25] = (sumBase1 + input30 * weight10 + input31 * weight11 + input32 * weight12 + input33 * weight13 + input34 * weight14 + input35 * weight15) >> DotShift;
                    scratch[dump + 26] = (sumBase2 + input30 * weight20 + input31 * weight21 + input32 * weight22 + input33 * weight23 + input34 * weight24 + input35 * weight25) >> DotShift;
                    scratch[dump + 27] = (sumBase3 + input30 * weight30 + input31 * weight31 + input32 * weight32 + input33 * weight33 + input34 * weight34 + input35 * weight35) >> DotShift;
                    scratch[dump + 28] = (sumBase4 + input30 * weight40 + input31 * weight41 + input32 * weight42 + input33 * weight43 + input34 * weight44 + input35 * weight45) >> DotShift;
                    scratch[dump + 29] = (sumBase5 + input30 * weight50 + input31 * weight51 + input32 * weight52 + input33 * weight53 + input34 * weight54 + input35 * weight55) >> DotShift;
                    scratch[dump + 30] = (sumBase6 + input30 * weight60 + input31 * weight61 + input32 * weight62 + input33 * weight63 + input34 * weight64 + input35 * weight65) >> DotShift;
                    scratch[dump + 31] = (sumBase7 + input30 * weight70 + input31 * weight71 + input32 * weight72 + input33 * weight73 + input34 * weight74 + input35 * weight75) >> DotShift;
                    scratch[dump + 32] = (sumBase0 + input40 * weight00 + input41 * weight01 + input42 * weight02 + input43 * weight03 + input44 * weight04 + input45 * weight05) >> DotShift;
                    scratch[dump + 33] = (sumBase1 + input40 * weight10 + input41 * weight11 + input42 * weight12 + input43 * weight13 + input44 * weight14 + input45 * weight15) >> DotShift;
                    scratch[dump + 34] = (sumBase2 + input40 * weight20 + input41 * weight21 + input42 * weight22 + input43 * weight23 + input44 * weight24 + input45 * weight25) >> DotShift;
                    scratch[dump + 35] = (sumBase3 + input40 * weight30 + input41 * weight31 + input42 * weight32 + input43 * weight33 + input44 * weight34 + input45 * weight35) >> DotShift;
                    scratch[dump + 36] = (sumBase4 + input40 * weight40 + input41 * weight41 + input42 * weight42 + input43 * weight43 + input44 * weight44 + input45 * weight45) >> DotShift;
                    scratch[dump + 37] = (sumBase5 + input40 * weight50 + input41 * weight51 + input42 * weight52 + input43 * weight53 + input44 * weight54 + input45 * weight55) >> DotShift;
                    scratch[dump + 38] = (sumBase6 + input40 * weight60 + input41 * weight61 + input42 * weight62 + input43 * weight63 + input44 * weight64 + input45 * weight65) >> DotShift;
                    scratch[dump + 39] = (sumBase7 + input40 * weight70 + input41 * weight71 + input42 * weight72 + input43 * weight73 + input44 * weight74 + input45 * weight75) >> DotShift;
                    scratch[dump + 40] = (sumBase0 + input50 * weight00 + input51 * weight01 + input52 * weight02 + input53 * weight03 + input54 * weight04 + input55 * weight05) >> DotShift;
                    scratch[dump + 41] = (sumBase1 + input50 * weight10 + input51 * weight11 + input52 * weight12 + input53 * weight13 + input54 * weight14 + input55 * weight15) >> DotShift;
                    scratch[dump + 42] = (sumBase2 + input50 * weight20 + input51 * weight21 + input52 * weight22 + input53 * weight23 + input54 * weight24 + input55 * weight25) >> DotShift;
                    scratch[dump + 43] = (sumBase3 + input50 * weight30 + input51 * weight31 + input52 * weight32 + input53 * weight33 + input54 * weight34 + input55 * weight35) >> DotShift;
                    scratch[dump + 44] = (sumBase4 + input50 * weight40 + input51 * weight41 + input52 * weight42 + input53 * weight43 + input54 * weight44 + input55 * weight45) >> DotShift;
                    scratch[dump + 45] = (sumBase5 + input50 * weight50 + input51 * weight51 + input52 * weight52 + input53 * weight53 + input54 * weight54 + input55 * weight55) >> DotShift;
                    scratch[dump + 46] = (sumBase6 + input50 * weight60 + input51 * weight61 + input52 * weight62 + input53 * weight63 + input54 * weight64 + input55 * weight65) >> DotShift;
                    scratch[dump + 47] = (sumBase7 + input50 * weight70 + input51 * weight71 + input52 * weight72 + input53 * weight73 + input54 * weight74 + input55 * weight75) >> DotShift;
                    scratch[dump + 48] = (sumBase0 + input60 * weight00 + input61 * weight01 + input62 * weight02 + input63 * weight03 + input64 * weight04 + input65 * weight05) >> DotShift;
                    scratch[dump + 49] = (sumBase1 + input60 * weight10 + input61 * weight11 + input62 * weight12 + input63 * weight13 + input64 * weight14 + input65 * weight15) >> DotShift;
                    scratch[dump + 50] = (sumBase2 + input60 * weight20 + input61 * weight21 + input62 * weight22 + input63 * weight23 + input64 * weight24 + input65 * weight25) >> DotShift;
                    scratch[dump + 51] = (sumBase3 + input60 * weight30 + input61 * weight31 + input62 * weight32 + input63 * weight33 + input64 * weight34 + input65 * weight35) >> DotShift;
                    scratch[dump + 52] = (sumBase4 + input60 * weight40 + input61 * weight41 + input62 * weight42 + input63 * weight43 + input64 * weight44 + input65 * weight45) >> DotShift;
                    scratch[dump + 53] = (sumBase5 + input60 * weight50 + input61 * weight51 + input62 * weight52 + input63 * weight53 + input64 * weight54 + input65 * weight55) >> DotShift;
                    scratch[dump + 54] = (sumBase6 + input60 * weight60 + input61 * weight61 + input62 * weight62 + input63 * weight63 + input64 * weight64 + input65 * weight65) >> DotShift;
                    scratch[dump + 55] = (sumBase7 + input60 * weight70 + input61 * weight71 + input62 * weight72 + input63 * weight73 + input64 * weight74 + input65 * weight75) >> DotShift;
                    scratch[dump + 56] = (sumBase0 + input70 * weight00 + input71 * weight01 + input72 * weight02 + input73 * weight03 + input74 * weight04 + input75 * weight05) >> DotShift;
                    scratch[dump + 57] = (sumBase1 + input70 * weight10 + input71 * weight11 + input72 * weight12 + input73 * weight13 + input74 * weight14 + input75 * weight15) >> DotShift;
                    scratch[dump + 58] = (sumBase2 + input70 * weight20 + input71 * weight21 + input72 * weight22 + input73 * weight23 + input74 * weight24 + input75 * weight25) >> DotShift;
                    scratch[dump + 59] = (sumBase3 + input70 * weight30 + input71 * weight31 + input72 * weight32 + input73 * weight33 + input74 * weight34 + input75 * weight35) >> DotShift;
                    scratch[dump + 60] = (sumBase4 + input70 * weight40 + input71 * weight41 + input72 * weight42 + input73 * weight43 + input74 * weight44 + input75 * weight45) >> DotShift;
                    scratch[dump + 61] = (sumBase5 + input70 * weight50 + input71 * weight51 + input72 * weight52 + input73 * weight53 + input74 * weight54 + input75 * weight55) >> DotShift;
                    scratch[dump + 62] = (sumBase6 + input70 * weight60 + input71 * weight61 + input72 * weight62 + input73 * weight63 + input74 * weight64 + input75 * weight65) >> DotShift;
                    scratch[dump + 63] = (sumBase7 + input70 * weight70 + input71 * weight71 + input72 * weight72 + input73 * weight73 + input74 * weight74 + input75 * weight75) >> DotShift;
                    StorePartial(op, firstChannel, dump, output0, plane, plane - position < TilePositions ? plane - position : TilePositions);
                }

                output0 += TilePositions;
            }
        }

        // A window of one block whose channels' biases fit the dot field: the sums start from
        // 2^42 + bias·2^43 and their fields are the accumulators.
        private static void RunFolded(Conv2DLanesOperator op, int firstChannel, long[] scratch, int filterStart, int windowRows, int rowWords, int wordStep,
            int rowStride, int firstWindow, int outputWidth, int plane, int columnWords, int strideRowWords, int outputStart, int dump)
        {
            sbyte[] output = op.Output;
            sbyte[] table = op.Table;
            int rowSpan = rowWords * wordStep;
            int channels = op.OutputChannels - firstChannel < TileChannels ? op.OutputChannels - firstChannel : TileChannels;
            bool wholeGroup = channels == TileChannels;
            int zeroIndex = op.OutputZeroPoint + op.TableZero;
            int[] multipliers = op.Multiplier;
            int[] shifts = op.Shift;
            int[] biases = op.Bias;
            int multiplierIndex = op.MultiplierOffset + firstChannel;
            int shiftIndex = op.ShiftOffset + firstChannel;
            int biasIndex = op.BiasOffset + firstChannel;
            // Channels past the output's (zero weights, outputs not stored) take channel 0's shift.
            long multiplier0 = multipliers[multiplierIndex];
            int shift0 = 31 - shifts[shiftIndex];
            int bias0 = biases[biasIndex];
            long rounding0 = ClampTableStore.Rounding(shift0, zeroIndex);
            long multiplier1 = channels > 1 ? multipliers[multiplierIndex + 1] : 0;
            int shift1 = channels > 1 ? 31 - shifts[shiftIndex + 1] : shift0;
            int bias1 = channels > 1 ? biases[biasIndex + 1] : 0;
            long rounding1 = ClampTableStore.Rounding(shift1, zeroIndex);
            long multiplier2 = channels > 2 ? multipliers[multiplierIndex + 2] : 0;
            int shift2 = channels > 2 ? 31 - shifts[shiftIndex + 2] : shift0;
            int bias2 = channels > 2 ? biases[biasIndex + 2] : 0;
            long rounding2 = ClampTableStore.Rounding(shift2, zeroIndex);
            long multiplier3 = channels > 3 ? multipliers[multiplierIndex + 3] : 0;
            int shift3 = channels > 3 ? 31 - shifts[shiftIndex + 3] : shift0;
            int bias3 = channels > 3 ? biases[biasIndex + 3] : 0;
            long rounding3 = ClampTableStore.Rounding(shift3, zeroIndex);
            long multiplier4 = channels > 4 ? multipliers[multiplierIndex + 4] : 0;
            int shift4 = channels > 4 ? 31 - shifts[shiftIndex + 4] : shift0;
            int bias4 = channels > 4 ? biases[biasIndex + 4] : 0;
            long rounding4 = ClampTableStore.Rounding(shift4, zeroIndex);
            long multiplier5 = channels > 5 ? multipliers[multiplierIndex + 5] : 0;
            int shift5 = channels > 5 ? 31 - shifts[shiftIndex + 5] : shift0;
            int bias5 = channels > 5 ? biases[biasIndex + 5] : 0;
            long rounding5 = ClampTableStore.Rounding(shift5, zeroIndex);
            long multiplier6 = channels > 6 ? multipliers[multiplierIndex + 6] : 0;
            int shift6 = channels > 6 ? 31 - shifts[shiftIndex + 6] : shift0;
            int bias6 = channels > 6 ? biases[biasIndex + 6] : 0;
            long rounding6 = ClampTableStore.Rounding(shift6, zeroIndex);
            long multiplier7 = channels > 7 ? multipliers[multiplierIndex + 7] : 0;
            int shift7 = channels > 7 ? 31 - shifts[shiftIndex + 7] : shift0;
            int bias7 = channels > 7 ? biases[biasIndex + 7] : 0;
            long rounding7 = ClampTableStore.Rounding(shift7, zeroIndex);
            long sumBase0 = LaneBias + ((long)bias0 << DotShift), sumBase1 = LaneBias + ((long)bias1 << DotShift);
            long sumBase2 = LaneBias + ((long)bias2 << DotShift), sumBase3 = LaneBias + ((long)bias3 << DotShift);
            long sumBase4 = LaneBias + ((long)bias4 << DotShift), sumBase5 = LaneBias + ((long)bias5 << DotShift);
            long sumBase6 = LaneBias + ((long)bias6 << DotShift), sumBase7 = LaneBias + ((long)bias7 << DotShift);
            int output0 = outputStart;
            int rowWindow = firstWindow;
            int outputX = 0;
            for (int position = 0; position < plane; position += TilePositions)
            {
                int start0 = rowWindow + outputX * columnWords;
                int start1, start2, start3, start4, start5, start6, start7;
                if (outputX + TilePositions <= outputWidth)
                {
                    // The whole tile in one output row: its windows a column stride apart.
                    start1 = start0 + columnWords;
                    start2 = start1 + columnWords;
                    start3 = start2 + columnWords;
                    start4 = start3 + columnWords;
                    start5 = start4 + columnWords;
                    start6 = start5 + columnWords;
                    start7 = start6 + columnWords;
                    outputX += TilePositions;
                    if (outputX == outputWidth)
                    {
                        outputX = 0;
                        rowWindow += strideRowWords;
                    }
                }
                else
                {
                    // The tile crosses a row end or the plane's end (positions past it read the first window).
                    start1 = WindowAt(position + 1, plane, outputWidth, firstWindow, strideRowWords, columnWords, start0);
                    start2 = WindowAt(position + 2, plane, outputWidth, firstWindow, strideRowWords, columnWords, start0);
                    start3 = WindowAt(position + 3, plane, outputWidth, firstWindow, strideRowWords, columnWords, start0);
                    start4 = WindowAt(position + 4, plane, outputWidth, firstWindow, strideRowWords, columnWords, start0);
                    start5 = WindowAt(position + 5, plane, outputWidth, firstWindow, strideRowWords, columnWords, start0);
                    start6 = WindowAt(position + 6, plane, outputWidth, firstWindow, strideRowWords, columnWords, start0);
                    start7 = WindowAt(position + 7, plane, outputWidth, firstWindow, strideRowWords, columnWords, start0);
                    int next = position + TilePositions;
                    outputX = next % outputWidth;
                    rowWindow = firstWindow + next / outputWidth * strideRowWords;
                }
                long sum00 = sumBase0, sum01 = sumBase1, sum02 = sumBase2, sum03 = sumBase3, sum04 = sumBase4, sum05 = sumBase5, sum06 = sumBase6, sum07 = sumBase7;
                long sum10 = sumBase0, sum11 = sumBase1, sum12 = sumBase2, sum13 = sumBase3, sum14 = sumBase4, sum15 = sumBase5, sum16 = sumBase6, sum17 = sumBase7;
                long sum20 = sumBase0, sum21 = sumBase1, sum22 = sumBase2, sum23 = sumBase3, sum24 = sumBase4, sum25 = sumBase5, sum26 = sumBase6, sum27 = sumBase7;
                long sum30 = sumBase0, sum31 = sumBase1, sum32 = sumBase2, sum33 = sumBase3, sum34 = sumBase4, sum35 = sumBase5, sum36 = sumBase6, sum37 = sumBase7;
                long sum40 = sumBase0, sum41 = sumBase1, sum42 = sumBase2, sum43 = sumBase3, sum44 = sumBase4, sum45 = sumBase5, sum46 = sumBase6, sum47 = sumBase7;
                long sum50 = sumBase0, sum51 = sumBase1, sum52 = sumBase2, sum53 = sumBase3, sum54 = sumBase4, sum55 = sumBase5, sum56 = sumBase6, sum57 = sumBase7;
                long sum60 = sumBase0, sum61 = sumBase1, sum62 = sumBase2, sum63 = sumBase3, sum64 = sumBase4, sum65 = sumBase5, sum66 = sumBase6, sum67 = sumBase7;
                long sum70 = sumBase0, sum71 = sumBase1, sum72 = sumBase2, sum73 = sumBase3, sum74 = sumBase4, sum75 = sumBase5, sum76 = sumBase6, sum77 = sumBase7;
                int filterIndex = filterStart;
                int rowBase = 0;
                for (int windowRow = 0; windowRow < windowRows; windowRow++)
                {
                    int k = rowBase;
                    int rowEnd = rowBase + rowSpan;
                    while (k < rowEnd)
                    {
                        // Three words of each window, three filter words of each channel: 192 products.
                        int k1 = k + wordStep;
                        int k2 = k1 + wordStep;
                        long input00 = scratch[start0 + k], input01 = scratch[start0 + k1], input02 = scratch[start0 + k2];
                        long input10 = scratch[start1 + k], input11 = scratch[start1 + k1], input12 = scratch[start1 + k2];
                        long input20 = scratch[start2 + k], input21 = scratch[start2 + k1], input22 = scratch[start2 + k2];
                        long input30 = scratch[start3 + k], input31 = scratch[start3 + k1], input32 = scratch[start3 + k2];
                        long input40 = scratch[start4 + k], input41 = scratch[start4 + k1], input42 = scratch[start4 + k2];
                        long input50 = scratch[start5 + k], input51 = scratch[start5 + k1], input52 = scratch[start5 + k2];
                        long input60 = scratch[start6 + k], input61 = scratch[start6 + k1], input62 = scratch[start6 + k2];
                        long input70 = scratch[start7 + k], input71 = scratch[start7 + k1], input72 = scratch[start7 + k2];
                        long weight0 = scratch[filterIndex], weight1 = scratch[filterIndex + 8], weight2 = scratch[filterIndex + 16];
                        sum00 += input00 * weight0 + input01 * weight1 + input02 * weight2;
                        sum10 += input10 * weight0 + input11 * weight1 + input12 * weight2;
                        sum20 += input20 * weight0 + input21 * weight1 + input22 * weight2;
                        sum30 += input30 * weight0 + input31 * weight1 + input32 * weight2;
                        sum40 += input40 * weight0 + input41 * weight1 + input42 * weight2;
                        sum50 += input50 * weight0 + input51 * weight1 + input52 * weight2;
                        sum60 += input60 * weight0 + input61 * weight1 + input62 * weight2;
                        sum70 += input70 * weight0 + input71 * weight1 + input72 * weight2;
                        weight0 = scratch[filterIndex + 1];
                        weight1 = scratch[filterIndex + 9];
                        weight2 = scratch[filterIndex + 17];
                        sum01 += input00 * weight0 + input01 * weight1 + input02 * weight2;
                        sum11 += input10 * weight0 + input11 * weight1 + input12 * weight2;
                        sum21 += input20 * weight0 + input21 * weight1 + input22 * weight2;
                        sum31 += input30 * weight0 + input31 * weight1 + input32 * weight2;
                        sum41 += input40 * weight0 + input41 * weight1 + input42 * weight2;
                        sum51 += input50 * weight0 + input51 * weight1 + input52 * weight2;
                        sum61 += input60 * weight0 + input61 * weight1 + input62 * weight2;
                        sum71 += input70 * weight0 + input71 * weight1 + input72 * weight2;
                        weight0 = scratch[filterIndex + 2];
                        weight1 = scratch[filterIndex + 10];
                        weight2 = scratch[filterIndex + 18];
                        sum02 += input00 * weight0 + input01 * weight1 + input02 * weight2;
                        sum12 += input10 * weight0 + input11 * weight1 + input12 * weight2;
                        sum22 += input20 * weight0 + input21 * weight1 + input22 * weight2;
                        sum32 += input30 * weight0 + input31 * weight1 + input32 * weight2;
                        sum42 += input40 * weight0 + input41 * weight1 + input42 * weight2;
                        sum52 += input50 * weight0 + input51 * weight1 + input52 * weight2;
                        sum62 += input60 * weight0 + input61 * weight1 + input62 * weight2;
                        sum72 += input70 * weight0 + input71 * weight1 + input72 * weight2;
                        weight0 = scratch[filterIndex + 3];
                        weight1 = scratch[filterIndex + 11];
                        weight2 = scratch[filterIndex + 19];
                        sum03 += input00 * weight0 + input01 * weight1 + input02 * weight2;
                        sum13 += input10 * weight0 + input11 * weight1 + input12 * weight2;
                        sum23 += input20 * weight0 + input21 * weight1 + input22 * weight2;
                        sum33 += input30 * weight0 + input31 * weight1 + input32 * weight2;
                        sum43 += input40 * weight0 + input41 * weight1 + input42 * weight2;
                        sum53 += input50 * weight0 + input51 * weight1 + input52 * weight2;
                        sum63 += input60 * weight0 + input61 * weight1 + input62 * weight2;
                        sum73 += input70 * weight0 + input71 * weight1 + input72 * weight2;
                        weight0 = scratch[filterIndex + 4];
                        weight1 = scratch[filterIndex + 12];
                        weight2 = scratch[filterIndex + 20];
                        sum04 += input00 * weight0 + input01 * weight1 + input02 * weight2;
                        sum14 += input10 * weight0 + input11 * weight1 + input12 * weight2;
                        sum24 += input20 * weight0 + input21 * weight1 + input22 * weight2;
                        sum34 += input30 * weight0 + input31 * weight1 + input32 * weight2;
                        sum44 += input40 * weight0 + input41 * weight1 + input42 * weight2;
                        sum54 += input50 * weight0 + input51 * weight1 + input52 * weight2;
                        sum64 += input60 * weight0 + input61 * weight1 + input62 * weight2;
                        sum74 += input70 * weight0 + input71 * weight1 + input72 * weight2;
                        weight0 = scratch[filterIndex + 5];
                        weight1 = scratch[filterIndex + 13];
                        weight2 = scratch[filterIndex + 21];
                        sum05 += input00 * weight0 + input01 * weight1 + input02 * weight2;
                        sum15 += input10 * weight0 + input11 * weight1 + input12 * weight2;
                        sum25 += input20 * weight0 + input21 * weight1 + input22 * weight2;
                        sum35 += input30 * weight0 + input31 * weight1 + input32 * weight2;
                        sum45 += input40 * weight0 + input41 * weight1 + input42 * weight2;
                        sum55 += input50 * weight0 + input51 * weight1 + input52 * weight2;
                        sum65 += input60 * weight0 + input61 * weight1 + input62 * weight2;
                        sum75 += input70 * weight0 + input71 * weight1 + input72 * weight2;
                        weight0 = scratch[filterIndex + 6];
                        weight1 = scratch[filterIndex + 14];
                        weight2 = scratch[filterIndex + 22];
                        sum06 += input00 * weight0 + input01 * weight1 + input02 * weight2;
                        sum16 += input10 * weight0 + input11 * weight1 + input12 * weight2;
                        sum26 += input20 * weight0 + input21 * weight1 + input22 * weight2;
                        sum36 += input30 * weight0 + input31 * weight1 + input32 * weight2;
                        sum46 += input40 * weight0 + input41 * weight1 + input42 * weight2;
                        sum56 += input50 * weight0 + input51 * weight1 + input52 * weight2;
                        sum66 += input60 * weight0 + input61 * weight1 + input62 * weight2;
                        sum76 += input70 * weight0 + input71 * weight1 + input72 * weight2;
                        weight0 = scratch[filterIndex + 7];
                        weight1 = scratch[filterIndex + 15];
                        weight2 = scratch[filterIndex + 23];
                        sum07 += input00 * weight0 + input01 * weight1 + input02 * weight2;
                        sum17 += input10 * weight0 + input11 * weight1 + input12 * weight2;
                        sum27 += input20 * weight0 + input21 * weight1 + input22 * weight2;
                        sum37 += input30 * weight0 + input31 * weight1 + input32 * weight2;
                        sum47 += input40 * weight0 + input41 * weight1 + input42 * weight2;
                        sum57 += input50 * weight0 + input51 * weight1 + input52 * weight2;
                        sum67 += input60 * weight0 + input61 * weight1 + input62 * weight2;
                        sum77 += input70 * weight0 + input71 * weight1 + input72 * weight2;
                        filterIndex += ChainFilterWords;
                        k = k2 + wordStep;
                    }

                    rowBase += rowStride;
                }

                if (wholeGroup && position + TilePositions <= plane)
                {
                    int output1 = output0 + plane;
                    int output2 = output1 + plane;
                    int output3 = output2 + plane;
                    int output4 = output3 + plane;
                    int output5 = output4 + plane;
                    int output6 = output5 + plane;
                    int output7 = output6 + plane;
                    output[output0] = table[(int)(((sum00 >> DotShift) * multiplier0 + rounding0) >> shift0)];
                    output[output0 + 1] = table[(int)(((sum10 >> DotShift) * multiplier0 + rounding0) >> shift0)];
                    output[output0 + 2] = table[(int)(((sum20 >> DotShift) * multiplier0 + rounding0) >> shift0)];
                    output[output0 + 3] = table[(int)(((sum30 >> DotShift) * multiplier0 + rounding0) >> shift0)];
                    output[output0 + 4] = table[(int)(((sum40 >> DotShift) * multiplier0 + rounding0) >> shift0)];
                    output[output0 + 5] = table[(int)(((sum50 >> DotShift) * multiplier0 + rounding0) >> shift0)];
                    output[output0 + 6] = table[(int)(((sum60 >> DotShift) * multiplier0 + rounding0) >> shift0)];
                    output[output0 + 7] = table[(int)(((sum70 >> DotShift) * multiplier0 + rounding0) >> shift0)];
                    output[output1] = table[(int)(((sum01 >> DotShift) * multiplier1 + rounding1) >> shift1)];
                    output[output1 + 1] = table[(int)(((sum11 >> DotShift) * multiplier1 + rounding1) >> shift1)];
                    output[output1 + 2] = table[(int)(((sum21 >> DotShift) * multiplier1 + rounding1) >> shift1)];
                    output[output1 + 3] = table[(int)(((sum31 >> DotShift) * multiplier1 + rounding1) >> shift1)];
                    output[output1 + 4] = table[(int)(((sum41 >> DotShift) * multiplier1 + rounding1) >> shift1)];
                    output[output1 + 5] = table[(int)(((sum51 >> DotShift) * multiplier1 + rounding1) >> shift1)];
                    output[output1 + 6] = table[(int)(((sum61 >> DotShift) * multiplier1 + rounding1) >> shift1)];
                    output[output1 + 7] = table[(int)(((sum71 >> DotShift) * multiplier1 + rounding1) >> shift1)];
                    output[output2] = table[(int)(((sum02 >> DotShift) * multiplier2 + rounding2) >> shift2)];
                    output[output2 + 1] = table[(int)(((sum12 >> DotShift) * multiplier2 + rounding2) >> shift2)];
                    output[output2 + 2] = table[(int)(((sum22 >> DotShift) * multiplier2 + rounding2) >> shift2)];
                    output[output2 + 3] = table[(int)(((sum32 >> DotShift) * multiplier2 + rounding2) >> shift2)];
                    output[output2 + 4] = table[(int)(((sum42 >> DotShift) * multiplier2 + rounding2) >> shift2)];
                    output[output2 + 5] = table[(int)(((sum52 >> DotShift) * multiplier2 + rounding2) >> shift2)];
                    output[output2 + 6] = table[(int)(((sum62 >> DotShift) * multiplier2 + rounding2) >> shift2)];
                    output[output2 + 7] = table[(int)(((sum72 >> DotShift) * multiplier2 + rounding2) >> shift2)];
                    output[output3] = table[(int)(((sum03 >> DotShift) * multiplier3 + rounding3) >> shift3)];
                    output[output3 + 1] = table[(int)(((sum13 >> DotShift) * multiplier3 + rounding3) >> shift3)];
                    output[output3 + 2] = table[(int)(((sum23 >> DotShift) * multiplier3 + rounding3) >> shift3)];
                    output[output3 + 3] = table[(int)(((sum33 >> DotShift) * multiplier3 + rounding3) >> shift3)];
                    output[output3 + 4] = table[(int)(((sum43 >> DotShift) * multiplier3 + rounding3) >> shift3)];
                    output[output3 + 5] = table[(int)(((sum53 >> DotShift) * multiplier3 + rounding3) >> shift3)];
                    output[output3 + 6] = table[(int)(((sum63 >> DotShift) * multiplier3 + rounding3) >> shift3)];
                    output[output3 + 7] = table[(int)(((sum73 >> DotShift) * multiplier3 + rounding3) >> shift3)];
                    output[output4] = table[(int)(((sum04 >> DotShift) * multiplier4 + rounding4) >> shift4)];
                    output[output4 + 1] = table[(int)(((sum14 >> DotShift) * multiplier4 + rounding4) >> shift4)];
                    output[output4 + 2] = table[(int)(((sum24 >> DotShift) * multiplier4 + rounding4) >> shift4)];
                    output[output4 + 3] = table[(int)(((sum34 >> DotShift) * multiplier4 + rounding4) >> shift4)];
                    output[output4 + 4] = table[(int)(((sum44 >> DotShift) * multiplier4 + rounding4) >> shift4)];
                    output[output4 + 5] = table[(int)(((sum54 >> DotShift) * multiplier4 + rounding4) >> shift4)];
                    output[output4 + 6] = table[(int)(((sum64 >> DotShift) * multiplier4 + rounding4) >> shift4)];
                    output[output4 + 7] = table[(int)(((sum74 >> DotShift) * multiplier4 + rounding4) >> shift4)];
                    output[output5] = table[(int)(((sum05 >> DotShift) * multiplier5 + rounding5) >> shift5)];
                    output[output5 + 1] = table[(int)(((sum15 >> DotShift) * multiplier5 + rounding5) >> shift5)];
                    output[output5 + 2] = table[(int)(((sum25 >> DotShift) * multiplier5 + rounding5) >> shift5)];
                    output[output5 + 3] = table[(int)(((sum35 >> DotShift) * multiplier5 + rounding5) >> shift5)];
                    output[output5 + 4] = table[(int)(((sum45 >> DotShift) * multiplier5 + rounding5) >> shift5)];
                    output[output5 + 5] = table[(int)(((sum55 >> DotShift) * multiplier5 + rounding5) >> shift5)];
                    output[output5 + 6] = table[(int)(((sum65 >> DotShift) * multiplier5 + rounding5) >> shift5)];
                    output[output5 + 7] = table[(int)(((sum75 >> DotShift) * multiplier5 + rounding5) >> shift5)];
                    output[output6] = table[(int)(((sum06 >> DotShift) * multiplier6 + rounding6) >> shift6)];
                    output[output6 + 1] = table[(int)(((sum16 >> DotShift) * multiplier6 + rounding6) >> shift6)];
                    output[output6 + 2] = table[(int)(((sum26 >> DotShift) * multiplier6 + rounding6) >> shift6)];
                    output[output6 + 3] = table[(int)(((sum36 >> DotShift) * multiplier6 + rounding6) >> shift6)];
                    output[output6 + 4] = table[(int)(((sum46 >> DotShift) * multiplier6 + rounding6) >> shift6)];
                    output[output6 + 5] = table[(int)(((sum56 >> DotShift) * multiplier6 + rounding6) >> shift6)];
                    output[output6 + 6] = table[(int)(((sum66 >> DotShift) * multiplier6 + rounding6) >> shift6)];
                    output[output6 + 7] = table[(int)(((sum76 >> DotShift) * multiplier6 + rounding6) >> shift6)];
                    output[output7] = table[(int)(((sum07 >> DotShift) * multiplier7 + rounding7) >> shift7)];
                    output[output7 + 1] = table[(int)(((sum17 >> DotShift) * multiplier7 + rounding7) >> shift7)];
                    output[output7 + 2] = table[(int)(((sum27 >> DotShift) * multiplier7 + rounding7) >> shift7)];
                    output[output7 + 3] = table[(int)(((sum37 >> DotShift) * multiplier7 + rounding7) >> shift7)];
                    output[output7 + 4] = table[(int)(((sum47 >> DotShift) * multiplier7 + rounding7) >> shift7)];
                    output[output7 + 5] = table[(int)(((sum57 >> DotShift) * multiplier7 + rounding7) >> shift7)];
                    output[output7 + 6] = table[(int)(((sum67 >> DotShift) * multiplier7 + rounding7) >> shift7)];
                    output[output7 + 7] = table[(int)(((sum77 >> DotShift) * multiplier7 + rounding7) >> shift7)];
                }
                else
                {
                    scratch[dump + 0] = sum00 >> DotShift;
                    scratch[dump + 1] = sum01 >> DotShift;
                    scratch[dump + 2] = sum02 >> DotShift;
                    scratch[dump + 3] = sum03 >> DotShift;
                    scratch[dump + 4] = sum04 >> DotShift;
                    scratch[dump + 5] = sum05 >> DotShift;
                    scratch[dump + 6] = sum06 >> DotShift;
                    scratch[dump + 7] = sum07 >> DotShift;
                    scratch[dump + 8] = sum10 >> DotShift;
                    scratch[dump + 9] = sum11 >> DotShift;
                    scratch[dump + 10] = sum12 >> DotShift;
                    scratch[dump + 11] = sum13 >> DotShift;
                    scratch[dump + 12] = sum14 >> DotShift;
                    scratch[dump + 13] = sum15 >> DotShift;
                    scratch[dump + 14] = sum16 >> DotShift;
                    scratch[dump + 15] = sum17 >> DotShift;
                    scratch[dump + 16] = sum20 >> DotShift;
                    scratch[dump + 17] = sum21 >> DotShift;
                    scratch[dump + 18] = sum22 >> DotShift;
                    scratch[dump + 19] = sum23 >> DotShift;
                    scratch[dump + 20] = sum24 >> DotShift;
                    scratch[dump + 21] = sum25 >> DotShift;
                    scratch[dump + 22] = sum26 >> DotShift;
                    scratch[dump + 23] = sum27 >> DotShift;
                    scratch[dump + 24] = sum30 >> DotShift;
                    scratch[dump + 25] = sum31 >> DotShift;
                    scratch[dump + 26] = sum32 >> DotShift;
                    scratch[dump + 27] = sum33 >> DotShift;
                    scratch[dump + 28] = sum34 >> DotShift;
                    scratch[dump + 29] = sum35 >> DotShift;
                    scratch[dump + 30] = sum36 >> DotShift;
                    scratch[dump + 31] = sum37 >> DotShift;
                    scratch[dump + 32] = sum40 >> DotShift;
                    scratch[dump + 33] = sum41 >> DotShift;
                    scratch[dump + 34] = sum42 >> DotShift;
                    scratch[dump + 35] = sum43 >> DotShift;
                    scratch[dump + 36] = sum44 >> DotShift;
                    scratch[dump + 37] = sum45 >> DotShift;
                    scratch[dump + 38] = sum46 >> DotShift;
                    scratch[dump + 39] = sum47 >> DotShift;
                    scratch[dump + 40] = sum50 >> DotShift;
                    scratch[dump + 41] = sum51 >> DotShift;
                    scratch[dump + 42] = sum52 >> DotShift;
                    scratch[dump + 43] = sum53 >> DotShift;
                    scratch[dump + 44] = sum54 >> DotShift;
                    scratch[dump + 45] = sum55 >> DotShift;
                    scratch[dump + 46] = sum56 >> DotShift;
                    scratch[dump + 47] = sum57 >> DotShift;
                    scratch[dump + 48] = sum60 >> DotShift;
                    scratch[dump + 49] = sum61 >> DotShift;
                    scratch[dump + 50] = sum62 >> DotShift;
                    scratch[dump + 51] = sum63 >> DotShift;
                    scratch[dump + 52] = sum64 >> DotShift;
                    scratch[dump + 53] = sum65 >> DotShift;
                    scratch[dump + 54] = sum66 >> DotShift;
                    scratch[dump + 55] = sum67 >> DotShift;
                    scratch[dump + 56] = sum70 >> DotShift;
                    scratch[dump + 57] = sum71 >> DotShift;
                    scratch[dump + 58] = sum72 >> DotShift;
                    scratch[dump + 59] = sum73 >> DotShift;
                    scratch[dump + 60] = sum74 >> DotShift;
                    scratch[dump + 61] = sum75 >> DotShift;
                    scratch[dump + 62] = sum76 >> DotShift;
                    scratch[dump + 63] = sum77 >> DotShift;
                    StorePartial(op, firstChannel, dump, output0, plane, plane - position < TilePositions ? plane - position : TilePositions);
                }

                output0 += TilePositions;
            }
        }

        // Any window: blocks of at most 21 words (whole rows, or a long row in pieces), each
        // block's fields added to int32 accumulators that start at the bias.
        private static void RunBlocks(Conv2DLanesOperator op, int firstChannel, long[] scratch, int filterStart, int windowRows, int rowWords, int wordStep,
            int rowStride, int firstWindow, int outputWidth, int plane, int columnWords, int strideRowWords, int outputStart, int dump)
        {
            sbyte[] output = op.Output;
            sbyte[] table = op.Table;
            int rowsPerBlock = rowWords <= BlockWords ? BlockWords / rowWords : 1;
            int channels = op.OutputChannels - firstChannel < TileChannels ? op.OutputChannels - firstChannel : TileChannels;
            bool wholeGroup = channels == TileChannels;
            int zeroIndex = op.OutputZeroPoint + op.TableZero;
            int[] multipliers = op.Multiplier;
            int[] shifts = op.Shift;
            int[] biases = op.Bias;
            int multiplierIndex = op.MultiplierOffset + firstChannel;
            int shiftIndex = op.ShiftOffset + firstChannel;
            int biasIndex = op.BiasOffset + firstChannel;
            // Channels past the output's (zero weights, outputs not stored) take channel 0's shift.
            long multiplier0 = multipliers[multiplierIndex];
            int shift0 = 31 - shifts[shiftIndex];
            int bias0 = biases[biasIndex];
            long rounding0 = ClampTableStore.Rounding(shift0, zeroIndex);
            long multiplier1 = channels > 1 ? multipliers[multiplierIndex + 1] : 0;
            int shift1 = channels > 1 ? 31 - shifts[shiftIndex + 1] : shift0;
            int bias1 = channels > 1 ? biases[biasIndex + 1] : 0;
            long rounding1 = ClampTableStore.Rounding(shift1, zeroIndex);
            long multiplier2 = channels > 2 ? multipliers[multiplierIndex + 2] : 0;
            int shift2 = channels > 2 ? 31 - shifts[shiftIndex + 2] : shift0;
            int bias2 = channels > 2 ? biases[biasIndex + 2] : 0;
            long rounding2 = ClampTableStore.Rounding(shift2, zeroIndex);
            long multiplier3 = channels > 3 ? multipliers[multiplierIndex + 3] : 0;
            int shift3 = channels > 3 ? 31 - shifts[shiftIndex + 3] : shift0;
            int bias3 = channels > 3 ? biases[biasIndex + 3] : 0;
            long rounding3 = ClampTableStore.Rounding(shift3, zeroIndex);
            long multiplier4 = channels > 4 ? multipliers[multiplierIndex + 4] : 0;
            int shift4 = channels > 4 ? 31 - shifts[shiftIndex + 4] : shift0;
            int bias4 = channels > 4 ? biases[biasIndex + 4] : 0;
            long rounding4 = ClampTableStore.Rounding(shift4, zeroIndex);
            long multiplier5 = channels > 5 ? multipliers[multiplierIndex + 5] : 0;
            int shift5 = channels > 5 ? 31 - shifts[shiftIndex + 5] : shift0;
            int bias5 = channels > 5 ? biases[biasIndex + 5] : 0;
            long rounding5 = ClampTableStore.Rounding(shift5, zeroIndex);
            long multiplier6 = channels > 6 ? multipliers[multiplierIndex + 6] : 0;
            int shift6 = channels > 6 ? 31 - shifts[shiftIndex + 6] : shift0;
            int bias6 = channels > 6 ? biases[biasIndex + 6] : 0;
            long rounding6 = ClampTableStore.Rounding(shift6, zeroIndex);
            long multiplier7 = channels > 7 ? multipliers[multiplierIndex + 7] : 0;
            int shift7 = channels > 7 ? 31 - shifts[shiftIndex + 7] : shift0;
            int bias7 = channels > 7 ? biases[biasIndex + 7] : 0;
            long rounding7 = ClampTableStore.Rounding(shift7, zeroIndex);
            int output0 = outputStart;
            int rowWindow = firstWindow;
            int outputX = 0;
            for (int position = 0; position < plane; position += TilePositions)
            {
                int start0 = rowWindow + outputX * columnWords;
                int start1, start2, start3, start4, start5, start6, start7;
                if (outputX + TilePositions <= outputWidth)
                {
                    // The whole tile in one output row: its windows a column stride apart.
                    start1 = start0 + columnWords;
                    start2 = start1 + columnWords;
                    start3 = start2 + columnWords;
                    start4 = start3 + columnWords;
                    start5 = start4 + columnWords;
                    start6 = start5 + columnWords;
                    start7 = start6 + columnWords;
                    outputX += TilePositions;
                    if (outputX == outputWidth)
                    {
                        outputX = 0;
                        rowWindow += strideRowWords;
                    }
                }
                else
                {
                    // The tile crosses a row end or the plane's end (positions past it read the first window).
                    start1 = WindowAt(position + 1, plane, outputWidth, firstWindow, strideRowWords, columnWords, start0);
                    start2 = WindowAt(position + 2, plane, outputWidth, firstWindow, strideRowWords, columnWords, start0);
                    start3 = WindowAt(position + 3, plane, outputWidth, firstWindow, strideRowWords, columnWords, start0);
                    start4 = WindowAt(position + 4, plane, outputWidth, firstWindow, strideRowWords, columnWords, start0);
                    start5 = WindowAt(position + 5, plane, outputWidth, firstWindow, strideRowWords, columnWords, start0);
                    start6 = WindowAt(position + 6, plane, outputWidth, firstWindow, strideRowWords, columnWords, start0);
                    start7 = WindowAt(position + 7, plane, outputWidth, firstWindow, strideRowWords, columnWords, start0);
                    int next = position + TilePositions;
                    outputX = next % outputWidth;
                    rowWindow = firstWindow + next / outputWidth * strideRowWords;
                }
                int accumulator00 = bias0, accumulator01 = bias1, accumulator02 = bias2, accumulator03 = bias3, accumulator04 = bias4, accumulator05 = bias5, accumulator06 = bias6, accumulator07 = bias7;
                int accumulator10 = bias0, accumulator11 = bias1, accumulator12 = bias2, accumulator13 = bias3, accumulator14 = bias4, accumulator15 = bias5, accumulator16 = bias6, accumulator17 = bias7;
                int accumulator20 = bias0, accumulator21 = bias1, accumulator22 = bias2, accumulator23 = bias3, accumulator24 = bias4, accumulator25 = bias5, accumulator26 = bias6, accumulator27 = bias7;
                int accumulator30 = bias0, accumulator31 = bias1, accumulator32 = bias2, accumulator33 = bias3, accumulator34 = bias4, accumulator35 = bias5, accumulator36 = bias6, accumulator37 = bias7;
                int accumulator40 = bias0, accumulator41 = bias1, accumulator42 = bias2, accumulator43 = bias3, accumulator44 = bias4, accumulator45 = bias5, accumulator46 = bias6, accumulator47 = bias7;
                int accumulator50 = bias0, accumulator51 = bias1, accumulator52 = bias2, accumulator53 = bias3, accumulator54 = bias4, accumulator55 = bias5, accumulator56 = bias6, accumulator57 = bias7;
                int accumulator60 = bias0, accumulator61 = bias1, accumulator62 = bias2, accumulator63 = bias3, accumulator64 = bias4, accumulator65 = bias5, accumulator66 = bias6, accumulator67 = bias7;
                int accumulator70 = bias0, accumulator71 = bias1, accumulator72 = bias2, accumulator73 = bias3, accumulator74 = bias4, accumulator75 = bias5, accumulator76 = bias6, accumulator77 = bias7;
                int filterIndex = filterStart;
                int windowRow = 0;
                int word = 0;
                while (windowRow < windowRows)
                {
                    long sum00 = LaneBias, sum01 = LaneBias, sum02 = LaneBias, sum03 = LaneBias, sum04 = LaneBias, sum05 = LaneBias, sum06 = LaneBias, sum07 = LaneBias;
                    long sum10 = LaneBias, sum11 = LaneBias, sum12 = LaneBias, sum13 = LaneBias, sum14 = LaneBias, sum15 = LaneBias, sum16 = LaneBias, sum17 = LaneBias;
                    long sum20 = LaneBias, sum21 = LaneBias, sum22 = LaneBias, sum23 = LaneBias, sum24 = LaneBias, sum25 = LaneBias, sum26 = LaneBias, sum27 = LaneBias;
                    long sum30 = LaneBias, sum31 = LaneBias, sum32 = LaneBias, sum33 = LaneBias, sum34 = LaneBias, sum35 = LaneBias, sum36 = LaneBias, sum37 = LaneBias;
                    long sum40 = LaneBias, sum41 = LaneBias, sum42 = LaneBias, sum43 = LaneBias, sum44 = LaneBias, sum45 = LaneBias, sum46 = LaneBias, sum47 = LaneBias;
                    long sum50 = LaneBias, sum51 = LaneBias, sum52 = LaneBias, sum53 = LaneBias, sum54 = LaneBias, sum55 = LaneBias, sum56 = LaneBias, sum57 = LaneBias;
                    long sum60 = LaneBias, sum61 = LaneBias, sum62 = LaneBias, sum63 = LaneBias, sum64 = LaneBias, sum65 = LaneBias, sum66 = LaneBias, sum67 = LaneBias;
                    long sum70 = LaneBias, sum71 = LaneBias, sum72 = LaneBias, sum73 = LaneBias, sum74 = LaneBias, sum75 = LaneBias, sum76 = LaneBias, sum77 = LaneBias;
                    int blockRows = 0;
                    do
                    {
                        int k = windowRow * rowStride + word * wordStep;
                        int count = rowWords - word < BlockWords ? rowWords - word : BlockWords;
                        int end = k + count * wordStep;
                        while (k < end)
                        {
                            int k1 = k + wordStep;
                            int k2 = k1 + wordStep;
                            long input00 = scratch[start0 + k], input01 = scratch[start0 + k1], input02 = scratch[start0 + k2];
                            long input10 = scratch[start1 + k], input11 = scratch[start1 + k1], input12 = scratch[start1 + k2];
                            long input20 = scratch[start2 + k], input21 = scratch[start2 + k1], input22 = scratch[start2 + k2];
                            long input30 = scratch[start3 + k], input31 = scratch[start3 + k1], input32 = scratch[start3 + k2];
                            long input40 = scratch[start4 + k], input41 = scratch[start4 + k1], input42 = scratch[start4 + k2];
                            long input50 = scratch[start5 + k], input51 = scratch[start5 + k1], input52 = scratch[start5 + k2];
                            long input60 = scratch[start6 + k], input61 = scratch[start6 + k1], input62 = scratch[start6 + k2];
                            long input70 = scratch[start7 + k], input71 = scratch[start7 + k1], input72 = scratch[start7 + k2];
                            long weight0 = scratch[filterIndex], weight1 = scratch[filterIndex + 8], weight2 = scratch[filterIndex + 16];
                            sum00 += input00 * weight0 + input01 * weight1 + input02 * weight2;
                            sum10 += input10 * weight0 + input11 * weight1 + input12 * weight2;
                            sum20 += input20 * weight0 + input21 * weight1 + input22 * weight2;
                            sum30 += input30 * weight0 + input31 * weight1 + input32 * weight2;
                            sum40 += input40 * weight0 + input41 * weight1 + input42 * weight2;
                            sum50 += input50 * weight0 + input51 * weight1 + input52 * weight2;
                            sum60 += input60 * weight0 + input61 * weight1 + input62 * weight2;
                            sum70 += input70 * weight0 + input71 * weight1 + input72 * weight2;
                            weight0 = scratch[filterIndex + 1];
                            weight1 = scratch[filterIndex + 9];
                            weight2 = scratch[filterIndex + 17];
                            sum01 += input00 * weight0 + input01 * weight1 + input02 * weight2;
                            sum11 += input10 * weight0 + input11 * weight1 + input12 * weight2;
                            sum21 += input20 * weight0 + input21 * weight1 + input22 * weight2;
                            sum31 += input30 * weight0 + input31 * weight1 + input32 * weight2;
                            sum41 += input40 * weight0 + input41 * weight1 + input42 * weight2;
                            sum51 += input50 * weight0 + input51 * weight1 + input52 * weight2;
                            sum61 += input60 * weight0 + input61 * weight1 + input62 * weight2;
                            sum71 += input70 * weight0 + input71 * weight1 + input72 * weight2;
                            weight0 = scratch[filterIndex + 2];
                            weight1 = scratch[filterIndex + 10];
                            weight2 = scratch[filterIndex + 18];
                            sum02 += input00 * weight0 + input01 * weight1 + input02 * weight2;
                            sum12 += input10 * weight0 + input11 * weight1 + input12 * weight2;
                            sum22 += input20 * weight0 + input21 * weight1 + input22 * weight2;
                            sum32 += input30 * weight0 + input31 * weight1 + input32 * weight2;
                            sum42 += input40 * weight0 + input41 * weight1 + input42 * weight2;
                            sum52 += input50 * weight0 + input51 * weight1 + input52 * weight2;
                            sum62 += input60 * weight0 + input61 * weight1 + input62 * weight2;
                            sum72 += input70 * weight0 + input71 * weight1 + input72 * weight2;
                            weight0 = scratch[filterIndex + 3];
                            weight1 = scratch[filterIndex + 11];
                            weight2 = scratch[filterIndex + 19];
                            sum03 += input00 * weight0 + input01 * weight1 + input02 * weight2;
                            sum13 += input10 * weight0 + input11 * weight1 + input12 * weight2;
                            sum23 += input20 * weight0 + input21 * weight1 + input22 * weight2;
                            sum33 += input30 * weight0 + input31 * weight1 + input32 * weight2;
                            sum43 += input40 * weight0 + input41 * weight1 + input42 * weight2;
                            sum53 += input50 * weight0 + input51 * weight1 + input52 * weight2;
                            sum63 += input60 * weight0 + input61 * weight1 + input62 * weight2;
                            sum73 += input70 * weight0 + input71 * weight1 + input72 * weight2;
                            weight0 = scratch[filterIndex + 4];
                            weight1 = scratch[filterIndex + 12];
                            weight2 = scratch[filterIndex + 20];
                            sum04 += input00 * weight0 + input01 * weight1 + input02 * weight2;
                            sum14 += input10 * weight0 + input11 * weight1 + input12 * weight2;
                            sum24 += input20 * weight0 + input21 * weight1 + input22 * weight2;
                            sum34 += input30 * weight0 + input31 * weight1 + input32 * weight2;
                            sum44 += input40 * weight0 + input41 * weight1 + input42 * weight2;
                            sum54 += input50 * weight0 + input51 * weight1 + input52 * weight2;
                            sum64 += input60 * weight0 + input61 * weight1 + input62 * weight2;
                            sum74 += input70 * weight0 + input71 * weight1 + input72 * weight2;
                            weight0 = scratch[filterIndex + 5];
                            weight1 = scratch[filterIndex + 13];
                            weight2 = scratch[filterIndex + 21];
                            sum05 += input00 * weight0 + input01 * weight1 + input02 * weight2;
                            sum15 += input10 * weight0 + input11 * weight1 + input12 * weight2;
                            sum25 += input20 * weight0 + input21 * weight1 + input22 * weight2;
                            sum35 += input30 * weight0 + input31 * weight1 + input32 * weight2;
                            sum45 += input40 * weight0 + input41 * weight1 + input42 * weight2;
                            sum55 += input50 * weight0 + input51 * weight1 + input52 * weight2;
                            sum65 += input60 * weight0 + input61 * weight1 + input62 * weight2;
                            sum75 += input70 * weight0 + input71 * weight1 + input72 * weight2;
                            weight0 = scratch[filterIndex + 6];
                            weight1 = scratch[filterIndex + 14];
                            weight2 = scratch[filterIndex + 22];
                            sum06 += input00 * weight0 + input01 * weight1 + input02 * weight2;
                            sum16 += input10 * weight0 + input11 * weight1 + input12 * weight2;
                            sum26 += input20 * weight0 + input21 * weight1 + input22 * weight2;
                            sum36 += input30 * weight0 + input31 * weight1 + input32 * weight2;
                            sum46 += input40 * weight0 + input41 * weight1 + input42 * weight2;
                            sum56 += input50 * weight0 + input51 * weight1 + input52 * weight2;
                            sum66 += input60 * weight0 + input61 * weight1 + input62 * weight2;
                            sum76 += input70 * weight0 + input71 * weight1 + input72 * weight2;
                            weight0 = scratch[filterIndex + 7];
                            weight1 = scratch[filterIndex + 15];
                            weight2 = scratch[filterIndex + 23];
                            sum07 += input00 * weight0 + input01 * weight1 + input02 * weight2;
                            sum17 += input10 * weight0 + input11 * weight1 + input12 * weight2;
                            sum27 += input20 * weight0 + input21 * weight1 + input22 * weight2;
                            sum37 += input30 * weight0 + input31 * weight1 + input32 * weight2;
                            sum47 += input40 * weight0 + input41 * weight1 + input42 * weight2;
                            sum57 += input50 * weight0 + input51 * weight1 + input52 * weight2;
                            sum67 += input60 * weight0 + input61 * weight1 + input62 * weight2;
                            sum77 += input70 * weight0 + input71 * weight1 + input72 * weight2;
                            filterIndex += ChainFilterWords;
                            k = k2 + wordStep;
                        }

                        word += count;
                        if (word == rowWords)
                        {
                            word = 0;
                            windowRow++;
                        }

                        blockRows++;
                    }
                    while (windowRow < windowRows && word == 0 && blockRows < rowsPerBlock);

                    accumulator00 += (int)(sum00 >> DotShift);
                    accumulator01 += (int)(sum01 >> DotShift);
                    accumulator02 += (int)(sum02 >> DotShift);
                    accumulator03 += (int)(sum03 >> DotShift);
                    accumulator04 += (int)(sum04 >> DotShift);
                    accumulator05 += (int)(sum05 >> DotShift);
                    accumulator06 += (int)(sum06 >> DotShift);
                    accumulator07 += (int)(sum07 >> DotShift);
                    accumulator10 += (int)(sum10 >> DotShift);
                    accumulator11 += (int)(sum11 >> DotShift);
                    accumulator12 += (int)(sum12 >> DotShift);
                    accumulator13 += (int)(sum13 >> DotShift);
                    accumulator14 += (int)(sum14 >> DotShift);
                    accumulator15 += (int)(sum15 >> DotShift);
                    accumulator16 += (int)(sum16 >> DotShift);
                    accumulator17 += (int)(sum17 >> DotShift);
                    accumulator20 += (int)(sum20 >> DotShift);
                    accumulator21 += (int)(sum21 >> DotShift);
                    accumulator22 += (int)(sum22 >> DotShift);
                    accumulator23 += (int)(sum23 >> DotShift);
                    accumulator24 += (int)(sum24 >> DotShift);
                    accumulator25 += (int)(sum25 >> DotShift);
                    accumulator26 += (int)(sum26 >> DotShift);
                    accumulator27 += (int)(sum27 >> DotShift);
                    accumulator30 += (int)(sum30 >> DotShift);
                    accumulator31 += (int)(sum31 >> DotShift);
                    accumulator32 += (int)(sum32 >> DotShift);
                    accumulator33 += (int)(sum33 >> DotShift);
                    accumulator34 += (int)(sum34 >> DotShift);
                    accumulator35 += (int)(sum35 >> DotShift);
                    accumulator36 += (int)(sum36 >> DotShift);
                    accumulator37 += (int)(sum37 >> DotShift);
                    accumulator40 += (int)(sum40 >> DotShift);
                    accumulator41 += (int)(sum41 >> DotShift);
                    accumulator42 += (int)(sum42 >> DotShift);
                    accumulator43 += (int)(sum43 >> DotShift);
                    accumulator44 += (int)(sum44 >> DotShift);
                    accumulator45 += (int)(sum45 >> DotShift);
                    accumulator46 += (int)(sum46 >> DotShift);
                    accumulator47 += (int)(sum47 >> DotShift);
                    accumulator50 += (int)(sum50 >> DotShift);
                    accumulator51 += (int)(sum51 >> DotShift);
                    accumulator52 += (int)(sum52 >> DotShift);
                    accumulator53 += (int)(sum53 >> DotShift);
                    accumulator54 += (int)(sum54 >> DotShift);
                    accumulator55 += (int)(sum55 >> DotShift);
                    accumulator56 += (int)(sum56 >> DotShift);
                    accumulator57 += (int)(sum57 >> DotShift);
                    accumulator60 += (int)(sum60 >> DotShift);
                    accumulator61 += (int)(sum61 >> DotShift);
                    accumulator62 += (int)(sum62 >> DotShift);
                    accumulator63 += (int)(sum63 >> DotShift);
                    accumulator64 += (int)(sum64 >> DotShift);
                    accumulator65 += (int)(sum65 >> DotShift);
                    accumulator66 += (int)(sum66 >> DotShift);
                    accumulator67 += (int)(sum67 >> DotShift);
                    accumulator70 += (int)(sum70 >> DotShift);
                    accumulator71 += (int)(sum71 >> DotShift);
                    accumulator72 += (int)(sum72 >> DotShift);
                    accumulator73 += (int)(sum73 >> DotShift);
                    accumulator74 += (int)(sum74 >> DotShift);
                    accumulator75 += (int)(sum75 >> DotShift);
                    accumulator76 += (int)(sum76 >> DotShift);
                    accumulator77 += (int)(sum77 >> DotShift);
                }

                if (wholeGroup && position + TilePositions <= plane)
                {
                    int output1 = output0 + plane;
                    int output2 = output1 + plane;
                    int output3 = output2 + plane;
                    int output4 = output3 + plane;
                    int output5 = output4 + plane;
                    int output6 = output5 + plane;
                    int output7 = output6 + plane;
                    output[output0] = table[(int)(((long)accumulator00 * multiplier0 + rounding0) >> shift0)];
                    output[output0 + 1] = table[(int)(((long)accumulator10 * multiplier0 + rounding0) >> shift0)];
                    output[output0 + 2] = table[(int)(((long)accumulator20 * multiplier0 + rounding0) >> shift0)];
                    output[output0 + 3] = table[(int)(((long)accumulator30 * multiplier0 + rounding0) >> shift0)];
                    output[output0 + 4] = table[(int)(((long)accumulator40 * multiplier0 + rounding0) >> shift0)];
                    output[output0 + 5] = table[(int)(((long)accumulator50 * multiplier0 + rounding0) >> shift0)];
                    output[output0 + 6] = table[(int)(((long)accumulator60 * multiplier0 + rounding0) >> shift0)];
                    output[output0 + 7] = table[(int)(((long)accumulator70 * multiplier0 + rounding0) >> shift0)];
                    output[output1] = table[(int)(((long)accumulator01 * multiplier1 + rounding1) >> shift1)];
                    output[output1 + 1] = table[(int)(((long)accumulator11 * multiplier1 + rounding1) >> shift1)];
                    output[output1 + 2] = table[(int)(((long)accumulator21 * multiplier1 + rounding1) >> shift1)];
                    output[output1 + 3] = table[(int)(((long)accumulator31 * multiplier1 + rounding1) >> shift1)];
                    output[output1 + 4] = table[(int)(((long)accumulator41 * multiplier1 + rounding1) >> shift1)];
                    output[output1 + 5] = table[(int)(((long)accumulator51 * multiplier1 + rounding1) >> shift1)];
                    output[output1 + 6] = table[(int)(((long)accumulator61 * multiplier1 + rounding1) >> shift1)];
                    output[output1 + 7] = table[(int)(((long)accumulator71 * multiplier1 + rounding1) >> shift1)];
                    output[output2] = table[(int)(((long)accumulator02 * multiplier2 + rounding2) >> shift2)];
                    output[output2 + 1] = table[(int)(((long)accumulator12 * multiplier2 + rounding2) >> shift2)];
                    output[output2 + 2] = table[(int)(((long)accumulator22 * multiplier2 + rounding2) >> shift2)];
                    output[output2 + 3] = table[(int)(((long)accumulator32 * multiplier2 + rounding2) >> shift2)];
                    output[output2 + 4] = table[(int)(((long)accumulator42 * multiplier2 + rounding2) >> shift2)];
                    output[output2 + 5] = table[(int)(((long)accumulator52 * multiplier2 + rounding2) >> shift2)];
                    output[output2 + 6] = table[(int)(((long)accumulator62 * multiplier2 + rounding2) >> shift2)];
                    output[output2 + 7] = table[(int)(((long)accumulator72 * multiplier2 + rounding2) >> shift2)];
                    output[output3] = table[(int)(((long)accumulator03 * multiplier3 + rounding3) >> shift3)];
                    output[output3 + 1] = table[(int)(((long)accumulator13 * multiplier3 + rounding3) >> shift3)];
                    output[output3 + 2] = table[(int)(((long)accumulator23 * multiplier3 + rounding3) >> shift3)];
                    output[output3 + 3] = table[(int)(((long)accumulator33 * multiplier3 + rounding3) >> shift3)];
                    output[output3 + 4] = table[(int)(((long)accumulator43 * multiplier3 + rounding3) >> shift3)];
                    output[output3 + 5] = table[(int)(((long)accumulator53 * multiplier3 + rounding3) >> shift3)];
                    output[output3 + 6] = table[(int)(((long)accumulator63 * multiplier3 + rounding3) >> shift3)];
                    output[output3 + 7] = table[(int)(((long)accumulator73 * multiplier3 + rounding3) >> shift3)];
                    output[output4] = table[(int)(((long)accumulator04 * multiplier4 + rounding4) >> shift4)];
                    output[output4 + 1] = table[(int)(((long)accumulator14 * multiplier4 + rounding4) >> shift4)];
                    output[output4 + 2] = table[(int)(((long)accumulator24 * multiplier4 + rounding4) >> shift4)];
                    output[output4 + 3] = table[(int)(((long)accumulator34 * multiplier4 + rounding4) >> shift4)];
                    output[output4 + 4] = table[(int)(((long)accumulator44 * multiplier4 + rounding4) >> shift4)];
                    output[output4 + 5] = table[(int)(((long)accumulator54 * multiplier4 + rounding4) >> shift4)];
                    output[output4 + 6] = table[(int)(((long)accumulator64 * multiplier4 + rounding4) >> shift4)];
                    output[output4 + 7] = table[(int)(((long)accumulator74 * multiplier4 + rounding4) >> shift4)];
                    output[output5] = table[(int)(((long)accumulator05 * multiplier5 + rounding5) >> shift5)];
                    output[output5 + 1] = table[(int)(((long)accumulator15 * multiplier5 + rounding5) >> shift5)];
                    output[output5 + 2] = table[(int)(((long)accumulator25 * multiplier5 + rounding5) >> shift5)];
                    output[output5 + 3] = table[(int)(((long)accumulator35 * multiplier5 + rounding5) >> shift5)];
                    output[output5 + 4] = table[(int)(((long)accumulator45 * multiplier5 + rounding5) >> shift5)];
                    output[output5 + 5] = table[(int)(((long)accumulator55 * multiplier5 + rounding5) >> shift5)];
                    output[output5 + 6] = table[(int)(((long)accumulator65 * multiplier5 + rounding5) >> shift5)];
                    output[output5 + 7] = table[(int)(((long)accumulator75 * multiplier5 + rounding5) >> shift5)];
                    output[output6] = table[(int)(((long)accumulator06 * multiplier6 + rounding6) >> shift6)];
                    output[output6 + 1] = table[(int)(((long)accumulator16 * multiplier6 + rounding6) >> shift6)];
                    output[output6 + 2] = table[(int)(((long)accumulator26 * multiplier6 + rounding6) >> shift6)];
                    output[output6 + 3] = table[(int)(((long)accumulator36 * multiplier6 + rounding6) >> shift6)];
                    output[output6 + 4] = table[(int)(((long)accumulator46 * multiplier6 + rounding6) >> shift6)];
                    output[output6 + 5] = table[(int)(((long)accumulator56 * multiplier6 + rounding6) >> shift6)];
                    output[output6 + 6] = table[(int)(((long)accumulator66 * multiplier6 + rounding6) >> shift6)];
                    output[output6 + 7] = table[(int)(((long)accumulator76 * multiplier6 + rounding6) >> shift6)];
                    output[output7] = table[(int)(((long)accumulator07 * multiplier7 + rounding7) >> shift7)];
                    output[output7 + 1] = table[(int)(((long)accumulator17 * multiplier7 + rounding7) >> shift7)];
                    output[output7 + 2] = table[(int)(((long)accumulator27 * multiplier7 + rounding7) >> shift7)];
                    output[output7 + 3] = table[(int)(((long)accumulator37 * multiplier7 + rounding7) >> shift7)];
                    output[output7 + 4] = table[(int)(((long)accumulator47 * multiplier7 + rounding7) >> shift7)];
                    output[output7 + 5] = table[(int)(((long)accumulator57 * multiplier7 + rounding7) >> shift7)];
                    output[output7 + 6] = table[(int)(((long)accumulator67 * multiplier7 + rounding7) >> shift7)];
                    output[output7 + 7] = table[(int)(((long)accumulator77 * multiplier7 + rounding7) >> shift7)];
                }
                else
                {
                    scratch[dump + 0] = accumulator00;
                    scratch[dump + 1] = accumulator01;
                    scratch[dump + 2] = accumulator02;
                    scratch[dump + 3] = accumulator03;
                    scratch[dump + 4] = accumulator04;
                    scratch[dump + 5] = accumulator05;
                    scratch[dump + 6] = accumulator06;
                    scratch[dump + 7] = accumulator07;
                    scratch[dump + 8] = accumulator10;
                    scratch[dump + 9] = accumulator11;
                    scratch[dump + 10] = accumulator12;
                    scratch[dump + 11] = accumulator13;
                    scratch[dump + 12] = accumulator14;
                    scratch[dump + 13] = accumulator15;
                    scratch[dump + 14] = accumulator16;
                    scratch[dump + 15] = accumulator17;
                    scratch[dump + 16] = accumulator20;
                    scratch[dump + 17] = accumulator21;
                    scratch[dump + 18] = accumulator22;
                    scratch[dump + 19] = accumulator23;
                    scratch[dump + 20] = accumulator24;
                    scratch[dump + 21] = accumulator25;
                    scratch[dump + 22] = accumulator26;
                    scratch[dump + 23] = accumulator27;
                    scratch[dump + 24] = accumulator30;
                    scratch[dump + 25] = accumulator31;
                    scratch[dump + 26] = accumulator32;
                    scratch[dump + 27] = accumulator33;
                    scratch[dump + 28] = accumulator34;
                    scratch[dump + 29] = accumulator35;
                    scratch[dump + 30] = accumulator36;
                    scratch[dump + 31] = accumulator37;
                    scratch[dump + 32] = accumulator40;
                    scratch[dump + 33] = accumulator41;
                    scratch[dump + 34] = accumulator42;
                    scratch[dump + 35] = accumulator43;
                    scratch[dump + 36] = accumulator44;
                    scratch[dump + 37] = accumulator45;
                    scratch[dump + 38] = accumulator46;
                    scratch[dump + 39] = accumulator47;
                    scratch[dump + 40] = accumulator50;
                    scratch[dump + 41] = accumulator51;
                    scratch[dump + 42] = accumulator52;
                    scratch[dump + 43] = accumulator53;
                    scratch[dump + 44] = accumulator54;
                    scratch[dump + 45] = accumulator55;
                    scratch[dump + 46] = accumulator56;
                    scratch[dump + 47] = accumulator57;
                    scratch[dump + 48] = accumulator60;
                    scratch[dump + 49] = accumulator61;
                    scratch[dump + 50] = accumulator62;
                    scratch[dump + 51] = accumulator63;
                    scratch[dump + 52] = accumulator64;
                    scratch[dump + 53] = accumulator65;
                    scratch[dump + 54] = accumulator66;
                    scratch[dump + 55] = accumulator67;
                    scratch[dump + 56] = accumulator70;
                    scratch[dump + 57] = accumulator71;
                    scratch[dump + 58] = accumulator72;
                    scratch[dump + 59] = accumulator73;
                    scratch[dump + 60] = accumulator74;
                    scratch[dump + 61] = accumulator75;
                    scratch[dump + 62] = accumulator76;
                    scratch[dump + 63] = accumulator77;
                    StorePartial(op, firstChannel, dump, output0, plane, plane - position < TilePositions ? plane - position : TilePositions);
                }

                output0 += TilePositions;
            }
        }

        // The scratch index of the window of output position (of the plane) `position`, or
        // `fallback` past the plane's end (a position the tile computes but does not store).
        private static int WindowAt(int position, int plane, int outputWidth, int firstWindow, int strideRowWords, int columnWords, int fallback)
        {
            if (position >= plane)
            {
                return fallback;
            }

            return firstWindow + position / outputWidth * strideRowWords + position % outputWidth * columnWords;
        }

        // RunOneChain's tile past the plane's end (its groups are whole): the accumulators of the
        // windows of three words at start_p, + offset1, + offset2 into scratch[dump + 8·position + channel].
        private static void DumpChainTile(Conv2DLanesOperator op, int firstChannel, long[] scratch, int filterStart, int offset1, int offset2, int dump,
            int start0, int start1, int start2, int start3, int start4, int start5, int start6, int start7)
        {
            int biasIndex = op.BiasOffset + firstChannel;
            for (int position = 0; position < TilePositions; position++)
            {
                int start = position == 0 ? start0 : position == 1 ? start1 : position == 2 ? start2 : position == 3 ? start3
                    : position == 4 ? start4 : position == 5 ? start5 : position == 6 ? start6 : start7;
                long input0 = scratch[start];
                long input1 = scratch[start + offset1];
                long input2 = scratch[start + offset2];
                for (int channel = 0; channel < TileChannels; channel++)
                {
                    int word = filterStart + channel;
                    scratch[dump + position * TileChannels + channel] = (LaneBias + ((long)op.Bias[biasIndex + channel] << DotShift)
                        + input0 * scratch[word] + input1 * scratch[word + TileChannels] + input2 * scratch[word + 2 * TileChannels]) >> DotShift;
                }
            }
        }

        // A tile past the plane's end or of a group of fewer than eight channels: its accumulators,
        // scratch[dump + 8·position + channel], stored for the first `count` positions and the real channels.
        private static void StorePartial(Conv2DLanesOperator op, int firstChannel, int dump, int outputIndex, int plane, int count)
        {
            long[] scratch = op.Scratch;
            int channels = op.OutputChannels - firstChannel < TileChannels ? op.OutputChannels - firstChannel : TileChannels;
            int zeroIndex = op.OutputZeroPoint + op.TableZero;
            for (int channel = 0; channel < channels; channel++)
            {
                long multiplier = op.Multiplier[op.MultiplierOffset + firstChannel + channel];
                int shift = 31 - op.Shift[op.ShiftOffset + firstChannel + channel];
                long rounding = ClampTableStore.Rounding(shift, zeroIndex);
                int channelOutput = outputIndex + channel * plane;
                for (int position = 0; position < count; position++)
                {
                    op.Output[channelOutput + position] = op.Table[(int)((scratch[dump + position * TileChannels + channel] * multiplier + rounding) >> shift)];
                }
            }
        }

        // scratch[0 .. words) = the filter words b0·2^43 + b1·2^22 + b2·2^1 from lanes (b0, b1, b2).
        private static void BuildFilterWords(sbyte[] filter, int filterOffset, int words, long[] scratch)
        {
            int lane = filterOffset;
            for (int word = 0; word < words; word++)
            {
                scratch[word] = ((long)filter[lane] << DotShift) + ((long)filter[lane + 1] << 22) + ((long)filter[lane + 2] << 1);
                lane += 3;
            }
        }

        /// <summary>
        /// Packs one batch of a one-channel input by vertical triples into scratch[start ..): word
        /// (py, px), at start + py·Wp + px, is v(py, px) + v(py + 1, px)·2^21 + v(py + 2, px)·2^42,
        /// v the padded input (zi in the padding, 0 below row Hp), for the rows py a window starts a
        /// word row at (y·strideHeight + 3r); then three words of 0.
        /// </summary>
        public static void PackInputRows(sbyte[] input, int batchStart, int inputHeight, int inputWidth, int inputZeroPoint,
            int padTop, int padLeft, int paddedHeight, int paddedWidth, int outputHeight, int strideHeight, int windowRows, long[] scratch, int start)
        {
            int interiorEnd = padLeft + inputWidth;
            for (int row = 0; row < paddedHeight; row++)
            {
                if (!StartsWordRow(row, outputHeight, strideHeight, windowRows))
                {
                    continue;
                }

                int word = start + row * paddedWidth;
                bool inside = row >= padTop && row + 2 < padTop + inputHeight;
                if (!inside)
                {
                    // A row triple that reaches into the padding: every value through PaddedValue.
                    for (int column = 0; column < paddedWidth; column++)
                    {
                        scratch[word + column] = PaddedValue(input, batchStart, inputHeight, inputWidth, inputZeroPoint, padTop, padLeft, paddedHeight, row, column)
                            + (PaddedValue(input, batchStart, inputHeight, inputWidth, inputZeroPoint, padTop, padLeft, paddedHeight, row + 1, column) << 21)
                            + (PaddedValue(input, batchStart, inputHeight, inputWidth, inputZeroPoint, padTop, padLeft, paddedHeight, row + 2, column) << 42);
                    }

                    continue;
                }

                long padWord = inputZeroPoint + ((long)inputZeroPoint << 21) + ((long)inputZeroPoint << 42);
                for (int column = 0; column < padLeft; column++)
                {
                    scratch[word + column] = padWord;
                }

                for (int column = interiorEnd; column < paddedWidth; column++)
                {
                    scratch[word + column] = padWord;
                }

                int inputIndex = batchStart + (row - padTop) * inputWidth;
                int second = inputWidth;
                int third = 2 * inputWidth;
                int end = word + interiorEnd;
                word += padLeft;

                // Four columns a pass, then the rest one by one.
                int second1 = second + 1;
                int third1 = third + 1;
                int second2 = second + 2;
                int third2 = third + 2;
                int second3 = second + 3;
                int third3 = third + 3;
                int fourEnd = end - 3;
                while (word < fourEnd)
                {
                    scratch[word] = input[inputIndex] + ((long)input[inputIndex + second] << 21) + ((long)input[inputIndex + third] << 42);
                    scratch[word + 1] = input[inputIndex + 1] + ((long)input[inputIndex + second1] << 21) + ((long)input[inputIndex + third1] << 42);
                    scratch[word + 2] = input[inputIndex + 2] + ((long)input[inputIndex + second2] << 21) + ((long)input[inputIndex + third2] << 42);
                    scratch[word + 3] = input[inputIndex + 3] + ((long)input[inputIndex + second3] << 21) + ((long)input[inputIndex + third3] << 42);
                    inputIndex += 4;
                    word += 4;
                }

                while (word < end)
                {
                    scratch[word] = input[inputIndex] + ((long)input[inputIndex + second] << 21) + ((long)input[inputIndex + third] << 42);
                    inputIndex++;
                    word++;
                }
            }

            int last = start + paddedHeight * paddedWidth;
            scratch[last] = 0;
            scratch[last + 1] = 0;
            scratch[last + 2] = 0;
        }

        // Whether padded row `row` is row y·strideHeight + 3r of some output row y and word row r.
        private static bool StartsWordRow(int row, int outputHeight, int strideHeight, int windowRows)
        {
            for (int windowRow = 0; windowRow < windowRows; windowRow++)
            {
                int top = row - 3 * windowRow;
                if (top >= 0 && top % strideHeight == 0 && top / strideHeight < outputHeight)
                {
                    return true;
                }
            }

            return false;
        }

        // v(row, column) of the padded one-channel input: the input inside, zi in the padding, 0 from row Hp on.
        private static long PaddedValue(sbyte[] input, int batchStart, int inputHeight, int inputWidth, int inputZeroPoint, int padTop, int padLeft,
            int paddedHeight, int row, int column)
        {
            if (row >= paddedHeight)
            {
                return 0;
            }

            int inputRow = row - padTop;
            int inputColumn = column - padLeft;
            return inputRow >= 0 && inputRow < inputHeight && inputColumn >= 0 && inputColumn < inputWidth
                ? input[batchStart + inputRow * inputWidth + inputColumn]
                : inputZeroPoint;
        }

        /// <summary>
        /// Writes filter [O, C, KH, KW] (from filterOffset) as 3·<see cref="FilterWords"/> int8 lanes
        /// at packed[packedOffset..], in the order the kernel builds its words: word [g, r, j, c]
        /// (g a group of eight output channels, r a window row, j &lt; R a word of it, c the channel
        /// in the group) is the lanes (b0, b1, b2) = w[8g+c, 3t+l, r, kx] for j = kx·T + t
        /// (channels), w[8g+c, 0, r, 3j+l] (taps) or w[8g+c, 0, 3r+l, j] (rows); 0 beyond the
        /// filter and for channels at or beyond O.
        /// </summary>
        public static void PackFilter(sbyte[] filter, int filterOffset, int outputChannels, int packing, int inputChannels, int filterHeight, int filterWidth,
            sbyte[] packed, int packedOffset)
        {
            int rowWords = RowWords(packing, inputChannels, filterWidth);
            int windowRows = WindowRows(packing, filterHeight);
            int wordsPerPosition = WordsPerPosition(packing, inputChannels);
            int taps = filterHeight * filterWidth;
            int lane = packedOffset;
            for (int firstChannel = 0; firstChannel < outputChannels; firstChannel += TileChannels)
            {
                for (int windowRow = 0; windowRow < windowRows; windowRow++)
                {
                    for (int word = 0; word < rowWords; word++)
                    {
                        for (int member = 0; member < TileChannels; member++)
                        {
                            int channel = firstChannel + member;
                            for (int part = 0; part < 3; part++)
                            {
                                int inputChannel = 0;
                                int filterY = windowRow;
                                int filterX = word;
                                if (packing == PackChannels)
                                {
                                    filterX = word / wordsPerPosition;
                                    inputChannel = 3 * (word % wordsPerPosition) + part;
                                }
                                else if (packing == PackTaps)
                                {
                                    filterX = 3 * word + part;
                                }
                                else
                                {
                                    filterY = 3 * windowRow + part;
                                }

                                bool real = channel < outputChannels && inputChannel < inputChannels && filterY < filterHeight && filterX < filterWidth;
                                packed[lane] = real ? filter[filterOffset + (channel * inputChannels + inputChannel) * taps + filterY * filterWidth + filterX] : (sbyte)0;
                                lane++;
                            }
                        }
                    }
                }
            }
        }

        /// <summary>
        /// The range [low, high] of output channel <paramref name="channel"/>'s accumulator, bias
        /// included, over every int8 input: each lane's weight times -128 or 127, whichever is
        /// smaller (larger). Reads the packed lanes (<see cref="PackFilter"/>'s layout).
        /// </summary>
        public static void AccumulatorBounds(sbyte[] lanes, int lanesOffset, int channel, int windowWords, int bias, out long low, out long high)
        {
            low = bias;
            high = bias;
            int group = channel / TileChannels;
            int lane = lanesOffset + (group * windowWords * TileChannels + channel % TileChannels) * 3;
            for (int word = 0; word < windowWords; word++)
            {
                for (int part = 0; part < 3; part++)
                {
                    int weight = lanes[lane + part];
                    low += weight > 0 ? -128L * weight : 127L * weight;
                    high += weight > 0 ? 127L * weight : -128L * weight;
                }

                lane += 3 * TileChannels;
            }
        }
    }
}
