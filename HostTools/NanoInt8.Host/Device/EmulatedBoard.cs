using NanoInt8.Device;

namespace NanoInt8.Host.Device
{
    /// <summary>
    /// A board without the hardware: the device's own <see cref="DeviceServer"/> (the net10.0 build
    /// of Firmware/Device) with a board's memory budgets, its line throttled to the board's baud
    /// (<see cref="ThrottledLink"/>), its flash a <see cref="FileModelStore"/>. Over an in-memory
    /// line it serves hosttool in the same process (<see cref="CreateInMemory"/>); over a serial port
    /// it serves any host (<c>hosttool emulate --port P</c>).
    /// </summary>
    /// <remarks>
    /// Like the firmware, it boots from the store every time it starts, so a model deployed by one
    /// hosttool invocation is there for the next. Its sensor is <see cref="SyntheticInputSource"/>.
    /// Bench and INFER times are the interpreter's time on this computer, not on an ESP32.
    /// </remarks>
    public sealed class EmulatedBoard : IDisposable
    {
        /// <summary>The board emulated when none is named.</summary>
        public const string DefaultBoardId = "esp32-devkitc";

        /// <summary>Environment variable naming the folder that holds each emulated board's flash folder.</summary>
        public const string HomeVariable = "NANOINT8_EMULATOR_HOME";

        // How long one link read waits for bytes, so the loop notices cancellation and sensor periods.
        private const int PollMilliseconds = 10;

        private readonly ISerialLink _link;
        private readonly LinkAdapter _adapter;
        private readonly CancellationTokenSource _stop = new CancellationTokenSource();
        private Thread? _thread;
        private bool _disposed;

        /// <summary>A board on <paramref name="link"/>, which it then owns (and throttles when the profile has a baud).</summary>
        /// <param name="link">The device's end of the line.</param>
        /// <param name="store">The board's flash.</param>
        /// <param name="profile">Name, budgets and line speed.</param>
        public EmulatedBoard(ISerialLink link, IModelStore store, EmulatedBoardProfile profile)
        {
            ArgumentNullException.ThrowIfNull(link);
            ArgumentNullException.ThrowIfNull(store);
            ArgumentNullException.ThrowIfNull(profile);
            Profile = profile;
            Store = store;
            _link = profile.Baud > 0 ? new ThrottledLink(link, profile.Baud, profile.TurnaroundLatency) : link;
            _adapter = new LinkAdapter(_link);
            DeviceInfo info = new DeviceInfo(profile.DisplayName, FirmwareVersion.Major, FirmwareVersion.Minor, FirmwareVersion.Build,
                profile.SerialReadBufferBytes, profile.ModelBudgetBytes, profile.TransferBudgetBytes, profile.MaxWorkPerInference);
            Server = new DeviceServer(_adapter, store, info, new SyntheticInputSource());
        }

        /// <summary>The firmware version the emulated board reports.</summary>
        public static Version FirmwareVersion { get; } = new Version(1, 0, 0);

        /// <summary>What the board pretends to be.</summary>
        public EmulatedBoardProfile Profile { get; }

        /// <summary>The board's flash.</summary>
        public IModelStore Store { get; }

        /// <summary>The device's protocol server (read its counters only when the board is stopped).</summary>
        public DeviceServer Server { get; }

        /// <summary>For a board made by <see cref="CreateInMemory"/>: the host's end of its line.</summary>
        public ISerialLink? HostLink { get; private set; }

        /// <summary>
        /// The folder of a board's flash: <c>$NANOINT8_EMULATOR_HOME/BOARD</c>, or
        /// <c>~/.nanoint8/emulator/BOARD</c> when the variable is not set.
        /// </summary>
        public static string DefaultStoreFolder(string boardId)
        {
            ArgumentException.ThrowIfNullOrEmpty(boardId);
            string? home = Environment.GetEnvironmentVariable(HomeVariable);
            if (string.IsNullOrEmpty(home))
            {
                home = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nanoint8", "emulator");
            }

            return Path.GetFullPath(Path.Combine(home, boardId));
        }

        /// <summary>
        /// A board on an in-memory line, already running on its own thread; talk to it through
        /// <see cref="HostLink"/>. Dispose the board to stop it.
        /// </summary>
        public static EmulatedBoard CreateInMemory(EmulatedBoardProfile profile, IModelStore store)
        {
            ArgumentNullException.ThrowIfNull(profile);
            (InMemoryLink host, InMemoryLink device) = InMemoryLink.CreatePair($"the emulated board {profile.BoardId}");
            EmulatedBoard board = new EmulatedBoard(device, store, profile) { HostLink = host };
            board.Start();
            return board;
        }

        /// <summary>Boots and serves on a background thread until <see cref="Dispose"/>.</summary>
        public void Start()
        {
            if (_thread is not null)
            {
                throw new InvalidOperationException("The board is already running.");
            }

            _thread = new Thread(() =>
            {
                try
                {
                    Run(_stop.Token);
                }
                catch (SerialLinkClosedException)
                {
                    // The line was closed: the board is switched off.
                }
            })
            {
                IsBackground = true,
                Name = $"EmulatedBoard {Profile.BoardId}",
            };
            _thread.Start();
        }

        /// <summary>Boots and serves on the calling thread until <paramref name="cancellationToken"/> is cancelled.</summary>
        /// <exception cref="SerialLinkClosedException">The line went away (the serial port closed, the peer ended).</exception>
        public void Run(CancellationToken cancellationToken)
        {
            Server.Boot();
            while (!cancellationToken.IsCancellationRequested)
            {
                Server.Poll();
                if (_adapter.Closed)
                {
                    throw new SerialLinkClosedException(_link.Name);
                }
            }
        }

        /// <summary>Stops the board and closes its line.</summary>
        public void Dispose()
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _stop.Cancel();
            _thread?.Join();
            _link.Dispose();
            HostLink?.Dispose();
            _stop.Dispose();
        }

        /// <summary>The device's view of the line: short reads, and a closed line noted instead of thrown into the server.</summary>
        private sealed class LinkAdapter : IByteLink
        {
            private readonly ISerialLink _link;

            public LinkAdapter(ISerialLink link)
            {
                _link = link;
            }

            public bool Closed { get; private set; }

            public int Read(byte[] buffer, int offset, int count) => ReadWithin(buffer, offset, count, PollMilliseconds);

            public int ReadAvailable(byte[] buffer, int offset, int count) => ReadWithin(buffer, offset, count, 0);

            public void Write(byte[] buffer, int offset, int count)
            {
                if (Closed)
                {
                    return;
                }

                try
                {
                    _link.Write(buffer, offset, count);
                }
                catch (SerialLinkClosedException)
                {
                    Closed = true;
                }
            }

            private int ReadWithin(byte[] buffer, int offset, int count, int timeoutMilliseconds)
            {
                if (Closed)
                {
                    return 0;
                }

                try
                {
                    return _link.Read(buffer, offset, count, timeoutMilliseconds);
                }
                catch (SerialLinkClosedException)
                {
                    Closed = true;
                    return 0;
                }
            }
        }
    }
}
