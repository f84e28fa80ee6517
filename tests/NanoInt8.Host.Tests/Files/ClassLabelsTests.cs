using Google.Protobuf;
using NanoInt8.Host.Conversion;
using NanoInt8.Host.Execution;
using NanoInt8.Host.Files;
using NanoInt8.Host.Format;
using NanoInt8.Onnx;
using NanoInt8.Onnx.Protobuf;
using NanoInt8.Runtime;
using NanoInt8.Tests.Shared;

namespace NanoInt8.Host.Tests.Files
{
    /// <summary>Class labels: the forms they are read in, and how they travel from an ONNX model into an .ni8 model.</summary>
    [TestClass]
    public sealed class ClassLabelsTests
    {
        private static readonly string[] s_three = { "normal", "imbalance", "bearing fault" };

        [TestMethod]
        [DataRow("""["normal", "imbalance", "bearing fault"]""")]
        [DataRow("""{"0": "normal", "2": "bearing fault", "1": "imbalance"}""")]
        [DataRow("{0: 'normal', 1: 'imbalance', 2: 'bearing fault'}")]
        [DataRow("normal\nimbalance\nbearing fault\n")]
        [DataRow("normal, imbalance, bearing fault")]
        public void Parse_EveryForm_SameLabelsInIndexOrder(string text)
        {
            CollectionAssert.AreEqual(s_three, ClassLabels.Parse(text, "test").ToArray());
        }

        [TestMethod]
        [DataRow("[1, 2]", "not a JSON array of strings")]
        [DataRow("{1: 'a', 2: 'b'}", "not a map from the class indices 0, 1, 2")]
        [DataRow("  ", "holds no labels")]
        public void Parse_Malformed_SaysWhy(string text, string expected)
        {
            ClassLabelsException exception = Assert.ThrowsExactly<ClassLabelsException>(() => ClassLabels.Parse(text, "the test"));

            StringAssert.Contains(exception.Message, expected);
        }

        [TestMethod]
        public void FromOnnx_ClassNamesKey_Read()
        {
            ModelProto proto = OnnxModel.Load(QdqConvModel.Onnx()).Proto;
            proto.MetadataProps.Add(new StringStringEntryProto { Key = "class_names", Value = "a,b,c" });

            IReadOnlyList<string>? labels = ClassLabels.FromOnnx(OnnxModel.Load(proto.ToByteArray()));

            CollectionAssert.AreEqual(new[] { "a", "b", "c" }, labels?.ToArray());
        }

        [TestMethod]
        public void WriteToOnnx_ReplacesOtherLabelKeys_ReadBackTheSame()
        {
            ModelProto proto = OnnxModel.Load(QdqConvModel.Onnx()).Proto;
            proto.MetadataProps.Add(new StringStringEntryProto { Key = "names", Value = "x,y" });

            ClassLabels.WriteToOnnx(proto, s_three);

            Assert.AreEqual(ClassLabels.OnnxMetadataKey, proto.MetadataProps.Single().Key);
            CollectionAssert.AreEqual(s_three, ClassLabels.FromOnnx(OnnxModel.Load(proto.ToByteArray()))?.ToArray());
        }

        [TestMethod]
        public void Convert_LabelsInMetadataProps_OnTheOutputWithThatManyClasses()
        {
            // The QDQ Conv model's output is [1, 3, 5, 5]: its last dimension has 5 elements.
            string[] five = { "a", "b", "c", "d", "e" };
            byte[] onnx = WithLabels(five);

            ConversionResult conversion = OnnxFileConversion.Convert(OnnxModel.Load(onnx), "conv.onnx", onnx, board: null);

            CollectionAssert.AreEqual(five, new HostModelRunner(conversion.Blob).Outputs.Single().Labels?.ToArray());
        }

        [TestMethod]
        public void Convert_WithLabels_DeviceVisibleBytesUnchanged()
        {
            byte[] onnx = QdqConvModel.Onnx();
            OnnxModel model = OnnxModel.Load(onnx);
            byte[] plain = OnnxFileConversion.Convert(model, "conv.onnx", onnx, board: null).Blob;

            byte[] labelled = OnnxFileConversion.Convert(model, "conv.onnx", onnx, board: null, labels: new[] { "a", "b", "c", "d", "e" }).Blob;

            // Everything the device reads (the header's sizes and every section before the host
            // metadata) is the same; only the metadata, the total length and the two CRCs change.
            ModelFile before = ModelFile.Read(plain);
            ModelFile after = ModelFile.Read(labelled);
            int metadataOffset = plain.Length - (int)before.Header.MetadataBytes;
            CollectionAssert.AreEqual(plain[ModelFormat.HeaderSize..metadataOffset], labelled[ModelFormat.HeaderSize..metadataOffset]);
            Assert.AreEqual(before.Header.DeviceBytes, after.Header.DeviceBytes);
            Assert.AreEqual(before.Header.ArenaBytes, after.Header.ArenaBytes);
            Assert.IsGreaterThan(before.Header.MetadataBytes, after.Header.MetadataBytes);
        }

        [TestMethod]
        public void Convert_NoLabels_ExactlyTheConvertersBytes()
        {
            byte[] onnx = QdqConvModel.Onnx();
            OnnxModel model = OnnxModel.Load(onnx);

            byte[] viaFile = OnnxFileConversion.Convert(model, "conv.onnx", onnx, board: null).Blob;
            byte[] direct = OnnxConverter.Convert(model, new ConversionOptions
            {
                ModelName = "conv",
                SourceSha256 = System.Security.Cryptography.SHA256.HashData(onnx),
                Kernels = KernelSelection.Auto,
            }).Blob;

            // OnnxFileConversion converts as hosttool does: with its default kernels, auto.
            CollectionAssert.AreEqual(direct, viaFile);
            Assert.IsEmpty(ModelFile.Read(viaFile).Metadata.ClassLabels);
        }

        [TestMethod]
        public void Convert_LabelsFitNoOutput_ExceptionNamingTheOutputs()
        {
            byte[] onnx = QdqConvModel.Onnx();

            ClassLabelsException exception = Assert.ThrowsExactly<ClassLabelsException>(
                () => OnnxFileConversion.Convert(OnnxModel.Load(onnx), "conv.onnx", onnx, board: null, labels: new[] { "a", "b" }, labelsSource: "labels.txt"));

            StringAssert.Contains(exception.Message, "labels.txt names 2 classes but no output");
            StringAssert.Contains(exception.Message, "features [1, 3, 5, 5]");
        }

        [TestMethod]
        public void Convert_MetadataLabelsFitNoOutput_ConvertsWithANote()
        {
            byte[] onnx = WithLabels(new[] { "a", "b" });

            ConversionResult conversion = OnnxFileConversion.Convert(OnnxModel.Load(onnx), "conv.onnx", onnx, board: null);

            Assert.IsNull(new HostModelRunner(conversion.Blob).Outputs.Single().Labels);
            Assert.IsTrue(conversion.Notes.Any(note => note.StartsWith("no class labels kept", StringComparison.Ordinal)), string.Join(" | ", conversion.Notes));
        }

        private static byte[] WithLabels(string[] labels)
        {
            ModelProto proto = OnnxModel.Load(QdqConvModel.Onnx()).Proto;
            ClassLabels.WriteToOnnx(proto, labels);
            return proto.ToByteArray();
        }
    }
}
