using NanoInt8.Host.Format;
using NanoInt8.Onnx;
using NanoInt8.Runtime;

namespace NanoInt8.HostTool.Tests
{
    /// <summary>What one in-process hosttool run printed and returned.</summary>
    internal sealed record CliResult(int ExitCode, string Output, string Error)
    {
        public string[] ErrorLines => Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>Runs hosttool in-process and builds the models and files the CLI tests feed it.</summary>
    internal static class Cli
    {
        /// <summary>Runs hosttool with <paramref name="folder"/> as the current folder (the tests of this assembly run one at a time).</summary>
        public static CliResult RunIn(string folder, params string[] args)
        {
            string previous = Environment.CurrentDirectory;
            Environment.CurrentDirectory = folder;
            try
            {
                return Run(args);
            }
            finally
            {
                Environment.CurrentDirectory = previous;
            }
        }

        public static CliResult Run(params string[] args)
        {
            using StringWriter output = new StringWriter();
            using StringWriter error = new StringWriter();
            int exitCode = Program.RunAsync(args, output, error).GetAwaiter().GetResult();
            return new CliResult(exitCode, output.ToString(), error.ToString());
        }

        /// <summary>
        /// float32 x [1, 4] → Requantize ×2 → float32 y [1, 4]; input scale 0.5, zero point 1; output
        /// scale 0.25, zero point -3. Real output = real input until it saturates.
        /// </summary>
        public static ModelBuilder FloatRequantizeModel()
        {
            ModelBuilder builder = new ModelBuilder();
            int input = builder.AddArenaTensor("x", new[] { 1, 4 }, 1, 0);
            int output = builder.AddArenaTensor("y", new[] { 1, 4 }, -3, 4);
            // MBQM(v, 2^30, 2) = 2v exactly.
            builder.AddOperator(OpCode.Requantize, new[] { input }, new[] { output }, OperatorWords.Requantize((1 << 30, 2), -128, 127));
            builder.Inputs.Add(input);
            builder.Outputs.Add(output);
            builder.ArenaBytes = 8;
            builder.Metadata.ModelName = "requantize";
            builder.Metadata.Quantization.Add(new QuantizationEntry(input, 0.5f, 1, OriginalElementType.Float32));
            builder.Metadata.Quantization.Add(new QuantizationEntry(output, 0.25f, -3, OriginalElementType.Float32));
            builder.Metadata.OperatorNames.Add("requant_node");
            return builder;
        }

        /// <summary>int8 a [3] → two Requantize (×1 into "same", ×2 into "double"), no quantization metadata.</summary>
        public static ModelBuilder TwoOutputModel()
        {
            ModelBuilder builder = new ModelBuilder();
            int input = builder.AddArenaTensor("a", new[] { 3 }, 0, 0);
            int same = builder.AddArenaTensor("same", new[] { 3 }, 0, 4);
            int twice = builder.AddArenaTensor("double", new[] { 3 }, 0, 8);
            builder.AddOperator(OpCode.Requantize, new[] { input }, new[] { same }, OperatorWords.Requantize((1 << 30, 1), -128, 127));
            builder.AddOperator(OpCode.Requantize, new[] { input }, new[] { twice }, OperatorWords.Requantize((1 << 30, 2), -128, 127));
            builder.Inputs.Add(input);
            builder.Outputs.Add(same);
            builder.Outputs.Add(twice);
            builder.ArenaBytes = 12;
            return builder;
        }

