using NanoInt8.Runtime.Operators;

namespace NanoInt8.Runtime.Kernels
{
    /// <summary>
    /// Int8 fully connected layer computed two products per 64-bit multiply (issue 7): the same
    /// result as <see cref="FullyConnectedKernel"/>, bit for bit, in fewer interpreted IL
    /// instructions per multiply-accumulate.
    /// </summary>
    /// <remarks>
    /// Packing (docs/model-format.md, "FullyConnectedPacked"). With taps paired as
    /// (a0, a1) = (x[2j], x[2j+1]) and (b0, b1) = (w[o, 2j], w[o, 2j+1]):
    ///   input word  X = a0 + a1·2^24   (a long, packed here once per row into the scratch)
    ///   filter word W = b1 + b0·2^24   (an int32 constant, packed by the host)
    ///   X·W = a0·b1 + (a0·b0 + a1·b1)·2^24 + a1·b0·2^48
    /// so bits [24, 48) of a sum of such products hold the two-term dot products, the low lane
    /// L = Σ a0·b1 sits below them and the high lane above them (it may wrap modulo 2^64, which
    /// never disturbs the bits below 48).
    /// Filter words are laid out [group, pair, 4]: output channels 4g .. 4g+3 side by side, so one
    /// input word feeds four channels; the pair count is the depth rounded up to a multiple of 4
    /// (two pairs per loop iteration), the channel count rounded up to a multiple of 4, and the
    /// padding taps read input 0 (the padded channels are computed and dropped).
    /// Overflow bound: |a|, |b| ≤ 128, so |a·b| ≤ 2^14. A block of at most BlockPairs = 254 pairs
    /// is summed in a long that starts at 2^23, then extracted with one shift pair:
    ///   |L| ≤ 254·2^14 = 4,161,536 &lt; 2^23, so 2^23 + L lies in [0, 2^24) and carries nothing
    ///   into bit 24;
    ///   |M| = |Σ (a0·b0 + a1·b1)| ≤ 254·2^15 = 8,323,072 &lt; 2^23, so M is the sign-extended
    ///   24-bit field ((S &lt;&lt; 16) &gt;&gt; 40).
    /// Each block's M is added to the int32 accumulator, which then holds exactly what the plain
    /// kernel's does (bias within ±2^30 plus at most 65535 products of 2^14: below 2^31 at every
    /// step), so the output is identical for every reduction the format allows.
    /// </remarks>
    public static class FullyConnectedPackedKernel
    {
        /// <summary>Pairs summed in one 64-bit block before extraction (even; see the bound above).</summary>
        public const int BlockPairs = 254;

        /// <summary>Output channels fed by one input word.</summary>
        public const int GroupChannels = 4;

        // Starting value of a block sum: keeps the low lane non-negative (see the bound above).
        private const long LaneBias = 1L << 23;

        /// <summary>Pair count for a depth: depth rounded up to a multiple of 4, halved.</summary>
        public static int PairCount(int depth)
        {
            return ((depth + 3) >> 2) << 1;
        }

        /// <summary>
        /// Computes output[r, o] = clamp(zo + MBQM(bias[o] + Σ_k input[r, k]·w[o, k],
        /// multiplier[o], shift[o])) with the filter packed as described on the class.
        /// </summary>
        /// <param name="op">The operator's resolved arguments (<see cref="FullyConnectedPackedOperator"/>), read once.</param>
        public static void Eval(FullyConnectedPackedOperator op)
        {
            sbyte[] input = op.Input;
            int inputOffset = op.InputOffset;
            int rows = op.Rows;
            int depth = op.Depth;
            int[] packedFilter = op.Filter;
            int packedFilterOffset = op.FilterOffset;
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

            int pairCount = PairCount(depth);
            int groupWords = pairCount * GroupChannels;
            for (int row = 0; row < rows; row++)
            {
                PackRow(input, inputOffset + row * depth, depth, pairCount, scratch);
                int rowOutput = outputOffset + row * outputDepth;
                int groupStart = packedFilterOffset;
                for (int firstChannel = 0; firstChannel < outputDepth; firstChannel += GroupChannels)
                {
#if NANOINT8_COUNTERS
                    RuntimeCounters.AddMultiplyAccumulates(depth * (outputDepth - firstChannel < GroupChannels ? outputDepth - firstChannel : GroupChannels));
#endif
                    int accumulator0 = bias[biasOffset + firstChannel];
                    int accumulator1 = firstChannel + 1 < outputDepth ? bias[biasOffset + firstChannel + 1] : 0;
                    int accumulator2 = firstChannel + 2 < outputDepth ? bias[biasOffset + firstChannel + 2] : 0;
                    int accumulator3 = firstChannel + 3 < outputDepth ? bias[biasOffset + firstChannel + 3] : 0;
                    int blockStart = 0;
                    while (blockStart < pairCount)
                    {
                        int blockEnd = blockStart + BlockPairs;
                        if (blockEnd > pairCount)
                        {
                            blockEnd = pairCount;
                        }

                        long sum0 = LaneBias;
                        long sum1 = LaneBias;
                        long sum2 = LaneBias;
                        long sum3 = LaneBias;
                        int filterIndex = groupStart + blockStart * GroupChannels;
                        int pairIndex = blockStart;

                        // Two input words times four channels: 16 multiply-accumulates per iteration.
                        while (pairIndex < blockEnd)
                        {
                            long first = scratch[pairIndex];
                            long second = scratch[pairIndex + 1];
                            sum0 += first * packedFilter[filterIndex] + second * packedFilter[filterIndex + 4];
                            sum1 += first * packedFilter[filterIndex + 1] + second * packedFilter[filterIndex + 5];
                            sum2 += first * packedFilter[filterIndex + 2] + second * packedFilter[filterIndex + 6];
                            sum3 += first * packedFilter[filterIndex + 3] + second * packedFilter[filterIndex + 7];
                            pairIndex += 2;
                            filterIndex += 8;
                        }

                        accumulator0 += (int)((sum0 << 16) >> 40);
                        accumulator1 += (int)((sum1 << 16) >> 40);
                        accumulator2 += (int)((sum2 << 16) >> 40);
                        accumulator3 += (int)((sum3 << 16) >> 40);
                        blockStart = blockEnd;
                    }

                    int channel = firstChannel;
                    Store(accumulator0, channel, multiplier, multiplierOffset, shift, shiftOffset, output, rowOutput, outputZeroPoint, activationMin, activationMax, mode);
                    channel++;
                    if (channel < outputDepth)
                    {
                        Store(accumulator1, channel, multiplier, multiplierOffset, shift, shiftOffset, output, rowOutput, outputZeroPoint, activationMin, activationMax, mode);
                    }

                    channel++;
                    if (channel < outputDepth)
                    {
                        Store(accumulator2, channel, multiplier, multiplierOffset, shift, shiftOffset, output, rowOutput, outputZeroPoint, activationMin, activationMax, mode);
                    }

                    channel++;
                    if (channel < outputDepth)
                    {
                        Store(accumulator3, channel, multiplier, multiplierOffset, shift, shiftOffset, output, rowOutput, outputZeroPoint, activationMin, activationMax, mode);
                    }

                    groupStart += groupWords;
                }
            }
        }

