namespace NanoInt8.Device
{
    /// <summary>
    /// The byte stream to the host: a UART on the device, a serial port or an in-memory pipe for
    /// the emulated board and the tests. The protocol code only ever sees this.
    /// </summary>
    public interface IByteLink
    {
        /// <summary>
        /// Reads up to <paramref name="count"/> bytes into buffer[offset..]. Returns the number read,
        /// 0 when nothing arrived within the link's short read timeout. Never blocks for long.
        /// </summary>
        int Read(byte[] buffer, int offset, int count);

        /// <summary>
        /// Reads up to <paramref name="count"/> bytes that have already arrived, without waiting:
        /// 0 at once when there are none. The server looks at the line this way between the
        /// operators of an inference, for a RESET.
        /// </summary>
        int ReadAvailable(byte[] buffer, int offset, int count);

        /// <summary>Writes all <paramref name="count"/> bytes of buffer[offset..].</summary>
        void Write(byte[] buffer, int offset, int count);
    }
}
