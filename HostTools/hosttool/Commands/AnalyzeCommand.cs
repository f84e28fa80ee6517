using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using NanoInt8.Host.Analysis;
using NanoInt8.Host.Boards;
using NanoInt8.Host.Conversion;
using NanoInt8.Host.Execution;
using NanoInt8.Host.Quantization;
using NanoInt8.Onnx;

namespace NanoInt8.HostTool.Commands
{
    /// <summary>
    /// <c>hosttool analyze MODEL.onnx [--samples N | --input X.npy ...] [--seed S] [--float-model F.onnx]
    /// [--board NAME] [--plot OUT.png]</c>: converts the model in every requantization mode, runs
    /// each on the host (<see cref="RequantizationAnalysis"/>) and prints one row per mode and a verdict.
    /// </summary>
    internal static class AnalyzeCommand
    {
        private const int DefaultSamples = 32;
        private static readonly CultureInfo s_invariant = CultureInfo.InvariantCulture;

        public static Command Create(Terminal terminal)
        {
            Argument<string> model = new Argument<string>("model") { Description = "The quantized ONNX model (.onnx), as for convert." };
            Option<int?> samples = CommonOptions.OptionalInteger("--samples", $"Random inputs, uniform over each input's quantized range (default {DefaultSamples}).", "-n");
            Option<string[]> inputs = new Option<string[]>("--input", "-i")
            {
                Description = "Run on these inputs instead: .npy or .csv, one file per model input (by position or NAME=FILE), samples along the first axis.",
            };
            Option<int> seed = CommonOptions.Integer("--seed", 1, "Seed of the random inputs.");
            Option<string?> floatModel = new Option<string?>("--float-model")
            {
                Description = "The float model MODEL was quantized from: the error columns and top-1 are measured against it (default: the QDQ model's float path in ONNX Runtime).",
            };
            Option<string?> board = new Option<string?>("--board") { Description = "Target board: every mode must fit its modelBudgetBytes ('hosttool boards' lists them)." };
            Option<string?> plot = new Option<string?>("--plot") { Description = "Also draw the differences from ONNX Runtime per mode into this PNG file; missing folders are created." };
            Option<bool> wide = CommonOptions.Wide();
            Option<bool> json = CommonOptions.Json();
            Command command = new Command("analyze", "Convert a quantized ONNX model in every requantization mode and compare accuracy, size and device work.")
            {
                model,
                samples,
                inputs,
                seed,
                floatModel,
                board,
                plot,
                wide,
                json,
            };
            command.SetAction((parseResult, cancellationToken) => Task.FromResult(Run(terminal, new Settings(
                parseResult.GetValue(model)!,
                parseResult.GetValue(samples),
                parseResult.GetValue(inputs) ?? Array.Empty<string>(),
                parseResult.GetValue(seed),
                parseResult.GetValue(floatModel),
                parseResult.GetValue(board),
                parseResult.GetValue(plot),
                parseResult.GetValue(wide),
                parseResult.GetValue(json)), cancellationToken)));
            return command;
        }

