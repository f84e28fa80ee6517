using NanoInt8.Host.Format;
using NanoInt8.Runtime;

namespace NanoInt8.Host.Tests.Format
{
    /// <summary>What the builder accepts and refuses, against the limits of a tensor or operator record.</summary>
    [TestClass]
    public class ModelBuilderTests
    {
        [TestMethod]
        public void AddConstants_PackedInOrderOfAddition()
        {
            ModelBuilder builder = new ModelBuilder();
            int first = builder.AddConstantInt8("a", new sbyte[5], new[] { 5 });
            int words = builder.AddConstantInt32("b", new int[3], new[] { 3 });
            int second = builder.AddConstantInt8("c", new sbyte[2], new[] { 1, 2 });
            int moreWords = builder.AddConstantInt32("d", new int[4], new[] { 2, 2 });

            Assert.AreEqual(0, builder.Tensors[first].Offset);
            Assert.AreEqual(5, builder.Tensors[second].Offset);
            Assert.AreEqual(0, builder.Tensors[words].Offset);
            Assert.AreEqual(3, builder.Tensors[moreWords].Offset);
            Assert.AreEqual(7, builder.Int8ConstantBytes);
            Assert.AreEqual(7, builder.Int32ConstantWords);
        }

        [TestMethod]
        public void AddConstantInt8_DataCopied()
        {
            ModelBuilder builder = new ModelBuilder();
            sbyte[] data = { 1, 2 };
            int tensor = builder.AddConstantInt8("a", data, new[] { 2 });

            data[0] = 99;

            Assert.AreEqual((sbyte)1, builder.Tensors[tensor].Int8Data[0]);
        }

        [TestMethod]
        public void AddArenaTensor_LimitsOfRecord_Accepted()
        {
            ModelBuilder builder = new ModelBuilder();

            builder.AddArenaTensor("long", new[] { 1 << 24 }, -128, 0);
            builder.AddArenaTensor("wide", new[] { 1, 1, 1, 1 << 24 }, 127, int.MaxValue);

            Assert.HasCount(2, builder.Tensors);
            Assert.AreEqual(TensorStorage.Arena, builder.Tensors[1].Storage);
            Assert.AreEqual(TensorElementType.Int8, builder.Tensors[1].ElementType);
        }

        [TestMethod]
        public void AddArenaTensor_RankZero_Throws()
        {
            ModelFormatException exception = Assert.ThrowsExactly<ModelFormatException>(
                () => new ModelBuilder().AddArenaTensor("scalar", Array.Empty<int>(), 0, 0));
            StringAssert.Contains(exception.Message, "rank 0");
        }

        [TestMethod]
        public void AddArenaTensor_RankFive_Throws()
        {
            ModelFormatException exception = Assert.ThrowsExactly<ModelFormatException>(
                () => new ModelBuilder().AddArenaTensor("five", new[] { 1, 1, 1, 1, 1 }, 0, 0));
            StringAssert.Contains(exception.Message, "rank 5");
        }

        [TestMethod]
        [DataRow(0)]
        [DataRow(-1)]
        [DataRow((1 << 24) + 1)]
        public void AddArenaTensor_DimensionOutsideRange_Throws(int dimension)
        {
            ModelFormatException exception = Assert.ThrowsExactly<ModelFormatException>(
                () => new ModelBuilder().AddArenaTensor("t", new[] { 2, dimension }, 0, 0));
            StringAssert.Contains(exception.Message, $"dimension 1 is {dimension}");
        }

        [TestMethod]
        public void AddArenaTensor_ElementCountAbove2To24_Throws()
        {
            ModelFormatException exception = Assert.ThrowsExactly<ModelFormatException>(
                () => new ModelBuilder().AddArenaTensor("big", new[] { 4096, 4097 }, 0, 0));
            StringAssert.Contains(exception.Message, "more than 16777216 elements");
        }

        [TestMethod]
        [DataRow(128)]
        [DataRow(-129)]
        public void AddArenaTensor_ZeroPointOutsideInt8_Throws(int zeroPoint)
        {
            ModelFormatException exception = Assert.ThrowsExactly<ModelFormatException>(
                () => new ModelBuilder().AddArenaTensor("t", new[] { 1 }, zeroPoint, 0));
            StringAssert.Contains(exception.Message, "zero point");
        }

        [TestMethod]
        public void AddArenaTensor_NegativeOffset_Throws()
        {
            ModelFormatException exception = Assert.ThrowsExactly<ModelFormatException>(
                () => new ModelBuilder().AddArenaTensor("t", new[] { 1 }, 0, -4));
            StringAssert.Contains(exception.Message, "arena offset -4");
        }

        [TestMethod]
        public void AddConstantInt8_ZeroPointOutsideInt8_Throws()
        {
            Assert.ThrowsExactly<ModelFormatException>(
                () => new ModelBuilder().AddConstantInt8("w", new sbyte[1], new[] { 1 }, 200));
        }

        [TestMethod]
        public void AddConstantInt8_DataLengthDiffersFromShape_Throws()
        {
            ModelFormatException exception = Assert.ThrowsExactly<ModelFormatException>(
                () => new ModelBuilder().AddConstantInt8("w", new sbyte[5], new[] { 2, 3 }));
            StringAssert.Contains(exception.Message, "5 data elements");
        }

        [TestMethod]
        public void AddConstantInt32_DataLengthDiffersFromShape_Throws()
        {
            ModelFormatException exception = Assert.ThrowsExactly<ModelFormatException>(
                () => new ModelBuilder().AddConstantInt32("b", new int[7], new[] { 6 }));
            StringAssert.Contains(exception.Message, "7 data elements");
        }

        [TestMethod]
        public void AddConstantInt32_RankFive_Throws()
        {
            Assert.ThrowsExactly<ModelFormatException>(
                () => new ModelBuilder().AddConstantInt32("b", new int[1], new[] { 1, 1, 1, 1, 1 }));
        }

        [TestMethod]
        [DataRow(-1)]
        [DataRow(256)]
        public void AddOperator_OpCodeOutsideByte_Throws(int opCode)
        {
            ModelFormatException exception = Assert.ThrowsExactly<ModelFormatException>(
                () => new ModelBuilder().AddOperator(opCode, new[] { 0 }, new[] { 1 }, Array.Empty<int>()));
            StringAssert.Contains(exception.Message, $"opcode {opCode}");
        }

        [TestMethod]
        public void AddOperator_256Inputs_Throws()
        {
            ModelFormatException exception = Assert.ThrowsExactly<ModelFormatException>(
                () => new ModelBuilder().AddOperator(OpCode.Concat, new int[256], new[] { 1 }, Array.Empty<int>()));
            StringAssert.Contains(exception.Message, "256 inputs");
        }

        [TestMethod]
        public void AddOperator_256Outputs_Throws()
        {
            ModelFormatException exception = Assert.ThrowsExactly<ModelFormatException>(
                () => new ModelBuilder().AddOperator(OpCode.Concat, new[] { 0 }, new int[256], Array.Empty<int>()));
            StringAssert.Contains(exception.Message, "256 outputs");
        }

        [TestMethod]
        public void AddOperator_AnyOperandsAndParameters_Accepted()
        {
            ModelBuilder builder = new ModelBuilder();

            int index = builder.AddOperator(255, new[] { -1, int.MaxValue }, Array.Empty<int>(), new[] { int.MinValue });

            ModelOperator added = builder.Operators[index];
            Assert.AreEqual(255, added.OpCode);
            Assert.AreEqual(3, added.WordCount);
        }
    }
}
