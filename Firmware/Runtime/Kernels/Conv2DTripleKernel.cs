using NanoInt8.Runtime.Operators;

namespace NanoInt8.Runtime.Kernels
{
    /// <summary>
    /// Int8 2-D convolution (groups 1, dilation 1) computed three products per 64-bit multiply
    /// (issue 7, docs/model-format.md code 19): the same result as <see cref="Conv2DKernel"/>, bit
    /// for bit, in fewer interpreted IL instructions per multiply-accumulate than
    /// <see cref="Conv2DPackedKernel"/>'s two.
    /// </summary>
    /// <remarks>
    /// Lanes. An input word holds three int8 values a0 + a1·2^21 + a2·2^42 and a filter word
    /// three taps b2 + b1·2^21 + b0·2^42, so bits [42, 63) of their product hold a0·b0 + a1·b1 +
    /// a2·b2. Below them sit a0·b2 at 2^0 and (a0·b1 + a1·b2) at 2^21; above, at 2^63 and 2^84,
    /// terms that the 64-bit product drops or the extraction shifts out.
    /// Overflow bound. A block sums at most <see cref="BlockWords"/> = 21 products, starting from
    /// 2^41. With |a|, |b| ≤ 128 each product's low part is below 2^14 + 2^15·2^21 &lt; 2^37 in
    /// magnitude, so the block's low part plus 2^41 stays in [0, 2^42) and never carries into the
    /// middle lane (21·2^37 &lt; 2^41), and the middle lane's true value is at most
    /// 21·3·2^14 = 1,032,192 &lt; 2^20 in magnitude, so it is exact as a signed 21-bit field and
    /// extracted as ((S &lt;&lt; 1) &gt;&gt; 43). The int32 accumulator then holds bias' + Σ x·w
    /// with padding read as zi, the value Conv2DKernel computes (below 2^31 at every step: the
    /// reader's 65535-tap and ±2^30 bias limits).
    /// Layout. With two or more input channels a word holds three channels of one position
    /// (T = ⌈C/3⌉ words a position, channels at or beyond C read 0); with one channel it holds
    /// three horizontally adjacent positions (taps), as <see cref="Conv2DPackedKernel.EvalTapPairs"/>
    /// pairs them. A window row is then R = <see cref="RowWords"/> words (rounded up to a multiple
    /// of <see cref="ChainWords"/>; the extra words have weight 0), and R ≤ <see cref="BlockWords"/>.
    /// The host stores the filter as int8 lanes in the order the kernel reads its words
    /// (<see cref="PackFilter"/>); each call builds the 64-bit filter words in the scratch, then
    /// the padded input words after them (<see cref="ScratchWords"/>, counted in deviceBytes).
    /// Tiles. Eight output channels (the last group padded with zero-weight channels that are not
    /// stored) times eight consecutive output positions of the plane, row ends crossed (the last
    /// tile's missing positions read the first one's window and are not stored): per inner
    /// iteration three words of each of the eight windows and three filter words of each of the
    /// eight channels are loaded once for 192 products (576 multiply-accumulates), each sum
    /// taking its three products in one expression.
    /// </remarks>
    public static class Conv2DTripleKernel
    {
        /// <summary>Bits per lane of a packed word.</summary>
        public const int LaneBits = 21;

        /// <summary>Largest number of products summed in one lane block (see the bound on the class).</summary>
        public const int BlockWords = 21;

        /// <summary>Words of a window row taken per inner iteration; window rows are a multiple of it.</summary>
        public const int ChainWords = 3;

        /// <summary>Output channels of a tile (filter words are grouped by eight channels).</summary>
        public const int TileChannels = 8;

        /// <summary>Consecutive output positions of a tile.</summary>
        public const int TilePositions = 8;

        // Starting value of a block sum: keeps the low part non-negative (see the bound above).
        internal const long LaneBias = 1L << 41;

        // The middle lane, bits [42, 63), as a signed value: ((S << 1) >> 43).
        internal const int ExtractLeft = 1;
        internal const int ExtractRight = 43;

        // Filter words of the window row j of channel c lie TileChannels apart.
        private const int ChainFilterWords = ChainWords * TileChannels;

        /// <summary>Words per packed input position: ⌈C/3⌉, or 1 for one input channel (tap triples).</summary>
        public static int WordsPerPosition(int inputChannels)
        {
            return inputChannels == 1 ? 1 : (inputChannels + 2) / 3;
        }

        /// <summary>
        /// Words R of a packed window row: KW·⌈C/3⌉ (one input channel: ⌈KW/3⌉), rounded up to a
        /// multiple of <see cref="ChainWords"/>. The kernel takes a filter only when R ≤ <see cref="BlockWords"/>.
        /// </summary>
        public static int RowWords(int inputChannels, int filterWidth)
        {
            int words = inputChannels == 1 ? (filterWidth + 2) / 3 : filterWidth * WordsPerPosition(inputChannels);
            return (words + ChainWords - 1) / ChainWords * ChainWords;
        }

        /// <summary>Whether a window row of this filter fits one lane block (R ≤ 21).</summary>
        public static bool Fits(int inputChannels, int filterWidth)
        {
            return inputChannels >= 1 && filterWidth >= 1 && filterWidth <= BlockWords * ChainWords
                && RowWords(inputChannels, filterWidth) <= BlockWords;
        }

