using Microsoft.ML.OnnxRuntime;
using NanoInt8.Host.Conversion;
using NanoInt8.Host.Device;
using NanoInt8.Host.Execution;
using NanoInt8.Host.Format;
using NanoInt8.Host.Quantization;
using NanoInt8.Onnx;
using NanoInt8.Runtime;

namespace NanoInt8.Host.Analysis
{
    /// <summary>
    /// Compares the requantization modes on one quantized ONNX model: converts it once per mode,
    /// runs every integer model on the host with the device's interpreter (<see cref="HostModelRunner"/>)
    /// on the same samples, and measures each against ONNX Runtime.
    /// </summary>
    /// <remarks>
    /// Two ONNX Runtime references, both computed once for all modes:
    /// <list type="bullet">
    /// <item>ONNX Runtime's quantized model: the QDQ model at ORT_ENABLE_EXTENDED, where ONNX Runtime
    /// fuses each QDQ group into its integer QLinear kernel (integer accumulation, float32
    /// requantization). Agreement (identical values, largest difference) is counted against it.</item>
    /// <item>The error reference: the float model when one is given, otherwise the QDQ model at
    /// ORT_DISABLE_ALL (dequantize, float operator, quantize). The device's output is dequantized
    /// and compared in output steps.</item>
    /// </list>
    /// Work is counted by the runtime itself (<see cref="RuntimeCounters"/>, host build only)
    /// around each inference, so the figures are what the interpreter executed, not estimates.
    /// </remarks>
    public sealed class RequantizationAnalysis
    {
        private readonly byte[] _onnx;
        private readonly IReadOnlyList<(RequantizationMode Mode, ConversionResult? Conversion, string? Failure)> _conversions;

        private RequantizationAnalysis(byte[] onnx, IReadOnlyList<(RequantizationMode, ConversionResult?, string?)> conversions, HostModelRunner first)
        {
            _onnx = onnx;
            _conversions = conversions;
            Inputs = first.Inputs;
            Outputs = first.Outputs;
        }

        /// <summary>The graph inputs of the converted model, in graph order.</summary>
        public IReadOnlyList<GraphTensor> Inputs { get; }

        /// <summary>The graph outputs of the converted model, in graph order.</summary>
        public IReadOnlyList<GraphTensor> Outputs { get; }

        /// <summary>
        /// Converts the quantized ONNX model once per mode of <see cref="RequantizationModes.All"/>.
        /// A mode the converter refuses gets an entry with <see cref="ModeAnalysis.Failure"/>; when it
        /// refuses every mode, its first refusal is thrown.
        /// </summary>
        /// <param name="quantizedOnnx">The QDQ (or QLinear) ONNX model's bytes.</param>
        /// <param name="options">Board budget, names, hash; its <see cref="ConversionOptions.Requantization"/> is replaced by each mode.</param>
        /// <exception cref="OnnxFormatException">The bytes are not an ONNX model.</exception>
        /// <exception cref="ConversionException">No mode can convert the model.</exception>
        public static RequantizationAnalysis Convert(byte[] quantizedOnnx, ConversionOptions? options = null)
        {
            ArgumentNullException.ThrowIfNull(quantizedOnnx);
            OnnxModel.Load(quantizedOnnx);
            List<(RequantizationMode, ConversionResult?, string?)> conversions = new List<(RequantizationMode, ConversionResult?, string?)>();
            ConversionException? firstRefusal = null;
            HostModelRunner? first = null;
            foreach (RequantizationMode mode in RequantizationModes.All)
            {
                try
                {
                    // A fresh ONNX model per mode: the converter may fold constants in the graph it is given.
                    ConversionResult conversion = OnnxConverter.Convert(OnnxModel.Load(quantizedOnnx), WithMode(options, mode));
                    first ??= new HostModelRunner(conversion.Blob);
                    conversions.Add((mode, conversion, null));
                }
                catch (ConversionException exception)
                {
                    firstRefusal ??= exception;
                    conversions.Add((mode, null, exception.Message));
                }
            }

            if (first is null)
            {
                throw firstRefusal!;
            }

            return new RequantizationAnalysis(quantizedOnnx, conversions, first);
        }

