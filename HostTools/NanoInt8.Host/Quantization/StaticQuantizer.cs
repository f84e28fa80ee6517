using Google.Protobuf;
using NanoInt8.Onnx;
using NanoInt8.Onnx.Protobuf;

namespace NanoInt8.Host.Quantization
{
    /// <summary>
    /// Static post-training quantization of a float ONNX model into a standard QDQ model, as ONNX
    /// Runtime's quantize_static does in QDQ format: int8 activations with asymmetric per-tensor
    /// ranges found by running the float model on calibration samples, int8 symmetric weights (per
    /// output channel by default), int32 biases. The result runs in ONNX Runtime and is what
    /// <see cref="Conversion.OnnxConverter"/> turns into an integer model.
    /// </summary>
    /// <remarks>
    /// Steps: (1) prepare the float graph (<see cref="FloatModelPreparation"/>: Constant nodes to
    /// initializers, Conv + BatchNormalization folded, Gemm normalized, operators checked against the
    /// converter's); (2) plan the Q/DQ pairs (<see cref="QdqRewriter"/>: Relu/Clip fused into the
    /// operator before them); (3) calibrate: run the prepared model in ONNX Runtime with every
    /// planned activation added as a graph output, over every sample, once for the extremes and,
    /// for the percentile and entropy methods, once more for the histograms
    /// (<see cref="ActivationStatistics"/>); (4) write the QDQ model; (5) run the original float
    /// model and the QDQ model on the same samples and report how their outputs agree.
    /// </remarks>
    public sealed class StaticQuantizer
    {
        private readonly OnnxRuntimeRunner _runner = new OnnxRuntimeRunner();

        /// <summary>Creates a quantizer.</summary>
        /// <param name="options">The settings; defaults when null (min/max, per-channel weights).</param>
        public StaticQuantizer(QuantizationOptions? options = null)
        {
            Options = options ?? new QuantizationOptions();
            if (!(Options.Percentile > 0 && Options.Percentile <= 100))
            {
                throw new ArgumentOutOfRangeException(nameof(options), Options.Percentile, "The percentile lies in (0, 100].");
            }
        }

        /// <summary>The settings.</summary>
        public QuantizationOptions Options { get; }

        /// <summary>Quantizes a float model with calibration samples.</summary>
        /// <param name="floatModel">The float model: one float32 input, batch dimension 1 or symbolic.</param>
        /// <param name="calibrationData">The samples along the first axis (see <see cref="CalibrationData"/> for the shapes accepted).</param>
        /// <param name="dataSource">What the data is called in messages (e.g. its file name).</param>
        /// <returns>The QDQ model and the report.</returns>
        /// <exception cref="QuantizationException">The model cannot be quantized (unsupported operator, non-constant weights, opset too old).</exception>
        /// <exception cref="CalibrationDataException">The data does not fit the model's input.</exception>
        /// <exception cref="OnnxRuntimeRunException">ONNX Runtime refuses or fails to run the float model.</exception>
        public QuantizationResult Quantize(OnnxModel floatModel, NpyArray calibrationData, string dataSource = "the calibration data")
        {
            ArgumentNullException.ThrowIfNull(floatModel);
            ArgumentNullException.ThrowIfNull(calibrationData);
            var notes = new List<string>();
            ModelProto prepared = FloatModelPreparation.Prepare(floatModel.Proto, Options, notes);
            var rewriter = new QdqRewriter(prepared, Options, notes);
            OnnxValueInfo input = floatModel.Inputs.Single(candidate => candidate.Name == rewriter.InputName);
            IReadOnlyList<NpyArray> samples = CalibrationData.ToSamples(calibrationData, input, dataSource);

            Dictionary<string, ActivationStatistics> statistics = Calibrate(prepared, rewriter, samples);
            var ranges = statistics.ToDictionary(
                entry => entry.Key,
                entry => entry.Value.ChooseRange(Options.Method, Options.Percentile),
                StringComparer.Ordinal);
            IReadOnlyDictionary<string, QuantizationParameters> parameters = rewriter.ResolveParameters(ranges);
            ModelProto quantized = rewriter.Write(parameters);

            var activations = rewriter.Planned
                .Select(tensor =>
                {
                    ActivationStatistics seen = statistics[tensor.Source == ParameterSource.SharedWithInput ? RootOf(rewriter, tensor) : tensor.Name];
                    return new QuantizedActivation(tensor.Name, tensor.Producer, tensor.Source, new ActivationRange(seen.Minimum, seen.Maximum), parameters[tensor.Name]);
                })
                .ToArray();
            IReadOnlyList<OutputAgreement> agreement = Compare(floatModel, quantized, rewriter.InputName, samples);
            return new QuantizationResult(quantized, new QuantizationReport(Options, samples.Count, activations, agreement, notes));
        }