        /// <summary>64-bit filter words: ⌈O/8⌉·KH·R·8; the host stores three int8 lanes for each.</summary>
        public static long FilterWords(int outputChannels, int inputChannels, int filterHeight, int filterWidth)
        {
            return (long)((outputChannels + TileChannels - 1) / TileChannels) * filterHeight * RowWords(inputChannels, filterWidth) * TileChannels;
        }

        /// <summary>
        /// Scratch words of one call: the filter words, then the packed padded input, Hp·Wp·T words
        /// and <see cref="ChainWords"/> words of slack (one input channel: Hp·(Wp + 3R)).
        /// </summary>
        public static long ScratchWords(int outputChannels, int inputChannels, int inputHeight, int inputWidth, int filterHeight, int filterWidth,
            int padTop, int padLeft, int padBottom, int padRight)
        {
            long paddedHeight = (long)padTop + inputHeight + padBottom;
            long paddedWidth = (long)padLeft + inputWidth + padRight;
            long inputWords = inputChannels == 1
                ? paddedHeight * (paddedWidth + ChainWords * RowWords(inputChannels, filterWidth))
                : paddedHeight * paddedWidth * WordsPerPosition(inputChannels) + ChainWords;
            return FilterWords(outputChannels, inputChannels, filterHeight, filterWidth) + inputWords;
        }

        /// <summary>
        /// Computes output[n, o, y, x] = clamp(zo + MBQM(bias[o] + Σ x·w, multiplier[o], shift[o]))
        /// for a groups-1, dilation-1 convolution whose filter the host packed with <see cref="PackFilter"/>;
        /// the parameters as <see cref="Conv2DPackedKernel.Eval"/>'s, the filter int8 lanes.
        /// </summary>
        /// <param name="op">The operator's resolved arguments (<see cref="Conv2DTripleOperator"/>), read once.</param>
        public static void Eval(Conv2DTripleOperator op)
        {
            sbyte[] input = op.Input;
            int inputOffset = op.InputOffset;
            int batches = op.Batches;
            int inputChannels = op.InputChannels;
            int inputHeight = op.InputHeight;
            int inputWidth = op.InputWidth;
            int inputZeroPoint = op.InputZeroPoint;
            sbyte[] filter = op.Filter;
            int filterOffset = op.FilterOffset;
            int outputChannels = op.OutputChannels;
            int filterHeight = op.FilterHeight;
            int filterWidth = op.FilterWidth;
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

            int rowWords = RowWords(inputChannels, filterWidth);
            int filterWords = (int)FilterWords(outputChannels, inputChannels, filterHeight, filterWidth);
            BuildFilterWords(filter, filterOffset, filterWords, scratch);

            bool taps = inputChannels == 1;
            int paddedWidth = padLeft + inputWidth + padRight;
            int paddedHeight = padTop + inputHeight + padBottom;
            int columnWords = WordsPerPosition(inputChannels);
            int scratchRow = taps ? paddedWidth + ChainWords * rowWords : paddedWidth * columnWords;
            int inputStep = taps ? ChainWords : 1;
            int rowSpan = rowWords * inputStep;
            int rowsPerBlock = BlockWords / rowWords;
            int groupWords = filterHeight * rowWords * TileChannels;
            int outputPlane = outputHeight * outputWidth;
            int strideRowWords = strideHeight * scratchRow;
            int strideColumnWords = strideWidth * columnWords;
            int column2 = 2 * strideColumnWords;
            int column3 = 3 * strideColumnWords;
            int column4 = 4 * strideColumnWords;
            int column5 = 5 * strideColumnWords;
            int column6 = 6 * strideColumnWords;
            int column7 = 7 * strideColumnWords;
            for (int batch = 0; batch < batches; batch++)
            {
                int batchStart = inputOffset + batch * inputChannels * inputHeight * inputWidth;
                if (taps)
                {
                    PackInputTaps(input, batchStart, inputHeight, inputWidth, inputZeroPoint, padTop, padLeft, paddedHeight, paddedWidth,
                        scratchRow, scratch, filterWords);
                }
                else
                {
                    PackInput(input, batchStart, inputChannels, inputHeight, inputWidth, inputZeroPoint, padTop, padLeft, paddedHeight, paddedWidth,
                        scratch, filterWords);
                }

                int outputBatchStart = outputOffset + batch * outputChannels * outputPlane;
                int groupStart = 0;
                for (int firstChannel = 0; firstChannel < outputChannels; firstChannel += TileChannels)
                {
                    int channels = outputChannels - firstChannel < TileChannels ? outputChannels - firstChannel : TileChannels;
                    int outputIndex = outputBatchStart + firstChannel * outputPlane;
                    int rowWindow = filterWords;
                    int outputX = 0;
                    for (int position = 0; position < outputPlane; position += TilePositions)
                    {
                        int start0 = rowWindow + outputX * strideColumnWords;
                        if (outputX + TilePositions <= outputWidth)
                        {
                            // The whole tile in one output row: its windows a column stride apart.
#if NANOINT8_COUNTERS
                            RuntimeCounters.AddMultiplyAccumulates(TilePositions * channels * inputChannels * filterHeight * filterWidth);
#endif
                            EvalTile(scratch, start0, start0 + strideColumnWords, start0 + column2, start0 + column3,
                                start0 + column4, start0 + column5, start0 + column6, start0 + column7,
                                groupStart, filterHeight, rowSpan, inputStep, scratchRow, rowsPerBlock, channels, TilePositions,
                                bias, biasOffset + firstChannel, multiplier, multiplierOffset + firstChannel, shift, shiftOffset + firstChannel,
                                output, outputIndex, outputPlane, outputZeroPoint, activationMin, activationMax, mode);
                            outputX += TilePositions;
                            if (outputX == outputWidth)
                            {
                                outputX = 0;
                                rowWindow += strideRowWords;
                            }
                        }
                        else
                        {
                            // The tile crosses a row end (or the plane's end: count < 8).
                            int count = outputPlane - position < TilePositions ? outputPlane - position : TilePositions;
                            int windows = filterWords;
#if NANOINT8_COUNTERS
                            RuntimeCounters.AddMultiplyAccumulates(count * channels * inputChannels * filterHeight * filterWidth);
#endif
                            EvalTile(scratch, start0,
                                WindowStart(position + 1, outputPlane, outputWidth, windows, strideRowWords, strideColumnWords, start0),
                                WindowStart(position + 2, outputPlane, outputWidth, windows, strideRowWords, strideColumnWords, start0),
                                WindowStart(position + 3, outputPlane, outputWidth, windows, strideRowWords, strideColumnWords, start0),
                                WindowStart(position + 4, outputPlane, outputWidth, windows, strideRowWords, strideColumnWords, start0),
                                WindowStart(position + 5, outputPlane, outputWidth, windows, strideRowWords, strideColumnWords, start0),
                                WindowStart(position + 6, outputPlane, outputWidth, windows, strideRowWords, strideColumnWords, start0),
                                WindowStart(position + 7, outputPlane, outputWidth, windows, strideRowWords, strideColumnWords, start0),
                                groupStart, filterHeight, rowSpan, inputStep, scratchRow, rowsPerBlock, channels, count,
                                bias, biasOffset + firstChannel, multiplier, multiplierOffset + firstChannel, shift, shiftOffset + firstChannel,
                                output, outputIndex, outputPlane, outputZeroPoint, activationMin, activationMax, mode);
                            int next = position + TilePositions;
                            outputX = next % outputWidth;
                            rowWindow = windows + next / outputWidth * strideRowWords;
                        }

                        outputIndex += TilePositions;
                    }

                    groupStart += groupWords;
                }
            }
        }