        /// <summary>Conv2D [1, 2, 4, 4] → [1, 3, 2, 2] (3x3, no padding) then MaxPool 2x2 → [1, 3, 1, 1].</summary>
        public static ModelBuilder ConvPoolModel()
        {
            ModelBuilder builder = new ModelBuilder();
            int input = builder.AddArenaTensor("image", new[] { 1, 2, 4, 4 }, 0, 0);
            int filter = builder.AddConstantInt8("conv.weight", Enumerable.Range(0, 54).Select(i => (sbyte)((i % 7) - 3)).ToArray(), new[] { 3, 2, 3, 3 });
            int bias = builder.AddConstantInt32("conv.bias", new[] { 1, 2, 3 }, new[] { 3 });
            int multiplier = builder.AddConstantInt32("conv.multiplier", new[] { 1 << 30, 1 << 30, 1 << 30 }, new[] { 3 });
            int shift = builder.AddConstantInt32("conv.shift", new[] { -1, -2, -3 }, new[] { 3 });
            int convOut = builder.AddArenaTensor("conv.out", new[] { 1, 3, 2, 2 }, 0, 32);
            int pooled = builder.AddArenaTensor("pool.out", new[] { 1, 3, 1, 1 }, 0, 0);
            builder.AddOperator(OpCode.Conv2D, new[] { input, filter, bias, multiplier, shift }, new[] { convOut },
                OperatorWords.Conv2D(new OperatorWindow(1, 1, 1, 1, 0, 0, 0, 0), 1, -128, 127));
            builder.AddOperator(OpCode.MaxPool, new[] { convOut }, new[] { pooled },
                OperatorWords.MaxPool(2, 2, new OperatorWindow(2, 2, 1, 1, 0, 0, 0, 0), -128, 127));
            builder.Inputs.Add(input);
            builder.Outputs.Add(pooled);
            builder.ArenaBytes = 44;
            builder.Metadata.ModelName = "convpool";
            builder.Metadata.OperatorNames.Add("conv1");
            builder.Metadata.OperatorNames.Add("pool1");
            return builder;
        }

        /// <summary>The shared QDQ Conv model (tests/TestModels.Shared).</summary>
        public static byte[] QdqConvOnnx() => NanoInt8.Tests.Shared.QdqConvModel.Onnx();

        /// <summary>Deterministic float input for <see cref="QdqConvOnnx"/>, within the input's range.</summary>
        public static NpyArray QdqConvInput() => NanoInt8.Tests.Shared.QdqConvModel.Input();
    }

    /// <summary>
    /// Base of the test classes that use the built-in emulated board: each test gets a temporary
    /// folder, which is also NANOINT8_EMULATOR_HOME, so separate invocations share the deployed
    /// model as with a real board and no test sees another's. (MSTest runs this assembly's tests one at a time.)
    /// </summary>
    public abstract class EmulatorTestBase
    {
        private string? _previousHome;

        /// <summary>The test's temporary folder; the emulator's flash is in its "emulator" subfolder.</summary>
        internal TempFolder Folder { get; private set; } = null!;

        [TestInitialize]
        public void UseTemporaryEmulatorHome()
        {
            Folder = new TempFolder();
            _previousHome = Environment.GetEnvironmentVariable(NanoInt8.Host.Device.EmulatedBoard.HomeVariable);
            Environment.SetEnvironmentVariable(NanoInt8.Host.Device.EmulatedBoard.HomeVariable, Folder.File("emulator"));
        }

        [TestCleanup]
        public void RestoreEmulatorHome()
        {
            Environment.SetEnvironmentVariable(NanoInt8.Host.Device.EmulatedBoard.HomeVariable, _previousHome);
            Folder.Dispose();
        }
    }

    /// <summary>A temporary folder for one test, deleted afterwards.</summary>
    internal sealed class TempFolder : IDisposable
    {
        public TempFolder()
        {
            Path = Directory.CreateTempSubdirectory("hosttool-tests-").FullName;
        }

        public string Path { get; }

        public string File(string name) => System.IO.Path.Combine(Path, name);

        public string Write(string name, byte[] bytes)
        {
            string path = File(name);
            System.IO.File.WriteAllBytes(path, bytes);
            return path;
        }

        public string WriteNpy(string name, NpyArray array) => Write(name, NpyFile.ToBytes(array));

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
