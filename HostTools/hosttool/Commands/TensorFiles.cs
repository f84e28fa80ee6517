using System.Globalization;
using NanoInt8.Host.Device;
using NanoInt8.Host.Execution;
using NanoInt8.Onnx;

namespace NanoInt8.HostTool.Commands
{
    /// <summary>
    /// Input files for the device commands (.npy or .csv, by position or as name=path, one or more
    /// samples each) and their outputs (.npy files, or printed), with the conventions of
    /// <c>hosttool run</c>.
    /// </summary>
    internal static class TensorFiles
    {
        private const int ValuesShown = 10;

        /// <summary>
        /// The samples for the model's inputs: per sample, one array per graph input in graph order.
        /// Each spec is "path" (the next input not named) or "name=path".
        /// </summary>
        public static IReadOnlyList<IReadOnlyList<NpyArray>> ReadSamples(IReadOnlyList<GraphTensor> graphInputs, IReadOnlyList<string> specs)
        {
            string?[] paths = new string?[graphInputs.Count];
            List<string> positional = new List<string>();
            foreach (string spec in specs)
            {
                int equals = spec.IndexOf('=');
                int named = equals > 0 ? IndexOf(graphInputs, spec[..equals]) : -1;
                if (named < 0)
                {
                    positional.Add(spec);
                }
                else if (paths[named] is not null)
                {
                    throw new UsageException($"Input '{graphInputs[named].Name}' is given twice.");
                }
                else
                {
                    paths[named] = spec[(equals + 1)..];
                }
            }

            int next = 0;
            foreach (string path in positional)
            {
                while (next < paths.Length && paths[next] is not null)
                {
                    next++;
                }

                if (next == paths.Length)
                {
                    throw new UsageException($"{specs.Count} inputs given but the model has {graphInputs.Count} ({string.Join(", ", graphInputs.Select(input => input.Name))}).");
                }

                paths[next] = path;
            }

            int missing = Array.IndexOf(paths, null);
            if (missing >= 0)
            {
                throw new UsageException($"No file for input '{graphInputs[missing].Name}' ({graphInputs[missing]}); give one with --input {graphInputs[missing].Name}=FILE.npy (or .csv).");
            }

            IReadOnlyList<NpyArray>[] perInput = new IReadOnlyList<NpyArray>[graphInputs.Count];
            for (int position = 0; position < perInput.Length; position++)
            {
                string path = paths[position]!;
                perInput[position] = TensorSamples.Read(graphInputs[position], path, ModelSources.ReadInputFile(path, "input"));
            }

            int count = perInput[0].Count;
            if (perInput.Any(samples => samples.Count != count))
            {
                throw new UsageException($"The input files hold different numbers of samples ({string.Join(", ", perInput.Select(samples => samples.Count))}).");
            }

            return Enumerable.Range(0, count).Select(sample => (IReadOnlyList<NpyArray>)perInput.Select(samples => samples[sample]).ToArray()).ToArray();
        }

        /// <summary>Writes the outputs (an .npy file for one output, a folder of NAME.npy for several) or prints them.</summary>
        public static void WriteOrPrint(TextWriter writer, IReadOnlyList<GraphTensor> graphOutputs, IReadOnlyList<NpyArray> results, string? outputPath)
        {
            if (outputPath is null)
            {
                for (int position = 0; position < results.Count; position++)
                {
                    NpyArray result = results[position];
                    IEnumerable<string> values = result.Data.Cast<object>().Take(ValuesShown).Select(FormatValue);
                    string more = result.ElementCount > ValuesShown ? $", ... ({result.ElementCount} values)" : string.Empty;
                    writer.WriteLine($"{Describe(graphOutputs[position], result)}: {string.Join(", ", values)}{more}");
                }

                return;
            }

            if (results.Count == 1)
            {
                string? parent = Path.GetDirectoryName(Path.GetFullPath(outputPath));
                if (parent is not null)
                {
                    Directory.CreateDirectory(parent);
                }

                NpyFile.Write(outputPath, results[0]);
                writer.WriteLine($"wrote {outputPath} ({Describe(graphOutputs[0], results[0])})");
                return;
            }

            Directory.CreateDirectory(outputPath);
            for (int position = 0; position < results.Count; position++)
            {
                string path = Path.Combine(outputPath, FileNameFor(graphOutputs[position].Name) + ".npy");
                NpyFile.Write(path, results[position]);
                writer.WriteLine($"wrote {path} ({Describe(graphOutputs[position], results[position])})");
            }
        }

        private static int IndexOf(IReadOnlyList<GraphTensor> tensors, string name)
        {
            for (int position = 0; position < tensors.Count; position++)
            {
                if (tensors[position].Name == name)
                {
                    return position;
                }
            }

            return -1;
        }

        private static string Describe(GraphTensor output, NpyArray result) =>
            $"{output.Name}: {GraphTensor.TypeName(output.OriginalType)}{SummaryView.FormatShape(result.Shape)}";

        private static string FormatValue(object value) =>
            value is float real ? real.ToString("G6", CultureInfo.InvariantCulture) : Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty;

        private static string FileNameFor(string outputName)
        {
            char[] invalid = Path.GetInvalidFileNameChars();
            string name = new string(outputName.Select(character => invalid.Contains(character) || character is '\\' or ':' ? '_' : character).ToArray());
            return name.Length == 0 || name.Trim('.').Length == 0 ? "output" : name;
        }
    }
}
