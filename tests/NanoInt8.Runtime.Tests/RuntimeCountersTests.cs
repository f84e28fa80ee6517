using NanoInt8.Runtime.Kernels;

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
            Conv2DKernel.Eval(input, 0, 1, 1, 3, 3, 0,
                filter, 0, 1, 3, 3,
                new int[] { 0 }, 0, new int[] { 1 << 30 }, 0, new int[] { 0 }, 0,
                output, 0, 3, 3, 0,
                1, 1, 1, 1, 1, 1, 1,
                -128, 127, Requantization.Q31);

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
            FullyConnectedKernel.Eval(input, 0, 2, 5, filter, 0, 3,
                zeros, 0, multipliers, 0, zeros, 0, output, 0, 0, -128, 127, Requantization.Q15);

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
