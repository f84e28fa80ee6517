namespace NanoInt8.Device.Tests.Support;

/// <summary>A clock the test moves: by hand, and by <see cref="StepPerRead"/> ticks at every read.</summary>
internal sealed class FakeClock : IClock
{
    private long _ticks = 1_000_000;

    /// <summary>Ticks added after every read of <see cref="Ticks"/> (so Invoke takes exactly that long).</summary>
    public long StepPerRead { get; set; }

    public long Ticks
    {
        get
        {
            long now = _ticks;
            _ticks += StepPerRead;
            return now;
        }
    }

    public void AdvanceMilliseconds(long milliseconds)
    {
        _ticks += milliseconds * Protocol.TicksPerMillisecond;
    }
}
