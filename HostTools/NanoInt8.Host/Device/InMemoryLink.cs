namespace NanoInt8.Host.Device
{
    /// <summary>
    /// One end of an in-process serial line: what one end writes, the other reads, instantly and
    /// without loss. <see cref="CreatePair"/> makes both ends; the emulated board and the tests use
    /// it, wrapped in <see cref="ThrottledLink"/> to model a real line's speed or in
    /// <see cref="FaultInjectingLink"/> to model noise.
    /// </summary>
    /// <remarks>
    /// Disposing either end closes the line: the other end reads what is left, then gets
    /// <see cref="SerialLinkClosedException"/>. An in-memory line cannot be reopened.
    /// </remarks>
    public sealed class InMemoryLink : ISerialLink
    {
        private readonly BlockingBytePipe _incoming;
        private readonly BlockingBytePipe _outgoing;

        private InMemoryLink(string name, BlockingBytePipe incoming, BlockingBytePipe outgoing)
        {
            Name = name;
            _incoming = incoming;
            _outgoing = outgoing;
        }

        /// <inheritdoc />
        public string Name { get; }

        /// <inheritdoc />
        public bool CanReopen => false;

        /// <summary>Bytes that arrived at this end and were not read yet.</summary>
        public int BytesAvailable => _incoming.Count;

        /// <summary>Creates the two ends of a line.</summary>
        /// <param name="name">What both ends are called in messages.</param>
        /// <returns>The host's end and the device's end.</returns>
        public static (InMemoryLink Host, InMemoryLink Device) CreatePair(string name = "the in-memory line")
        {
            BlockingBytePipe toDevice = new BlockingBytePipe(name);
            BlockingBytePipe toHost = new BlockingBytePipe(name);
            return (new InMemoryLink(name, toHost, toDevice), new InMemoryLink(name, toDevice, toHost));
        }

        /// <inheritdoc />
        public int Read(byte[] buffer, int offset, int count, int timeoutMilliseconds)
        {
            ArgumentNullException.ThrowIfNull(buffer);
            return _incoming.Read(buffer, offset, count, timeoutMilliseconds);
        }

        /// <inheritdoc />
        public void Write(byte[] buffer, int offset, int count)
        {
            ArgumentNullException.ThrowIfNull(buffer);
            _outgoing.Write(buffer, offset, count);
        }

        /// <inheritdoc />
        public void Reopen()
        {
            throw new NotSupportedException("An in-memory line cannot be reopened.");
        }

        /// <summary>Closes the line in both directions.</summary>
        public void Dispose()
        {
            _incoming.Close();
            _outgoing.Close();
        }
    }
}
