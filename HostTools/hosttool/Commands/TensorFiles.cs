using System.Globalization;
using NanoInt8.Host.Device;
using NanoInt8.Host.Execution;
using NanoInt8.Onnx;

namespace NanoInt8.HostTool.Commands
{
    /// <summary>
    /// Input files of the commands that run a model (.npy or .csv, by position or as name=path, one
    /// or more samples each) and their outputs (.npy files, printed values with the top classes of a
    /// labelled output, or JSON), with the conventions of <c>hosttool run</c>.
    /// </summary>
    internal static class TensorFiles
    {
        private const int ValuesShown = 10;
        private const int SamplesShown = 10;
        private const int TopClasses = 3;

        /// <summary>
        /// The samples for the model's inputs: per sample, one array per graph input in graph order.
        /// Each spec is "path" (the next input not named) or "name=path". Float values that the
        /// input's quantization clips are reported as a warning.
        /// </summary>
        public static IReadOnlyList<IReadOnlyList<NpyArray>> ReadSamples(Terminal terminal, IReadOnlyList<GraphTensor> graphInputs, IReadOnlyList<string> specs)
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
                GraphTensor input = graphInputs[position];
                string path = paths[position]!;
                perInput[position] = TensorSamples.Read(input, path, ModelSources.ReadInputFile(path, "input"));
                (long clipped, float farthest) = TensorSamples.CountClipped(input, perInput[position]);
                if (clipped > 0)
                {
                    (float low, float high) = input.RealRange;
                    long total = (long)input.ElementCount * perInput[position].Count;
                    terminal.Warn(string.Create(CultureInfo.InvariantCulture,
                        $"{clipped} of {total} values in {path} lie outside input '{input.Name}''s quantized range [{low:G4}, {high:G4}] (farthest {farthest:G4}) and were clipped to it."));
                }
            }

            int count = perInput[0].Count;
            if (perInput.Any(samples => samples.Count != count))
            {
                throw new UsageException($"The input files hold different numbers of samples ({string.Join(", ", perInput.Select(samples => samples.Count))}).");
            }

            return Enumerable.Range(0, count).Select(sample => (IReadOnlyList<NpyArray>)perInput.Select(samples => samples[sample]).ToArray()).ToArray();
        }

        /// <summary>
        /// Runs <paramref name="run"/> on every sample and stacks each output over the samples
        /// (<see cref="TensorSamples.Stack"/>); stops between samples when cancelled.
        /// </summary>
        public static NpyArray[] RunAll(IReadOnlyList<GraphTensor> graphOutputs, IReadOnlyList<IReadOnlyList<NpyArray>> samples,
            Func<IReadOnlyList<NpyArray>, IReadOnlyList<NpyArray>> run, CancellationToken cancellationToken)
        {
            List<NpyArray>[] outputs = graphOutputs.Select(_ => new List<NpyArray>()).ToArray();
            foreach (IReadOnlyList<NpyArray> sample in samples)
            {
                cancellationToken.ThrowIfCancellationRequested();
                IReadOnlyList<NpyArray> results = run(sample);
                for (int position = 0; position < results.Count; position++)
                {
                    outputs[position].Add(results[position]);
                }
            }

            return outputs.Select((list, position) => TensorSamples.Stack(graphOutputs[position], list)).ToArray();
        }

        /// <summary>
        /// Writes the outputs when <paramref name="outputPath"/> is given: the .npy file for one
        /// output, a folder of NAME.npy files for several. Returns the files written, one per output,
        /// or none without a path.
        /// </summary>
        public static IReadOnlyList<string> WriteFiles(IReadOnlyList<GraphTensor> graphOutputs, IReadOnlyList<NpyArray> results, string? outputPath)
        {
            if (outputPath is null)
            {
                return Array.Empty<string>();
            }

            if (results.Count == 1)
            {
                OutputFiles.Write(outputPath, NpyFile.ToBytes(results[0]));
                return new[] { outputPath };
            }

            OutputFiles.CreateFolder(outputPath);
            string[] paths = graphOutputs.Select(output => Path.Combine(outputPath, FileNameFor(output.Name) + ".npy")).ToArray();
            for (int position = 0; position < results.Count; position++)
            {
                OutputFiles.Write(paths[position], NpyFile.ToBytes(results[position]));
            }

            return paths;
        }

        /// <summary>
        /// Prints each output: where it was written (<paramref name="written"/>, one path per output)
        /// or its shape and first values, and the top classes of each sample of a labelled output.
        /// </summary>
        public static void Print(Terminal terminal, IReadOnlyList<GraphTensor> graphOutputs, IReadOnlyList<NpyArray> results, IReadOnlyList<string> written)
        {
            TextWriter writer = terminal.Writer;
            for (int position = 0; position < results.Count; position++)
            {
                NpyArray result = results[position];
                if (written.Count > 0)
                {
                    writer.WriteLine($"wrote {written[position]} ({Describe(graphOutputs[position], result)})");
                }
                else
                {
                    IEnumerable<string> values = result.Data.Cast<object>().Take(ValuesShown).Select(FormatValue);
                    string more = result.ElementCount > ValuesShown ? $", ... ({result.ElementCount} values)" : string.Empty;
                    writer.WriteLine($"{Describe(graphOutputs[position], result)}: {string.Join(", ", values)}{more}");
                }

                WriteTopClasses(writer, graphOutputs[position], result);
            }
        }

        /// <summary>
        /// The --json form of the outputs: name, type, shape, every value, the file written (or
        /// null), and per sample the top classes of a labelled output (null without labels).
        /// </summary>
        public static IEnumerable<object> Json(IReadOnlyList<GraphTensor> graphOutputs, IReadOnlyList<NpyArray> results, IReadOnlyList<string> written) =>
            results.Select((result, position) => (object)new
            {
                name = graphOutputs[position].Name,
                type = GraphTensor.TypeName(graphOutputs[position].OriginalType),
                shape = result.Shape,
                values = result.Data,
                file = written.Count > 0 ? written[position] : null,
                top = graphOutputs[position].Labels is null
                    ? null
                    : ClassScores.Top(graphOutputs[position], result, TopClasses)
                        .Select(row => row.Select(score => new { index = score.Index, label = score.Label, probability = score.Probability })),
            });

        private static void WriteTopClasses(TextWriter writer, GraphTensor output, NpyArray result)
        {
            IReadOnlyList<IReadOnlyList<ClassScore>> rows = ClassScores.Top(output, result, TopClasses);
            if (rows.Count == 1)
            {
                writer.WriteLine($"  top: {FormatScores(rows[0])}");
                return;
            }

            for (int row = 0; row < Math.Min(rows.Count, SamplesShown); row++)
            {
                writer.WriteLine($"  sample {row.ToString(CultureInfo.InvariantCulture)}: {FormatScores(rows[row])}");
            }

            if (rows.Count > SamplesShown)
            {
                IEnumerable<string> tally = rows.GroupBy(scores => scores[0].Index).OrderBy(group => group.Key)
                    .Select(group => $"{group.First()[0].Label} {group.Count().ToString(CultureInfo.InvariantCulture)}");
                writer.WriteLine($"  ... {rows.Count.ToString(CultureInfo.InvariantCulture)} samples; most likely class: {string.Join(", ", tally)}");
            }
        }

        private static string FormatScores(IEnumerable<ClassScore> scores) =>
            string.Join(", ", scores.Select(score => $"{score.Label} {(100 * score.Probability).ToString("0.0", CultureInfo.InvariantCulture)} %"));

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
