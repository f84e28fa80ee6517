using System.Buffers.Binary;
using NanoInt8.Host.Format;
using NanoInt8.Runtime;
using HashingCrc32 = System.IO.Hashing.Crc32;

namespace NanoInt8.Host.Tests.Format
{
    /// <summary>The writer's output checked byte by byte against docs/model-format.md.</summary>
    [TestClass]
    public class ModelWriterTests
    {
        private static uint U32(byte[] blob, int offset) => BinaryPrimitives.ReadUInt32LittleEndian(blob.AsSpan(offset));

        private static int I32(byte[] blob, int offset) => BinaryPrimitives.ReadInt32LittleEndian(blob.AsSpan(offset));

        [TestMethod]
        public void Write_SmallModel_HeaderFieldsFollowSpec()
        {
            byte[] blob = ModelWriter.Write(SmallModel.Build());

            Assert.HasCount(SmallModel.TotalLength, blob);
            CollectionAssert.AreEqual(new byte[] { 0x4E, 0x49, 0x38, 0x4D }, blob[0..4], "magic");
            Assert.AreEqual((ushort)4, BinaryPrimitives.ReadUInt16LittleEndian(blob.AsSpan(4)), "version");
            Assert.AreEqual((ushort)0, BinaryPrimitives.ReadUInt16LittleEndian(blob.AsSpan(6)), "flags");
            Assert.AreEqual((uint)SmallModel.TotalLength, U32(blob, 8), "totalLength");
            Assert.AreEqual((uint)SmallModel.ArenaBytes, U32(blob, 16), "arenaBytes");
            Assert.AreEqual((uint)SmallModel.DeviceBytes, U32(blob, 20), "deviceBytes");
            Assert.AreEqual((uint)SmallModel.TensorCount, U32(blob, 24), "tensorCount");
            Assert.AreEqual((uint)SmallModel.OperatorCount, U32(blob, 28), "operatorCount");
            Assert.AreEqual((ushort)1, BinaryPrimitives.ReadUInt16LittleEndian(blob.AsSpan(32)), "inputCount");
            Assert.AreEqual((ushort)1, BinaryPrimitives.ReadUInt16LittleEndian(blob.AsSpan(34)), "outputCount");
            Assert.AreEqual((uint)SmallModel.Work, U32(blob, 36), "workPerInference");
            Assert.AreEqual((uint)SmallModel.ParameterWords, U32(blob, 40), "parameterWords");
            Assert.AreEqual((uint)SmallModel.Int32Words, U32(blob, 44), "int32Words");
            Assert.AreEqual((uint)SmallModel.Int8Bytes, U32(blob, 48), "int8Bytes");
            Assert.AreEqual((uint)SmallModel.MetadataBytes, U32(blob, 52), "metadataBytes");
            Assert.AreEqual(0u, U32(blob, 56), "reserved");
        }

        [TestMethod]
        public void Write_SmallModel_CrcsMatchSystemIoHashing()
        {
            byte[] blob = ModelWriter.Write(SmallModel.Build());

            Assert.AreEqual(HashingCrc32.HashToUInt32(blob.AsSpan(64)), U32(blob, 12), "payloadCrc32 covers [64, totalLength)");
            Assert.AreEqual(HashingCrc32.HashToUInt32(blob.AsSpan(0, 60)), U32(blob, 60), "headerCrc32 covers [0, 60)");
        }

