using System.Buffers.Binary;

namespace NanoInt8.Device.Tests.Support;

/// <summary>
/// A small host side of the protocol for the tests, single-threaded: it writes request frames
/// into the link, then polls the <see cref="DeviceServer"/> until the answer with the same
/// sequence number comes back, retransmitting (same sequence) when none does, as the real host
/// does after its timeout. Unsolicited SENSOR_RESULT frames are collected in
/// <see cref="SensorResults"/>. It uses the device's own FrameCodec and FrameDecoder (the real
/// host client will too), and is deliberately not the host tool's client.
/// </summary>
internal sealed class TestClient
{
    private readonly LinkEnd _link;
    private readonly DeviceServer _server;
    private readonly FrameDecoder _decoder = new();
    private readonly byte[] _frame = new byte[FrameCodec.MaxChunkFrameLength];
    private readonly byte[] _wire = new byte[FrameCodec.MaxChunkWireLength];
    private readonly byte[] _readBuffer = new byte[8192];
    private readonly List<ReceivedFrame> _pending = new();
    private int _sequence;

    public TestClient(LinkEnd link, DeviceServer server)
    {
        _link = link;
        _server = server;
    }

    /// <summary>Unsolicited SENSOR_RESULT frames, in arrival order.</summary>
    public List<ReceivedFrame> SensorResults { get; } = new();

    /// <summary>Polls to wait for an answer before retransmitting.</summary>
    public int MaxPolls { get; set; } = 32;

    /// <summary>Requests sent again because no answer came.</summary>
    public int Retransmissions { get; private set; }

    public int NextSequence()
    {
        _sequence = (_sequence + 1) & 0xFF;
        return _sequence;
    }

    /// <summary>The wire bytes of a frame (a copy).</summary>
    public byte[] Encode(int type, int sequence, ReadOnlySpan<byte> payload)
    {
        payload.CopyTo(_frame.AsSpan(FrameCodec.PayloadOffset));
        int length = FrameCodec.Encode(_frame, type, sequence, payload.Length, _wire, 0);
        return _wire[..length];
    }

    public void Send(int type, int sequence, ReadOnlySpan<byte> payload)
    {
        payload.CopyTo(_frame.AsSpan(FrameCodec.PayloadOffset));
        int length = FrameCodec.Encode(_frame, type, sequence, payload.Length, _wire, 0);
        _link.Write(_wire, 0, length);
    }

    public void SendRaw(byte[] bytes)
    {
        _link.Write(bytes, 0, bytes.Length);
    }

    /// <summary>Sends a request and returns its answer (which may be ERROR), retransmitting up to <paramref name="attempts"/> times.</summary>
    public ReceivedFrame Request(int type, ReadOnlySpan<byte> payload, int attempts = 3)
    {
        int sequence = NextSequence();
        _pending.Clear();
        for (int attempt = 0; attempt < attempts; attempt++)
        {
            if (attempt > 0)
            {
                Retransmissions++;
            }

            Send(type, sequence, payload);
            ReceivedFrame? answer = WaitFor(sequence);
            if (answer is not null)
            {
                return answer;
            }
        }

        Assert.Fail($"no answer to request 0x{type:X2} (sequence {sequence}) after {attempts} attempts");
        return null!;
    }

    /// <summary>Polls the server until the answer with <paramref name="sequence"/> arrives; null after <see cref="MaxPolls"/> polls.</summary>
    public ReceivedFrame? WaitFor(int sequence)
    {
        for (int poll = 0; poll <= MaxPolls; poll++)
        {
            Drain();
            int index = _pending.FindIndex(frame => frame.Sequence == sequence);
            if (index >= 0)
            {
                ReceivedFrame frame = _pending[index];
                _pending.RemoveAt(index);
                return frame;
            }

            _server.Poll();
        }

        return null;
    }

    /// <summary>Polls the server <paramref name="polls"/> times and returns every answer that came back.</summary>
    public List<ReceivedFrame> Pump(int polls = 16)
    {
        for (int poll = 0; poll < polls; poll++)
        {
            _server.Poll();
        }

        Drain();
        List<ReceivedFrame> frames = new(_pending);
        _pending.Clear();
        return frames;
    }

    /// <summary>Forgets answers not yet taken and any partial frame (a new host session).</summary>
    public void Forget()
    {
        _pending.Clear();
        _decoder.Reset();
    }

