using NanoInt8.Onnx;

namespace NanoInt8.Conversion.Tests.Generators;

/// <summary>
/// Generates statically quantized ONNX models from a seeded <see cref="Random"/>: every supported
/// operator alone in QDQ form (as PyTorch and ONNX Runtime's quantizer export them) and in operator
/// form (QLinear*, com.microsoft Q*, *Integer), and small CNNs and MLPs. Activation scales and zero
/// points are calibrated by running the float version of the graph in ONNX Runtime, so outputs
/// span the quantized range instead of saturating; weight scales, input scales and zero points are
/// drawn (zero points at the extremes over-represented).
/// </summary>
/// <remarks>
/// A family name plus a seed determines the model completely: the same pair gives the same bytes
/// on every run, and failure messages name both.
/// </remarks>
public sealed partial class QuantizedModelGenerator
{
    /// <summary>Calibration input sets per single-operator model.</summary>
    private const int SingleOperatorCalibrationSamples = 16;

    /// <summary>Calibration input sets per multi-layer model.</summary>
    private const int NetworkCalibrationSamples = 16;

    private readonly OnnxRuntimeRunner _runner = new();

    /// <summary>Every family, in the order the tests list them.</summary>
    public static IReadOnlyList<string> AllFamilies => [.. QdqFamilies, .. OperatorFamilies, .. NetworkFamilies];

    /// <summary>The single-operator QDQ families.</summary>
    public static IReadOnlyList<string> QdqFamilies =>
    [
        Family.QdqConv2d, Family.QdqConv1d, Family.QdqGemm, Family.QdqMatMul,
        Family.QdqAdd, Family.QdqSub, Family.QdqMul,
        Family.QdqMaxPool, Family.QdqAveragePool, Family.QdqGlobalAveragePool, Family.QdqConcat,
        Family.QdqReshape, Family.QdqFlatten, Family.QdqTranspose, Family.QdqPad,
        Family.QdqFusedRelu, Family.QdqFusedClip,
        Family.QdqRelu, Family.QdqClip, Family.QdqLeakyRelu, Family.QdqHardSigmoid, Family.QdqHardSwish,
        Family.QdqSigmoid, Family.QdqTanh, Family.QdqSoftmax,
    ];

    /// <summary>The single-operator operator-format families.</summary>
    public static IReadOnlyList<string> OperatorFamilies =>
    [
        Family.QLinearConv, Family.QLinearMatMul, Family.QGemm, Family.QLinearAdd, Family.QLinearMul,
        Family.QLinearAveragePool, Family.QLinearGlobalAveragePool, Family.QLinearConcat,
        Family.QLinearSigmoid, Family.QLinearLeakyRelu, Family.QLinearSoftmax,
        Family.MatMulInteger, Family.ConvInteger,
    ];

    /// <summary>The multi-layer families.</summary>
    public static IReadOnlyList<string> NetworkFamilies => [Family.Cnn, Family.Mlp];

