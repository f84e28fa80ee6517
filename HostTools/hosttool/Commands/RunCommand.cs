using System.CommandLine;
using System.Globalization;
using NanoInt8.Host.Execution;
using NanoInt8.Onnx;

namespace NanoInt8.HostTool.Commands
{
    /// <summary><c>hosttool run MODEL.onnx|MODEL.ni8 --input X.npy [--input name=Y.npy ...] [--output OUT.npy] [--requant MODE] [--kernels plain|packed]</c>.</summary>
    internal static class RunCommand
    {
        private const int ValuesShown = 10;

        public static Command Create(Terminal terminal)
        {
            Argument<string> model = new Argument<string>("model") { Description = "An .ni8 model, or a quantized .onnx model to convert in memory." };
            Option<string[]> inputs = new Option<string[]>("--input", "-i")
            {
                Description = "An input .npy file, by position (X.npy) or by graph input name (name=X.npy); repeat for several inputs.",
                Required = true,
            };
            Option<string?> output = new Option<string?>("--output", "-o")
            {
                Description = "Where to write the outputs: the .npy file for a single output, a folder (one NAME.npy per output) for several. Without it the outputs are printed.",
            };
            Option<string?> requant = ModelSources.CreateRequantOption();
            Option<string?> kernels = ModelSources.CreateKernelsOption();
            Command command = new Command("run", "Run a model on the host with the device's integer interpreter.")
            {
                model,
                inputs,
                output,
                requant,
                kernels,
            };
            command.SetAction(parseResult => Run(terminal, parseResult.GetValue(model)!, parseResult.GetValue(inputs) ?? Array.Empty<string>(), parseResult.GetValue(output), parseResult.GetValue(requant), parseResult.GetValue(kernels)));
            return command;
        }

        private static int Run(Terminal terminal, string modelPath, string[] inputSpecs, string? outputPath, string? requantName, string? kernelsName)
        {
            LoadedModel loaded = ModelSources.Load(modelPath, ModelSources.ParseRequant(requantName), ModelSources.ParseKernels(kernelsName));
            HostModelRunner runner = new HostModelRunner(loaded.Blob);
            string[] inputPaths = AssignInputs(runner.Inputs, inputSpecs);
            NpyArray[] arrays = inputPaths.Select(ReadNpy).ToArray();
            IReadOnlyList<NpyArray> results = runner.Run(arrays);
            if (outputPath is null)
            {
                Print(terminal.Writer, runner.Outputs, results);
            }
            else
            {
                Write(terminal.Writer, runner.Outputs, results, outputPath);
            }

            return (int)ExitCode.Ok;
        }

        /// <summary>
        /// The .npy path of each graph input: "name=path" where name is a graph input's name goes to
        /// that input; any other value is a path that fills the next input not named, in graph order.
        /// </summary>
        private static string[] AssignInputs(IReadOnlyList<GraphTensor> graphInputs, string[] specs)
        {
            string?[] paths = new string?[graphInputs.Count];
            List<string> positional = new List<string>();
            foreach (string spec in specs)
            {
                int equals = spec.IndexOf('=');
                int named = equals > 0 ? IndexOfInput(graphInputs, spec[..equals]) : -1;
                if (named < 0)
                {
                    positional.Add(spec);
                    continue;
                }

                if (paths[named] is not null)
                {
                    throw new UsageException($"Input '{graphInputs[named].Name}' is given twice.");
                }

                paths[named] = spec[(equals + 1)..];
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
                    throw new UsageException(
                        $"{specs.Length} inputs given but the model has {graphInputs.Count} ({string.Join(", ", graphInputs.Select(input => input.Name))}).");
                }

                paths[next] = path;
            }

            int missing = Array.IndexOf(paths, null);
            if (missing >= 0)
            {
                throw new UsageException(
                    $"No .npy file for input '{graphInputs[missing].Name}' ({graphInputs[missing]}); give one with --input {graphInputs[missing].Name}=FILE.npy.");
            }

            return paths!;
        }

        private static int IndexOfInput(IReadOnlyList<GraphTensor> graphInputs, string name)
        {
            for (int position = 0; position < graphInputs.Count; position++)
            {
                if (graphInputs[position].Name == name)
                {
                    return position;
                }
            }

            return -1;
        }

        private static NpyArray ReadNpy(string path)
        {
            byte[] bytes = ModelSources.ReadInputFile(path, "input");
            try
            {
                return NpyFile.Read(bytes);
            }
            catch (NpyFormatException exception)
            {
                throw new NpyFormatException($"{path}: {exception.Message}");
            }
        }

        private static void Write(TextWriter writer, IReadOnlyList<GraphTensor> graphOutputs, IReadOnlyList<NpyArray> results, string outputPath)
        {
            if (results.Count == 1)
            {
                CreateParent(outputPath);
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

        private static void Print(TextWriter writer, IReadOnlyList<GraphTensor> graphOutputs, IReadOnlyList<NpyArray> results)
        {
            for (int position = 0; position < results.Count; position++)
            {
                NpyArray result = results[position];
                IEnumerable<string> values = result.Data.Cast<object>().Take(ValuesShown).Select(FormatValue);
                string more = result.ElementCount > ValuesShown ? $", ... ({result.ElementCount} values)" : string.Empty;
                writer.WriteLine($"{Describe(graphOutputs[position], result)}: {string.Join(", ", values)}{more}");
            }
        }

        private static string Describe(GraphTensor output, NpyArray result)
        {
            return $"{output.Name}: {GraphTensor.TypeName(output.OriginalType)}{SummaryView.FormatShape(result.Shape)}";
        }

        private static string FormatValue(object value)
        {
            return value is float real ? real.ToString("G6", CultureInfo.InvariantCulture) : Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty;
        }

        private static string FileNameFor(string outputName)
        {
            char[] invalid = Path.GetInvalidFileNameChars();
            string name = new string(outputName.Select(character => invalid.Contains(character) || character is '\\' or ':' ? '_' : character).ToArray());
            return name.Length == 0 || name.Trim('.').Length == 0 ? "output" : name;
        }

        private static void CreateParent(string path)
        {
            string? parent = Path.GetDirectoryName(Path.GetFullPath(path));
            if (parent is not null)
            {
                Directory.CreateDirectory(parent);
            }
        }
    }
}
