using System;

namespace NanoInt8.Device.Tests
{
    /// <summary>
    /// One direction of an in-memory serial line: a byte queue in one array, compacted when the end
    /// is reached and grown only when it is too small, so steady traffic allocates nothing.
    /// Device code (runs on nanoCLR too): no generics, no System.Math.
    /// </summary>
    public sealed class ByteQueue
    {
        private byte[] _data;
        private int _start;
        private int _count;

        /// <summary>An empty queue with room for <paramref name="capacity"/> bytes before it grows.</summary>
        public ByteQueue(int capacity)
        {
            _data = new byte[capacity];
        }

        /// <summary>Bytes waiting to be read.</summary>
        public int Count
        {
            get { return _count; }
        }

        /// <summary>Appends buffer[offset .. offset + count).</summary>
        public void Write(byte[] buffer, int offset, int count)
        {
            if (_start + _count + count > _data.Length)
            {
                if (_count + count > _data.Length)
                {
                    int capacity = _data.Length * 2;
                    byte[] larger = new byte[capacity > _count + count ? capacity : _count + count];
                    Array.Copy(_data, _start, larger, 0, _count);
                    _data = larger;
                }
                else
                {
                    Array.Copy(_data, _start, _data, 0, _count);
                }

                _start = 0;
            }

            Array.Copy(buffer, offset, _data, _start + _count, count);
            _count += count;
        }

        /// <summary>Takes up to <paramref name="count"/> bytes; returns how many were taken.</summary>
        public int Read(byte[] buffer, int offset, int count)
        {
            int taken = count < _count ? count : _count;
            Array.Copy(_data, _start, buffer, offset, taken);
            _start += taken;
            _count -= taken;
            if (_count == 0)
            {
                _start = 0;
            }

            return taken;
        }

        /// <summary>Forgets every byte (a cable pulled).</summary>
        public void Clear()
        {
            _start = 0;
            _count = 0;
        }
    }
}
