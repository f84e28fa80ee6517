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
using Spectre.Console;
using Spectre.Console.Rendering;

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
            Option<int?> samples = new Option<int?>("--samples", "-n")
            {
                Description = $"Random inputs, uniform over each input's quantized range (default {DefaultSamples}).",
            };
            Option<string[]> inputs = new Option<string[]>("--input", "-i")
            {
                Description = "Run on these inputs instead: .npy or .csv, one file per model input (by position or NAME=FILE), samples along the first axis.",
            };
            Option<int> seed = new Option<int>("--seed")
            {
                Description = "Seed of the random inputs.",
                DefaultValueFactory = _ => 1,
            };
            Option<string?> floatModel = new Option<string?>("--float-model")
            {
                Description = "The float model MODEL was quantized from: the error columns and top-1 are measured against it (default: the QDQ model's float path in ONNX Runtime).",
            };
            Option<string?> board = new Option<string?>("--board") { Description = "Target board: every mode must fit boards/NAME.json's modelBudgetBytes." };
            Option<string?> plot = new Option<string?>("--plot") { Description = "Also draw the differences from ONNX Runtime per mode into this PNG file." };
            Command command = new Command("analyze", "Convert a quantized ONNX model in every requantization mode and compare accuracy, size and device work.")
            {
                model,
                samples,
                inputs,
                seed,
                floatModel,
                board,
                plot,
            };
            command.SetAction((parseResult, cancellationToken) => Task.FromResult(Run(terminal, parseResult.InvocationConfiguration.Error, new Settings(
                parseResult.GetValue(model)!,
                parseResult.GetValue(samples),
                parseResult.GetValue(inputs) ?? Array.Empty<string>(),
                parseResult.GetValue(seed),
                parseResult.GetValue(floatModel),
                parseResult.GetValue(board),
                parseResult.GetValue(plot)), cancellationToken)));
            return command;
        }

        private static int Run(Terminal terminal, TextWriter progressWriter, Settings settings, CancellationToken cancellationToken)
        {
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
            BoardDefinition? board = settings.Board is null ? null : BoardCatalog.Locate().Get(settings.Board);
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
            });

            string source;
            IReadOnlyList<IReadOnlyList<NpyArray>> cases;
            if (settings.Inputs.Length > 0)
            {
                cases = TensorFiles.ReadSamples(analysis.Inputs, settings.Inputs);
                source = $"{cases.Count} sample(s) from {string.Join(", ", settings.Inputs)}";
            }
            else
            {
                int count = settings.Samples ?? DefaultSamples;
                cases = analysis.RandomSamples(count, settings.Seed);
                source = $"{count} random sample(s) (seed {settings.Seed}, uniform over each input's int8 range)";
            }

            RequantizationReport report = analysis.Run(cases, floatOnnx, new LineProgress(progressWriter), cancellationToken);
            Write(terminal, settings, source, analysis.Outputs, report);
            if (settings.PlotPath is not null)
            {
                AnalysisPlot.Write(report, settings.PlotPath);
                terminal.Writer.WriteLine($"plot: {settings.PlotPath} (differences from ONNX Runtime's quantized model per mode: {AnalysisPlot.Describe(report)})");
            }

            return (int)ExitCode.Ok;
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
            writer.WriteLine("param bytes: int8 + int32 constants of the .ni8; MACs, requants, requant ops: per inference, counted by the runtime");

            Table table = new Table();
            string[] headers = { "mode", "identical", "largest diff", "RMS error", "max error", "top-1", "param bytes", "deviceBytes", "MACs", "requants", "requant ops", "ops / MAC" };
            foreach (string header in headers)
            {
                TableColumn column = new TableColumn(header);
                if (header != "mode")
                {
                    column.RightAligned();
                }

                table.AddColumn(column);
            }

            foreach (ModeAnalysis mode in report.Modes)
            {
                string[] cells = mode.Failure is not null
                    ? new[] { mode.Mode.Name(), "refused" }.Concat(Enumerable.Repeat("-", headers.Length - 2)).ToArray()
                    : new[]
                    {
                        mode.Mode.Name(),
                        $"{(100 * mode.IdenticalShare).ToString("0.0", s_invariant)} %",
                        mode.LargestDifference.ToString(s_invariant),
                        mode.RmsError.ToString("0.000", s_invariant),
                        mode.MaxError.ToString("0.000", s_invariant),
                        mode.TopOneAgreements is int agreed ? $"{(100.0 * agreed / mode.Samples).ToString("0.0", s_invariant)} %" : "-",
                        DeviceView.Count(mode.ParameterBytes),
                        DeviceView.Count(mode.DeviceBytes),
                        Count(mode.MultiplyAccumulatesPerInference),
                        Count(mode.RequantizationsPerInference),
                        Count(mode.RequantizationOperationsPerInference),
                        mode.RequantizationOperationsPerMacPercent is double percent ? $"{percent.ToString("0.0", s_invariant)} %" : "-",
                    };
                table.AddRow(cells.Select(cell => (IRenderable)new Text(cell)).ToArray());
            }

            terminal.Console.Write(table);
            writer.WriteLine("verdict (floating point: never; what requantization needs of the hardware, and accuracy; the MACs need an 8x8->32-bit multiply-accumulate in every mode):");
            foreach (ModeAnalysis mode in report.Modes)
            {
                writer.WriteLine($"  {RequantizationVerdict.Describe(report, mode.Mode)}");
            }
        }

        /// <summary>A whole number as it is, a mean that is not whole with one decimal.</summary>
        private static string Count(double value) =>
            value == Math.Floor(value) ? DeviceView.Count((long)value) : value.ToString("N1", s_invariant);

        private sealed record Settings(string ModelPath, int? Samples, string[] Inputs, int Seed, string? FloatModelPath, string? Board, string? PlotPath);

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
