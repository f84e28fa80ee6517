using System.CommandLine;
using System.Globalization;
using NanoInt8.Host.Device;
using NanoInt8.Onnx;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace NanoInt8.HostTool.Commands
{
    /// <summary><c>hosttool verify MODEL.onnx [--port P] [--samples N | --input X.npy ...] [--seed S] [--tolerance T]</c>.</summary>
    internal static class VerifyCommand
    {
        public static Command Create(Terminal terminal)
        {
            Argument<string> model = new Argument<string>("model") { Description = "The quantized .onnx model the device runs (deployed from this file)." };
            DeviceOptions device = new DeviceOptions();
            Option<int?> samples = new Option<int?>("--samples", "-n")
            {
                Description = "Random inputs to compare, uniform over each input's quantized range (default 10).",
            };
            Option<string[]> inputs = new Option<string[]>("--input", "-i")
            {
                Description = "Compare on these inputs instead (.npy or .csv, as for infer).",
            };
            Option<int> seed = new Option<int>("--seed")
            {
                Description = "Seed of the random inputs.",
                DefaultValueFactory = _ => 1,
            };
            Option<int> tolerance = new Option<int>("--tolerance")
            {
                Description = "Largest difference accepted, in quantization steps of an output (ONNX Runtime rounds in float, the device in fixed point).",
                DefaultValueFactory = _ => 1,
            };
            Command command = new Command("verify", "Run the same inputs on the device and in ONNX Runtime and compare the outputs.")
            {
                model,
                samples,
                inputs,
                seed,
                tolerance,
            };
            device.AddTo(command);
            command.SetAction((parseResult, cancellationToken) => Task.FromResult(Run(terminal, device, parseResult, new Settings(
                parseResult.GetValue(model)!, parseResult.GetValue(samples), parseResult.GetValue(inputs) ?? Array.Empty<string>(), parseResult.GetValue(seed), parseResult.GetValue(tolerance)), cancellationToken)));
            return command;
        }

        private static int Run(Terminal terminal, DeviceOptions device, ParseResult parseResult, Settings settings, CancellationToken cancellationToken)
        {
            if (settings.Samples is not null && settings.Inputs.Length > 0)
            {
                throw new UsageException("Give either --samples or --input, not both.");
            }

            if (settings.Samples is < 1 || settings.Tolerance < 0)
            {
                throw new UsageException("--samples must be at least 1 and --tolerance at least 0.");
            }

            byte[] onnx = ModelSources.ReadInputFile(settings.ModelPath, "model");
            using DeviceSession session = device.Open(parseResult, terminal, cancellationToken);
            DeviceModel model = session.ReadRunningModel(cancellationToken);
            DeviceVerification.CheckSource(model, onnx, settings.ModelPath);
            IReadOnlyList<IReadOnlyList<NpyArray>> cases = settings.Inputs.Length > 0
                ? TensorFiles.ReadSamples(model.Inputs, settings.Inputs)
                : RandomSamples(model, settings.Samples ?? 10, settings.Seed);
            VerificationReport report = DeviceVerification.Verify(session.Client, model, onnx, cases, progress: null, cancellationToken);

            Table table = new Table();
            foreach (string header in new[] { "output", "values", "identical", "largest difference", "top-1 agreement" })
            {
                TableColumn column = new TableColumn(header);
                if (header != "output")
                {
                    column.RightAligned();
                }

                table.AddColumn(column);
            }

            foreach (OutputAgreement output in report.Outputs)
            {
                table.AddRow(new IRenderable[]
                {
                    new Text(output.Name),
                    new Text(DeviceView.Count(output.Elements)),
                    new Text($"{(100 * output.IdenticalShare).ToString("0.0", CultureInfo.InvariantCulture)} %"),
                    new Text($"{output.LargestDifference.ToString(CultureInfo.InvariantCulture)} step(s)"),
                    new Text($"{output.TopOneAgreements.ToString(CultureInfo.InvariantCulture)} / {output.Samples.ToString(CultureInfo.InvariantCulture)}"),
                });
            }

            terminal.Writer.WriteLine($"verify: {report.Samples} sample(s) on {session.Information.BoardName} and in ONNX Runtime");
            terminal.Console.Write(table);
            if (!report.Passed(settings.Tolerance))
            {
                throw new VerificationFailedException(
                    $"The device differs from ONNX Runtime by up to {report.LargestDifference} quantization steps, more than the tolerance of {settings.Tolerance} (--tolerance).");
            }

            terminal.Writer.WriteLine($"agreement: every value within {settings.Tolerance} quantization step(s) of ONNX Runtime");
            return (int)ExitCode.Ok;
        }

        private static IReadOnlyList<IReadOnlyList<NpyArray>> RandomSamples(DeviceModel model, int count, int seed)
        {
            Random random = new Random(seed);
            IReadOnlyList<NpyArray>[] perInput = model.Inputs.Select(input => TensorSamples.Random(input, count, random)).ToArray();
            return Enumerable.Range(0, count).Select(sample => (IReadOnlyList<NpyArray>)perInput.Select(samples => samples[sample]).ToArray()).ToArray();
        }

        private sealed record Settings(string ModelPath, int? Samples, string[] Inputs, int Seed, int Tolerance);
    }
}