        /// <summary>The .ni8 bytes of <paramref name="mode"/>, or null when the converter refused it.</summary>
        public byte[]? Blob(RequantizationMode mode) => _conversions.First(entry => entry.Mode == mode).Conversion?.Blob;

        /// <summary>
        /// <paramref name="count"/> deterministic random samples: per input, uniform over its int8 range
        /// (<see cref="TensorSamples.Random"/>), so every reference sees values the device can represent.
        /// </summary>
        public IReadOnlyList<IReadOnlyList<NpyArray>> RandomSamples(int count, int seed)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
            Random random = new Random(seed);
            IReadOnlyList<NpyArray>[] perInput = Inputs.Select(input => TensorSamples.Random(input, count, random)).ToArray();
            return Enumerable.Range(0, count)
                .Select(sample => (IReadOnlyList<NpyArray>)perInput.Select(samples => samples[sample]).ToArray())
                .ToArray();
        }

        /// <summary>Runs every converted mode and the ONNX Runtime references on <paramref name="samples"/>.</summary>
        /// <param name="samples">Per sample, one array per graph input in the ONNX types and shapes.</param>
        /// <param name="floatOnnx">The float model the QDQ model was quantized from, or null to measure error against the QDQ float path.</param>
        /// <param name="progress">Receives each stage's progress (references, then each mode).</param>
        /// <param name="cancellationToken">Stops between samples.</param>
        /// <exception cref="InputMismatchException">A sample does not fit the model, or the float model's inputs or outputs do not match it.</exception>
        /// <exception cref="OnnxRuntimeRunException">ONNX Runtime cannot load or run a model.</exception>
        public RequantizationReport Run(IReadOnlyList<IReadOnlyList<NpyArray>> samples, byte[]? floatOnnx = null,
            IProgress<AnalysisProgress>? progress = null, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(samples);
            if (samples.Count == 0)
            {
                throw new ArgumentException("At least one sample is needed.", nameof(samples));
            }

            int classifier = Outputs.ToList().FindIndex(IsClassifierOutput);
            References references = RunReferences(samples, floatOnnx, progress, cancellationToken);
            List<ModeAnalysis> modes = new List<ModeAnalysis>();
            foreach ((RequantizationMode mode, ConversionResult? conversion, string? failure) in _conversions)
            {
                modes.Add(conversion is null
                    ? new ModeAnalysis { Mode = mode, Failure = failure }
                    : RunMode(mode, conversion.Blob, samples, references, classifier, progress, cancellationToken));
            }

            return new RequantizationReport(
                modes,
                samples.Count,
                floatOnnx is null ? ErrorReference.QdqFloatPath : ErrorReference.FloatModel,
                classifier < 0 ? null : Outputs[classifier].Name);
        }

        /// <summary>
        /// True for an output with a class dimension: more than one element, all in one dimension
        /// (e.g. logits [1, 3]).
        /// </summary>
        public static bool IsClassifierOutput(GraphTensor output)
        {
            ArgumentNullException.ThrowIfNull(output);
            return output.ElementCount > 1 && output.Shape.Count(dimension => dimension > 1) == 1;
        }

        private static ConversionOptions WithMode(ConversionOptions? options, RequantizationMode mode) => new ConversionOptions
        {
            DeviceBudget = options?.DeviceBudget,
            WorkBudget = options?.WorkBudget,
            BoardName = options?.BoardName,
            ModelName = options?.ModelName,
            SourceSha256 = options?.SourceSha256,
            Requantization = mode,
        };

