namespace NanoInt8.Device.Tests.Support;

/// <summary>
/// One direction of an in-memory serial line: a byte queue in one array that is compacted, and
/// grown only when it is too small, so steady-state traffic allocates nothing (the allocation
/// tests rely on that).
/// </summary>
internal sealed class BytePipe
{
    private byte[] _data = new byte[256 * 1024];
    private int _start;
    private int _count;

    /// <summary>Bytes waiting to be read.</summary>
    public int Count => _count;

    public void Write(byte[] buffer, int offset, int count)
    {
        if (_start + _count + count > _data.Length)
        {
            if (_count + count > _data.Length)
            {
                byte[] larger = new byte[Math.Max(_data.Length * 2, _count + count)];
                Array.Copy(_data, _start, larger, 0, _count);
                _data = larger;
            }
            else
            {
                Array.Copy(_data, _start, _data, 0, _count);
            }

            _start = 0;
        }

        Array.Copy(buffer, offset, _data, _start + _count, count);
        _count += count;
    }

    public int Read(byte[] buffer, int offset, int count)
    {
        int taken = Math.Min(count, _count);
        Array.Copy(_data, _start, buffer, offset, taken);
        _start += taken;
        _count -= taken;
        if (_count == 0)
        {
            _start = 0;
        }

        return taken;
    }

    public void Clear()
    {
        _start = 0;
        _count = 0;
    }
}
