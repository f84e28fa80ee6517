using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using NanoInt8.Host.Format;
using NanoInt8.Runtime;

namespace NanoInt8.Host.Tests.Format
{
    /// <summary>The host-metadata entries: layout, round trip, unknown keys, malformed sections.</summary>
    [TestClass]
    public class ModelMetadataTests
    {
        private static ModelMetadata FullMetadata()
        {
            ModelMetadata metadata = new ModelMetadata
            {
                ModelName = "mobilenet ünïcode",
                SourceSha256 = SHA256.HashData(Encoding.UTF8.GetBytes("source model")),
                ConverterVersion = "0.1.0+abc",
            };
            metadata.Quantization.Add(new QuantizationEntry(0, 0.007843138f, -1, OriginalElementType.Float32));
            metadata.Quantization.Add(new QuantizationEntry(17, 0.00390625f, -128, OriginalElementType.UInt8));
            metadata.Quantization.Add(new QuantizationEntry(65534, 1e-20f, 127, OriginalElementType.Int8));
            metadata.TensorNames.Add("input");
            metadata.TensorNames.Add(string.Empty);
            metadata.TensorNames.Add("conv/wëight");
            metadata.OperatorNames.Add("conv1+relu1");
            return metadata;
        }

        private static byte[] NamesValue(params string[] names)
        {
            List<byte> value = new List<byte>();
            byte[] count = new byte[4];
            BinaryPrimitives.WriteUInt32LittleEndian(count, (uint)names.Length);
            value.AddRange(count);
            foreach (string name in names)
            {
                byte[] bytes = Encoding.UTF8.GetBytes(name);
                value.Add((byte)(bytes.Length & 0xFF));
                value.Add((byte)(bytes.Length >> 8));
                value.AddRange(bytes);
            }

            return value.ToArray();
        }

        private static byte[] Entry(ushort key, byte[] value)
        {
            byte[] entry = new byte[6 + value.Length];
            BinaryPrimitives.WriteUInt16LittleEndian(entry, key);
            BinaryPrimitives.WriteUInt32LittleEndian(entry.AsSpan(2), (uint)value.Length);
            value.CopyTo(entry, 6);
            return entry;
        }

        private static byte[] QuantizationValue(uint tensorIndex, float scale, int zeroPoint, byte originalType)
        {
            byte[] value = new byte[13];
            BinaryPrimitives.WriteUInt32LittleEndian(value, tensorIndex);
            BinaryPrimitives.WriteSingleLittleEndian(value.AsSpan(4), scale);
            BinaryPrimitives.WriteInt32LittleEndian(value.AsSpan(8), zeroPoint);
            value[12] = originalType;
            return value;
        }

        [TestMethod]
        public void ToBytes_AllFields_EntriesFollowSpec()
        {
            ModelMetadata metadata = FullMetadata();

            byte[] bytes = metadata.ToBytes();

            byte[] expected = Entry(1, Encoding.UTF8.GetBytes("mobilenet ünïcode"))
                .Concat(Entry(2, metadata.SourceSha256!))
                .Concat(Entry(3, QuantizationValue(0, 0.007843138f, -1, 1)
                    .Concat(QuantizationValue(17, 0.00390625f, -128, 3))
                    .Concat(QuantizationValue(65534, 1e-20f, 127, 2))
                    .ToArray()))
                .Concat(Entry(4, Encoding.UTF8.GetBytes("0.1.0+abc")))
                .Concat(Entry(5, NamesValue("input", string.Empty, "conv/wëight")))
                .Concat(Entry(6, NamesValue("conv1+relu1")))
                .ToArray();
            CollectionAssert.AreEqual(expected, bytes);
        }

        [TestMethod]
        public void Read_AllFields_RoundTrips()
        {
            ModelMetadata metadata = FullMetadata();

            ModelMetadata read = ModelMetadata.Read(metadata.ToBytes());

            Assert.AreEqual(metadata.ModelName, read.ModelName);
            CollectionAssert.AreEqual(metadata.SourceSha256, read.SourceSha256);
            CollectionAssert.AreEqual(metadata.Quantization.ToArray(), read.Quantization.ToArray());
            Assert.AreEqual(metadata.ConverterVersion, read.ConverterVersion);
            CollectionAssert.AreEqual(metadata.TensorNames.ToArray(), read.TensorNames.ToArray());
            CollectionAssert.AreEqual(metadata.OperatorNames.ToArray(), read.OperatorNames.ToArray());
        }

