using NanoInt8.Runtime.Operators;

namespace NanoInt8.Runtime.Kernels
{
    /// <summary>
    /// Int8 fully connected layer three products per 64-bit multiply with the requantization,
    /// clamp and store of each output in one table read (issue 15, docs/model-format.md code 26):
    /// the same result as <see cref="FullyConnectedKernel"/>, bit for bit, in the q31 mode.
    /// </summary>
    /// <remarks>
    /// Lanes. <c>Conv2DLanesKernel</c>'s: an input word a0 + a1·2^21 + a2·2^42 (taps 3j ..
    /// 3j+2 of a row, packed once per row into the scratch, exactly W = ⌈K/3⌉ words), a filter word
    /// b0·2^43 + b1·2^22 + b2·2^1 (an int64 constant the host built, <see cref="FilterWord"/>); the
    /// product's bits [43, 64) hold a0·b0 + a1·b1 + a2·b2, its low part
    /// L = (a0·b1 + a1·b2)·2^22 + a0·b2·2 stays below, and S &gt;&gt; 43 reads the field.
    /// Overflow bound. A lane block sums the products of <see cref="FullyConnectedLanesOperator.BlockWords"/>
    /// consecutive words from 2^42. Its field holds the block's dot product V exactly when the low
    /// parts never carry into it, Σ|L| &lt; 2^42, where |L| ≤ (|b1| + |b2|)·2^29 + |b2|·2^8 for
    /// |a| ≤ 128, and when -2^20 ≤ V &lt; 2^20, where V lies between Σ min(-128·b, 127·b) and
    /// Σ max(-128·b, 127·b) over the block's taps. Both depend on the weights only: the converter
    /// takes the longest block its layer allows (the whole row whenever it has at most 21 words),
    /// the reader checks both for every channel and every block (<see cref="BlockBounds"/>). Any
    /// 21 words satisfy them (21·(2^37 + 2^15) &lt; 2^42, 63·2^14 &lt; 2^20). The blocks' fields are
    /// added to an int32 accumulator that starts at the bias.
    /// Store. <see cref="ClampTableStore"/>'s: no rounding ties and every index inside the table
    /// (the reader checks each channel over its accumulator's range), so an output is
    /// table[(acc·m + (2·(zo + zero) + 1)·2^(k-1)) &gt;&gt; k], k = 31 - shift.
    /// Tiles. Output channels in tiles of 16 while sixteen are left, then one of 8, 4, 2 and 1 as
    /// many are left, so no channel is computed that is not stored; a tile's filter words are [W, width]
    /// (word j of its channel c at j·width + c), from the tile's first channel times W. Per inner
    /// iteration three input words are loaded once for 3·width products, each channel's sum taking
    /// its three in one expression; a block's one or two last words (W need not be a multiple of
    /// three) are taken apart.
    /// </remarks>
    public static class FullyConnectedLanesKernel
    {
        /// <summary>Input words taken per inner iteration.</summary>
        public const int ChainWords = LaneWords.ChainWords;

        /// <summary>Widest tile: output channels side by side in the filter.</summary>
        public const int TileChannels = 16;

        /// <summary>Block length every layer satisfies (see the bound on the class).</summary>
        public const int SafeBlockWords = LaneWords.BlockWords;

        // Conv2DLanesKernel's lanes: the dot field is bits [DotShift, 64), a block sum starts at
        // LaneBias, the field holds [-LaneLimit, LaneLimit); a block's low parts stay below LowLimit.
        private const int DotShift = LaneWords.DotShift;
        private const long LaneBias = LaneWords.LaneBias;
        private const long LaneLimit = LaneWords.LaneLimit;
        private const long LowLimit = 1L << 42;

        /// <summary>Words W of a packed row of <paramref name="depth"/> taps: ⌈K/3⌉.</summary>
        public static int Words(int depth)
        {
            return (depth + 2) / 3;
        }

        /// <summary>Width of the tile that starts where <paramref name="left"/> output channels are left: 16, else the largest power of two up to it.</summary>
        public static int TileWidth(int left)
        {
            return left >= TileChannels ? TileChannels : left >= 8 ? 8 : left >= 4 ? 4 : left >= 2 ? 2 : 1;
        }

        /// <summary>Index in the filter (from its first word) of word <paramref name="word"/> of output channel <paramref name="channel"/>.</summary>
        public static int FilterIndex(int channel, int outputDepth, int words, int word)
        {
            // Tiles of 16 up to the last multiple of 16, then one of 8, 4, 2 and 1 for each bit of the rest.
            int tileStart = outputDepth - outputDepth % TileChannels;
            int width = TileChannels;
            if (channel < tileStart)
            {
                tileStart = channel - channel % TileChannels;
            }
            else
            {
                int left = outputDepth - tileStart;
                width = TileChannels / 2;
                while (channel >= tileStart + (left & width))
                {
                    tileStart += left & width;
                    width >>= 1;
                }
            }

            return tileStart * words + word * width + channel - tileStart;
        }