        // The scratch index of the window of output position (of the plane) `position`, or
        // `fallback` past the plane's end (a position the tile computes but does not store).
        private static int WindowStart(int position, int outputPlane, int outputWidth, int windows, int strideRowWords, int strideColumnWords, int fallback)
        {
            if (position >= outputPlane)
            {
                return fallback;
            }

            return windows + position / outputWidth * strideRowWords + position % outputWidth * strideColumnWords;
        }

        // Eight output positions (windows at start0..start7) × eight output channels (filter words
        // from groupStart): see the class. 64 block sums, 64 accumulators and 27 operands live in
        // locals, 170 in the Release build: nanoCLR counts a method's locals in one byte, and the
        // device audit (tests/NanoInt8.DeviceAudit.Tests) fails a method above 255.
        private static void EvalTile(long[] scratch, int start0, int start1, int start2, int start3, int start4, int start5, int start6, int start7,
            int groupStart, int filterHeight, int rowSpan, int inputStep, int scratchRow, int rowsPerBlock, int channels, int count,
            int[] bias, int biasIndex, int[] multiplier, int multiplierIndex, int[] shift, int shiftIndex,
            sbyte[] output, int outputIndex, int outputPlane, int outputZeroPoint, int activationMin, int activationMax, int mode)
        {
            // Channels of the group beyond the output's have zero weights and are not stored.
            int bias0 = bias[biasIndex];
            int bias1 = channels > 1 ? bias[biasIndex + 1] : 0;
            int bias2 = channels > 2 ? bias[biasIndex + 2] : 0;
            int bias3 = channels > 3 ? bias[biasIndex + 3] : 0;
            int bias4 = channels > 4 ? bias[biasIndex + 4] : 0;
            int bias5 = channels > 5 ? bias[biasIndex + 5] : 0;
            int bias6 = channels > 6 ? bias[biasIndex + 6] : 0;
            int bias7 = channels > 7 ? bias[biasIndex + 7] : 0;

            // accumulatorPC, sumPC: position P of the tile, channel C of the group.
            int accumulator00 = bias0, accumulator01 = bias1, accumulator02 = bias2, accumulator03 = bias3, accumulator04 = bias4, accumulator05 = bias5, accumulator06 = bias6, accumulator07 = bias7;
            int accumulator10 = bias0, accumulator11 = bias1, accumulator12 = bias2, accumulator13 = bias3, accumulator14 = bias4, accumulator15 = bias5, accumulator16 = bias6, accumulator17 = bias7;
            int accumulator20 = bias0, accumulator21 = bias1, accumulator22 = bias2, accumulator23 = bias3, accumulator24 = bias4, accumulator25 = bias5, accumulator26 = bias6, accumulator27 = bias7;
            int accumulator30 = bias0, accumulator31 = bias1, accumulator32 = bias2, accumulator33 = bias3, accumulator34 = bias4, accumulator35 = bias5, accumulator36 = bias6, accumulator37 = bias7;
            int accumulator40 = bias0, accumulator41 = bias1, accumulator42 = bias2, accumulator43 = bias3, accumulator44 = bias4, accumulator45 = bias5, accumulator46 = bias6, accumulator47 = bias7;
            int accumulator50 = bias0, accumulator51 = bias1, accumulator52 = bias2, accumulator53 = bias3, accumulator54 = bias4, accumulator55 = bias5, accumulator56 = bias6, accumulator57 = bias7;
            int accumulator60 = bias0, accumulator61 = bias1, accumulator62 = bias2, accumulator63 = bias3, accumulator64 = bias4, accumulator65 = bias5, accumulator66 = bias6, accumulator67 = bias7;
            int accumulator70 = bias0, accumulator71 = bias1, accumulator72 = bias2, accumulator73 = bias3, accumulator74 = bias4, accumulator75 = bias5, accumulator76 = bias6, accumulator77 = bias7;
            int filterIndex = groupStart;
            int rowBase = 0;
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
                    int k = rowBase;
                    int rowEnd = rowBase + rowSpan;
                    while (k < rowEnd)
                    {
                        // Three words of each window, three filter words of each channel: 192 products.
                        int k1 = k + inputStep;
                        int k2 = k1 + inputStep;
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
                        k = k2 + inputStep;
                    }

                    rowBase += scratchRow;
                    filterY++;
                }