        /// <summary>
        /// Packs one input row into scratch[0 .. pairCount): word j = x[2j] + x[2j+1]·2^24, taps
        /// at or beyond depth read 0.
        /// </summary>
        public static void PackRow(sbyte[] input, int rowStart, int depth, int pairCount, long[] scratch)
        {
            int fullPairs = depth >> 1;
            int inputIndex = rowStart;
            for (int pair = 0; pair < fullPairs; pair++)
            {
                scratch[pair] = input[inputIndex] + ((long)input[inputIndex + 1] << 24);
                inputIndex += 2;
            }

            int next = fullPairs;
            if ((depth & 1) != 0)
            {
                scratch[next] = input[inputIndex];
                next++;
            }

            while (next < pairCount)
            {
                scratch[next] = 0;
                next++;
            }
        }

        /// <summary>Filter words of a packed [outputDepth, depth] filter: ceil(O/4)·PairCount(K)·4.</summary>
        public static int PackedFilterWords(int outputDepth, int depth)
        {
            return ((outputDepth + 3) >> 2) * PairCount(depth) * GroupChannels;
        }

        /// <summary>
        /// Packs filter [outputDepth, depth] (from filterOffset) into PackedFilterWords words at
        /// packed[packedOffset..]: word [g, j, c] = w[4g+c, 2j+1] + w[4g+c, 2j]·2^24, 0 beyond the
        /// filter. Returns false, leaving packed partly written, when a word does not fit an int32
        /// (w[o, 2j] = -128 with w[o, 2j+1] negative); symmetric filters ([-127, 127]) always fit.
        /// </summary>
        public static bool PackFilter(sbyte[] filter, int filterOffset, int outputDepth, int depth, int[] packed, int packedOffset)
        {
            int pairCount = PairCount(depth);
            int word = packedOffset;
            for (int firstChannel = 0; firstChannel < outputDepth; firstChannel += GroupChannels)
            {
                for (int pair = 0; pair < pairCount; pair++)
                {
                    for (int lane = 0; lane < GroupChannels; lane++)
                    {
                        int channel = firstChannel + lane;
                        int tap = 2 * pair;
                        int firstWeight = 0;
                        int secondWeight = 0;
                        if (channel < outputDepth && tap < depth)
                        {
                            firstWeight = filter[filterOffset + channel * depth + tap];
                            if (tap + 1 < depth)
                            {
                                secondWeight = filter[filterOffset + channel * depth + tap + 1];
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

            return true;
        }

        /// <summary>True when word is w1 + w0·2^24 with w0 and w1 in [-128, 127].</summary>
        public static bool IsValidFilterWord(int word)
        {
            int secondWeight = (word << 8) >> 8;
            int firstWeight = (word - secondWeight) >> 24;
            return secondWeight >= -128 && secondWeight <= 127 && firstWeight >= -128 && firstWeight <= 127;
        }

        private static void Store(int accumulator, int channel, int[] multiplier, int multiplierOffset, int[] shift, int shiftOffset,
            sbyte[] output, int rowOutput, int outputZeroPoint, int activationMin, int activationMax, int mode)
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

            output[rowOutput + channel] = (sbyte)value;
        }
    }
}
