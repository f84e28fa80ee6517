using System.Diagnostics;
using NanoInt8.Device;

namespace NanoInt8.Host.Device
{
    /// <summary>A frame as received: type, sequence and a copy of the payload.</summary>
    internal readonly record struct Frame(int Type, int Sequence, byte[] Payload);

    /// <summary>
    /// Frames over an <see cref="ISerialLink"/>, with the device's own codec (<see cref="FrameCodec"/>,
    /// <see cref="FrameDecoder"/>): sends a frame, or waits until a deadline for the next valid one.
    /// Malformed frames are dropped by the decoder, exactly as on the device.
    /// </summary>
    internal sealed class FrameChannel
    {
        // Reads wake up at least this often so cancellation is noticed.
        private const int ReadSliceMilliseconds = 50;

        private readonly FrameDecoder _decoder = new FrameDecoder();
        // Large enough for the largest CHUNK a device may offer; the device's answers are all small.
        private readonly byte[] _frame = new byte[FrameCodec.MaxChunkFrameLength];
        private readonly byte[] _wire = new byte[FrameCodec.MaxChunkWireLength];
        private readonly byte[] _received = new byte[4096];
        private int _receivedOffset;
        private int _receivedCount;

        public FrameChannel(ISerialLink link)
        {
            Link = link;
        }

        public ISerialLink Link { get; }

        /// <summary>Bytes written to the link, delimiters and idle bytes included.</summary>
        public long BytesWritten { get; private set; }

        /// <summary>Bytes read from the link in all: any of them shows the device is there, even when noise spoilt its frames.</summary>
        public long BytesRead { get; private set; }

        /// <summary>
        /// True once the link threw <see cref="SerialLinkClosedException"/>: a frame may have been cut
        /// in the middle, so the next one must start with a delimiter (<see cref="SendIdle"/> clears it).
        /// </summary>
        public bool Broken { get; private set; }

        /// <summary>Frames the decoder dropped (noise, corruption).</summary>
        public int FramesDropped => _decoder.FramesDropped;

        /// <summary>
        /// Sends one 0x00: ends whatever half frame the device collected before (a host that opens
        /// the port does this first), and forgets what this side had half received.
        /// </summary>
        public void SendIdle()
        {
            _decoder.Reset();
            _receivedOffset = 0;
            _receivedCount = 0;
            _wire[0] = FrameCodec.Delimiter;
            Write(1);
            Broken = false;
        }

        /// <summary>Encodes and writes one frame; returns its length on the wire.</summary>
        public int Send(int type, int sequence, ReadOnlySpan<byte> payload)
        {
            payload.CopyTo(_frame.AsSpan(FrameCodec.PayloadOffset));
            int length = FrameCodec.Encode(_frame, type, sequence, payload.Length, _wire, 0);
            Write(length);
            return length;
        }

        private void Write(int length)
        {
            try
            {
                Link.Write(_wire, 0, length);
            }
            catch (SerialLinkClosedException)
            {
                Broken = true;
                throw;
            }

            BytesWritten += length;
        }

        /// <summary>The next valid frame, or null when none arrived before <paramref name="deadline"/> (a <see cref="Stopwatch"/> timestamp).</summary>
        /// <exception cref="SerialLinkClosedException">The link is gone.</exception>
        /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
        public Frame? Receive(long deadline, CancellationToken cancellationToken)
        {
            while (true)
            {
                while (_receivedCount > 0)
                {
                    int consumed = _decoder.Feed(_received, _receivedOffset, _receivedCount);
                    _receivedOffset += consumed;
                    _receivedCount -= consumed;
                    if (_decoder.FrameReady)
                    {
                        byte[] buffer = _decoder.Buffer;
                        byte[] payload = buffer.AsSpan(FrameCodec.PayloadOffset, _decoder.PayloadLength).ToArray();
                        return new Frame(_decoder.Type, _decoder.Sequence, payload);
                    }
                }

                cancellationToken.ThrowIfCancellationRequested();
                long remaining = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), deadline).Ticks;
                if (remaining <= 0)
                {
                    return null;
                }

                int timeout = (int)Math.Clamp(Math.Ceiling(remaining / (double)TimeSpan.TicksPerMillisecond), 1, ReadSliceMilliseconds);
                _receivedOffset = 0;
                try
                {
                    _receivedCount = Link.Read(_received, 0, _received.Length, timeout);
                }
                catch (SerialLinkClosedException)
                {
                    Broken = true;
                    throw;
                }

                BytesRead += _receivedCount;
            }
        }
    }
}
