using NanoInt8.Device;

namespace NanoInt8.DeviceLoop.Tests;

/// <summary>
/// The session the device loop replays, recorded on the host side with <see cref="FrameScriptBuilder"/>:
/// HELLO and INFO; the model's transfer with a window of chunks, a corrupted chunk (COMMIT: CrcMismatch),
/// a cable pulled mid-frame and a resumed LOAD, a COMMIT before the last byte (Incomplete), a flash that
/// refuses the write (StorageFailed) and the good COMMIT, repeated; INFER several times, a wrong input
/// size, BENCH, SENSOR with a scripted sensor and clock, RESET; hostile bytes and frames; a power cycle;
/// READ. The step indexes name the answers the tests look at.
/// </summary>
internal sealed class DeviceLoopScript
{
    public const int ChunkBytes = Protocol.BaseModelChunk;

    private DeviceLoopScript(byte[] model)
    {
        Model = model;
        int inputBytes = InputBytesOf(model);
        Inputs = Enumerable.Range(0, 4).Select(seed => RandomInput(inputBytes, seed)).ToArray();
        FrameScriptBuilder script = new();
        byte[] header = model[..64];

        Hello = script.Request(MessageType.Hello, Protocol.Version, 0);
        // A host of protocol version 1.
        HelloWrongVersion = script.Request(MessageType.Hello, 1, 0);
        InferWithoutModel = script.Request(MessageType.Infer, InferPayload(Inputs[0]));
        Load = script.Request(MessageType.Load, header);
        int[] offsets = Enumerable.Range(0, (model.Length - 64 + ChunkBytes - 1) / ChunkBytes).Select(i => 64 + i * ChunkBytes).ToArray();
        if (offsets.Length < 4)
        {
            throw new ArgumentException("The script needs a model of at least four chunks.", nameof(model));
        }

        // A window of three chunks in flight; then the fourth chunk with one byte flipped (a valid frame
        // carrying wrong data) and the rest, so COMMIT finds the CRC wrong.
        script.Send(offsets.Take(3).Select(offset => Chunk(script, model, offset)).ToArray());
        byte[] corrupted = (byte[])model.Clone();
        corrupted[offsets[3] + 7] ^= 0x5A;
        script.Send(offsets.Skip(3).Select(offset => Chunk(script, corrupted, offset)).ToArray());
        CorruptCommit = script.Request(MessageType.Commit);

        // Resend from 64; the cable is pulled halfway through the third chunk's frame.
        script.Send(Chunk(script, model, offsets[0]), Chunk(script, model, offsets[1]));
        byte[] cut = Chunk(script, model, offsets[2]);
        script.Send(cut[..(cut.Length / 2)]);
        script.Disconnect();
        ResumeOffset = offsets[2];

        // The device still holds the half frame: the first LOAD is glued to it and lost; the host
        // hears nothing and sends it again.
        LostLoad = script.Request(MessageType.Load, header);
        ResumedLoad = script.Request(MessageType.Load, header);
        EarlyCommit = script.Request(MessageType.Commit);
        script.Send(offsets.Skip(2).Select(offset => Chunk(script, model, offset)).ToArray());
        script.StoreFailure(true);
        FailedCommit = script.Request(MessageType.Commit);
        script.StoreFailure(false);
        Commit = script.Request(MessageType.Commit);
        RepeatedCommit = script.Send(FrameScriptBuilder.FrameWithSequence(MessageType.Commit, script.Sequence, default));
        InfoLoaded = script.Request(MessageType.Info);

        Infers = Inputs.Select(input => script.Request(MessageType.Infer, InferPayload(input))).ToArray();
        InferWrongSize = script.Request(MessageType.Infer, InferPayload(new sbyte[] { 3, 4, 5 }));
        Bench = script.Request(MessageType.Bench, 3, 0);
        SensorOn = script.Request(MessageType.Sensor, 1, 100, 0, 0, 0);
        SensorTick = script.AdvanceClock(100);
        SensorOff = script.Request(MessageType.Sensor, 0, 100, 0, 0, 0);
        Reset = script.Request(MessageType.Reset);

        Garbage = script.Send(Lcg(3000, 99).Append((byte)0).ToArray());
        Oversized = script.Send(Enumerable.Repeat((byte)0x01, 700).Append((byte)0).ToArray());
        byte[] badCrc = script.Frame(MessageType.Info, default);
        badCrc[^2] ^= 0x10;
        BadCrc = script.Send(badCrc);
        ResponseType = script.Request(MessageType.InfoReply, 1, 2, 3);
        UnknownType = script.Request(0x33);
        BadPayload = script.Request(MessageType.Info, 7);
        InferAfterHostile = script.Request(MessageType.Infer, InferPayload(Inputs[1]));

        script.Reboot();
        InfoAfterReboot = script.Request(MessageType.Info);
        InferAfterReboot = script.Request(MessageType.Infer, InferPayload(Inputs[2]));
        Read = script.Request(MessageType.Read, 0, 0, 0, 0, 100, 0);
        Bytes = script.ToArray();
    }

