using System.CommandLine;
using System.Globalization;
using NanoInt8.Host.Conversion;
using NanoInt8.Host.Device;
using NanoInt8.Onnx;
using NanoInt8.Runtime;

namespace NanoInt8.HostTool.Commands
{
    /// <summary><c>hosttool verify MODEL.onnx [--port P] [--samples N | --input X.npy ...] [--seed S] [--tolerance T] [--json]</c>.</summary>
    internal static class VerifyCommand
    {
        private const int DefaultSamples = 10;

        public static Command Create(Terminal terminal)
        {
            Argument<string> model = new Argument<string>("model") { Description = "The quantized .onnx model the device runs (deployed from this file)." };
            DeviceOptions device = new DeviceOptions();
            Option<int?> samples = CommonOptions.OptionalInteger("--samples", $"Random inputs to compare, uniform over each input's quantized range (default {DefaultSamples}).", "-n");
            Option<string[]> inputs = new Option<string[]>("--input", "-i")
            {
                Description = "Compare on these inputs instead (.npy or .csv, as for infer).",
            };
            Option<int> seed = CommonOptions.Integer("--seed", 1, "Seed of the random inputs.");
            Option<int> tolerance = CommonOptions.Integer("--tolerance", 1,
                "Largest difference accepted, in quantization steps of an output (ONNX Runtime rounds in float, the device in fixed point).");
            Option<bool> json = CommonOptions.Json();
            Command command = new Command("verify", "Run the same inputs on the device and in ONNX Runtime and compare the outputs.")
            {
                model,
                samples,
                inputs,
                seed,
                tolerance,
                json,
            };
            device.AddTo(command);
            command.SetAction((parseResult, cancellationToken) => Task.FromResult(Run(terminal, device, parseResult, new Settings(
                parseResult.GetValue(model)!, parseResult.GetValue(samples), parseResult.GetValue(inputs) ?? Array.Empty<string>(), parseResult.GetValue(seed),
                parseResult.GetValue(tolerance), parseResult.GetValue(json)), cancellationToken)));
            return command;
        }

        private static int Run(Terminal terminal, DeviceOptions device, ParseResult parseResult, Settings settings, CancellationToken cancellationToken)
        {
            terminal.UseOnnxRuntime();
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
            try
            {
                DeviceVerification.CheckSource(model, onnx, settings.ModelPath);
            }
            catch (DeviceModelMismatchException)
            {
                // "Deploy it first" is the advice only for a model that can be deployed.
                CheckDeployable(settings.ModelPath, session, model);
                throw;
            }

            IReadOnlyList<IReadOnlyList<NpyArray>> cases = settings.Inputs.Length > 0
                ? TensorFiles.ReadSamples(terminal, model.Inputs, settings.Inputs)
                : RandomSamples(model, settings.Samples ?? DefaultSamples, settings.Seed);
            VerificationReport report = DeviceVerification.Verify(session.Client, model, onnx, cases, progress: null, cancellationToken);
            bool passed = report.Passed(settings.Tolerance);
            if (settings.Json)
            {
                JsonOutput.Write(terminal, new
                {
                    model = settings.ModelPath,
                    device = session.Information.BoardName,
                    port = session.Description,
                    samples = report.Samples,
                    tolerance = settings.Tolerance,
                    passed,
                    largestDifference = report.LargestDifference,
                    outputs = report.Outputs.Select(output => new
                    {
                        name = output.Name,
                        values = output.Elements,
                        identical = output.Identical,
                        identicalShare = output.IdenticalShare,
                        largestDifference = output.LargestDifference,
                        topOneAgreements = output.TopOneAgreements,
                    }),
                });
            }
            else
            {
                Write(terminal, session, report);
            }

            if (!passed)
            {
                throw new VerificationFailedException(
                    $"The device differs from ONNX Runtime by up to {report.LargestDifference} quantization steps, more than the tolerance of {settings.Tolerance} (--tolerance).");
            }

            if (!settings.Json)
            {
                terminal.Writer.WriteLine($"agreement: every value within {settings.Tolerance} quantization step(s) of ONNX Runtime");
            }

            return (int)ExitCode.Ok;
        }

