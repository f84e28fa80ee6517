using System.Buffers.Binary;
using NanoInt8.Host.Format;
using NanoInt8.Runtime;

namespace NanoInt8.HostTool.Tests
{
    /// <summary>--kernels auto|plain|packed of convert (issues 7 and 15).</summary>
    [TestClass]
    [TestCategory("NeedsConverter")]
    public sealed class KernelsOptionTests
    {
        [TestMethod]
        public void Convert_KernelsAuto_IsTheDefault_LaneKernelAndWhatItCosts()
        {
            using TempFolder folder = new TempFolder();
            string source = folder.Write("qdq_conv.onnx", Cli.QdqConvOnnx());

            CliResult byDefault = Cli.Run("convert", source, "-o", folder.File("default.ni8"));
            CliResult auto = Cli.Run("convert", source, "-o", folder.File("auto.ni8"), "--kernels", "auto");

            Assert.AreEqual((int)ExitCode.Ok, byDefault.ExitCode, byDefault.Error);
            Assert.AreEqual((int)ExitCode.Ok, auto.ExitCode, auto.Error);
            CollectionAssert.AreEqual(File.ReadAllBytes(folder.File("default.ni8")), File.ReadAllBytes(folder.File("auto.ni8")));
            StringAssert.Contains(byDefault.Output, "format version 4");
            StringAssert.Contains(byDefault.Output, "kernels auto: picked Conv2DLanes;");
            StringAssert.Contains(byDefault.Output, "against the plain kernels'");
            Assert.IsTrue(ModelFile.Read(File.ReadAllBytes(folder.File("default.ni8"))).Operators.Any(op => op.OpCode == OpCode.Conv2DLanes));
        }

        [TestMethod]
        public void Convert_KernelsPlain_PlainKernelsNoScratch()
        {
            using TempFolder folder = new TempFolder();
            string source = folder.Write("qdq_conv.onnx", Cli.QdqConvOnnx());

            CliResult plain = Cli.Run("convert", source, "-o", folder.File("plain.ni8"), "--kernels", "plain");

            Assert.AreEqual((int)ExitCode.Ok, plain.ExitCode, plain.Error);
            StringAssert.Contains(plain.Output, "format version 4");
            Assert.DoesNotContain("scratch bytes", plain.Output);
            Assert.DoesNotContain("kernels auto", plain.Output);
            Assert.IsTrue(ModelFile.Read(File.ReadAllBytes(folder.File("plain.ni8"))).Operators.Any(op => op.OpCode == OpCode.Conv2D));
        }

        [TestMethod]
        public void Convert_KernelsPacked_PacksTheConvolutionAndCountsItsScratch()
        {
            using TempFolder folder = new TempFolder();
            string source = folder.Write("qdq_conv.onnx", Cli.QdqConvOnnx());

            CliResult result = Cli.Run("convert", source, "--kernels", "packed", "-o", folder.File("qdq_conv.ni8"));

            Assert.AreEqual((int)ExitCode.Ok, result.ExitCode, result.Error);
            StringAssert.Contains(result.Output, "Conv2DTriple");
            StringAssert.Contains(result.Output, "scratch bytes");
            StringAssert.Contains(result.Output, "format version 4");
            ModelFile file = ModelFile.Read(File.ReadAllBytes(folder.File("qdq_conv.ni8")));
            Assert.IsTrue(file.Operators.Any(op => op.OpCode == OpCode.Conv2DTriple));
            // Header word 56, scratchWords: the conv's filter words and padded packed input, counted in deviceBytes.
            Assert.IsGreaterThan(0u, BinaryPrimitives.ReadUInt32LittleEndian(File.ReadAllBytes(folder.File("qdq_conv.ni8")).AsSpan(56)));
            Assert.AreEqual(file.Header.ExpectedDeviceBytes, (long)file.Header.DeviceBytes);
        }

        [TestMethod]
        public void Convert_UnknownKernels_UsageErrorListingTheChoices()
        {
            using TempFolder folder = new TempFolder();
            string source = folder.Write("qdq_conv.onnx", Cli.QdqConvOnnx());

            CliResult result = Cli.Run("convert", source, "--kernels", "fast");

            Assert.AreEqual((int)ExitCode.UsageError, result.ExitCode);
            StringAssert.Contains(result.Error, "auto, plain, packed");
            Assert.IsFalse(File.Exists(folder.File("qdq_conv.ni8")), "nothing written");
        }
    }
}