        /// <summary>The filter word of three taps (b0, b1, b2): b0·2^43 + b1·2^22 + b2·2.</summary>
        public static long FilterWord(int first, int second, int third)
        {
            return ((long)first << DotShift) + ((long)second << 22) + ((long)third << 1);
        }

        /// <summary>
        /// Tap <paramref name="part"/> (0, 1 or 2: b0, b1, b2) of a filter word, read as
        /// <see cref="FilterWord"/> built it; <see cref="IsValidFilterWord"/> says whether it did.
        /// </summary>
        public static int Tap(long word, int part)
        {
            long third = (word << 42) >> 43;
            if (part == 2)
            {
                return (int)third;
            }

            long rest = (word - (third << 1)) >> 22;
            long second = (rest << 43) >> 43;
            return part == 1 ? (int)second : (int)((rest - second) >> 21);
        }

        /// <summary>Whether a filter word is <see cref="FilterWord"/> of three taps in [-128, 127].</summary>
        public static bool IsValidFilterWord(long word)
        {
            int first = Tap(word, 0);
            int second = Tap(word, 1);
            int third = Tap(word, 2);
            return first >= -128 && first <= 127 && second >= -128 && second <= 127 && third >= -128 && third <= 127
                && FilterWord(first, second, third) == word;
        }

        /// <summary>
        /// Whether words [<paramref name="start"/>, <paramref name="end"/>) of output channel
        /// <paramref name="channel"/> make a lane block (see the bound on the class), and the range
        /// [low, high] of their dot product over every int8 input, added to <paramref name="low"/>
        /// and <paramref name="high"/>. The words must be valid filter words.
        /// </summary>
        public static bool BlockBounds(long[] filter, int filterOffset, int channel, int outputDepth, int words, int start, int end, ref long low, ref long high)
        {
            long lowPart = 0;
            long blockLow = 0;
            long blockHigh = 0;
            for (int word = start; word < end; word++)
            {
                long value = filter[filterOffset + FilterIndex(channel, outputDepth, words, word)];
                for (int part = 0; part < 3; part++)
                {
                    int weight = Tap(value, part);
                    blockLow += weight > 0 ? -128L * weight : 127L * weight;
                    blockHigh += weight > 0 ? 127L * weight : -128L * weight;
                }

                int second = Tap(value, 1);
                int third = Tap(value, 2);
                lowPart += ((long)((second < 0 ? -second : second) + (third < 0 ? -third : third)) << 29) + ((long)(third < 0 ? -third : third) << 8);
            }

            low += blockLow;
            high += blockHigh;
            return lowPart < LowLimit && blockLow >= -LaneLimit && blockHigh < LaneLimit;
        }

        /// <summary>
        /// Computes output[r, o] = clamp(zo + MBQM(bias[o] + Σ_k input[r, k]·w[o, k], multiplier[o],
        /// shift[o])) in the q31 mode, through the clamp table, with the filter
        /// <see cref="PackFilter"/> wrote.
        /// </summary>
        /// <param name="op">The operator's resolved arguments (<see cref="FullyConnectedLanesOperator"/>), read once.</param>
        public static void Eval(FullyConnectedLanesOperator op)
        {
            int depth = op.Depth;
            int outputDepth = op.OutputDepth;
            int words = Words(depth);
            for (int row = 0; row < op.Rows; row++)
            {
                FullyConnectedTripleKernel.PackRow(op.Input, op.InputOffset + row * depth, depth, words, op.Scratch);
                int rowOutput = op.OutputOffset + row * outputDepth;
                int filterStart = op.FilterOffset;
                int firstChannel = 0;
                while (firstChannel < outputDepth)
                {
                    int width = TileWidth(outputDepth - firstChannel);
#if NANOINT8_COUNTERS
                    RuntimeCounters.AddMultiplyAccumulates(depth * width);
                    for (int output = 0; output < width; output++)
                    {
                        // One q31 requantization each, counted as Requantization.Apply counts it.
                        RuntimeCounters.AddRequantization(9);
                    }
#endif
                    if (width == TileChannels)
                    {
                        EvalSixteen(op, firstChannel, filterStart, words, rowOutput + firstChannel);
                    }
                    else if (width == 8)
                    {
                        EvalEight(op, firstChannel, filterStart, words, rowOutput + firstChannel);
                    }
                    else if (width == 4)
                    {
                        EvalFour(op, firstChannel, filterStart, words, rowOutput + firstChannel);
                    }
                    else if (width == 2)
                    {
                        EvalTwo(op, firstChannel, filterStart, words, rowOutput + firstChannel);
                    }
                    else
                    {
                        EvalOne(op, firstChannel, filterStart, words, rowOutput + firstChannel);
                    }

                    firstChannel += width;
                    filterStart += width * words;
                }
            }
        }

