using System.Buffers.Binary;
using NanoInt8.Host.Format;
using NanoInt8.Runtime;

namespace NanoInt8.Host.Tests.Format
{
    /// <summary>
    /// Slice (code 21) through the writer and the device reader: format version 4, every index it
    /// reads inside the input, input and output quantized alike, and the interpreter's result.
    /// </summary>
    [TestClass]
    public sealed class SliceReaderTests
    {
        [TestMethod]
        public void Write_Slice_IsFormatVersion4AndVersion3RefusesTheCode()
        {
            byte[] blob = ModelWriter.Write(Build(new[] { 0, 0, 1, 4 }, new[] { 1, 1, 1, -2 }, new[] { 1, 1, 1, 3 }));
            Assert.AreEqual(4, BinaryPrimitives.ReadUInt16LittleEndian(blob.AsSpan(4)));
            Assert.AreEqual(ModelError.None, Read(blob));

            Assert.AreEqual(ModelError.BadOperator, Read(FormatVersions.Relabel(blob, 3)));
        }

        [TestMethod]
        public void Invoke_BackwardsWindow_CopiesTheElementsItNames()
        {
            // Input [1, 1, 2, 5] = {0..4; 10..14}: row 1, columns 4, 2, 0.
            byte[] blob = ModelWriter.Write(Build(new[] { 0, 0, 1, 4 }, new[] { 1, 1, 1, -2 }, new[] { 1, 1, 1, 3 }));
            Assert.AreEqual(ModelError.None, ModelReader.TryRead(blob, int.MaxValue, out Model model));
            var interpreter = new Interpreter(model);
            interpreter.SetInput(0, new sbyte[] { 0, 1, 2, 3, 4, 10, 11, 12, 13, 14 }, 0);
            interpreter.Invoke();
            var output = new sbyte[3];
            interpreter.GetOutput(0, output, 0);

            CollectionAssert.AreEqual(new sbyte[] { 14, 12, 10 }, output);
        }

        [TestMethod]
        public void TryRead_LastIndexPastTheInput_IsShapeMismatch()
        {
            // Columns 4, 2, 0 and then -2: one element too many backwards.
            Assert.AreEqual(ModelError.ShapeMismatch, Read(ModelWriter.Write(Build(new[] { 0, 0, 1, 4 }, new[] { 1, 1, 1, -2 }, new[] { 1, 1, 1, 4 }))));
            // Rows 1, 2: past the input's two rows.
            Assert.AreEqual(ModelError.ShapeMismatch, Read(ModelWriter.Write(Build(new[] { 0, 0, 1, 0 }, new[] { 1, 1, 1, 1 }, new[] { 1, 1, 2, 5 }))));
        }

        [TestMethod]
        public void TryRead_StartOutsideTheInputOrStepZero_IsBadParameter()
        {
            Assert.AreEqual(ModelError.BadParameter, Read(ModelWriter.Write(Build(new[] { 0, 0, 2, 0 }, new[] { 1, 1, 1, 1 }, new[] { 1, 1, 1, 5 }))));
            Assert.AreEqual(ModelError.BadParameter, Read(ModelWriter.Write(Build(new[] { 0, 0, 0, -1 }, new[] { 1, 1, 1, 1 }, new[] { 1, 1, 1, 1 }))));
            Assert.AreEqual(ModelError.BadParameter, Read(ModelWriter.Write(Build(new[] { 0, 0, 0, 0 }, new[] { 1, 1, 0, 1 }, new[] { 1, 1, 1, 5 }))));
        }

        [TestMethod]
        public void TryRead_OutputQuantizedOtherwise_IsBadParameter()
        {
            Assert.AreEqual(ModelError.BadParameter, Read(ModelWriter.Write(Build(new[] { 0, 0, 0, 0 }, new[] { 1, 1, 1, 1 }, new[] { 1, 1, 2, 5 }, outputZeroPoint: 3))));
        }

        // Input [1, 1, 2, 5] (zero point -1) sliced into an output of the given shape.
        private static ModelBuilder Build(int[] starts, int[] steps, int[] outputShape, int outputZeroPoint = -1)
        {
            var builder = new ModelBuilder();
            int input = builder.AddArenaTensor("x", new[] { 1, 1, 2, 5 }, -1, 0);
            int output = builder.AddArenaTensor("y", outputShape, outputZeroPoint, 10);
            builder.AddOperator(OpCode.Slice, new[] { input }, new[] { output }, OperatorWords.Slice(starts, steps));
            builder.Inputs.Add(input);
            builder.Outputs.Add(output);
            builder.ArenaBytes = 10 + outputShape.Aggregate(1, (product, dim) => product * dim);
            return builder;
        }

        private static ModelError Read(byte[] blob) => ModelReader.TryRead(blob, int.MaxValue, out _);

        private static void Reseal(byte[] blob)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(12), Crc32.Compute(blob, 64, blob.Length - 64));
            BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(ModelHeader.HeaderCrcOffset), Crc32.Compute(blob, 0, ModelHeader.HeaderCrcOffset));
        }
    }
}
