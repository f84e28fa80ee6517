using System.CommandLine;
using NanoInt8.Host.Execution;

namespace NanoInt8.HostTool.Commands
{
    /// <summary><c>hosttool inspect MODEL.onnx|MODEL.ni8 [--requant MODE] [--kernels auto|plain|packed] [--wide] [--json]</c>.</summary>
    internal static class InspectCommand
    {
        public static Command Create(Terminal terminal)
        {
            Argument<string> model = new Argument<string>("model") { Description = "An .ni8 model, or a quantized .onnx model to convert in memory." };
            Option<string?> requant = ModelSources.CreateRequantOption();
            Option<string?> kernels = ModelSources.CreateKernelsOption();
            Option<bool> wide = CommonOptions.Wide();
            Option<bool> json = CommonOptions.Json();
            Command command = new Command("inspect", "Show a model's operators, their cost and memory, and totals.")
            {
                model,
                requant,
                kernels,
                wide,
                json,
            };
            command.SetAction(parseResult => Run(terminal, parseResult.GetValue(model)!, parseResult.GetValue(requant), parseResult.GetValue(kernels),
                parseResult.GetValue(wide), parseResult.GetValue(json)));
            return command;
        }

        private static int Run(Terminal terminal, string modelPath, string? requantName, string? kernelsName, bool wide, bool json)
        {
            LoadedModel loaded = ModelSources.Load(modelPath, ModelSources.ParseRequant(requantName), ModelSources.ParseKernels(kernelsName));
            ModelSummary summary = ModelSummary.FromBlob(loaded.Blob);
            if (json)
            {
                JsonOutput.Write(terminal, new { source = modelPath, model = SummaryJson.Model(summary, loaded.Conversion, board: null), operators = SummaryJson.Operators(summary) });
            }
            else
            {
                SummaryView.WriteInspection(terminal, modelPath, summary, loaded.Conversion, wide);
            }

            return (int)ExitCode.Ok;
        }
    }
}
