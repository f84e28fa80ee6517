using System.CommandLine;
using System.Globalization;
using NanoInt8.Host.Device;

namespace NanoInt8.HostTool.Commands
{
    /// <summary><c>hosttool bench [--port P] [--runs N] [--json]</c>.</summary>
    internal static class BenchCommand
    {
        public static Command Create(Terminal terminal)
        {
            DeviceOptions device = new DeviceOptions();
            Option<int> runs = CommonOptions.Integer("--runs", 20, "Inferences to time, 1 to 65535.", "-n");
            Option<bool> json = CommonOptions.Json();
            Command command = new Command("bench", "Time the device's model on the device itself: mean, fastest and slowest inference from the device's clock.")
            {
                runs,
                json,
            };
            device.AddTo(command);
            command.SetAction((parseResult, cancellationToken) => Task.FromResult(Run(terminal, device, parseResult, parseResult.GetValue(runs), parseResult.GetValue(json), cancellationToken)));
            return command;
        }

        private static int Run(Terminal terminal, DeviceOptions device, ParseResult parseResult, int runs, bool json, CancellationToken cancellationToken)
        {
            if (runs < 1 || runs > ushort.MaxValue)
            {
                throw new UsageException($"--runs must be from 1 to {ushort.MaxValue.ToString(CultureInfo.InvariantCulture)}, not {runs.ToString(CultureInfo.InvariantCulture)}.");
            }

            using DeviceSession session = device.Open(parseResult, terminal, cancellationToken);
            session.RequireModel();
            BenchResult result = session.Client.Bench(runs, cancellationToken);
            if (json)
            {
                JsonOutput.Write(terminal, new
                {
                    device = session.Information.BoardName,
                    port = session.Description,
                    emulated = session.IsEmulated,
                    modelCrc = DeviceView.Crc(session.Information.ModelCrc),
                    runs = result.Runs,
                    meanMilliseconds = result.MeanMilliseconds,
                    fastestMilliseconds = result.FastestMilliseconds,
                    slowestMilliseconds = result.SlowestMilliseconds,
                });
                return (int)ExitCode.Ok;
            }

            terminal.Writer.WriteLine(
                $"bench: {result.Runs} runs of model CRC {DeviceView.Crc(session.Information.ModelCrc)} on {session.Information.BoardName}: mean {DeviceView.Milliseconds(result.MeanMilliseconds)} ms, fastest {DeviceView.Milliseconds(result.FastestMilliseconds)} ms, slowest {DeviceView.Milliseconds(result.SlowestMilliseconds)} ms per inference (device clock)");
            if (session.IsEmulated)
            {
                terminal.Writer.WriteLine("(the emulated board runs on this computer's processor: an ESP32 is much slower)");
            }

            return (int)ExitCode.Ok;
        }
    }
}
