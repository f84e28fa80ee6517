using NanoInt8.Host.Quantization;

namespace NanoInt8.Host.Analysis
{
    /// <summary>What the device's hardware must support to run a model converted in one requantization mode.</summary>
    /// <param name="FloatingPoint">A floating-point unit (never: every mode is integer-only).</param>
    /// <param name="WideMultiply">A 32 × 32 → 64-bit multiply (q31 and per-tensor: the q31 product; exact: a 48-bit significand product).</param>
    /// <param name="RequantizationMultiplier">A multiply in requantization at all (pow2 only shifts).</param>
    /// <param name="PerChannelParameters">A multiplier and shift per output channel (per-tensor keeps one per weight tensor).</param>
    public sealed record ModeHardware(bool FloatingPoint, bool WideMultiply, bool RequantizationMultiplier, bool PerChannelParameters)
    {
        /// <summary>The needs of <paramref name="mode"/>.</summary>
        public static ModeHardware Of(RequantizationMode mode) => mode switch
        {
            RequantizationMode.Q31 => new ModeHardware(false, true, true, true),
            RequantizationMode.Q15 => new ModeHardware(false, false, true, true),
            RequantizationMode.PowerOfTwo => new ModeHardware(false, false, false, true),
            RequantizationMode.PerTensor => new ModeHardware(false, true, true, false),
            RequantizationMode.Exact => new ModeHardware(false, true, true, true),
            _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, null),
        };
    }

    /// <summary>
    /// One requantization mode measured on a model: agreement with ONNX Runtime's quantized model,
    /// error against a real-valued reference, size on the device, and work counted by the runtime.
    /// </summary>
    /// <remarks>
    /// All differences and errors are in quantization steps of the output they belong to (its
    /// scale), so outputs of different scales add up and a figure reads the same for any model.
    /// Work figures are totals over all samples; the per-inference properties divide by
    /// <see cref="Samples"/>.
    /// </remarks>
    public sealed record ModeAnalysis
    {
        /// <summary>The mode.</summary>
        public required RequantizationMode Mode { get; init; }

        /// <summary>What the hardware must support for this mode.</summary>
        public ModeHardware Hardware => ModeHardware.Of(Mode);

        /// <summary>Why the model could not be converted in this mode, or null when it was (all other figures are zero then).</summary>
        public string? Failure { get; init; }

        /// <summary>Samples run.</summary>
        public int Samples { get; init; }

        /// <summary>Output values compared (elements of all outputs × samples).</summary>
        public long Elements { get; init; }

        /// <summary>Output values equal, in quantization steps, to ONNX Runtime's quantized model.</summary>
        public long Identical { get; init; }

        /// <summary>The largest |device − ONNX Runtime quantized| over all values, in quantization steps.</summary>
        public int LargestDifference { get; init; }

        /// <summary>How many values differ from ONNX Runtime's quantized model by each signed number of steps (device − ONNX Runtime).</summary>
        public IReadOnlyDictionary<int, long> DifferenceCounts { get; init; } = new Dictionary<int, long>();

        /// <summary>Root mean square of (dequantized device output − error reference), in output steps.</summary>
        public double RmsError { get; init; }

        /// <summary>Largest |dequantized device output − error reference|, in output steps.</summary>
        public double MaxError { get; init; }

        /// <summary>Samples whose top-1 class agrees with the classifier reference; null for a model that is not a classifier.</summary>
        public int? TopOneAgreements { get; init; }

        /// <summary>Bytes of constants on the device: int8 constants plus 4 per int32 constant (weights, biases, multipliers, shifts).</summary>
        public long ParameterBytes { get; init; }

        /// <summary>Bytes the device allocates for the model (the header's deviceBytes).</summary>
        public int DeviceBytes { get; init; }

        /// <summary>Multiply-accumulates counted by the runtime over all samples.</summary>
        public long MultiplyAccumulates { get; init; }

        /// <summary>Requantizations counted by the runtime over all samples.</summary>
        public long Requantizations { get; init; }

        /// <summary>Integer operations of those requantizations, counted by the runtime over all samples.</summary>
        public long RequantizationOperations { get; init; }

        /// <summary>Share of values identical to ONNX Runtime's quantized model, 0 .. 1.</summary>
        public double IdenticalShare => Elements == 0 ? 0 : (double)Identical / Elements;

        /// <summary>Multiply-accumulates of one inference (the mean over the samples).</summary>
        public double MultiplyAccumulatesPerInference => PerInference(MultiplyAccumulates);

        /// <summary>Requantizations of one inference (the mean over the samples).</summary>
        public double RequantizationsPerInference => PerInference(Requantizations);

        /// <summary>Requantization integer operations of one inference (the mean over the samples).</summary>
        public double RequantizationOperationsPerInference => PerInference(RequantizationOperations);

        /// <summary>Requantization operations per multiply-accumulate, in percent; null for a model without MACs.</summary>
        public double? RequantizationOperationsPerMacPercent => MultiplyAccumulates == 0 ? null : 100.0 * RequantizationOperations / MultiplyAccumulates;

        private double PerInference(long total) => Samples == 0 ? 0 : (double)total / Samples;
    }

    /// <summary>The real-valued reference the error columns of <see cref="RequantizationReport"/> are measured against.</summary>
    public enum ErrorReference
    {
        /// <summary>The float model (--float-model) in ONNX Runtime.</summary>
        FloatModel,

        /// <summary>
        /// The quantized ONNX model's own float path in ONNX Runtime without graph optimizations
        /// (ORT_DISABLE_ALL): dequantize, float operator, quantize, as the ONNX operators define it.
        /// </summary>
        QdqFloatPath,
    }

    /// <summary>Every requantization mode measured on one model and one set of samples.</summary>
    /// <param name="Modes">One entry per mode, in <see cref="RequantizationModes.All"/> order.</param>
    /// <param name="Samples">Samples run.</param>
    /// <param name="ErrorReference">What the error columns are measured against.</param>
    /// <param name="ClassifierOutput">The output top-1 agreement is measured on, or null when no output has a class dimension.</param>
    public sealed record RequantizationReport(IReadOnlyList<ModeAnalysis> Modes, int Samples, ErrorReference ErrorReference, string? ClassifierOutput)
    {
        /// <summary>The entry of <paramref name="mode"/>.</summary>
        public ModeAnalysis this[RequantizationMode mode] => Modes.First(analysis => analysis.Mode == mode);
    }

    /// <summary>How far an analysis has got: <see cref="Mode"/> null while ONNX Runtime computes the references.</summary>
    /// <param name="Mode">The mode being run, or null for the ONNX Runtime references.</param>
    /// <param name="SamplesDone">Samples done in this stage.</param>
    /// <param name="SamplesTotal">Samples in every stage.</param>
    public sealed record AnalysisProgress(RequantizationMode? Mode, int SamplesDone, int SamplesTotal);
}
