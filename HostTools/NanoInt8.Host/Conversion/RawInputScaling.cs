namespace NanoInt8.Host.Conversion
{
    /// <summary>
    /// What a sensor's raw integer readings mean to a model: reading <c>raw</c> stands for the real
    /// input value <c>(raw - Offset) · Scale</c> (for a 12-bit ADC feeding an accelerometer at
    /// 0.3 V/g centred at 1.65 V: Scale 3.3 / 4095 / 0.3 g per count, Offset 2048). The converter
    /// stores the integer transform it implies for every graph input (metadata key 8,
    /// <see cref="Quantization.RawInputEncoder"/>), so that an app on the device feeds readings
    /// straight in (EmbeddedModel.SetRawInput).
    /// </summary>
    public sealed record RawInputScaling
    {
        /// <summary>Largest |Offset| plus one: the device keeps offset and span within int32 (RawInputTransform).</summary>
        public const int OffsetLimit = Runtime.RawInputTransform.MaxRawSpan;

        /// <summary>Creates the scaling.</summary>
        /// <exception cref="ArgumentOutOfRangeException">The scale is not finite and positive, or |offset| is 2^30 or more.</exception>
        public RawInputScaling(double scale, int offset)
        {
            if (!double.IsFinite(scale) || scale <= 0)
            {
                throw new ArgumentOutOfRangeException(nameof(scale), scale, "A raw input scale is finite and positive.");
            }

            if (offset <= -OffsetLimit || offset >= OffsetLimit)
            {
                throw new ArgumentOutOfRangeException(nameof(offset), offset, $"A raw input offset lies strictly between -{OffsetLimit} and {OffsetLimit}.");
            }

            Scale = scale;
            Offset = offset;
        }

        /// <summary>Real input units per raw count.</summary>
        public double Scale { get; }

        /// <summary>The raw reading of real value 0.</summary>
        public int Offset { get; }
    }
}
