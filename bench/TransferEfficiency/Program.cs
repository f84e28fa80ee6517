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
    /// [--latency-ms 5] [--runs 3] [--baud 921600,115200] [--faults 0,1e-3,1e-2]</c>. The board
    /// gives the emulated budgets; its file's baud is replaced by each baud measured. Each fault rate
    /// r is a <see cref="FaultInjectingLink"/> on the host's end that drops, bit-flips and
    /// duplicates bytes each with probability r per byte, in both directions.
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
            double[] faultRates = (Option(args, "--faults") ?? "0").Split(',').Select(value => double.Parse(value, s_invariant)).ToArray();

            BoardDefinition board = BoardCatalog.Locate().Get(boardName);
            byte[] blob = DenseModel(inputs: 256, outputs: 232);
            Console.WriteLine($"model: {blob.Length:N0} bytes (FullyConnected 256 -> 232), board {board.Name}, turnaround latency {latencyMilliseconds.ToString(s_invariant)} ms in each direction, {runs} run(s) per baud");
            Console.WriteLine("| baud | latency per direction | drops, flips, duplicates per byte | model bytes | line time of the model bytes | deploy time (median) | efficiency | slowest run | retransmissions | bytes sent again |");
            Console.WriteLine("|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
            foreach ((int baud, double faultRate) in bauds.SelectMany(baud => faultRates.Select(rate => (baud, rate))))
            {
                EmulatedBoardProfile profile = EmulatedBoardProfile.FromBoard(board) with
                {
                    Baud = baud,
                    TurnaroundLatency = TimeSpan.FromMilliseconds(latencyMilliseconds),
                };
                double[] seconds = new double[runs];
                int retransmissions = 0;
                long resent = 0;
                for (int run = 0; run < runs; run++)
                {
                    LinkFaults faults = new LinkFaults { DropRate = faultRate, BitFlipRate = faultRate, DuplicateRate = faultRate, Seed = 1000 + run };
                    DeployResult result;
                    (seconds[run], result) = DeployOnce(profile, blob, faults);
                    retransmissions += result.Retransmissions;
                    resent += result.BytesResent;
                }

                Array.Sort(seconds);
                double median = seconds[runs / 2];
                double slowest = seconds[runs - 1];
                double lineSeconds = blob.Length / ThrottledLink.BytesPerSecond(baud);
                Console.WriteLine(
                    $"| {baud} | {latencyMilliseconds.ToString(s_invariant)} ms | {faultRate.ToString("G", s_invariant)} | {blob.Length:N0} | {lineSeconds.ToString("0.000", s_invariant)} s | {median.ToString("0.000", s_invariant)} s | {(100 * lineSeconds / median).ToString("0.0", s_invariant)} % | {slowest.ToString("0.000", s_invariant)} s, {(100 * lineSeconds / slowest).ToString("0.0", s_invariant)} % | {retransmissions} | {resent:N0} |");
            }

            return 0;
        }

        /// <summary>One deployment to a fresh emulated board over a line with <paramref name="faults"/>; returns its duration and result.</summary>
        private static (double Seconds, DeployResult Result) DeployOnce(EmulatedBoardProfile profile, byte[] blob, LinkFaults faults)
        {
            using EmulatedBoard board = EmulatedBoard.CreateInMemory(profile, new MemoryStore());
            using FaultInjectingLink line = new FaultInjectingLink(board.HostLink!, faults);
            DeviceClient client = new DeviceClient(line, new DeviceClientOptions { Baud = profile.Baud });
            client.Hello();
            Stopwatch watch = Stopwatch.StartNew();
            DeployResult result = client.Deploy(blob);
            watch.Stop();
            if (result.ModelCrc != ModelReader.GetPayloadCrc(blob, 0))
            {
                throw new InvalidOperationException("The board confirmed another model.");
            }

            return (watch.Elapsed.TotalSeconds, result);
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
