using System.Buffers.Binary;
using NanoInt8.Host.Format;
using NanoInt8.Runtime;

namespace NanoInt8.Host.Tests.Format
{
    /// <summary>
    /// Gather (code 22) through the writer and the device reader: format version 4, its index maps
    /// an int32 constant of one entry per output index along each axis, every entry inside the
    /// input, input and output quantized alike, and the interpreter's result.
    /// </summary>
    [TestClass]
    public sealed class GatherReaderTests
    {
        // Input [1, 1, 2, 3] → output [1, 1, 4, 2]: rows 0, 0, 1, 1 (nearest upsampling), columns 2, 0.
        private static readonly int[][] s_maps = { new[] { 0 }, new[] { 0 }, new[] { 0, 0, 1, 1 }, new[] { 2, 0 } };
        private static readonly int[] s_outputShape = { 1, 1, 4, 2 };

        [TestMethod]
        public void Write_Gather_IsFormatVersion4AndVersion3RefusesTheCode()
        {
            byte[] blob = ModelWriter.Write(Build(s_maps, s_outputShape));
            Assert.AreEqual(4, BinaryPrimitives.ReadUInt16LittleEndian(blob.AsSpan(4)));
            Assert.AreEqual(ModelError.None, Read(blob));

            Assert.AreEqual(ModelError.BadOperator, Read(FormatVersions.Relabel(blob, 3)));
        }

        [TestMethod]
        public void Invoke_UpsampledAndReordered_CopiesTheElementsTheMapsName()
        {
            // Input {0, 1, 2; 10, 11, 12}.
            Assert.AreEqual(ModelError.None, ModelReader.TryRead(ModelWriter.Write(Build(s_maps, s_outputShape)), int.MaxValue, out Model model));
            var interpreter = new Interpreter(model);
            interpreter.SetInput(0, new sbyte[] { 0, 1, 2, 10, 11, 12 }, 0);
            interpreter.Invoke();
            var output = new sbyte[8];
            interpreter.GetOutput(0, output, 0);

            CollectionAssert.AreEqual(new sbyte[] { 2, 0, 2, 0, 12, 10, 12, 10 }, output);
        }

        [TestMethod]
        public void TryRead_AnIndexOutsideTheInput_IsBadParameter()
        {
            // Row 2 of two rows; column -1; column 3 of three.
            Assert.AreEqual(ModelError.BadParameter, Read(ModelWriter.Write(Build(Maps(new[] { 0, 0, 1, 2 }, new[] { 2, 0 }), s_outputShape))));
            Assert.AreEqual(ModelError.BadParameter, Read(ModelWriter.Write(Build(Maps(new[] { 0, 0, 1, 1 }, new[] { -1, 0 }), s_outputShape))));
            Assert.AreEqual(ModelError.BadParameter, Read(ModelWriter.Write(Build(Maps(new[] { 0, 0, 1, 1 }, new[] { 3, 0 }), s_outputShape))));
        }

        [TestMethod]
        public void TryRead_MapsNotOnePerOutputIndex_IsShapeMismatch()
        {
            // One column index short of the output's two, and one more than its four rows.
            Assert.AreEqual(ModelError.ShapeMismatch, Read(ModelWriter.Write(Build(Maps(new[] { 0, 0, 1, 1 }, new[] { 2 }), s_outputShape))));
            Assert.AreEqual(ModelError.ShapeMismatch, Read(ModelWriter.Write(Build(Maps(new[] { 0, 0, 1, 1, 1 }, new[] { 2, 0 }), s_outputShape))));
        }

        [TestMethod]
        public void TryRead_IndicesNotAnInt32Constant_IsBadOperand()
        {
            Assert.AreEqual(ModelError.BadOperand, Read(ModelWriter.Write(Build(s_maps, s_outputShape, int8Indices: true))));
        }

        [TestMethod]
        public void TryRead_OutputQuantizedOtherwise_IsBadParameter()
        {
            Assert.AreEqual(ModelError.BadParameter, Read(ModelWriter.Write(Build(s_maps, s_outputShape, outputZeroPoint: 3))));
        }

        private static int[][] Maps(int[] rows, int[] columns) => new[] { new[] { 0 }, new[] { 0 }, rows, columns };

        // Input [1, 1, 2, 3] (zero point -1) gathered into an output of the given shape.
        private static ModelBuilder Build(int[][] maps, int[] outputShape, int outputZeroPoint = -1, bool int8Indices = false)
        {
            var builder = new ModelBuilder();
            int input = builder.AddArenaTensor("x", new[] { 1, 1, 2, 3 }, -1, 0);
            int output = builder.AddArenaTensor("y", outputShape, outputZeroPoint, 8);
            int[] indices = OperatorWords.GatherIndices(maps);
            int indicesTensor = int8Indices
                ? builder.AddConstantInt8("indices", indices.Select(index => (sbyte)index).ToArray(), new[] { indices.Length })
                : builder.AddConstantInt32("indices", indices, new[] { indices.Length });
            builder.AddOperator(OpCode.Gather, new[] { input, indicesTensor }, new[] { output }, OperatorWords.Gather());
            builder.Inputs.Add(input);
            builder.Outputs.Add(output);
            builder.ArenaBytes = 8 + outputShape.Aggregate(1, (product, dim) => product * dim);
            return builder;
        }

        private static ModelError Read(byte[] blob) => ModelReader.TryRead(blob, int.MaxValue, out _);
    }
}