    private void Drain()
    {
        while (_link.Available > 0)
        {
            int count = _link.Read(_readBuffer, 0, _readBuffer.Length);
            int offset = 0;
            while (offset < count)
            {
                offset += _decoder.Feed(_readBuffer, offset, count - offset);
                if (_decoder.FrameReady)
                {
                    ReceivedFrame frame = new(_decoder.Type, _decoder.Sequence,
                        _decoder.Buffer.AsSpan(FrameCodec.PayloadOffset, _decoder.PayloadLength).ToArray());
                    if (frame.Type == MessageType.SensorResult)
                    {
                        SensorResults.Add(frame);
                    }
                    else
                    {
                        _pending.Add(frame);
                    }
                }
            }
        }
    }

    // Typed requests: they throw DeviceErrorException when the device answers ERROR.

    public InfoReply Info() => InfoReply.Parse(Expect(Request(MessageType.Info, default), MessageType.InfoReply));

    public InfoReply Hello(int version = Protocol.Version)
    {
        byte[] payload = new byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(payload, (ushort)version);
        return InfoReply.Parse(Expect(Request(MessageType.Hello, payload), MessageType.InfoReply));
    }

    public LoadReply Load(byte[] blob) => LoadReply.Parse(Expect(Request(MessageType.Load, blob.AsSpan(0, 64)), MessageType.LoadAck));

    /// <summary>One CHUNK; returns the answer's receivedUpTo.</summary>
    public uint Chunk(uint offset, ReadOnlySpan<byte> data) => ChunkState(offset, data).ReceivedUpTo;

    /// <summary>One CHUNK; returns the device's reception state from its answer.</summary>
    public ReceptionState ChunkState(uint offset, ReadOnlySpan<byte> data)
    {
        return ReceptionState.Parse(Expect(Request(MessageType.Chunk, ChunkPayload(offset, data)), MessageType.ChunkAck).Payload);
    }

    public uint Commit() => Expect(Request(MessageType.Commit, default), MessageType.CommitAck).UInt32At(0);

    /// <summary>LOAD, the windowed transfer from the resume offset, COMMIT; returns the COMMIT_ACK CRC.</summary>
    public uint Deploy(byte[] blob)
    {
        LoadReply reply = Load(blob);
        Transfer(blob, reply);
        return Commit();
    }

    /// <summary>
    /// Sends every block the device lacks as CHUNKs of maxChunk bytes, as many as windowBytes
    /// allows before reading the answers, until the device has the whole blob (selective repeat:
    /// each answer says which blocks the device has).
    /// </summary>
    public void Transfer(byte[] blob, LoadReply reply, int? stopAfterChunks = null)
    {
        int blocks = (blob.Length + Protocol.BlockBytes - 1) / Protocol.BlockBytes;
        ReceptionState state = reply.State;
        int chunksSent = 0;
        int rounds = 0;
        while (state.ReceivedUpTo < blob.Length)
        {
            Assert.IsLessThan(10_000, ++rounds, "the transfer makes no progress");
            _pending.Clear();
            List<int> sequences = new();
            int wireBytes = 0;
            int block = (int)(state.ReceivedUpTo / Protocol.BlockBytes);
            int windowEnd = Math.Min(blocks, block + Protocol.ReceiveWindowBlocks);
            while (block < windowEnd && (stopAfterChunks is null || chunksSent < stopAfterChunks))
            {
                if (state.Has(block))
                {
                    block++;
                    continue;
                }

                int end = block + 1;
                while (end < windowEnd && end - block < reply.MaxChunk / Protocol.BlockBytes && !state.Has(end))
                {
                    end++;
                }

                int offset = block * Protocol.BlockBytes;
                int count = Math.Min(end * Protocol.BlockBytes, blob.Length) - offset;
                byte[] frame = Encode(MessageType.Chunk, NextSequence(), ChunkPayload((uint)offset, blob.AsSpan(offset, count)));
                if (sequences.Count > 0 && wireBytes + frame.Length > reply.WindowBytes)
                {
                    break;
                }

                sequences.Add(_sequence);
                wireBytes += frame.Length;
                SendRaw(frame);
                chunksSent++;
                block = end;
            }

            if (sequences.Count == 0)
            {
                return;
            }

            foreach (int sequence in sequences)
            {
                ReceivedFrame? answer = WaitFor(sequence);
                if (answer is null)
                {
                    Retransmissions++;
                    break;
                }

                state = ReceptionState.Parse(Expect(answer, MessageType.ChunkAck).Payload);
            }
        }
    }