        private static string RootOf(QdqRewriter rewriter, PlannedActivation tensor)
        {
            while (tensor.Source == ParameterSource.SharedWithInput)
            {
                tensor = rewriter.Planned.First(candidate => candidate.Name == tensor.SharedWith);
            }

            return tensor.Name;
        }

        /// <summary>
        /// Runs the prepared model with every observed activation as an extra graph output and
        /// collects their statistics; the input's come from the samples themselves.
        /// </summary>
        private Dictionary<string, ActivationStatistics> Calibrate(ModelProto prepared, QdqRewriter rewriter, IReadOnlyList<NpyArray> samples)
        {
            ModelProto probed = prepared.Clone();
            var outputIndex = new Dictionary<string, int>(StringComparer.Ordinal);
            for (int position = 0; position < probed.Graph.Output.Count; position++)
            {
                outputIndex[probed.Graph.Output[position].Name] = position;
            }

            var statistics = new Dictionary<string, ActivationStatistics>(StringComparer.Ordinal);
            foreach (string tensor in rewriter.ObservedTensors)
            {
                statistics[tensor] = new ActivationStatistics();
                if (tensor != rewriter.InputName && !outputIndex.ContainsKey(tensor))
                {
                    outputIndex[tensor] = probed.Graph.Output.Count;
                    probed.Graph.Output.Add(new ValueInfoProto
                    {
                        Name = tensor,
                        Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float } },
                    });
                }
            }

            using OnnxRuntimeSession session = _runner.CreateSession(probed.ToByteArray());
            int passes = Options.Method == CalibrationMethod.MinMax ? 1 : 2;
            for (int pass = 0; pass < passes; pass++)
            {
                foreach (NpyArray sample in samples)
                {
                    IReadOnlyList<NpyArray> outputs = session.Run(new Dictionary<string, NpyArray> { [rewriter.InputName] = sample });
                    foreach ((string tensor, ActivationStatistics seen) in statistics)
                    {
                        float[] values = tensor == rewriter.InputName ? sample.AsFloats() : outputs[outputIndex[tensor]].AsFloats();
                        if (pass == 0)
                        {
                            seen.ObserveRange(values);
                        }
                        else
                        {
                            seen.ObserveHistogram(values);
                        }
                    }
                }
            }

            return statistics;
        }

        private List<OutputAgreement> Compare(OnnxModel floatModel, ModelProto quantized, string inputName, IReadOnlyList<NpyArray> samples)
        {
            using OnnxRuntimeSession floatSession = _runner.CreateSession(floatModel.ToBytes());
            using OnnxRuntimeSession quantizedSession = _runner.CreateSession(quantized.ToByteArray());
            int outputs = floatSession.OutputNames.Count;
            var absoluteErrorSums = new double[outputs];
            var absoluteValueSums = new double[outputs];
            var maximumErrors = new double[outputs];
            var elements = new long[outputs];
            var matches = new int[outputs];
            var isClassifier = new bool[outputs];
            foreach (NpyArray sample in samples)
            {
                var feed = new Dictionary<string, NpyArray> { [inputName] = sample };
                IReadOnlyList<NpyArray> expected = floatSession.Run(feed);
                IReadOnlyList<NpyArray> actual = quantizedSession.Run(feed);
                for (int output = 0; output < outputs; output++)
                {
                    float[] reference = expected[output].AsFloats();
                    float[] result = actual[output].AsFloats();
                    for (int element = 0; element < reference.Length; element++)
                    {
                        double error = Math.Abs((double)result[element] - reference[element]);
                        absoluteErrorSums[output] += error;
                        absoluteValueSums[output] += Math.Abs(reference[element]);
                        maximumErrors[output] = Math.Max(maximumErrors[output], error);
                    }

                    elements[output] += reference.Length;
                    // A classifier output: one row of scores (every dimension but one is 1).
                    isClassifier[output] = reference.Length >= 2 && expected[output].Shape.Count(dimension => dimension != 1) == 1;
                    if (isClassifier[output] && ArgMax(reference) == ArgMax(result))
                    {
                        matches[output]++;
                    }
                }
            }

            var agreement = new List<OutputAgreement>();
            for (int output = 0; output < outputs; output++)
            {
                long count = Math.Max(elements[output], 1);
                agreement.Add(new OutputAgreement(
                    floatSession.OutputNames[output],
                    absoluteErrorSums[output] / count,
                    maximumErrors[output],
                    absoluteValueSums[output] / count,
                    isClassifier[output] ? (double)matches[output] / samples.Count : null,
                    matches[output]));
            }

            return agreement;
        }

        private static int ArgMax(float[] values)
        {
            int best = 0;
            for (int index = 1; index < values.Length; index++)
            {
                if (values[index] > values[best])
                {
                    best = index;
                }
            }

            return best;
        }
    }
}
