using NanoInt8.Host.Conversion;
using NanoInt8.Host.Format;
using NanoInt8.Runtime;

namespace NanoInt8.Host.Quantization
{
    /// <summary>
    /// The raw input transform of one graph input (metadata key 8; <see cref="RawInputTransform"/>
    /// applies it on the device): a reading r becomes
    /// <c>clamp(zeroPoint + round((r - offset) · ratio))</c> with <c>ratio = rawScale / inputScale</c>
    /// as one integer pair, which is QuantizeLinear of the real value <c>(r - offset) · rawScale</c>
    /// up to the pair's rounding of the ratio.
    /// </summary>
    /// <remarks>
    /// The pair's arithmetic follows the model's requantization mode, so the transform needs no more
    /// of the hardware than the model does: Q31 for q31 and per-tensor, Q15 (32-bit products) for q15
    /// and pow2 (a power-of-two ratio would be off by up to √2), Float32 for exact. RawMin and RawMax
    /// are the readings where the value has saturated with half a step to spare, so the device's clamp
    /// to them changes no result (<see cref="RawInputTransform"/>).
    /// </remarks>
    public static class RawInputEncoder
    {
        /// <summary>
        /// Largest ratio stored: from 256 input steps per raw count on, every reading but the offset
        /// itself saturates, so a larger ratio gives the same values.
        /// </summary>
        public const double MaxRatio = 256;

        /// <summary>The transform of an input quantized with <paramref name="inputScale"/> and <paramref name="zeroPoint"/>.</summary>
        /// <exception cref="ConversionException">One raw count is so small a part of an input step that
        /// the readings covering the input's range span more than 2^30 counts.</exception>
        public static RawInputEntry Encode(RawInputScaling scaling, double inputScale, int zeroPoint, RequantizationMode mode)
        {
            ArgumentNullException.ThrowIfNull(scaling);
            double ratio = Math.Min(scaling.Scale / inputScale, MaxRatio);
            RequantizationMode arithmetic = mode switch
            {
                RequantizationMode.Q15 or RequantizationMode.PowerOfTwo => RequantizationMode.Q15,
                RequantizationMode.Exact => RequantizationMode.Exact,
                _ => RequantizationMode.Q31,
            };
            (int multiplier, int shift) = RequantizationEncoder.Encode(ratio, arithmetic);
            double stored = RequantizationEncoder.ToReal(multiplier, shift, arithmetic.DeviceMode());

            // Beyond these distances from the offset the value is past -128 or 127 by at least half a step.
            double below = stored == 0 ? double.NegativeInfinity : Math.Floor((-129.0 - zeroPoint) / stored);
            double above = stored == 0 ? double.PositiveInfinity : Math.Ceiling((128.0 - zeroPoint) / stored);
            if (Math.Max(-below, above) > RawInputTransform.MaxRawSpan)
            {
                throw new ConversionException(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"a raw input scale of {scaling.Scale:G6} per count is {ratio:G3} of the input's quantization step ({inputScale:G6}): the readings that cover the input's range would span more than 2^30 counts; shift the readings right before they reach the model and scale up --raw-input-scale to match."));
            }

            RawInputEntry entry = new RawInputEntry(arithmetic.DeviceMode(), multiplier, shift, scaling.Offset,
                (int)(scaling.Offset + below), (int)(scaling.Offset + above));
            if (!entry.IsValid)
            {
                throw new InvalidOperationException($"The raw input transform {entry} escapes the device's bounds.");
            }

            return entry;
        }

        /// <summary>The real input units per raw count that <paramref name="entry"/> applies for an input of <paramref name="inputScale"/>.</summary>
        public static double RawScale(RawInputEntry entry, double inputScale) =>
            RequantizationEncoder.ToReal(entry.Multiplier, entry.Shift, entry.Arithmetic) * inputScale;
    }
}
