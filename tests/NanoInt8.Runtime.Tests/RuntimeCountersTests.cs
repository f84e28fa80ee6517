using NanoInt8.Runtime.Kernels;
using NanoInt8.Runtime.Operators;

namespace NanoInt8.Runtime.Tests
{
    /// <summary>
    /// The host build's work counters (RuntimeCounters, compiled with NANOINT8_COUNTERS): they count
    /// what the kernels did, including the taps a border output skips.
    /// </summary>
    [TestClass]
    public class RuntimeCountersTests
    {
        [TestMethod]
        public void Conv2D_PaddedThreeByThree_CountsOnlyTheTapsInside()
        {
            // A 3x3 filter over a 3x3 input with padding 1: the corners sum 4 taps, the edges 6, the
            // centre 9: 4·4 + 4·6 + 9 = 49 multiply-accumulates for 9 outputs, one requantization each.
            sbyte[] input = new sbyte[9];
            sbyte[] filter = new sbyte[] { 1, 1, 1, 1, 1, 1, 1, 1, 1 };
            sbyte[] output = new sbyte[9];
            RuntimeCounters.Reset();
            Conv2DKernel.Eval(new Conv2DOperator
            {
                Input = input, InputOffset = 0, Batches = 1, InputChannels = 1, InputHeight = 3, InputWidth = 3, InputZeroPoint = 0,
                Filter = filter, FilterOffset = 0, OutputChannels = 1, FilterHeight = 3, FilterWidth = 3,
                Bias = new int[] { 0 }, BiasOffset = 0, Multiplier = new int[] { 1 << 30 }, MultiplierOffset = 0, Shift = new int[] { 0 },
                ShiftOffset = 0,
                Output = output, OutputOffset = 0, OutputHeight = 3, OutputWidth = 3, OutputZeroPoint = 0,
                StrideHeight = 1, StrideWidth = 1, DilationHeight = 1, DilationWidth = 1, PadTop = 1, PadLeft = 1, Groups = 1,
                ActivationMin = -128, ActivationMax = 127, Mode = Requantization.Q31,
            });

            Assert.AreEqual(49L, RuntimeCounters.MultiplyAccumulates);
            Assert.AreEqual(9L, RuntimeCounters.Requantizations);
        }

        [TestMethod]
        public void FullyConnected_TwoRowsThreeOutputs_CountsRowsTimesOutputsTimesDepth()
        {
            sbyte[] input = new sbyte[10];
            sbyte[] filter = new sbyte[15];
            sbyte[] output = new sbyte[6];
            int[] zeros = new int[3];
            int[] multipliers = new int[] { 1 << 14, 1 << 14, 1 << 14 };
            RuntimeCounters.Reset();
            FullyConnectedKernel.Eval(new FullyConnectedOperator
            {
                Input = input, InputOffset = 0, Rows = 2, Depth = 5, Filter = filter, FilterOffset = 0, OutputDepth = 3,
                Bias = zeros, BiasOffset = 0, Multiplier = multipliers, MultiplierOffset = 0, Shift = zeros, ShiftOffset = 0,
                Output = output, OutputOffset = 0, OutputZeroPoint = 0, ActivationMin = -128, ActivationMax = 127,
                Mode = Requantization.Q15,
            });

            Assert.AreEqual(30L, RuntimeCounters.MultiplyAccumulates);
            Assert.AreEqual(6L, RuntimeCounters.Requantizations);
            Assert.IsTrue(RuntimeCounters.RequantizationOperations > 6 * 10, "each Q15 requantization spends 20 or more operations");
        }

        [TestMethod]
        public void Reset_AfterWork_ZeroesEveryCounter()
        {
            Requantization.Apply(5, 1, -1, Requantization.PowerOfTwo);
            RuntimeCounters.Reset();

            Assert.AreEqual(0L, RuntimeCounters.MultiplyAccumulates);
            Assert.AreEqual(0L, RuntimeCounters.Requantizations);
            Assert.AreEqual(0L, RuntimeCounters.RequantizationOperations);
        }
    }
}
