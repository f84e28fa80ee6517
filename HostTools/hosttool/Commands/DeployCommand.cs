using System.CommandLine;
using System.Globalization;
using NanoInt8.Host.Boards;
using NanoInt8.Host.Conversion;
using NanoInt8.Host.Device;
using NanoInt8.Host.Execution;
using NanoInt8.Host.Quantization;
using NanoInt8.Runtime;

namespace NanoInt8.HostTool.Commands
{
    /// <summary><c>hosttool deploy MODEL.onnx|MODEL.ni8 [--input X.npy ...] [--force] [--port P] [--board B] [--baud N] [--requant MODE] [--kernels auto|plain|packed]</c>.</summary>
    internal static class DeployCommand
    {
        public static Command Create(Terminal terminal)
        {
            Argument<string> model = new Argument<string>("model") { Description = "A quantized .onnx model (converted for the board first) or an .ni8 model." };
            DeviceOptions device = new DeviceOptions();
            Option<string[]> inputs = new Option<string[]>("--input", "-i")
            {
                Description = "After deploying, run the model on the device on these inputs (as for 'hosttool infer': .npy or .csv, by position or name=path) and print the outputs.",
            };
            Option<bool> force = new Option<bool>("--force")
            {
                Description = "Send the model even when the device already runs it (same CRC); without it nothing is sent then.",
            };
            Option<string?> requant = ModelSources.CreateRequantOption();
            Option<string?> kernels = ModelSources.CreateKernelsOption();
            Command command = new Command("deploy", "Send a model to the device, make it the running model, and confirm it. Without --port, the built-in emulated board receives it.")
            {
                model,
                inputs,
                force,
                requant,
                kernels,
            };
            device.AddTo(command);
            command.SetAction((parseResult, cancellationToken) => Task.FromResult(
                Run(terminal, device, parseResult, new Settings(parseResult.GetValue(model)!, parseResult.GetValue(inputs) ?? Array.Empty<string>(), parseResult.GetValue(force),
                    ModelSources.ParseRequant(parseResult.GetValue(requant)), ModelSources.ParseKernels(parseResult.GetValue(kernels))), cancellationToken)));
            return command;
        }

        private static int Run(Terminal terminal, DeviceOptions device, ParseResult parseResult, Settings settings, CancellationToken cancellationToken)
        {
            TextWriter writer = terminal.Writer;
            string? boardName = parseResult.GetValue(device.Board);
            bool emulated = parseResult.GetValue(device.Port) is null;
            // The board's budget is checked before anything is opened or sent.
            BoardDefinition? board = boardName is null && !emulated ? null : BoardCatalog.Locate().Get(boardName ?? EmulatedBoard.DefaultBoardId);
            (byte[] blob, ModelSummary summary) = LoadModel(settings.ModelPath, board, settings.Requantization, settings.Kernels);
            string name = summary.ModelName ?? Path.GetFileNameWithoutExtension(settings.ModelPath);

            using DeviceSession session = device.Open(parseResult, terminal, cancellationToken);
            DeviceView.WriteDevice(writer, session);
            writer.WriteLine($"model: {name}, {DeviceView.Count(blob.Length)} bytes, {DeviceView.Count(summary.DeviceBytes)} device bytes");
            DeviceInformation before = session.Information;
            uint crc = ModelReader.GetPayloadCrc(blob, 0);
            if (!settings.Force && before.ModelLoaded && before.ModelCrc == crc && before.ModelLength == blob.Length)
            {
                writer.WriteLine($"the device already runs {name} (CRC {DeviceView.Crc(crc)}): nothing sent (--force sends it again)");
            }
            else
            {
                Send(terminal, session, blob, name, summary, cancellationToken);
            }

            if (settings.Inputs.Length > 0)
            {
                InferCommand.RunSamples(terminal, session, DeviceModel.FromBlob(blob), settings.Inputs, outputPath: null, json: false, cancellationToken);
            }

            return (int)ExitCode.Ok;
        }

