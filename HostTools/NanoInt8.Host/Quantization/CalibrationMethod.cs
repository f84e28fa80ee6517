namespace NanoInt8.Host.Quantization
{
    /// <summary>How the range of an activation is chosen from the values it took during calibration.</summary>
    public enum CalibrationMethod
    {
        /// <summary>The smallest and largest value seen (with 0 always inside): nothing is clipped.</summary>
        MinMax,

        /// <summary>
        /// On each side of zero, the given percentile of the magnitudes seen on that side
        /// (<see cref="QuantizationOptions.Percentile"/>, 99.99 by default): rare outliers are clipped.
        /// </summary>
        Percentile,

        /// <summary>
        /// On each side of zero, the threshold whose quantized distribution is closest to the
        /// observed one in Kullback-Leibler divergence, searched over a 2048-bin histogram as
        /// TensorRT's calibrator does (<see cref="EntropyCalibration"/>).
        /// </summary>
        Entropy,
    }
}
