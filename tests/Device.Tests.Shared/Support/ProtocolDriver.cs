using System;

namespace NanoInt8.Device.Tests
{
    /// <summary>
    /// A minimal host side of the protocol for the shared tests: builds request frames with the
    /// device's own <see cref="FrameCodec"/>, writes them to a <see cref="MemoryLink"/>, polls the
    /// <see cref="DeviceServer"/> and decodes its answers with a <see cref="FrameDecoder"/>.
    /// Single-threaded and deterministic, so it runs the same on .NET and on nanoCLR.
    /// </summary>
    public sealed class ProtocolDriver
    {
        // Polls allowed for one answer: one per request in a window, and some to spare.
        private const int MaxPollsPerAnswer = 16;

        private readonly DeviceServer _server;
        private readonly MemoryLink _link;
        private readonly byte[] _frame = new byte[FrameCodec.MaxChunkFrameLength];
        private readonly byte[] _wire = new byte[FrameCodec.MaxChunkWireLength];
        private readonly FrameDecoder _decoder = new FrameDecoder();
        private readonly byte[] _received = new byte[1024];
        private readonly byte[] _response = new byte[FrameCodec.MaxPayloadLength];
        private int _receivedStart;
        private int _receivedCount;
        private int _sequence;
        private int _responseType;
        private int _responseSequence;
        private int _responseLength;

        /// <summary>A driver for <paramref name="server"/>, whose link is <paramref name="link"/>.</summary>
        public ProtocolDriver(DeviceServer server, MemoryLink link)
        {
            _server = server;
            _link = link;
        }

        /// <summary>The server under test.</summary>
        public DeviceServer Server
        {
            get { return _server; }
        }

        /// <summary>The line between the driver and the server.</summary>
        public MemoryLink Link
        {
            get { return _link; }
        }

        /// <summary>The sequence number of the last request sent.</summary>
        public int Sequence
        {
            get { return _sequence; }
        }

        /// <summary>Type of the last answer taken.</summary>
        public int ResponseType
        {
            get { return _responseType; }
        }

        /// <summary>Sequence number of the last answer taken.</summary>
        public int ResponseSequence
        {
            get { return _responseSequence; }
        }

        /// <summary>Payload length of the last answer taken.</summary>
        public int ResponseLength
        {
            get { return _responseLength; }
        }

        /// <summary>The payload of the last answer taken (the first <see cref="ResponseLength"/> bytes).</summary>
        public byte[] Response
        {
            get { return _response; }
        }

        /// <summary>The error code of the last answer when it is ERROR, else -1.</summary>
        public int ErrorCode
        {
            get { return _responseType == MessageType.Error ? LittleEndian.ReadUInt16(_response, 0) : -1; }
        }

        /// <summary>The u32 at <paramref name="offset"/> of the last answer's payload.</summary>
        public uint ResponseUInt32(int offset)
        {
            return LittleEndian.ReadUInt32(_response, offset);
        }

        /// <summary>Request payload byte <paramref name="offset"/>, to fill before <see cref="Send"/>.</summary>
        public void PutByte(int offset, int value)
        {
            _frame[FrameCodec.PayloadOffset + offset] = (byte)value;
        }

        /// <summary>Writes a u16 into the request payload at <paramref name="offset"/>.</summary>
        public void PutUInt16(int offset, int value)
        {
            LittleEndian.WriteUInt16(_frame, FrameCodec.PayloadOffset + offset, value);
        }

        /// <summary>Writes a u32 into the request payload at <paramref name="offset"/>.</summary>
        public void PutUInt32(int offset, uint value)
        {
            LittleEndian.WriteUInt32(_frame, FrameCodec.PayloadOffset + offset, value);
        }

        /// <summary>Copies source[sourceOffset .. + count) into the request payload at <paramref name="offset"/>.</summary>
        public void PutBytes(int offset, byte[] source, int sourceOffset, int count)
        {
            Array.Copy(source, sourceOffset, _frame, FrameCodec.PayloadOffset + offset, count);
        }

        /// <summary>Sends the request payload filled so far as a frame of <paramref name="type"/>, with the next sequence number; does not poll.</summary>
        public void Send(int type, int payloadLength)
        {
            _sequence = _sequence % 255 + 1;
            SendWithSequence(type, _sequence, payloadLength);
        }

        /// <summary>Sends the request payload as a frame with an explicit sequence number; does not poll.</summary>
        public void SendWithSequence(int type, int sequence, int payloadLength)
        {
            int length = FrameCodec.Encode(_frame, type, sequence, payloadLength, _wire, 0);
            _link.ToDevice.Write(_wire, 0, length);
        }

        /// <summary>Puts raw bytes on the line (garbage, broken frames); does not poll.</summary>
        public void SendRaw(byte[] bytes, int offset, int count)
        {
            _link.ToDevice.Write(bytes, offset, count);
        }

