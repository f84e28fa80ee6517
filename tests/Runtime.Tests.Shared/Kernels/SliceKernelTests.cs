using NanoInt8.Runtime.Kernels;
using NanoInt8.Runtime.Operators;

namespace NanoInt8.Runtime.Tests
{
    /// <summary>
    /// SliceKernel against a plain reference: output element (i0, i1, i2, i3) is input element
    /// (start_k + i_k·step_k) along each right-aligned axis, steps negative too; values copied as they are.
    /// </summary>
    [TestClass]
    public class SliceKernelTests
    {
        [TestMethod]
        public void Eval_KnownNumbers_TakesTheWindowBackwardsAlongANegativeStep()
        {
            // Input [1, 1, 2, 5] = {0..4; 10..14}: row 1, columns 4, 2, 0 (start 4, step -2).
            sbyte[] input = new sbyte[] { 0, 1, 2, 3, 4, 10, 11, 12, 13, 14 };
            sbyte[] output = new sbyte[3];
            SliceKernel.Eval(Record(input, 0, new int[] { 1, 1, 2, 5 }, output, 0, new int[] { 1, 1, 1, 3 },
                new int[] { 0, 0, 1, 4 }, new int[] { 1, 1, 1, -2 }));

            KernelTestSupport.AssertEqual(new sbyte[] { 14, 12, 10 }, output);
        }

        [TestMethod]
        public void Eval_ContiguousRows_CopiesThemWhole()
        {
            // Input [1, 3, 2, 2] = 0..11: channels 1..2, both rows, both columns.
            sbyte[] input = new sbyte[] { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 };
            sbyte[] output = new sbyte[8];
            SliceKernel.Eval(Record(input, 0, new int[] { 1, 3, 2, 2 }, output, 0, new int[] { 1, 2, 2, 2 },
                new int[] { 0, 1, 0, 0 }, new int[] { 1, 1, 1, 1 }));

            KernelTestSupport.AssertEqual(new sbyte[] { 4, 5, 6, 7, 8, 9, 10, 11 }, output);
        }

        [TestMethod]
        public void Eval_RandomWindows_MatchReference()
        {
            var random = new TestRandom(21);
            for (int trial = 0; trial < 40; trial++)
            {
                int[] inputShape = new int[4];
                int[] starts = new int[4];
                int[] steps = new int[4];
                int[] outputShape = new int[4];
                for (int k = 0; k < 4; k++)
                {
                    // TestRandom.Next's bounds are both inclusive.
                    inputShape[k] = random.Next(1, 5);
                    steps[k] = random.Next(1, 2) * (random.Next(0, 1) == 0 ? 1 : -1);
                    starts[k] = random.Next(0, inputShape[k] - 1);
                    // At most as many elements as fit from the start in the step's direction, at least one.
                    int room = steps[k] > 0 ? (inputShape[k] - 1 - starts[k]) / steps[k] : starts[k] / -steps[k];
                    outputShape[k] = random.Next(1, room + 1);
                }

                int inputCount = inputShape[0] * inputShape[1] * inputShape[2] * inputShape[3];
                int outputCount = outputShape[0] * outputShape[1] * outputShape[2] * outputShape[3];
                sbyte[] input = KernelTestSupport.RandomBytes(random, inputCount, -128, 127);
                sbyte[] expected = new sbyte[outputCount];
                int index = 0;
                for (int i0 = 0; i0 < outputShape[0]; i0++)
                {
                    for (int i1 = 0; i1 < outputShape[1]; i1++)
                    {
                        for (int i2 = 0; i2 < outputShape[2]; i2++)
                        {
                            for (int i3 = 0; i3 < outputShape[3]; i3++)
                            {
                                int x0 = starts[0] + i0 * steps[0];
                                int x1 = starts[1] + i1 * steps[1];
                                int x2 = starts[2] + i2 * steps[2];
                                int x3 = starts[3] + i3 * steps[3];
                                expected[index] = input[((x0 * inputShape[1] + x1) * inputShape[2] + x2) * inputShape[3] + x3];
                                index++;
                            }
                        }
                    }
                }

                // Both tensors inside larger buffers, so an index off by one would read or write a neighbour.
                sbyte[] outputBuffer = KernelTestSupport.NewBuffer(outputCount + 4);
                SliceKernel.Eval(Record(KernelTestSupport.Embed(input, 3, 2), 3, inputShape, outputBuffer, 2, outputShape, starts, steps));

                KernelTestSupport.AssertRegion(expected, outputBuffer, 2);
            }
        }

        // The record the interpreter prepares for these shapes, starts and steps (SliceOperator's Prepare).
        private static SliceOperator Record(sbyte[] input, int inputOffset, int[] inputShape, sbyte[] output, int outputOffset, int[] outputShape,
            int[] starts, int[] steps)
        {
            int stride2 = inputShape[3];
            int stride1 = stride2 * inputShape[2];
            int stride0 = stride1 * inputShape[1];
            return new SliceOperator
            {
                Input = input,
                InputStart = inputOffset + starts[0] * stride0 + starts[1] * stride1 + starts[2] * stride2 + starts[3],
                Output = output,
                OutputOffset = outputOffset,
                OutputShape = outputShape,
                OutputShapeOffset = 0,
                InputStride0 = steps[0] * stride0,
                InputStride1 = steps[1] * stride1,
                InputStride2 = steps[2] * stride2,
                InputStride3 = steps[3],
            };
        }
    }
}
