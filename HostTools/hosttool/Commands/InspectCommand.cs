using System.CommandLine;
using NanoInt8.Host.Execution;

namespace NanoInt8.HostTool.Commands
{
    /// <summary><c>hosttool inspect MODEL.onnx|MODEL.ni8 [--requant MODE] [--kernels plain|packed]</c>.</summary>
    internal static class InspectCommand
    {
        public static Command Create(Terminal terminal)
        {
            Argument<string> model = new Argument<string>("model") { Description = "An .ni8 model, or a quantized .onnx model to convert in memory." };
            Option<string?> requant = ModelSources.CreateRequantOption();
            Option<string?> kernels = ModelSources.CreateKernelsOption();
            Command command = new Command("inspect", "Show a model's operators, their cost and memory, and totals.")
            {
                model,
                requant,
                kernels,
            };
            command.SetAction(parseResult => Run(terminal, parseResult.GetValue(model)!, parseResult.GetValue(requant), parseResult.GetValue(kernels)));
            return command;
        }

        private static int Run(Terminal terminal, string modelPath, string? requantName, string? kernelsName)
        {
            LoadedModel loaded = ModelSources.Load(modelPath, ModelSources.ParseRequant(requantName), ModelSources.ParseKernels(kernelsName));
            ModelSummary summary = ModelSummary.FromBlob(loaded.Blob);
            SummaryView.WriteInspection(terminal, modelPath, summary, loaded.Conversion);
            return (int)ExitCode.Ok;
        }
    }
}