    /// <summary>Generates the model of <paramref name="family"/> for <paramref name="seed"/>.</summary>
    /// <exception cref="ArgumentException">Unknown family.</exception>
    public GeneratedModel Generate(string family, int seed)
    {
        // Each family mixes its own constant into the seed so that seed 0 of two families do not
        // draw the same numbers for different purposes.
        var random = new Random(unchecked((seed * 7919) + StableHash(family)));
        return family switch
        {
            Family.QdqConv2d => QdqConv(family, seed, random, spatialRank: 2),
            Family.QdqConv1d => QdqConv(family, seed, random, spatialRank: 1),
            Family.QdqGemm => QdqGemm(family, seed, random),
            Family.QdqMatMul => QdqMatMul(family, seed, random),
            Family.QdqAdd => QdqBinary(family, seed, random, "Add"),
            Family.QdqSub => QdqBinary(family, seed, random, "Sub"),
            Family.QdqMul => QdqBinary(family, seed, random, "Mul"),
            Family.QdqMaxPool => QdqMaxPool(family, seed, random),
            Family.QdqAveragePool => QdqAveragePool(family, seed, random),
            Family.QdqGlobalAveragePool => QdqGlobalAveragePool(family, seed, random),
            Family.QdqConcat => QdqConcat(family, seed, random),
            Family.QdqReshape => QdqReshape(family, seed, random),
            Family.QdqFlatten => QdqFlatten(family, seed, random),
            Family.QdqTranspose => QdqTranspose(family, seed, random),
            Family.QdqPad => QdqPad(family, seed, random),
            Family.QdqFusedRelu => QdqFused(family, seed, random, relu: true),
            Family.QdqFusedClip => QdqFused(family, seed, random, relu: false),
            Family.QdqRelu => QdqUnary(family, seed, random, "Relu"),
            Family.QdqClip => QdqUnary(family, seed, random, "Clip"),
            Family.QdqLeakyRelu => QdqUnary(family, seed, random, "LeakyRelu"),
            Family.QdqHardSigmoid => QdqUnary(family, seed, random, "HardSigmoid"),
            Family.QdqHardSwish => QdqUnary(family, seed, random, "HardSwish"),
            Family.QdqSigmoid => QdqUnary(family, seed, random, "Sigmoid"),
            Family.QdqTanh => QdqUnary(family, seed, random, "Tanh"),
            Family.QdqSoftmax => QdqSoftmax(family, seed, random),
            Family.QLinearConv => QLinearConv(family, seed, random),
            Family.QLinearMatMul => QLinearMatMul(family, seed, random),
            Family.QGemm => QGemm(family, seed, random),
            Family.QLinearAdd => QLinearBinary(family, seed, random, "Add"),
            Family.QLinearMul => QLinearBinary(family, seed, random, "Mul"),
            Family.QLinearAveragePool => QLinearAveragePool(family, seed, random),
            Family.QLinearGlobalAveragePool => QLinearGlobalAveragePool(family, seed, random),
            Family.QLinearConcat => QLinearConcat(family, seed, random),
            Family.QLinearSigmoid => QLinearUnary(family, seed, random, "Sigmoid"),
            Family.QLinearLeakyRelu => QLinearUnary(family, seed, random, "LeakyRelu"),
            Family.QLinearSoftmax => QLinearSoftmax(family, seed, random),
            Family.MatMulInteger => MatMulInteger(family, seed, random),
            Family.ConvInteger => ConvInteger(family, seed, random),
            Family.Cnn => Cnn(family, seed, random),
            Family.Mlp => Mlp(family, seed, random),
            _ => throw new ArgumentException($"Unknown generator family '{family}'.", nameof(family)),
        };
    }

    /// <summary>
    /// Calibrates and writes a QDQ model: <paramref name="emit"/> runs once per calibration pass
    /// (float activations exposed as probes) and once more for the final graph.
    /// </summary>
    /// <param name="emit">Writes the graph; must draw no random numbers (everything is sampled before).</param>
    /// <param name="calibrationPasses">2 when emit derives attributes (Clip bounds) from probe ranges.</param>
    private GeneratedModel BuildQdq(
        string family,
        int seed,
        string configuration,
        long opset,
        Action<QdqGraph> emit,
        int requantizationDepth = 1,
        bool isClassifier = false,
        int calibrationPasses = 1,
        int calibrationSamples = SingleOperatorCalibrationSamples)
    {
        IReadOnlyList<ValueRange> ranges = Calibrate(seed, opset, emit, calibrationPasses, calibrationSamples);
        var final = new QdqGraph(isCalibration: false, opset, ranges);
        emit(final);
        return new GeneratedModel(family, seed, configuration, final.Graph.ToBytes(), final.Inputs, final.Outputs, requantizationDepth, isClassifier);
    }

    /// <summary>
    /// Writes an operator-format model whose output quantization is calibrated on the equivalent
    /// QDQ graph (<paramref name="qdqEquivalent"/>): <paramref name="emit"/> receives the quantization
    /// chosen for each of that graph's activations, in order. The QDQ equivalent's final graph is
    /// kept in <see cref="GeneratedModel.QdqEquivalent"/>.
    /// </summary>
    private GeneratedModel BuildOperator(
        string family,
        int seed,
        string configuration,
        long opset,
        Action<QdqGraph> qdqEquivalent,
        Action<QuantizedGraph, IReadOnlyList<Quantization>> emit)
    {
        IReadOnlyList<ValueRange> ranges = Calibrate(seed, opset, qdqEquivalent, 1, SingleOperatorCalibrationSamples);
        var qdq = new QdqGraph(isCalibration: false, opset, ranges);
        qdqEquivalent(qdq);
        var graph = new QuantizedGraph(opset);
        emit(graph, qdq.Chosen);
        // The QDQ graph is kept: the comparison runs it to read the float value the operator-format
        // kernel requantizes internally, for the rounding-tie analysis (OrtComparison).
        var equivalent = new QdqEquivalentModel(qdq.Graph.ToBytes(), qdq.Inputs, qdq.Outputs);
        return new GeneratedModel(family, seed, configuration, graph.Graph.ToBytes(), graph.Inputs, graph.Outputs, 1, isClassifier: false, equivalent);
    }