        private static int Run(Terminal terminal, Settings settings, CancellationToken cancellationToken)
        {
            terminal.UseOnnxRuntime();
            if (settings.Samples is not null && settings.Inputs.Length > 0)
            {
                throw new UsageException("Give either --samples or --input, not both.");
            }

            if (settings.Samples is < 1)
            {
                throw new UsageException("--samples must be at least 1.");
            }

            if (settings.PlotPath is not null && !Path.GetExtension(settings.PlotPath).Equals(".png", StringComparison.OrdinalIgnoreCase))
            {
                throw new UsageException($"--plot writes a PNG file; name it .png, not '{settings.PlotPath}'.");
            }

            // The board first: a bad board name is a usage error, whatever the model.
            BoardDefinition? board = ModelSources.Board(settings.Board);
            byte[] onnx = ModelSources.ReadInputFile(settings.ModelPath, "model");
            byte[]? floatOnnx = settings.FloatModelPath is null ? null : ModelSources.ReadInputFile(settings.FloatModelPath, "float model");
            // Parsed here first so that a malformed file is named in the message.
            ModelSources.LoadOnnx(settings.ModelPath, onnx);
            if (floatOnnx is not null)
            {
                ModelSources.LoadOnnx(settings.FloatModelPath!, floatOnnx);
            }

            RequantizationAnalysis analysis = RequantizationAnalysis.Convert(onnx, new ConversionOptions
            {
                ModelName = Path.GetFileNameWithoutExtension(settings.ModelPath),
                SourceSha256 = SHA256.HashData(onnx),
                BoardName = board?.Name,
                DeviceBudget = board?.ModelBudgetBytes,
                WorkBudget = board?.MaxWorkPerInference,
            });

            string source;
            IReadOnlyList<IReadOnlyList<NpyArray>> cases;
            if (settings.Inputs.Length > 0)
            {
                cases = TensorFiles.ReadSamples(terminal, analysis.Inputs, settings.Inputs);
                source = $"{cases.Count} sample(s) from {string.Join(", ", settings.Inputs)}";
            }
            else
            {
                int count = settings.Samples ?? DefaultSamples;
                cases = analysis.RandomSamples(count, settings.Seed);
                source = $"{count} random sample(s) (seed {settings.Seed}, uniform over each input's int8 range)";
            }

            RequantizationReport report = analysis.Run(cases, floatOnnx, new LineProgress(terminal.Diagnostics), cancellationToken);
            if (settings.PlotPath is not null)
            {
                OutputFiles.Write(settings.PlotPath, temporary => AnalysisPlot.Write(report, temporary));
            }

            if (settings.Json)
            {
                WriteJson(terminal, settings, source, report);
                return (int)ExitCode.Ok;
            }

            Write(terminal, settings, source, analysis.Outputs, report);
            if (settings.PlotPath is not null)
            {
                terminal.Writer.WriteLine($"plot: {settings.PlotPath} (differences from ONNX Runtime's quantized model per mode: {AnalysisPlot.Describe(report)})");
            }

            return (int)ExitCode.Ok;
        }

        private static void WriteJson(Terminal terminal, Settings settings, string source, RequantizationReport report)
        {
            JsonOutput.Write(terminal, new
            {
                model = settings.ModelPath,
                samples = report.Samples,
                sampleSource = source,
                errorReference = report.ErrorReference == ErrorReference.FloatModel ? "float model" : "qdq float path",
                classifierOutput = report.ClassifierOutput,
                plot = settings.PlotPath,
                modes = report.Modes.Select(mode => new
                {
                    mode = mode.Mode.Name(),
                    refused = mode.Failure,
                    identicalShare = mode.Failure is null ? mode.IdenticalShare : (double?)null,
                    largestDifference = mode.Failure is null ? mode.LargestDifference : (int?)null,
                    rmsError = mode.Failure is null ? mode.RmsError : (double?)null,
                    maxError = mode.Failure is null ? mode.MaxError : (double?)null,
                    topOneShare = mode.TopOneAgreements is int agreed && mode.Samples > 0 ? (double)agreed / mode.Samples : (double?)null,
                    parameterBytes = mode.Failure is null ? mode.ParameterBytes : (long?)null,
                    deviceBytes = mode.Failure is null ? mode.DeviceBytes : (int?)null,
                    macsRunPerInference = mode.Failure is null ? mode.MultiplyAccumulatesPerInference : (double?)null,
                    requantizationsPerInference = mode.Failure is null ? mode.RequantizationsPerInference : (double?)null,
                    requantizationOperationsPerInference = mode.Failure is null ? mode.RequantizationOperationsPerInference : (double?)null,
                    requantizationOperationsPerMacPercent = mode.RequantizationOperationsPerMacPercent,
                    verdict = RequantizationVerdict.Describe(report, mode.Mode),
                }),
            });
        }

