using NanoInt8.Runtime.Operators;

namespace NanoInt8.Runtime.Kernels
{
    /// <summary>
    /// Int8 fully connected layer computed three products per 64-bit multiply (issue 7,
    /// docs/model-format.md code 20): the same result as <see cref="FullyConnectedKernel"/>, bit for
    /// bit, in fewer interpreted IL instructions per multiply-accumulate than
    /// <see cref="FullyConnectedPackedKernel"/>'s two.
    /// </summary>
    /// <remarks>
    /// The lanes and the overflow bound are <see cref="Conv2DTripleKernel"/>'s: an input word
    /// a0 + a1·2^21 + a2·2^42 (taps 3j .. 3j+2 of a row, packed here once per row into the
    /// scratch), a filter word b2 + b1·2^21 + b0·2^42 (an int64 constant the host built), bits
    /// [42, 63) of a sum of at most <see cref="Conv2DTripleKernel.BlockWords"/> = 21 products
    /// started at 2^41 hold Σ (a0·b0 + a1·b1 + a2·b2) exactly, extracted as ((S &lt;&lt; 1) &gt;&gt; 43).
    /// The filter is [⌈O/4⌉, W, 4]: four output channels side by side per word of the row
    /// (W = <see cref="RowWords"/>(K), a multiple of three; taps at or beyond K are 0). A tile takes
    /// eight channels (two groups, the second groupWords further on) while more than four are left,
    /// then four; the channels that complete the last group have zero weights and are not stored.
    /// Per inner iteration three input words are loaded once for 24 products (72 MACs), each sum
    /// taking its three products, filter words read in place, in one expression.
    /// </remarks>
    public static class FullyConnectedTripleKernel
    {
        /// <summary>Output channels side by side in the filter.</summary>
        public const int GroupChannels = 4;

        // Starting value of a block sum and the middle lane's extraction: Conv2DTripleKernel's bound.
        private const long LaneBias = Conv2DTripleKernel.LaneBias;
        private const int ExtractLeft = Conv2DTripleKernel.ExtractLeft;
        private const int ExtractRight = Conv2DTripleKernel.ExtractRight;

        /// <summary>Words W of a packed row: ⌈K/3⌉ rounded up to a multiple of 3.</summary>
        public static int RowWords(int depth)
        {
            int words = (depth + 2) / 3;
            return (words + Conv2DTripleKernel.ChainWords - 1) / Conv2DTripleKernel.ChainWords * Conv2DTripleKernel.ChainWords;
        }

        /// <summary>Filter words of an [O, K] filter: ⌈O/4⌉·W·4.</summary>
        public static int FilterWords(int outputDepth, int depth)
        {
            return (outputDepth + GroupChannels - 1) / GroupChannels * RowWords(depth) * GroupChannels;
        }

        /// <summary>
        /// The filter word of three taps (b0, b1, b2): b0·2^42 + b1·2^21 + b2.
        /// </summary>
        public static long FilterWord(int first, int second, int third)
        {
            return ((long)first << 42) + ((long)second << 21) + third;
        }

        /// <summary>
        /// Whether a filter word is <see cref="FilterWord"/> of three taps in [-128, 127], the
        /// range the lane bound needs.
        /// </summary>
        public static bool IsValidFilterWord(long word)
        {
            long third = (word << 43) >> 43;
            long rest = (word - third) >> 21;
            long second = (rest << 43) >> 43;
            long first = (rest - second) >> 21;
            return third >= -128 && third <= 127 && second >= -128 && second <= 127 && first >= -128 && first <= 127;
        }

