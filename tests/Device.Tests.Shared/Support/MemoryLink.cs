namespace NanoInt8.Device.Tests
{
    /// <summary>
    /// The device's end of an in-memory serial line (<see cref="IByteLink"/>); the test writes to
    /// <see cref="ToDevice"/> and reads the answers from <see cref="ToHost"/>.
    /// </summary>
    public sealed class MemoryLink : IByteLink
    {
        private readonly ByteQueue _toDevice = new ByteQueue(4096);
        private readonly ByteQueue _toHost = new ByteQueue(4096);
        private int _maxReadBytes = int.MaxValue;

        /// <summary>What the host sent and the device has not read yet.</summary>
        public ByteQueue ToDevice
        {
            get { return _toDevice; }
        }

        /// <summary>What the device wrote and the host has not read yet.</summary>
        public ByteQueue ToHost
        {
            get { return _toHost; }
        }

        /// <summary>Most bytes one device read returns (to split frames across reads); unlimited by default.</summary>
        public int MaxReadBytes
        {
            get { return _maxReadBytes; }
            set { _maxReadBytes = value; }
        }

        /// <summary>A cable pulled and plugged back: whatever was on the line is lost.</summary>
        public void Disconnect()
        {
            _toDevice.Clear();
            _toHost.Clear();
        }

        /// <inheritdoc />
        public int Read(byte[] buffer, int offset, int count)
        {
            return _toDevice.Read(buffer, offset, count < _maxReadBytes ? count : _maxReadBytes);
        }

        /// <inheritdoc />
        public int ReadAvailable(byte[] buffer, int offset, int count)
        {
            return Read(buffer, offset, count);
        }

        /// <inheritdoc />
        public void Write(byte[] buffer, int offset, int count)
        {
            _toHost.Write(buffer, offset, count);
        }
    }
}
