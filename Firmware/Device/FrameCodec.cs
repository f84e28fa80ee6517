using System;
using NanoInt8.Runtime;

namespace NanoInt8.Device
{
    /// <summary>
    /// Builds frames (docs/serial-protocol.md, "Framing") into caller-owned buffers, so that
    /// sending allocates nothing. <see cref="FrameDecoder"/> is the receiving side.
    /// </summary>
    /// <remarks>
    /// Frame layout before COBS, all little-endian:
    /// <code>
    /// offset 0  u8   type
    /// offset 1  u8   sequence
    /// offset 2  u16  payload length, 0 .. 512 (a CHUNK: up to 4 + the maxChunk the device offered)
    /// offset 4  ...  payload
    /// 4 + n     u32  CRC-32 (zlib) of bytes [0, 4 + n)
    /// </code>
    /// On the wire: COBS(frame) followed by one 0x00, at most 524 bytes (a large CHUNK: at most
    /// <see cref="MaxChunkWireLength"/>).
    /// </remarks>
    public static class FrameCodec
    {
        /// <summary>Offset of the type byte in a frame.</summary>
        public const int TypeOffset = 0;

        /// <summary>Offset of the sequence byte in a frame.</summary>
        public const int SequenceOffset = 1;

        /// <summary>Offset of the u16 payload length in a frame.</summary>
        public const int LengthOffset = 2;

        /// <summary>Offset of the payload in a frame: where a sender writes it before <see cref="Encode"/>.</summary>
        public const int PayloadOffset = 4;

        /// <summary>Bytes of a frame besides its payload: the 4-byte header and the 4-byte CRC.</summary>
        public const int Overhead = 8;

        /// <summary>Largest payload of every frame but a CHUNK to a device that offered larger ones.</summary>
        public const int MaxPayloadLength = 512;

        /// <summary>Largest payload of a CHUNK: the u32 offset and <see cref="Protocol.LargestModelChunk"/> bytes.</summary>
        public const int MaxChunkPayloadLength = 4 + Protocol.LargestModelChunk;

        /// <summary>Largest CHUNK frame before COBS (header, payload, CRC).</summary>
        public const int MaxChunkFrameLength = MaxChunkPayloadLength + Overhead;

        /// <summary>Largest CHUNK frame on the wire, delimiter included.</summary>
        public const int MaxChunkWireLength = MaxChunkFrameLength + MaxChunkFrameLength / 254 + 2;

        /// <summary>Largest frame before COBS (header, payload, CRC).</summary>
        public const int MaxFrameLength = MaxPayloadLength + Overhead;

        /// <summary>Largest COBS-encoded frame without its delimiter: 520 + 520 / 254 + 1.</summary>
        public const int MaxEncodedLength = MaxFrameLength + MaxFrameLength / 254 + 1;

        /// <summary>Largest frame on the wire, delimiter included (524).</summary>
        public const int MaxWireLength = MaxEncodedLength + 1;

        /// <summary>The frame delimiter.</summary>
        public const byte Delimiter = 0;

        /// <summary>
        /// Completes the frame whose payload the caller wrote at frame[<see cref="PayloadOffset"/> ..]:
        /// fills in type, sequence, length and CRC, then writes it COBS-encoded and delimited to
        /// wire[wireOffset ..]. Returns the number of wire bytes.
        /// </summary>
        /// <param name="frame">At least <see cref="Overhead"/> + payloadLength bytes; header and CRC are written into it.</param>
        /// <param name="type">Message type, 0 .. 255 (<see cref="MessageType"/>).</param>
        /// <param name="sequence">Sequence number, 0 .. 255.</param>
        /// <param name="payloadLength">Payload bytes already in the frame, 0 .. <see cref="MaxChunkPayloadLength"/> (more than 512 only for a CHUNK).</param>
        /// <param name="wire">Receives the encoded frame; must hold <see cref="MaxWireLength"/> bytes from wireOffset for any frame but a large CHUNK.</param>
        /// <param name="wireOffset">Where the encoded frame starts in <paramref name="wire"/>.</param>
        /// <exception cref="ArgumentOutOfRangeException">A field is out of range or a buffer too small.</exception>
        public static int Encode(byte[] frame, int type, int sequence, int payloadLength, byte[] wire, int wireOffset)
        {
            if (frame == null || wire == null)
            {
                throw new ArgumentNullException();
            }

            int frameLength = payloadLength + Overhead;
            if (type < 0 || type > 255 || sequence < 0 || sequence > 255 || payloadLength < 0 || payloadLength > MaxChunkPayloadLength
                || frame.Length < frameLength || wireOffset < 0 || wire.Length - wireOffset < Cobs.MaxEncodedLength(frameLength) + 1)
            {
                throw new ArgumentOutOfRangeException();
            }

            frame[TypeOffset] = (byte)type;
            frame[SequenceOffset] = (byte)sequence;
            LittleEndian.WriteUInt16(frame, LengthOffset, payloadLength);
            int crcOffset = PayloadOffset + payloadLength;
            LittleEndian.WriteUInt32(frame, crcOffset, Crc32.Compute(frame, 0, crcOffset));
            int encoded = Cobs.Encode(frame, 0, frameLength, wire, wireOffset);
            wire[wireOffset + encoded] = Delimiter;
            return encoded + 1;
        }
    }
}