        [TestMethod]
        public void Write_SmallModel_TensorRecordsAtSpecOffsets()
        {
            byte[] blob = ModelWriter.Write(SmallModel.Build());

            // Tensor 1: int8 constant weights [2, 3], first in the int8 constants.
            AssertTensorRecord(blob, SmallModel.Weights, elementType: 1, rank: 2, storage: 1, new[] { 2, 3, 1, 1 }, zeroPoint: 0, offset: 0);
            // Tensor 4: int32 constant shift [2], after bias and multiplier: element index 4.
            AssertTensorRecord(blob, SmallModel.Shift, elementType: 2, rank: 1, storage: 1, new[] { 2, 1, 1, 1 }, zeroPoint: 0, offset: 4);
            // Tensor 5: arena hidden [1, 2], zero point 7, arena offset 4.
            AssertTensorRecord(blob, SmallModel.Hidden, elementType: 1, rank: 2, storage: 0, new[] { 1, 2, 1, 1 }, zeroPoint: 7, offset: 4);
            // Tensor 6: int8 constant table [3], zero point 9, after the 6 weight bytes.
            AssertTensorRecord(blob, SmallModel.Table, elementType: 1, rank: 1, storage: 1, new[] { 3, 1, 1, 1 }, zeroPoint: 9, offset: 6);
            // Tensor 0: the negative zero point is written as two's complement.
            AssertTensorRecord(blob, SmallModel.Input, elementType: 1, rank: 2, storage: 0, new[] { 1, 3, 1, 1 }, zeroPoint: -5, offset: 0);
        }

        [TestMethod]
        public void Write_RankFourTensor_AllDimsWritten()
        {
            ModelBuilder builder = SmallModel.BuildMinimal();
            int tensor = builder.AddArenaTensor("image", new[] { 1, 3, 5, 7 }, -128, 16);

            byte[] blob = ModelWriter.Write(builder);

            AssertTensorRecord(blob, tensor, elementType: 1, rank: 4, storage: 0, new[] { 1, 3, 5, 7 }, zeroPoint: -128, offset: 16);
        }

        [TestMethod]
        public void Write_SmallModel_OperatorRecordsAndWordsAtSpecOffsets()
        {
            byte[] blob = ModelWriter.Write(SmallModel.Build());

            int first = SmallModel.OperatorTableOffset;
            CollectionAssert.AreEqual(new byte[] { OpCode.FullyConnected, 5, 1, 0 }, blob[first..(first + 4)]);
            Assert.AreEqual(0u, U32(blob, first + 4), "parameterOffset");
            Assert.AreEqual(8u, U32(blob, first + 8), "parameterCount: 5 inputs, 1 output, 2 parameters");

            int second = first + 12;
            CollectionAssert.AreEqual(new byte[] { OpCode.Requantize, 1, 1, 0 }, blob[second..(second + 4)]);
            Assert.AreEqual(8u, U32(blob, second + 4), "parameterOffset");
            Assert.AreEqual(6u, U32(blob, second + 8), "parameterCount: 1 input, 1 output, 4 parameters");

            int[] expectedWords =
            {
                0, 1, 2, 3, 4, 5, -128, 127,
                5, 7, 1 << 30, -1, -100, 100,
            };
            int[] words = new int[SmallModel.ParameterWords];
            for (int index = 0; index < words.Length; index++)
            {
                words[index] = I32(blob, SmallModel.ParametersOffset + (4 * index));
            }

            CollectionAssert.AreEqual(expectedWords, words);
        }

        [TestMethod]
        public void Write_SmallModel_GraphIoIndicesAtSpecOffsets()
        {
            byte[] blob = ModelWriter.Write(SmallModel.Build());

            Assert.AreEqual((uint)SmallModel.Input, U32(blob, SmallModel.InputsOffset));
            Assert.AreEqual((uint)SmallModel.Output, U32(blob, SmallModel.OutputsOffset));
        }

        [TestMethod]
        public void Write_SmallModel_ConstantsPackedInTensorOrder()
        {
            byte[] blob = ModelWriter.Write(SmallModel.Build());

            int[] int32Section = new int[SmallModel.Int32Words];
            for (int index = 0; index < int32Section.Length; index++)
            {
                int32Section[index] = I32(blob, SmallModel.Int32Offset + (4 * index));
            }

            int[] expectedInt32 = SmallModel.BiasData.Concat(SmallModel.MultiplierData).Concat(SmallModel.ShiftData).ToArray();
            CollectionAssert.AreEqual(expectedInt32, int32Section);

            byte[] expectedInt8 = SmallModel.WeightsData.Concat(SmallModel.TableData).Select(value => (byte)value).Concat(new byte[] { 0, 0, 0 }).ToArray();
            CollectionAssert.AreEqual(expectedInt8, blob[SmallModel.Int8Offset..SmallModel.MetadataOffset]);
        }

