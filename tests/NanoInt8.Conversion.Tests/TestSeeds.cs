namespace NanoInt8.Conversion.Tests;

/// <summary>How many seeded models each kind of test draws per family.</summary>
internal static class TestSeeds
{
    /// <summary>Random configurations per single-operator family (seeds 0 .. n-1).</summary>
    public const int SingleOperatorModels = 16;

    /// <summary>Random networks per multi-layer family.</summary>
    public const int NetworkModels = 8;

    /// <summary>Input sets per network (classifier rows for top-1 agreement).</summary>
    public const int NetworkSamples = 32;

    /// <summary>The configurations a family's tests draw.</summary>
    public static int ModelsOf(string family) =>
        Generators.QuantizedModelGenerator.NetworkFamilies.Contains(family) ? NetworkModels : SingleOperatorModels;
}
