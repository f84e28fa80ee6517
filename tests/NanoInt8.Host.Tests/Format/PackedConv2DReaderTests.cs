using NanoInt8.Host.Format;
using NanoInt8.Runtime.Kernels;
using NanoInt8.Runtime.Operators;
using NanoInt8.Runtime;

namespace NanoInt8.Host.Tests.Format
{
    /// <summary>
    /// Conv2DPacked blobs from the host writer: the device reader accepts a well-formed one, counts
    /// its scratch, runs it (sharing the scratch with a FullyConnectedPacked) like the plain
    /// operators, and refuses what the packed kernel cannot run.
    /// </summary>
    [TestClass]
    public class PackedConv2DReaderTests
    {
        private const int Channels = 3;
        private const int Size = 5;
        private const int OutputChannels = 6;
        private const int Classes = 3;

        [TestMethod]
        public void TryRead_PackedConvAndFullyConnected_RunLikeThePlainOnes()
        {
            Random random = new Random(11);
            sbyte[] input = new sbyte[Channels * Size * Size];
            random.NextBytes((byte[])(Array)input);
            sbyte[] plain = Run(Build(false, DefaultParameters()), input);
            sbyte[] packed = Run(Build(true, DefaultParameters()), input);

            CollectionAssert.AreEqual(plain, packed);
        }

        [TestMethod]
        public void Write_PackedConv_ScratchIsTheLargerNeed()
        {
            ModelHeader header = ModelHeader.Parse(ModelWriter.Write(Build(true, DefaultParameters())));

            // Conv: (1 + 5 + 1)² positions × 2 pairs = 98 words; FC over 150 taps: 76 words.
            Assert.AreEqual(98u, header.ScratchWords);
            Assert.AreEqual(98L, Conv2DPackedKernel.ScratchWords(Channels, Size, Size, 1, 1, 1, 1));
            Assert.AreEqual(76, FullyConnectedPackedKernel.PairCount(OutputChannels * Size * Size));
            Assert.AreEqual(header.ExpectedDeviceBytes, (long)header.DeviceBytes);
        }

        [TestMethod]
        public void TryRead_DilatedOrGroupedPackedConv_IsBadParameter()
        {
            int[] dilated = DefaultParameters();
            dilated[Conv2DLayout.DilationHeight] = 2;
            dilated[Conv2DLayout.PadTop] = dilated[Conv2DLayout.PadBottom] = 2;
            int[] grouped = DefaultParameters();
            grouped[Conv2DLayout.Groups] = 3;

            Assert.AreEqual(ModelError.BadParameter, Read(Build(true, dilated)));
            Assert.AreEqual(ModelError.BadParameter, Read(Build(true, grouped)));
        }

        [TestMethod]
        public void TryRead_PackedConvFilterShapeWrong_IsShapeMismatch()
        {
            Assert.AreEqual(ModelError.ShapeMismatch, Read(Build(true, DefaultParameters(), filterShape: new[] { 4, 3, 3, 4 })));
            Assert.AreEqual(ModelError.ShapeMismatch, Read(Build(true, DefaultParameters(), filterShape: new[] { 2, 1, 9, 8 })));
        }

        [TestMethod]
        public void TryRead_PackedConvFilterLaneOutOfRange_IsBadParameter()
        {
            Assert.AreEqual(ModelError.BadParameter, Read(Build(true, DefaultParameters(), corruptWord: true)));
        }

        private static ModelError Read(ModelBuilder builder)
        {
            return ModelReader.TryRead(ModelWriter.Write(builder), int.MaxValue, out _);
        }

        private static sbyte[] Run(ModelBuilder builder, sbyte[] input)
        {
            byte[] blob = ModelWriter.Write(builder);
            Assert.AreEqual(ModelError.None, ModelReader.TryRead(blob, int.MaxValue, out Model model));
            Interpreter interpreter = new Interpreter(model);
            interpreter.SetInput(0, input, 0);
            interpreter.Invoke();
            sbyte[] output = new sbyte[Classes];
            interpreter.GetOutput(0, output, 0);
            return output;
        }

