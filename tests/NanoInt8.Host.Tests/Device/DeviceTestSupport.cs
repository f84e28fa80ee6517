using NanoInt8.Device;
using NanoInt8.Host.Device;
using NanoInt8.Host.Format;
using NanoInt8.Runtime;

namespace NanoInt8.Host.Tests.Device
{
    /// <summary>Models whose outputs the tests know without running anything but the host interpreter.</summary>
    internal static class DeviceTestModels
    {
        /// <summary>int8 input [elements] → Requantize ×1 with output zero point = offset: output = clamp(input + offset).</summary>
        public static byte[] AddOffset(int elements, int offset)
        {
            ModelBuilder builder = new ModelBuilder();
            int input = builder.AddArenaTensor("input", new[] { elements }, 0, 0);
            int output = builder.AddArenaTensor("output", new[] { elements }, offset, elements);
            // MBQM(x, 2^30, 1) = x.
            builder.AddOperator(OpCode.Requantize, new[] { input }, new[] { output }, OperatorWords.Requantize((1 << 30, 1), -128, 127));
            builder.Inputs.Add(input);
            builder.Outputs.Add(output);
            builder.ArenaBytes = 2 * elements;
            builder.Metadata.ModelName = $"offset{offset}";
            return ModelWriter.Write(builder);
        }

        /// <summary>
        /// <paramref name="operators"/> Requantize ×1 in a chain over two alternating buffers of
        /// <paramref name="elements"/>: an inference long enough to be interrupted.
        /// </summary>
        public static byte[] RequantizeChain(int operators, int elements)
        {
            ModelBuilder builder = new ModelBuilder();
            int tensor = builder.AddArenaTensor("input", new[] { elements }, 0, 0);
            builder.Inputs.Add(tensor);
            for (int step = 0; step < operators; step++)
            {
                int next = builder.AddArenaTensor($"t{step}", new[] { elements }, 0, (step % 2) == 0 ? elements : 0);
                builder.AddOperator(OpCode.Requantize, new[] { tensor }, new[] { next }, OperatorWords.Requantize((1 << 30, 1), -128, 127));
                tensor = next;
            }

            builder.Outputs.Add(tensor);
            builder.ArenaBytes = 2 * elements;
            builder.Metadata.ModelName = "chain";
            return ModelWriter.Write(builder);
        }

        public static sbyte[] ExpectedAddOffset(sbyte[] input, int offset) =>
            input.Select(value => (sbyte)Math.Clamp(value + offset, -128, 127)).ToArray();

        /// <summary>
        /// A FullyConnected layer [1, 128] → [1, 160] with 20,480 int8 weights: a model of about
        /// 21 KB, big enough for a transfer of ~40 chunks. The seed varies the weights.
        /// </summary>
        public static byte[] Dense(int seed)
        {
            const int Inputs = 128;
            const int Outputs = 160;
            Random random = new Random(seed);
            ModelBuilder builder = new ModelBuilder();
            int input = builder.AddArenaTensor("features", new[] { 1, Inputs }, 0, 0);
            sbyte[] weights = new sbyte[Outputs * Inputs];
            for (int index = 0; index < weights.Length; index++)
            {
                weights[index] = (sbyte)random.Next(-127, 128);
            }

            int filter = builder.AddConstantInt8("dense.weight", weights, new[] { Outputs, Inputs });
            int bias = builder.AddConstantInt32("dense.bias", Enumerable.Range(0, Outputs).Select(o => o * 10 - 800).ToArray(), new[] { Outputs });
            int multiplier = builder.AddConstantInt32("dense.multiplier", Enumerable.Repeat(1 << 30, Outputs).ToArray(), new[] { Outputs });
            int shift = builder.AddConstantInt32("dense.shift", Enumerable.Repeat(-9, Outputs).ToArray(), new[] { Outputs });
            int output = builder.AddArenaTensor("scores", new[] { 1, Outputs }, 0, Inputs);
            builder.AddOperator(OpCode.FullyConnected, new[] { input, filter, bias, multiplier, shift }, new[] { output }, OperatorWords.FullyConnected(-128, 127));
            builder.Inputs.Add(input);
            builder.Outputs.Add(output);
            builder.ArenaBytes = Inputs + Outputs;
            builder.Metadata.ModelName = $"dense{seed}";
            return ModelWriter.Write(builder);
        }