        [TestMethod]
        public void ToBytes_Empty_IsEmpty()
        {
            Assert.IsEmpty(new ModelMetadata().ToBytes());
        }

        [TestMethod]
        public void Read_Empty_GivesEmptyMetadata()
        {
            ModelMetadata read = ModelMetadata.Read(ReadOnlySpan<byte>.Empty);

            Assert.IsNull(read.ModelName);
            Assert.IsNull(read.SourceSha256);
            Assert.IsEmpty(read.Quantization);
            Assert.IsNull(read.ConverterVersion);
            Assert.IsEmpty(read.TensorNames);
            Assert.IsEmpty(read.OperatorNames);
        }

        [TestMethod]
        public void Read_EmptyName_DistinctFromAbsent()
        {
            ModelMetadata read = ModelMetadata.Read(new ModelMetadata { ModelName = string.Empty }.ToBytes());

            Assert.AreEqual(string.Empty, read.ModelName);
        }

        [TestMethod]
        public void Read_UnknownKeys_Skipped()
        {
            byte[] section = Entry(0, new byte[] { 1, 2, 3 })
                .Concat(Entry(1, Encoding.UTF8.GetBytes("name")))
                .Concat(Entry(9, new byte[100]))
                .Concat(Entry(0xFFFF, Array.Empty<byte>()))
                .Concat(Entry(4, Encoding.UTF8.GetBytes("v2")))
                .Concat(Entry(1000, new byte[] { 0xFF, 0xFE }))
                .ToArray();

            ModelMetadata read = ModelMetadata.Read(section);

            Assert.AreEqual("name", read.ModelName);
            Assert.AreEqual("v2", read.ConverterVersion);
            Assert.IsNull(read.SourceSha256);
            Assert.IsEmpty(read.Quantization);
        }

        [TestMethod]
        [DataRow(1)]
        [DataRow(5)]
        public void Read_TruncatedEntryHeader_Throws(int trailingBytes)
        {
            byte[] section = Entry(1, Encoding.UTF8.GetBytes("a")).Concat(new byte[trailingBytes]).ToArray();

            ModelFormatException exception = Assert.ThrowsExactly<ModelFormatException>(() => ModelMetadata.Read(section));
            StringAssert.Contains(exception.Message, "too few for an entry");
        }

        [TestMethod]
        public void Read_LengthBeyondSection_Throws()
        {
            byte[] section = Entry(77, new byte[10]);
            BinaryPrimitives.WriteUInt32LittleEndian(section.AsSpan(2), 11);

            ModelFormatException exception = Assert.ThrowsExactly<ModelFormatException>(() => ModelMetadata.Read(section));
            StringAssert.Contains(exception.Message, "claims 11 bytes");
        }

        [TestMethod]
        public void Read_HugeLength_Throws()
        {
            byte[] section = Entry(1, new byte[2]);
            BinaryPrimitives.WriteUInt32LittleEndian(section.AsSpan(2), uint.MaxValue);

            Assert.ThrowsExactly<ModelFormatException>(() => ModelMetadata.Read(section));
        }

        [TestMethod]
        [DataRow(31)]
        [DataRow(33)]
        [DataRow(0)]
        public void Read_HashNot32Bytes_Throws(int length)
        {
            ModelFormatException exception = Assert.ThrowsExactly<ModelFormatException>(() => ModelMetadata.Read(Entry(2, new byte[length])));
            StringAssert.Contains(exception.Message, "source hash");
        }

        [TestMethod]
        [DataRow(12)]
        [DataRow(14)]
        [DataRow(27)]
        public void Read_QuantizationLengthNotMultipleOf13_Throws(int length)
        {
            ModelFormatException exception = Assert.ThrowsExactly<ModelFormatException>(() => ModelMetadata.Read(Entry(3, new byte[length])));
            StringAssert.Contains(exception.Message, "multiple of 13");
        }

