namespace NanoInt8.Runtime.Tests
{
    /// <summary>
    /// The packed kernels' overflow bounds at the longest reductions the format allows: every input
    /// -128, every weight -127 or 127, or -128 wherever the kernel's words hold it (PyTorch's qint8
    /// weights use -128), so each lane block carries its largest sums. Host only: the
    /// arrays (up to 655 KB of scratch) would exhaust a small board's heap, which kills the device
    /// (shared/NANOCLR.md); the same checks at smaller sizes are in the shared tests.
    /// </summary>
    [TestClass]
    public class PackedKernelBoundTests
    {
        [TestMethod]
        public void FullyConnectedPacked_ExtremesAtTheLongestReduction_MatchPlain()
        {
            // The overflow bound of the kernel's header: every input -128, every weight -127 or
            // 127, at the longest reduction the format allows (65535 taps), so every 254-pair
            // block carries its largest lane sums.
            FullyConnectedPackedKernelTests.Check(1, 1, ModelReader.MaxReduction, 4, -128, 127, true);
        }

        [TestMethod]
        public void FullyConnectedPacked_UniformExtremesAtTheLongestReduction_MatchPlain()
        {
            // Every input -128, one channel of all 127 and one of all -127, 65535 taps: each full
            // block's middle lane reaches ∓254·2·128·127 = ∓8,258,048 (the bound is 2^23 = 8,388,608)
            // and the int32 accumulator ∓65535·16,256, with the largest allowed bias on top.
            int depth = ModelReader.MaxReduction;
            sbyte[] input = FullyConnectedPackedKernelTests.Filled(depth, -128);
            sbyte[] filter = new sbyte[2 * depth];
            for (int k = 0; k < depth; k++)
            {
                filter[k] = 127;
                filter[depth + k] = -127;
            }

            FullyConnectedPackedKernelTests.CompareWithPlain(input, 1, depth, filter, 2, new int[] { ModelReader.MaxBias, -ModelReader.MaxBias });
            FullyConnectedPackedKernelTests.CompareWithPlain(input, 1, depth, filter, 2, new int[] { -ModelReader.MaxBias, ModelReader.MaxBias });
        }

        [TestMethod]
        public void Conv2DPacked_ExtremesAtTheLongestReduction_MatchPlain()
        {
            // Every input -128, every weight ±127, 508 channels × 129 rows = 65,532 taps (the most a
            // window of whole 254-pair rows can have within the format's 65,535): each block is one
            // row of exactly 254 pairs, the lane bound's limit.
            Conv2DPackedKernelTests.Check(9, 1, 508, 129, 1, 4, 129, 1, 1, 1, 0, 0, 0, 0, -128, true);
        }

        [TestMethod]
        public void Conv2DPacked_ExtremesAtTheLongestReductionInFourPositionTiles_MatchPlain()
        {
            // The same through the four-position tile: 252 channels × 130 rows × 2 columns = 65,520
            // taps, a 252-pair row per block, 4 output positions; the padded input (81,900 words)
            // fits the format's scratch limit.
            Conv2DPackedKernelTests.Check(10, 1, 252, 130, 5, 4, 130, 2, 1, 1, 0, 0, 0, 0, -128, true);
        }

        [TestMethod]
        public void Conv2DPackedTaps_ExtremesAtTheWidestRowInTheScratch_MatchPlain()
        {
            // One input channel, every input -128, every weight ±127: KW 508 (Q = 254 pairs, one row
            // a block, the lane bound's limit) × 96 rows = 48,768 taps, eight output positions and
            // eight channels (the wide tile); the padded input, 96 × (515 + 508) = 98,208 words, is
            // as large as the format's scratch limit (98,300) lets a row this wide be.
            Conv2DPackedTapsKernelTests.Check(23, 1, 96, 515, 8, 96, 508, 1, 1, 0, 0, 0, 0, -128, Conv2DPackedTapsKernelTests.Extreme.Plus127OrMinus127);
        }

        [TestMethod]
        public void Conv2DPackedTaps_ExtremesInBlocksOfManyRows_MatchPlain()
        {
            // KW 4 (Q = 2): 127 rows a block, a 130-row window takes two blocks of up to 254 pairs.
            Conv2DPackedTapsKernelTests.Check(24, 1, 130, 11, 12, 130, 4, 1, 1, 0, 0, 0, 0, -128, Conv2DPackedTapsKernelTests.Extreme.Plus127OrMinus127);
        }

        [TestMethod]
        public void FullyConnectedPacked_Minus128AtTheLongestReduction_MatchPlain()
        {
            // -128 in every filter word that holds it, 65535 taps: each full block's middle lane
            // reaches ±254·(2^14 + 127²) = ±8,258,302 (the bound is 2^23).
            FullyConnectedPackedKernelTests.CheckMinus128(3, 1, ModelReader.MaxReduction, 4);
        }

        [TestMethod]
        public void Conv2DPacked_Minus128AtTheLongestReduction_MatchPlain()
        {
            // The same through a window of whole 254-pair rows: 508 channels × 129 rows (65,532 taps).
            Conv2DPackedKernelTests.CheckMinus128(1, 508, 129, 1, 4, 129, 1, 1, 1, 0, 0, 0, 0);
        }

        [TestMethod]
        public void Conv2DPackedTaps_Minus128AtTheWidestRowInTheScratch_MatchPlain()
        {
            // One input channel, KW 508 (254 tap pairs a block) × 96 rows, -128 in every word that holds it.
            Conv2DPackedTapsKernelTests.Check(27, 1, 96, 515, 8, 96, 508, 1, 1, 0, 0, 0, 0, -128, Conv2DPackedTapsKernelTests.Extreme.Minus128Pairs);
        }

        [TestMethod]
        public void Conv2DTriple_ExtremesAtTheLongestReductionInTheScratch_MatchPlain()
        {
            // Every input -128, every weight -128 (then 127): 7 channels × 7 columns is a 21-word
            // row, one lane block each, × 511 rows = 25,039 taps, about the longest window whose
            // filter words and packed input (511 · (168 + 24) words) fit the format's scratch limit.
            Conv2DTripleKernelTests.Check(30, 1, 7, 511, 8, 8, 511, 7, 1, 1, 0, 0, 0, 0, -128, Conv2DTripleKernelTests.Extreme.AllMinus128);
            Conv2DTripleKernelTests.Check(31, 1, 7, 511, 8, 8, 511, 7, 1, 1, 0, 0, 0, 0, -128, Conv2DTripleKernelTests.Extreme.All127);
        }

        [TestMethod]
        public void FullyConnectedTriple_ExtremesAtTheLongestReduction_KeepEveryAccumulatorExact()
        {
            // 65535 taps (21,845 words, 1,041 blocks), every input -128, weights -128, 127 or ±127,
            // ratio 1 and the bias cancelling the sum: one unit of error in any block would show.
            FullyConnectedTripleKernelTests.CheckExactAccumulators(5, ModelReader.MaxReduction, FullyConnectedTripleKernelTests.Extreme.AllMinus128);
            FullyConnectedTripleKernelTests.CheckExactAccumulators(6, ModelReader.MaxReduction, FullyConnectedTripleKernelTests.Extreme.All127);
            FullyConnectedTripleKernelTests.CheckExactAccumulators(7, ModelReader.MaxReduction, FullyConnectedTripleKernelTests.Extreme.Plus127OrMinus127);
        }
    }
}