        [TestMethod]
        public void Write_SmallModel_MetadataSectionIsLast()
        {
            ModelBuilder builder = SmallModel.Build();
            ModelMetadata expected = builder.Metadata.Clone();
            foreach (string name in new[] { "input", "weights", "bias", "multiplier", "shift", "hidden", "table", "output" })
            {
                expected.TensorNames.Add(name);
            }

            byte[] blob = ModelWriter.Write(builder);

            CollectionAssert.AreEqual(expected.ToBytes(), blob[SmallModel.MetadataOffset..]);
        }

        [TestMethod]
        public void Write_NoTensorNamesInMetadata_BuilderUnchanged()
        {
            ModelBuilder builder = SmallModel.Build();

            ModelWriter.Write(builder);

            Assert.IsEmpty(builder.Metadata.TensorNames);
        }

        [TestMethod]
        public void Write_TensorNamesGiven_WrittenInsteadOfBuilderNames()
        {
            ModelBuilder builder = SmallModel.BuildMinimal();
            builder.Metadata.TensorNames.Add("onnx_input");
            builder.Metadata.TensorNames.Add("onnx_output");

            ModelFile file = ModelFile.Read(ModelWriter.Write(builder));

            CollectionAssert.AreEqual(new[] { "onnx_input", "onnx_output" }, file.Metadata.TensorNames.ToArray());
        }

        [TestMethod]
        public void Write_TensorNameOver65535Bytes_Throws()
        {
            ModelBuilder builder = SmallModel.BuildMinimal();
            builder.AddConstantInt8(new string('w', 70000), new sbyte[] { 1 }, new[] { 1 });

            ModelFormatException exception = Assert.ThrowsExactly<ModelFormatException>(() => ModelWriter.Write(builder));
            StringAssert.Contains(exception.Message, "tensor name 2");
        }

        [TestMethod]
        [DataRow(1, 3)]
        [DataRow(2, 2)]
        [DataRow(3, 1)]
        [DataRow(4, 0)]
        [DataRow(5, 3)]
        [DataRow(7, 1)]
        [DataRow(8, 0)]
        public void Write_Int8Bytes_PaddedWithZerosToMultipleOfFour(int int8Bytes, int expectedPadding)
        {
            ModelBuilder builder = SmallModel.BuildMinimal();
            builder.AddConstantInt8("data", Enumerable.Repeat((sbyte)-1, int8Bytes).ToArray(), new[] { int8Bytes });
            builder.Metadata.ModelName = "m";

            byte[] blob = ModelWriter.Write(builder);

            // header, 3 tensors, 1 operator, 1 + 1 graph I/O, 6 parameter words, no int32 constants.
            int int8Offset = 64 + (3 * 32) + 12 + 8 + (6 * 4);
            int metadataOffset = int8Offset + int8Bytes + expectedPadding;
            Assert.AreEqual((uint)int8Bytes, U32(blob, 48), "int8Bytes is before padding");
            // Name "m" (6 + 1), then the tensor names "input", "output", "data" (6 + 4 + 2·3 + 15).
            Assert.HasCount(metadataOffset + 7 + 31, blob);
            Assert.IsTrue(blob[int8Offset..(int8Offset + int8Bytes)].All(value => value == 0xFF), "int8 data");
            Assert.IsTrue(blob[(int8Offset + int8Bytes)..metadataOffset].All(value => value == 0), "padding is zero");
            Assert.AreEqual((ushort)1, BinaryPrimitives.ReadUInt16LittleEndian(blob.AsSpan(metadataOffset)), "metadata starts after the padding");
        }