        [TestMethod]
        [DataRow((byte)0)]
        [DataRow((byte)4)]
        public void Read_UnknownOriginalType_Throws(byte originalType)
        {
            byte[] section = Entry(3, QuantizationValue(0, 0.5f, 0, originalType));

            ModelFormatException exception = Assert.ThrowsExactly<ModelFormatException>(() => ModelMetadata.Read(section));
            StringAssert.Contains(exception.Message, "original type");
        }

        [TestMethod]
        [DataRow(0f)]
        [DataRow(-1f)]
        [DataRow(float.NaN)]
        [DataRow(float.PositiveInfinity)]
        public void Read_ScaleNotFinitePositive_Throws(float scale)
        {
            byte[] section = Entry(3, QuantizationValue(0, scale, 0, 1));

            ModelFormatException exception = Assert.ThrowsExactly<ModelFormatException>(() => ModelMetadata.Read(section));
            StringAssert.Contains(exception.Message, "scale");
        }

        [TestMethod]
        public void Read_TensorIndexAboveInt32_Throws()
        {
            byte[] section = Entry(3, QuantizationValue(0x80000000, 1f, 0, 1));

            Assert.ThrowsExactly<ModelFormatException>(() => ModelMetadata.Read(section));
        }

        [TestMethod]
        public void Read_InvalidUtf8_Throws()
        {
            ModelFormatException exception = Assert.ThrowsExactly<ModelFormatException>(
                () => ModelMetadata.Read(Entry(4, new byte[] { 0x41, 0xC3 })));
            StringAssert.Contains(exception.Message, "not valid UTF-8");
        }

        [TestMethod]
        public void Read_DuplicateKnownKey_Throws()
        {
            byte[] section = Entry(1, Encoding.UTF8.GetBytes("a")).Concat(Entry(1, Encoding.UTF8.GetBytes("b"))).ToArray();

            ModelFormatException exception = Assert.ThrowsExactly<ModelFormatException>(() => ModelMetadata.Read(section));
            StringAssert.Contains(exception.Message, "more than once");
        }

        [TestMethod]
        public void Read_DuplicateUnknownKey_Skipped()
        {
            byte[] section = Entry(9, new byte[1]).Concat(Entry(9, new byte[2])).ToArray();

            Assert.IsNull(ModelMetadata.Read(section).ModelName);
        }

        [TestMethod]
        public void ToBytes_NamesOnly_LengthPrefixedUtf8()
        {
            ModelMetadata metadata = new ModelMetadata();
            metadata.TensorNames.Add("x");
            metadata.TensorNames.Add("ÿ");

            byte[] bytes = metadata.ToBytes();

            // key 5, length 11: count 2, then 1 "x", then 2 bytes of "ÿ" (C3 BF).
            byte[] expected = { 5, 0, 11, 0, 0, 0, 2, 0, 0, 0, 1, 0, (byte)'x', 2, 0, 0xC3, 0xBF };
            CollectionAssert.AreEqual(expected, bytes);
        }

        [TestMethod]
        public void Read_NamesWithZeroCount_GivesEmptyList()
        {
            ModelMetadata read = ModelMetadata.Read(Entry(6, NamesValue()));

            Assert.IsEmpty(read.OperatorNames);
        }

        [TestMethod]
        [DataRow(5)]
        [DataRow(6)]
        public void Read_NamesEntryShorterThanCount_Throws(int key)
        {
            ModelFormatException exception = Assert.ThrowsExactly<ModelFormatException>(() => ModelMetadata.Read(Entry((ushort)key, new byte[3])));
            StringAssert.Contains(exception.Message, "u32 count");
        }

        [TestMethod]
        public void Read_NamesCountBeyondEntry_Throws()
        {
            byte[] value = NamesValue("a");
            BinaryPrimitives.WriteUInt32LittleEndian(value, uint.MaxValue);

            ModelFormatException exception = Assert.ThrowsExactly<ModelFormatException>(() => ModelMetadata.Read(Entry(5, value)));
            StringAssert.Contains(exception.Message, "claims 4294967295 names");
        }

