using System.Text.Json;
using NanoInt8.Host.Device;
using NanoInt8.Host.Format;
using NanoInt8.Onnx;

namespace NanoInt8.HostTool.Tests
{
    /// <summary>
    /// hosttool in scripts: --json documents on stdout, notices and progress on stderr, --quiet,
    /// tables that fit 80 columns unless --wide.
    /// </summary>
    [TestClass]
    public sealed class ScriptingTests : EmulatorTestBase
    {
        [TestMethod]
        public void Convert_Json_OneDocumentWithTheSummary()
        {
            string model = Folder.Write("conv.onnx", Cli.QdqConvOnnx());

            JsonElement json = Json(Cli.Run("convert", model, "-o", Folder.File("conv.ni8"), "--json"));

            Assert.AreEqual(Folder.File("conv.ni8"), json.GetProperty("output").GetString());
            JsonElement summary = json.GetProperty("model");
            Assert.AreEqual("conv", summary.GetProperty("name").GetString());
            Assert.AreEqual(new FileInfo(Folder.File("conv.ni8")).Length, summary.GetProperty("modelBytes").GetInt64());
            Assert.AreEqual("features", summary.GetProperty("outputs")[0].GetProperty("name").GetString());
            Assert.AreEqual(1, summary.GetProperty("operatorKinds").GetProperty("Conv2DLanes").GetInt32(), "the default kernels are auto's");
        }

        [TestMethod]
        public void Inspect_Json_EveryOperatorWithEveryColumn()
        {
            string model = Folder.Write("convpool.ni8", ModelWriter.Write(Cli.ConvPoolModel()));

            JsonElement json = Json(Cli.Run("inspect", model, "--json"));

            JsonElement conv = json.GetProperty("operators")[0];
            Assert.AreEqual("Conv2D", conv.GetProperty("kind").GetString());
            Assert.AreEqual("conv1", conv.GetProperty("source").GetString());
            Assert.AreEqual(216, conv.GetProperty("multiplyAccumulates").GetInt64());
            Assert.AreEqual(0.0625, conv.GetProperty("multiplier").GetProperty("minimum").GetDouble());
            Assert.AreEqual(216, json.GetProperty("model").GetProperty("multiplyAccumulates").GetInt64());
        }

        [TestMethod]
        public void Run_Json_OutputsWithEveryValue()
        {
            string model = Folder.Write("requantize.ni8", ModelWriter.Write(Cli.FloatRequantizeModel()));
            string input = Folder.WriteNpy("x.npy", new NpyArray(new[] { 1f, -2f, 3.5f, 0f }, 1, 4));

            JsonElement json = Json(Cli.Run("run", model, "--input", input, "--json"));

            JsonElement output = json.GetProperty("outputs")[0];
            Assert.AreEqual("y", output.GetProperty("name").GetString());
            CollectionAssert.AreEqual(new[] { 1, 4 }, output.GetProperty("shape").EnumerateArray().Select(value => value.GetInt32()).ToArray());
            CollectionAssert.AreEqual(new[] { 1f, -2f, 3.5f, 0f }, output.GetProperty("values").EnumerateArray().Select(value => value.GetSingle()).ToArray());
            Assert.AreEqual(JsonValueKind.Null, output.GetProperty("top").ValueKind, "no labels, no top classes");
        }

        [TestMethod]
        public void DeviceCommands_Json_OneDocumentEach()
        {
            string model = Folder.Write("conv.onnx", Cli.QdqConvOnnx());
            string input = Folder.WriteNpy("x.npy", Cli.QdqConvInput());
            Assert.AreEqual((int)ExitCode.Ok, Cli.Run("deploy", model).ExitCode);

            JsonElement info = Json(Cli.Run("info", "--json"));
            JsonElement infer = Json(Cli.Run("infer", "--input", input, "--json"));
            JsonElement verify = Json(Cli.Run("verify", model, "--samples", "2", "--json"));
            JsonElement bench = Json(Cli.Run("bench", "--runs", "3", "--json"));

            Assert.IsTrue(info.GetProperty("emulated").GetBoolean());
            Assert.AreEqual(52224, info.GetProperty("maxModelBytes").GetInt64());
            string crc = info.GetProperty("model").GetProperty("crc").GetString()!;
            Assert.AreEqual(crc, infer.GetProperty("modelCrc").GetString());
            Assert.AreEqual(75, infer.GetProperty("outputs")[0].GetProperty("values").GetArrayLength());
            Assert.IsTrue(verify.GetProperty("passed").GetBoolean());
            Assert.AreEqual(2, verify.GetProperty("samples").GetInt32());
            Assert.AreEqual(3, bench.GetProperty("runs").GetInt32());
            Assert.IsGreaterThan(0.0, bench.GetProperty("meanMilliseconds").GetDouble());
        }

