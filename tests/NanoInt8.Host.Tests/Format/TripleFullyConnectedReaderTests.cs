using System.Buffers.Binary;
using NanoInt8.Host.Format;
using NanoInt8.Runtime;
using NanoInt8.Runtime.Kernels;

namespace NanoInt8.Host.Tests.Format
{
    /// <summary>
    /// FullyConnectedTriple blobs (code 20) and their int64 filter (element type 3, in the tail of
    /// the int32 constants section): the writer places it, the device reader decodes and runs it like
    /// the plain FullyConnected, and refuses an int64 tensor out of its place or a word whose taps
    /// leave [-128, 127].
    /// </summary>
    [TestClass]
    public class TripleFullyConnectedReaderTests
    {
        private const int Depth = 70;
        private const int OutputDepth = 11;

        [TestMethod]
        public void TryRead_TripleFullyConnected_RunsLikeThePlainOne()
        {
            Random random = new Random(17);
            sbyte[] input = new sbyte[2 * Depth];
            random.NextBytes((byte[])(Array)input);

            CollectionAssert.AreEqual(Run(Build(false, null), input), Run(Build(true, null), input));
        }

        [TestMethod]
        public void Write_Int64Filter_LiesAfterTheInt32ConstantsTwoWordsEach()
        {
            ModelBuilder builder = Build(true, null);
            byte[] blob = ModelWriter.Write(builder);
            ModelFile file = ModelFile.Read(blob);
            TensorRecord filter = file.Tensors[file.Operators[0].Inputs[1]];
            int words = FullyConnectedTripleKernel.FilterWords(OutputDepth, Depth);

            // bias, multiplier, shift: 3 · 11 int32 words, then the filter's 3 · 24 · 4 words, two each.
            Assert.AreEqual(TensorElementType.Int64, filter.ElementType);
            Assert.AreEqual(3 * OutputDepth, filter.Offset);
            Assert.AreEqual((uint)(3 * OutputDepth + 2 * words), file.Header.Int32Words);
            Assert.AreEqual(file.Header.ExpectedDeviceBytes, (long)file.Header.DeviceBytes);
            Assert.AreEqual((uint)FullyConnectedTripleKernel.RowWords(Depth), file.Header.ScratchWords);
            long first = (uint)file.Int32Constants[filter.Offset] | ((long)file.Int32Constants[filter.Offset + 1] << 32);
            Assert.AreEqual(PackedWeights()[0], first);
        }

        [TestMethod]
        public void TryRead_FilterWordWithATapOutOfRange_IsBadParameter()
        {
            long[] words = PackedWeights();
            words[5] = 128;
            Assert.AreEqual(ModelError.BadParameter, Read(ModelWriter.Write(Build(true, words))));
        }

        [TestMethod]
        public void TryRead_Int64TensorInTheInt32Head_IsTensorOutOfBounds()
        {
            // The filter's record moved one word into the int32 constants, then to an odd distance
            // from the tail's start: both outside the place of int64 constants.
            byte[] blob = ModelWriter.Write(Build(true, null));
            int record = FilterRecord(blob);
            int offset = BinaryPrimitives.ReadInt32LittleEndian(blob.AsSpan(record + 24));

            Assert.AreEqual(ModelError.TensorOutOfBounds, Read(WithFilterOffset(blob, record, offset - 2)));
            Assert.AreEqual(ModelError.TensorOutOfBounds, Read(WithFilterOffset(blob, record, offset + 1)));
            Assert.AreEqual(ModelError.None, Read(WithFilterOffset(blob, record, offset)));
        }

        [TestMethod]
        public void TryRead_Int64ArenaTensor_IsBadTensor()
        {
            // The input record marked int64: arena tensors are int8.
            byte[] blob = ModelWriter.Write(Build(true, null));
            ModelFile file = ModelFile.Read(blob);
            int record = (int)file.Layout.TensorTableOffset + (file.Operators[0].Inputs[0] * NanoInt8.Runtime.ModelFormat.TensorRecordSize);
            blob[record] = NanoInt8.Runtime.ModelFormat.TypeInt64;
            Reseal(blob);

            Assert.AreEqual(ModelError.BadTensor, Read(blob));
        }

        [TestMethod]
        public void Write_TripleFullyConnected_ReadAsVersion3AndVersion2RefusesItsParts()
        {
            // Code 20 and int64 constants are version 3: labelled 2, the same blob is refused for
            // its int64 tensor (BadTensor, decoded first); an older runtime says "unsupported version".
            byte[] blob = ModelWriter.Write(Build(true, null));
            Assert.AreEqual(ModelError.None, Read(FormatVersions.Relabel(blob, 3)));

            Assert.AreEqual(ModelError.BadTensor, Read(FormatVersions.Relabel(blob, 2)));
        }