        [TestMethod]
        public void Read_NameLengthBeyondEntry_Throws()
        {
            byte[] value = NamesValue("ab", "cd");
            value[^4] = 3;

            ModelFormatException exception = Assert.ThrowsExactly<ModelFormatException>(() => ModelMetadata.Read(Entry(5, value)));
            StringAssert.Contains(exception.Message, "tensor name 1 claims 3 bytes");
        }

        [TestMethod]
        public void Read_NamesEntryWithTrailingBytes_Throws()
        {
            byte[] value = NamesValue("a").Concat(new byte[] { 0, 0 }).ToArray();

            ModelFormatException exception = Assert.ThrowsExactly<ModelFormatException>(() => ModelMetadata.Read(Entry(6, value)));
            StringAssert.Contains(exception.Message, "2 bytes after its 1 names");
        }

        [TestMethod]
        public void Read_NameNotUtf8_Throws()
        {
            byte[] value = { 1, 0, 0, 0, 1, 0, 0xC3 };

            ModelFormatException exception = Assert.ThrowsExactly<ModelFormatException>(() => ModelMetadata.Read(Entry(6, value)));
            StringAssert.Contains(exception.Message, "operator name 0 is not valid UTF-8");
        }

        [TestMethod]
        public void ToBytes_NameOver65535Bytes_Throws()
        {
            ModelMetadata metadata = new ModelMetadata();
            metadata.OperatorNames.Add(new string('n', 65536));

            ModelFormatException exception = Assert.ThrowsExactly<ModelFormatException>(() => metadata.ToBytes());
            StringAssert.Contains(exception.Message, "operator name 0 has 65536 UTF-8 bytes");
        }

        [TestMethod]
        public void ToBytes_Name65535Bytes_RoundTrips()
        {
            ModelMetadata metadata = new ModelMetadata();
            metadata.TensorNames.Add(new string('n', 65535));

            Assert.AreEqual(65535, ModelMetadata.Read(metadata.ToBytes()).TensorNames[0].Length);
        }

        [TestMethod]
        public void Clone_ChangingTheCopy_LeavesTheOriginal()
        {
            ModelMetadata original = FullMetadata();

            ModelMetadata copy = original.Clone();
            copy.TensorNames.Add("extra");
            copy.Quantization.Clear();
            copy.SourceSha256![0] ^= 0xFF;

            CollectionAssert.AreEqual(original.ToBytes(), FullMetadata().ToBytes());
            Assert.AreEqual(original.ModelName, copy.ModelName);
            Assert.HasCount(4, copy.TensorNames);
        }

        [TestMethod]
        public void ToBytes_NegativeTensorIndex_Throws()
        {
            ModelMetadata metadata = new ModelMetadata();
            metadata.Quantization.Add(new QuantizationEntry(-1, 1f, 0, OriginalElementType.Float32));

            ModelFormatException exception = Assert.ThrowsExactly<ModelFormatException>(() => metadata.ToBytes());
            StringAssert.Contains(exception.Message, "negative tensor index");
        }

        [TestMethod]
        public void ToBytes_NaNScale_Throws()
        {
            ModelMetadata metadata = new ModelMetadata();
            metadata.Quantization.Add(new QuantizationEntry(0, float.NaN, 0, OriginalElementType.Float32));

            Assert.ThrowsExactly<ModelFormatException>(() => metadata.ToBytes());
        }

        [TestMethod]
        public void ToBytes_UndefinedOriginalType_Throws()
        {
            ModelMetadata metadata = new ModelMetadata();
            metadata.Quantization.Add(new QuantizationEntry(0, 1f, 0, (OriginalElementType)9));

            Assert.ThrowsExactly<ModelFormatException>(() => metadata.ToBytes());
        }

        [TestMethod]
        public void ToBytes_UnpairedSurrogateInName_Throws()
        {
            ModelMetadata metadata = new ModelMetadata { ModelName = "a\uD800b" };

            ModelFormatException exception = Assert.ThrowsExactly<ModelFormatException>(() => metadata.ToBytes());
            StringAssert.Contains(exception.Message, "model name");
        }