        private References RunReferences(IReadOnlyList<IReadOnlyList<NpyArray>> samples, byte[]? floatOnnx, IProgress<AnalysisProgress>? progress, CancellationToken cancellationToken)
        {
            OnnxRuntimeRunner extended = new OnnxRuntimeRunner { OptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_EXTENDED };
            OnnxRuntimeRunner plain = new OnnxRuntimeRunner { OptimizationLevel = GraphOptimizationLevel.ORT_DISABLE_ALL };
            using OnnxRuntimeSession quantized = extended.CreateSession(_onnx);
            using OnnxRuntimeSession errorReference = plain.CreateSession(floatOnnx ?? _onnx);
            string what = floatOnnx is null ? "the quantized model" : "the float model";
            string[] quantizedNames = InputNames(quantized, "the quantized model");
            string[] referenceNames = InputNames(errorReference, what);
            if (errorReference.OutputNames.Count != Outputs.Count)
            {
                throw new InputMismatchException(
                    $"{Capitalize(what)} has {errorReference.OutputNames.Count} outputs, the converted model {Outputs.Count}; is it the model this one was quantized from?");
            }

            References references = new References(samples.Count);
            for (int sample = 0; sample < samples.Count; sample++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                IReadOnlyList<NpyArray> inputs = samples[sample];
                if (inputs.Count != Inputs.Count)
                {
                    throw new InputMismatchException($"Sample {sample} has {inputs.Count} inputs; the model has {Inputs.Count}.");
                }

                IReadOnlyList<NpyArray> quantizedOutputs = quantized.Run(Feeds(quantizedNames, inputs));
                IReadOnlyList<NpyArray> referenceOutputs = errorReference.Run(Feeds(referenceNames, inputs));
                references.Steps.Add(Outputs.Select((output, position) => ToSteps(output, quantizedOutputs[position])).ToArray());
                references.Reals.Add(Outputs.Select((output, position) => ToReal(output, referenceOutputs[position], what)).ToArray());
                progress?.Report(new AnalysisProgress(null, sample + 1, samples.Count));
            }

            // Top-1 is judged against the float model when there is one, else against ONNX Runtime's quantized model.
            references.Classes = floatOnnx is null
                ? references.Steps.Select(outputs => outputs.Select(values => values.Select(value => (double)value).ToArray()).ToArray()).ToList()
                : references.Reals;
            return references;
        }

        private ModeAnalysis RunMode(RequantizationMode mode, byte[] blob, IReadOnlyList<IReadOnlyList<NpyArray>> samples, References references, int classifier,
            IProgress<AnalysisProgress>? progress, CancellationToken cancellationToken)
        {
            HostModelRunner runner = new HostModelRunner(blob);
            ModelSummary summary = ModelSummary.FromBlob(blob);
            SortedDictionary<int, long> differences = new SortedDictionary<int, long>();
            long elements = 0;
            long identical = 0;
            int largest = 0;
            double squaredError = 0;
            double maxError = 0;
            int topOne = 0;
            long macs = 0;
            long requantizations = 0;
            long operations = 0;
            sbyte[][] device = Outputs.Select(output => new sbyte[output.ElementCount]).ToArray();
            for (int sample = 0; sample < samples.Count; sample++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                RuntimeCounters.Reset();
                IReadOnlyList<NpyArray> outputs = runner.Run(samples[sample]);
                macs += RuntimeCounters.MultiplyAccumulates;
                requantizations += RuntimeCounters.Requantizations;
                operations += RuntimeCounters.RequantizationOperations;
                for (int position = 0; position < Outputs.Count; position++)
                {
                    GraphTensor output = Outputs[position];
                    output.ToDevice(outputs[position], device[position]);
                    int[] steps = references.Steps[sample][position];
                    double[] reals = references.Reals[sample][position];
                    for (int index = 0; index < steps.Length; index++)
                    {
                        int difference = device[position][index] - steps[index];
                        differences[difference] = differences.GetValueOrDefault(difference) + 1;
                        identical += difference == 0 ? 1 : 0;
                        largest = Math.Max(largest, Math.Abs(difference));
                        double error = device[position][index] - output.ZeroPoint - (reals[index] / output.Scale);
                        squaredError += error * error;
                        maxError = Math.Max(maxError, Math.Abs(error));
                    }

                    elements += steps.Length;
                }

                if (classifier >= 0)
                {
                    topOne += ArgMax(device[classifier]) == ArgMax(references.Classes[sample][classifier]) ? 1 : 0;
                }

                progress?.Report(new AnalysisProgress(mode, sample + 1, samples.Count));
            }

            return new ModeAnalysis
            {
                Mode = mode,
                Samples = samples.Count,
                Elements = elements,
                Identical = identical,
                LargestDifference = largest,
                DifferenceCounts = differences,
                RmsError = elements == 0 ? 0 : Math.Sqrt(squaredError / elements),
                MaxError = maxError,
                TopOneAgreements = classifier < 0 ? null : topOne,
                ParameterBytes = summary.WeightBytes,
                DeviceBytes = summary.DeviceBytes,
                MultiplyAccumulates = macs,
                Requantizations = requantizations,
                RequantizationOperations = operations,
            };
        }

