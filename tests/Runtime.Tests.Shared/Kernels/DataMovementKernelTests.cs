using NanoInt8.Runtime.Kernels;
using NanoInt8.Runtime.Operators;

namespace NanoInt8.Runtime.Tests
{
    /// <summary>
    /// ConcatKernel, PadKernel and TransposeKernel against references that compute each output
    /// element's source position from its 4-D index.
    /// </summary>
    [TestClass]
    public class DataMovementKernelTests
    {
        [TestMethod]
        public void ConcatCopyInput_KnownNumbers_CopiesAndRequantizes()
        {
            // Output [2, 3] along the last axis from A [2, 2] = {1, 2, 3, 4}, copied, and
            // B [2, 1] = {10, 20} with zi 2, ratio 1/2, zo -1: (10 - 2) / 2 - 1 = 3, (20 - 2) / 2 - 1 = 8.
            sbyte[] output = new sbyte[6];
            ConcatKernel.Eval(new ConcatOperator
            {
                Output = output, OutputZeroPoint = 0, OuterCount = 2, OutputInnerSize = 3, Mode = Requantization.Q31,
                Inputs = new ConcatInput[]
                {
                    new ConcatInput
                    {
                        Input = new sbyte[] { 1, 2, 3, 4 }, InputOffset = 0, InputZeroPoint = 0, InnerSize = 2, OutputOffset = 0,
                        Multiplier = 0, Shift = 0,
                    },
                },
            });
            ConcatKernel.Eval(new ConcatOperator
            {
                Output = output, OutputZeroPoint = -1, OuterCount = 2, OutputInnerSize = 3, Mode = Requantization.Q31,
                Inputs = new ConcatInput[]
                {
                    new ConcatInput
                    {
                        Input = new sbyte[] { 10, 20 }, InputOffset = 0, InputZeroPoint = 2, InnerSize = 1, OutputOffset = 2,
                        Multiplier = 1 << 30, Shift = 0,
                    },
                },
            });

            KernelTestSupport.AssertEqual(new sbyte[] { 1, 2, 3, 3, 4, 8 }, output);
        }

        [TestMethod]
        public void ConcatCopyInput_RequantizedOutOfRange_ClampsToInt8()
        {
            // Ratio 1 with zero points -128 -> 0: 127 + 128 = 255 saturates; -128 maps to 0.
            sbyte[] output = new sbyte[2];
            ConcatKernel.Eval(new ConcatOperator
            {
                Output = output, OutputZeroPoint = 0, OuterCount = 1, OutputInnerSize = 2, Mode = Requantization.Q31,
                Inputs = new ConcatInput[]
                {
                    new ConcatInput
                    {
                        Input = new sbyte[] { 127, -128 }, InputOffset = 0, InputZeroPoint = -128, InnerSize = 2, OutputOffset = 0,
                        Multiplier = 1 << 30, Shift = 1,
                    },
                },
            });

            KernelTestSupport.AssertEqual(new sbyte[] { 127, 0 }, output);
        }

        [TestMethod]
        public void ConcatCopyInput_EveryAxisWithRequantization_MatchesReference()
        {
            for (int axis = 0; axis < 4; axis++)
            {
                for (int seed = 1; seed <= 2; seed++)
                {
                    CheckConcat(seed, axis);
                }
            }
        }

        [TestMethod]
        public void PadEval_KnownNumbers_SurroundsInput()
        {
            // [1, 1, 1, 2] {5, 6} padded by one column left, one row below, two columns right.
            sbyte[] output = new sbyte[10];
            PadKernel.Eval(new PadOperator
            {
                Input = new sbyte[] { 5, 6 }, InputOffset = 0, InputShape = new int[] { 1, 1, 1, 2 }, InputShapeOffset = 0,
                Output = output, OutputOffset = 0, OutputShape = new int[] { 1, 1, 2, 5 }, OutputShapeOffset = 0,
                PadBefore = new int[] { 0, 0, 0, 1 }, PadBeforeOffset = 0, PadValue = -7,
            });

            KernelTestSupport.AssertEqual(new sbyte[] { -7, 5, 6, -7, -7, -7, -7, -7, -7, -7 }, output);
        }