        // Sixteen output channels from firstChannel (a tile of 16: filter words [W, 16] from filterStart).
        private static void EvalSixteen(FullyConnectedLanesOperator op, int firstChannel, int filterStart, int words, int outputIndex)
        {
            long[] scratch = op.Scratch;
            long[] filter = op.Filter;
            int blockWords = op.BlockWords;
            int[] bias = op.Bias;
            int biasIndex = op.BiasOffset + firstChannel;
            int accumulator0 = bias[biasIndex];
            int accumulator1 = bias[biasIndex + 1];
            int accumulator2 = bias[biasIndex + 2];
            int accumulator3 = bias[biasIndex + 3];
            int accumulator4 = bias[biasIndex + 4];
            int accumulator5 = bias[biasIndex + 5];
            int accumulator6 = bias[biasIndex + 6];
            int accumulator7 = bias[biasIndex + 7];
            int accumulator8 = bias[biasIndex + 8];
            int accumulator9 = bias[biasIndex + 9];
            int accumulator10 = bias[biasIndex + 10];
            int accumulator11 = bias[biasIndex + 11];
            int accumulator12 = bias[biasIndex + 12];
            int accumulator13 = bias[biasIndex + 13];
            int accumulator14 = bias[biasIndex + 14];
            int accumulator15 = bias[biasIndex + 15];
            int f = filterStart;
            int blockStart = 0;
            while (blockStart < words)
            {
                int blockEnd = words - blockStart > blockWords ? blockStart + blockWords : words;
                int chainEnd = blockEnd - (blockEnd - blockStart) % ChainWords;
                long sum0 = LaneBias, sum1 = LaneBias, sum2 = LaneBias, sum3 = LaneBias;
                long sum4 = LaneBias, sum5 = LaneBias, sum6 = LaneBias, sum7 = LaneBias;
                long sum8 = LaneBias, sum9 = LaneBias, sum10 = LaneBias, sum11 = LaneBias;
                long sum12 = LaneBias, sum13 = LaneBias, sum14 = LaneBias, sum15 = LaneBias;
                int k = blockStart;
                while (k < chainEnd)
                {
                    // Three input words times 16 channels: 48 products, 144 multiply-accumulates.
                    long input0 = scratch[k];
                    long input1 = scratch[k + 1];
                    long input2 = scratch[k + 2];
                    sum0 += input0 * filter[f] + input1 * filter[f + 16] + input2 * filter[f + 32];
                    sum1 += input0 * filter[f + 1] + input1 * filter[f + 17] + input2 * filter[f + 33];
                    sum2 += input0 * filter[f + 2] + input1 * filter[f + 18] + input2 * filter[f + 34];
                    sum3 += input0 * filter[f + 3] + input1 * filter[f + 19] + input2 * filter[f + 35];
                    sum4 += input0 * filter[f + 4] + input1 * filter[f + 20] + input2 * filter[f + 36];
                    sum5 += input0 * filter[f + 5] + input1 * filter[f + 21] + input2 * filter[f + 37];
                    sum6 += input0 * filter[f + 6] + input1 * filter[f + 22] + input2 * filter[f + 38];
                    sum7 += input0 * filter[f + 7] + input1 * filter[f + 23] + input2 * filter[f + 39];
                    sum8 += input0 * filter[f + 8] + input1 * filter[f + 24] + input2 * filter[f + 40];
                    sum9 += input0 * filter[f + 9] + input1 * filter[f + 25] + input2 * filter[f + 41];
                    sum10 += input0 * filter[f + 10] + input1 * filter[f + 26] + input2 * filter[f + 42];
                    sum11 += input0 * filter[f + 11] + input1 * filter[f + 27] + input2 * filter[f + 43];
                    sum12 += input0 * filter[f + 12] + input1 * filter[f + 28] + input2 * filter[f + 44];
                    sum13 += input0 * filter[f + 13] + input1 * filter[f + 29] + input2 * filter[f + 45];
                    sum14 += input0 * filter[f + 14] + input1 * filter[f + 30] + input2 * filter[f + 46];
                    sum15 += input0 * filter[f + 15] + input1 * filter[f + 31] + input2 * filter[f + 47];
                    k += ChainWords;
                    f += 48;
                }

                if (blockEnd - k == 2)
                {
                    long input0 = scratch[k];
                    long input1 = scratch[k + 1];
                    sum0 += input0 * filter[f] + input1 * filter[f + 16];
                    sum1 += input0 * filter[f + 1] + input1 * filter[f + 17];
                    sum2 += input0 * filter[f + 2] + input1 * filter[f + 18];
                    sum3 += input0 * filter[f + 3] + input1 * filter[f + 19];
                    sum4 += input0 * filter[f + 4] + input1 * filter[f + 20];
                    sum5 += input0 * filter[f + 5] + input1 * filter[f + 21];
                    sum6 += input0 * filter[f + 6] + input1 * filter[f + 22];
                    sum7 += input0 * filter[f + 7] + input1 * filter[f + 23];
                    sum8 += input0 * filter[f + 8] + input1 * filter[f + 24];
                    sum9 += input0 * filter[f + 9] + input1 * filter[f + 25];
                    sum10 += input0 * filter[f + 10] + input1 * filter[f + 26];
                    sum11 += input0 * filter[f + 11] + input1 * filter[f + 27];
                    sum12 += input0 * filter[f + 12] + input1 * filter[f + 28];
                    sum13 += input0 * filter[f + 13] + input1 * filter[f + 29];
                    sum14 += input0 * filter[f + 14] + input1 * filter[f + 30];
                    sum15 += input0 * filter[f + 15] + input1 * filter[f + 31];
                    f += 32;
                }
                else if (blockEnd - k == 1)
                {
                    long input0 = scratch[k];
                    sum0 += input0 * filter[f];
                    sum1 += input0 * filter[f + 1];
                    sum2 += input0 * filter[f + 2];
                    sum3 += input0 * filter[f + 3];
                    sum4 += input0 * filter[f + 4];
                    sum5 += input0 * filter[f + 5];
                    sum6 += input0 * filter[f + 6];
                    sum7 += input0 * filter[f + 7];
                    sum8 += input0 * filter[f + 8];
                    sum9 += input0 * filter[f + 9];
                    sum10 += input0 * filter[f + 10];
                    sum11 += input0 * filter[f + 11];
                    sum12 += input0 * filter[f + 12];
                    sum13 += input0 * filter[f + 13];
                    sum14 += input0 * filter[f + 14];
                    sum15 += input0 * filter[f + 15];
                    f += 16;
                }

                accumulator0 += (int)(sum0 >> DotShift);
                accumulator1 += (int)(sum1 >> DotShift);
                accumulator2 += (int)(sum2 >> DotShift);
                accumulator3 += (int)(sum3 >> DotShift);
                accumulator4 += (int)(sum4 >> DotShift);
                accumulator5 += (int)(sum5 >> DotShift);
                accumulator6 += (int)(sum6 >> DotShift);
                accumulator7 += (int)(sum7 >> DotShift);
                accumulator8 += (int)(sum8 >> DotShift);
                accumulator9 += (int)(sum9 >> DotShift);
                accumulator10 += (int)(sum10 >> DotShift);
                accumulator11 += (int)(sum11 >> DotShift);
                accumulator12 += (int)(sum12 >> DotShift);
                accumulator13 += (int)(sum13 >> DotShift);
                accumulator14 += (int)(sum14 >> DotShift);
                accumulator15 += (int)(sum15 >> DotShift);
                blockStart = blockEnd;
            }

            sbyte[] output = op.Output;
            sbyte[] table = op.Table;
            int[] multiplier = op.Multiplier;
            int multiplierIndex = op.MultiplierOffset + firstChannel;
            int[] shift = op.Shift;
            int shiftIndex = op.ShiftOffset + firstChannel;
            long zeroRounding = 2L * (op.OutputZeroPoint + op.TableZero) + 1;
            int totalShift = 31 - shift[shiftIndex];
            output[outputIndex] = table[(int)((accumulator0 * (long)multiplier[multiplierIndex] + (zeroRounding << (totalShift - 1))) >> totalShift)];
            totalShift = 31 - shift[shiftIndex + 1];
            output[outputIndex + 1] = table[(int)((accumulator1 * (long)multiplier[multiplierIndex + 1] + (zeroRounding << (totalShift - 1))) >> totalShift)];
            totalShift = 31 - shift[shiftIndex + 2];
            output[outputIndex + 2] = table[(int)((accumulator2 * (long)multiplier[multiplierIndex + 2] + (zeroRounding << (totalShift - 1))) >> totalShift)];
            totalShift = 31 - shift[shiftIndex + 3];
            output[outputIndex + 3] = table[(int)((accumulator3 * (long)multiplier[multiplierIndex + 3] + (zeroRounding << (totalShift - 1))) >> totalShift)];
            totalShift = 31 - shift[shiftIndex + 4];
            output[outputIndex + 4] = table[(int)((accumulator4 * (long)multiplier[multiplierIndex + 4] + (zeroRounding << (totalShift - 1))) >> totalShift)];
            totalShift = 31 - shift[shiftIndex + 5];
            output[outputIndex + 5] = table[(int)((accumulator5 * (long)multiplier[multiplierIndex + 5] + (zeroRounding << (totalShift - 1))) >> totalShift)];
            totalShift = 31 - shift[shiftIndex + 6];
            output[outputIndex + 6] = table[(int)((accumulator6 * (long)multiplier[multiplierIndex + 6] + (zeroRounding << (totalShift - 1))) >> totalShift)];
            totalShift = 31 - shift[shiftIndex + 7];
            output[outputIndex + 7] = table[(int)((accumulator7 * (long)multiplier[multiplierIndex + 7] + (zeroRounding << (totalShift - 1))) >> totalShift)];
            totalShift = 31 - shift[shiftIndex + 8];
            output[outputIndex + 8] = table[(int)((accumulator8 * (long)multiplier[multiplierIndex + 8] + (zeroRounding << (totalShift - 1))) >> totalShift)];
            totalShift = 31 - shift[shiftIndex + 9];
            output[outputIndex + 9] = table[(int)((accumulator9 * (long)multiplier[multiplierIndex + 9] + (zeroRounding << (totalShift - 1))) >> totalShift)];
            totalShift = 31 - shift[shiftIndex + 10];
            output[outputIndex + 10] = table[(int)((accumulator10 * (long)multiplier[multiplierIndex + 10] + (zeroRounding << (totalShift - 1))) >> totalShift)];
            totalShift = 31 - shift[shiftIndex + 11];
            output[outputIndex + 11] = table[(int)((accumulator11 * (long)multiplier[multiplierIndex + 11] + (zeroRounding << (totalShift - 1))) >> totalShift)];
            totalShift = 31 - shift[shiftIndex + 12];
            output[outputIndex + 12] = table[(int)((accumulator12 * (long)multiplier[multiplierIndex + 12] + (zeroRounding << (totalShift - 1))) >> totalShift)];
            totalShift = 31 - shift[shiftIndex + 13];
            output[outputIndex + 13] = table[(int)((accumulator13 * (long)multiplier[multiplierIndex + 13] + (zeroRounding << (totalShift - 1))) >> totalShift)];
            totalShift = 31 - shift[shiftIndex + 14];
            output[outputIndex + 14] = table[(int)((accumulator14 * (long)multiplier[multiplierIndex + 14] + (zeroRounding << (totalShift - 1))) >> totalShift)];
            totalShift = 31 - shift[shiftIndex + 15];
            output[outputIndex + 15] = table[(int)((accumulator15 * (long)multiplier[multiplierIndex + 15] + (zeroRounding << (totalShift - 1))) >> totalShift)];
        }

