using System.Buffers.Binary;
using NanoInt8.Host.Quantization;

namespace NanoInt8.HostTool.Tests
{
    /// <summary>--requant MODE on the commands that convert an .onnx model.</summary>
    [TestClass]
    [TestCategory("NeedsConverter")]
    public sealed class RequantOptionTests
    {
        [TestMethod]
        [DataRow("q15")]
        [DataRow("pow2")]
        [DataRow("per-tensor")]
        [DataRow("exact")]
        public void Convert_RequantMode_HeaderFlagsAndSummaryNameTheMode(string name)
        {
            using TempFolder folder = new TempFolder();
            string source = folder.Write("qdq_conv.onnx", Cli.QdqConvOnnx());
            string destination = folder.File("out.ni8");

            CliResult result = Cli.Run("convert", source, "-o", destination, "--requant", name);

            Assert.AreEqual((int)ExitCode.Ok, result.ExitCode, result.Error);
            ushort flags = BinaryPrimitives.ReadUInt16LittleEndian(File.ReadAllBytes(destination).AsSpan(6));
            Assert.AreEqual(RequantizationModes.Parse(name)!.Value.HeaderFlags(), flags);
            StringAssert.Contains(result.Output, "requantization " + name);
        }

        [TestMethod]
        public void Convert_NoRequant_Q31FlagsZero()
        {
            using TempFolder folder = new TempFolder();
            string source = folder.Write("qdq_conv.onnx", Cli.QdqConvOnnx());

            CliResult result = Cli.Run("convert", source, "-o", folder.File("qdq_conv.ni8"));

            Assert.AreEqual((int)ExitCode.Ok, result.ExitCode, result.Error);
            Assert.AreEqual(0, BinaryPrimitives.ReadUInt16LittleEndian(File.ReadAllBytes(folder.File("qdq_conv.ni8")).AsSpan(6)));
            StringAssert.Contains(result.Output, "requantization q31");
        }

        [TestMethod]
        public void Convert_UnknownRequantMode_UsageErrorListingTheModes()
        {
            using TempFolder folder = new TempFolder();
            string source = folder.Write("qdq_conv.onnx", Cli.QdqConvOnnx());

            CliResult result = Cli.Run("convert", source, "--requant", "q7");

            Assert.AreEqual((int)ExitCode.UsageError, result.ExitCode);
            StringAssert.Contains(result.Error, "q31, q15, pow2, per-tensor, exact");
            Assert.IsFalse(File.Exists(folder.File("qdq_conv.ni8")), "nothing written");
        }

        [TestMethod]
        public void Inspect_OnnxWithRequant_ShowsTheModeOfTheConversion()
        {
            using TempFolder folder = new TempFolder();
            string source = folder.Write("qdq_conv.onnx", Cli.QdqConvOnnx());

            CliResult result = Cli.Run("inspect", source, "--requant", "pow2");

            Assert.AreEqual((int)ExitCode.Ok, result.ExitCode, result.Error);
            StringAssert.Contains(result.Output, "requantization pow2");
            StringAssert.Contains(result.Output, "re-quantized for pow2");
        }
    }
}