        [TestMethod]
        public void PadEval_EveryDimension_MatchesReference()
        {
            for (int seed = 1; seed <= 3; seed++)
            {
                CheckPad(seed, new int[] { 1, 2, 3, 4 }, new int[] { 0, 0, 1, 1 }, new int[] { 0, 0, 1, 1 }, 0);
                CheckPad(seed, new int[] { 2, 3, 2, 3 }, new int[] { 1, 0, 2, 0 }, new int[] { 0, 2, 0, 3 }, -128);
                CheckPad(seed, new int[] { 1, 1, 3, 3 }, new int[] { 0, 1, 0, 2 }, new int[] { 1, 0, 3, 0 }, 127);
                CheckPad(seed, new int[] { 2, 2, 2, 2 }, new int[] { 0, 0, 0, 0 }, new int[] { 0, 0, 0, 0 }, 5);
            }
        }

        [TestMethod]
        public void TransposeEval_NchwToNhwc_MovesChannelsLast()
        {
            // [1, 2, 2, 3] channel 0 = 0..5, channel 1 = 10..15 -> [1, 2, 3, 2], channels interleaved.
            sbyte[] input = new sbyte[] { 0, 1, 2, 3, 4, 5, 10, 11, 12, 13, 14, 15 };
            sbyte[] output = new sbyte[12];
            // Output dims (N, H, W, C); input strides along them: C·H·W, W, 1, H·W.
            TransposeKernel.Eval(new TransposeOperator
            {
                Input = input, InputOffset = 0, Output = output, OutputOffset = 0, OutputShape = new int[] { 1, 2, 3, 2 },
                OutputShapeOffset = 0, InputStrides = new int[] { 12, 3, 1, 6 }, InputStridesOffset = 0,
            });

            KernelTestSupport.AssertEqual(new sbyte[] { 0, 10, 1, 11, 2, 12, 3, 13, 4, 14, 5, 15 }, output);
        }

        [TestMethod]
        public void TransposeEval_AllPermutations_MatchReference()
        {
            int[] inputShape = new int[] { 2, 3, 4, 5 };
            TestRandom random = new TestRandom(99);
            sbyte[] input = KernelTestSupport.RandomBytes(random, KernelTestSupport.ElementCount(inputShape), -128, 127);
            int permutations = 0;
            for (int p0 = 0; p0 < 4; p0++)
            {
                for (int p1 = 0; p1 < 4; p1++)
                {
                    for (int p2 = 0; p2 < 4; p2++)
                    {
                        int p3 = 6 - p0 - p1 - p2;
                        if (p0 == p1 || p0 == p2 || p1 == p2 || p3 < 0 || p3 > 3 || p3 == p0 || p3 == p1 || p3 == p2)
                        {
                            continue;
                        }

                        CheckTranspose(input, inputShape, new int[] { p0, p1, p2, p3 });
                        permutations++;
                    }
                }
            }

            Assert.AreEqual(24, permutations);
        }

