using NanoInt8.Device;

namespace NanoInt8.Host.Device
{
    /// <summary>
    /// The emulated board's sensor: a sine wave of amplitude 100 and period 32 samples across the
    /// input, shifted by one sample per reading, so field-sensor mode produces changing outputs.
    /// </summary>
    public sealed class SyntheticInputSource : IInputSource
    {
        private const int PeriodSamples = 32;
        private int _phase;

        /// <summary>Fills input[offset .. offset + count) with the next reading.</summary>
        public void Read(sbyte[] input, int offset, int count)
        {
            ArgumentNullException.ThrowIfNull(input);
            for (int index = 0; index < count; index++)
            {
                input[offset + index] = (sbyte)Math.Round(100 * Math.Sin(2 * Math.PI * (index + _phase) / PeriodSamples));
            }

            _phase = (_phase + 1) % PeriodSamples;
        }
    }
}
