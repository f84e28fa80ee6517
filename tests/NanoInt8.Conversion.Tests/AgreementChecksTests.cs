using NanoInt8.Conversion.Tests.Generators;
using NanoInt8.Onnx;

namespace NanoInt8.Conversion.Tests;

/// <summary>
/// The single-operator verdict itself (<see cref="AgreementChecks.SingleOperatorVerdict"/>,
/// <see cref="AgreementChecks.SingleOperatorFamilyVerdict"/>) on synthetic reports: float outputs
/// with scale 0.5, 100 values of which one mismatches by one step, i.e. 99 % raw, below the 99.5 %
/// bar unless that mismatch is excused as a rounding tie.
/// </summary>
[TestClass]
public sealed class AgreementChecksTests
{
    private const int Values = 100;

    private static readonly Quantization Output = new(0.5f, -3, QuantizedType.Int8);

    /// <summary>ORT's value before quantization 1.25 = 2.5 steps: a tie, so the one mismatch is excused.</summary>
    [TestMethod]
    public void SingleOperatorVerdict_MismatchAtTie_IsExcused()
    {
        ComparisonReport report = Report(runnerValue: 1.5f, before: 1.25f, values: Values);

        Assert.AreEqual(0.99, report.IdenticalShare, 1e-12, "the raw share is still reported");
        Assert.AreEqual(1, report.TieMismatches);
        Assert.AreEqual(0, report.ClearMismatches);
        Assert.IsNull(AgreementChecks.SingleOperatorVerdict(report));
    }

    /// <summary>ORT's value before quantization 1.1 = 2.2 steps: the correct answer is unambiguous, the mismatch is not excused.</summary>
    [TestMethod]
    public void SingleOperatorVerdict_ClearMismatch_IsNotExcused()
    {
        ComparisonReport report = Report(runnerValue: 1.5f, before: 1.1f, values: Values);

        Assert.AreEqual(1, report.ClearMismatches);
        Assert.IsNotNull(AgreementChecks.SingleOperatorVerdict(report));
    }

    /// <summary>Just outside the margin (2.5 - 2 · ClearMargin steps) is clear; just inside is a tie.</summary>
    [TestMethod]
    public void SingleOperatorVerdict_ClearMargin_SeparatesTiesFromClearMismatches()
    {
        float outside = (float)((2.5 - (2 * ComparisonReport.ClearMargin)) * Output.Scale);
        float inside = (float)((2.5 - (0.5 * ComparisonReport.ClearMargin)) * Output.Scale);

        Assert.IsNotNull(AgreementChecks.SingleOperatorVerdict(Report(runnerValue: 1.5f, before: outside, values: Values)));
        Assert.IsNull(AgreementChecks.SingleOperatorVerdict(Report(runnerValue: 1.5f, before: inside, values: Values)));
    }

    /// <summary>A 2-step difference fails even at a tie and even when the share would pass.</summary>
    [TestMethod]
    public void SingleOperatorVerdict_TwoStepDifference_AlwaysFails()
    {
        ComparisonReport report = Report(runnerValue: 2f, before: 1.25f, values: 1000);

        Assert.AreEqual(2, report.LargestDifference);
        Assert.IsGreaterThanOrEqualTo(AgreementChecks.SingleOperatorIdenticalShare, report.IdenticalShare);
        Assert.IsNotNull(AgreementChecks.SingleOperatorVerdict(report));
    }

    /// <summary>Without the value before quantization nothing is excused: 99 % raw fails, 99.75 % raw passes.</summary>
    [TestMethod]
    public void SingleOperatorVerdict_UnanalysedMismatch_IsNotExcused()
    {
        ComparisonReport unanalysed = Report(runnerValue: 1.5f, before: null, values: Values);
        ComparisonReport rawPass = Report(runnerValue: 1.5f, before: null, values: 400);

        Assert.AreEqual(1, unanalysed.UnanalysedMismatches);
        Assert.AreEqual(0, unanalysed.TieMismatches);
        Assert.IsNotNull(AgreementChecks.SingleOperatorVerdict(unanalysed));
        Assert.IsNull(AgreementChecks.SingleOperatorVerdict(rawPass), "the issue's raw bar alone still passes");
    }

    /// <summary>A tie is not excused while another mismatch of the same model is unanalysed.</summary>
    [TestMethod]
    public void SingleOperatorVerdict_TieNextToUnanalysedMismatch_IsNotExcused()
    {
        ComparisonReport report = Report(runnerValue: 1.5f, before: 1.25f, values: Values);
        var ort = new NpyArray(Enumerable.Repeat(1f, Values).ToArray(), 1, Values);
        float[] runner = Enumerable.Repeat(1f, Values).ToArray();
        runner[0] = 1.5f;
        report.Add([ort], [new NpyArray(runner, 1, Values)], [null]);

        Assert.AreEqual(1, report.TieMismatches);
        Assert.AreEqual(1, report.UnanalysedMismatches);
        Assert.IsNotNull(AgreementChecks.SingleOperatorVerdict(report));
    }

    /// <summary>The family check counts ties as mismatches: 96 % raw over the family fails, 99 % passes.</summary>
    [TestMethod]
    public void SingleOperatorFamilyVerdict_CountsTiesAsMismatches()
    {
        List<ComparisonReport> low = Enumerable.Range(0, 4).Select(_ => Report(runnerValue: 1.5f, before: 1.25f, values: 25)).ToList();
        List<ComparisonReport> high = Enumerable.Range(0, 4).Select(_ => Report(runnerValue: 1.5f, before: 1.25f, values: Values)).ToList();

        Assert.IsTrue(low.All(report => AgreementChecks.SingleOperatorVerdict(report) is null), "each model passes on its ties");
        Assert.IsNotNull(AgreementChecks.SingleOperatorFamilyVerdict(low));
        Assert.IsNull(AgreementChecks.SingleOperatorFamilyVerdict(high));
    }

    /// <summary>
    /// A report of <paramref name="values"/> float outputs all 1.0 in ORT, the runner's first one
    /// <paramref name="runnerValue"/>, ORT's value before quantization <paramref name="before"/> at
    /// the first element (1.0 elsewhere) or unknown.
    /// </summary>
    private static ComparisonReport Report(float runnerValue, float? before, int values)
    {
        var report = new ComparisonReport(new GeneratedModel(
            "Synthetic", 0, "test", [], [new GeneratedTensor("x", [1, values], true, Output)], [new GeneratedTensor("y", [1, values], true, Output)], 1, false));
        var ort = new NpyArray(Enumerable.Repeat(1f, values).ToArray(), 1, values);
        float[] runner = Enumerable.Repeat(1f, values).ToArray();
        runner[0] = runnerValue;
        NpyArray? real = null;
        if (before is { } value)
        {
            float[] reals = Enumerable.Repeat(1f, values).ToArray();
            reals[0] = value;
            real = new NpyArray(reals, 1, values);
        }

        report.Add([ort], [new NpyArray(runner, 1, values)], [real]);
        return report;
    }
}
