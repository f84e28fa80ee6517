// API checked against: nanoframework/System.IO.Ports v1.1.139 (3cc8cdf), System.IO.Ports/SerialPort.cs
// (BytesToRead, Read, Write, ReadTimeout). Read's behaviour on ESP32: nanoframework/nf-interpreter a3e8139,
// targets/ESP32/_nanoCLR/System.IO.Ports/sys_io_ser_native_System_IO_Ports_SerialPort.cpp: Read(count) returns
// at once only when count bytes are buffered, otherwise waits for all of them and throws
// System.TimeoutException after ReadTimeout, leaving the buffered bytes in place.
using System;
using System.IO.Ports;
using System.Threading;
using NanoInt8.Device;

namespace NanoInt8.App
{
    /// <summary>
    /// <see cref="IByteLink"/> over a UART opened with System.IO.Ports. A read takes only bytes the
    /// driver has already buffered, so it never blocks on a count that has not arrived; when nothing
    /// is buffered it polls for up to the wait time and returns 0. A timeout never throws.
    /// </summary>
    public sealed class SerialByteLink : IByteLink
    {
        // Poll step while waiting for the first byte: 1 ms is about 92 bytes at 921600 baud, far
        // below the 4 KB driver buffer, so polling never loses data.
        private const int PollMilliseconds = 1;

        // Bound for SerialPort.Read, which is only ever asked for bytes already buffered.
        private const int ReadTimeoutMilliseconds = 50;

        private const long TicksPerMillisecond = 10000;

        private readonly SerialPort _port;
        private readonly long _waitTicks;

        /// <summary>Uses an open port; waits up to <paramref name="waitMilliseconds"/> for data per read.</summary>
        /// <param name="port">The open model-link port.</param>
        /// <param name="waitMilliseconds">How long a read waits for the first byte, at least 0.</param>
        public SerialByteLink(SerialPort port, int waitMilliseconds)
        {
            if (port == null)
            {
                throw new ArgumentNullException();
            }

            if (waitMilliseconds < 0)
            {
                throw new ArgumentOutOfRangeException();
            }

            _port = port;
            _port.ReadTimeout = ReadTimeoutMilliseconds;
            _waitTicks = waitMilliseconds * TicksPerMillisecond;
        }

        /// <inheritdoc/>
        public int Read(byte[] buffer, int offset, int count)
        {
            if (count <= 0)
            {
                return 0;
            }

            int available = _port.BytesToRead;
            if (available == 0)
            {
                long deadline = DateTime.UtcNow.Ticks + _waitTicks;
                do
                {
                    Thread.Sleep(PollMilliseconds);
                    available = _port.BytesToRead;
                }
                while (available == 0 && DateTime.UtcNow.Ticks < deadline);

                if (available == 0)
                {
                    return 0;
                }
            }

            int take = available < count ? available : count;
            try
            {
                return _port.Read(buffer, offset, take);
            }
            catch (TimeoutException)
            {
                // Cannot happen for buffered bytes; the contract is still "0, never throw".
                return 0;
            }
        }

        /// <inheritdoc/>
        public int ReadAvailable(byte[] buffer, int offset, int count)
        {
            // BytesToRead is one native call: cheap enough between every two operators of an inference.
            int available = count <= 0 ? 0 : _port.BytesToRead;
            if (available == 0)
            {
                return 0;
            }

            try
            {
                return _port.Read(buffer, offset, available < count ? available : count);
            }
            catch (TimeoutException)
            {
                return 0;
            }
        }

        /// <inheritdoc/>
        public void Write(byte[] buffer, int offset, int count)
        {
            // No handshake lines: transmission is paced by the baud rate alone and always completes.
            _port.Write(buffer, offset, count);
        }
    }
}
