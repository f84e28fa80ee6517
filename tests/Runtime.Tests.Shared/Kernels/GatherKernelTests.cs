using NanoInt8.Runtime.Kernels;
using NanoInt8.Runtime.Operators;

namespace NanoInt8.Runtime.Tests
{
    /// <summary>
    /// GatherKernel against a plain reference: output element (i0, i1, i2, i3) is input element
    /// (map0[i0], map1[i1], map2[i2], map3[i3]) of the right-aligned 4-D views; values copied as
    /// they are, rows of consecutive indices copied whole.
    /// </summary>
    [TestClass]
    public class GatherKernelTests
    {
        [TestMethod]
        public void Eval_NearestUpsamplingByTwo_RepeatsEveryElementTwiceAlongBothAxes()
        {
            // Input [1, 1, 2, 2] = {1, 2; 3, 4}, each axis mapped 0, 0, 1, 1.
            sbyte[] input = new sbyte[] { 1, 2, 3, 4 };
            sbyte[] output = new sbyte[16];
            GatherKernel.Eval(Record(input, 0, new int[] { 1, 1, 2, 2 }, output, 0, new int[] { 1, 1, 4, 4 },
                new int[] { 0, 0, 0, 0, 1, 1, 0, 0, 1, 1 }, 0));

            KernelTestSupport.AssertEqual(new sbyte[] { 1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4 }, output);
        }

        [TestMethod]
        public void Eval_ChannelsInAnotherOrder_CopiesEachRowWhole()
        {
            // Input [1, 3, 1, 2] = {0, 1 | 10, 11 | 20, 21}: channels 2, 0, 2 (Gather along axis 1).
            sbyte[] input = new sbyte[] { 0, 1, 10, 11, 20, 21 };
            sbyte[] output = new sbyte[6];
            GatherOperator record = Record(input, 0, new int[] { 1, 3, 1, 2 }, output, 0, new int[] { 1, 3, 1, 2 },
                new int[] { 0, 2, 0, 2, 0, 0, 1 }, 0);
            Assert.IsTrue(record.ContiguousRows);
            GatherKernel.Eval(record);

            KernelTestSupport.AssertEqual(new sbyte[] { 20, 21, 0, 1, 20, 21 }, output);
        }

        [TestMethod]
        public void Eval_RandomMaps_MatchReference()
        {
            var random = new TestRandom(22);
            for (int trial = 0; trial < 40; trial++)
            {
                // Every other trial, the innermost map is a run of consecutive indices (whole-row copies).
                bool run = trial % 2 == 0;
                int[] inputShape = new int[4];
                int[] outputShape = new int[4];
                for (int k = 0; k < 4; k++)
                {
                    // TestRandom.Next's bounds are both inclusive.
                    inputShape[k] = random.Next(1, 4);
                    outputShape[k] = run && k == 3 ? random.Next(1, inputShape[3]) : random.Next(1, 5);
                }

                int[] maps = new int[outputShape[0] + outputShape[1] + outputShape[2] + outputShape[3]];
                int entry = 0;
                for (int k = 0; k < 4; k++)
                {
                    int first = run && k == 3 ? random.Next(0, inputShape[3] - outputShape[3]) : 0;
                    for (int i = 0; i < outputShape[k]; i++)
                    {
                        maps[entry] = run && k == 3 ? first + i : random.Next(0, inputShape[k] - 1);
                        entry++;
                    }
                }

                int inputCount = KernelTestSupport.ElementCount(inputShape);
                int outputCount = KernelTestSupport.ElementCount(outputShape);
                sbyte[] input = KernelTestSupport.RandomBytes(random, inputCount, -128, 127);
                sbyte[] expected = new sbyte[outputCount];
                int map1 = outputShape[0];
                int map2 = map1 + outputShape[1];
                int map3 = map2 + outputShape[2];
                int index = 0;
                for (int i0 = 0; i0 < outputShape[0]; i0++)
                {
                    for (int i1 = 0; i1 < outputShape[1]; i1++)
                    {
                        for (int i2 = 0; i2 < outputShape[2]; i2++)
                        {
                            for (int i3 = 0; i3 < outputShape[3]; i3++)
                            {
                                expected[index] = input[KernelTestSupport.Index4(inputShape[1], inputShape[2], inputShape[3],
                                    maps[i0], maps[map1 + i1], maps[map2 + i2], maps[map3 + i3])];
                                index++;
                            }
                        }
                    }
                }

                // Tensors and maps inside larger buffers, so an index off by one would read or write a neighbour.
                sbyte[] outputBuffer = KernelTestSupport.NewBuffer(outputCount + 4);
                GatherOperator record = Record(KernelTestSupport.Embed(input, 3, 2), 3, inputShape, outputBuffer, 2, outputShape,
                    KernelTestSupport.EmbedInts(maps, 5), 5);
                Assert.IsTrue(record.ContiguousRows || !run);
                GatherKernel.Eval(record);

                KernelTestSupport.AssertRegion(expected, outputBuffer, 2);
            }
        }

        // The record the interpreter prepares for these shapes and maps (GatherOperator's Prepare).
        private static GatherOperator Record(sbyte[] input, int inputOffset, int[] inputShape, sbyte[] output, int outputOffset, int[] outputShape,
            int[] indices, int indicesOffset)
        {
            int map3 = indicesOffset + outputShape[0] + outputShape[1] + outputShape[2];
            bool consecutive = true;
            for (int j = 1; j < outputShape[3]; j++)
            {
                consecutive = consecutive && indices[map3 + j] == indices[map3] + j;
            }

            return new GatherOperator
            {
                Input = input,
                InputOffset = inputOffset,
                Output = output,
                OutputOffset = outputOffset,
                OutputShape = outputShape,
                OutputShapeOffset = 0,
                Indices = indices,
                IndicesOffset = indicesOffset,
                InputStride0 = inputShape[1] * inputShape[2] * inputShape[3],
                InputStride1 = inputShape[2] * inputShape[3],
                InputStride2 = inputShape[3],
                ContiguousRows = consecutive,
            };
        }
    }
}
