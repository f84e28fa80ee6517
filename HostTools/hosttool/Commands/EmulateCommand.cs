using System.CommandLine;
using System.Globalization;
using NanoInt8.Host.Boards;
using NanoInt8.Host.Device;

namespace NanoInt8.HostTool.Commands
{
    /// <summary><c>hosttool emulate --port P [--board B] [--baud N] [--latency MS]</c>.</summary>
    internal static class EmulateCommand
    {
        public static Command Create(Terminal terminal)
        {
            Option<string> port = new Option<string>("--port", "-p")
            {
                Description = "The serial port to serve, e.g. one end of a socat pseudo-terminal pair.",
                Required = true,
            };
            Option<string?> board = new Option<string?>("--board")
            {
                Description = $"The board to emulate (default {EmulatedBoard.DefaultBoardId}; 'hosttool boards' lists them): name, memory budget, baud.",
            };
            Option<int?> baud = CommonOptions.OptionalInteger("--baud", "The baud rate the emulated line is throttled to (default: the board's).");
            Option<int> latency = CommonOptions.Integer("--latency", 0, "Extra delay of every byte in each direction, in milliseconds, as a USB-serial adapter adds.");
            Command command = new Command("emulate", "Act as a board on a serial port until Ctrl+C, with the device's own protocol code and its flash in a folder.")
            {
                port,
                board,
                baud,
                latency,
            };
            command.SetAction((parseResult, cancellationToken) => RunAsync(terminal, parseResult.GetValue(port)!, parseResult.GetValue(board), parseResult.GetValue(baud), parseResult.GetValue(latency), cancellationToken));
            return command;
        }

        private static async Task<int> RunAsync(Terminal terminal, string portName, string? boardName, int? baud, int latency, CancellationToken cancellationToken)
        {
            if (baud is <= 0 || latency < 0)
            {
                throw new UsageException("--baud must be positive and --latency at least 0.");
            }

            BoardDefinition board = BoardCatalog.Locate().Get(boardName ?? EmulatedBoard.DefaultBoardId);
            EmulatedBoardProfile profile = EmulatedBoardProfile.FromBoard(board);
            profile = profile with { Baud = baud ?? profile.Baud, TurnaroundLatency = TimeSpan.FromMilliseconds(latency) };
            string folder = EmulatedBoard.DefaultStoreFolder(board.Name);
            // The port and the board's flash, which hosttool without --port uses too: one user each.
            using DeviceLock portLock = DeviceLock.Acquire(DeviceLock.ForPort(portName), $"the serial port {portName}", terminal.CommandLine);
            using DeviceLock boardLock = DeviceLock.Acquire(DeviceLock.ForFolder(folder), $"the emulated board {board.Name}", terminal.CommandLine);
            using EmulatedBoard emulator = new EmulatedBoard(SerialPortLink.Open(portName, profile.Baud), new FileModelStore(folder), profile);
            terminal.Writer.WriteLine(
                $"emulating {profile.DisplayName} on {portName} at {profile.Baud.ToString(CultureInfo.InvariantCulture)} baud (flash in {folder}); Ctrl+C stops it");
            terminal.Writer.Flush();
            await Task.Factory.StartNew(() => emulator.Run(cancellationToken), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            terminal.Writer.WriteLine(
                $"stopped: {emulator.Server.RequestsHandled.ToString(CultureInfo.InvariantCulture)} requests answered, {emulator.Server.FramesDropped.ToString(CultureInfo.InvariantCulture)} malformed frames dropped");
            return (int)ExitCode.Ok;
        }
    }
}
