namespace NanoInt8.Host.Device
{
    /// <summary>
    /// The byte stream between the host and a device, as the host side sees it: a serial port
    /// (<see cref="SerialPortLink"/>), one end of an in-memory line (<see cref="InMemoryLink"/>), or a
    /// decorator that models or damages the line (<see cref="ThrottledLink"/>, <see cref="FaultInjectingLink"/>).
    /// </summary>
    /// <remarks>
    /// Reads block up to a timeout, so the protocol code above needs no threads of its own. One
    /// thread may read while another writes. A link that is gone (port closed, cable pulled, the
    /// peer process ended) throws <see cref="SerialLinkClosedException"/>; a peer that merely went
    /// silent looks like nothing but timeouts, as a real serial line does.
    /// </remarks>
    public interface ISerialLink : IDisposable
    {
        /// <summary>What to call the link in messages: the port name, or "in-memory".</summary>
        string Name { get; }

        /// <summary>True when <see cref="Reopen"/> can bring a broken link back (a serial port can be opened again).</summary>
        bool CanReopen { get; }

        /// <summary>
        /// Reads up to <paramref name="count"/> bytes into buffer[offset..]. Waits at most
        /// <paramref name="timeoutMilliseconds"/> (0: only what has arrived) for the first byte.
        /// </summary>
        /// <returns>The number of bytes read, 0 when nothing arrived in time.</returns>
        /// <exception cref="SerialLinkClosedException">The link is gone.</exception>
        int Read(byte[] buffer, int offset, int count, int timeoutMilliseconds);

        /// <summary>Writes all <paramref name="count"/> bytes of buffer[offset..].</summary>
        /// <exception cref="SerialLinkClosedException">The link is gone.</exception>
        void Write(byte[] buffer, int offset, int count);

        /// <summary>
        /// Closes the link and opens it again, forgetting whatever was in flight: what a host does
        /// after the line broke. Only when <see cref="CanReopen"/> is true.
        /// </summary>
        /// <exception cref="SerialPortUnavailableException">The port cannot be opened (yet).</exception>
        /// <exception cref="NotSupportedException"><see cref="CanReopen"/> is false.</exception>
        void Reopen();
    }
}
