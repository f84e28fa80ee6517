using System.Reflection;
using NanoInt8.Bench.IlPerMac.Il;
using NanoInt8.Host.Execution;
using NanoInt8.Host.Format;
using NanoInt8.Runtime;
using NanoInt8.TestModels;

namespace NanoInt8.Bench.IlPerMac.Analysis;

/// <summary>One operator code's sample model (OperatorSamples) measured as a whole inference.</summary>
/// <param name="Code">The operator code.</param>
/// <param name="Name">Its name.</param>
/// <param name="Shape">The sample's output shape.</param>
/// <param name="Macs">The sample's MACs (ModelSummary's count).</param>
/// <param name="OutputElements">Elements the operator writes.</param>
/// <param name="Inference">The counted inference, or null when the measured runtime refuses the code.</param>
public sealed record OperatorSampleMeasurement(int Code, string Name, string Shape, long Macs, long OutputElements, InferenceMeasurement? Inference)
{
    /// <summary>
    /// Every operator code 1 .. OpCode.Max the runtime defines: its sample model from tests/TestModels.Shared/OperatorSamples.cs,
    /// one operator alone, counted as a whole inference (dispatch included) with the given runtime build.
    /// </summary>
    public static IReadOnlyList<OperatorSampleMeasurement> MeasureAll(DeviceAssembly device, Assembly runtime)
    {
        List<OperatorSampleMeasurement> results = new();
        for (int code = 1; code <= OpCode.Max; code++)
        {
            if (!NanoInt8.Runtime.Operators.OperatorRegistry.IsKnown(code))
            {
                // A code reserved for an operator not in this build (OpCode's gaps).
                continue;
            }

            ModelBuilder sample = OperatorSamples.Build(code) ?? throw new InvalidOperationException($"OperatorSamples has no model of code {code}");
            byte[] blob = ModelWriter.Write(sample);
            ModelSummary summary = ModelSummary.FromBlob(blob);
            OperatorSummary line = summary.Operators[0];
            InferenceMeasurement? inference;
            try
            {
                inference = InferenceMeasurement.Measure(blob, device, runtime);
            }
            catch (InvalidOperationException)
            {
                // An older runtime (--runtime) refuses a code it does not know.
                inference = null;
            }

            results.Add(new OperatorSampleMeasurement(code, line.Kind, "[" + string.Join(", ", line.OutputShape) + "]", line.MultiplyAccumulates, line.OutputElements, inference));
        }

        return results;
    }
}
