using NanoInt8.Conversion.Tests.Generators;
using NanoInt8.Onnx;

namespace NanoInt8.Conversion.Tests;

/// <summary>The harness's own arithmetic: differences counted in quantization steps, top-1 agreement, tie analysis.</summary>
[TestClass]
public sealed class ComparisonReportTests
{
    private static readonly Quantization Output = new(0.5f, -3, QuantizedType.Int8);

    /// <summary>Float outputs are compared as round(v / scale) + zero point: equal values are identical, a 2-step gap counts 2.</summary>
    [TestMethod]
    public void Add_FloatOutputs_CountsDifferencesInSteps()
    {
        var report = new ComparisonReport(Model(isFloat: true, isClassifier: false));
        var ort = new NpyArray(new[] { 0f, 0.5f, 1f, -1.5f }, 1, 4);
        var runner = new NpyArray(new[] { 0f, 1f, 1f, -0.5f }, 1, 4);

        report.Add([ort], [runner]);

        Assert.AreEqual(4, report.Compared);
        Assert.AreEqual(2, report.Identical);
        Assert.AreEqual(2, report.LargestDifference);
        Assert.AreEqual(0.75, report.WithinOneStepShare, 1e-12);
    }

    /// <summary>Integer outputs are compared as they are; the runner's top class agrees when ORT scores it highest too, ties included.</summary>
    [TestMethod]
    public void Add_ClassifierRows_CountsTop1AgreementWithTies()
    {
        var report = new ComparisonReport(Model(isFloat: false, isClassifier: true));
        var ort = new NpyArray(new sbyte[] { 5, 9, 9, 0, 1, 2, 3, 4 }, 2, 4);
        var runner = new NpyArray(new sbyte[] { 5, 8, 9, 0, 4, 2, 3, 1 }, 2, 4);

        report.Add([ort], [runner]);

        Assert.AreEqual(2, report.Top1Rows);
        Assert.AreEqual(1, report.Top1Agreements, "row 0: runner picks class 2, tied best in ORT; row 1: runner picks class 0, ORT's best is 3");
        Assert.AreEqual(3, report.LargestDifference);
    }

    /// <summary>A mismatch where ORT's value before QuantizeLinear is 0.3 step from x.5 is clear; one at x.5 is a tie.</summary>
    [TestMethod]
    public void Add_ValueBeforeQuantization_SeparatesTiesFromClearMismatches()
    {
        var report = new ComparisonReport(Model(isFloat: true, isClassifier: false));
        var ort = new NpyArray(new[] { 1f, 1f }, 1, 2);
        var runner = new NpyArray(new[] { 1.5f, 1.5f }, 1, 2);
        var before = new NpyArray(new[] { 1.25f, 1.1f }, 1, 2);

        report.Add([ort], [runner], [before]);

        Assert.AreEqual(2, report.AnalysedMismatches);
        Assert.AreEqual(1, report.ClearMismatches);
    }

    private static GeneratedModel Model(bool isFloat, bool isClassifier) => new(
        "Synthetic", 0, "test", [], [new GeneratedTensor("x", [1, 4], isFloat, Output)], [new GeneratedTensor("y", [1, 4], isFloat, Output)], 1, isClassifier);
}