        [TestMethod]
        public void Write_NoMetadata_OnlyTensorNamesAfterConstants()
        {
            byte[] blob = ModelWriter.Write(SmallModel.BuildMinimal());

            // Key 5: count 2, then "input" and "output" with their u16 lengths.
            int metadataOffset = 64 + (2 * 32) + 12 + 8 + (6 * 4);
            int metadataBytes = 6 + 4 + (2 + 5) + (2 + 6);
            Assert.AreEqual((uint)metadataBytes, U32(blob, 52), "metadataBytes");
            Assert.HasCount(metadataOffset + metadataBytes, blob);
            Assert.AreEqual((ushort)5, BinaryPrimitives.ReadUInt16LittleEndian(blob.AsSpan(metadataOffset)), "key");
        }

        [TestMethod]
        [DataRow(0)]
        [DataRow(1)]
        [DataRow(1000)]
        [DataRow(int.MaxValue - 1000)]
        public void Write_ArenaBytes_DeviceBytesFollowsFormula(int arenaBytes)
        {
            ModelBuilder builder = SmallModel.Build();
            builder.ArenaBytes = arenaBytes;

            byte[] blob = ModelWriter.Write(builder);

            long expected = (long)arenaBytes + SmallModel.DeviceBytes - SmallModel.ArenaBytes;
            Assert.AreEqual((uint)arenaBytes, U32(blob, 16));
            Assert.AreEqual((uint)expected, U32(blob, 20));
        }

        [TestMethod]
        public void Write_SameModelTwice_IdenticalBytes()
        {
            CollectionAssert.AreEqual(ModelWriter.Write(SmallModel.Build()), ModelWriter.Write(SmallModel.Build()));
        }

        [TestMethod]
        public void Write_InvalidOperatorContent_WrittenAsGiven()
        {
            // The writer leaves operator semantics to the device reader, so reader tests can build bad models.
            ModelBuilder builder = SmallModel.BuildMinimal();
            builder.AddOperator(200, new[] { -7, 9999 }, Array.Empty<int>(), Array.Empty<int>());
            builder.AddOperator(0, Array.Empty<int>(), new[] { 0, 0 }, new[] { int.MinValue });
            builder.Inputs.Add(123456);

            byte[] blob = ModelWriter.Write(builder);

            int records = 64 + (2 * 32);
            CollectionAssert.AreEqual(new byte[] { 200, 2, 0, 0 }, blob[(records + 12)..(records + 16)]);
            CollectionAssert.AreEqual(new byte[] { 0, 0, 2, 0 }, blob[(records + 24)..(records + 28)]);
            int parameters = records + (3 * 12) + (3 * 4);
            Assert.AreEqual(-7, I32(blob, parameters + (6 * 4)));
            Assert.AreEqual(9999, I32(blob, parameters + (7 * 4)));
            Assert.AreEqual(int.MinValue, I32(blob, parameters + (10 * 4)));
            Assert.AreEqual(123456u, U32(blob, records + (3 * 12) + 4));
        }

        [TestMethod]
        public void Write_NoOperators_Throws()
        {
            ModelBuilder builder = new ModelBuilder();
            builder.Inputs.Add(builder.AddArenaTensor("x", new[] { 1 }, 0, 0));
            builder.Outputs.Add(0);

            ModelFormatException exception = Assert.ThrowsExactly<ModelFormatException>(() => ModelWriter.Write(builder));
            StringAssert.Contains(exception.Message, "operators");
        }

        [TestMethod]
        public void Write_NoTensors_Throws()
        {
            ModelBuilder builder = new ModelBuilder();
            builder.AddOperator(OpCode.Reshape, new[] { 0 }, new[] { 1 }, Array.Empty<int>());
            builder.Inputs.Add(0);
            builder.Outputs.Add(1);

            ModelFormatException exception = Assert.ThrowsExactly<ModelFormatException>(() => ModelWriter.Write(builder));
            StringAssert.Contains(exception.Message, "tensors");
        }

        [TestMethod]
        public void Write_NoGraphInputs_Throws()
        {
            ModelBuilder builder = SmallModel.BuildMinimal();
            builder.Inputs.Clear();

            ModelFormatException exception = Assert.ThrowsExactly<ModelFormatException>(() => ModelWriter.Write(builder));
            StringAssert.Contains(exception.Message, "graph inputs");
        }

