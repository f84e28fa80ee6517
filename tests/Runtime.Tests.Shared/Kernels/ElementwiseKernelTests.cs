using NanoInt8.Runtime.Kernels;
using NanoInt8.Runtime.Operators;

namespace NanoInt8.Runtime.Tests
{
    /// <summary>RequantizeKernel and LookupKernel, out of place and in place.</summary>
    [TestClass]
    public class ElementwiseKernelTests
    {
        [TestMethod]
        public void RequantizeEval_KnownNumbers_GivesHandComputedOutputs()
        {
            // Ratio 1/2, zi 2, zo 5: (10 - 2) / 2 + 5 = 9; (-7 - 2) / 2 = -4.5, which TFLite's
            // rounding takes to -4, + 5 = 1.
            sbyte[] output = new sbyte[2];
            RequantizeKernel.Eval(new RequantizeOperator
            {
                Input = new sbyte[] { 10, -7 }, InputOffset = 0, InputZeroPoint = 2, Count = 2, Output = output, OutputOffset = 0,
                OutputZeroPoint = 5, Multiplier = 1 << 30, Shift = 0, ActivationMin = -128, ActivationMax = 127, Mode = Requantization.Q31,
            });

            KernelTestSupport.AssertEqual(new sbyte[] { 9, 1 }, output);
        }

        [TestMethod]
        public void RequantizeEval_InPlace_MatchesReference()
        {
            for (int seed = 1; seed <= 3; seed++)
            {
                CheckRequantize(seed, 37, 3, 4, -9, 14, -128, 127, true);
                CheckRequantize(seed, 64, 7, 3, 0, 0, -128, 127, true);
            }
        }

        [TestMethod]
        public void RequantizeEval_OutOfPlace_MatchesReference()
        {
            for (int seed = 1; seed <= 3; seed++)
            {
                CheckRequantize(seed, 50, 1, 3, 20, -20, -128, 127, false);
            }
        }

        [TestMethod]
        public void RequantizeEval_ExtremeZeroPointsAndClamp_MatchReference()
        {
            for (int seed = 1; seed <= 3; seed++)
            {
                sbyte[] output = CheckRequantize(seed, 100, 3, 2, -128, 127, -128, 127, true);
                Assert.IsTrue(KernelTestSupport.Contains(output, 127));
                output = CheckRequantize(seed, 100, 3, 2, 127, -128, -128, 127, false);
                Assert.IsTrue(KernelTestSupport.Contains(output, -128));
                output = CheckRequantize(seed, 100, 1, 1, 0, 0, -50, 60, true);
                Assert.IsTrue(KernelTestSupport.Contains(output, -50));
                Assert.IsTrue(KernelTestSupport.Contains(output, 60));
            }
        }

        [TestMethod]
        public void LookupEval_ExtremeInputs_UseFirstAndLastEntries()
        {
            // table[i] = 127 - i, so x maps to -1 - x: -128 -> 127 (entry 0), 127 -> -128 (entry 255).
            sbyte[] table = new sbyte[256];
            for (int index = 0; index < 256; index++)
            {
                table[index] = (sbyte)(127 - index);
            }

            sbyte[] output = new sbyte[3];
            LookupKernel.Eval(new LookupOperator
            {
                Input = new sbyte[] { -128, 0, 127 }, InputOffset = 0, Count = 3, Table = table, TableOffset = 0, Output = output, OutputOffset = 0,
            });

            KernelTestSupport.AssertEqual(new sbyte[] { 127, -1, -128 }, output);
        }

        [TestMethod]
        public void LookupEval_InPlace_MatchesReference()
        {
            for (int seed = 1; seed <= 3; seed++)
            {
                CheckLookup(seed, 300, true);
            }
        }

        [TestMethod]
        public void LookupEval_OutOfPlace_MatchesReference()
        {
            for (int seed = 1; seed <= 3; seed++)
            {
                CheckLookup(seed, 41, false);
            }
        }

        private static sbyte[] CheckRequantize(int seed, int count, int scaleNumerator, int scaleDenominator, int inputZeroPoint, int outputZeroPoint,
            int activationMin, int activationMax, bool inPlace)
        {
            TestRandom random = new TestRandom(seed * 977 + count);
            int multiplier;
            int shift;
            KernelTestSupport.QuantizeRatio(scaleNumerator, scaleDenominator, out multiplier, out shift);
            sbyte[] input = KernelTestSupport.RandomBytes(random, count, -128, 127);
            sbyte[] expected = new sbyte[count];
            for (int index = 0; index < count; index++)
            {
                expected[index] = KernelTestSupport.Requantize(input[index] - inputZeroPoint, multiplier, shift, outputZeroPoint, activationMin, activationMax);
            }

            sbyte[] inputBuffer = KernelTestSupport.Embed(input, 5, 3);
            sbyte[] outputBuffer = inPlace ? inputBuffer : KernelTestSupport.NewBuffer(count + 3);
            int outputOffset = inPlace ? 5 : 1;
            RequantizeKernel.Eval(new RequantizeOperator
            {
                Input = inputBuffer, InputOffset = 5, InputZeroPoint = inputZeroPoint, Count = count, Output = outputBuffer,
                OutputOffset = outputOffset, OutputZeroPoint = outputZeroPoint, Multiplier = multiplier, Shift = shift,
                ActivationMin = activationMin, ActivationMax = activationMax, Mode = Requantization.Q31,
            });

            KernelTestSupport.AssertRegion(expected, outputBuffer, outputOffset);
            return expected;
        }

        private static void CheckLookup(int seed, int count, bool inPlace)
        {
            TestRandom random = new TestRandom(seed * 433 + count);
            sbyte[] table = KernelTestSupport.RandomBytes(random, 256, -128, 127);
            sbyte[] input = KernelTestSupport.RandomBytes(random, count, -128, 127);
            sbyte[] expected = new sbyte[count];
            for (int index = 0; index < count; index++)
            {
                expected[index] = table[input[index] + 128];
            }

            sbyte[] inputBuffer = KernelTestSupport.Embed(input, 2, 4);
            sbyte[] outputBuffer = inPlace ? inputBuffer : KernelTestSupport.NewBuffer(count + 7);
            int outputOffset = inPlace ? 2 : 6;
            LookupKernel.Eval(new LookupOperator
            {
                Input = inputBuffer, InputOffset = 2, Count = count, Table = KernelTestSupport.Embed(table, 3, 1), TableOffset = 3,
                Output = outputBuffer, OutputOffset = outputOffset,
            });

            KernelTestSupport.AssertRegion(expected, outputBuffer, outputOffset);
        }
    }
}