                accumulator00 += (int)((sum00 << ExtractLeft) >> ExtractRight);
                accumulator01 += (int)((sum01 << ExtractLeft) >> ExtractRight);
                accumulator02 += (int)((sum02 << ExtractLeft) >> ExtractRight);
                accumulator03 += (int)((sum03 << ExtractLeft) >> ExtractRight);
                accumulator04 += (int)((sum04 << ExtractLeft) >> ExtractRight);
                accumulator05 += (int)((sum05 << ExtractLeft) >> ExtractRight);
                accumulator06 += (int)((sum06 << ExtractLeft) >> ExtractRight);
                accumulator07 += (int)((sum07 << ExtractLeft) >> ExtractRight);
                accumulator10 += (int)((sum10 << ExtractLeft) >> ExtractRight);
                accumulator11 += (int)((sum11 << ExtractLeft) >> ExtractRight);
                accumulator12 += (int)((sum12 << ExtractLeft) >> ExtractRight);
                accumulator13 += (int)((sum13 << ExtractLeft) >> ExtractRight);
                accumulator14 += (int)((sum14 << ExtractLeft) >> ExtractRight);
                accumulator15 += (int)((sum15 << ExtractLeft) >> ExtractRight);
                accumulator16 += (int)((sum16 << ExtractLeft) >> ExtractRight);
                accumulator17 += (int)((sum17 << ExtractLeft) >> ExtractRight);
                accumulator20 += (int)((sum20 << ExtractLeft) >> ExtractRight);
                accumulator21 += (int)((sum21 << ExtractLeft) >> ExtractRight);
                accumulator22 += (int)((sum22 << ExtractLeft) >> ExtractRight);
                accumulator23 += (int)((sum23 << ExtractLeft) >> ExtractRight);
                accumulator24 += (int)((sum24 << ExtractLeft) >> ExtractRight);
                accumulator25 += (int)((sum25 << ExtractLeft) >> ExtractRight);
                accumulator26 += (int)((sum26 << ExtractLeft) >> ExtractRight);
                accumulator27 += (int)((sum27 << ExtractLeft) >> ExtractRight);
                accumulator30 += (int)((sum30 << ExtractLeft) >> ExtractRight);
                accumulator31 += (int)((sum31 << ExtractLeft) >> ExtractRight);
                accumulator32 += (int)((sum32 << ExtractLeft) >> ExtractRight);
                accumulator33 += (int)((sum33 << ExtractLeft) >> ExtractRight);
                accumulator34 += (int)((sum34 << ExtractLeft) >> ExtractRight);
                accumulator35 += (int)((sum35 << ExtractLeft) >> ExtractRight);
                accumulator36 += (int)((sum36 << ExtractLeft) >> ExtractRight);
                accumulator37 += (int)((sum37 << ExtractLeft) >> ExtractRight);
                accumulator40 += (int)((sum40 << ExtractLeft) >> ExtractRight);
                accumulator41 += (int)((sum41 << ExtractLeft) >> ExtractRight);
                accumulator42 += (int)((sum42 << ExtractLeft) >> ExtractRight);
                accumulator43 += (int)((sum43 << ExtractLeft) >> ExtractRight);
                accumulator44 += (int)((sum44 << ExtractLeft) >> ExtractRight);
                accumulator45 += (int)((sum45 << ExtractLeft) >> ExtractRight);
                accumulator46 += (int)((sum46 << ExtractLeft) >> ExtractRight);
                accumulator47 += (int)((sum47 << ExtractLeft) >> ExtractRight);
                accumulator50 += (int)((sum50 << ExtractLeft) >> ExtractRight);
                accumulator51 += (int)((sum51 << ExtractLeft) >> ExtractRight);
                accumulator52 += (int)((sum52 << ExtractLeft) >> ExtractRight);
                accumulator53 += (int)((sum53 << ExtractLeft) >> ExtractRight);
                accumulator54 += (int)((sum54 << ExtractLeft) >> ExtractRight);
                accumulator55 += (int)((sum55 << ExtractLeft) >> ExtractRight);
                accumulator56 += (int)((sum56 << ExtractLeft) >> ExtractRight);
                accumulator57 += (int)((sum57 << ExtractLeft) >> ExtractRight);
                accumulator60 += (int)((sum60 << ExtractLeft) >> ExtractRight);
                accumulator61 += (int)((sum61 << ExtractLeft) >> ExtractRight);
                accumulator62 += (int)((sum62 << ExtractLeft) >> ExtractRight);
                accumulator63 += (int)((sum63 << ExtractLeft) >> ExtractRight);
                accumulator64 += (int)((sum64 << ExtractLeft) >> ExtractRight);
                accumulator65 += (int)((sum65 << ExtractLeft) >> ExtractRight);
                accumulator66 += (int)((sum66 << ExtractLeft) >> ExtractRight);
                accumulator67 += (int)((sum67 << ExtractLeft) >> ExtractRight);
                accumulator70 += (int)((sum70 << ExtractLeft) >> ExtractRight);
                accumulator71 += (int)((sum71 << ExtractLeft) >> ExtractRight);
                accumulator72 += (int)((sum72 << ExtractLeft) >> ExtractRight);
                accumulator73 += (int)((sum73 << ExtractLeft) >> ExtractRight);
                accumulator74 += (int)((sum74 << ExtractLeft) >> ExtractRight);
                accumulator75 += (int)((sum75 << ExtractLeft) >> ExtractRight);
                accumulator76 += (int)((sum76 << ExtractLeft) >> ExtractRight);
                accumulator77 += (int)((sum77 << ExtractLeft) >> ExtractRight);
            }