        private static void Write(Terminal terminal, Settings settings, string source, IReadOnlyList<GraphTensor> analysisOutputs, RequantizationReport report)
        {
            string errorReference = report.ErrorReference == ErrorReference.FloatModel
                ? $"the float model {settings.FloatModelPath} in ONNX Runtime"
                : "the QDQ model's float path in ONNX Runtime (ORT_DISABLE_ALL: dequantize, float op, quantize)";
            string topOneReference = report.ErrorReference == ErrorReference.FloatModel ? "the float model" : "ONNX Runtime's quantized model";
            TextWriter writer = terminal.Writer;
            writer.WriteLine($"analyze: {settings.ModelPath} in every requantization mode, run on the host by the device runtime, {source}");
            writer.WriteLine("identical, largest diff: against ONNX Runtime's quantized model (ORT_ENABLE_EXTENDED: QLinear integer kernels, float32 requantization), in output steps");
            string steps = string.Join(", ", analysisOutputs.Select(output => $"{output.Name}: 1 step = {output.Scale.ToString("G4", s_invariant)}"));
            writer.WriteLine($"RMS, max error: dequantized output against {errorReference}, in output steps ({steps})");
            writer.WriteLine(report.ClassifierOutput is null
                ? "top-1: - (no output has a class dimension)"
                : $"top-1: argmax of '{report.ClassifierOutput}' against {topOneReference}");
            writer.WriteLine("device bytes: what the device allocates for the model; ops / MAC: requantization integer operations per multiply-accumulate run");
            if (settings.Wide)
            {
                writer.WriteLine("param bytes: int8 + int32 constants of the .ni8; MACs run, requants, requant ops: per inference, counted by the runtime "
                    + "(MACs run leave out the padding taps the kernels skip, which inspect's MACs count)");
            }

            string[] headers = { "mode", "identical", "largest diff", "RMS error", "max error", "top-1", "param bytes", "device bytes", "MACs run", "requants", "requant ops", "ops / MAC" };
            string[] narrow = { "mode", "identical", "largest diff", "RMS error", "top-1", "device bytes", "ops / MAC" };
            TextTable table = new TextTable(settings.Wide ? headers : narrow, rightAligned: headers.Skip(1));
            foreach (ModeAnalysis mode in report.Modes)
            {
                if (mode.Failure is not null)
                {
                    table.AddRow(new Dictionary<string, string> { ["mode"] = mode.Mode.Name(), ["identical"] = "refused" });
                    continue;
                }

                table.AddRow(new Dictionary<string, string>
                {
                    ["mode"] = mode.Mode.Name(),
                    ["identical"] = $"{(100 * mode.IdenticalShare).ToString("0.0", s_invariant)} %",
                    ["largest diff"] = mode.LargestDifference.ToString(s_invariant),
                    ["RMS error"] = mode.RmsError.ToString("0.000", s_invariant),
                    ["max error"] = mode.MaxError.ToString("0.000", s_invariant),
                    ["top-1"] = mode.TopOneAgreements is int agreed ? $"{(100.0 * agreed / mode.Samples).ToString("0.0", s_invariant)} %" : "-",
                    ["param bytes"] = DeviceView.Count(mode.ParameterBytes),
                    ["device bytes"] = DeviceView.Count(mode.DeviceBytes),
                    ["MACs run"] = Count(mode.MultiplyAccumulatesPerInference),
                    ["requants"] = Count(mode.RequantizationsPerInference),
                    ["requant ops"] = Count(mode.RequantizationOperationsPerInference),
                    ["ops / MAC"] = mode.RequantizationOperationsPerMacPercent is double percent ? $"{percent.ToString("0.0", s_invariant)} %" : "-",
                });
            }

            table.Write(terminal);
            if (!settings.Wide)
            {
                writer.WriteLine("(--wide adds the max error, parameter bytes, MACs run, requantizations and their operations per inference)");
            }

            writer.WriteLine("verdict (floating point: never; what requantization needs of the hardware, and accuracy; the MACs need an 8x8->32-bit multiply-accumulate in every mode):");
            foreach (ModeAnalysis mode in report.Modes)
            {
                writer.WriteLine($"  {RequantizationVerdict.Describe(report, mode.Mode)}");
            }
        }

        /// <summary>A whole number as it is, a mean that is not whole with one decimal.</summary>
        private static string Count(double value) =>
            value == Math.Floor(value) ? DeviceView.Count((long)value) : value.ToString("N1", s_invariant);

        private sealed record Settings(string ModelPath, int? Samples, string[] Inputs, int Seed, string? FloatModelPath, string? Board, string? PlotPath, bool Wide, bool Json);

        /// <summary>Progress on stderr: one line when each stage (the ONNX Runtime references, each mode) is done.</summary>
        private sealed class LineProgress : IProgress<AnalysisProgress>
        {
            private readonly TextWriter _writer;
            private readonly Stopwatch _stopwatch = Stopwatch.StartNew();

            public LineProgress(TextWriter writer)
            {
                _writer = writer;
            }

            public void Report(AnalysisProgress value)
            {
                if (value.SamplesDone != value.SamplesTotal)
                {
                    return;
                }

                string stage = value.Mode is RequantizationMode mode ? $"{mode.Name()} on the host" : "ONNX Runtime references";
                _writer.WriteLine($"analyze: {stage}: {value.SamplesTotal} sample(s) done, {_stopwatch.Elapsed.TotalSeconds.ToString("0.0", s_invariant)} s");
                _stopwatch.Restart();
            }
        }
    }
}
