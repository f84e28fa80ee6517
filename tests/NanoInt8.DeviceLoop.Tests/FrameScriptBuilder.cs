using NanoInt8.Device;

namespace NanoInt8.DeviceLoop.Tests;

/// <summary>
/// Writes a frame script (<see cref="ScriptStep"/>): the host side of a session, frame by frame,
/// encoded with the protocol's own <see cref="FrameCodec"/>. Each method adds one step and returns
/// its index, which is the number on the player's answer line for that step.
/// </summary>
internal sealed class FrameScriptBuilder
{
    private readonly List<byte> _script = new();
    private int _sequence;
    private int _steps;

    /// <summary>The sequence number of the last frame made.</summary>
    public int Sequence => _sequence;

    /// <summary>One request frame with the next sequence number, COBS-encoded and delimited.</summary>
    public byte[] Frame(int type, ReadOnlySpan<byte> payload)
    {
        _sequence = _sequence % 255 + 1;
        return FrameWithSequence(type, _sequence, payload);
    }

    /// <summary>A frame with the given sequence number.</summary>
    public static byte[] FrameWithSequence(int type, int sequence, ReadOnlySpan<byte> payload)
    {
        byte[] frame = new byte[FrameCodec.MaxChunkFrameLength];
        payload.CopyTo(frame.AsSpan(FrameCodec.PayloadOffset));
        byte[] wire = new byte[FrameCodec.MaxChunkWireLength];
        int length = FrameCodec.Encode(frame, type, sequence, payload.Length, wire, 0);
        return wire[..length];
    }

    /// <summary>Puts <paramref name="frames"/> on the line together (a window in flight).</summary>
    public int Send(params byte[][] frames) => Add(ScriptStep.Send, frames.SelectMany(frame => frame).ToArray());

    /// <summary>A request frame of <paramref name="type"/> sent on its own.</summary>
    public int Request(int type, params byte[] payload) => Send(Frame(type, payload));

    public int Disconnect() => Add(ScriptStep.Disconnect, Array.Empty<byte>());

    public int AdvanceClock(uint milliseconds) => Add(ScriptStep.AdvanceClock, BitConverter.GetBytes(milliseconds));

    public int StoreFailure(bool failing) => Add(ScriptStep.StoreFailure, new[] { (byte)(failing ? 1 : 0) });

    public int Reboot() => Add(ScriptStep.Reboot, Array.Empty<byte>());

    public byte[] ToArray() => _script.ToArray();

    /// <summary>CHUNK payload: u32 offset, then blob[offset .. offset + count).</summary>
    public static byte[] ChunkPayload(byte[] blob, int offset, int count)
    {
        byte[] payload = new byte[4 + count];
        BitConverter.GetBytes((uint)offset).CopyTo(payload, 0);
        Array.Copy(blob, offset, payload, 4, count);
        return payload;
    }

    private int Add(int step, byte[] data)
    {
        if (data.Length > ushort.MaxValue)
        {
            throw new ArgumentException("A script step holds at most 65535 bytes.", nameof(data));
        }

        _script.Add((byte)step);
        _script.Add((byte)data.Length);
        _script.Add((byte)(data.Length >> 8));
        _script.AddRange(data);
        return _steps++;
    }
}