        /// <summary>
        /// Computes output[r, o] = clamp(zo + MBQM(bias[o] + Σ_k input[r, k]·w[o, k],
        /// multiplier[o], shift[o])) with the filter packed as described on the class.
        /// </summary>
        /// <param name="op">The operator's resolved arguments (<see cref="FullyConnectedTripleOperator"/>), read once.</param>
        public static void Eval(FullyConnectedTripleOperator op)
        {
            sbyte[] input = op.Input;
            int inputOffset = op.InputOffset;
            int rows = op.Rows;
            int depth = op.Depth;
            long[] filter = op.Filter;
            int filterOffset = op.FilterOffset;
            int outputDepth = op.OutputDepth;
            int[] bias = op.Bias;
            int biasOffset = op.BiasOffset;
            int[] multiplier = op.Multiplier;
            int multiplierOffset = op.MultiplierOffset;
            int[] shift = op.Shift;
            int shiftOffset = op.ShiftOffset;
            long[] scratch = op.Scratch;
            sbyte[] output = op.Output;
            int outputOffset = op.OutputOffset;
            int outputZeroPoint = op.OutputZeroPoint;
            int activationMin = op.ActivationMin;
            int activationMax = op.ActivationMax;
            int mode = op.Mode;

            int words = RowWords(depth);
            int groupWords = words * GroupChannels;
            for (int row = 0; row < rows; row++)
            {
                PackRow(input, inputOffset + row * depth, depth, words, scratch);
                int rowOutput = outputOffset + row * outputDepth;
                int groupStart = filterOffset;
                int firstChannel = 0;
                while (firstChannel < outputDepth)
                {
                    int left = outputDepth - firstChannel;
#if NANOINT8_COUNTERS
                    RuntimeCounters.AddMultiplyAccumulates(depth * (left < 2 * GroupChannels ? left : 2 * GroupChannels));
#endif
                    if (left > GroupChannels)
                    {
                        EvalEight(scratch, words, filter, groupStart, groupWords, bias, biasOffset + firstChannel, left,
                            multiplier, multiplierOffset + firstChannel, shift, shiftOffset + firstChannel,
                            output, rowOutput + firstChannel, outputZeroPoint, activationMin, activationMax, mode);
                        groupStart += 2 * groupWords;
                        firstChannel += 2 * GroupChannels;
                    }
                    else
                    {
                        EvalFour(scratch, words, filter, groupStart, bias, biasOffset + firstChannel, left,
                            multiplier, multiplierOffset + firstChannel, shift, shiftOffset + firstChannel,
                            output, rowOutput + firstChannel, outputZeroPoint, activationMin, activationMax, mode);
                        groupStart += groupWords;
                        firstChannel += GroupChannels;
                    }
                }
            }
        }

