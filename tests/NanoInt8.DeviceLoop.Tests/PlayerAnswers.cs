using System.Globalization;
using NanoInt8.Device;

namespace NanoInt8.DeviceLoop.Tests;

/// <summary>One frame the device answered.</summary>
internal sealed record AnswerFrame(int Type, int Sequence, byte[] Payload)
{
    public int ErrorCode => Type == MessageType.Error ? BitConverter.ToUInt16(Payload, 0) : -1;

    public uint UInt32At(int offset) => BitConverter.ToUInt32(Payload, offset);
}

/// <summary>
/// The lines <see cref="ScriptPlayer"/> writes ("STEP HEX" per answering step, then "end ..."),
/// and the frames in them, decoded with the protocol's own <see cref="FrameDecoder"/>.
/// </summary>
internal sealed class PlayerAnswers
{
    private PlayerAnswers(IReadOnlyList<string> lines)
    {
        Lines = lines;
    }

    public IReadOnlyList<string> Lines { get; }

    /// <summary>The player's last line: "end steps=... received=... dropped=... requests=... faults=...".</summary>
    public string End => Lines[^1];

    /// <summary>Replays <paramref name="script"/> on the .NET build of DeviceServer.</summary>
    public static PlayerAnswers PlayOnDotNet(byte[] script)
    {
        ListLog log = new();
        ScriptPlayer.Play(script, log);
        return new PlayerAnswers(log.Lines);
    }

    public static PlayerAnswers FromLines(IEnumerable<string> lines) => new(lines.ToList());

    /// <summary>The frames answered to step <paramref name="step"/> (none when it had no answer line).</summary>
    public IReadOnlyList<AnswerFrame> At(int step)
    {
        string prefix = step.ToString(CultureInfo.InvariantCulture) + " ";
        string? line = Lines.FirstOrDefault(candidate => candidate.StartsWith(prefix, StringComparison.Ordinal));
        if (line is null)
        {
            return Array.Empty<AnswerFrame>();
        }

        byte[] bytes = Convert.FromHexString(line[prefix.Length..]);
        FrameDecoder decoder = new();
        List<AnswerFrame> frames = new();
        int offset = 0;
        while (offset < bytes.Length)
        {
            offset += decoder.Feed(bytes, offset, bytes.Length - offset);
            if (decoder.FrameReady)
            {
                byte[] payload = decoder.Buffer.AsSpan(FrameCodec.PayloadOffset, decoder.PayloadLength).ToArray();
                frames.Add(new AnswerFrame(decoder.Type, decoder.Sequence, payload));
            }
        }

        Assert.AreEqual(0, decoder.FramesDropped, $"step {step}: the device wrote a malformed frame");
        return frames;
    }

    /// <summary>The only frame answered to step <paramref name="step"/>.</summary>
    public AnswerFrame Single(int step)
    {
        IReadOnlyList<AnswerFrame> frames = At(step);
        Assert.HasCount(1, frames, $"step {step}");
        return frames[0];
    }

    private sealed class ListLog : IAnswerLog
    {
        public List<string> Lines { get; } = new();

        public void WriteLine(string line) => Lines.Add(line);
    }
}