        /// <summary>What the device's interpreter computes for <paramref name="blob"/> on <paramref name="input"/>.</summary>
        public static sbyte[] RunOnHost(byte[] blob, sbyte[] input)
        {
            Assert.AreEqual(ModelError.None, ModelReader.TryRead(blob, int.MaxValue, out Model? model));
            Interpreter interpreter = new Interpreter(model!);
            interpreter.SetInput(0, input, 0);
            interpreter.Invoke();
            sbyte[] output = new sbyte[interpreter.GetOutputInfo(0).ElementCount];
            interpreter.GetOutput(0, output, 0);
            return output;
        }

        public static sbyte[] RandomInput(int count, int seed)
        {
            Random random = new Random(seed);
            return Enumerable.Range(0, count).Select(_ => (sbyte)random.Next(-128, 128)).ToArray();
        }

        public static uint Crc(byte[] blob) => ModelReader.GetPayloadCrc(blob, 0);
    }

    /// <summary>The emulated board's flash, in memory.</summary>
    internal sealed class MemoryModelStore : IModelStore
    {
        public byte[]? Committed { get; private set; }

        public int Commits { get; private set; }

        public byte[]? ReadCommitted() => Committed?.ToArray();

        public bool Commit(byte[] blob)
        {
            Committed = blob.ToArray();
            Commits++;
            return true;
        }
    }

    /// <summary>An emulated board on an in-memory line, unthrottled, with a client at the host's end (optionally through a fault-injecting link).</summary>
    internal sealed class TestBoard : IDisposable
    {
        public const int DefaultBudget = 256 * 1024;

        public TestBoard(IModelStore? store = null, int modelBudget = DefaultBudget, LinkFaults? faults = null, DeviceClientOptions? options = null)
        {
            Store = store ?? new MemoryModelStore();
            Board = EmulatedBoard.CreateInMemory(Profile(modelBudget), Store);
            Recorder = new RecordingLink(Board.HostLink!);
            Faults = new FaultInjectingLink(Recorder, faults ?? LinkFaults.None);
            Client = new DeviceClient(Faults, options ?? FastOptions);
        }

        /// <summary>Short timeouts (the line is in memory) and no pause before reconnecting.</summary>
        public static DeviceClientOptions FastOptions { get; } = new DeviceClientOptions
        {
            RequestTimeoutMilliseconds = 250,
            ReconnectDelayMilliseconds = 1,
            Attempts = 4,
        };

        public IModelStore Store { get; }

        public EmulatedBoard Board { get; }

        public RecordingLink Recorder { get; }

        public FaultInjectingLink Faults { get; }

        public DeviceClient Client { get; }

        public static EmulatedBoardProfile Profile(int modelBudget) => new EmulatedBoardProfile
        {
            BoardId = "test-board",
            DisplayName = "Test board (emulated)",
            ModelBudgetBytes = modelBudget,
            TransferBudgetBytes = modelBudget,
        };

        public void Dispose()
        {
            Board.Dispose();
            Faults.Dispose();
        }
    }

    /// <summary>Passes bytes through and decodes the host's frames, to check what was (not) sent.</summary>
    internal sealed class RecordingLink : ISerialLink
    {
        private readonly ISerialLink _inner;
        private readonly FrameDecoder _decoder = new FrameDecoder();
        private readonly List<int> _types = new List<int>();

        public RecordingLink(ISerialLink inner)
        {
            _inner = inner;
        }

        public string Name => _inner.Name;

        public bool CanReopen => false;

        /// <summary>Types of the frames the host sent, in order.</summary>
        public IReadOnlyList<int> SentTypes
        {
            get
            {
                lock (_types)
                {
                    return _types.ToArray();
                }
            }
        }

        public int Read(byte[] buffer, int offset, int count, int timeoutMilliseconds) => _inner.Read(buffer, offset, count, timeoutMilliseconds);

        public void Write(byte[] buffer, int offset, int count)
        {
            lock (_types)
            {
                for (int at = offset; at < offset + count;)
                {
                    at += _decoder.Feed(buffer, at, offset + count - at);
                    if (_decoder.FrameReady)
                    {
                        _types.Add(_decoder.Type);
                    }
                }
            }

            _inner.Write(buffer, offset, count);
        }

        public void Reopen() => throw new NotSupportedException();

        public void Dispose() => _inner.Dispose();
    }
}
