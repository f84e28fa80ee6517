using System.Globalization;
using System.Text.Json;
using NanoInt8.Host.Execution;
using NanoInt8.Host.Format;
using NanoInt8.Tests.Shared;

namespace NanoInt8.HostTool.Tests
{
    /// <summary>
    /// convert's options for apps that embed a model: --raw-input-scale and --raw-input-offset (the raw
    /// input transform, metadata key 8) and --emit-csharp (the model as a C# source file, with the same
    /// summary as convert).
    /// </summary>
    [TestClass]
    public sealed class EmbedOptionsTests
    {
        [TestMethod]
        public void EmitCsharp_WritesTheBlobConvertWritesAndTheSameSummary()
        {
            using TempFolder folder = new TempFolder();
            string source = folder.Write("qdq_conv.onnx", Cli.QdqConvOnnx());
            string ni8 = folder.File("qdq_conv.ni8");
            string csharp = folder.File("ConvModel.cs");

            CliResult plain = Cli.Run("convert", source, "-o", ni8, "--labels", folder.Write("labels.txt", "a\nb\nc\nd\ne\n"u8.ToArray()));
            CliResult emitted = Cli.Run("convert", source, "-o", csharp, "--labels", folder.File("labels.txt"), "--emit-csharp");

            Assert.AreEqual((int)ExitCode.Ok, emitted.ExitCode, emitted.Error);
            string text = File.ReadAllText(csharp);
            StringAssert.Contains(text, "public static class ConvModel");
            CollectionAssert.AreEqual(File.ReadAllBytes(ni8), EmbeddedModelSource.Bytes(text));
            StringAssert.Contains(text, "\"e\",");
            string[] plainLines = plain.Output.Split('\n');
            string[] emittedLines = emitted.Output.Split('\n');
            Assert.AreEqual($"Converted {source} -> {csharp}", emittedLines[0].TrimEnd());
            CollectionAssert.AreEqual(plainLines.Skip(1).ToArray(), emittedLines.Skip(1).ToArray(), "the summary after the first line");
        }

        [TestMethod]
        public void EmitCsharp_NoOutputOption_CsFileInTheCurrentFolder()
        {
            using TempFolder folder = new TempFolder();
            using TempFolder current = new TempFolder();
            string source = folder.Write("qdq_conv.onnx", Cli.QdqConvOnnx());

            CliResult result = Cli.RunIn(current.Path, "convert", source, "--emit-csharp");

            Assert.AreEqual((int)ExitCode.Ok, result.ExitCode, result.Error);
            StringAssert.Contains(File.ReadAllText(current.File("qdq_conv.cs")), "public static class QdqConv");
            Assert.IsFalse(File.Exists(current.File("qdq_conv.ni8")), "no .ni8 beside it");
        }

        [TestMethod]
        public void RawInputScale_StoredAndShownInTheSummaryAndJson()
        {
            using TempFolder folder = new TempFolder();
            string source = folder.Write("qdq_conv.onnx", Cli.QdqConvOnnx());
            string destination = folder.File("raw.ni8");

            CliResult result = Cli.Run("convert", source, "-o", destination, "--raw-input-scale", "0.01", "--raw-input-offset", "-7");
            CliResult json = Cli.Run("convert", source, "-o", destination, "--raw-input-scale", "0.01", "--raw-input-offset", "-7", "--json");

            Assert.AreEqual((int)ExitCode.Ok, result.ExitCode, result.Error);
            GraphTensor input = new HostModelRunner(File.ReadAllBytes(destination)).Inputs.Single();
            RawInputEntry raw = input.RawInput!.Value;
            Assert.AreEqual(-7, raw.RawOffset);
            StringAssert.Contains(result.Output, string.Create(CultureInfo.InvariantCulture,
                $"raw input     {input.Name} = (raw + 7) x {input.RawInputScale:G6}, saturating outside {raw.RawMin} .. {raw.RawMax}"));
            JsonElement rawInput = JsonDocument.Parse(json.Output).RootElement.GetProperty("model").GetProperty("inputs")[0].GetProperty("rawInput");
            Assert.AreEqual(-7, rawInput.GetProperty("offset").GetInt32());
            Assert.AreEqual(0.01, rawInput.GetProperty("scale").GetDouble(), 1e-9);
            Assert.AreEqual(raw.RawMax, rawInput.GetProperty("maximum").GetInt32());
        }

        [TestMethod]
        public void NoRawInputScale_NoRawInputLineAndJsonNull()
        {
            using TempFolder folder = new TempFolder();
            string source = folder.Write("qdq_conv.onnx", Cli.QdqConvOnnx());

            CliResult result = Cli.Run("convert", source, "-o", folder.File("plain.ni8"), "--json");

            Assert.AreEqual((int)ExitCode.Ok, result.ExitCode, result.Error);
            JsonElement input = JsonDocument.Parse(result.Output).RootElement.GetProperty("model").GetProperty("inputs")[0];
            Assert.AreEqual(JsonValueKind.Null, input.GetProperty("rawInput").ValueKind);
            Assert.DoesNotContain("raw input", Cli.Run("convert", source, "-o", folder.File("plain.ni8")).Output);
        }

        [TestMethod]
        [DataRow(new[] { "--raw-input-offset", "5" }, "--raw-input-offset needs --raw-input-scale")]
        [DataRow(new[] { "--raw-input-scale", "0" }, "--raw-input-scale must be a positive number, not 0.")]
        [DataRow(new[] { "--raw-input-scale", "-2" }, "--raw-input-scale must be a positive number, not -2.")]
        [DataRow(new[] { "--raw-input-scale", "1", "--raw-input-offset", "1073741824" }, "--raw-input-offset must lie strictly between")]
        public void RawInputOptions_OutOfRange_UsageErrorAndNothingWritten(string[] options, string message)
        {
            using TempFolder folder = new TempFolder();
            string source = folder.Write("qdq_conv.onnx", Cli.QdqConvOnnx());

            CliResult result = Cli.Run(new[] { "convert", source, "-o", folder.File("x.ni8") }.Concat(options).ToArray());

            Assert.AreEqual((int)ExitCode.UsageError, result.ExitCode);
            StringAssert.Contains(result.Error, message);
            Assert.IsFalse(File.Exists(folder.File("x.ni8")));
        }
    }
}
