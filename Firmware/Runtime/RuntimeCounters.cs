#if NANOINT8_COUNTERS
namespace NanoInt8.Runtime
{
    /// <summary>
    /// Work counted by the runtime as it runs, in host builds only: the net10.0 build defines
    /// NANOINT8_COUNTERS, the device builds do not, so the device executes none of this. Counters
    /// are per thread; <see cref="Reset"/> before an inference, read after it.
    /// </summary>
    /// <remarks>
    /// A requantization's integer operations are the arithmetic, logic, shift and comparison
    /// operations of the code path it took (each 64-bit operation counted as one); the constants at
    /// each path in <see cref="Requantization"/> count that path's code. Multiply-accumulates are
    /// counted by Conv2D and FullyConnected per output: the filter taps it actually summed (border
    /// outputs skip the taps that fall on padding).
    /// </remarks>
    public static class RuntimeCounters
    {
        [System.ThreadStatic]
        private static long _multiplyAccumulates;

        [System.ThreadStatic]
        private static long _requantizations;

        [System.ThreadStatic]
        private static long _requantizationOperations;

        /// <summary>Multiply-accumulates of Conv2D and FullyConnected since <see cref="Reset"/>.</summary>
        public static long MultiplyAccumulates
        {
            get { return _multiplyAccumulates; }
        }

        /// <summary>Requantizations applied since <see cref="Reset"/>.</summary>
        public static long Requantizations
        {
            get { return _requantizations; }
        }

        /// <summary>Integer operations those requantizations spent.</summary>
        public static long RequantizationOperations
        {
            get { return _requantizationOperations; }
        }

        /// <summary>Sets this thread's counters to zero.</summary>
        public static void Reset()
        {
            _multiplyAccumulates = 0;
            _requantizations = 0;
            _requantizationOperations = 0;
        }

        internal static void AddMultiplyAccumulates(int count)
        {
            _multiplyAccumulates += count;
        }

        internal static void AddRequantization(int operations)
        {
            _requantizations++;
            _requantizationOperations += operations;
        }
    }
}
#endif