        // Eight output channels from firstChannel (a tile of 8: filter words [W, 8] from filterStart).
        private static void EvalEight(FullyConnectedLanesOperator op, int firstChannel, int filterStart, int words, int outputIndex)
        {
            long[] scratch = op.Scratch;
            long[] filter = op.Filter;
            int blockWords = op.BlockWords;
            int[] bias = op.Bias;
            int biasIndex = op.BiasOffset + firstChannel;
            int accumulator0 = bias[biasIndex];
            int accumulator1 = bias[biasIndex + 1];
            int accumulator2 = bias[biasIndex + 2];
            int accumulator3 = bias[biasIndex + 3];
            int accumulator4 = bias[biasIndex + 4];
            int accumulator5 = bias[biasIndex + 5];
            int accumulator6 = bias[biasIndex + 6];
            int accumulator7 = bias[biasIndex + 7];
            int f = filterStart;
            int blockStart = 0;
            while (blockStart < words)
            {
                int blockEnd = words - blockStart > blockWords ? blockStart + blockWords : words;
                int chainEnd = blockEnd - (blockEnd - blockStart) % ChainWords;
                long sum0 = LaneBias, sum1 = LaneBias, sum2 = LaneBias, sum3 = LaneBias;
                long sum4 = LaneBias, sum5 = LaneBias, sum6 = LaneBias, sum7 = LaneBias;
                int k = blockStart;
                while (k < chainEnd)
                {
                    // Three input words times 8 channels: 24 products, 72 multiply-accumulates.
                    long input0 = scratch[k];
                    long input1 = scratch[k + 1];
                    long input2 = scratch[k + 2];
                    sum0 += input0 * filter[f] + input1 * filter[f + 8] + input2 * filter[f + 16];
                    sum1 += input0 * filter[f + 1] + input1 * filter[f + 9] + input2 * filter[f + 17];
                    sum2 += input0 * filter[f + 2] + input1 * filter[f + 10] + input2 * filter[f + 18];
                    sum3 += input0 * filter[f + 3] + input1 * filter[f + 11] + input2 * filter[f + 19];
                    sum4 += input0 * filter[f + 4] + input1 * filter[f + 12] + input2 * filter[f + 20];
                    sum5 += input0 * filter[f + 5] + input1 * filter[f + 13] + input2 * filter[f + 21];
                    sum6 += input0 * filter[f + 6] + input1 * filter[f + 14] + input2 * filter[f + 22];
                    sum7 += input0 * filter[f + 7] + input1 * filter[f + 15] + input2 * filter[f + 23];
                    k += ChainWords;
                    f += 24;
                }

                if (blockEnd - k == 2)
                {
                    long input0 = scratch[k];
                    long input1 = scratch[k + 1];
                    sum0 += input0 * filter[f] + input1 * filter[f + 8];
                    sum1 += input0 * filter[f + 1] + input1 * filter[f + 9];
                    sum2 += input0 * filter[f + 2] + input1 * filter[f + 10];
                    sum3 += input0 * filter[f + 3] + input1 * filter[f + 11];
                    sum4 += input0 * filter[f + 4] + input1 * filter[f + 12];
                    sum5 += input0 * filter[f + 5] + input1 * filter[f + 13];
                    sum6 += input0 * filter[f + 6] + input1 * filter[f + 14];
                    sum7 += input0 * filter[f + 7] + input1 * filter[f + 15];
                    f += 16;
                }
                else if (blockEnd - k == 1)
                {
                    long input0 = scratch[k];
                    sum0 += input0 * filter[f];
                    sum1 += input0 * filter[f + 1];
                    sum2 += input0 * filter[f + 2];
                    sum3 += input0 * filter[f + 3];
                    sum4 += input0 * filter[f + 4];
                    sum5 += input0 * filter[f + 5];
                    sum6 += input0 * filter[f + 6];
                    sum7 += input0 * filter[f + 7];
                    f += 8;
                }

                accumulator0 += (int)(sum0 >> DotShift);
                accumulator1 += (int)(sum1 >> DotShift);
                accumulator2 += (int)(sum2 >> DotShift);
                accumulator3 += (int)(sum3 >> DotShift);
                accumulator4 += (int)(sum4 >> DotShift);
                accumulator5 += (int)(sum5 >> DotShift);
                accumulator6 += (int)(sum6 >> DotShift);
                accumulator7 += (int)(sum7 >> DotShift);
                blockStart = blockEnd;
            }

            sbyte[] output = op.Output;
            sbyte[] table = op.Table;
            int[] multiplier = op.Multiplier;
            int multiplierIndex = op.MultiplierOffset + firstChannel;
            int[] shift = op.Shift;
            int shiftIndex = op.ShiftOffset + firstChannel;
            long zeroRounding = 2L * (op.OutputZeroPoint + op.TableZero) + 1;
            int totalShift = 31 - shift[shiftIndex];
            output[outputIndex] = table[(int)((accumulator0 * (long)multiplier[multiplierIndex] + (zeroRounding << (totalShift - 1))) >> totalShift)];
            totalShift = 31 - shift[shiftIndex + 1];
            output[outputIndex + 1] = table[(int)((accumulator1 * (long)multiplier[multiplierIndex + 1] + (zeroRounding << (totalShift - 1))) >> totalShift)];
            totalShift = 31 - shift[shiftIndex + 2];
            output[outputIndex + 2] = table[(int)((accumulator2 * (long)multiplier[multiplierIndex + 2] + (zeroRounding << (totalShift - 1))) >> totalShift)];
            totalShift = 31 - shift[shiftIndex + 3];
            output[outputIndex + 3] = table[(int)((accumulator3 * (long)multiplier[multiplierIndex + 3] + (zeroRounding << (totalShift - 1))) >> totalShift)];
            totalShift = 31 - shift[shiftIndex + 4];
            output[outputIndex + 4] = table[(int)((accumulator4 * (long)multiplier[multiplierIndex + 4] + (zeroRounding << (totalShift - 1))) >> totalShift)];
            totalShift = 31 - shift[shiftIndex + 5];
            output[outputIndex + 5] = table[(int)((accumulator5 * (long)multiplier[multiplierIndex + 5] + (zeroRounding << (totalShift - 1))) >> totalShift)];
            totalShift = 31 - shift[shiftIndex + 6];
            output[outputIndex + 6] = table[(int)((accumulator6 * (long)multiplier[multiplierIndex + 6] + (zeroRounding << (totalShift - 1))) >> totalShift)];
            totalShift = 31 - shift[shiftIndex + 7];
            output[outputIndex + 7] = table[(int)((accumulator7 * (long)multiplier[multiplierIndex + 7] + (zeroRounding << (totalShift - 1))) >> totalShift)];
        }