        // Eight channels (the groups at groupStart and groupStart + groupWords), `channels` of them
        // real (5 .. 8 or more: only the first eight are taken).
        private static void EvalEight(long[] scratch, int words, long[] filter, int groupStart, int groupWords,
            int[] bias, int biasIndex, int channels, int[] multiplier, int multiplierIndex, int[] shift, int shiftIndex,
            sbyte[] output, int outputIndex, int outputZeroPoint, int activationMin, int activationMax, int mode)
        {
            int accumulator0 = bias[biasIndex];
            int accumulator1 = bias[biasIndex + 1];
            int accumulator2 = bias[biasIndex + 2];
            int accumulator3 = bias[biasIndex + 3];
            int accumulator4 = bias[biasIndex + 4];
            int accumulator5 = channels > 5 ? bias[biasIndex + 5] : 0;
            int accumulator6 = channels > 6 ? bias[biasIndex + 6] : 0;
            int accumulator7 = channels > 7 ? bias[biasIndex + 7] : 0;
            int blockStart = 0;
            while (blockStart < words)
            {
                int blockEnd = blockStart + Conv2DTripleKernel.BlockWords;
                if (blockEnd > words)
                {
                    blockEnd = words;
                }

                long sum0 = LaneBias, sum1 = LaneBias, sum2 = LaneBias, sum3 = LaneBias;
                long sum4 = LaneBias, sum5 = LaneBias, sum6 = LaneBias, sum7 = LaneBias;
                int f = groupStart + blockStart * GroupChannels;
                int u = f + groupWords;
                int k = blockStart;
                while (k < blockEnd)
                {
                    // Three input words times eight channels: 24 products, 72 multiply-accumulates.
                    long input0 = scratch[k];
                    long input1 = scratch[k + 1];
                    long input2 = scratch[k + 2];
                    sum0 += input0 * filter[f] + input1 * filter[f + 4] + input2 * filter[f + 8];
                    sum1 += input0 * filter[f + 1] + input1 * filter[f + 5] + input2 * filter[f + 9];
                    sum2 += input0 * filter[f + 2] + input1 * filter[f + 6] + input2 * filter[f + 10];
                    sum3 += input0 * filter[f + 3] + input1 * filter[f + 7] + input2 * filter[f + 11];
                    sum4 += input0 * filter[u] + input1 * filter[u + 4] + input2 * filter[u + 8];
                    sum5 += input0 * filter[u + 1] + input1 * filter[u + 5] + input2 * filter[u + 9];
                    sum6 += input0 * filter[u + 2] + input1 * filter[u + 6] + input2 * filter[u + 10];
                    sum7 += input0 * filter[u + 3] + input1 * filter[u + 7] + input2 * filter[u + 11];
                    k += 3;
                    f += 3 * GroupChannels;
                    u += 3 * GroupChannels;
                }

                accumulator0 += (int)((sum0 << ExtractLeft) >> ExtractRight);
                accumulator1 += (int)((sum1 << ExtractLeft) >> ExtractRight);
                accumulator2 += (int)((sum2 << ExtractLeft) >> ExtractRight);
                accumulator3 += (int)((sum3 << ExtractLeft) >> ExtractRight);
                accumulator4 += (int)((sum4 << ExtractLeft) >> ExtractRight);
                accumulator5 += (int)((sum5 << ExtractLeft) >> ExtractRight);
                accumulator6 += (int)((sum6 << ExtractLeft) >> ExtractRight);
                accumulator7 += (int)((sum7 << ExtractLeft) >> ExtractRight);
                blockStart = blockEnd;
            }

            Conv2DTripleKernel.Store(accumulator0, multiplier[multiplierIndex], shift[shiftIndex], output, outputIndex, outputZeroPoint, activationMin, activationMax, mode);
            Conv2DTripleKernel.Store(accumulator1, multiplier[multiplierIndex + 1], shift[shiftIndex + 1], output, outputIndex + 1, outputZeroPoint, activationMin, activationMax, mode);
            Conv2DTripleKernel.Store(accumulator2, multiplier[multiplierIndex + 2], shift[shiftIndex + 2], output, outputIndex + 2, outputZeroPoint, activationMin, activationMax, mode);
            Conv2DTripleKernel.Store(accumulator3, multiplier[multiplierIndex + 3], shift[shiftIndex + 3], output, outputIndex + 3, outputZeroPoint, activationMin, activationMax, mode);
            Conv2DTripleKernel.Store(accumulator4, multiplier[multiplierIndex + 4], shift[shiftIndex + 4], output, outputIndex + 4, outputZeroPoint, activationMin, activationMax, mode);
            if (channels > 5)
            {
                Conv2DTripleKernel.Store(accumulator5, multiplier[multiplierIndex + 5], shift[shiftIndex + 5], output, outputIndex + 5, outputZeroPoint, activationMin, activationMax, mode);
            }

            if (channels > 6)
            {
                Conv2DTripleKernel.Store(accumulator6, multiplier[multiplierIndex + 6], shift[shiftIndex + 6], output, outputIndex + 6, outputZeroPoint, activationMin, activationMax, mode);
            }

            if (channels > 7)
            {
                Conv2DTripleKernel.Store(accumulator7, multiplier[multiplierIndex + 7], shift[shiftIndex + 7], output, outputIndex + 7, outputZeroPoint, activationMin, activationMax, mode);
            }
        }

        // Four channels (the group at groupStart), `channels` (1 .. 4) of them real.
        private static void EvalFour(long[] scratch, int words, long[] filter, int groupStart,
            int[] bias, int biasIndex, int channels, int[] multiplier, int multiplierIndex, int[] shift, int shiftIndex,
            sbyte[] output, int outputIndex, int outputZeroPoint, int activationMin, int activationMax, int mode)
        {
            int accumulator0 = bias[biasIndex];
            int accumulator1 = channels > 1 ? bias[biasIndex + 1] : 0;
            int accumulator2 = channels > 2 ? bias[biasIndex + 2] : 0;
            int accumulator3 = channels > 3 ? bias[biasIndex + 3] : 0;
            int blockStart = 0;
            while (blockStart < words)
            {
                int blockEnd = blockStart + Conv2DTripleKernel.BlockWords;
                if (blockEnd > words)
                {
                    blockEnd = words;
                }

                long sum0 = LaneBias, sum1 = LaneBias, sum2 = LaneBias, sum3 = LaneBias;
                int f = groupStart + blockStart * GroupChannels;
                int k = blockStart;
                while (k < blockEnd)
                {
                    // Three input words times four channels: 12 products, 36 multiply-accumulates.
                    long input0 = scratch[k];
                    long input1 = scratch[k + 1];
                    long input2 = scratch[k + 2];
                    sum0 += input0 * filter[f] + input1 * filter[f + 4] + input2 * filter[f + 8];
                    sum1 += input0 * filter[f + 1] + input1 * filter[f + 5] + input2 * filter[f + 9];
                    sum2 += input0 * filter[f + 2] + input1 * filter[f + 6] + input2 * filter[f + 10];
                    sum3 += input0 * filter[f + 3] + input1 * filter[f + 7] + input2 * filter[f + 11];
                    k += 3;
                    f += 3 * GroupChannels;
                }

                accumulator0 += (int)((sum0 << ExtractLeft) >> ExtractRight);
                accumulator1 += (int)((sum1 << ExtractLeft) >> ExtractRight);
                accumulator2 += (int)((sum2 << ExtractLeft) >> ExtractRight);
                accumulator3 += (int)((sum3 << ExtractLeft) >> ExtractRight);
                blockStart = blockEnd;
            }

            Conv2DTripleKernel.Store(accumulator0, multiplier[multiplierIndex], shift[shiftIndex], output, outputIndex, outputZeroPoint, activationMin, activationMax, mode);
            if (channels > 1)
            {
                Conv2DTripleKernel.Store(accumulator1, multiplier[multiplierIndex + 1], shift[shiftIndex + 1], output, outputIndex + 1, outputZeroPoint, activationMin, activationMax, mode);
            }

            if (channels > 2)
            {
                Conv2DTripleKernel.Store(accumulator2, multiplier[multiplierIndex + 2], shift[shiftIndex + 2], output, outputIndex + 2, outputZeroPoint, activationMin, activationMax, mode);
            }

            if (channels > 3)
            {
                Conv2DTripleKernel.Store(accumulator3, multiplier[multiplierIndex + 3], shift[shiftIndex + 3], output, outputIndex + 3, outputZeroPoint, activationMin, activationMax, mode);
            }
        }

