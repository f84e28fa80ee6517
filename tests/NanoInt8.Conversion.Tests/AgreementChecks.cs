using NanoInt8.Conversion.Tests.Generators;

namespace NanoInt8.Conversion.Tests;

/// <summary>
/// Runs a family's seeded models through <see cref="OrtComparison"/>, prints every model's figures
/// and a family summary to the test output, and fails with every failing configuration named.
/// A model the converter refuses, or whose blob the runtime refuses, counts as a failure of that
/// configuration, not of the whole test, so one run reports the state of every configuration.
/// </summary>
internal static class AgreementChecks
{
    /// <summary>The issue's single-operator bar: at least this share of outputs bit-identical to ONNX Runtime.</summary>
    public const double SingleOperatorIdenticalShare = 0.995;

    /// <summary>The issue's single-operator bar: no output more than this many steps from ONNX Runtime.</summary>
    public const int SingleOperatorLargestDifference = 1;

    /// <summary>Checks every model of a single-operator family against the issue's thresholds.</summary>
    public static void SingleOperatorFamily(TestContext context, string family)
    {
        Family(context, family, TestSeeds.SingleOperatorModels, OrtComparison.SamplesFor, report =>
            report.IdenticalShare >= SingleOperatorIdenticalShare && report.LargestDifference <= SingleOperatorLargestDifference
                ? null
                : $"needs >= {SingleOperatorIdenticalShare:P1} identical and max |diff| <= {SingleOperatorLargestDifference}");
    }

    /// <summary>
    /// Checks every model of a family with a caller-given verdict per model and, optionally, one
    /// over all compared models (each null = pass, else why not).
    /// </summary>
    public static void Family(
        TestContext context,
        string family,
        int models,
        Func<GeneratedModel, int> samples,
        Func<ComparisonReport, string?> verdict,
        Func<IReadOnlyList<ComparisonReport>, string?>? familyVerdict = null)
    {
        var reports = new List<ComparisonReport>();
        var generator = new QuantizedModelGenerator();
        var failures = new List<string>();
        long compared = 0;
        long identical = 0;
        int largest = 0;
        int refused = 0;
        for (int seed = 0; seed < models; seed++)
        {
            GeneratedModel model = generator.Generate(family, seed);
            ComparisonReport report;
            try
            {
                report = OrtComparison.Compare(model, samples(model), seed);
            }
            catch (Exception exception)
            {
                // Any exception is this configuration's failure; the loop goes on so the test
                // reports every configuration, not just the first that breaks.
                refused++;
                string line = $"{model}: {Describe(exception)}";
                failures.Add(line);
                context.WriteLine("FAIL " + line);
                continue;
            }

            reports.Add(report);
            compared += report.Compared;
            identical += report.Identical;
            largest = Math.Max(largest, report.LargestDifference);
            string? problem = report.Problems.Count > 0 ? "structural mismatch" : verdict(report);
            context.WriteLine($"{(problem is null ? "ok  " : "FAIL")} {report}");
            if (problem is not null)
            {
                failures.Add($"{report} -> {problem}");
            }
        }

        string summary = FormattableString.Invariant(
            $"{family}: {models - failures.Count}/{models} configurations pass; {refused} not run (conversion or load failed); over the compared ones identical {(compared == 0 ? 0 : identical / (double)compared):P3} ({identical}/{compared}), max |diff| {largest}");
        context.WriteLine(summary);
        Console.WriteLine(summary);
        if (familyVerdict?.Invoke(reports) is { } familyProblem)
        {
            failures.Add($"{family} as a whole: {familyProblem}");
        }

        Assert.IsEmpty(failures, summary + "\n" + string.Join("\n", failures));
    }

    private static string Describe(Exception exception)
    {
        string where = exception is Host.Conversion.ConversionException ? string.Empty : " at " + (exception.StackTrace?.Split('\n').FirstOrDefault()?.Trim() ?? "?");
        return $"{exception.GetType().Name}: {exception.Message}{where}";
    }
}
