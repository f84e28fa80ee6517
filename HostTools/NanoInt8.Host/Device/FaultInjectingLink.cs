namespace NanoInt8.Host.Device
{
    /// <summary>
    /// What <see cref="FaultInjectingLink"/> does to the bytes: each byte, in each direction, is
    /// dropped, has one bit flipped, or is sent twice with the given probabilities, drawn from a
    /// seeded generator so a failing run can be repeated.
    /// </summary>
    public sealed record LinkFaults
    {
        /// <summary>Probability that a byte is lost, 0 .. 1 (a noisy line: about 1e-3 at most).</summary>
        public double DropRate { get; init; }

        /// <summary>Probability that one random bit of a byte is inverted.</summary>
        public double BitFlipRate { get; init; }

        /// <summary>Probability that a byte arrives twice.</summary>
        public double DuplicateRate { get; init; }

        /// <summary>Seed of the generators (the host-to-device direction uses it, the other direction seed + 1).</summary>
        public int Seed { get; init; }

        /// <summary>No faults.</summary>
        public static LinkFaults None { get; } = new LinkFaults();
    }

    /// <summary>
    /// A link that damages the bytes going through it (<see cref="LinkFaults"/>) and can be
    /// disconnected and reconnected, as noise and a loose cable would: for testing that the protocol
    /// recovers. Wrap the host's end; faults then hit both directions.
    /// </summary>
    /// <remarks>
    /// While disconnected, reads and writes throw <see cref="SerialLinkClosedException"/> (what a
    /// serial port does when its adapter is unplugged) and whatever was on the line is lost.
    /// <see cref="Reopen"/> reconnects. <see cref="DisconnectAfterBytesWritten"/> scripts a
    /// disconnect at an exact point of the host's traffic.
    /// </remarks>
    public sealed class FaultInjectingLink : ISerialLink
    {
        private readonly ISerialLink _inner;
        private volatile LinkFaults _faults = LinkFaults.None;
        private readonly Random _writeRandom;
        private readonly Random _readRandom;
        private readonly object _gate = new object();
        private byte[] _writeBuffer = new byte[1024];
        private byte[] _readBuffer = new byte[1024];
        private byte[] _pending = new byte[2048];
        private int _pendingStart;
        private int _pendingCount;
        private volatile bool _disconnected;
        private long _bytesWritten;

        /// <summary>Wraps <paramref name="inner"/>, which this link then owns.</summary>
        public FaultInjectingLink(ISerialLink inner, LinkFaults faults)
        {
            ArgumentNullException.ThrowIfNull(inner);
            Faults = faults;
            _inner = inner;
            _writeRandom = new Random(faults.Seed);
            _readRandom = new Random(unchecked(faults.Seed + 1));
        }

        /// <inheritdoc />
        public string Name => _inner.Name;

        /// <summary>The faults from now on (a line that turns noisy or clean while in use); the generators keep the first seed.</summary>
        public LinkFaults Faults
        {
            get => _faults;
            set
            {
                ArgumentNullException.ThrowIfNull(value);
                CheckRate(value.DropRate, nameof(value.DropRate));
                CheckRate(value.BitFlipRate, nameof(value.BitFlipRate));
                CheckRate(value.DuplicateRate, nameof(value.DuplicateRate));
                _faults = value;
            }
        }

        /// <summary>Always true: <see cref="Reopen"/> reconnects.</summary>
        public bool CanReopen => true;

        /// <summary>
        /// When set (not negative), the link disconnects by itself once the host has written this many
        /// bytes through it in all; the write that crosses the mark is cut there. Reset to -1 when it fires.
        /// </summary>
        public long DisconnectAfterBytesWritten { get; set; } = -1;

        /// <summary>True while disconnected.</summary>
        public bool IsDisconnected => _disconnected;

        /// <summary>Bytes the host wrote through the link in all (before faults).</summary>
        public long BytesWritten => Interlocked.Read(ref _bytesWritten);

        /// <summary>Bytes dropped so far, both directions.</summary>
        public long BytesDropped { get; private set; }

        /// <summary>Bytes with a bit flipped so far, both directions.</summary>
        public long BitsFlipped { get; private set; }

        /// <summary>Bytes duplicated so far, both directions.</summary>
        public long BytesDuplicated { get; private set; }

        /// <summary>Times the link was disconnected.</summary>
        public int Disconnects { get; private set; }

        /// <summary>Times the link was reconnected.</summary>
        public int Reconnects { get; private set; }

        /// <summary>Pulls the cable: reads and writes throw until <see cref="Reopen"/>.</summary>
        public void Disconnect()
        {
            lock (_gate)
            {
                if (!_disconnected)
                {
                    _disconnected = true;
                    Disconnects++;
                }
            }
        }

        /// <summary>Plugs the cable back in; what the other end sent meanwhile is lost.</summary>
        public void Reopen()
        {
            lock (_gate)
            {
                if (_inner.CanReopen)
                {
                    _inner.Reopen();
                }

                while (_inner.Read(_readBuffer, 0, _readBuffer.Length, 0) > 0)
                {
                    // Bytes that arrived while the cable was out never reached this end.
                }

                _pendingCount = 0;

                _disconnected = false;
                Reconnects++;
            }
        }

        /// <inheritdoc />
        public int Read(byte[] buffer, int offset, int count, int timeoutMilliseconds)
        {
            ArgumentNullException.ThrowIfNull(buffer);
            ThrowIfDisconnected();
            if (_pendingCount > 0)
            {
                return TakePending(buffer, offset, count);
            }

            if (_readBuffer.Length < count)
            {
                _readBuffer = new byte[count];
            }

            while (true)
            {
                int read = _inner.Read(_readBuffer, 0, count, timeoutMilliseconds);
                ThrowIfDisconnected();
                if (read == 0)
                {
                    return 0;
                }

                lock (_gate)
                {
                    // Duplicates can make more bytes than asked for: the rest waits for the next read.
                    if (_pending.Length < 2 * read)
                    {
                        _pending = new byte[2 * read];
                    }

                    _pendingStart = 0;
                    _pendingCount = Damage(_readBuffer, read, _pending, 0, _readRandom);
                }

                // Everything dropped: read again rather than report a timeout that did not happen.
                if (_pendingCount > 0)
                {
                    return TakePending(buffer, offset, count);
                }
            }
        }

        /// <inheritdoc />
        public void Write(byte[] buffer, int offset, int count)
        {
            ArgumentNullException.ThrowIfNull(buffer);
            ThrowIfDisconnected();
            int produced;
            bool cut = false;
            lock (_gate)
            {
                long mark = DisconnectAfterBytesWritten;
                if (mark >= 0 && _bytesWritten + count >= mark)
                {
                    count = (int)Math.Max(0, mark - _bytesWritten);
                    cut = true;
                }

                _bytesWritten += count;
                if (_writeBuffer.Length < 2 * count)
                {
                    _writeBuffer = new byte[2 * count];
                }

                produced = Damage(buffer.AsSpan(offset, count).ToArray(), count, _writeBuffer, 0, _writeRandom);
            }

            if (produced > 0)
            {
                _inner.Write(_writeBuffer, 0, produced);
            }

            if (cut)
            {
                DisconnectAfterBytesWritten = -1;
                Disconnect();
                throw new SerialLinkClosedException(Name);
            }
        }

        /// <summary>Disposes the link underneath.</summary>
        public void Dispose()
        {
            _inner.Dispose();
        }

        private int Damage(byte[] source, int count, byte[] destination, int offset, Random random)
        {
            LinkFaults faults = _faults;
            int write = offset;
            for (int index = 0; index < count; index++)
            {
                byte value = source[index];
                if (faults.DropRate > 0 && random.NextDouble() < faults.DropRate)
                {
                    BytesDropped++;
                    continue;
                }

                if (faults.BitFlipRate > 0 && random.NextDouble() < faults.BitFlipRate)
                {
                    value ^= (byte)(1 << random.Next(8));
                    BitsFlipped++;
                }

                destination[write++] = value;
                if (faults.DuplicateRate > 0 && random.NextDouble() < faults.DuplicateRate)
                {
                    destination[write++] = value;
                    BytesDuplicated++;
                }
            }

            return write - offset;
        }

        private int TakePending(byte[] buffer, int offset, int count)
        {
            int taken = Math.Min(count, _pendingCount);
            Array.Copy(_pending, _pendingStart, buffer, offset, taken);
            _pendingStart += taken;
            _pendingCount -= taken;
            return taken;
        }

        private void ThrowIfDisconnected()
        {
            if (_disconnected)
            {
                throw new SerialLinkClosedException(Name);
            }
        }

        private static void CheckRate(double rate, string name)
        {
            if (!(rate >= 0 && rate <= 1))
            {
                throw new ArgumentOutOfRangeException(name, rate, "A fault rate is a probability from 0 to 1.");
            }
        }
    }
}