        private static void Write(Terminal terminal, DeviceSession session, VerificationReport report)
        {
            TextTable table = new TextTable(new[] { "output", "values", "identical", "largest difference", "top-1 agreement" },
                rightAligned: new[] { "values", "identical", "largest difference", "top-1 agreement" });
            foreach (OutputAgreement output in report.Outputs)
            {
                table.AddRow(
                    output.Name,
                    DeviceView.Count(output.Elements),
                    $"{(100 * output.IdenticalShare).ToString("0.0", CultureInfo.InvariantCulture)} %",
                    $"{output.LargestDifference.ToString(CultureInfo.InvariantCulture)} step(s)",
                    $"{output.TopOneAgreements.ToString(CultureInfo.InvariantCulture)} / {output.Samples.ToString(CultureInfo.InvariantCulture)}");
            }

            terminal.Writer.WriteLine($"verify: {report.Samples} sample(s) on {session.Information.BoardName} and in ONNX Runtime");
            table.Write(terminal);
        }

        /// <summary>
        /// Throws the reason why the device cannot run <paramref name="modelPath"/> at all (the
        /// converter refuses it, or it exceeds the board's or the device's budget), with what the
        /// device runs instead; returns when it could be deployed.
        /// </summary>
        private static void CheckDeployable(string modelPath, DeviceSession session, DeviceModel running)
        {
            string target = session.Board?.Name ?? session.Information.BoardName;
            string instead = running.Name is null ? $"the device runs model CRC {DeviceView.Crc(running.Crc)}" : $"the device runs '{running.Name}' (CRC {DeviceView.Crc(running.Crc)})";
            byte[] blob;
            try
            {
                blob = ModelSources.ConvertOnnx(modelPath, session.Board).Blob;
            }
            catch (ModelTooLargeException exception)
            {
                throw new ModelTooLargeException($"{modelPath} cannot be deployed to {target}: {exception.Message.TrimEnd('.')}; {instead}.", exception.RequiredBytes, exception.AvailableBytes);
            }
            catch (ModelTooMuchWorkException exception)
            {
                throw new ModelTooMuchWorkException($"{modelPath} cannot be deployed to {target}: {exception.Message.TrimEnd('.')}; {instead}.", exception.Work, exception.WorkBudget);
            }
            catch (ConversionException exception)
            {
                throw new ConversionException($"{modelPath} cannot be deployed to {target}: {exception.Message.TrimEnd('.')}; {instead}.", exception.NodeName, exception.OperatorType);
            }

            // The device's own rules with the budgets its INFO reports.
            DeviceInformation information = session.Information;
            ModelAdmission admission = ModelAdmission.Check(blob, information.MaxModelBytes, information.TransferBytes, information.MaxWorkPerInference);
            if (admission.Refusal is AdmissionRefusal.DeviceBytes or AdmissionRefusal.TransferBytes or AdmissionRefusal.Work)
            {
                string reason = admission.Reason(information.MaxModelBytes, information.TransferBytes, information.MaxWorkPerInference,
                    "INFO maxModelBytes", "INFO transferBytes", "INFO maxWorkPerInference")!;
                string message = $"{modelPath} cannot be deployed to {target}: {reason}; {instead}.";
                throw admission.Refusal == AdmissionRefusal.Work
                    ? new ModelTooMuchWorkException(message, admission.Work, information.MaxWorkPerInference)
                    : new ModelTooLargeException(message, admission.Refusal == AdmissionRefusal.TransferBytes ? admission.TransferBytes : admission.DeviceBytes, information.MaxModelBytes);
            }
        }

        private static IReadOnlyList<IReadOnlyList<NpyArray>> RandomSamples(DeviceModel model, int count, int seed)
        {
            Random random = new Random(seed);
            IReadOnlyList<NpyArray>[] perInput = model.Inputs.Select(input => TensorSamples.Random(input, count, random)).ToArray();
            return Enumerable.Range(0, count).Select(sample => (IReadOnlyList<NpyArray>)perInput.Select(samples => samples[sample]).ToArray()).ToArray();
        }

        private sealed record Settings(string ModelPath, int? Samples, string[] Inputs, int Seed, int Tolerance, bool Json);
    }
}
