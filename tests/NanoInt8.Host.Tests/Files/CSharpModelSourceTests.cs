using NanoInt8.Host.Conversion;
using NanoInt8.Host.Files;
using NanoInt8.Host.Format;
using NanoInt8.Host.Tests.Format;
using NanoInt8.Tests.Shared;

namespace NanoInt8.Host.Tests.Files
{
    /// <summary>An .ni8 model as C# for an app that embeds it (hosttool convert --emit-csharp).</summary>
    [TestClass]
    public sealed class CSharpModelSourceTests
    {
        [TestMethod]
        [DataRow("VibrationModel.cs", "VibrationModel")]
        [DataRow("out/model.qdq.cs", "ModelQdq")]
        [DataRow("vibration-model_v2.cs", "VibrationModelV2")]
        [DataRow("2024.cs", "Model2024")]
        [DataRow("--.cs", "Model")]
        public void ClassNameFor_FileName_PascalCaseIdentifier(string path, string expected)
        {
            Assert.AreEqual(expected, CSharpModelSource.ClassNameFor(path));
        }

        [TestMethod]
        public void Write_Model_BytesArrayHoldsTheBlob()
        {
            byte[] blob = ModelWriter.Write(SmallModel.Build());

            string source = CSharpModelSource.Write(blob, "TinyModel", "tiny.onnx");

            StringAssert.Contains(source, "namespace NanoInt8.Models");
            StringAssert.Contains(source, "public static class TinyModel");
            StringAssert.Contains(source, "public static readonly byte[] Bytes = new byte[]");
            CollectionAssert.AreEqual(blob, EmbeddedModelSource.Bytes(source));
            Assert.DoesNotContain("Labels", source, "no labels, no Labels array");
        }

        [TestMethod]
        public void Write_OutputsWithLabels_OneEscapedArrayEach()
        {
            ModelBuilder builder = SmallModel.Build();
            builder.Metadata.ClassLabels.Add(new List<string> { "a \"quoted\" class", "back\\slash", "tab\there" });

            string source = CSharpModelSource.Write(ModelWriter.Write(builder), "Labelled", "labelled.onnx");

            StringAssert.Contains(source, "public static readonly string[] Labels = new string[]");
            StringAssert.Contains(source, "\"a \\\"quoted\\\" class\",");
            StringAssert.Contains(source, "\"back\\\\slash\",");
            StringAssert.Contains(source, "\"tab\\u0009here\",");
        }

        [TestMethod]
        public void Write_ModelAbove60KB_ModelTooLargeException()
        {
            ModelBuilder builder = SmallModel.Build();
            builder.Metadata.ModelName = new string('m', CSharpModelSource.MaxModelBytes);

            ModelTooLargeException exception = Assert.ThrowsExactly<ModelTooLargeException>(
                () => CSharpModelSource.Write(ModelWriter.Write(builder), "Large", "large.onnx"));

            Assert.AreEqual(CSharpModelSource.MaxModelBytes, exception.AvailableBytes);
            StringAssert.Contains(exception.Message, "board's flash");
        }
    }
}