        private static void Send(Terminal terminal, DeviceSession session, byte[] blob, string name, ModelSummary summary, CancellationToken cancellationToken)
        {
            TextWriter writer = terminal.Writer;
            DeviceInformation before = session.Information;
            writer.WriteLine(
                $"fits: {DeviceView.Count(summary.DeviceBytes)} of {DeviceView.Count(before.MaxModelBytes)} device bytes; the transfer needs {DeviceView.Count(summary.DeviceBytes + (long)blob.Length)} of {DeviceView.Count(before.TransferBytes)}");
            DeployResult result = DeviceView.WithProgress(terminal, $"sending {name}", blob.Length,
                progress => session.Deploy(blob, progress, cancellationToken));

            double seconds = Math.Max(result.Elapsed.TotalSeconds, 1e-6);
            double efficiency = blob.Length / ThrottledLink.BytesPerSecond(session.Baud) / seconds;
            writer.WriteLine(
                $"deployed {name} to {result.Device.BoardName} in {seconds.ToString("0.00", CultureInfo.InvariantCulture)} s: {DeviceView.Count(blob.Length)} bytes at {DeviceView.Rate(blob.Length / seconds)} ({(100 * efficiency).ToString("0", CultureInfo.InvariantCulture)} % of a {session.Baud.ToString(CultureInfo.InvariantCulture)}-baud line)");
            if (result.ResumeOffsets[0] > ModelFormat.HeaderSize)
            {
                writer.WriteLine($"resumed an interrupted transfer after byte {DeviceView.Count(result.ResumeOffsets[0])}");
            }

            if (result.Retransmissions > 0 || result.Reconnections > 0)
            {
                writer.WriteLine($"line trouble: {result.Retransmissions} retransmissions, {DeviceView.Count(result.BytesResent)} bytes sent again, {result.Reconnections} reconnections");
            }

            writer.WriteLine($"the device runs it: CRC {DeviceView.Crc(result.Device.ModelCrc)} (confirmed by INFO), inputs {DeviceView.Count(result.Device.InputBytes)} bytes, outputs {DeviceView.Count(result.Device.OutputBytes)} bytes");
        }

        /// <summary>
        /// The .ni8 bytes and their summary: an .onnx file converted for the board (the converter
        /// checks its budget), an .ni8 file as it is, validated by the device's reader and checked
        /// against the board's budget.
        /// </summary>
        private static (byte[] Blob, ModelSummary Summary) LoadModel(string modelPath, BoardDefinition? board, RequantizationMode requantization, KernelSelection kernels)
        {
            LoadedModel loaded = ModelSources.Load(modelPath, requantization, kernels, board);
            ModelSummary summary = ModelSummary.FromBlob(loaded.Blob);
            if (loaded.Conversion is null && board is not null && ModelAdmission.ForBoard(loaded.Blob, board) is { Refusal: not AdmissionRefusal.None } admission)
            {
                string reason = admission.Reason(board.ModelBudgetBytes, board.TransferBudgetBytes, board.WorkBudget,
                    $"modelBudgetBytes of {board.Source}", $"modelBudgetBytes of {board.Source}", $"maxWorkPerInference of {board.Source}")!;
                string message = $"{modelPath} cannot run on board {board.Name}: {reason}; nothing was sent.";
                throw admission.Refusal == AdmissionRefusal.Work
                    ? new ModelTooMuchWorkException(message, admission.Work, board.WorkBudget)
                    : new ModelTooLargeException(message, admission.Refusal == AdmissionRefusal.TransferBytes ? admission.TransferBytes : summary.TotalDeviceBytes, board.ModelBudgetBytes);
            }

            return (loaded.Blob, summary);
        }

        private sealed record Settings(string ModelPath, string[] Inputs, bool Force, RequantizationMode Requantization, KernelSelection Kernels);
    }
}
