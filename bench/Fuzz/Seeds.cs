using NanoInt8.Host.Format;
using NanoInt8.Runtime;

namespace NanoInt8.Bench.Fuzz
{
    /// <summary>
    /// Valid models the campaigns mutate: the files given with --model, else two built here (a
    /// FullyConnected layer and an element-wise Requantize) and the vibration sample when the
    /// repository is found above the current folder (a CNN: Conv, pooling, Reshape, ...).
    /// </summary>
    internal static class Seeds
    {
        public static IReadOnlyList<byte[]> Load(IReadOnlyList<string> paths)
        {
            List<byte[]> seeds = paths.Select(File.ReadAllBytes).ToList();
            if (seeds.Count == 0)
            {
                seeds.Add(Dense());
                seeds.Add(Requantize());
                if (FindUpwards(Path.Combine("samples", "vibration", "model.ni8")) is string sample)
                {
                    seeds.Add(File.ReadAllBytes(sample));
                }
            }

            foreach (byte[] seed in seeds)
            {
                ModelError error = ModelReader.TryRead(seed, int.MaxValue, out _);
                if (error != ModelError.None)
                {
                    throw new ArgumentException($"A seed model is invalid ({error}): the campaigns mutate valid models.");
                }
            }

            return seeds;
        }

        private static string? FindUpwards(string relative)
        {
            for (DirectoryInfo? folder = new DirectoryInfo(Directory.GetCurrentDirectory()); folder is not null; folder = folder.Parent)
            {
                string candidate = Path.Combine(folder.FullName, relative);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }

            return null;
        }

        private static byte[] Dense()
        {
            const int Inputs = 48;
            const int Outputs = 20;
            Random random = new Random(5);
            ModelBuilder builder = new ModelBuilder();
            int input = builder.AddArenaTensor("features", new[] { 1, Inputs }, 3, 0);
            sbyte[] weights = Enumerable.Range(0, Inputs * Outputs).Select(_ => (sbyte)random.Next(-127, 128)).ToArray();
            int filter = builder.AddConstantInt8("weight", weights, new[] { Outputs, Inputs });
            int bias = builder.AddConstantInt32("bias", Enumerable.Range(0, Outputs).Select(o => (o * 37) - 300).ToArray(), new[] { Outputs });
            int multiplier = builder.AddConstantInt32("multiplier", Enumerable.Repeat(1 << 30, Outputs).ToArray(), new[] { Outputs });
            int shift = builder.AddConstantInt32("shift", Enumerable.Repeat(-8, Outputs).ToArray(), new[] { Outputs });
            int output = builder.AddArenaTensor("scores", new[] { 1, Outputs }, -5, Inputs);
            builder.AddOperator(OpCode.FullyConnected, new[] { input, filter, bias, multiplier, shift }, new[] { output }, OperatorWords.FullyConnected(-128, 127));
            builder.Inputs.Add(input);
            builder.Outputs.Add(output);
            builder.ArenaBytes = Inputs + Outputs;
            builder.Metadata.ModelName = "fuzz-dense";
            return ModelWriter.Write(builder);
        }

        private static byte[] Requantize()
        {
            const int Elements = 64;
            ModelBuilder builder = new ModelBuilder();
            int input = builder.AddArenaTensor("input", new[] { Elements }, 0, 0);
            int output = builder.AddArenaTensor("output", new[] { Elements }, 9, Elements);
            builder.AddOperator(OpCode.Requantize, new[] { input }, new[] { output }, OperatorWords.Requantize((1 << 30, 1), -128, 127));
            builder.Inputs.Add(input);
            builder.Outputs.Add(output);
            builder.ArenaBytes = 2 * Elements;
            builder.Metadata.ModelName = "fuzz-requantize";
            return ModelWriter.Write(builder);
        }
    }
}
