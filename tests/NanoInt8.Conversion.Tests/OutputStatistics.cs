using NanoInt8.Conversion.Tests.Generators;
using NanoInt8.Onnx;

namespace NanoInt8.Conversion.Tests;

/// <summary>
/// What ONNX Runtime's outputs of a generated model look like in quantized terms: how many
/// distinct levels they take and how many sit on a clipping end of the range (the maximum, or the
/// minimum when the minimum is not the zero point, since a Relu or Softmax zero legitimately sits
/// there; likewise the maximum when it is the zero point). A comparison whose outputs are all clipped would prove nothing.
/// </summary>
public sealed class OutputStatistics
{
    private readonly HashSet<int>[] _levels;
    private readonly GeneratedModel _model;

    /// <summary>Starts empty statistics for <paramref name="model"/>'s outputs.</summary>
    public OutputStatistics(GeneratedModel model)
    {
        _model = model;
        _levels = model.Outputs.Select(_ => new HashSet<int>()).ToArray();
    }

    /// <summary>Output elements seen.</summary>
    public long Count { get; private set; }

    /// <summary>Output elements on a clipping end.</summary>
    public long Clipped { get; private set; }

    /// <summary>The share of clipped elements, 0..1.</summary>
    public double ClippedShare => Count == 0 ? 0 : Clipped / (double)Count;

    /// <summary>The fewest distinct levels any output took.</summary>
    public int FewestLevels => _levels.Min(levels => levels.Count);

    /// <summary>Adds ONNX Runtime's outputs for one input set.</summary>
    public void Add(IReadOnlyList<NpyArray> outputs)
    {
        for (int output = 0; output < outputs.Count; output++)
        {
            Quantization quantization = _model.Outputs[output].Quantization;
            IEnumerable<int> values = outputs[output].ElementType switch
            {
                NpyType.Float32 => outputs[output].AsFloats().Select(value => (int)Math.Round(value / (double)quantization.Scale) + quantization.ZeroPoint),
                NpyType.Int8 => outputs[output].AsInt8().Select(value => (int)value),
                _ => outputs[output].AsUInt8().Select(value => (int)value),
            };
            foreach (int value in values)
            {
                Count++;
                _levels[output].Add(value);
                if ((value == quantization.Max || value == quantization.Min) && value != quantization.ZeroPoint)
                {
                    Clipped++;
                }
            }
        }
    }

    /// <summary>Describes the statistics.</summary>
    public override string ToString() =>
        FormattableString.Invariant($"{Count} output values, {FewestLevels} distinct levels (fewest over outputs), clipped {ClippedShare:P1}");
}
