namespace NanoInt8.Host.Quantization
{
    /// <summary>Settings of one static post-training quantization.</summary>
    public sealed class QuantizationOptions
    {
        /// <summary>How activation ranges are chosen; <see cref="CalibrationMethod.MinMax"/> by default, as ONNX Runtime's quantize_static.</summary>
        public CalibrationMethod Method { get; init; } = CalibrationMethod.MinMax;

        /// <summary>
        /// True (the default) for one weight scale per output channel (axis 0 of Conv and of Gemm
        /// with transB=1, axis 1 of MatMul and of Gemm with transB=0); false for one scale per weight tensor.
        /// </summary>
        public bool PerChannel { get; init; } = true;

        /// <summary>The percentile of <see cref="CalibrationMethod.Percentile"/>, in (0, 100]; 99.99 by default.</summary>
        public double Percentile { get; init; } = 99.99;
    }
}
