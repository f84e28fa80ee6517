using System.Buffers.Binary;

namespace NanoInt8.HostTool.Tests
{
    /// <summary>--kernels plain|packed of convert (issue 7).</summary>
    [TestClass]
    [TestCategory("NeedsConverter")]
    public sealed class KernelsOptionTests
    {
        [TestMethod]
        public void Convert_KernelsPlain_SameBytesAsTheDefault()
        {
            using TempFolder folder = new TempFolder();
            string source = folder.Write("qdq_conv.onnx", Cli.QdqConvOnnx());

            CliResult byDefault = Cli.Run("convert", source, "-o", folder.File("default.ni8"));
            CliResult plain = Cli.Run("convert", source, "-o", folder.File("plain.ni8"), "--kernels", "plain");

            Assert.AreEqual((int)ExitCode.Ok, byDefault.ExitCode, byDefault.Error);
            Assert.AreEqual((int)ExitCode.Ok, plain.ExitCode, plain.Error);
            CollectionAssert.AreEqual(File.ReadAllBytes(folder.File("default.ni8")), File.ReadAllBytes(folder.File("plain.ni8")));
        }

        [TestMethod]
        public void Convert_KernelsPackedWithoutFullyConnected_ConvertsWithNoScratch()
        {
            // The model is a single Conv: nothing to pack (Conv2D has no packed kernel yet), so the
            // header's scratchWords (offset 56) stays 0.
            using TempFolder folder = new TempFolder();
            string source = folder.Write("qdq_conv.onnx", Cli.QdqConvOnnx());

            CliResult result = Cli.Run("convert", source, "--kernels", "packed");

            Assert.AreEqual((int)ExitCode.Ok, result.ExitCode, result.Error);
            Assert.AreEqual(0u, BinaryPrimitives.ReadUInt32LittleEndian(File.ReadAllBytes(folder.File("qdq_conv.ni8")).AsSpan(56)));
        }

        [TestMethod]
        public void Convert_UnknownKernels_UsageErrorListingTheChoices()
        {
            using TempFolder folder = new TempFolder();
            string source = folder.Write("qdq_conv.onnx", Cli.QdqConvOnnx());

            CliResult result = Cli.Run("convert", source, "--kernels", "fast");

            Assert.AreEqual((int)ExitCode.UsageError, result.ExitCode);
            StringAssert.Contains(result.Error, "plain, packed");
            Assert.IsFalse(File.Exists(folder.File("qdq_conv.ni8")), "nothing written");
        }
    }
}
