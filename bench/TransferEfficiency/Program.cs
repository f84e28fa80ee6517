using System.Diagnostics;
using System.Globalization;
using NanoInt8.Host.Boards;
using NanoInt8.Host.Device;
using NanoInt8.Host.Format;
using NanoInt8.Runtime;

namespace NanoInt8.Bench.TransferEfficiency
{
    /// <summary>
    /// Deploys a ~60 KB model to the emulated board over a line throttled to a UART's speed
    /// (<see cref="ThrottledLink"/>: 10 bits per byte, plus a turnaround latency in each direction)
    /// and reports the transfer efficiency: the time the model's bytes alone need on the line,
    /// (model bytes / (baud / 10)), divided by the time the whole deployment took (LOAD, chunks,
    /// COMMIT and the INFO that confirms it; the HELLO before it is not counted).
    /// </summary>
    /// <remarks>
    /// Usage: <c>dotnet run -c Release --project bench/TransferEfficiency -- [--board esp32-wrover]
    /// [--latency-ms 5] [--runs 3] [--baud 921600,115200]</c>. The board gives the emulated budgets;
    /// its file's baud is replaced by each baud measured.
    /// </remarks>
    public static class Program
    {
        private static readonly CultureInfo s_invariant = CultureInfo.InvariantCulture;

        public static int Main(string[] args)
        {
            string boardName = Option(args, "--board") ?? "esp32-wrover";
            double latencyMilliseconds = double.Parse(Option(args, "--latency-ms") ?? "5", s_invariant);
            int runs = int.Parse(Option(args, "--runs") ?? "3", s_invariant);
            int[] bauds = (Option(args, "--baud") ?? "921600,115200").Split(',').Select(value => int.Parse(value, s_invariant)).ToArray();

            BoardDefinition board = BoardCatalog.Locate().Get(boardName);
            byte[] blob = DenseModel(inputs: 256, outputs: 232);
            Console.WriteLine($"model: {blob.Length:N0} bytes (FullyConnected 256 -> 232), board {board.Name}, turnaround latency {latencyMilliseconds.ToString(s_invariant)} ms in each direction, {runs} run(s) per baud");
            Console.WriteLine("| baud | latency per direction | model bytes | line time of the model bytes | deploy time (median) | efficiency | retransmissions |");
            Console.WriteLine("|--:|--:|--:|--:|--:|--:|--:|");
            foreach (int baud in bauds)
            {
                EmulatedBoardProfile profile = EmulatedBoardProfile.FromBoard(board) with
                {
                    Baud = baud,
                    TurnaroundLatency = TimeSpan.FromMilliseconds(latencyMilliseconds),
                };
                double[] seconds = new double[runs];
                int retransmissions = 0;
                for (int run = 0; run < runs; run++)
                {
                    (seconds[run], int retried) = DeployOnce(profile, blob);
                    retransmissions += retried;
                }

                Array.Sort(seconds);
                double median = seconds[runs / 2];
                double lineSeconds = blob.Length / ThrottledLink.BytesPerSecond(baud);
                Console.WriteLine(
                    $"| {baud} | {latencyMilliseconds.ToString(s_invariant)} ms | {blob.Length:N0} | {lineSeconds.ToString("0.000", s_invariant)} s | {median.ToString("0.000", s_invariant)} s | {(100 * lineSeconds / median).ToString("0.0", s_invariant)} % | {retransmissions} |");
            }

            return 0;
        }

        /// <summary>One deployment to a fresh emulated board; returns its duration and retransmissions.</summary>
        private static (double Seconds, int Retransmissions) DeployOnce(EmulatedBoardProfile profile, byte[] blob)
        {
            using EmulatedBoard board = EmulatedBoard.CreateInMemory(profile, new MemoryStore());
            DeviceClient client = new DeviceClient(board.HostLink!, new DeviceClientOptions { Baud = profile.Baud });
            client.Hello();
            Stopwatch watch = Stopwatch.StartNew();
            DeployResult result = client.Deploy(blob);
            watch.Stop();
            if (result.ModelCrc != ModelReader.GetPayloadCrc(blob, 0))
            {
                throw new InvalidOperationException("The board confirmed another model.");
            }

            return (watch.Elapsed.TotalSeconds, result.Retransmissions);
        }

        /// <summary>A FullyConnected layer with random int8 weights: the model is almost all weights.</summary>
        private static byte[] DenseModel(int inputs, int outputs)
        {
            Random random = new Random(7);
            ModelBuilder builder = new ModelBuilder();
            int input = builder.AddArenaTensor("features", new[] { 1, inputs }, 0, 0);
            sbyte[] weights = new sbyte[inputs * outputs];
            for (int index = 0; index < weights.Length; index++)
            {
                weights[index] = (sbyte)random.Next(-127, 128);
            }

            int filter = builder.AddConstantInt8("dense.weight", weights, new[] { outputs, inputs });
            int bias = builder.AddConstantInt32("dense.bias", new int[outputs], new[] { outputs });
            int multiplier = builder.AddConstantInt32("dense.multiplier", Enumerable.Repeat(1 << 30, outputs).ToArray(), new[] { outputs });
            int shift = builder.AddConstantInt32("dense.shift", Enumerable.Repeat(-10, outputs).ToArray(), new[] { outputs });
            int output = builder.AddArenaTensor("scores", new[] { 1, outputs }, 0, inputs);
            builder.AddOperator(OpCode.FullyConnected, new[] { input, filter, bias, multiplier, shift }, new[] { output }, OperatorWords.FullyConnected(-128, 127));
            builder.Inputs.Add(input);
            builder.Outputs.Add(output);
            builder.ArenaBytes = inputs + outputs;
            builder.Metadata.ModelName = "transfer-benchmark";
            return ModelWriter.Write(builder);
        }

        private static string? Option(string[] args, string name)
        {
            int index = Array.IndexOf(args, name);
            return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
        }

        /// <summary>The emulated board's flash, in memory: the benchmark measures the line, not the disk.</summary>
        private sealed class MemoryStore : NanoInt8.Device.IModelStore
        {
            private byte[]? _committed;

            public byte[]? ReadCommitted() => _committed;

            public bool Commit(byte[] blob)
            {
                _committed = blob;
                return true;
            }
        }
    }
}