        [TestMethod]
        public void TryRead_Int32FilterForTheTripleKernel_IsBadOperand()
        {
            ModelBuilder builder = new ModelBuilder();
            int input = builder.AddArenaTensor("x", new[] { 2, Depth }, -7, 0);
            int filter = builder.AddConstantInt32("fc.weight", new int[FullyConnectedTripleKernel.FilterWords(OutputDepth, Depth)],
                new[] { 3, FullyConnectedTripleKernel.RowWords(Depth), 4 });
            int output = builder.AddArenaTensor("y", new[] { 2, OutputDepth }, 3, 2 * Depth);
            builder.AddOperator(OpCode.FullyConnectedTriple, new[] { input, filter, Ints(builder, "b", 10), Ints(builder, "m", 1 << 30), Ints(builder, "s", -8) },
                new[] { output }, OperatorWords.FullyConnectedTriple(-128, 127));
            builder.Inputs.Add(input);
            builder.Outputs.Add(output);
            builder.ArenaBytes = 2 * (Depth + OutputDepth);

            Assert.AreEqual(ModelError.BadOperand, Read(ModelWriter.Write(builder)));
        }

        private static ModelError Read(byte[] blob)
        {
            return ModelReader.TryRead(blob, int.MaxValue, out _);
        }

        private static int FilterRecord(byte[] blob)
        {
            ModelFile file = ModelFile.Read(blob);
            return (int)file.Layout.TensorTableOffset + (file.Operators[0].Inputs[1] * NanoInt8.Runtime.ModelFormat.TensorRecordSize);
        }

        private static byte[] WithFilterOffset(byte[] blob, int record, int offset)
        {
            byte[] copy = (byte[])blob.Clone();
            BinaryPrimitives.WriteInt32LittleEndian(copy.AsSpan(record + 24), offset);
            Reseal(copy);
            return copy;
        }

        // Recomputes the payload CRC and then the header CRC after a change to the payload.
        private static void Reseal(byte[] blob)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(12), Crc32.Compute(blob, 64, blob.Length - 64));
            BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(ModelHeader.HeaderCrcOffset), Crc32.Compute(blob, 0, ModelHeader.HeaderCrcOffset));
        }

        private static sbyte[] Run(ModelBuilder builder, sbyte[] input)
        {
            byte[] blob = ModelWriter.Write(builder);
            Assert.AreEqual(ModelError.None, ModelReader.TryRead(blob, int.MaxValue, out Model model));
            Interpreter interpreter = new Interpreter(model);
            interpreter.SetInput(0, input, 0);
            interpreter.Invoke();
            sbyte[] output = new sbyte[2 * OutputDepth];
            interpreter.GetOutput(0, output, 0);
            return output;
        }

        private static sbyte[] Weights()
        {
            Random random = new Random(5);
            sbyte[] weights = new sbyte[OutputDepth * Depth];
            for (int i = 0; i < weights.Length; i++)
            {
                weights[i] = (sbyte)random.Next(-128, 128);
            }

            return weights;
        }

        private static long[] PackedWeights()
        {
            long[] words = new long[FullyConnectedTripleKernel.FilterWords(OutputDepth, Depth)];
            FullyConnectedTripleKernel.PackFilter(Weights(), 0, OutputDepth, Depth, words, 0);
            return words;
        }

        // x [2, 70] → fully connected 70 → 11 → [2, 11]; bias, multiplier and shift added first.
        private static ModelBuilder Build(bool triple, long[]? words)
        {
            ModelBuilder builder = new ModelBuilder();
            int input = builder.AddArenaTensor("x", new[] { 2, Depth }, -7, 0);
            int bias = Ints(builder, "fc.bias", 1000);
            int multiplier = Ints(builder, "fc.multiplier", 1 << 30);
            int shift = Ints(builder, "fc.shift", -8);
            int filter = triple
                ? builder.AddConstantInt64("fc.weight", words ?? PackedWeights(), new[] { 3, FullyConnectedTripleKernel.RowWords(Depth), 4 })
                : builder.AddConstantInt8("fc.weight", Weights(), new[] { OutputDepth, Depth });
            int output = builder.AddArenaTensor("y", new[] { 2, OutputDepth }, 3, 2 * Depth);
            builder.AddOperator(triple ? OpCode.FullyConnectedTriple : OpCode.FullyConnected,
                new[] { input, filter, bias, multiplier, shift }, new[] { output }, OperatorWords.FullyConnected(-128, 127));
            builder.Inputs.Add(input);
            builder.Outputs.Add(output);
            builder.ArenaBytes = 2 * (Depth + OutputDepth);
            return builder;
        }

        private static int Ints(ModelBuilder builder, string name, int value)
        {
            return builder.AddConstantInt32(name, Enumerable.Repeat(value, OutputDepth).ToArray(), new[] { OutputDepth });
        }
    }
}