        [TestMethod]
        public void ToBytes_ClassLabels_Key7PerOutputLists()
        {
            ModelMetadata metadata = new ModelMetadata();
            metadata.ClassLabels.Add(new List<string>());
            metadata.ClassLabels.Add(new List<string> { "cat", "dög" });

            byte[] bytes = metadata.ToBytes();

            byte[] count = { 2, 0, 0, 0 };
            byte[] expected = Entry(7, count.Concat(NamesValue()).Concat(NamesValue("cat", "dög")).ToArray());
            CollectionAssert.AreEqual(expected, bytes);
            ModelMetadata read = ModelMetadata.Read(bytes);
            Assert.HasCount(2, read.ClassLabels);
            Assert.IsEmpty(read.ClassLabels[0]);
            CollectionAssert.AreEqual(new[] { "cat", "dög" }, read.ClassLabels[1].ToArray());
        }

        [TestMethod]
        public void ToBytes_NoOutputWithLabels_NoKey7()
        {
            ModelMetadata metadata = new ModelMetadata { ModelName = "m" };
            metadata.ClassLabels.Add(new List<string>());

            // A model without labels keeps exactly the bytes it had before labels existed.
            CollectionAssert.AreEqual(new ModelMetadata { ModelName = "m" }.ToBytes(), metadata.ToBytes());
        }

        [TestMethod]
        [DataRow(new byte[] { 1, 0 }, "too few for its u32 output count")]
        [DataRow(new byte[] { 5, 0, 0, 0, 0, 0, 0, 0 }, "claims 5 outputs")]
        [DataRow(new byte[] { 1, 0, 0, 0, 1, 0, 0, 0, 9, 0, 65 }, "claims 9 bytes")]
        [DataRow(new byte[] { 1, 0, 0, 0, 0, 0, 0, 0, 7 }, "1 bytes after its 1 outputs")]
        public void Read_MalformedClassLabels_Throws(byte[] value, string expected)
        {
            ModelFormatException exception = Assert.ThrowsExactly<ModelFormatException>(() => ModelMetadata.Read(Entry(7, value)));

            StringAssert.Contains(exception.Message, expected);
        }

        [TestMethod]
        public void ToBytes_RawInputs_Key8SixWordsPerInput()
        {
            ModelMetadata metadata = new ModelMetadata();
            metadata.RawInputs.Add(new RawInputEntry(Requantization.Q31, 1 << 30, -1, 1000, 496, 1524));

            byte[] bytes = metadata.ToBytes();

            byte[] value = new byte[24];
            int[] words = { Requantization.Q31, 1 << 30, -1, 1000, 496, 1524 };
            for (int word = 0; word < words.Length; word++)
            {
                BinaryPrimitives.WriteInt32LittleEndian(value.AsSpan(4 * word), words[word]);
            }

            CollectionAssert.AreEqual(Entry(8, value), bytes);
            Assert.AreEqual(metadata.RawInputs.Single(), ModelMetadata.Read(bytes).RawInputs.Single());
        }

        [TestMethod]
        public void ToBytes_RawInputTheDeviceRefuses_Throws()
        {
            ModelMetadata metadata = new ModelMetadata();
            metadata.RawInputs.Add(new RawInputEntry(Requantization.Q31, 0, -1, 1000, 496, 1524));

            ModelFormatException exception = Assert.ThrowsExactly<ModelFormatException>(() => metadata.ToBytes());
            StringAssert.Contains(exception.Message, "raw input transform 0");
        }

        [TestMethod]
        [DataRow(20, "not a multiple of 24")]
        [DataRow(24, "raw input transform 0")]
        public void Read_MalformedRawInputs_Throws(int length, string expected)
        {
            // All-zero words: multiplier 0 is no transform the device applies.
            ModelFormatException exception = Assert.ThrowsExactly<ModelFormatException>(() => ModelMetadata.Read(Entry(8, new byte[length])));

            StringAssert.Contains(exception.Message, expected);
        }

        [TestMethod]
        public void Clone_RawInputs_Copied()
        {
            ModelMetadata original = new ModelMetadata();
            original.RawInputs.Add(new RawInputEntry(Requantization.Q15, 1 << 14, 0, 0, -300, 300));

            ModelMetadata copy = original.Clone();
            copy.RawInputs.Clear();

            Assert.HasCount(1, original.RawInputs);
            CollectionAssert.AreEqual(original.ToBytes(), original.Clone().ToBytes());
        }
    }
}
