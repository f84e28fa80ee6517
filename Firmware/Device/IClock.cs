namespace NanoInt8.Device
{
    /// <summary>
    /// Time for INFER/BENCH measurements and the SENSOR period, so tests can drive time by hand.
    /// <see cref="SystemClock"/> is the real one.
    /// </summary>
    public interface IClock
    {
        /// <summary>A monotonic-enough time in 100 ns ticks; only differences are used.</summary>
        long Ticks { get; }
    }
}
