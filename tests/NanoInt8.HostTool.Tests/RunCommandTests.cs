using NanoInt8.Host.Format;
using NanoInt8.Onnx;

namespace NanoInt8.HostTool.Tests
{
    /// <summary>hosttool run on hand-built .ni8 models.</summary>
    [TestClass]
    public sealed class RunCommandTests
    {
        [TestMethod]
        public void Run_Ni8WithNpyInput_WritesExpectedNpyOutput()
        {
            using TempFolder folder = new TempFolder();
            string model = folder.Write("requantize.ni8", ModelWriter.Write(Cli.FloatRequantizeModel()));
            string input = folder.WriteNpy("x.npy", new NpyArray(new[] { 1.0f, -2.25f, 1.25f, 100f }, 1, 4));
            string output = folder.File("y.npy");

            CliResult result = Cli.Run("run", model, "--input", input, "--output", output);

            Assert.AreEqual((int)ExitCode.Ok, result.ExitCode, result.Error);
            NpyArray written = NpyFile.Read(output);
            // q = round_half_even(x / 0.5) + 1 → 3, -3 (-4.5 → -4), 3 (2.5 → 2), 127 (saturated);
            // out = -3 + 2·(q - 1) → 1, -11, 1, 127 (249 saturated); y = (out + 3) · 0.25.
            CollectionAssert.AreEqual(new[] { 1.0f, -2.0f, 1.0f, 32.5f }, written.AsFloats());
            CollectionAssert.AreEqual(new[] { 1, 4 }, written.Shape);
            StringAssert.Contains(result.Output, "y: float32[1, 4]");
        }

        [TestMethod]
        public void Run_InputByName_SameAsByPosition()
        {
            using TempFolder folder = new TempFolder();
            string model = folder.Write("requantize.ni8", ModelWriter.Write(Cli.FloatRequantizeModel()));
            string input = folder.WriteNpy("x.npy", new NpyArray(new[] { 0.5f, 1f, -1f, 2f }, 1, 4));

            CliResult byName = Cli.Run("run", model, "--input", $"x={input}");
            CliResult byPosition = Cli.Run("run", model, "--input", input);

            Assert.AreEqual((int)ExitCode.Ok, byName.ExitCode, byName.Error);
            Assert.AreEqual(byPosition.Output, byName.Output);
        }

        [TestMethod]
        public void Run_NoOutputOption_PrintsShapeAndValues()
        {
            using TempFolder folder = new TempFolder();
            string model = folder.Write("requantize.ni8", ModelWriter.Write(Cli.FloatRequantizeModel()));
            string input = folder.WriteNpy("x.npy", new NpyArray(new[] { 0.5f, 1f, -1f, 2f }, 1, 4));

            CliResult result = Cli.Run("run", model, "--input", input);

            Assert.AreEqual((int)ExitCode.Ok, result.ExitCode, result.Error);
            Assert.AreEqual("y: float32[1, 4]: 0.5, 1, -1, 2" + Environment.NewLine, result.Output);
        }

        [TestMethod]
        public void Run_TwoOutputs_FolderWithOneFilePerOutput()
        {
            using TempFolder folder = new TempFolder();
            string model = folder.Write("two.ni8", ModelWriter.Write(Cli.TwoOutputModel()));
            string input = folder.WriteNpy("a.npy", new NpyArray(new sbyte[] { 1, -2, 100 }, 3));
            string outputs = folder.File("out");

            CliResult result = Cli.Run("run", model, "-i", input, "-o", outputs);

            Assert.AreEqual((int)ExitCode.Ok, result.ExitCode, result.Error);
            CollectionAssert.AreEqual(new sbyte[] { 1, -2, 100 }, NpyFile.Read(Path.Combine(outputs, "same.npy")).AsInt8());
            CollectionAssert.AreEqual(new sbyte[] { 2, -4, 127 }, NpyFile.Read(Path.Combine(outputs, "double.npy")).AsInt8());
        }

        [TestMethod]
        public void Run_WrongShape_UsageErrorNamingInput()
        {
            using TempFolder folder = new TempFolder();
            string model = folder.Write("requantize.ni8", ModelWriter.Write(Cli.FloatRequantizeModel()));
            string input = folder.WriteNpy("x.npy", new NpyArray(new float[4], 2, 2));

            CliResult result = Cli.Run("run", model, "--input", input);

            Assert.AreEqual((int)ExitCode.UsageError, result.ExitCode);
            CollectionAssert.AreEqual(new[] { "error: Input 'x' must have shape [1, 4] (or N samples of it), not [2, 2]." }, result.ErrorLines);
        }

        [TestMethod]
        public void Run_WrongElementType_UsageError()
        {
            using TempFolder folder = new TempFolder();
            string model = folder.Write("requantize.ni8", ModelWriter.Write(Cli.FloatRequantizeModel()));
            string input = folder.WriteNpy("x.npy", new NpyArray(new byte[4], 1, 4));

            CliResult result = Cli.Run("run", model, "--input", input);

            Assert.AreEqual((int)ExitCode.UsageError, result.ExitCode);
            StringAssert.Contains(result.Error, "must be float32");
        }

        [TestMethod]
        public void Run_TooManyInputs_UsageError()
        {
            using TempFolder folder = new TempFolder();
            string model = folder.Write("requantize.ni8", ModelWriter.Write(Cli.FloatRequantizeModel()));
            string input = folder.WriteNpy("x.npy", new NpyArray(new float[4], 1, 4));

            CliResult result = Cli.Run("run", model, "--input", input, "--input", input);

            Assert.AreEqual((int)ExitCode.UsageError, result.ExitCode);
            StringAssert.Contains(result.Error, "2 inputs given but the model has 1 (x)");
        }

        [TestMethod]
        public void Run_MalformedNpy_InvalidModelCode()
        {
            using TempFolder folder = new TempFolder();
            string model = folder.Write("requantize.ni8", ModelWriter.Write(Cli.FloatRequantizeModel()));
            string input = folder.Write("x.npy", new byte[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 });

            CliResult result = Cli.Run("run", model, "--input", input);

            Assert.AreEqual((int)ExitCode.InvalidModel, result.ExitCode);
            StringAssert.Contains(result.Error, "x.npy");
            Assert.HasCount(1, result.ErrorLines);
        }
    }
}