        [TestMethod]
        public void Analyze_Json_OneEntryPerMode()
        {
            string model = Folder.Write("conv.onnx", Cli.QdqConvOnnx());

            JsonElement json = Json(Cli.Run("analyze", model, "--samples", "2", "--json"));

            string[] modes = json.GetProperty("modes").EnumerateArray().Select(mode => mode.GetProperty("mode").GetString()!).ToArray();
            CollectionAssert.AreEqual(new[] { "q31", "q15", "pow2", "per-tensor", "exact" }, modes);
            Assert.AreEqual(1014.0, json.GetProperty("modes")[0].GetProperty("macsRunPerInference").GetDouble());
        }

        [TestMethod]
        public void Boards_Json_TheBuiltInBoards()
        {
            JsonElement json = Json(Cli.Run("boards", "--json"));

            JsonElement devkitc = json.GetProperty("boards").EnumerateArray().Single(board => board.GetProperty("id").GetString() == "esp32-devkitc");
            Assert.AreEqual(52224, devkitc.GetProperty("modelBudgetBytes").GetInt32());
            Assert.AreEqual("built-in boards/esp32-devkitc.json", devkitc.GetProperty("source").GetString());
        }

        [TestMethod]
        public void Deploy_Quiet_NoNoticeNoProgressButTheResult()
        {
            string model = Folder.Write("conv.onnx", Cli.QdqConvOnnx());

            CliResult result = Cli.Run("deploy", model, "--quiet");

            Assert.AreEqual((int)ExitCode.Ok, result.ExitCode, result.Error);
            Assert.AreEqual(string.Empty, result.Error);
            StringAssert.Contains(result.Output, "(confirmed by INFO)");
        }

        [TestMethod]
        public void Infer_WithoutQuiet_NoticeOnStderrOnly()
        {
            string model = Folder.Write("conv.onnx", Cli.QdqConvOnnx());
            Cli.Run("deploy", model);

            CliResult result = Cli.Run("infer", "--input", Folder.WriteNpy("x.npy", Cli.QdqConvInput()), "--json");

            StringAssert.StartsWith(result.Error, "no --port given: using the built-in emulated board");
            JsonDocument.Parse(result.Output).Dispose();
        }

        [TestMethod]
        [DataRow("inspect")]
        [DataRow("analyze")]
        [DataRow("quantize")]
        [DataRow("boards")]
        public void Table_Default_FitsEightyColumnsAndWideHasMore(string command)
        {
            string[] args = Arguments(command);

            CliResult narrow = Cli.Run(args);

            Assert.AreEqual((int)ExitCode.Ok, narrow.ExitCode, narrow.Error);
            // The rule under the header is as wide as the widest line of the table.
            Assert.IsLessThanOrEqualTo(80, TableWidth(narrow.Output), narrow.Output);
            if (command != "boards")
            {
                CliResult wide = Cli.Run(args.Append("--wide").ToArray());
                Assert.AreEqual((int)ExitCode.Ok, wide.ExitCode, wide.Error);
                Assert.IsGreaterThan(TableWidth(narrow.Output), TableWidth(wide.Output), wide.Output);
            }
        }

        private string[] Arguments(string command)
        {
            string model = Folder.Write("conv.onnx", Cli.QdqConvOnnx());
            return command switch
            {
                // Packed kernels: the longest operator kind, Conv2DTriple.
                "inspect" => new[] { "inspect", model, "--kernels", "packed" },
                "analyze" => new[] { "analyze", model, "--samples", "2" },
                "quantize" => new[]
                {
                    "quantize", Folder.Write("float.onnx", QuantizeCommandTests.FloatClassifier()),
                    "-c", Folder.WriteNpy("calibration.npy", QuantizeCommandTests.CalibrationData()), "-o", Folder.File("q.onnx"),
                },
                _ => new[] { command },
            };
        }

        private static int TableWidth(string output)
        {
            string rule = output.Split(Environment.NewLine).Single(line => line.Length > 0 && line.All(character => character == '─'));
            return rule.Length;
        }

        private static JsonElement Json(CliResult result)
        {
            Assert.AreEqual((int)ExitCode.Ok, result.ExitCode, result.Error);
            using JsonDocument document = JsonDocument.Parse(result.Output);
            return document.RootElement.Clone();
        }
    }
}
