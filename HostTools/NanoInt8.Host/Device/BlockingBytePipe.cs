namespace NanoInt8.Host.Device
{
    /// <summary>
    /// One direction of an in-process line: a thread-safe byte queue whose reader waits up to a
    /// timeout. Closing it lets the reader drain what is left, then makes reads and writes throw.
    /// </summary>
    internal sealed class BlockingBytePipe
    {
        private readonly object _gate = new object();
        private readonly string _name;
        private byte[] _data = new byte[16 * 1024];
        private int _start;
        private int _count;
        private bool _closed;

        public BlockingBytePipe(string name)
        {
            _name = name;
        }

        /// <summary>Bytes waiting to be read.</summary>
        public int Count
        {
            get
            {
                lock (_gate)
                {
                    return _count;
                }
            }
        }

        public void Write(byte[] buffer, int offset, int count)
        {
            lock (_gate)
            {
                if (_closed)
                {
                    throw new SerialLinkClosedException(_name);
                }

                if (_start + _count + count > _data.Length)
                {
                    byte[] target = _count + count > _data.Length ? new byte[Math.Max(_data.Length * 2, _count + count)] : _data;
                    Array.Copy(_data, _start, target, 0, _count);
                    _data = target;
                    _start = 0;
                }

                Array.Copy(buffer, offset, _data, _start + _count, count);
                _count += count;
                Monitor.PulseAll(_gate);
            }
        }

        public int Read(byte[] buffer, int offset, int count, int timeoutMilliseconds)
        {
            lock (_gate)
            {
                if (_count == 0 && !_closed && timeoutMilliseconds > 0)
                {
                    long deadline = Environment.TickCount64 + timeoutMilliseconds;
                    while (_count == 0 && !_closed)
                    {
                        long remaining = deadline - Environment.TickCount64;
                        if (remaining <= 0)
                        {
                            break;
                        }

                        Monitor.Wait(_gate, (int)remaining);
                    }
                }

                if (_count == 0)
                {
                    if (_closed)
                    {
                        throw new SerialLinkClosedException(_name);
                    }

                    return 0;
                }

                int taken = Math.Min(count, _count);
                Array.Copy(_data, _start, buffer, offset, taken);
                _start += taken;
                _count -= taken;
                if (_count == 0)
                {
                    _start = 0;
                }

                return taken;
            }
        }

        public void Close()
        {
            lock (_gate)
            {
                _closed = true;
                Monitor.PulseAll(_gate);
            }
        }
    }
}
