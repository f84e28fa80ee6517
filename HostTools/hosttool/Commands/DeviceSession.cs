using System.CommandLine;
using System.Globalization;
using NanoInt8.Host.Boards;
using NanoInt8.Host.Device;

namespace NanoInt8.HostTool.Commands
{
    /// <summary>The options every device command shares: <c>--port</c>, <c>--board</c>, <c>--baud</c>.</summary>
    internal sealed class DeviceOptions
    {
        public Option<string?> Port { get; } = new Option<string?>("--port", "-p")
        {
            Description = "The board's serial port (/dev/ttyUSB0, COM5, a socat pseudo-terminal). Without it, the built-in emulated board answers.",
        };

        public Option<string?> Board { get; } = new Option<string?>("--board")
        {
            Description = $"The board ('hosttool boards' lists them): the board to emulate without --port (default {EmulatedBoard.DefaultBoardId}), and the line's baud.",
        };

        public Option<int?> Baud { get; } = CommonOptions.OptionalInteger("--baud", $"Line speed in baud (default: the board's, else {SerialPortLink.DefaultBaud}).");

        public void AddTo(Command command)
        {
            command.Add(Port);
            command.Add(Board);
            command.Add(Baud);
        }

        /// <summary>Connects as the options say and says HELLO.</summary>
        public DeviceSession Open(ParseResult parseResult, Terminal terminal, CancellationToken cancellationToken)
        {
            return DeviceSession.Open(terminal, parseResult.GetValue(Port), parseResult.GetValue(Board), parseResult.GetValue(Baud), cancellationToken);
        }
    }

    /// <summary>
    /// A connected device: a serial port, or the built-in emulated board running in this process
    /// with its flash in a folder, so that separate hosttool invocations see the same model. The
    /// session holds the device's <see cref="DeviceLock"/>: one hosttool at a time.
    /// </summary>
    internal sealed class DeviceSession : IDisposable
    {
        private readonly ISerialLink? _port;
        private readonly EmulatedBoard? _emulator;
        private readonly DeviceLock _lock;

        private DeviceSession(DeviceClient client, DeviceInformation information, string description, int baud, BoardDefinition? board, ISerialLink? port,
            EmulatedBoard? emulator, DeviceLock deviceLock)
        {
            Client = client;
            Information = information;
            Description = description;
            Baud = baud;
            Board = board;
            _port = port;
            _emulator = emulator;
            _lock = deviceLock;
        }

        public DeviceClient Client { get; }

        /// <summary>INFO from the HELLO that opened the session.</summary>
        public DeviceInformation Information { get; }

        /// <summary>"/dev/ttyUSB0" or "the emulated board esp32-devkitc".</summary>
        public string Description { get; }

        public int Baud { get; }

        /// <summary>The board named with --board, or the emulated one.</summary>
        public BoardDefinition? Board { get; }

        public bool IsEmulated => _emulator is not null;

        public static DeviceSession Open(Terminal terminal, string? portName, string? boardName, int? baud, CancellationToken cancellationToken)
        {
            if (baud is <= 0)
            {
                throw new UsageException($"--baud must be a positive number, not {baud.Value.ToString(CultureInfo.InvariantCulture)}.");
            }

            if (portName is not null && portName.Length == 0)
            {
                throw new UsageException("--port needs a port name, e.g. /dev/ttyUSB0 or COM5.");
            }

            BoardDefinition? board = boardName is null && portName is not null ? null : BoardCatalog.Locate().Get(boardName ?? EmulatedBoard.DefaultBoardId);
            EmulatedBoardProfile? profile = board is null ? null : EmulatedBoardProfile.FromBoard(board);
            int lineBaud = baud ?? profile?.Baud ?? SerialPortLink.DefaultBaud;
            DeviceClientOptions options = new DeviceClientOptions { Baud = lineBaud };
            if (portName is null)
            {
                string folder = EmulatedBoard.DefaultStoreFolder(board!.Name);
                string description = $"the emulated board {board.Name}";
                terminal.Diagnostics.WriteLine($"no --port given: using the built-in emulated board {board.Name} (flash in {folder})");
                DeviceLock boardLock = DeviceLock.Acquire(DeviceLock.ForFolder(folder), description, terminal.CommandLine);
                try
                {
                    EmulatedBoard emulator = EmulatedBoard.CreateInMemory(profile! with { Baud = lineBaud }, new FileModelStore(folder));
                    return Connect(emulator.HostLink!, options, description, lineBaud, board, port: null, emulator, boardLock, cancellationToken);
                }
                catch
                {
                    boardLock.Dispose();
                    throw;
                }
            }

            DeviceLock portLock = DeviceLock.Acquire(DeviceLock.ForPort(portName), $"the serial port {portName}", terminal.CommandLine);
            try
            {
                SerialPortLink link = SerialPortLink.Open(portName, lineBaud);
                return Connect(link, options, portName, lineBaud, board, link, emulator: null, portLock, cancellationToken);
            }
            catch
            {
                portLock.Dispose();
                throw;
            }
        }

        /// <summary>Throws <see cref="DeviceModelMismatchException"/> unless a model is running.</summary>
        public void RequireModel()
        {
            if (!Information.ModelLoaded)
            {
                throw DeviceModelMismatchException.NoModel();
            }
        }

        /// <summary>
        /// The running model read back from the device's flash (READ), checked to be the model INFO
        /// says is running, for its inputs, outputs and quantization.
        /// </summary>
        public DeviceModel ReadRunningModel(CancellationToken cancellationToken)
        {
            RequireModel();
            DeviceModel model = DeviceModel.FromBlob(Client.ReadModel(progress: null, cancellationToken));
            if (model.Crc != Information.ModelCrc)
            {
                throw new DeviceModelMismatchException(
                    $"The model stored on the device (CRC 0x{model.Crc:X8}) is not the one running (CRC 0x{Information.ModelCrc:X8}); deploy the model again.");
            }

            return model;
        }

        /// <summary>
        /// Deploys <paramref name="blob"/> (<see cref="DeviceClient.Deploy"/>). When the emulated board
        /// cannot write its flash file, the failure names the file and the operating system's reason.
        /// </summary>
        public DeployResult Deploy(byte[] blob, IProgress<TransferProgress> progress, CancellationToken cancellationToken)
        {
            try
            {
                return Client.Deploy(blob, progress, cancellationToken);
            }
            catch (TransferFailedException exception) when (_emulator?.Store is FileModelStore { LastError: string reason })
            {
                throw new TransferFailedException(
                    $"The emulated board received the model intact but could not write its flash file ({reason.TrimEnd('.')}); the previous model stays.",
                    exception.BytesAcknowledged, exception);
            }
        }

        public void Dispose()
        {
            _emulator?.Dispose();
            _port?.Dispose();
            _lock.Dispose();
        }

        private static DeviceSession Connect(ISerialLink link, DeviceClientOptions options, string description, int baud, BoardDefinition? board,
            ISerialLink? port, EmulatedBoard? emulator, DeviceLock deviceLock, CancellationToken cancellationToken)
        {
            DeviceClient client = new DeviceClient(link, options);
            try
            {
                DeviceInformation information = client.Hello(cancellationToken);
                return new DeviceSession(client, information, description, baud, board, port, emulator, deviceLock);
            }
            catch
            {
                emulator?.Dispose();
                port?.Dispose();
                throw;
            }
        }
    }
}
