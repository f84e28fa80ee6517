using System.CommandLine;
using System.Globalization;
using NanoInt8.Host.Conversion;
using NanoInt8.Host.Files;
using NanoInt8.Host.Quantization;
using NanoInt8.Onnx;

namespace NanoInt8.HostTool.Commands
{
    /// <summary>
    /// <c>hosttool quantize FLOAT.onnx --calibration DATA.npy|DATA.csv [-o OUT.qdq.onnx]
    /// [--per-channel|--per-tensor] [--method minmax|percentile|entropy] [--percentile P] [--labels FILE]</c>:
    /// static post-training quantization (<see cref="StaticQuantizer"/>) into a QDQ model that
    /// <c>hosttool convert</c> accepts, and a report of how closely it follows the float model.
    /// </summary>
    /// <remarks>
    /// Exit codes: calibration data that does not fit the model (shape, element type, a CSV field
    /// that is not a number, NaN or infinity, a labels file that fits no output) is a usage error (2); a model the quantizer cannot handle (an operator
    /// the converter lacks, non-constant weights) or ONNX Runtime cannot run is an invalid model (4),
    /// like a malformed .npy file; a missing file is a file error (3). <see cref="Failure.Classify"/> does not know the
    /// quantizer's exceptions, so they are restated here as the exceptions it maps to those codes.
    /// </remarks>
    internal static class QuantizeCommand
    {
        private static readonly CultureInfo s_invariant = CultureInfo.InvariantCulture;

        public static Command Create(Terminal terminal)
        {
            Argument<string> model = new Argument<string>("model") { Description = "The float ONNX model (.onnx), one float32 input with batch size 1." };
            Option<string> calibration = new Option<string>("--calibration", "-c")
            {
                Description = "Calibration samples: .npy (float32, samples along the first axis) or .csv (one sample per line, flattened).",
                Required = true,
            };
            Option<string?> output = new Option<string?>("--output", "-o")
            {
                Description = "Where to write the QDQ model (default: MODEL.qdq.onnx in the current folder); missing folders are created.",
            };
            Option<bool> perChannel = new Option<bool>("--per-channel") { Description = "One weight scale per output channel (the default)." };
            Option<bool> perTensor = new Option<bool>("--per-tensor") { Description = "One weight scale per weight tensor." };
            Option<string> method = new Option<string>("--method")
            {
                Description = "How activation ranges are chosen: minmax (every value seen), percentile (outliers clipped) or entropy (KL divergence, TensorRT's search).",
                DefaultValueFactory = _ => "minmax",
            };
            method.AcceptOnlyFromAmong("minmax", "percentile", "entropy");
            Option<double> percentile = CommonOptions.Number("--percentile", 99.99, "The percentile of |x| kept on each side of zero by --method percentile.");
            Option<string?> labels = ModelSources.CreateLabelsOption();
            Option<bool> wide = CommonOptions.Wide();
            Command command = new Command("quantize", "Quantize a float ONNX model statically into a QDQ model, calibrated on sample inputs.")
            {
                model,
                calibration,
                output,
                perChannel,
                perTensor,
                method,
                percentile,
                labels,
                wide,
            };
            command.SetAction(parseResult =>
            {
                if (parseResult.GetValue(perChannel) && parseResult.GetValue(perTensor))
                {
                    throw new UsageException("--per-channel and --per-tensor exclude each other; give one (per-channel is the default).");
                }

                double chosenPercentile = parseResult.GetValue(percentile);
                if (!(chosenPercentile > 0 && chosenPercentile <= 100))
                {
                    throw new UsageException($"--percentile {chosenPercentile.ToString(s_invariant)} is outside (0, 100].");
                }

                QuantizationOptions options = new QuantizationOptions
                {
                    Method = parseResult.GetValue(method) switch
                    {
                        "percentile" => CalibrationMethod.Percentile,
                        "entropy" => CalibrationMethod.Entropy,
                        _ => CalibrationMethod.MinMax,
                    },
                    PerChannel = !parseResult.GetValue(perTensor),
                    Percentile = chosenPercentile,
                };
                return Run(terminal, parseResult.GetValue(model)!, parseResult.GetValue(calibration)!, parseResult.GetValue(output), parseResult.GetValue(labels), options, parseResult.GetValue(wide));
            });
            return command;
        }