        /// <summary>Concatenates three random inputs along axis: one copied, two requantized.</summary>
        private static void CheckConcat(int seed, int axis)
        {
            TestRandom random = new TestRandom(seed * 4099 + axis);
            int outputZeroPoint = random.Next(-20, 20);
            int[][] shapes = new int[3][];
            int[] zeroPoints = new int[] { outputZeroPoint, -128, 127 };
            int[] multipliers = new int[3];
            int[] shifts = new int[3];
            int multiplier;
            int shift;
            KernelTestSupport.QuantizeRatio(3, 4, out multiplier, out shift);
            multipliers[1] = multiplier;
            shifts[1] = shift;
            KernelTestSupport.QuantizeRatio(5, 2, out multiplier, out shift);
            multipliers[2] = multiplier;
            shifts[2] = shift;
            int[] outputShape = new int[] { 2, 3, 2, 3 };
            outputShape[axis] = 0;
            for (int input = 0; input < 3; input++)
            {
                shapes[input] = new int[] { 2, 3, 2, 3 };
                shapes[input][axis] = input + 1;
                outputShape[axis] += input + 1;
            }

            sbyte[][] inputs = new sbyte[3][];
            for (int input = 0; input < 3; input++)
            {
                inputs[input] = KernelTestSupport.RandomBytes(random, KernelTestSupport.ElementCount(shapes[input]), -128, 127);
            }

            // Reference: output element (i0..i3) comes from the input whose slice along axis holds i[axis].
            sbyte[] expected = new sbyte[KernelTestSupport.ElementCount(outputShape)];
            int[] index = new int[4];
            for (index[0] = 0; index[0] < outputShape[0]; index[0]++)
            {
                for (index[1] = 0; index[1] < outputShape[1]; index[1]++)
                {
                    for (index[2] = 0; index[2] < outputShape[2]; index[2]++)
                    {
                        for (index[3] = 0; index[3] < outputShape[3]; index[3]++)
                        {
                            int position = index[axis];
                            int input = 0;
                            while (position >= shapes[input][axis])
                            {
                                position -= shapes[input][axis];
                                input++;
                            }

                            int[] source = new int[] { index[0], index[1], index[2], index[3] };
                            source[axis] = position;
                            int[] shape = shapes[input];
                            int x = inputs[input][KernelTestSupport.Index4(shape[1], shape[2], shape[3], source[0], source[1], source[2], source[3])];
                            int outputIndex = KernelTestSupport.Index4(outputShape[1], outputShape[2], outputShape[3], index[0], index[1], index[2], index[3]);
                            expected[outputIndex] = multipliers[input] == 0
                                ? (sbyte)x
                                : KernelTestSupport.Requantize(x - zeroPoints[input], multipliers[input], shifts[input], outputZeroPoint, -128, 127);
                        }
                    }
                }
            }

            // What the interpreter does: outer count and inner sizes from the shapes, the output
            // position advanced along the axis by each earlier input's inner size.
            int outerCount = 1;
            for (int dim = 0; dim < axis; dim++)
            {
                outerCount *= outputShape[dim];
            }

            int outputInnerSize = KernelTestSupport.ElementCount(outputShape) / outerCount;
            sbyte[] outputBuffer = KernelTestSupport.NewBuffer(expected.Length + 5);
            int outputOffset = 3;
            for (int input = 0; input < 3; input++)
            {
                int inputInnerSize = KernelTestSupport.ElementCount(shapes[input]) / outerCount;
                ConcatKernel.Eval(new ConcatOperator
                {
                    Output = outputBuffer, OutputZeroPoint = outputZeroPoint, OuterCount = outerCount, OutputInnerSize = outputInnerSize,
                    Mode = Requantization.Q31,
                    Inputs = new ConcatInput[]
                    {
                        new ConcatInput
                        {
                            Input = KernelTestSupport.Embed(inputs[input], input + 1, 2), InputOffset = input + 1,
                            InputZeroPoint = zeroPoints[input], InnerSize = inputInnerSize, OutputOffset = outputOffset,
                            Multiplier = multipliers[input], Shift = shifts[input],
                        },
                    },
                });
                outputOffset += inputInnerSize;
            }

            KernelTestSupport.AssertRegion(expected, outputBuffer, 3);
        }