    public byte[] Model { get; }

    public sbyte[][] Inputs { get; }

    public byte[] Bytes { get; }

    public int ResumeOffset { get; }

    public int Hello { get; }

    public int HelloWrongVersion { get; }

    public int InferWithoutModel { get; }

    public int Load { get; }

    public int CorruptCommit { get; }

    public int LostLoad { get; }

    public int ResumedLoad { get; }

    public int EarlyCommit { get; }

    public int FailedCommit { get; }

    public int Commit { get; }

    public int RepeatedCommit { get; }

    public int InfoLoaded { get; }

    public int[] Infers { get; }

    public int InferWrongSize { get; }

    public int Bench { get; }

    public int SensorOn { get; }

    public int SensorTick { get; }

    public int SensorOff { get; }

    public int Reset { get; }

    public int Garbage { get; }

    public int Oversized { get; }

    public int BadCrc { get; }

    public int ResponseType { get; }

    public int UnknownType { get; }

    public int BadPayload { get; }

    public int InferAfterHostile { get; }

    public int InfoAfterReboot { get; }

    public int InferAfterReboot { get; }

    public int Read { get; }

    /// <summary>The script for <paramref name="model"/> (a model blob of at least four chunks).</summary>
    public static DeviceLoopScript For(byte[] model) => new(model);

    private static byte[] Chunk(FrameScriptBuilder script, byte[] blob, int offset) =>
        script.Frame(MessageType.Chunk, FrameScriptBuilder.ChunkPayload(blob, offset, Math.Min(ChunkBytes, blob.Length - offset)));

    private static int InputBytesOf(byte[] model)
    {
        Runtime.ModelError error = Runtime.ModelReader.TryRead(model, int.MaxValue, out Runtime.Model decoded);
        if (error != Runtime.ModelError.None)
        {
            throw new ArgumentException($"The model is refused: {error}.", nameof(model));
        }

        return Enumerable.Range(0, decoded.InputCount).Sum(index => decoded.GetTensorInfo(decoded.GetInputTensor(index)).ElementCount);
    }

    private static sbyte[] RandomInput(int count, int seed) => Lcg(count, (uint)(1000 + seed)).Select(value => (sbyte)value).ToArray();

    // A linear congruential generator: the same bytes on every machine and .NET version.
    private static byte[] Lcg(int count, uint seed)
    {
        byte[] data = new byte[count];
        uint state = seed;
        for (int i = 0; i < count; i++)
        {
            state = state * 1664525u + 1013904223u;
            data[i] = (byte)(state >> 24);
        }

        return data;
    }

    // INFER: u16 resultBytes (all of the sample's outputs), then the inputs.
    private static byte[] InferPayload(sbyte[] values) =>
        new[] { (byte)(Protocol.MaxDataLength & 0xFF), (byte)(Protocol.MaxDataLength >> 8) }.Concat(values.Select(value => (byte)value)).ToArray();
}