        /// <summary>The session's input name for each graph input: by name where the names match, else by position.</summary>
        private string[] InputNames(OnnxRuntimeSession session, string what)
        {
            if (session.InputNames.Count != Inputs.Count)
            {
                throw new InputMismatchException(
                    $"{Capitalize(what)} has {session.InputNames.Count} inputs, the converted model {Inputs.Count}; is it the same model?");
            }

            return Inputs.Select((input, position) => session.InputNames.Contains(input.Name) ? input.Name : session.InputNames[position]).ToArray();
        }

        private static Dictionary<string, NpyArray> Feeds(string[] names, IReadOnlyList<NpyArray> inputs)
        {
            Dictionary<string, NpyArray> feeds = new Dictionary<string, NpyArray>();
            for (int position = 0; position < names.Length; position++)
            {
                feeds[names[position]] = inputs[position];
            }

            return feeds;
        }

        /// <summary>An ONNX Runtime output of the quantized model in the device's int8 steps of the output.</summary>
        private static int[] ToSteps(GraphTensor output, NpyArray reference)
        {
            CheckCount(output, reference, "the quantized model");
            return reference.ElementType switch
            {
                NpyType.Float32 => reference.AsFloats().Select(value => (int)HostModelRunner.QuantizeLinear(value, output.Scale, output.ZeroPoint)).ToArray(),
                NpyType.UInt8 => reference.AsUInt8().Select(value => value - 128).ToArray(),
                NpyType.Int8 => reference.AsInt8().Select(value => (int)value).ToArray(),
                _ => throw new InputMismatchException($"ONNX Runtime gives output '{output.Name}' as {reference.ElementType}, which cannot be compared in int8 steps.", output.Name),
            };
        }

        /// <summary>A reference output in real units: float as it is, int8 and uint8 dequantized with the output's quantization.</summary>
        private static double[] ToReal(GraphTensor output, NpyArray reference, string what)
        {
            CheckCount(output, reference, what);
            return reference.ElementType switch
            {
                NpyType.Float32 => reference.AsFloats().Select(value => (double)value).ToArray(),
                NpyType.UInt8 => reference.AsUInt8().Select(value => (double)(value - 128 - output.ZeroPoint) * output.Scale).ToArray(),
                NpyType.Int8 => reference.AsInt8().Select(value => (double)(value - output.ZeroPoint) * output.Scale).ToArray(),
                _ => throw new InputMismatchException($"{Capitalize(what)} gives output '{output.Name}' as {reference.ElementType}, which has no real value.", output.Name),
            };
        }

        private static void CheckCount(GraphTensor output, NpyArray reference, string what)
        {
            if (reference.ElementCount != output.ElementCount)
            {
                throw new InputMismatchException(
                    $"{Capitalize(what)} gives output '{output.Name}' {reference.ElementCount} values, the converted model {output.ElementCount}; is it the same model?", output.Name);
            }
        }

        private static int ArgMax(sbyte[] values)
        {
            int best = 0;
            for (int index = 1; index < values.Length; index++)
            {
                best = values[index] > values[best] ? index : best;
            }

            return best;
        }

        private static int ArgMax(double[] values)
        {
            int best = 0;
            for (int index = 1; index < values.Length; index++)
            {
                best = values[index] > values[best] ? index : best;
            }

            return best;
        }

        private static string Capitalize(string text) => char.ToUpperInvariant(text[0]) + text[1..];

        /// <summary>Per sample, per output: ONNX Runtime's quantized values in steps, the error reference in real units, and what top-1 is judged on.</summary>
        private sealed class References
        {
            public References(int samples)
            {
                Steps = new List<int[][]>(samples);
                Reals = new List<double[][]>(samples);
                Classes = Reals;
            }

            public List<int[][]> Steps { get; }

            public List<double[][]> Reals { get; }

            public List<double[][]> Classes { get; set; }
        }
    }
}