        // strideH, strideW, dilationH, dilationW, padTop, padLeft, padBottom, padRight, groups, min, max.
        private static int[] DefaultParameters() => OperatorWords.Conv2DPacked(new OperatorWindow(1, 1, 1, 1, 1, 1, 1, 1), -128, 127);

        // x [1,3,5,5] → conv 3x3 pad 1 → [1,6,5,5] → reshape [1,150] → fully connected → [1,3].
        private static ModelBuilder Build(bool packed, int[] convParameters, int[]? filterShape = null, bool corruptWord = false)
        {
            Random random = new Random(5);
            ModelBuilder builder = new ModelBuilder();
            int input = builder.AddArenaTensor("x", new[] { 1, Channels, Size, Size }, -7, 0);
            sbyte[] convWeights = Weights(random, OutputChannels * Channels * 9);
            int convFilter;
            if (packed)
            {
                int[] words = new int[Conv2DPackedKernel.PackedFilterWords(OutputChannels, Channels, 3, 3)];
                Assert.IsTrue(Conv2DPackedKernel.PackFilter(convWeights, 0, OutputChannels, Channels, 3, 3, words, 0));
                if (corruptWord)
                {
                    words[1] = 1 << 23; // second tap 2^23: outside int8
                }

                convFilter = builder.AddConstantInt32("conv.weight", words, filterShape ?? new[] { 2, 3, 3, 8 });
            }
            else
            {
                convFilter = builder.AddConstantInt8("conv.weight", convWeights, new[] { OutputChannels, Channels, 3, 3 });
            }

            int convOutput = builder.AddArenaTensor("conv.out", new[] { 1, OutputChannels, Size, Size }, 3, 80);
            builder.AddOperator(packed ? OpCode.Conv2DPacked : OpCode.Conv2D,
                new[] { input, convFilter, Ints(builder, "conv.bias", OutputChannels, 1000), Ints(builder, "conv.multiplier", OutputChannels, 1 << 30),
                    Ints(builder, "conv.shift", OutputChannels, -8) },
                new[] { convOutput }, convParameters);

            int flat = builder.AddArenaTensor("flat", new[] { 1, OutputChannels * Size * Size }, 3, 80);
            builder.AddOperator(OpCode.Reshape, new[] { convOutput }, new[] { flat }, OperatorWords.Reshape());

            int depth = OutputChannels * Size * Size;
            sbyte[] fcWeights = Weights(random, Classes * depth);
            int fcFilter;
            if (packed)
            {
                int[] words = new int[FullyConnectedPackedKernel.PackedFilterWords(Classes, depth)];
                Assert.IsTrue(FullyConnectedPackedKernel.PackFilter(fcWeights, 0, Classes, depth, words, 0));
                fcFilter = builder.AddConstantInt32("fc.weight", words, new[] { 1, FullyConnectedPackedKernel.PairCount(depth), 4 });
            }
            else
            {
                fcFilter = builder.AddConstantInt8("fc.weight", fcWeights, new[] { Classes, depth });
            }

            int logits = builder.AddArenaTensor("logits", new[] { 1, Classes }, 0, 0);
            builder.AddOperator(packed ? OpCode.FullyConnectedPacked : OpCode.FullyConnected,
                new[] { flat, fcFilter, Ints(builder, "fc.bias", Classes, -500), Ints(builder, "fc.multiplier", Classes, 1 << 30),
                    Ints(builder, "fc.shift", Classes, -9) },
                new[] { logits }, OperatorWords.FullyConnected(-128, 127));
            builder.Inputs.Add(input);
            builder.Outputs.Add(logits);
            builder.ArenaBytes = 80 + depth;
            return builder;
        }

        private static int Ints(ModelBuilder builder, string name, int count, int value)
        {
            return builder.AddConstantInt32(name, Enumerable.Repeat(value, count).ToArray(), new[] { count });
        }

        private static sbyte[] Weights(Random random, int count)
        {
            sbyte[] weights = new sbyte[count];
            for (int i = 0; i < count; i++)
            {
                weights[i] = (sbyte)random.Next(-127, 128);
            }

            return weights;
        }
    }
}