            StoreEight(accumulator00, accumulator10, accumulator20, accumulator30, accumulator40, accumulator50, accumulator60, accumulator70, count,
                multiplier[multiplierIndex], shift[shiftIndex], output, outputIndex, outputZeroPoint, activationMin, activationMax, mode);

            if (channels > 1)
            {
                StoreEight(accumulator01, accumulator11, accumulator21, accumulator31, accumulator41, accumulator51, accumulator61, accumulator71, count,
                    multiplier[multiplierIndex + 1], shift[shiftIndex + 1], output, outputIndex + outputPlane, outputZeroPoint, activationMin, activationMax, mode);
            }

            if (channels > 2)
            {
                StoreEight(accumulator02, accumulator12, accumulator22, accumulator32, accumulator42, accumulator52, accumulator62, accumulator72, count,
                    multiplier[multiplierIndex + 2], shift[shiftIndex + 2], output, outputIndex + 2 * outputPlane, outputZeroPoint, activationMin, activationMax, mode);
            }

            if (channels > 3)
            {
                StoreEight(accumulator03, accumulator13, accumulator23, accumulator33, accumulator43, accumulator53, accumulator63, accumulator73, count,
                    multiplier[multiplierIndex + 3], shift[shiftIndex + 3], output, outputIndex + 3 * outputPlane, outputZeroPoint, activationMin, activationMax, mode);
            }

            if (channels > 4)
            {
                StoreEight(accumulator04, accumulator14, accumulator24, accumulator34, accumulator44, accumulator54, accumulator64, accumulator74, count,
                    multiplier[multiplierIndex + 4], shift[shiftIndex + 4], output, outputIndex + 4 * outputPlane, outputZeroPoint, activationMin, activationMax, mode);
            }

            if (channels > 5)
            {
                StoreEight(accumulator05, accumulator15, accumulator25, accumulator35, accumulator45, accumulator55, accumulator65, accumulator75, count,
                    multiplier[multiplierIndex + 5], shift[shiftIndex + 5], output, outputIndex + 5 * outputPlane, outputZeroPoint, activationMin, activationMax, mode);
            }

            if (channels > 6)
            {
                StoreEight(accumulator06, accumulator16, accumulator26, accumulator36, accumulator46, accumulator56, accumulator66, accumulator76, count,
                    multiplier[multiplierIndex + 6], shift[shiftIndex + 6], output, outputIndex + 6 * outputPlane, outputZeroPoint, activationMin, activationMax, mode);
            }