        // Four output channels from firstChannel (a tile of 4: filter words [W, 4] from filterStart).
        private static void EvalFour(FullyConnectedLanesOperator op, int firstChannel, int filterStart, int words, int outputIndex)
        {
            long[] scratch = op.Scratch;
            long[] filter = op.Filter;
            int blockWords = op.BlockWords;
            int[] bias = op.Bias;
            int biasIndex = op.BiasOffset + firstChannel;
            int accumulator0 = bias[biasIndex];
            int accumulator1 = bias[biasIndex + 1];
            int accumulator2 = bias[biasIndex + 2];
            int accumulator3 = bias[biasIndex + 3];
            int f = filterStart;
            int blockStart = 0;
            while (blockStart < words)
            {
                int blockEnd = words - blockStart > blockWords ? blockStart + blockWords : words;
                int chainEnd = blockEnd - (blockEnd - blockStart) % ChainWords;
                long sum0 = LaneBias, sum1 = LaneBias, sum2 = LaneBias, sum3 = LaneBias;
                int k = blockStart;
                while (k < chainEnd)
                {
                    // Three input words times 4 channels: 12 products, 36 multiply-accumulates.
                    long input0 = scratch[k];
                    long input1 = scratch[k + 1];
                    long input2 = scratch[k + 2];
                    sum0 += input0 * filter[f] + input1 * filter[f + 4] + input2 * filter[f + 8];
                    sum1 += input0 * filter[f + 1] + input1 * filter[f + 5] + input2 * filter[f + 9];
                    sum2 += input0 * filter[f + 2] + input1 * filter[f + 6] + input2 * filter[f + 10];
                    sum3 += input0 * filter[f + 3] + input1 * filter[f + 7] + input2 * filter[f + 11];
                    k += ChainWords;
                    f += 12;
                }

                if (blockEnd - k == 2)
                {
                    long input0 = scratch[k];
                    long input1 = scratch[k + 1];
                    sum0 += input0 * filter[f] + input1 * filter[f + 4];
                    sum1 += input0 * filter[f + 1] + input1 * filter[f + 5];
                    sum2 += input0 * filter[f + 2] + input1 * filter[f + 6];
                    sum3 += input0 * filter[f + 3] + input1 * filter[f + 7];
                    f += 8;
                }
                else if (blockEnd - k == 1)
                {
                    long input0 = scratch[k];
                    sum0 += input0 * filter[f];
                    sum1 += input0 * filter[f + 1];
                    sum2 += input0 * filter[f + 2];
                    sum3 += input0 * filter[f + 3];
                    f += 4;
                }

                accumulator0 += (int)(sum0 >> DotShift);
                accumulator1 += (int)(sum1 >> DotShift);
                accumulator2 += (int)(sum2 >> DotShift);
                accumulator3 += (int)(sum3 >> DotShift);
                blockStart = blockEnd;
            }

            sbyte[] output = op.Output;
            sbyte[] table = op.Table;
            int[] multiplier = op.Multiplier;
            int multiplierIndex = op.MultiplierOffset + firstChannel;
            int[] shift = op.Shift;
            int shiftIndex = op.ShiftOffset + firstChannel;
            long zeroRounding = 2L * (op.OutputZeroPoint + op.TableZero) + 1;
            int totalShift = 31 - shift[shiftIndex];
            output[outputIndex] = table[(int)((accumulator0 * (long)multiplier[multiplierIndex] + (zeroRounding << (totalShift - 1))) >> totalShift)];
            totalShift = 31 - shift[shiftIndex + 1];
            output[outputIndex + 1] = table[(int)((accumulator1 * (long)multiplier[multiplierIndex + 1] + (zeroRounding << (totalShift - 1))) >> totalShift)];
            totalShift = 31 - shift[shiftIndex + 2];
            output[outputIndex + 2] = table[(int)((accumulator2 * (long)multiplier[multiplierIndex + 2] + (zeroRounding << (totalShift - 1))) >> totalShift)];
            totalShift = 31 - shift[shiftIndex + 3];
            output[outputIndex + 3] = table[(int)((accumulator3 * (long)multiplier[multiplierIndex + 3] + (zeroRounding << (totalShift - 1))) >> totalShift)];
        }

