using NanoInt8.Runtime;

namespace NanoInt8.Runtime.Tests
{
    /// <summary>
    /// Deterministic pseudo-random integers (Marsaglia's xorshift32), the same sequence on .NET and
    /// on nanoFramework, with no floating point.
    /// </summary>
    public sealed class TestRandom
    {
        private uint _state;

        /// <summary>Starts the sequence from a seed; equal seeds give equal sequences.</summary>
        public TestRandom(int seed)
        {
            // Spread small seeds over the state (Knuth's multiplicative hash); the state must not be 0.
            _state = unchecked((uint)seed * 2654435761u) ^ 0x5EED5EEDu;
            if (_state == 0)
            {
                _state = 1;
            }
        }

        /// <summary>The next 32 random bits.</summary>
        public uint NextUInt32()
        {
            uint state = _state;
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            _state = state;
            return state;
        }

        /// <summary>A value in [minInclusive, maxInclusive]; the range must be below 2^32 values.</summary>
        public int Next(int minInclusive, int maxInclusive)
        {
            uint range = unchecked((uint)(maxInclusive - minInclusive) + 1u);
            return unchecked(minInclusive + (int)(NextUInt32() % range));
        }
    }

    /// <summary>Helpers shared by the kernel tests: data, quantization parameters, indexing, checks.</summary>
    public static class KernelTestSupport
    {
        /// <summary>Count random int8 values in [min, max].</summary>
        public static sbyte[] RandomBytes(TestRandom random, int count, int min, int max)
        {
            sbyte[] values = new sbyte[count];
            for (int index = 0; index < count; index++)
            {
                values[index] = (sbyte)random.Next(min, max);
            }

            return values;
        }

        /// <summary>The values with every fourth one (from index 0) set to -128, the int8 minimum PyTorch's qint8 weights use; returns them.</summary>
        public static sbyte[] WithEveryFourthMinus128(sbyte[] values)
        {
            for (int index = 0; index < values.Length; index += 4)
            {
                values[index] = -128;
            }

            return values;
        }

        /// <summary>Count random int32 values in [min, max].</summary>
        public static int[] RandomInts(TestRandom random, int count, int min, int max)
        {
            int[] values = new int[count];
            for (int index = 0; index < count; index++)
            {
                values[index] = random.Next(min, max);
            }

            return values;
        }

        /// <summary>Row-major index of (i0, i1, i2, i3) in a 4-D tensor of dims [*, size1, size2, size3].</summary>
        public static int Index4(int size1, int size2, int size3, int i0, int i1, int i2, int i3)
        {
            return ((i0 * size1 + i1) * size2 + i2) * size3 + i3;
        }

        /// <summary>Product of the 4 dims of a shape.</summary>
        public static int ElementCount(int[] shape)
        {
            return shape[0] * shape[1] * shape[2] * shape[3];
        }

        /// <summary>value limited to [min, max].</summary>
        public static int Clamp(int value, int min, int max)
        {
            if (value < min)
            {
                return min;
            }

            return value > max ? max : value;
        }

        /// <summary>
        /// The common requantization step written out: asserts that the exact accumulator fits int32,
        /// then clamp(zeroPoint + MBQM(accumulator, multiplier, shift), min, max).
        /// </summary>
        public static sbyte Requantize(long accumulator, int multiplier, int shift, int zeroPoint, int min, int max)
        {
            Assert.IsTrue(accumulator >= int.MinValue && accumulator <= int.MaxValue);
            return (sbyte)Clamp(zeroPoint + FixedPoint.MultiplyByQuantizedMultiplier((int)accumulator, multiplier, shift), min, max);
        }

        /// <summary>Number of bits needed for |value| (0 for 0).</summary>
        public static int BitLength(long value)
        {
            if (value < 0)
            {
                value = -value;
            }

            int bits = 0;
            while (value != 0)
            {
                bits++;
                value >>= 1;
            }

            return bits;
        }

        /// <summary>
        /// The multiplier and shift for the positive ratio numerator / denominator, with integer
        /// arithmetic only: multiplier = round(q · 2^31) for q in [0.5, 1) and ratio = q · 2^shift.
        /// Both arguments must be below 2^30.
        /// </summary>
        public static void QuantizeRatio(long numerator, long denominator, out int multiplier, out int shift)
        {
            shift = 0;
            while (numerator >= denominator)
            {
                denominator <<= 1;
                shift++;
            }

            while (numerator * 2 < denominator)
            {
                numerator <<= 1;
                shift--;
            }

            // numerator / denominator is now in [0.5, 1) and both are below 2^31.
            long rounded = ((numerator << 31) + denominator / 2) / denominator;
            if (rounded == 1L << 31)
            {
                rounded = 1L << 30;
                shift++;
            }

            multiplier = (int)rounded;
        }

        /// <summary>
        /// A random multiplier and a shift that map accumulators up to maxAbsAccumulator onto about
        /// 2^7 .. 2^9 (give or take jitter), so that a test sees both ordinary values and saturation.
        /// </summary>
        public static void PickMultiplier(TestRandom random, long maxAbsAccumulator, out int multiplier, out int shift)
        {
            multiplier = random.Next(FixedPoint.MinMultiplier, int.MaxValue);
            shift = Clamp(8 - BitLength(maxAbsAccumulator) + random.Next(-1, 1), FixedPoint.MinShift, FixedPoint.MaxShift);
        }

