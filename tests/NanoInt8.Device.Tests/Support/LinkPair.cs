namespace NanoInt8.Device.Tests.Support;

/// <summary>An in-memory serial line: what one end writes, the other end reads.</summary>
internal sealed class LinkPair
{
    private readonly ByteQueue _toDevice = new(256 * 1024);
    private readonly ByteQueue _toHost = new(256 * 1024);

    public LinkPair()
    {
        Device = new LinkEnd(_toDevice, _toHost);
        Host = new LinkEnd(_toHost, _toDevice);
    }

    /// <summary>The end the <see cref="DeviceServer"/> uses.</summary>
    public LinkEnd Device { get; }

    /// <summary>The end the test client uses.</summary>
    public LinkEnd Host { get; }

    /// <summary>A cable pulled and plugged back: whatever was on the line is lost.</summary>
    public void Disconnect()
    {
        _toDevice.Clear();
        _toHost.Clear();
    }
}

/// <summary>One end of a <see cref="LinkPair"/>.</summary>
internal sealed class LinkEnd : IByteLink
{
    private readonly ByteQueue _incoming;
    private readonly ByteQueue _outgoing;

    public LinkEnd(ByteQueue incoming, ByteQueue outgoing)
    {
        _incoming = incoming;
        _outgoing = outgoing;
    }

    /// <summary>Most bytes one Read returns, to split frames across reads.</summary>
    public int MaxReadBytes { get; set; } = int.MaxValue;

    /// <summary>Bytes waiting to be read at this end.</summary>
    public int Available => _incoming.Count;

    /// <summary>When set, Read throws it (a failing UART driver).</summary>
    public Exception? ReadFailure { get; set; }

    public int Read(byte[] buffer, int offset, int count)
    {
        if (ReadFailure is not null)
        {
            throw ReadFailure;
        }

        return _incoming.Read(buffer, offset, Math.Min(count, MaxReadBytes));
    }

    public int ReadAvailable(byte[] buffer, int offset, int count) => Read(buffer, offset, count);

    public void Write(byte[] buffer, int offset, int count)
    {
        _outgoing.Write(buffer, offset, count);
    }
}