        private static void CheckPad(int seed, int[] inputShape, int[] padBefore, int[] padAfter, int padValue)
        {
            TestRandom random = new TestRandom(seed * 257 + padValue);
            sbyte[] input = KernelTestSupport.RandomBytes(random, KernelTestSupport.ElementCount(inputShape), -128, 127);
            int[] outputShape = new int[4];
            for (int dim = 0; dim < 4; dim++)
            {
                outputShape[dim] = padBefore[dim] + inputShape[dim] + padAfter[dim];
            }

            sbyte[] expected = new sbyte[KernelTestSupport.ElementCount(outputShape)];
            for (int i0 = 0; i0 < outputShape[0]; i0++)
            {
                for (int i1 = 0; i1 < outputShape[1]; i1++)
                {
                    for (int i2 = 0; i2 < outputShape[2]; i2++)
                    {
                        for (int i3 = 0; i3 < outputShape[3]; i3++)
                        {
                            int j0 = i0 - padBefore[0];
                            int j1 = i1 - padBefore[1];
                            int j2 = i2 - padBefore[2];
                            int j3 = i3 - padBefore[3];
                            bool inside = j0 >= 0 && j0 < inputShape[0] && j1 >= 0 && j1 < inputShape[1]
                                && j2 >= 0 && j2 < inputShape[2] && j3 >= 0 && j3 < inputShape[3];
                            expected[KernelTestSupport.Index4(outputShape[1], outputShape[2], outputShape[3], i0, i1, i2, i3)] = inside
                                ? input[KernelTestSupport.Index4(inputShape[1], inputShape[2], inputShape[3], j0, j1, j2, j3)]
                                : (sbyte)padValue;
                        }
                    }
                }
            }

            sbyte[] outputBuffer = KernelTestSupport.NewBuffer(expected.Length + 6);
            PadKernel.Eval(new PadOperator
            {
                Input = KernelTestSupport.Embed(input, 2, 2), InputOffset = 2, InputShape = KernelTestSupport.EmbedInts(inputShape, 1),
                InputShapeOffset = 1,
                Output = outputBuffer, OutputOffset = 4, OutputShape = KernelTestSupport.EmbedInts(outputShape, 2), OutputShapeOffset = 2,
                PadBefore = KernelTestSupport.EmbedInts(padBefore, 3), PadBeforeOffset = 3, PadValue = padValue,
            });

            KernelTestSupport.AssertRegion(expected, outputBuffer, 4);
        }

        /// <summary>Output dim k is input dim permutation[k], as ONNX Transpose's perm attribute.</summary>
        private static void CheckTranspose(sbyte[] input, int[] inputShape, int[] permutation)
        {
            int[] inputStrides = new int[] { inputShape[1] * inputShape[2] * inputShape[3], inputShape[2] * inputShape[3], inputShape[3], 1 };
            int[] outputShape = new int[4];
            int[] stridesAlongOutput = new int[4];
            for (int dim = 0; dim < 4; dim++)
            {
                outputShape[dim] = inputShape[permutation[dim]];
                stridesAlongOutput[dim] = inputStrides[permutation[dim]];
            }

            // Reference: walk the input and place each element at its permuted output position.
            sbyte[] expected = new sbyte[input.Length];
            int[] index = new int[4];
            for (index[0] = 0; index[0] < inputShape[0]; index[0]++)
            {
                for (index[1] = 0; index[1] < inputShape[1]; index[1]++)
                {
                    for (index[2] = 0; index[2] < inputShape[2]; index[2]++)
                    {
                        for (index[3] = 0; index[3] < inputShape[3]; index[3]++)
                        {
                            int outputIndex = KernelTestSupport.Index4(outputShape[1], outputShape[2], outputShape[3],
                                index[permutation[0]], index[permutation[1]], index[permutation[2]], index[permutation[3]]);
                            expected[outputIndex] = input[KernelTestSupport.Index4(inputShape[1], inputShape[2], inputShape[3], index[0], index[1], index[2], index[3])];
                        }
                    }
                }
            }

            sbyte[] outputBuffer = KernelTestSupport.NewBuffer(expected.Length + 4);
            TransposeKernel.Eval(new TransposeOperator
            {
                Input = KernelTestSupport.Embed(input, 3, 1), InputOffset = 3, Output = outputBuffer, OutputOffset = 2,
                OutputShape = KernelTestSupport.EmbedInts(outputShape, 1), OutputShapeOffset = 1,
                InputStrides = KernelTestSupport.EmbedInts(stridesAlongOutput, 2), InputStridesOffset = 2,
            });

            KernelTestSupport.AssertRegion(expected, outputBuffer, 2);
        }
    }
}
