namespace NanoInt8.Host.Quantization
{
    /// <summary>The real range an activation tensor is quantized over; <see cref="Minimum"/> ≤ 0 ≤ <see cref="Maximum"/>.</summary>
    /// <param name="Minimum">The lower end, 0 or less.</param>
    /// <param name="Maximum">The upper end, 0 or more.</param>
    public readonly record struct ActivationRange(double Minimum, double Maximum)
    {
        /// <summary>
        /// The int8 parameters of the range as ONNX Runtime's quantize_static computes them for
        /// asymmetric activations: scale = (max - min) / 255 as float32, zero point =
        /// round_half_to_even(-128 - min / scale) in [-128, 127]. Since 0 is inside the range, real 0
        /// is exactly the zero point (what padding and ReLU need). A range of width 0 gets scale 1
        /// and zero point 0.
        /// </summary>
        public QuantizationParameters ToInt8()
        {
            double minimum = Math.Min(Minimum, 0);
            double maximum = Math.Max(Maximum, 0);
            if (!(maximum > minimum))
            {
                return new QuantizationParameters(1f, 0);
            }

            float scale = (float)((maximum - minimum) / 255.0);
            if (!(scale > 0) || float.IsInfinity(scale))
            {
                throw new QuantizationException($"the range [{minimum}, {maximum}] has no finite, positive int8 scale.");
            }

            double zeroPoint = Math.Round(-128 - (minimum / scale), MidpointRounding.ToEven);
            return new QuantizationParameters(scale, (int)Math.Clamp(zeroPoint, -128, 127));
        }
    }

    /// <summary>Per-tensor int8 quantization: real = <see cref="Scale"/> · (q - <see cref="ZeroPoint"/>).</summary>
    /// <param name="Scale">The step, positive; float32 as stored in the QDQ model.</param>
    /// <param name="ZeroPoint">The int8 code of real 0, in [-128, 127].</param>
    public readonly record struct QuantizationParameters(float Scale, int ZeroPoint)
    {
        /// <summary>The real range the int8 codes cover: [scale · (-128 - zeroPoint), scale · (127 - zeroPoint)].</summary>
        public ActivationRange RepresentableRange => new ActivationRange(Scale * (-128.0 - ZeroPoint), Scale * (127.0 - ZeroPoint));
    }
}
