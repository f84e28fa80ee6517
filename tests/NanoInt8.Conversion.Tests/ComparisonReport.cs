using System.Globalization;
using System.Text;
using NanoInt8.Conversion.Tests.Generators;
using NanoInt8.Onnx;

namespace NanoInt8.Conversion.Tests;

/// <summary>
/// How closely the converted model, run by the host runner, agrees with ONNX Runtime on one
/// generated model, counted in quantization steps: for float outputs the difference of the two
/// values divided by the output DequantizeLinear's scale, rounded; for int8/uint8 outputs the
/// integer difference.
/// </summary>
public sealed class ComparisonReport
{
    private readonly List<string> _problems = [];
    private long _oneStep;
    private long _twoSteps;
    private long _moreSteps;
    private long _ortClipped;
    private long _clearMismatches;
    private long _analysedMismatches;
    private double _largestTieDistance;
    private string _worst = string.Empty;

    /// <summary>Starts an empty report for <paramref name="model"/>.</summary>
    public ComparisonReport(GeneratedModel model)
    {
        Model = model;
    }

    /// <summary>The model compared.</summary>
    public GeneratedModel Model { get; }

    /// <summary>Input sets run through both.</summary>
    public int Samples { get; private set; }

    /// <summary>Output elements compared.</summary>
    public long Compared { get; private set; }

    /// <summary>Output elements with the same quantized value.</summary>
    public long Identical { get; private set; }

    /// <summary>The largest |difference| in quantization steps.</summary>
    public int LargestDifference { get; private set; }

    /// <summary>The share of identical output elements, 0..1.</summary>
    public double IdenticalShare => Compared == 0 ? 0 : Identical / (double)Compared;

    /// <summary>The share of output elements at most one step apart, 0..1.</summary>
    public double WithinOneStepShare => Compared == 0 ? 0 : (Identical + _oneStep) / (double)Compared;

    /// <summary>
    /// Mismatches where ONNX Runtime's float value before the output QuantizeLinear lies at least
    /// <see cref="ClearMargin"/> of a step away from a rounding boundary (x.5): there the correctly
    /// rounded result is unambiguous and ORT's float error cannot explain the disagreement, so the
    /// converted model is off. The rest sit at (near-)ties, where ORT rounds half to even in float
    /// and the device rounds in fixed point: either answer is defensible. Only counted for outputs
    /// whose value before quantization is known (see <see cref="AnalysedMismatches"/>): read from
    /// the model itself (QDQ models, *Integer → Cast → Mul → QuantizeLinear chains), or, for an
    /// operator-format kernel that requantizes internally (QLinear*, QGemm), from its QDQ
    /// equivalent run by ONNX Runtime on the same quantized inputs.
    /// </summary>
    public long ClearMismatches => _clearMismatches;

    /// <summary>Mismatches for which the value before the output QuantizeLinear was available.</summary>
    public long AnalysedMismatches => _analysedMismatches;

    /// <summary>Output elements that differ (by any number of steps).</summary>
    public long Mismatches => Compared - Identical;

    /// <summary>
    /// Analysed mismatches whose exact value lies within <see cref="ClearMargin"/> of a step from
    /// x.5: rounding ties, where ONNX Runtime's choice is decided by its own float32 noise.
    /// </summary>
    public long TieMismatches => _analysedMismatches - _clearMismatches;

    /// <summary>The largest distance from x.5, in steps, of a <see cref="TieMismatches">tie mismatch</see> (0 when there is none).</summary>
    public double LargestTieDistance => _largestTieDistance;

    /// <summary>Mismatches whose value before the output QuantizeLinear was not available: neither tie nor clear is known.</summary>
    public long UnanalysedMismatches => Mismatches - _analysedMismatches;

    /// <summary>
    /// The share of output elements that are identical or mismatch at an analysed rounding tie
    /// (<see cref="TieMismatches"/>), 0..1. Unanalysed mismatches count as disagreeing.
    /// </summary>
    public double IdenticalOrTieShare => Compared == 0 ? 0 : (Identical + TieMismatches) / (double)Compared;

