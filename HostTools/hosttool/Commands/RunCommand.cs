using System.CommandLine;
using NanoInt8.Host.Execution;
using NanoInt8.Onnx;

namespace NanoInt8.HostTool.Commands
{
    /// <summary><c>hosttool run MODEL.onnx|MODEL.ni8 --input X.npy [--input name=Y.npy ...] [--output OUT] [--requant MODE] [--kernels auto|plain|packed] [--json]</c>.</summary>
    internal static class RunCommand
    {
        public static Command Create(Terminal terminal)
        {
            Argument<string> model = new Argument<string>("model") { Description = "An .ni8 model, or a quantized .onnx model to convert in memory (once, for every sample)." };
            Option<string[]> inputs = new Option<string[]>("--input", "-i")
            {
                Description = "An input file, .npy (the ONNX model's type and shape, or N samples of it along the first axis) or .csv (one row per sample, or one flat list); "
                    + "by position (X.npy) or by graph input name (name=X.npy); repeat for several inputs.",
                Required = true,
            };
            Option<string?> output = new Option<string?>("--output", "-o")
            {
                Description = "Where to write the outputs: the .npy file for a single output, a folder (one NAME.npy per output) for several; missing folders are created. Without it the outputs are printed.",
            };
            Option<string?> requant = ModelSources.CreateRequantOption();
            Option<string?> kernels = ModelSources.CreateKernelsOption();
            Option<bool> json = CommonOptions.Json();
            Command command = new Command("run", "Run a model on the host with the device's integer interpreter, on one sample or a batch.")
            {
                model,
                inputs,
                output,
                requant,
                kernels,
                json,
            };
            command.SetAction((parseResult, cancellationToken) => Task.FromResult(Run(terminal, parseResult.GetValue(model)!, parseResult.GetValue(inputs) ?? Array.Empty<string>(),
                parseResult.GetValue(output), parseResult.GetValue(requant), parseResult.GetValue(kernels), parseResult.GetValue(json), cancellationToken)));
            return command;
        }

        private static int Run(Terminal terminal, string modelPath, string[] inputSpecs, string? outputPath, string? requantName, string? kernelsName, bool json,
            CancellationToken cancellationToken)
        {
            LoadedModel loaded = ModelSources.Load(modelPath, ModelSources.ParseRequant(requantName), ModelSources.ParseKernels(kernelsName));
            HostModelRunner runner = new HostModelRunner(loaded.Blob);
            IReadOnlyList<IReadOnlyList<NpyArray>> samples = TensorFiles.ReadSamples(terminal, runner.Inputs, inputSpecs);
            NpyArray[] results = TensorFiles.RunAll(runner.Outputs, samples, runner.Run, cancellationToken);
            IReadOnlyList<string> written = TensorFiles.WriteFiles(runner.Outputs, results, outputPath);
            if (json)
            {
                JsonOutput.Write(terminal, new { model = modelPath, name = runner.ModelName, samples = samples.Count, outputs = TensorFiles.Json(runner.Outputs, results, written) });
            }
            else
            {
                TensorFiles.Print(terminal, runner.Outputs, results, written);
            }

            return (int)ExitCode.Ok;
        }
    }
}