        // Two output channels from firstChannel (a tile of 2: filter words [W, 2] from filterStart).
        private static void EvalTwo(FullyConnectedLanesOperator op, int firstChannel, int filterStart, int words, int outputIndex)
        {
            long[] scratch = op.Scratch;
            long[] filter = op.Filter;
            int blockWords = op.BlockWords;
            int[] bias = op.Bias;
            int biasIndex = op.BiasOffset + firstChannel;
            int accumulator0 = bias[biasIndex];
            int accumulator1 = bias[biasIndex + 1];
            int f = filterStart;
            int blockStart = 0;
            while (blockStart < words)
            {
                int blockEnd = words - blockStart > blockWords ? blockStart + blockWords : words;
                int chainEnd = blockEnd - (blockEnd - blockStart) % ChainWords;
                long sum0 = LaneBias, sum1 = LaneBias;
                int k = blockStart;
                while (k < chainEnd)
                {
                    // Three input words times 2 channels: 6 products, 18 multiply-accumulates.
                    long input0 = scratch[k];
                    long input1 = scratch[k + 1];
                    long input2 = scratch[k + 2];
                    sum0 += input0 * filter[f] + input1 * filter[f + 2] + input2 * filter[f + 4];
                    sum1 += input0 * filter[f + 1] + input1 * filter[f + 3] + input2 * filter[f + 5];
                    k += ChainWords;
                    f += 6;
                }

                if (blockEnd - k == 2)
                {
                    long input0 = scratch[k];
                    long input1 = scratch[k + 1];
                    sum0 += input0 * filter[f] + input1 * filter[f + 2];
                    sum1 += input0 * filter[f + 1] + input1 * filter[f + 3];
                    f += 4;
                }
                else if (blockEnd - k == 1)
                {
                    long input0 = scratch[k];
                    sum0 += input0 * filter[f];
                    sum1 += input0 * filter[f + 1];
                    f += 2;
                }

                accumulator0 += (int)(sum0 >> DotShift);
                accumulator1 += (int)(sum1 >> DotShift);
                blockStart = blockEnd;
            }

            sbyte[] output = op.Output;
            sbyte[] table = op.Table;
            int[] multiplier = op.Multiplier;
            int multiplierIndex = op.MultiplierOffset + firstChannel;
            int[] shift = op.Shift;
            int shiftIndex = op.ShiftOffset + firstChannel;
            long zeroRounding = 2L * (op.OutputZeroPoint + op.TableZero) + 1;
            int totalShift = 31 - shift[shiftIndex];
            output[outputIndex] = table[(int)((accumulator0 * (long)multiplier[multiplierIndex] + (zeroRounding << (totalShift - 1))) >> totalShift)];
            totalShift = 31 - shift[shiftIndex + 1];
            output[outputIndex + 1] = table[(int)((accumulator1 * (long)multiplier[multiplierIndex + 1] + (zeroRounding << (totalShift - 1))) >> totalShift)];
        }