    /// <summary>
    /// Distance from x.5, in steps, beyond which a mismatch is not a rounding tie: above ORT's own
    /// float32 error on the value (about 2^-24 relative per operation, so ~1e-5..5e-4 of a step for
    /// values up to 256 steps summed over up to ~1000 products). The same bound covers the QDQ
    /// equivalent of an operator-format kernel: both compute the same exact real value, each with
    /// its own float32 error of that size.
    /// </summary>
    public const double ClearMargin = 0.001;

    /// <summary>Rows (argmax of the last dimension of the first output) compared, for classifiers.</summary>
    public int Top1Rows { get; private set; }

    /// <summary>Rows whose runner top class is also a top class in ONNX Runtime (a tie in ORT's output counts as agreement).</summary>
    public int Top1Agreements { get; private set; }

    /// <summary>Top-1 agreement 0..1, or null for a model that is not a classifier.</summary>
    public double? Top1Agreement => Model.IsClassifier && Top1Rows > 0 ? Top1Agreements / (double)Top1Rows : null;

    /// <summary>Structural disagreements (output count, type or shape); any makes the comparison fail.</summary>
    public IReadOnlyList<string> Problems => _problems;

    /// <summary>Adds the outputs of one input set.</summary>
    /// <param name="expected">ONNX Runtime's outputs.</param>
    /// <param name="actual">The host runner's outputs.</param>
    /// <param name="beforeQuantization">ONNX Runtime's float inputs of each output's final QuantizeLinear, or null entries where unknown.</param>
    public void Add(IReadOnlyList<NpyArray> expected, IReadOnlyList<NpyArray> actual, IReadOnlyList<NpyArray?>? beforeQuantization = null)
    {
        Samples++;
        if (expected.Count != actual.Count)
        {
            _problems.Add($"ONNX Runtime gives {expected.Count} outputs, the runner {actual.Count}");
            return;
        }

        for (int output = 0; output < expected.Count; output++)
        {
            GeneratedTensor info = Model.Outputs[output];
            NpyArray ort = expected[output];
            NpyArray runner = actual[output];
            if (ort.ElementType != runner.ElementType || !ort.Shape.SequenceEqual(runner.Shape))
            {
                _problems.Add($"output {output} '{info.Name}': ONNX Runtime gives {ort}, the runner {runner}");
                continue;
            }

            int[] ortSteps = ToQuantized(ort, info.Quantization);
            int[] runnerSteps = ToQuantized(runner, info.Quantization);
            float[]? real = beforeQuantization is not null && output < beforeQuantization.Count ? beforeQuantization[output]?.AsFloats() : null;
            for (int index = 0; index < ortSteps.Length; index++)
            {
                int difference = Math.Abs(ortSteps[index] - runnerSteps[index]);
                Compared++;
                if ((ortSteps[index] == info.Quantization.Max || ortSteps[index] == info.Quantization.Min) && ortSteps[index] != info.Quantization.ZeroPoint)
                {
                    _ortClipped++;
                }

                if (difference != 0 && real is not null)
                {
                    _analysedMismatches++;
                    double steps = real[index] / (double)info.Quantization.Scale;
                    double distance = Math.Abs(steps - Math.Floor(steps) - 0.5);
                    if (distance >= ClearMargin)
                    {
                        _clearMismatches++;
                    }
                    else
                    {
                        _largestTieDistance = Math.Max(_largestTieDistance, distance);
                    }
                }

                switch (difference)
                {
                    case 0:
                        Identical++;
                        break;
                    case 1:
                        _oneStep++;
                        break;
                    case 2:
                        _twoSteps++;
                        break;
                    default:
                        _moreSteps++;
                        break;
                }

                if (difference > LargestDifference || (difference > 0 && _worst.Length == 0))
                {
                    LargestDifference = difference;
                    _worst = string.Create(
                        CultureInfo.InvariantCulture,
                        $"sample {Samples - 1} output {output} element {index}{Coordinates(info.Shape, index)}: ORT q={ortSteps[index]}, runner q={runnerSteps[index]}");
                }
            }

            if (output == 0 && Model.IsClassifier)
            {
                AddTop1(ortSteps, runnerSteps, info.Shape[^1]);
            }
        }
    }

