using System.Buffers.Binary;

namespace NanoInt8.Device.Tests.Support;

/// <summary>A frame the test client received, with readers for the payload fields.</summary>
internal sealed record ReceivedFrame(int Type, int Sequence, byte[] Payload)
{
    public bool IsError => Type == MessageType.Error;

    /// <summary>ERROR: the error code.</summary>
    public int ErrorCode => IsError ? BinaryPrimitives.ReadUInt16LittleEndian(Payload) : 0;

    /// <summary>ERROR: the request type it answers.</summary>
    public int ErrorRequestType => Payload[2];

    /// <summary>ERROR: the detail.</summary>
    public uint ErrorDetail => BinaryPrimitives.ReadUInt32LittleEndian(Payload.AsSpan(3));

    public uint UInt32At(int offset) => BinaryPrimitives.ReadUInt32LittleEndian(Payload.AsSpan(offset));

    public long Int64At(int offset) => BinaryPrimitives.ReadInt64LittleEndian(Payload.AsSpan(offset));

    public int UInt16At(int offset) => BinaryPrimitives.ReadUInt16LittleEndian(Payload.AsSpan(offset));

    public override string ToString() => IsError
        ? $"ERROR code {ErrorCode} for 0x{ErrorRequestType:X2}, detail {ErrorDetail} (sequence {Sequence})"
        : $"0x{Type:X2} sequence {Sequence}, {Payload.Length} payload bytes";
}

/// <summary>The device answered a typed client call with ERROR.</summary>
internal sealed class DeviceErrorException : Exception
{
    public DeviceErrorException(ReceivedFrame frame)
        : base(frame.ToString())
    {
        Frame = frame;
    }

    public ReceivedFrame Frame { get; }

    public int Code => Frame.ErrorCode;

    public uint Detail => Frame.ErrorDetail;
}

/// <summary>The INFO response, parsed.</summary>
internal sealed record InfoReply(
    int ProtocolVersion,
    int FirmwareMajor,
    int FirmwareMinor,
    int FirmwarePatch,
    string BoardName,
    uint FreeMemory,
    uint MaxModelBytes,
    bool ModelLoaded,
    uint ModelCrc,
    uint ModelLength,
    uint ModelDeviceBytes,
    uint InputBytes,
    uint OutputBytes,
    uint TransferBytes,
    uint MaxWorkPerInference,
    uint ModelWork)
{
    public static InfoReply Parse(ReceivedFrame frame)
    {
        Assert.AreEqual(MessageType.InfoReply, frame.Type, frame.ToString());
        byte[] p = frame.Payload;
        int nameLength = p[5];
        string name = System.Text.Encoding.ASCII.GetString(p, 6, nameLength);
        int at = 6 + nameLength;
        Assert.HasCount(at + 41, p, "INFO payload length");
        return new InfoReply(
            BinaryPrimitives.ReadUInt16LittleEndian(p),
            p[2],
            p[3],
            p[4],
            name,
            frame.UInt32At(at),
            frame.UInt32At(at + 4),
            p[at + 8] == 1,
            frame.UInt32At(at + 9),
            frame.UInt32At(at + 13),
            frame.UInt32At(at + 17),
            frame.UInt32At(at + 21),
            frame.UInt32At(at + 25),
            frame.UInt32At(at + 29),
            frame.UInt32At(at + 33),
            frame.UInt32At(at + 37));
    }
}

/// <summary>LOAD_ACK, parsed: the reception state, then u16 maxChunk, u16 blockBytes, u16 windowBytes.</summary>
internal sealed record LoadReply(ReceptionState State, int MaxChunk, int BlockBytes, int WindowBytes)
{
    public uint ResumeOffset => State.ReceivedUpTo;

    public static LoadReply Parse(ReceivedFrame frame)
    {
        Assert.AreEqual(MessageType.LoadAck, frame.Type, frame.ToString());
        Assert.HasCount(4 + Protocol.ReceivedBlocksBytes + 6, frame.Payload);
        int at = 4 + Protocol.ReceivedBlocksBytes;
        return new LoadReply(ReceptionState.Parse(frame.Payload), frame.UInt16At(at), frame.UInt16At(at + 2), frame.UInt16At(at + 4));
    }
}

/// <summary>
/// What LOAD_ACK and CHUNK_ACK say the device holds: every byte before receivedUpTo, and of the
/// 128 blocks from block receivedUpTo / 32 on, those whose bit is set.
/// </summary>
internal sealed record ReceptionState(uint ReceivedUpTo, byte[] Blocks)
{
    public static ReceptionState Parse(byte[] payload)
    {
        Assert.IsGreaterThanOrEqualTo(4 + Protocol.ReceivedBlocksBytes, payload.Length);
        return new ReceptionState(BinaryPrimitives.ReadUInt32LittleEndian(payload), payload.AsSpan(4, Protocol.ReceivedBlocksBytes).ToArray());
    }

    /// <summary>True when the device holds block <paramref name="block"/>.</summary>
    public bool Has(int block)
    {
        int first = (int)(ReceivedUpTo / Protocol.BlockBytes);
        int bit = block - first;
        return block < first || (bit < Protocol.ReceiveWindowBlocks && (Blocks[bit >> 3] & (1 << (bit & 7))) != 0);
    }
}

/// <summary>The result of an inference, whole outputs fetched.</summary>
internal sealed record InferenceResult(long ElapsedTicks, sbyte[] Output);
