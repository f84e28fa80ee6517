namespace NanoInt8.Conversion.Tests.Generators;

/// <summary>An activation written as its own node between an operator and its QuantizeLinear, the way PyTorch exports fused conv-relu.</summary>
internal enum ActivationKind
{
    /// <summary>No activation node.</summary>
    None,

    /// <summary>Relu.</summary>
    Relu,

    /// <summary>Clip(0, max): ReLU6-like.</summary>
    ClipZeroToMax,

    /// <summary>Clip(min, max) with both bounds inside the operator's output range.</summary>
    ClipBoth,

    /// <summary>Clip(min) with max omitted.</summary>
    ClipMinOnly,

    /// <summary>Clip(max) with min omitted.</summary>
    ClipMaxOnly,
}

/// <summary>
/// A fused activation; Clip bounds sit at the fractions <paramref name="Low"/> and
/// <paramref name="High"/> of the operator's calibrated output range, so they actually clip.
/// </summary>
/// <param name="Kind">Which activation.</param>
/// <param name="Low">Position of the lower bound within the range, 0..1.</param>
/// <param name="High">Position of the upper bound within the range, 0..1.</param>
internal sealed record FusedActivation(ActivationKind Kind, double Low, double High)
{
    /// <summary>No activation.</summary>
    public static FusedActivation None { get; } = new(ActivationKind.None, 0, 1);

    /// <summary>A Relu node.</summary>
    public static FusedActivation Relu { get; } = new(ActivationKind.Relu, 0, 1);

    /// <summary>Whether the Clip bounds depend on a calibrated range (two calibration passes).</summary>
    public bool NeedsRange => Kind is not (ActivationKind.None or ActivationKind.Relu);

    /// <summary>A random Clip variant.</summary>
    public static FusedActivation RandomClip(Random random) => new(
        Sampling.Pick(random, ActivationKind.ClipZeroToMax, ActivationKind.ClipBoth, ActivationKind.ClipMinOnly, ActivationKind.ClipMaxOnly),
        Sampling.Uniform(random, 0.1, 0.4),
        Sampling.Uniform(random, 0.6, 0.9));

    /// <summary>Writes the activation node after <paramref name="value"/>; returns the activated value (or the value itself for none).</summary>
    public string Emit(QdqGraph graph, string value)
    {
        switch (Kind)
        {
            case ActivationKind.None:
                return value;
            case ActivationKind.Relu:
                string relu = graph.NewName("relu");
                graph.Graph.AddNode("Relu", [value], [relu]);
                return relu;
        }

        // The first calibration pass has no range yet; any placeholder works since the second
        // pass recalibrates with the real bounds.
        ValueRange range = graph.Probe(value) ?? new ValueRange(-1, 1);
        double span = Math.Max(range.High - range.Low, 1e-6);
        float minimum = Kind == ActivationKind.ClipZeroToMax ? 0f : (float)(range.Low + (Low * span));
        float maximum = Kind == ActivationKind.ClipZeroToMax ? (float)(Math.Max(range.High, 1e-6) * High) : (float)(range.Low + (High * span));
        string minimumName = Kind == ActivationKind.ClipMaxOnly ? string.Empty : graph.AddFloatScalar("clip_min", minimum);
        string maximumName = Kind == ActivationKind.ClipMinOnly ? string.Empty : graph.AddFloatScalar("clip_max", maximum);
        string clip = graph.NewName("clip");
        graph.Graph.AddNode("Clip", maximumName.Length == 0 ? [value, minimumName] : [value, minimumName, maximumName], [clip]);
        return clip;
    }

    /// <summary>Describes the activation for a configuration string.</summary>
    public override string ToString() => Kind switch
    {
        ActivationKind.None => "none",
        ActivationKind.Relu => "Relu",
        _ => $"{Kind}({Sampling.Format(Low)},{Sampling.Format(High)})",
    };
}