        /// <summary>
        /// The data of the fully connected kernels' exact-accumulator tests: every input -128, a
        /// filter [outputDepth, depth] of extremes (<paramref name="extreme"/> 1: all -128, 3: all
        /// 127, else ±127 by the sign of random values), a bias cancelling each channel's sum up to
        /// 7·channel - 30, ratio 1 (multiplier 2^30, shift 1): output o must be zo + 7·o - 30 exactly.
        /// </summary>
        public static void ExactAccumulatorData(int seed, int depth, int outputDepth, int extreme, out sbyte[] input, out sbyte[] filter,
            out int[] bias, out int[] multiplier, out int[] shift)
        {
            TestRandom random = new TestRandom(seed);
            input = new sbyte[depth];
            for (int k = 0; k < depth; k++)
            {
                input[k] = -128;
            }

            filter = RandomBytes(random, outputDepth * depth, -127, 127);
            bias = new int[outputDepth];
            multiplier = new int[outputDepth];
            shift = new int[outputDepth];
            for (int channel = 0; channel < outputDepth; channel++)
            {
                int sum = 0;
                for (int k = 0; k < depth; k++)
                {
                    int index = channel * depth + k;
                    filter[index] = (sbyte)(extreme == 1 ? -128 : extreme == 3 || filter[index] >= 0 ? 127 : -127);
                    sum += filter[index];
                }

                bias[channel] = 128 * sum + 7 * channel - 30;
                multiplier[channel] = 1 << 30;
                shift[channel] = 1;
            }
        }

        /// <summary>
        /// Per-channel multipliers valid in the q15, pow2 and float32 modes (spread over each mode's
        /// range) and one shift for all channels: the inputs of the kernels' other-mode tests.
        /// </summary>
        public static void OtherModeMultipliers(int channels, int channelShift, out int[] q15, out int[] powerOfTwo, out int[] float32, out int[] shift)
        {
            q15 = new int[channels];
            powerOfTwo = new int[channels];
            float32 = new int[channels];
            shift = new int[channels];
            for (int channel = 0; channel < channels; channel++)
            {
                q15[channel] = (1 << 14) + 611 * channel;
                powerOfTwo[channel] = 1;
                float32[channel] = (1 << 23) + 70001 * channel;
                shift[channel] = channelShift;
            }
        }

        /// <summary>The value a fresh output buffer holds at index i, so that stray writes are seen.</summary>
        public static sbyte GuardValue(int index)
        {
            return (sbyte)(((index * 37) + 11) & 0x7F);
        }

        /// <summary>A copy of data placed at offset in a larger buffer filled with guard values.</summary>
        public static sbyte[] Embed(sbyte[] data, int offset, int trailing)
        {
            sbyte[] buffer = NewBuffer(offset + data.Length + trailing);
            for (int index = 0; index < data.Length; index++)
            {
                buffer[offset + index] = data[index];
            }

            return buffer;
        }

        /// <summary>A copy of data placed at offset in a larger buffer whose other entries are int.MinValue.</summary>
        public static int[] EmbedInts(int[] data, int offset)
        {
            int[] buffer = new int[offset + data.Length + 3];
            for (int index = 0; index < buffer.Length; index++)
            {
                buffer[index] = int.MinValue;
            }

            for (int index = 0; index < data.Length; index++)
            {
                buffer[offset + index] = data[index];
            }

            return buffer;
        }

        /// <summary>A buffer of length filled with guard values.</summary>
        public static sbyte[] NewBuffer(int length)
        {
            sbyte[] buffer = new sbyte[length];
            for (int index = 0; index < length; index++)
            {
                buffer[index] = GuardValue(index);
            }

            return buffer;
        }

        /// <summary>
        /// Asserts that buffer holds expected at offset and guard values everywhere else (the kernel
        /// wrote exactly its output region).
        /// </summary>
        public static void AssertRegion(sbyte[] expected, sbyte[] buffer, int offset)
        {
            for (int index = 0; index < buffer.Length; index++)
            {
                int position = index - offset;
                sbyte wanted = position >= 0 && position < expected.Length ? expected[position] : GuardValue(index);
                if (buffer[index] != wanted)
                {
                    // Both the position and the values appear in the failure message.
                    Assert.AreEqual("[" + position + "] = " + wanted, "[" + position + "] = " + buffer[index]);
                }
            }
        }

        /// <summary>Asserts two int8 arrays are equal element by element.</summary>
        public static void AssertEqual(sbyte[] expected, sbyte[] actual)
        {
            Assert.AreEqual(expected.Length, actual.Length);
            for (int index = 0; index < expected.Length; index++)
            {
                if (expected[index] != actual[index])
                {
                    Assert.AreEqual("[" + index + "] = " + expected[index], "[" + index + "] = " + actual[index]);
                }
            }
        }

        /// <summary>True when some value equals target.</summary>
        public static bool Contains(sbyte[] values, int target)
        {
            for (int index = 0; index < values.Length; index++)
            {
                if (values[index] == target)
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>Number of values strictly between min and max (neither clamped bound).</summary>
        public static int CountBetween(sbyte[] values, int min, int max)
        {
            int count = 0;
            for (int index = 0; index < values.Length; index++)
            {
                if (values[index] > min && values[index] < max)
                {
                    count++;
                }
            }

            return count;
        }

        /// <summary>
        /// Element strides of a tensor of shape operandShape broadcast to the output: row-major
        /// strides, 0 along each dim of size 1 (which the output may repeat).
        /// </summary>
        public static int[] BroadcastStrides(int[] operandShape)
        {
            int[] strides = new int[4];
            int stride = 1;
            for (int dim = 3; dim >= 0; dim--)
            {
                strides[dim] = operandShape[dim] == 1 ? 0 : stride;
                stride *= operandShape[dim];
            }

            return strides;
        }
    }
}
