using System.CommandLine;
using System.Globalization;
using System.Text;
using NanoInt8.Host.Boards;
using NanoInt8.Host.Conversion;
using NanoInt8.Host.Execution;
using NanoInt8.Host.Files;
using NanoInt8.Host.Quantization;

namespace NanoInt8.HostTool.Commands
{
    /// <summary>
    /// <c>hosttool convert MODEL.onnx [-o OUT.ni8] [--board NAME] [--requant MODE] [--kernels plain|packed] [--labels FILE]
    /// [--raw-input-scale S [--raw-input-offset O]] [--emit-csharp] [--json]</c>.
    /// </summary>
    internal static class ConvertCommand
    {
        public static Command Create(Terminal terminal)
        {
            Argument<string> model = new Argument<string>("model") { Description = "The quantized ONNX model (.onnx)." };
            Option<string?> output = new Option<string?>("--output", "-o")
            {
                Description = "Where to write the .ni8 model (default: the input's name with .ni8, or .cs with --emit-csharp, in the current folder); missing folders are created.",
            };
            Option<double?> rawScale = new Option<double?>("--raw-input-scale")
            {
                Description = "What an app's raw sensor readings mean: reading r is the real input (r - O) x S. Stores the integer transform in the model "
                    + "(EmbeddedModel.SetRawInput applies it on the device; docs/model-format.md, \"Raw input transform\").",
            };
            Option<int?> rawOffset = new Option<int?>("--raw-input-offset") { Description = "O of --raw-input-scale: the reading of real value 0 (default 0)." };
            Option<bool> emitCsharp = new Option<bool>("--emit-csharp")
            {
                Description = "Write the model as a C# source file (class NanoInt8.Models.<file name>, static readonly byte[] Bytes, and Labels) for an app that embeds it.",
            };
            Option<string?> board = new Option<string?>("--board") { Description = "Target board: the model must fit its modelBudgetBytes ('hosttool boards' lists them)." };
            Option<string?> requant = ModelSources.CreateRequantOption();
            Option<string?> kernels = ModelSources.CreateKernelsOption();
            Option<string?> labels = ModelSources.CreateLabelsOption();
            Option<bool> json = CommonOptions.Json();
            Command command = new Command("convert", "Convert a quantized ONNX model into an .ni8 integer model.")
            {
                model,
                output,
                board,
                requant,
                kernels,
                labels,
                rawScale,
                rawOffset,
                emitCsharp,
                json,
            };
            command.SetAction(parseResult => Run(terminal, new Settings(parseResult.GetValue(model)!, parseResult.GetValue(output), parseResult.GetValue(board),
                parseResult.GetValue(requant), parseResult.GetValue(kernels), parseResult.GetValue(labels),
                RawInput(parseResult.GetValue(rawScale), parseResult.GetValue(rawOffset)), parseResult.GetValue(emitCsharp), parseResult.GetValue(json))));
            return command;
        }

        /// <summary>Where convert writes without -o: the input's name with .ni8, in the current folder (as a compiler does).</summary>
        public static string DefaultOutput(string modelPath) => Path.GetFileNameWithoutExtension(modelPath) + ".ni8";

        private static int Run(Terminal terminal, Settings settings)
        {
            // The board, the mode and the kernels first: a bad name is a usage error, whatever the model.
            RequantizationMode requantization = ModelSources.ParseRequant(settings.Requant);
            KernelSelection kernels = ModelSources.ParseKernels(settings.Kernels);
            BoardDefinition? board = ModelSources.Board(settings.Board);
            string destination = settings.OutputPath
                ?? (settings.EmitCsharp ? Path.ChangeExtension(DefaultOutput(settings.ModelPath), ".cs") : DefaultOutput(settings.ModelPath));
            if (Path.GetFullPath(destination) == Path.GetFullPath(settings.ModelPath))
            {
                throw new UsageException($"The output '{destination}' would overwrite the input model; give another with -o.");
            }

            ConversionResult conversion = ModelSources.ConvertOnnx(settings.ModelPath, board, requantization, kernels, settings.LabelsPath, settings.RawInput);
            ModelSummary summary = ModelSummary.FromBlob(conversion.Blob);
            if (settings.EmitCsharp)
            {
                string source = CSharpModelSource.Write(conversion.Blob, CSharpModelSource.ClassNameFor(destination), Path.GetFileName(settings.ModelPath));
                OutputFiles.Write(destination, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(source));
            }
            else
            {
                OutputFiles.Write(destination, conversion.Blob);
            }

            if (settings.Json)
            {
                JsonOutput.Write(terminal, new { source = settings.ModelPath, output = destination, model = SummaryJson.Model(summary, conversion, board) });
            }
            else
            {
                SummaryView.WriteConversion(terminal, settings.ModelPath, destination, summary, conversion, board);
            }

            return (int)ExitCode.Ok;
        }

        // The --raw-input-scale and --raw-input-offset pair, or null without a scale.
        private static RawInputScaling? RawInput(double? scale, int? offset)
        {
            if (scale is not double value)
            {
                return offset is null ? null : throw new UsageException("--raw-input-offset needs --raw-input-scale (what one raw count is worth).");
            }

            int rawOffset = offset ?? 0;
            if (!double.IsFinite(value) || value <= 0)
            {
                throw new UsageException($"--raw-input-scale must be a positive number, not {value.ToString(CultureInfo.InvariantCulture)}.");
            }

            if (rawOffset <= -RawInputScaling.OffsetLimit || rawOffset >= RawInputScaling.OffsetLimit)
            {
                throw new UsageException($"--raw-input-offset must lie strictly between -{RawInputScaling.OffsetLimit} and {RawInputScaling.OffsetLimit} (2^30), not {rawOffset}.");
            }

            return new RawInputScaling(value, rawOffset);
        }

        private sealed record Settings(string ModelPath, string? OutputPath, string? Board, string? Requant, string? Kernels, string? LabelsPath,
            RawInputScaling? RawInput, bool EmitCsharp, bool Json);
    }
}