        [TestMethod]
        public void Write_NoGraphOutputs_Throws()
        {
            ModelBuilder builder = SmallModel.BuildMinimal();
            builder.Outputs.Clear();

            ModelFormatException exception = Assert.ThrowsExactly<ModelFormatException>(() => ModelWriter.Write(builder));
            StringAssert.Contains(exception.Message, "graph outputs");
        }

        [TestMethod]
        public void Write_256GraphInputs_Throws()
        {
            ModelBuilder builder = SmallModel.BuildMinimal();
            builder.Inputs.Clear();
            for (int index = 0; index < 256; index++)
            {
                builder.Inputs.Add(0);
            }

            ModelFormatException exception = Assert.ThrowsExactly<ModelFormatException>(() => ModelWriter.Write(builder));
            StringAssert.Contains(exception.Message, "256 graph inputs");
        }

        [TestMethod]
        public void Write_255GraphOutputs_Accepted()
        {
            ModelBuilder builder = SmallModel.BuildMinimal();
            builder.Outputs.Clear();
            for (int index = 0; index < 255; index++)
            {
                builder.Outputs.Add(1);
            }

            byte[] blob = ModelWriter.Write(builder);

            Assert.AreEqual((ushort)255, BinaryPrimitives.ReadUInt16LittleEndian(blob.AsSpan(34)));
        }

        [TestMethod]
        public void Write_NegativeGraphOutputIndex_Throws()
        {
            ModelBuilder builder = SmallModel.BuildMinimal();
            builder.Outputs.Add(-1);

            ModelFormatException exception = Assert.ThrowsExactly<ModelFormatException>(() => ModelWriter.Write(builder));
            StringAssert.Contains(exception.Message, "output 1");
        }

        [TestMethod]
        public void Write_65536Tensors_Throws()
        {
            ModelBuilder builder = SmallModel.BuildMinimal();
            while (builder.Tensors.Count < 65536)
            {
                builder.AddArenaTensor("filler", new[] { 1 }, 0, 0);
            }

            ModelFormatException exception = Assert.ThrowsExactly<ModelFormatException>(() => ModelWriter.Write(builder));
            StringAssert.Contains(exception.Message, "65536 tensors");
        }

        [TestMethod]
        public void Write_NegativeArenaBytes_Throws()
        {
            ModelBuilder builder = SmallModel.BuildMinimal();
            builder.ArenaBytes = -1;

            ModelFormatException exception = Assert.ThrowsExactly<ModelFormatException>(() => ModelWriter.Write(builder));
            StringAssert.Contains(exception.Message, "Arena size");
        }

        [TestMethod]
        public void Write_SourceHashNot32Bytes_Throws()
        {
            ModelBuilder builder = SmallModel.BuildMinimal();
            builder.Metadata.SourceSha256 = new byte[20];

            ModelFormatException exception = Assert.ThrowsExactly<ModelFormatException>(() => ModelWriter.Write(builder));
            StringAssert.Contains(exception.Message, "source hash");
        }

        private static void AssertTensorRecord(byte[] blob, int tensor, byte elementType, byte rank, byte storage, int[] dims, int zeroPoint, int offset)
        {
            int record = 64 + (32 * tensor);
            CollectionAssert.AreEqual(new byte[] { elementType, rank, storage, 0 }, blob[record..(record + 4)], $"tensor {tensor} type, rank, storage, reserved");
            int[] writtenDims = Enumerable.Range(0, 4).Select(axis => I32(blob, record + 4 + (4 * axis))).ToArray();
            CollectionAssert.AreEqual(dims, writtenDims, $"tensor {tensor} dims");
            Assert.AreEqual(zeroPoint, I32(blob, record + 20), $"tensor {tensor} zero point");
            Assert.AreEqual(offset, I32(blob, record + 24), $"tensor {tensor} offset");
            Assert.AreEqual(0u, U32(blob, record + 28), $"tensor {tensor} reserved");
        }
    }
}
