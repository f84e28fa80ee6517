using System.CommandLine;
using System.Globalization;
using NanoInt8.Host.Device;

namespace NanoInt8.HostTool.Commands
{
    /// <summary><c>hosttool bench [--port P] [--runs N]</c>.</summary>
    internal static class BenchCommand
    {
        public static Command Create(Terminal terminal)
        {
            DeviceOptions device = new DeviceOptions();
            Option<int> runs = new Option<int>("--runs", "-n")
            {
                Description = "Inferences to time, 1 to 65535.",
                DefaultValueFactory = _ => 20,
            };
            Command command = new Command("bench", "Time the device's model on the device itself: mean, fastest and slowest inference from the device's clock.")
            {
                runs,
            };
            device.AddTo(command);
            command.SetAction((parseResult, cancellationToken) => Task.FromResult(Run(terminal, device, parseResult, parseResult.GetValue(runs), cancellationToken)));
            return command;
        }

        private static int Run(Terminal terminal, DeviceOptions device, ParseResult parseResult, int runs, CancellationToken cancellationToken)
        {
            if (runs < 1 || runs > ushort.MaxValue)
            {
                throw new UsageException($"--runs must be from 1 to {ushort.MaxValue.ToString(CultureInfo.InvariantCulture)}, not {runs.ToString(CultureInfo.InvariantCulture)}.");
            }

            using DeviceSession session = device.Open(parseResult, terminal, cancellationToken);
            session.RequireModel();
            BenchResult result = session.Client.Bench(runs, cancellationToken);
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