    /// <summary>Runs the calibration passes and returns the min/max of every probe over the calibration inputs.</summary>
    private IReadOnlyList<ValueRange> Calibrate(int seed, long opset, Action<QdqGraph> emit, int passes, int samples)
    {
        IReadOnlyList<ValueRange>? ranges = null;
        for (int pass = 0; pass < passes; pass++)
        {
            var calibration = new QdqGraph(isCalibration: true, opset, ranges);
            emit(calibration);
            ranges = RunCalibration(calibration, seed, samples);
        }

        return ranges!;
    }

    private List<ValueRange> RunCalibration(QdqGraph calibration, int seed, int samples)
    {
        using OnnxRuntimeSession session = _runner.CreateSession(calibration.Graph.ToBytes());
        var outputIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int index = 0; index < session.OutputNames.Count; index++)
        {
            outputIndex[session.OutputNames[index]] = index;
        }

        int probes = calibration.Probes.Count;
        List<float>[] values = Enumerable.Range(0, probes).Select(_ => new List<float>()).ToArray();
        var random = new Random(unchecked((seed * 31) + 17));
        for (int sample = 0; sample < samples; sample++)
        {
            IReadOnlyList<NpyArray> outputs = session.Run(GeneratedModel.CreateInputs(calibration.Inputs, random));
            for (int probe = 0; probe < probes; probe++)
            {
                values[probe].AddRange(outputs[outputIndex[calibration.Probes[probe]]].AsFloats());
            }
        }

        return values.Select(RangeOf).ToList();
    }

    private static ValueRange RangeOf(List<float> values)
    {
        values.Sort();
        int last = values.Count - 1;
        return new ValueRange(values[0], values[last], values[(int)(last * 0.02)], values[(int)Math.Ceiling(last * 0.98)]);
    }

    /// <summary>A string hash that is the same in every process (string.GetHashCode is randomized).</summary>
    private static int StableHash(string text)
    {
        unchecked
        {
            int hash = (int)2166136261;
            foreach (char character in text)
            {
                hash = (hash ^ character) * 16777619;
            }

            return hash;
        }
    }
}

/// <summary>The generator family names.</summary>
public static class Family
{
    public const string QdqConv2d = "QdqConv2d";
    public const string QdqConv1d = "QdqConv1d";
    public const string QdqGemm = "QdqGemm";
    public const string QdqMatMul = "QdqMatMul";
    public const string QdqAdd = "QdqAdd";
    public const string QdqSub = "QdqSub";
    public const string QdqMul = "QdqMul";
    public const string QdqMaxPool = "QdqMaxPool";
    public const string QdqAveragePool = "QdqAveragePool";
    public const string QdqGlobalAveragePool = "QdqGlobalAveragePool";
    public const string QdqConcat = "QdqConcat";
    public const string QdqReshape = "QdqReshape";
    public const string QdqFlatten = "QdqFlatten";
    public const string QdqTranspose = "QdqTranspose";
    public const string QdqPad = "QdqPad";
    public const string QdqFusedRelu = "QdqFusedRelu";
    public const string QdqFusedClip = "QdqFusedClip";
    public const string QdqRelu = "QdqRelu";
    public const string QdqClip = "QdqClip";
    public const string QdqLeakyRelu = "QdqLeakyRelu";
    public const string QdqHardSigmoid = "QdqHardSigmoid";
    public const string QdqHardSwish = "QdqHardSwish";
    public const string QdqSigmoid = "QdqSigmoid";
    public const string QdqTanh = "QdqTanh";
    public const string QdqSoftmax = "QdqSoftmax";
    public const string QLinearConv = "QLinearConv";
    public const string QLinearMatMul = "QLinearMatMul";
    public const string QGemm = "QGemm";
    public const string QLinearAdd = "QLinearAdd";
    public const string QLinearMul = "QLinearMul";
    public const string QLinearAveragePool = "QLinearAveragePool";
    public const string QLinearGlobalAveragePool = "QLinearGlobalAveragePool";
    public const string QLinearConcat = "QLinearConcat";
    public const string QLinearSigmoid = "QLinearSigmoid";
    public const string QLinearLeakyRelu = "QLinearLeakyRelu";
    public const string QLinearSoftmax = "QLinearSoftmax";
    public const string MatMulInteger = "MatMulInteger";
    public const string ConvInteger = "ConvInteger";
    public const string Cnn = "Cnn";
    public const string Mlp = "Mlp";
}
