using System.Buffers.Binary;
using NanoInt8.Host.Format;
using NanoInt8.Runtime;
using HashingCrc32 = System.IO.Hashing.Crc32;

namespace NanoInt8.Host.Tests.Format
{
    /// <summary>The host-side reader: a written model reads back, a damaged blob is refused.</summary>
    [TestClass]
    public class ModelFileTests
    {
        /// <summary>Rewrites both CRCs so a deliberately edited blob passes the integrity checks.</summary>
        private static void RecomputeCrcs(byte[] blob)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(12), HashingCrc32.HashToUInt32(blob.AsSpan(64)));
            BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(60), HashingCrc32.HashToUInt32(blob.AsSpan(0, 60)));
        }

        [TestMethod]
        public void Read_WrittenModel_HeaderAndLayoutMatchSpec()
        {
            ModelFile file = ModelFile.Read(ModelWriter.Write(SmallModel.Build()));

            Assert.AreEqual(ModelFormat.Magic, file.Header.Magic);
            Assert.AreEqual((uint)SmallModel.TotalLength, file.Header.TotalLength);
            Assert.AreEqual((uint)SmallModel.DeviceBytes, file.Header.DeviceBytes);
            Assert.AreEqual((long)SmallModel.DeviceBytes, file.Header.ExpectedDeviceBytes);
            Assert.AreEqual((long)SmallModel.OperatorTableOffset, file.Layout.OperatorTableOffset);
            Assert.AreEqual((long)SmallModel.InputsOffset, file.Layout.InputsOffset);
            Assert.AreEqual((long)SmallModel.OutputsOffset, file.Layout.OutputsOffset);
            Assert.AreEqual((long)SmallModel.ParametersOffset, file.Layout.ParametersOffset);
            Assert.AreEqual((long)SmallModel.Int32Offset, file.Layout.Int32ConstantsOffset);
            Assert.AreEqual((long)SmallModel.Int8Offset, file.Layout.Int8ConstantsOffset);
            Assert.AreEqual((long)SmallModel.MetadataOffset, file.Layout.MetadataOffset);
        }

        [TestMethod]
        public void Read_WrittenModel_TablesMatchBuilder()
        {
            ModelBuilder builder = SmallModel.Build();

            ModelFile file = ModelFile.Read(ModelWriter.Write(builder));

            Assert.HasCount(builder.Tensors.Count, file.Tensors);
            for (int index = 0; index < builder.Tensors.Count; index++)
            {
                ModelTensor tensor = builder.Tensors[index];
                TensorRecord record = file.Tensors[index];
                Assert.AreEqual(tensor.ElementType, record.ElementType, $"tensor {index}");
                Assert.AreEqual(tensor.Storage, record.Storage, $"tensor {index}");
                CollectionAssert.AreEqual(tensor.Shape.ToArray(), record.Shape.ToArray(), $"tensor {index}");
                Assert.AreEqual(tensor.ZeroPoint, record.ZeroPoint, $"tensor {index}");
                Assert.AreEqual(tensor.Offset, record.Offset, $"tensor {index}");
            }

            Assert.HasCount(builder.Operators.Count, file.Operators);
            for (int index = 0; index < builder.Operators.Count; index++)
            {
                ModelOperator written = builder.Operators[index];
                ModelOperator read = file.Operators[index];
                Assert.AreEqual(written.OpCode, read.OpCode, $"operator {index}");
                CollectionAssert.AreEqual(written.Inputs.ToArray(), read.Inputs.ToArray(), $"operator {index}");
                CollectionAssert.AreEqual(written.Outputs.ToArray(), read.Outputs.ToArray(), $"operator {index}");
                CollectionAssert.AreEqual(written.Parameters.ToArray(), read.Parameters.ToArray(), $"operator {index}");
            }

            CollectionAssert.AreEqual(builder.Inputs.ToArray(), file.Inputs.ToArray());
            CollectionAssert.AreEqual(builder.Outputs.ToArray(), file.Outputs.ToArray());
        }

        [TestMethod]
        public void Read_WrittenModel_ConstantsAndMetadataMatchBuilder()
        {
            ModelBuilder builder = SmallModel.Build();
            builder.Metadata.Quantization.Add(new QuantizationEntry(SmallModel.Input, 0.5f, -5, OriginalElementType.Float32));
            builder.Metadata.Quantization.Add(new QuantizationEntry(SmallModel.Output, 0.25f, -1, OriginalElementType.Float32));

            ModelFile file = ModelFile.Read(ModelWriter.Write(builder));

            CollectionAssert.AreEqual(SmallModel.WeightsData.Concat(SmallModel.TableData).ToArray(), file.Int8Constants.ToArray());
            CollectionAssert.AreEqual(SmallModel.BiasData.Concat(SmallModel.MultiplierData).Concat(SmallModel.ShiftData).ToArray(), file.Int32Constants.ToArray());
            Assert.AreEqual("tiny", file.Metadata.ModelName);
            Assert.AreEqual("test 1.0", file.Metadata.ConverterVersion);
            CollectionAssert.AreEqual(builder.Metadata.Quantization.ToArray(), file.Metadata.Quantization.ToArray());
        }

        [TestMethod]
        public void Read_PayloadByteFlipped_Throws()
        {
            byte[] blob = ModelWriter.Write(SmallModel.Build());
            blob[SmallModel.Int8Offset] ^= 0x10;

            ModelFormatException exception = Assert.ThrowsExactly<ModelFormatException>(() => ModelFile.Read(blob));
            StringAssert.Contains(exception.Message, "Payload CRC");
        }

        [TestMethod]
        public void Read_HeaderByteFlipped_Throws()
        {
            byte[] blob = ModelWriter.Write(SmallModel.Build());
            blob[16] ^= 0x01;

            ModelFormatException exception = Assert.ThrowsExactly<ModelFormatException>(() => ModelFile.Read(blob));
            StringAssert.Contains(exception.Message, "Header CRC");
        }

        [TestMethod]
        public void Read_BadMagic_Throws()
        {
            byte[] blob = ModelWriter.Write(SmallModel.Build());
            blob[3] = (byte)'X';

            ModelFormatException exception = Assert.ThrowsExactly<ModelFormatException>(() => ModelFile.Read(blob));
            StringAssert.Contains(exception.Message, "magic");
        }

        [TestMethod]
        public void Read_ShorterThanHeader_Throws()
        {
            byte[] blob = ModelWriter.Write(SmallModel.Build())[..63];

            Assert.ThrowsExactly<ModelFormatException>(() => ModelFile.Read(blob));
        }

        [TestMethod]
        public void Read_Truncated_Throws()
        {
            byte[] blob = ModelWriter.Write(SmallModel.Build())[..^4];

            ModelFormatException exception = Assert.ThrowsExactly<ModelFormatException>(() => ModelFile.Read(blob));
            StringAssert.Contains(exception.Message, "totalLength");
        }

        [TestMethod]
        public void Read_CountsDisagreeWithLength_Throws()
        {
            byte[] blob = ModelWriter.Write(SmallModel.Build());
            BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(52), SmallModel.MetadataBytes + 4);
            RecomputeCrcs(blob);

            ModelFormatException exception = Assert.ThrowsExactly<ModelFormatException>(() => ModelFile.Read(blob));
            StringAssert.Contains(exception.Message, "add up to");
        }

        [TestMethod]
        public void Read_OperatorWordsOutsideParameterSection_Throws()
        {
            byte[] blob = ModelWriter.Write(SmallModel.Build());
            // Second operator: words [8, 14) become [8, 15), one past the section.
            BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(SmallModel.OperatorTableOffset + 12 + 8), 7);
            RecomputeCrcs(blob);

            ModelFormatException exception = Assert.ThrowsExactly<ModelFormatException>(() => ModelFile.Read(blob));
            StringAssert.Contains(exception.Message, "Operator 1");
        }
    }
}
