using System.CommandLine;
using NanoInt8.Host.Boards;
using NanoInt8.Host.Conversion;
using NanoInt8.Host.Execution;
using NanoInt8.Host.Quantization;

namespace NanoInt8.HostTool.Commands
{
    /// <summary><c>hosttool convert MODEL.onnx [-o OUT.ni8] [--board NAME] [--requant MODE] [--kernels plain|packed]</c>.</summary>
    internal static class ConvertCommand
    {
        public static Command Create(Terminal terminal)
        {
            Argument<string> model = new Argument<string>("model") { Description = "The quantized ONNX model (.onnx)." };
            Option<string?> output = new Option<string?>("--output", "-o") { Description = "Where to write the .ni8 model (default: the input's name with .ni8, next to it)." };
            Option<string?> board = new Option<string?>("--board") { Description = "Target board: the model must fit boards/NAME.json's modelBudgetBytes." };
            Option<string?> requant = ModelSources.CreateRequantOption();
            Option<string?> kernels = ModelSources.CreateKernelsOption();
            Command command = new Command("convert", "Convert a quantized ONNX model into an .ni8 integer model.")
            {
                model,
                output,
                board,
                requant,
                kernels,
            };
            command.SetAction(parseResult => Run(terminal, parseResult.GetValue(model)!, parseResult.GetValue(output), parseResult.GetValue(board), parseResult.GetValue(requant),
                parseResult.GetValue(kernels)));
            return command;
        }

        private static int Run(Terminal terminal, string modelPath, string? outputPath, string? boardName, string? requantName, string? kernelsName)
        {
            // The board, the mode and the kernels first: a bad name is a usage error, whatever the model.
            RequantizationMode requantization = ModelSources.ParseRequant(requantName);
            KernelSelection kernels = ModelSources.ParseKernels(kernelsName);
            BoardDefinition? board = boardName is null ? null : BoardCatalog.Locate().Get(boardName);
            string destination = outputPath ?? Path.ChangeExtension(modelPath, ".ni8");
            if (Path.GetFullPath(destination) == Path.GetFullPath(modelPath))
            {
                throw new UsageException($"The output '{destination}' would overwrite the input model.");
            }

            ConversionResult conversion = ModelSources.ConvertOnnx(modelPath, board, requantization, kernels);
            ModelSummary summary = ModelSummary.FromBlob(conversion.Blob);
            File.WriteAllBytes(destination, conversion.Blob);
            SummaryView.WriteConversion(terminal, modelPath, destination, summary, conversion, board);
            return (int)ExitCode.Ok;
        }
    }
}