        /// <summary>Sends a request and takes its answer; false when none came.</summary>
        public bool Exchange(int type, int payloadLength)
        {
            Send(type, payloadLength);
            return NextResponse();
        }

        /// <summary>
        /// Takes the next answer, polling the server until one is complete (at most a few polls);
        /// false when none came.
        /// </summary>
        public bool NextResponse()
        {
            for (int poll = 0; poll < MaxPollsPerAnswer; poll++)
            {
                if (TakeResponse())
                {
                    return true;
                }

                _server.Poll();
            }

            return TakeResponse();
        }

        /// <summary>Polls the server once.</summary>
        public void Poll()
        {
            _server.Poll();
        }

        /// <summary>HELLO with <paramref name="version"/>.</summary>
        public bool Hello(int version)
        {
            PutUInt16(0, version);
            return Exchange(MessageType.Hello, 2);
        }

        /// <summary>INFO.</summary>
        public bool Info()
        {
            return Exchange(MessageType.Info, 0);
        }

        /// <summary>LOAD with the 64-byte header of <paramref name="blob"/>.</summary>
        public bool Load(byte[] blob)
        {
            PutBytes(0, blob, 0, 64);
            return Exchange(MessageType.Load, 64);
        }

        /// <summary>CHUNK of blob[offset .. offset + count).</summary>
        public bool Chunk(byte[] blob, int offset, int count)
        {
            PutUInt32(0, (uint)offset);
            PutBytes(4, blob, offset, count);
            return Exchange(MessageType.Chunk, 4 + count);
        }

        /// <summary>COMMIT.</summary>
        public bool Commit()
        {
            return Exchange(MessageType.Commit, 0);
        }

        /// <summary>RESET.</summary>
        public bool Reset()
        {
            return Exchange(MessageType.Reset, 0);
        }

        /// <summary>INFER with <paramref name="input"/> in the payload, asking for up to 500 output bytes in the answer.</summary>
        public bool Infer(sbyte[] input)
        {
            return Infer(input, Protocol.MaxDataLength);
        }

        /// <summary>INFER with <paramref name="input"/> in the payload, asking for up to <paramref name="resultBytes"/> output bytes in the answer.</summary>
        public bool Infer(sbyte[] input, int resultBytes)
        {
            PutInfer(input, resultBytes);
            return Exchange(MessageType.Infer, 2 + input.Length);
        }

        /// <summary>Fills the request payload of an INFER: u16 resultBytes, then the inputs; returns its length.</summary>
        public int PutInfer(sbyte[] input, int resultBytes)
        {
            PutUInt16(0, resultBytes);
            for (int i = 0; i < input.Length; i++)
            {
                PutByte(2 + i, (byte)input[i]);
            }

            return 2 + input.Length;
        }

        /// <summary>SENSOR: enable (0 or 1) and period in ms.</summary>
        public bool Sensor(int enable, uint periodMilliseconds)
        {
            PutByte(0, enable);
            PutUInt32(1, periodMilliseconds);
            return Exchange(MessageType.Sensor, 5);
        }

        /// <summary>
        /// LOAD, then every byte after the header in CHUNKs of <paramref name="chunkBytes"/>, then
        /// COMMIT; the last answer taken is the COMMIT's (or the first answer that was not an ACK).
        /// </summary>
        public bool Deploy(byte[] blob, int chunkBytes)
        {
            if (!Load(blob) || _responseType != MessageType.LoadAck)
            {
                return false;
            }

            for (int offset = (int)ResponseUInt32(0); offset < blob.Length; offset += chunkBytes)
            {
                int count = blob.Length - offset < chunkBytes ? blob.Length - offset : chunkBytes;
                if (!Chunk(blob, offset, count) || _responseType != MessageType.ChunkAck)
                {
                    return false;
                }
            }

            return Commit();
        }

        /// <summary>The output bytes of the last INFER_RESULT (after the u64 ticks and u32 length), as int8.</summary>
        public sbyte[] InferOutput()
        {
            int count = _responseLength - 12;
            sbyte[] output = new sbyte[count < 0 ? 0 : count];
            for (int i = 0; i < output.Length; i++)
            {
                output[i] = (sbyte)_response[12 + i];
            }

            return output;
        }

        private bool TakeResponse()
        {
            while (true)
            {
                if (_receivedCount == 0)
                {
                    _receivedStart = 0;
                    _receivedCount = _link.ToHost.Read(_received, 0, _received.Length);
                    if (_receivedCount == 0)
                    {
                        return false;
                    }
                }

                int used = _decoder.Feed(_received, _receivedStart, _receivedCount);
                _receivedStart += used;
                _receivedCount -= used;
                if (_decoder.FrameReady)
                {
                    _responseType = _decoder.Type;
                    _responseSequence = _decoder.Sequence;
                    _responseLength = _decoder.PayloadLength;
                    Array.Copy(_decoder.Buffer, FrameCodec.PayloadOffset, _response, 0, _responseLength);
                    return true;
                }
            }
        }
    }
}
