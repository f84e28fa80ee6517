using System.CommandLine;
using NanoInt8.Host.Boards;
using NanoInt8.Host.Conversion;
using NanoInt8.Host.Execution;
using NanoInt8.Host.Quantization;

namespace NanoInt8.HostTool.Commands
{
    /// <summary><c>hosttool convert MODEL.onnx [-o OUT.ni8] [--board NAME] [--requant MODE] [--kernels auto|plain|packed] [--labels FILE] [--json]</c>.</summary>
    internal static class ConvertCommand
    {
        public static Command Create(Terminal terminal)
        {
            Argument<string> model = new Argument<string>("model") { Description = "The quantized ONNX model (.onnx)." };
            Option<string?> output = new Option<string?>("--output", "-o")
            {
                Description = "Where to write the .ni8 model (default: the input's name with .ni8, in the current folder); missing folders are created.",
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
                json,
            };
            command.SetAction(parseResult => Run(terminal, new Settings(parseResult.GetValue(model)!, parseResult.GetValue(output), parseResult.GetValue(board),
                parseResult.GetValue(requant), parseResult.GetValue(kernels), parseResult.GetValue(labels), parseResult.GetValue(json))));
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
            string destination = settings.OutputPath ?? DefaultOutput(settings.ModelPath);
            if (Path.GetFullPath(destination) == Path.GetFullPath(settings.ModelPath))
            {
                throw new UsageException($"The output '{destination}' would overwrite the input model; give another with -o.");
            }

            ConversionResult conversion = ModelSources.ConvertOnnx(settings.ModelPath, board, requantization, kernels, settings.LabelsPath);
            ModelSummary summary = ModelSummary.FromBlob(conversion.Blob);
            OutputFiles.Write(destination, conversion.Blob);
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

        private sealed record Settings(string ModelPath, string? OutputPath, string? Board, string? Requant, string? Kernels, string? LabelsPath, bool Json);
    }
}
