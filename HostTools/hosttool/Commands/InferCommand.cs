using System.CommandLine;
using NanoInt8.Host.Device;
using NanoInt8.Onnx;

namespace NanoInt8.HostTool.Commands
{
    /// <summary><c>hosttool infer [--port P] --input X.npy|X.csv [--input name=Y.npy ...] [--output OUT] [--json]</c>.</summary>
    internal static class InferCommand
    {
        public static Command Create(Terminal terminal)
        {
            DeviceOptions device = new DeviceOptions();
            Option<string[]> inputs = new Option<string[]>("--input", "-i")
            {
                Description = "An input file, .npy (the ONNX model's type and shape, or N samples of it) or .csv (one row per sample, or one flat list); by position (X.npy) or by graph input name (name=X.npy); repeat for several inputs.",
                Required = true,
            };
            Option<string?> output = new Option<string?>("--output", "-o")
            {
                Description = "Where to write the outputs: the .npy file for a single output, a folder (one NAME.npy per output) for several; missing folders are created. Without it the outputs are printed.",
            };
            Option<bool> json = CommonOptions.Json();
            Command command = new Command("infer", "Run the device's model on inputs; their scales and names come from the model read back from the device.")
            {
                inputs,
                output,
                json,
            };
            device.AddTo(command);
            command.SetAction((parseResult, cancellationToken) => Task.FromResult(
                Run(terminal, device, parseResult, parseResult.GetValue(inputs) ?? Array.Empty<string>(), parseResult.GetValue(output), parseResult.GetValue(json), cancellationToken)));
            return command;
        }

        private static int Run(Terminal terminal, DeviceOptions device, ParseResult parseResult, string[] inputSpecs, string? outputPath, bool json, CancellationToken cancellationToken)
        {
            using DeviceSession session = device.Open(parseResult, terminal, cancellationToken);
            RunSamples(terminal, session, session.ReadRunningModel(cancellationToken), inputSpecs, outputPath, json, cancellationToken);
            return (int)ExitCode.Ok;
        }

        /// <summary>Runs the device's model on every sample of the input files and writes or prints the outputs.</summary>
        internal static void RunSamples(Terminal terminal, DeviceSession session, DeviceModel model, string[] inputSpecs, string? outputPath, bool json,
            CancellationToken cancellationToken)
        {
            IReadOnlyList<IReadOnlyList<NpyArray>> samples = TensorFiles.ReadSamples(terminal, model.Inputs, inputSpecs);
            long ticks = 0;
            NpyArray[] results = TensorFiles.RunAll(model.Outputs, samples, sample =>
            {
                InferenceResult result = session.Client.Infer(model.ToDevice(sample), cancellationToken);
                ticks += result.ElapsedTicks;
                return model.FromDevice(result.Outputs);
            }, cancellationToken);
            IReadOnlyList<string> written = TensorFiles.WriteFiles(model.Outputs, results, outputPath);
            double perInference = ticks / (double)samples.Count / TimeSpan.TicksPerMillisecond;
            if (json)
            {
                JsonOutput.Write(terminal, new
                {
                    device = session.Information.BoardName,
                    port = session.Description,
                    model = model.Name,
                    modelCrc = DeviceView.Crc(model.Crc),
                    samples = samples.Count,
                    millisecondsPerInference = perInference,
                    outputs = TensorFiles.Json(model.Outputs, results, written),
                });
                return;
            }

            TensorFiles.Print(terminal, model.Outputs, results, written);
            string what = model.Name is null ? $"model CRC {DeviceView.Crc(model.Crc)}" : $"'{model.Name}'";
            terminal.Writer.WriteLine(
                $"ran {what} on {session.Information.BoardName} for {samples.Count} sample(s): {DeviceView.Milliseconds(perInference)} ms per inference (device clock)");
        }
    }
}
