using System;

namespace NanoInt8.Device
{
    /// <summary>
    /// <see cref="IClock"/> on DateTime.UtcNow.Ticks, which nanoFramework has (Stopwatch it has not).
    /// </summary>
    public sealed class SystemClock : IClock
    {
        /// <summary>DateTime.UtcNow in 100 ns ticks.</summary>
        public long Ticks
        {
            get { return DateTime.UtcNow.Ticks; }
        }
    }
}