            if (channels > 7)
            {
                StoreEight(accumulator07, accumulator17, accumulator27, accumulator37, accumulator47, accumulator57, accumulator67, accumulator77, count,
                    multiplier[multiplierIndex + 7], shift[shiftIndex + 7], output, outputIndex + 7 * outputPlane, outputZeroPoint, activationMin, activationMax, mode);
            }
        }

        // One channel's outputs at eight consecutive positions of the plane (the first `count`
        // stored). In the q31 mode with a shift the 64-bit sum allows, the requantization is
        // inline: FixedPoint.MultiplyByQuantizedMultiplier's formula (one product, one rounding half
        // to even) with its per-channel terms computed once and the output zero point added in the
        // rounding constant, (p + half + zo·2^k) >> k = ((p + half) >> k) + zo, so the tie test
        // checks the parity of value - zo. Other modes and partial tiles go through Requantization.Apply.
        private static void StoreEight(int accumulator0, int accumulator1, int accumulator2, int accumulator3,
            int accumulator4, int accumulator5, int accumulator6, int accumulator7, int count,
            int channelMultiplier, int channelShift, sbyte[] output, int index, int outputZeroPoint, int activationMin, int activationMax, int mode)
        {
            int totalShift = 31 - channelShift;
            if (mode != Requantization.Q31 || count < TilePositions || totalShift > MaxFoldedShift)
            {
                StoreSlow(accumulator0, accumulator1, accumulator2, accumulator3, accumulator4, accumulator5, accumulator6, accumulator7, count,
                    channelMultiplier, channelShift, output, index, outputZeroPoint, activationMin, activationMax, mode);
                return;
            }

#if NANOINT8_COUNTERS
            // As Requantization.Apply counts a q31 requantization.
            for (int i = 0; i < TilePositions; i++)
            {
                RuntimeCounters.AddRequantization(9);
            }
#endif
            long wideMultiplier = channelMultiplier;
            long half = 1L << (totalShift - 1);
            long tieMask = (half << 1) - 1;
            long rounding = half + ((long)outputZeroPoint << totalShift);
            long product = accumulator0 * wideMultiplier;
            int value = (int)((product + rounding) >> totalShift);
            if ((product & tieMask) == half)
            {
                value -= (value ^ outputZeroPoint) & 1;
            }

            output[index] = (sbyte)(value < activationMin ? activationMin : value > activationMax ? activationMax : value);

            product = accumulator1 * wideMultiplier;
            value = (int)((product + rounding) >> totalShift);
            if ((product & tieMask) == half)
            {
                value -= (value ^ outputZeroPoint) & 1;
            }

            output[index + 1] = (sbyte)(value < activationMin ? activationMin : value > activationMax ? activationMax : value);

            product = accumulator2 * wideMultiplier;
            value = (int)((product + rounding) >> totalShift);
            if ((product & tieMask) == half)
            {
                value -= (value ^ outputZeroPoint) & 1;
            }

            output[index + 2] = (sbyte)(value < activationMin ? activationMin : value > activationMax ? activationMax : value);

            product = accumulator3 * wideMultiplier;
            value = (int)((product + rounding) >> totalShift);
            if ((product & tieMask) == half)
            {
                value -= (value ^ outputZeroPoint) & 1;
            }

            output[index + 3] = (sbyte)(value < activationMin ? activationMin : value > activationMax ? activationMax : value);

            product = accumulator4 * wideMultiplier;
            value = (int)((product + rounding) >> totalShift);
            if ((product & tieMask) == half)
            {
                value -= (value ^ outputZeroPoint) & 1;
            }

            output[index + 4] = (sbyte)(value < activationMin ? activationMin : value > activationMax ? activationMax : value);

            product = accumulator5 * wideMultiplier;
            value = (int)((product + rounding) >> totalShift);
            if ((product & tieMask) == half)
            {
                value -= (value ^ outputZeroPoint) & 1;
            }

            output[index + 5] = (sbyte)(value < activationMin ? activationMin : value > activationMax ? activationMax : value);

            product = accumulator6 * wideMultiplier;
            value = (int)((product + rounding) >> totalShift);
            if ((product & tieMask) == half)
            {
                value -= (value ^ outputZeroPoint) & 1;
            }

            output[index + 6] = (sbyte)(value < activationMin ? activationMin : value > activationMax ? activationMax : value);

            product = accumulator7 * wideMultiplier;
            value = (int)((product + rounding) >> totalShift);
            if ((product & tieMask) == half)
            {
                value -= (value ^ outputZeroPoint) & 1;
            }

            output[index + 7] = (sbyte)(value < activationMin ? activationMin : value > activationMax ? activationMax : value);
        }

        // Largest total shift k for which |x·m| + 2^(k-1) + |zo|·2^k stays below 2^63 (|x·m| < 2^62, |zo| ≤ 255).
        private const int MaxFoldedShift = 52;

        private static void StoreSlow(int accumulator0, int accumulator1, int accumulator2, int accumulator3,
            int accumulator4, int accumulator5, int accumulator6, int accumulator7, int count,
            int channelMultiplier, int channelShift, sbyte[] output, int index, int outputZeroPoint, int activationMin, int activationMax, int mode)
        {
            Store(accumulator0, channelMultiplier, channelShift, output, index, outputZeroPoint, activationMin, activationMax, mode);
            if (count > 1)
            {
                Store(accumulator1, channelMultiplier, channelShift, output, index + 1, outputZeroPoint, activationMin, activationMax, mode);
            }

            if (count > 2)
            {
                Store(accumulator2, channelMultiplier, channelShift, output, index + 2, outputZeroPoint, activationMin, activationMax, mode);
            }

            if (count > 3)
            {
                Store(accumulator3, channelMultiplier, channelShift, output, index + 3, outputZeroPoint, activationMin, activationMax, mode);
            }

            if (count > 4)
            {
                Store(accumulator4, channelMultiplier, channelShift, output, index + 4, outputZeroPoint, activationMin, activationMax, mode);
            }

            if (count > 5)
            {
                Store(accumulator5, channelMultiplier, channelShift, output, index + 5, outputZeroPoint, activationMin, activationMax, mode);
            }

            if (count > 6)
            {
                Store(accumulator6, channelMultiplier, channelShift, output, index + 6, outputZeroPoint, activationMin, activationMax, mode);
            }

            if (count > 7)
            {
                Store(accumulator7, channelMultiplier, channelShift, output, index + 7, outputZeroPoint, activationMin, activationMax, mode);
            }
        }

        // One output requantized and clamped; FullyConnectedTripleKernel's store too. The q31 mode
        // inline (FixedPoint.MultiplyByQuantizedMultiplier's formula: one product, one rounding half
        // to even), the others through Requantization.Apply.
        internal static void Store(int accumulator, int channelMultiplier, int channelShift,
            sbyte[] output, int index, int outputZeroPoint, int activationMin, int activationMax, int mode)
        {
            int value;
            if (mode == Requantization.Q31)
            {
#if NANOINT8_COUNTERS
                RuntimeCounters.AddRequantization(9);
#endif
                int totalShift = 31 - channelShift;
                long half = 1L << (totalShift - 1);
                long product = (long)accumulator * channelMultiplier;
                value = (int)((product + half) >> totalShift);
                if ((product & ((half << 1) - 1)) == half && (value & 1) != 0)
                {
                    value--;
                }

                value += outputZeroPoint;
            }
            else
            {
                value = outputZeroPoint + Requantization.Apply(accumulator, channelMultiplier, channelShift, mode);
            }

            output[index] = (sbyte)(value < activationMin ? activationMin : value > activationMax ? activationMax : value);
        }

        // scratch[0 .. words) = the filter words: b2 + b1·2^21 + b0·2^42 from lanes (b0, b1, b2).
        private static void BuildFilterWords(sbyte[] filter, int filterOffset, int words, long[] scratch)
        {
            int lane = filterOffset;
            for (int word = 0; word < words; word++)
            {
                scratch[word] = ((long)filter[lane] << 42) + ((long)filter[lane + 1] << 21) + filter[lane + 2];
                lane += 3;
            }
        }

        /// <summary>
        /// Packs one batch of the input, padding included, into scratch[start ..): word t of padded
        /// position (py, px), at start + (py·Wp + px)·T + t, is x[3t] + x[3t+1]·2^21 + x[3t+2]·2^42;
        /// padding reads zi, channels at or beyond C read 0; then ChainWords words of 0.
        /// </summary>
        public static void PackInput(sbyte[] input, int batchStart, int inputChannels, int inputHeight, int inputWidth, int inputZeroPoint,
            int padTop, int padLeft, int paddedHeight, int paddedWidth, long[] scratch, int start)
        {
            int wordsPerPosition = WordsPerPosition(inputChannels);
            int scratchRow = paddedWidth * wordsPerPosition;
            int end = start + paddedHeight * scratchRow;
            int interiorStart = start + padTop * scratchRow;
            int interiorEnd = interiorStart + inputHeight * scratchRow;
            int rightStart = (padLeft + inputWidth) * wordsPerPosition;
            for (int triple = 0; triple < wordsPerPosition; triple++)
            {
                // The padding positions (only they: the input overwrites the rest) get the zero
                // point in the lanes of real channels: the rows above and below, then the columns
                // left and right of each input row.
                long padWord = 0;
                for (int lane = 0; lane < 3 && 3 * triple + lane < inputChannels; lane++)
                {
                    padWord += (long)inputZeroPoint << (LaneBits * lane);
                }

                Fill(scratch, start + triple, interiorStart, wordsPerPosition, padWord);
                Fill(scratch, interiorEnd + triple, end, wordsPerPosition, padWord);
                for (int rowStart = interiorStart; rowStart < interiorEnd; rowStart += scratchRow)
                {
                    Fill(scratch, rowStart + triple, rowStart + padLeft * wordsPerPosition, wordsPerPosition, padWord);
                    Fill(scratch, rowStart + rightStart + triple, rowStart + scratchRow, wordsPerPosition, padWord);
                }
            }

            Fill(scratch, end, end + ChainWords, 1, 0);

            int plane = inputHeight * inputWidth;
            for (int triple = 0; triple < wordsPerPosition; triple++)
            {
                int lanes = inputChannels - 3 * triple < 3 ? inputChannels - 3 * triple : 3;
                int firstChannel = batchStart + 3 * triple * plane;
                for (int y = 0; y < inputHeight; y++)
                {
                    int inputIndex = firstChannel + y * inputWidth;
                    int inputRowEnd = inputIndex + inputWidth;
                    int word = start + (padTop + y) * scratchRow + padLeft * wordsPerPosition + triple;
                    if (lanes == 3)
                    {
                        int second = plane;
                        int third = 2 * plane;

                        // Two positions a pass, then the last one.
                        int second1 = second + 1;
                        int third1 = third + 1;
                        int twoEnd = inputRowEnd - 1;
                        int twoWords = 2 * wordsPerPosition;
                        while (inputIndex < twoEnd)
                        {
                            scratch[word] = input[inputIndex] + ((long)input[inputIndex + second] << 21) + ((long)input[inputIndex + third] << 42);
                            scratch[word + wordsPerPosition] = input[inputIndex + 1] + ((long)input[inputIndex + second1] << 21) + ((long)input[inputIndex + third1] << 42);
                            inputIndex += 2;
                            word += twoWords;
                        }

                        while (inputIndex < inputRowEnd)
                        {
                            scratch[word] = input[inputIndex] + ((long)input[inputIndex + second] << 21) + ((long)input[inputIndex + third] << 42);
                            inputIndex++;
                            word += wordsPerPosition;
                        }
                    }
                    else if (lanes == 2)
                    {
                        int second1 = plane + 1;
                        int twoEnd = inputRowEnd - 1;
                        int twoWords = 2 * wordsPerPosition;
                        while (inputIndex < twoEnd)
                        {
                            scratch[word] = input[inputIndex] + ((long)input[inputIndex + plane] << 21);
                            scratch[word + wordsPerPosition] = input[inputIndex + 1] + ((long)input[inputIndex + second1] << 21);
                            inputIndex += 2;
                            word += twoWords;
                        }

                        while (inputIndex < inputRowEnd)
                        {
                            scratch[word] = input[inputIndex] + ((long)input[inputIndex + plane] << 21);
                            inputIndex++;
                            word += wordsPerPosition;
                        }
                    }
                    else
                    {
                        while (inputIndex < inputRowEnd)
                        {
                            scratch[word] = input[inputIndex];
                            inputIndex++;
                            word += wordsPerPosition;
                        }
                    }
                }
            }
        }

        /// <summary>
        /// Packs one batch of a one-channel input by tap triples into scratch[start ..): word
        /// (py, px), at start + py·rowWords + px, is v(px) + v(px+1)·2^21 + v(px+2)·2^42 for px in
        /// [0, rowWords), v the padded row (zi in the padding) and 0 from column Wp on.
        /// </summary>
        public static void PackInputTaps(sbyte[] input, int batchStart, int inputHeight, int inputWidth, int inputZeroPoint,
            int padTop, int padLeft, int paddedHeight, int paddedWidth, int rowWords, long[] scratch, int start)
        {
            int inputEnd = padLeft + inputWidth;
            int word = start;
            for (int row = 0; row < paddedHeight; row++)
            {
                int inputRow = row - padTop;
                bool inside = inputRow >= 0 && inputRow < inputHeight;
                int rowStart = batchStart + inputRow * inputWidth - padLeft;
                long first;
                long second = PaddedValue(input, rowStart, 0, inside, padLeft, inputEnd, paddedWidth, inputZeroPoint);
                long third = PaddedValue(input, rowStart, 1, inside, padLeft, inputEnd, paddedWidth, inputZeroPoint);

                // Columns whose third value v(column + 2) is an input element read it directly;
                // the others (padding, past Wp, rows outside the input) through PaddedValue.
                int directStart = inside ? padLeft - 2 : rowWords;
                int directEnd = inside ? inputEnd - 2 : rowWords;
                int column = 0;
                while (column < rowWords)
                {
                    if (column >= directStart && column < directEnd)
                    {
                        int inputIndex = rowStart + column + 2;
                        int runEnd = word + directEnd - column;
                        while (word < runEnd)
                        {
                            first = second;
                            second = third;
                            third = input[inputIndex];
                            scratch[word] = first + (second << 21) + (third << 42);
                            inputIndex++;
                            word++;
                        }

                        column = directEnd;
                        continue;
                    }

                    first = second;
                    second = third;
                    third = PaddedValue(input, rowStart, column + 2, inside, padLeft, inputEnd, paddedWidth, inputZeroPoint);
                    scratch[word] = first + (second << 21) + (third << 42);
                    word++;
                    column++;
                }
            }
        }

        // scratch[from], scratch[from + step], ... below `to` = value.
        private static void Fill(long[] scratch, int from, int to, int step, long value)
        {
            for (int word = from; word < to; word += step)
            {
                scratch[word] = value;
            }
        }

        // v(column) of a padded row: the input inside, zi in the padding, 0 from column Wp on.
        private static long PaddedValue(sbyte[] input, int rowStart, int column, bool inside, int padLeft, int inputEnd, int paddedWidth, int inputZeroPoint)
        {
            if (column >= paddedWidth)
            {
                return 0;
            }

            return inside && column >= padLeft && column < inputEnd ? input[rowStart + column] : inputZeroPoint;
        }

        /// <summary>
        /// Writes filter [O, C, KH, KW] (from filterOffset) as 3·<see cref="FilterWords"/> int8
        /// lanes at packed[packedOffset..], in the order the kernel builds its words: word
        /// [g, ky, j, c] (g a group of eight output channels, j &lt; R a word of the window row)
        /// is the lanes (b0, b1, b2) = w[8g+c, 3t+l, ky, kx] for j = kx·T + t (C ≥ 2), or
        /// w[8g+c, 0, ky, 3j+l] (C = 1); 0 beyond the filter and for channels at or beyond O.
        /// </summary>
        public static void PackFilter(sbyte[] filter, int filterOffset, int outputChannels, int inputChannels, int filterHeight, int filterWidth,
            sbyte[] packed, int packedOffset)
        {
            int rowWords = RowWords(inputChannels, filterWidth);
            int wordsPerPosition = WordsPerPosition(inputChannels);
            int taps = filterHeight * filterWidth;
            int lane = packedOffset;
            for (int firstChannel = 0; firstChannel < outputChannels; firstChannel += TileChannels)
            {
                for (int filterY = 0; filterY < filterHeight; filterY++)
                {
                    for (int word = 0; word < rowWords; word++)
                    {
                        for (int member = 0; member < TileChannels; member++)
                        {
                            int channel = firstChannel + member;
                            for (int part = 0; part < 3; part++)
                            {
                                int value = 0;
                                if (channel < outputChannels)
                                {
                                    int channelStart = filterOffset + channel * inputChannels * taps + filterY * filterWidth;
                                    if (inputChannels == 1)
                                    {
                                        int tap = 3 * word + part;
                                        value = tap < filterWidth ? filter[channelStart + tap] : 0;
                                    }
                                    else
                                    {
                                        int filterX = word / wordsPerPosition;
                                        int inputChannel = 3 * (word % wordsPerPosition) + part;
                                        value = filterX < filterWidth && inputChannel < inputChannels
                                            ? filter[channelStart + inputChannel * taps + filterX] : 0;
                                    }
                                }

                                packed[lane] = (sbyte)value;
                                lane++;
                            }
                        }
                    }
                }
            }
        }
    }
}
