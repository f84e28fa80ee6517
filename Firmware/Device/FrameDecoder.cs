using System;
using NanoInt8.Runtime;

namespace NanoInt8.Device
{
    /// <summary>
    /// Reassembles frames from a byte stream fed in blocks of any size. Bytes are collected up to a
    /// 0x00 delimiter, COBS-decoded in place and checked (length field, CRC); a valid frame is
    /// offered to the caller, anything else is dropped silently, and the next delimiter starts
    /// afresh. That is how a receiver resynchronises after noise. One buffer, allocated once.
    /// </summary>
    /// <remarks>
    /// Use: <c>consumed = Feed(data, offset, count)</c> in a loop; after each call, when
    /// <see cref="FrameReady"/> is true the frame is in <see cref="Buffer"/> (type at 0, sequence at 1,
    /// payload at <see cref="FrameCodec.PayloadOffset"/>) until the next call to Feed.
    /// An empty block (two delimiters in a row) is an idle line, not an error: it is neither
    /// received nor dropped.
    /// </remarks>
    public sealed class FrameDecoder
    {
        private readonly byte[] _buffer;
        private readonly int _maxFrameLength;
        private int _count;
        private bool _overflow;
        private bool _frameReady;
        private int _payloadLength;
        private int _framesReceived;
        private int _framesDropped;
        private uint _frameCrc;

        /// <summary>A decoder for frames of any length the protocol allows but a CHUNK larger than <see cref="Protocol.BaseModelChunk"/>.</summary>
        public FrameDecoder()
            : this(FrameCodec.MaxPayloadLength)
        {
        }

        /// <summary>
        /// A decoder for frames with payloads of at most <paramref name="maxPayloadLength"/> bytes: a
        /// longer one is dropped. The device takes CHUNKs as large as it offers with a larger one; it
        /// watches for RESET (a 10-byte frame) with a small one.
        /// </summary>
        public FrameDecoder(int maxPayloadLength)
        {
            if (maxPayloadLength < 0 || maxPayloadLength > FrameCodec.MaxChunkPayloadLength)
            {
                throw new ArgumentOutOfRangeException();
            }

            _maxFrameLength = maxPayloadLength + FrameCodec.Overhead;
            _buffer = new byte[Cobs.MaxEncodedLength(_maxFrameLength)];
        }

        /// <summary>The decoded frame when <see cref="FrameReady"/> is true.</summary>
        public byte[] Buffer
        {
            get { return _buffer; }
        }

        /// <summary>True when the last <see cref="Feed"/> ended with a complete valid frame.</summary>
        public bool FrameReady
        {
            get { return _frameReady; }
        }

        /// <summary>Type byte of the ready frame.</summary>
        public int Type
        {
            get { return _buffer[FrameCodec.TypeOffset]; }
        }

        /// <summary>Sequence byte of the ready frame.</summary>
        public int Sequence
        {
            get { return _buffer[FrameCodec.SequenceOffset]; }
        }

        /// <summary>Payload length of the ready frame; the payload starts at <see cref="FrameCodec.PayloadOffset"/>.</summary>
        public int PayloadLength
        {
            get { return _payloadLength; }
        }

        /// <summary>The CRC field of the ready frame: with type, sequence and length it tells a repeated request from a new one.</summary>
        public uint FrameCrc
        {
            get { return _frameCrc; }
        }

        /// <summary>Valid frames decoded so far.</summary>
        public int FramesReceived
        {
            get { return _framesReceived; }
        }

        /// <summary>Malformed blocks dropped so far (bad COBS, too short, too long, wrong length field, wrong CRC).</summary>
        public int FramesDropped
        {
            get { return _framesDropped; }
        }

        /// <summary>
        /// Consumes data[offset .. offset + count) up to and including the delimiter that completes
        /// the next valid frame, or all of it. Returns the number of bytes consumed; the caller
        /// feeds the rest in the next call.
        /// </summary>
        public int Feed(byte[] data, int offset, int count)
        {
            _frameReady = false;
            byte[] buffer = _buffer;
            int capacity = buffer.Length;
            int end = offset + count;
            int read = offset;
            while (read < end)
            {
                byte value = data[read++];
                if (value != FrameCodec.Delimiter)
                {
                    if (_count < capacity)
                    {
                        buffer[_count++] = value;
                    }
                    else
                    {
                        _overflow = true;
                    }

                    continue;
                }

                if (CompleteFrame())
                {
                    _frameReady = true;
                    return read - offset;
                }
            }

            return count;
        }

        /// <summary>Forgets a partly received frame and any ready frame.</summary>
        public void Reset()
        {
            _count = 0;
            _overflow = false;
            _frameReady = false;
        }

        private bool CompleteFrame()
        {
            int encodedLength = _count;
            bool overflow = _overflow;
            _count = 0;
            _overflow = false;
            if (encodedLength == 0 && !overflow)
            {
                return false;
            }

            int frameLength = overflow ? -1 : Cobs.Decode(_buffer, 0, encodedLength, _buffer, 0);
            if (frameLength < FrameCodec.Overhead || frameLength > _maxFrameLength
                || LittleEndian.ReadUInt16(_buffer, FrameCodec.LengthOffset) != frameLength - FrameCodec.Overhead)
            {
                _framesDropped++;
                return false;
            }

            int crcOffset = frameLength - 4;
            uint crc = LittleEndian.ReadUInt32(_buffer, crcOffset);
            if (Crc32.Compute(_buffer, 0, crcOffset) != crc)
            {
                _framesDropped++;
                return false;
            }

            _frameCrc = crc;
            _payloadLength = frameLength - FrameCodec.Overhead;
            _framesReceived++;
            return true;
        }
    }
}