        private static int Run(Terminal terminal, string modelPath, string calibrationPath, string? outputPath, string? labelsPath, QuantizationOptions options, bool wide)
        {
            terminal.UseOnnxRuntime();
            string destination = outputPath ?? DefaultOutput(modelPath);
            if (Path.GetFullPath(destination) == Path.GetFullPath(modelPath))
            {
                throw new UsageException($"The output '{destination}' would overwrite the input model.");
            }

            OnnxModel model = ModelSources.LoadOnnx(modelPath, ModelSources.ReadInputFile(modelPath, "model"));
            ModelSources.ReadInputFile(calibrationPath, "calibration");
            IReadOnlyList<string>? labels = labelsPath is null ? null : ModelSources.ReadLabels(labelsPath);
            if (labels is not null && ClassLabels.FindOutput(model.Outputs.Select(OutputShape).ToArray(), labels.Count) < 0)
            {
                throw new UsageException(
                    $"{labelsPath} names {labels.Count} classes but no output of {modelPath} has {labels.Count} elements along its last dimension ({string.Join(", ", model.Outputs)}).");
            }

            QuantizationResult result;
            try
            {
                // A malformed .npy file is an NpyFormatException naming the file: exit code 4, as for `run`.
                NpyArray calibration = CalibrationData.Read(calibrationPath);
                result = new StaticQuantizer(options).Quantize(model, calibration, $"calibration data '{calibrationPath}'");
            }
            catch (CalibrationDataException exception)
            {
                throw new UsageException(exception.Message);
            }
            catch (QuantizationException exception)
            {
                throw new ConversionException(exception.Message, exception.NodeName, exception.OperatorType);
            }
            catch (OnnxRuntimeRunException exception)
            {
                // The float model is run to calibrate it: if ONNX Runtime cannot, the model is at fault.
                throw new OnnxFormatException($"{modelPath}: {exception.Message}", exception);
            }

            if (labels is not null)
            {
                ClassLabels.WriteToOnnx(result.Model, labels);
            }

            OutputFiles.Write(destination, result.ToBytes());
            Write(terminal, modelPath, destination, calibrationPath, result.Report, wide);
            return (int)ExitCode.Ok;
        }

        /// <summary>Where quantize writes without -o: MODEL.qdq.onnx in the current folder, as convert does.</summary>
        private static string DefaultOutput(string modelPath) => Path.GetFileNameWithoutExtension(modelPath) + ".qdq.onnx";

        // A symbolic dimension (a batch) is -1: only the last dimension counts the classes.
        private static IReadOnlyList<long>? OutputShape(OnnxValueInfo output) => output.Shape?.Select(dimension => dimension.Value ?? -1).ToArray();

        private static void Write(Terminal terminal, string source, string destination, string calibrationPath, QuantizationReport report, bool wide)
        {
            TextWriter writer = terminal.Writer;
            writer.WriteLine($"Quantized {source} -> {destination}");
            string method = report.Method switch
            {
                CalibrationMethod.Percentile => $"percentile ({report.Percentile.ToString(s_invariant)} % of |x| per side)",
                CalibrationMethod.Entropy => "entropy (KL divergence)",
                _ => "minmax",
            };
            writer.WriteLine($"  calibration  {report.SampleCount} samples from {calibrationPath}, ranges by {method}");
            writer.WriteLine($"  weights      int8 symmetric, {(report.PerChannel ? "one scale per output channel" : "one scale per tensor")}; biases int32");
            foreach (string note in report.Notes)
            {
                writer.WriteLine($"  {note}");
            }

            string[] headers = { "activation", "computed by", "observed min", "observed max", "int8 range", "scale", "zero point" };
            string[] narrow = { "activation", "observed min", "observed max", "scale", "zero point" };
            TextTable table = new TextTable(wide ? headers : narrow, rightAligned: headers.Skip(2));
            foreach (QuantizedActivation activation in report.Activations)
            {
                ActivationRange covered = activation.Parameters.RepresentableRange;
                table.AddRow(new Dictionary<string, string>
                {
                    ["activation"] = activation.Name,
                    ["computed by"] = activation.Source == ParameterSource.SharedWithInput ? activation.Producer + " (input's scale)" : activation.Producer,
                    ["observed min"] = Number(activation.Observed.Minimum),
                    ["observed max"] = Number(activation.Observed.Maximum),
                    ["int8 range"] = $"[{Number(covered.Minimum)}, {Number(covered.Maximum)}]",
                    ["scale"] = Number(activation.Parameters.Scale),
                    ["zero point"] = activation.Parameters.ZeroPoint.ToString(s_invariant),
                });
            }

            table.Write(terminal);
            if (!wide)
            {
                writer.WriteLine("(--wide adds the node computing each activation and the range its int8 values cover)");
            }

            writer.WriteLine($"Agreement with the float model on the {report.SampleCount} calibration samples (ONNX Runtime):");
            foreach (OutputAgreement output in report.Outputs)
            {
                string topOne = output.TopOneAgreement is double share
                    ? $"top-1 agreement {(100 * share).ToString("F2", s_invariant)} % ({output.TopOneMatches} of {report.SampleCount}), "
                    : string.Empty;
                writer.WriteLine(
                    $"  {output.Name}: {topOne}mean absolute error {Number(output.MeanAbsoluteError)} (mean |output| {Number(output.MeanAbsoluteValue)}), maximum {Number(output.MaximumAbsoluteError)}");
            }
        }

        private static string Number(double value) => value.ToString("G4", s_invariant);
    }
}
