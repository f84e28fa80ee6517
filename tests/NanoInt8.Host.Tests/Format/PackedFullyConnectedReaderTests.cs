using NanoInt8.Host.Format;
using NanoInt8.Runtime;
using NanoInt8.Runtime.Kernels;

namespace NanoInt8.Host.Tests.Format
{
    /// <summary>
    /// FullyConnectedPacked blobs from the host writer: the device reader accepts a well-formed one,
    /// runs it like the plain operator, and refuses bad packed filters.
    /// </summary>
    [TestClass]
    public class PackedFullyConnectedReaderTests
    {
        private const int Rows = 2;
        private const int Depth = 5;
        private const int OutputDepth = 3;

        private static readonly sbyte[] s_weights =
        {
            1, -2, 3, -4, 5,
            127, -127, 0, 64, -64,
            -127, 127, -1, 1, 0,
        };

        [TestMethod]
        public void TryRead_PackedModel_RunsLikeThePlainOne()
        {
            sbyte[] input = { -128, 127, 3, -7, 0, 100, -100, 50, -50, 1 };
            sbyte[] plain = Run(Build(false, PackedWeights(), null));
            sbyte[] packed = Run(Build(true, PackedWeights(), null));

            CollectionAssert.AreEqual(plain, packed);

            sbyte[] Run(ModelBuilder builder)
            {
                byte[] blob = ModelWriter.Write(builder);
                Assert.AreEqual(ModelError.None, ModelReader.TryRead(blob, int.MaxValue, out Model model));
                Interpreter interpreter = new Interpreter(model);
                interpreter.SetInput(0, input, 0);
                interpreter.Invoke();
                sbyte[] output = new sbyte[Rows * OutputDepth];
                interpreter.GetOutput(0, output, 0);
                return output;
            }
        }

        [TestMethod]
        public void Write_PackedModel_CountsItsScratchInDeviceBytes()
        {
            byte[] plain = ModelWriter.Write(Build(false, PackedWeights(), null));
            byte[] packed = ModelWriter.Write(Build(true, PackedWeights(), null));
            ModelHeader packedHeader = ModelHeader.Parse(packed);

            // Depth 5: pairs rounded up to whole iterations of two words, 4 words of 8 bytes.
            Assert.AreEqual(0u, ModelHeader.Parse(plain).ScratchWords);
            Assert.AreEqual((uint)FullyConnectedPackedKernel.PairCount(Depth), packedHeader.ScratchWords);
            Assert.AreEqual(4u, packedHeader.ScratchWords);
            // The filter as 1·4·4 int32 words instead of 15 int8 values, plus 4 scratch words.
            Assert.AreEqual(ModelHeader.Parse(plain).DeviceBytes - 15 + (4 * 16) + (8 * 4), packedHeader.DeviceBytes);
            Assert.AreEqual(packedHeader.ExpectedDeviceBytes, (long)packedHeader.DeviceBytes);
            Assert.AreEqual(ModelError.None, ModelReader.TryRead(packed, (int)packedHeader.DeviceBytes, out Model model));
            Assert.AreEqual(4, model.ScratchWords);
            Assert.AreEqual(ModelError.TooLarge, ModelReader.TryRead(packed, (int)packedHeader.DeviceBytes - 1, out _));
        }

        [TestMethod]
        public void TryRead_ScratchWordsBelowTheNeed_IsBadParameter()
        {
            byte[] blob = ModelWriter.Write(Build(true, PackedWeights(), null));
            ModelHeader header = ModelHeader.Parse(blob);
            header = header with { ScratchWords = header.ScratchWords - 1, DeviceBytes = header.DeviceBytes - 8 };
            header.WriteTo(blob);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(ModelHeader.HeaderCrcOffset), Crc32.Compute(blob, 0, ModelHeader.HeaderCrcOffset));

            Assert.AreEqual(ModelError.BadParameter, ModelReader.TryRead(blob, int.MaxValue, out _));
        }

        [TestMethod]
        public void TryRead_FilterLaneOutOfRange_IsBadParameter()
        {
            int[] words = PackedWeights();
            words[5] = 128; // second tap 128: outside int8, would break the lane bound

            Assert.AreEqual(ModelError.BadParameter, Read(Build(true, words, null)));
        }

        [TestMethod]
        public void TryRead_FilterPairCountWrong_IsShapeMismatch()
        {
            // Same word count, shape [1, 2, 8] instead of [1, 4, 4].
            Assert.AreEqual(ModelError.ShapeMismatch, Read(Build(true, PackedWeights(), new[] { 1, 2, 8 })));
            Assert.AreEqual(ModelError.ShapeMismatch, Read(Build(true, PackedWeights(), new[] { 4, 4 })));
        }

        [TestMethod]
        public void TryRead_FilterOfInt8_IsBadOperand()
        {
            ModelBuilder packedWithInt8Filter = Build(true, PackedWeights(), null, useInt8Filter: true);

            Assert.AreEqual(ModelError.BadOperand, Read(packedWithInt8Filter));
        }

        private static ModelError Read(ModelBuilder builder)
        {
            return ModelReader.TryRead(ModelWriter.Write(builder), int.MaxValue, out _);
        }

        private static int[] PackedWeights()
        {
            int[] words = new int[FullyConnectedPackedKernel.PackedFilterWords(OutputDepth, Depth)];
            Assert.IsTrue(FullyConnectedPackedKernel.PackFilter(s_weights, 0, OutputDepth, Depth, words, 0));
            return words;
        }

        // input [2, 5] → FullyConnected(Packed) → [2, 3]; the filter shape defaults to [1, 4, 4].
        private static ModelBuilder Build(bool packed, int[] packedWords, int[]? packedShape, bool useInt8Filter = false)
        {
            ModelBuilder builder = new ModelBuilder();
            int input = builder.AddArenaTensor("x", new[] { Rows, Depth }, -3, 0);
            int filter = packed && !useInt8Filter
                ? builder.AddConstantInt32("fc.weight", packedWords, packedShape ?? new[] { 1, FullyConnectedPackedKernel.PairCount(Depth), 4 })
                : builder.AddConstantInt8("fc.weight", s_weights, new[] { OutputDepth, Depth });
            int bias = builder.AddConstantInt32("fc.bias", new[] { 100, -200, 300 }, new[] { OutputDepth });
            int multiplier = builder.AddConstantInt32("fc.multiplier", new[] { 1 << 30, 1 << 30, 1 << 30 }, new[] { OutputDepth });
            int shift = builder.AddConstantInt32("fc.shift", new[] { -6, -7, -6 }, new[] { OutputDepth });
            int output = builder.AddArenaTensor("y", new[] { Rows, OutputDepth }, 4, 16);
            builder.AddOperator(packed ? OpCode.FullyConnectedPacked : OpCode.FullyConnected,
                new[] { input, filter, bias, multiplier, shift }, new[] { output }, OperatorWords.FullyConnected(-128, 127));
            builder.Inputs.Add(input);
            builder.Outputs.Add(output);
            builder.ArenaBytes = 24;
            return builder;
        }
    }
}
