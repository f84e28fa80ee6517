using System.CommandLine;
using NanoInt8.Host.Device;
using Spectre.Console;

namespace NanoInt8.HostTool.Commands
{
    /// <summary><c>hosttool info [--port P] [--board B] [--baud N] [--json]</c>.</summary>
    internal static class InfoCommand
    {
        public static Command Create(Terminal terminal)
        {
            DeviceOptions device = new DeviceOptions();
            Option<bool> json = CommonOptions.Json();
            Command command = new Command("info", "Show what the device reports about itself (INFO): board, firmware, memory, the running model.")
            {
                json,
            };
            device.AddTo(command);
            command.SetAction((parseResult, cancellationToken) => Task.FromResult(Run(terminal, device, parseResult, parseResult.GetValue(json), cancellationToken)));
            return command;
        }

        private static int Run(Terminal terminal, DeviceOptions device, ParseResult parseResult, bool json, CancellationToken cancellationToken)
        {
            using DeviceSession session = device.Open(parseResult, terminal, cancellationToken);
            DeviceInformation information = session.Information;
            if (json)
            {
                JsonOutput.Write(terminal, new
                {
                    port = session.Description,
                    emulated = session.IsEmulated,
                    board = information.BoardName,
                    firmware = information.FirmwareVersion.ToString(),
                    protocol = information.ProtocolVersion,
                    freeMemory = information.FreeMemory == 0 ? (long?)null : information.FreeMemory,
                    maxModelBytes = information.MaxModelBytes,
                    transferBytes = information.TransferBytes,
                    maxWorkPerInference = information.MaxWorkPerInference == long.MaxValue ? (long?)null : information.MaxWorkPerInference,
                    model = information.ModelLoaded
                        ? new
                        {
                            crc = DeviceView.Crc(information.ModelCrc),
                            bytes = information.ModelLength,
                            deviceBytes = information.ModelDeviceBytes,
                            inputBytes = information.InputBytes,
                            outputBytes = information.OutputBytes,
                            work = information.ModelWork,
                        }
                        : null,
                });
                return (int)ExitCode.Ok;
            }

            Grid grid = new Grid().AddColumn().AddColumn();
            void Row(string name, string value) => grid.AddRow(new Text(name), new Text(value));
            Row("port", session.Description);
            Row("board", information.BoardName);
            Row("firmware", information.FirmwareVersion.ToString());
            Row("protocol", information.ProtocolVersion.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Row("free memory", information.FreeMemory == 0 ? "not reported" : $"{DeviceView.Count(information.FreeMemory)} bytes");
            Row("model budget", $"{DeviceView.Count(information.MaxModelBytes)} bytes (maxModelBytes)");
            Row("transfer budget", $"{DeviceView.Count(information.TransferBytes)} bytes (transferBytes)");
            Row("work budget", information.MaxWorkPerInference == long.MaxValue ? "no limit" : $"{DeviceView.Count(information.MaxWorkPerInference)} units per inference (maxWorkPerInference)");
            if (information.ModelLoaded)
            {
                Row("model", $"CRC {DeviceView.Crc(information.ModelCrc)}, {DeviceView.Count(information.ModelLength)} bytes, {DeviceView.Count(information.ModelDeviceBytes)} device bytes");
                Row("inputs", $"{DeviceView.Count(information.InputBytes)} bytes");
                Row("outputs", $"{DeviceView.Count(information.OutputBytes)} bytes");
                Row("work", $"{DeviceView.Count(information.ModelWork)} units per inference");
            }
            else
            {
                Row("model", "none");
            }

            terminal.Console.Write(grid);
            return (int)ExitCode.Ok;
        }
    }
}
