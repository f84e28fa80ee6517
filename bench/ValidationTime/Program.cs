using System.Diagnostics;
using System.Globalization;
using NanoInt8.Host.Format;
using NanoInt8.Runtime;

namespace NanoInt8.Bench.ValidationTime
{
    /// <summary>
    /// Times <see cref="ModelReader.TryRead(byte[], int, long, out Model)"/> (the device's whole
    /// validation: header, tables, every operator, the memory plan, the work) on the costliest
    /// valid blobs that fit a model budget: the most operators and tensors deviceBytes allows.
    /// Before issue 17 the memory-plan check took time in operators × tensors; now it is an
    /// interval sweep, linear in the blob.
    /// </summary>
    /// <remarks>
    /// Usage: <c>dotnet run -c Release --project bench/ValidationTime -- [--budget 786000] [--runs 15] [--save FOLDER]</c>
    /// (786,000: the largest board's modelBudgetBytes). Prints, per blob, its size, operators,
    /// deviceBytes, and the median and slowest of the runs after one warm-up run; --save writes the
    /// blobs (for bench/ModelProbe.nanoclr, which counts their IL on nanoCLR).
    /// </remarks>
    public static class Program
    {
        private static readonly CultureInfo s_invariant = CultureInfo.InvariantCulture;

        public static int Main(string[] args)
        {
            int budget = int.Parse(Option(args, "--budget") ?? "786000", s_invariant);
            int runs = int.Parse(Option(args, "--runs") ?? "15", s_invariant);
            string? save = Option(args, "--save");
            Console.WriteLine($"budget {budget:N0} deviceBytes, {runs} runs each after a warm-up");
            Console.WriteLine("| blob | operators | tensors | file bytes | deviceBytes | median | slowest | per KB of file |");
            Console.WriteLine("|---|--:|--:|--:|--:|--:|--:|--:|");
            (string Name, string File, byte[] Blob)[] blobs =
            {
                ("in-place Reshape chain on one 16-byte tensor", "reshape-chain.ni8", ReshapeChain(budget)),
                ("Requantize chain over two alternating 16-byte buffers", "requantize-chain.ni8", RequantizeChain(budget)),
            };
            foreach ((string name, string file, byte[] blob) in blobs)
            {
                Measure(name, blob, budget, runs);
                if (save is not null)
                {
                    File.WriteAllBytes(Path.Combine(save, file), blob);
                }
            }
            return 0;
        }

        private static void Measure(string name, byte[] blob, int budget, int runs)
        {
            ModelError error = ModelReader.TryRead(blob, budget, long.MaxValue, out Model model);
            if (error != ModelError.None)
            {
                throw new InvalidOperationException($"{name}: the reader refuses the blob ({error}).");
            }

            double[] milliseconds = new double[runs];
            for (int run = 0; run < runs; run++)
            {
                long start = Stopwatch.GetTimestamp();
                ModelReader.TryRead(blob, budget, long.MaxValue, out _);
                milliseconds[run] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            }

            Array.Sort(milliseconds);
            double median = milliseconds[runs / 2];
            Console.WriteLine(
                $"| {name} | {model.OperatorCount:N0} | {BitConverter.ToUInt32(blob, 24):N0} | {blob.Length:N0} | {ModelReader.GetDeviceBytes(blob, 0):N0} | {median.ToString("0.00", s_invariant)} ms | {milliseconds[^1].ToString("0.00", s_invariant)} ms | {(median / (blob.Length / 1024.0)).ToString("0.000", s_invariant)} ms |");
        }

        // Each in-place Reshape costs 64 deviceBytes (its output tensor and its operator record).
        private static byte[] ReshapeChain(int budget)
        {
            const int Elements = 16;
            int operators = Math.Min(65534, (budget - 200) / (ModelFormat.DeviceBytesPerTensor + ModelFormat.DeviceBytesPerOperator));
            return Chain(operators, Elements, (builder, step, previous) =>
            {
                int next = builder.AddArenaTensor("t" + step.ToString(s_invariant), new[] { Elements }, 0, 0);
                builder.AddOperator(OpCode.Reshape, new[] { previous }, new[] { next }, OperatorWords.Reshape());
                return next;
            }, arenaBytes: Elements, budget);
        }

        // Each Requantize writes the other buffer: every step ends one interval and starts another.
        private static byte[] RequantizeChain(int budget)
        {
            const int Elements = 16;
            int perOperator = ModelFormat.DeviceBytesPerTensor + ModelFormat.DeviceBytesPerOperator + (4 * OperatorWords.Requantize((1 << 30, 0), -128, 127).Length);
            int operators = Math.Min(65534, (budget - 200) / perOperator);
            return Chain(operators, Elements, (builder, step, previous) =>
            {
                int next = builder.AddArenaTensor("t" + step.ToString(s_invariant), new[] { Elements }, 0, (step % 2) == 0 ? Elements : 0);
                builder.AddOperator(OpCode.Requantize, new[] { previous }, new[] { next }, OperatorWords.Requantize((1 << 30, 0), -128, 127));
                return next;
            }, arenaBytes: 2 * Elements, budget);
        }

        private static byte[] Chain(int operators, int elements, Func<ModelBuilder, int, int, int> addStep, int arenaBytes, int budget)
        {
            while (true)
            {
                ModelBuilder builder = new ModelBuilder();
                int tensor = builder.AddArenaTensor("input", new[] { elements }, 0, 0);
                builder.Inputs.Add(tensor);
                for (int step = 0; step < operators; step++)
                {
                    tensor = addStep(builder, step, tensor);
                }

                builder.Outputs.Add(tensor);
                builder.ArenaBytes = arenaBytes;
                byte[] blob = ModelWriter.Write(builder);
                ModelReader.TryRead(blob, int.MaxValue, out Model model);
                long deviceBytes = ModelReader.GetDeviceBytes(blob, 0);
                long records = Interpreter.PreparedBytes(model);
                if (ModelReader.FitsBudget(deviceBytes, records, budget))
                {
                    return blob;
                }

                // The device also charges the interpreter's records beyond their reserve: fewer operators, in proportion.
                long needed = deviceBytes + Math.Max(0, records - ModelReader.PreparedBytesInReserve);
                operators = (int)(operators * (budget / (double)needed)) - 2;
            }
        }

        private static string? Option(string[] args, string name)
        {
            int index = Array.IndexOf(args, name);
            return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
        }
    }
}
