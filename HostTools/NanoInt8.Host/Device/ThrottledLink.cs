using System.Diagnostics;

namespace NanoInt8.Host.Device
{
    /// <summary>
    /// Makes a link as slow as a UART at a given baud rate: each byte takes 10 bit times on the line
    /// (start, 8 data, stop), in both directions independently (full duplex), and every byte arrives
    /// a fixed turnaround latency after it left the line (a USB-serial adapter's buffering, the
    /// driver's latency timer). Put it on one end of a line only: it throttles what that end sends
    /// and what it receives.
    /// </summary>
    /// <remarks>
    /// A pseudo-terminal or an in-memory line moves megabytes per second whatever baud is set, so
    /// the emulated board wraps its end in this link to behave like a real board. Each direction is
    /// a pump thread: bytes are stamped with the time their last bit would leave the line (never
    /// before the previous byte's), split into pieces of at most 64 bytes as a UART's FIFO hands
    /// them over, and delivered when that time plus the latency has come. The clock is
    /// <see cref="Stopwatch"/>; the pumps sleep while the next piece is far away and spin for the
    /// last millisecond.
    /// </remarks>
    public sealed class ThrottledLink : ISerialLink
    {
        /// <summary>Bits on the line per byte: start bit, 8 data bits, stop bit (8N1).</summary>
        public const int BitsPerByte = 10;

        private const int PieceBytes = 64;

        private readonly ISerialLink _inner;
        private readonly double _ticksPerByte;
        private readonly long _latencyTicks;
        private BlockingBytePipe _toSend = null!;
        private BlockingBytePipe _received = null!;
        private Pump? _transmit;
        private Pump? _receive;

        /// <summary>Throttles <paramref name="inner"/>, which this link then owns.</summary>
        /// <param name="inner">The fast link underneath.</param>
        /// <param name="baud">The line's baud rate.</param>
        /// <param name="latency">Delay added to every byte in each direction, on top of its time on the line.</param>
        public ThrottledLink(ISerialLink inner, int baud, TimeSpan latency)
        {
            ArgumentNullException.ThrowIfNull(inner);
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(baud);
            ArgumentOutOfRangeException.ThrowIfLessThan(latency, TimeSpan.Zero);
            _inner = inner;
            Baud = baud;
            Latency = latency;
            _ticksPerByte = (double)Stopwatch.Frequency * BitsPerByte / baud;
            _latencyTicks = (long)(latency.TotalSeconds * Stopwatch.Frequency);
            Start();
        }

        /// <inheritdoc />
        public string Name => _inner.Name;

        /// <inheritdoc />
        public bool CanReopen => _inner.CanReopen;

        /// <summary>The modelled baud rate.</summary>
        public int Baud { get; }

        /// <summary>The turnaround latency added in each direction.</summary>
        public TimeSpan Latency { get; }

        /// <summary>Bytes per second a line at <paramref name="baud"/> carries: baud / 10.</summary>
        public static double BytesPerSecond(int baud) => (double)baud / BitsPerByte;

        /// <inheritdoc />
        public int Read(byte[] buffer, int offset, int count, int timeoutMilliseconds)
        {
            ArgumentNullException.ThrowIfNull(buffer);
            return _received.Read(buffer, offset, count, timeoutMilliseconds);
        }

        /// <inheritdoc />
        public void Write(byte[] buffer, int offset, int count)
        {
            ArgumentNullException.ThrowIfNull(buffer);
            _toSend.Write(buffer, offset, count);
        }

        /// <inheritdoc />
        public void Reopen()
        {
            Stop();
            _inner.Reopen();
            Start();
        }

        /// <summary>Stops the pumps and disposes the link underneath.</summary>
        public void Dispose()
        {
            Stop();
            _inner.Dispose();
        }

        private void Start()
        {
            BlockingBytePipe toSend = new BlockingBytePipe(_inner.Name);
            BlockingBytePipe received = new BlockingBytePipe(_inner.Name);
            _toSend = toSend;
            _received = received;
            // A failure of the link underneath closes the pipe its user sees, so the user gets
            // SerialLinkClosedException once the bytes already delivered are read.
            _transmit = new Pump(this, (buffer, count, timeout) => toSend.Read(buffer, 0, count, timeout), (buffer, count) => _inner.Write(buffer, 0, count), toSend.Close, "transmit");
            _receive = new Pump(this, (buffer, count, timeout) => _inner.Read(buffer, 0, count, timeout), (buffer, count) => received.Write(buffer, 0, count), received.Close, "receive");
        }

        private void Stop()
        {
            _toSend.Close();
            _received.Close();
            _transmit?.Stop();
            _receive?.Stop();
        }

        /// <summary>One direction: reads from a source, delivers each piece to a sink when the line would have.</summary>
        private sealed class Pump
        {
            private readonly ThrottledLink _owner;
            private readonly Func<byte[], int, int, int> _source;
            private readonly Action<byte[], int> _sink;
            private readonly Action _onFailure;
            private readonly Queue<(long Due, byte[] Data)> _scheduled = new Queue<(long Due, byte[] Data)>();
            private readonly Thread _thread;
            private volatile bool _stopping;
            private long _lineFree;

            public Pump(ThrottledLink owner, Func<byte[], int, int, int> source, Action<byte[], int> sink, Action onFailure, string direction)
            {
                _owner = owner;
                _source = source;
                _sink = sink;
                _onFailure = onFailure;
                _thread = new Thread(Run) { IsBackground = true, Name = $"ThrottledLink {direction}" };
                _thread.Start();
            }

            public void Stop()
            {
                _stopping = true;
                if (Thread.CurrentThread != _thread)
                {
                    _thread.Join();
                }
            }

            private void Run()
            {
                byte[] buffer = new byte[4096];
                try
                {
                    while (!_stopping)
                    {
                        long now = Stopwatch.GetTimestamp();
                        while (_scheduled.Count > 0 && _scheduled.Peek().Due <= now)
                        {
                            byte[] piece = _scheduled.Dequeue().Data;
                            _sink(piece, piece.Length);
                        }

                        // Wait for new bytes until one millisecond before the next piece is due,
                        // then poll and spin so the piece leaves on time.
                        int wait = 20;
                        if (_scheduled.Count > 0)
                        {
                            double milliseconds = (_scheduled.Peek().Due - now) * 1000.0 / Stopwatch.Frequency;
                            wait = Math.Min(20, (int)milliseconds - 1);
                        }

                        int read = _source(buffer, buffer.Length, Math.Max(wait, 0));
                        if (read > 0)
                        {
                            Schedule(buffer, read, Stopwatch.GetTimestamp());
                        }
                        else if (wait < 1)
                        {
                            Thread.Yield();
                        }
                    }
                }
                catch (SerialLinkClosedException)
                {
                    _onFailure();
                }
            }

            private void Schedule(byte[] buffer, int count, long now)
            {
                long start = Math.Max(now, _lineFree);
                double end = start;
                for (int offset = 0; offset < count; offset += PieceBytes)
                {
                    int length = Math.Min(PieceBytes, count - offset);
                    end += length * _owner._ticksPerByte;
                    _scheduled.Enqueue(((long)end + _owner._latencyTicks, buffer.AsSpan(offset, length).ToArray()));
                }

                _lineFree = (long)end;
            }
        }
    }
}