    /// <summary>Runs one inference: INFER with the inputs, or INPUT chunks and an empty INFER; fetches outputs beyond the first 500 bytes with OUTPUT.</summary>
    public InferenceResult Infer(sbyte[] input)
    {
        byte[] bytes = input.Select(value => (byte)value).ToArray();
        ReceivedFrame answer;
        if (bytes.Length + 2 <= FrameCodec.MaxPayloadLength)
        {
            answer = Request(MessageType.Infer, InferPayload(bytes));
        }
        else
        {
            for (int offset = 0; offset < bytes.Length; offset += Protocol.MaxChunkData)
            {
                int count = Math.Min(Protocol.MaxChunkData, bytes.Length - offset);
                ReceivedFrame ack = Expect(Request(MessageType.Input, ChunkPayload((uint)offset, bytes.AsSpan(offset, count))), MessageType.InputAck);
                Assert.AreEqual((uint)(offset + count), ack.UInt32At(0), "INPUT_ACK");
            }

            answer = Request(MessageType.Infer, InferPayload(Array.Empty<byte>()));
        }

        Expect(answer, MessageType.InferResult);
        long elapsed = answer.Int64At(0);
        int total = (int)answer.UInt32At(8);
        byte[] output = new byte[total];
        int first = answer.Payload.Length - 12;
        Assert.AreEqual(Math.Min(total, Protocol.MaxDataLength), first, "output bytes in INFER_RESULT");
        Array.Copy(answer.Payload, 12, output, 0, first);
        for (int offset = first; offset < total; offset += Protocol.MaxDataLength)
        {
            int count = Math.Min(Protocol.MaxDataLength, total - offset);
            ReceivedFrame data = Expect(Request(MessageType.Output, RangePayload((uint)offset, count)), MessageType.OutputData);
            Assert.AreEqual((uint)offset, data.UInt32At(0));
            Assert.HasCount(4 + count, data.Payload);
            Array.Copy(data.Payload, 4, output, offset, count);
        }

        return new InferenceResult(elapsed, output.Select(value => (sbyte)value).ToArray());
    }

    public ReceivedFrame Bench(int runs)
    {
        byte[] payload = new byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(payload, (ushort)runs);
        return Request(MessageType.Bench, payload);
    }

    /// <summary>Reads the stored model with READ requests of up to 500 bytes.</summary>
    public byte[] ReadStored(int length)
    {
        byte[] blob = new byte[length];
        for (int offset = 0; offset < length; offset += Protocol.MaxDataLength)
        {
            int count = Math.Min(Protocol.MaxDataLength, length - offset);
            ReceivedFrame data = Expect(Request(MessageType.Read, RangePayload((uint)offset, count)), MessageType.ReadData);
            Assert.AreEqual((uint)offset, data.UInt32At(0));
            Assert.HasCount(4 + count, data.Payload);
            Array.Copy(data.Payload, 4, blob, offset, count);
        }

        return blob;
    }

    public void Reset() => Expect(Request(MessageType.Reset, default), MessageType.ResetAck);

    public ReceivedFrame Sensor(bool enable, uint periodMilliseconds)
    {
        byte[] payload = new byte[5];
        payload[0] = (byte)(enable ? 1 : 0);
        BinaryPrimitives.WriteUInt32LittleEndian(payload.AsSpan(1), periodMilliseconds);
        return Request(MessageType.Sensor, payload);
    }

    /// <summary>INFER payload: u16 resultBytes (<paramref name="resultBytes"/>, 500 by default), then the inputs.</summary>
    public static byte[] InferPayload(ReadOnlySpan<byte> inputs, int resultBytes = Protocol.MaxDataLength)
    {
        byte[] payload = new byte[2 + inputs.Length];
        BinaryPrimitives.WriteUInt16LittleEndian(payload, (ushort)resultBytes);
        inputs.CopyTo(payload.AsSpan(2));
        return payload;
    }

    public static byte[] ChunkPayload(uint offset, ReadOnlySpan<byte> data)
    {
        byte[] payload = new byte[4 + data.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(payload, offset);
        data.CopyTo(payload.AsSpan(4));
        return payload;
    }

    public static byte[] RangePayload(uint offset, int length)
    {
        byte[] payload = new byte[6];
        BinaryPrimitives.WriteUInt32LittleEndian(payload, offset);
        BinaryPrimitives.WriteUInt16LittleEndian(payload.AsSpan(4), (ushort)length);
        return payload;
    }

    public static ReceivedFrame Expect(ReceivedFrame frame, int type)
    {
        if (frame.IsError && type != MessageType.Error)
        {
            throw new DeviceErrorException(frame);
        }

        Assert.AreEqual(type, frame.Type, frame.ToString());
        return frame;
    }
}
