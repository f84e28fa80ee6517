namespace NanoInt8.Device.Tests
{
    /// <summary>
    /// A deterministic <see cref="IClock"/>: it moves only by hand and by <see cref="StepPerRead"/>
    /// ticks after every read, so elapsed times and sensor periods are the same on every runtime.
    /// </summary>
    public sealed class SteppingClock : IClock
    {
        private long _ticks = 1000000;
        private long _stepPerRead;

        /// <summary>Ticks added after every read of <see cref="Ticks"/> (an Invoke then takes exactly that long).</summary>
        public long StepPerRead
        {
            get { return _stepPerRead; }
            set { _stepPerRead = value; }
        }

        /// <inheritdoc />
        public long Ticks
        {
            get
            {
                long now = _ticks;
                _ticks += _stepPerRead;
                return now;
            }
        }

        /// <summary>Moves the clock forward by <paramref name="milliseconds"/>.</summary>
        public void AdvanceMilliseconds(long milliseconds)
        {
            _ticks += milliseconds * Protocol.TicksPerMillisecond;
        }
    }
}
