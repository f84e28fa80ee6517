using Google.Protobuf;
using NanoInt8.Onnx.Protobuf;

namespace NanoInt8.Host.Quantization
{
    /// <summary>One quantized activation: its range and int8 parameters, and the values it was seen to take.</summary>
    /// <param name="Name">The tensor's name in the float model.</param>
    /// <param name="Producer">What computes it ("Conv 'c1' + Relu 'r1'", "graph input").</param>
    /// <param name="Source">Calibrated, shared with its input, or fixed.</param>
    /// <param name="Observed">The smallest and largest value seen during calibration (0 included); for a tensor that shares its input's parameters, its input's.</param>
    /// <param name="Parameters">The int8 scale and zero point written to the QDQ model.</param>
    public sealed record QuantizedActivation(string Name, string Producer, ParameterSource Source, ActivationRange Observed, QuantizationParameters Parameters);

    /// <summary>How closely one output of the QDQ model follows the float model's over the calibration samples.</summary>
    /// <param name="Name">The graph output.</param>
    /// <param name="MeanAbsoluteError">Mean over all samples and elements of |quantized - float|.</param>
    /// <param name="MaximumAbsoluteError">Largest |quantized - float|.</param>
    /// <param name="MeanAbsoluteValue">Mean |float output|, the scale the errors compare with.</param>
    /// <param name="TopOneAgreement">For a classifier output (one row of two or more scores): the share of samples whose highest score is the same class in both models; otherwise null.</param>
    /// <param name="TopOneMatches">Samples whose top class agrees (0 for a non-classifier output).</param>
    public sealed record OutputAgreement(string Name, double MeanAbsoluteError, double MaximumAbsoluteError, double MeanAbsoluteValue, double? TopOneAgreement, int TopOneMatches);

    /// <summary>What a static quantization did and how the QDQ model agrees with the float model on the calibration data.</summary>
    public sealed class QuantizationReport
    {
        /// <summary>Creates a report.</summary>
        public QuantizationReport(
            QuantizationOptions options,
            int sampleCount,
            IReadOnlyList<QuantizedActivation> activations,
            IReadOnlyList<OutputAgreement> outputs,
            IReadOnlyList<string> notes)
        {
            Method = options.Method;
            PerChannel = options.PerChannel;
            Percentile = options.Percentile;
            SampleCount = sampleCount;
            Activations = activations;
            Outputs = outputs;
            Notes = notes;
        }

        /// <summary>The calibration method used.</summary>
        public CalibrationMethod Method { get; }

        /// <summary>True when weights have one scale per output channel.</summary>
        public bool PerChannel { get; }

        /// <summary>The percentile of <see cref="CalibrationMethod.Percentile"/>.</summary>
        public double Percentile { get; }

        /// <summary>Calibration samples run.</summary>
        public int SampleCount { get; }

        /// <summary>Every quantized activation, in graph order, the input first.</summary>
        public IReadOnlyList<QuantizedActivation> Activations { get; }

        /// <summary>Agreement of each graph output, in graph order.</summary>
        public IReadOnlyList<OutputAgreement> Outputs { get; }

        /// <summary>Folds and fusions done on the float graph.</summary>
        public IReadOnlyList<string> Notes { get; }
    }

    /// <summary>The QDQ model a quantization produced, and its report.</summary>
    public sealed class QuantizationResult
    {
        /// <summary>Creates a result.</summary>
        public QuantizationResult(ModelProto model, QuantizationReport report)
        {
            Model = model;
            Report = report;
        }

        /// <summary>The QDQ model.</summary>
        public ModelProto Model { get; }

        /// <summary>What was done and how closely the QDQ model follows the float one.</summary>
        public QuantizationReport Report { get; }

        /// <summary>The QDQ model as .onnx bytes.</summary>
        public byte[] ToBytes() => Model.ToByteArray();
    }
}