        /// <summary>
        /// Packs one input row into scratch[0 .. words): word j = x[3j] + x[3j+1]·2^21 + x[3j+2]·2^42,
        /// taps at or beyond depth read 0.
        /// </summary>
        public static void PackRow(sbyte[] input, int rowStart, int depth, int words, long[] scratch)
        {
            int fullWords = depth / 3;
            int inputIndex = rowStart;
            int word = 0;
            // Two words an iteration (issue 15: the row packing is a tenth of a small layer's IL).
            int pairEnd = fullWords & ~1;
            while (word < pairEnd)
            {
                scratch[word] = input[inputIndex] + ((long)input[inputIndex + 1] << 21) + ((long)input[inputIndex + 2] << 42);
                scratch[word + 1] = input[inputIndex + 3] + ((long)input[inputIndex + 4] << 21) + ((long)input[inputIndex + 5] << 42);
                inputIndex += 6;
                word += 2;
            }

            if (word < fullWords)
            {
                scratch[word] = input[inputIndex] + ((long)input[inputIndex + 1] << 21) + ((long)input[inputIndex + 2] << 42);
                inputIndex += 3;
            }

            int next = fullWords;
            int rest = depth - 3 * fullWords;
            if (rest == 2)
            {
                scratch[next] = input[inputIndex] + ((long)input[inputIndex + 1] << 21);
                next++;
            }
            else if (rest == 1)
            {
                scratch[next] = input[inputIndex];
                next++;
            }

            while (next < words)
            {
                scratch[next] = 0;
                next++;
            }
        }

        /// <summary>
        /// Packs filter [outputDepth, depth] (from filterOffset) into FilterWords words at
        /// packed[packedOffset..]: word [g, j, c] = FilterWord(w[4g+c, 3j], w[4g+c, 3j+1], w[4g+c, 3j+2]),
        /// taps at or beyond depth and channels at or beyond outputDepth 0.
        /// </summary>
        public static void PackFilter(sbyte[] filter, int filterOffset, int outputDepth, int depth, long[] packed, int packedOffset)
        {
            int words = RowWords(depth);
            int index = packedOffset;
            for (int firstChannel = 0; firstChannel < outputDepth; firstChannel += GroupChannels)
            {
                for (int word = 0; word < words; word++)
                {
                    for (int member = 0; member < GroupChannels; member++)
                    {
                        int channel = firstChannel + member;
                        int tap = 3 * word;
                        int rowStart = filterOffset + channel * depth;
                        bool real = channel < outputDepth;
                        int first = real && tap < depth ? filter[rowStart + tap] : 0;
                        int second = real && tap + 1 < depth ? filter[rowStart + tap + 1] : 0;
                        int third = real && tap + 2 < depth ? filter[rowStart + tap + 2] : 0;
                        packed[index] = FilterWord(first, second, third);
                        index++;
                    }
                }
            }
        }
    }
}