        // One output channels from firstChannel (a tile of 1: filter words [W, 1] from filterStart).
        private static void EvalOne(FullyConnectedLanesOperator op, int firstChannel, int filterStart, int words, int outputIndex)
        {
            long[] scratch = op.Scratch;
            long[] filter = op.Filter;
            int blockWords = op.BlockWords;
            int[] bias = op.Bias;
            int biasIndex = op.BiasOffset + firstChannel;
            int accumulator0 = bias[biasIndex];
            int f = filterStart;
            int blockStart = 0;
            while (blockStart < words)
            {
                int blockEnd = words - blockStart > blockWords ? blockStart + blockWords : words;
                int chainEnd = blockEnd - (blockEnd - blockStart) % ChainWords;
                long sum0 = LaneBias;
                int k = blockStart;
                while (k < chainEnd)
                {
                    // Three input words times 1 channel: 3 products, 9 multiply-accumulates.
                    long input0 = scratch[k];
                    long input1 = scratch[k + 1];
                    long input2 = scratch[k + 2];
                    sum0 += input0 * filter[f] + input1 * filter[f + 1] + input2 * filter[f + 2];
                    k += ChainWords;
                    f += 3;
                }

                if (blockEnd - k == 2)
                {
                    long input0 = scratch[k];
                    long input1 = scratch[k + 1];
                    sum0 += input0 * filter[f] + input1 * filter[f + 1];
                    f += 2;
                }
                else if (blockEnd - k == 1)
                {
                    long input0 = scratch[k];
                    sum0 += input0 * filter[f];
                    f += 1;
                }

                accumulator0 += (int)(sum0 >> DotShift);
                blockStart = blockEnd;
            }

            sbyte[] output = op.Output;
            sbyte[] table = op.Table;
            int[] multiplier = op.Multiplier;
            int multiplierIndex = op.MultiplierOffset + firstChannel;
            int[] shift = op.Shift;
            int shiftIndex = op.ShiftOffset + firstChannel;
            long zeroRounding = 2L * (op.OutputZeroPoint + op.TableZero) + 1;
            int totalShift = 31 - shift[shiftIndex];
            output[outputIndex] = table[(int)((accumulator0 * (long)multiplier[multiplierIndex] + (zeroRounding << (totalShift - 1))) >> totalShift)];
        }


        /// <summary>
        /// Packs filter [outputDepth, depth] (from filterOffset) into outputDepth·⌈depth/3⌉ words at
        /// packed[packedOffset..]: channel o's word j, at <see cref="FilterIndex"/>(o, outputDepth, W, j),
        /// is FilterWord(w[o, 3j], w[o, 3j+1], w[o, 3j+2]), taps at or beyond depth 0.
        /// </summary>
        public static void PackFilter(sbyte[] filter, int filterOffset, int outputDepth, int depth, long[] packed, int packedOffset)
        {
            int words = Words(depth);
            for (int channel = 0; channel < outputDepth; channel++)
            {
                int rowStart = filterOffset + channel * depth;
                for (int word = 0; word < words; word++)
                {
                    int tap = 3 * word;
                    int first = filter[rowStart + tap];
                    int second = tap + 1 < depth ? filter[rowStart + tap + 1] : 0;
                    int third = tap + 2 < depth ? filter[rowStart + tap + 2] : 0;
                    packed[packedOffset + FilterIndex(channel, outputDepth, words, word)] = FilterWord(first, second, third);
                }
            }
        }
    }
}