    /// <summary>
    /// One line of figures: raw identical share, share identical or at a tie, largest difference,
    /// difference counts, mismatches split into ties, clear and unanalysed, top-1, ORT clipping.
    /// </summary>
    public string Figures
    {
        get
        {
            var text = new StringBuilder();
            text.Append(CultureInfo.InvariantCulture, $"identical {IdenticalShare:P2} ({Identical}/{Compared}), identical or at a tie {IdenticalOrTieShare:P2}, max |diff| {LargestDifference} step{(LargestDifference == 1 ? string.Empty : "s")}");
            text.Append(CultureInfo.InvariantCulture, $", |diff|=1: {_oneStep}, =2: {_twoSteps}, >2: {_moreSteps}");
            if (LargestDifference > 1)
            {
                text.Append(CultureInfo.InvariantCulture, $", within 1 step {WithinOneStepShare:P2}");
            }

            text.Append(CultureInfo.InvariantCulture, $", mismatches: {TieMismatches} at a tie, {_clearMismatches} clear, {UnanalysedMismatches} unanalysed");
            if (TieMismatches > 0)
            {
                text.Append(CultureInfo.InvariantCulture, $" (ties within {_largestTieDistance:G2} step of x.5)");
            }

            if (Top1Agreement is { } top1)
            {
                text.Append(CultureInfo.InvariantCulture, $", top-1 agreement {top1:P1} ({Top1Agreements}/{Top1Rows})");
            }

            text.Append(CultureInfo.InvariantCulture, $", ORT clipped {_ortClipped}, {Samples} input sets");
            if (_worst.Length > 0)
            {
                text.Append("; largest at ").Append(_worst);
            }

            if (_problems.Count > 0)
            {
                text.Append("; PROBLEMS: ").Append(string.Join("; ", _problems.Distinct().Take(3)));
            }

            return text.ToString();
        }
    }

    /// <summary>The model and the figures.</summary>
    public override string ToString() => $"{Model}: {Figures}";

    private void AddTop1(int[] ortSteps, int[] runnerSteps, int classes)
    {
        for (int row = 0; row + classes <= ortSteps.Length; row += classes)
        {
            int runnerTop = row;
            int ortBest = ortSteps[row];
            for (int index = row; index < row + classes; index++)
            {
                runnerTop = runnerSteps[index] > runnerSteps[runnerTop] ? index : runnerTop;
                ortBest = Math.Max(ortBest, ortSteps[index]);
            }

            Top1Rows++;
            if (ortSteps[runnerTop] == ortBest)
            {
                Top1Agreements++;
            }
        }
    }

    /// <summary>The quantized values of an output: integer outputs as they are, float outputs as round(v / scale) + zero point.</summary>
    private static int[] ToQuantized(NpyArray array, Quantization quantization) => array.ElementType switch
    {
        NpyType.Float32 => array.AsFloats().Select(value => (int)Math.Round(value / (double)quantization.Scale, MidpointRounding.ToEven) + quantization.ZeroPoint).ToArray(),
        NpyType.Int8 => array.AsInt8().Select(value => (int)value).ToArray(),
        NpyType.UInt8 => array.AsUInt8().Select(value => (int)value).ToArray(),
        _ => array.AsInt32(),
    };

    private static string Coordinates(int[] shape, int index)
    {
        var coordinates = new int[shape.Length];
        for (int axis = shape.Length - 1; axis >= 0; axis--)
        {
            coordinates[axis] = index % shape[axis];
            index /= shape[axis];
        }

        return "[" + string.Join(",", coordinates) + "]";
    }
}
