using System.Globalization;
using NanoInt8.Host.Quantization;

namespace NanoInt8.Host.Analysis
{
    /// <summary>
    /// One plain-language sentence per mode of a <see cref="RequantizationReport"/>: what the
    /// hardware must support, and how its accuracy compares with ONNX Runtime and with q31, the default.
    /// </summary>
    public static class RequantizationVerdict
    {
        private static readonly CultureInfo s_invariant = CultureInfo.InvariantCulture;

        /// <summary>The verdict on <paramref name="mode"/>, e.g. "q15: no floating point, no 64-bit multiply, ...; ...".</summary>
        public static string Describe(RequantizationReport report, RequantizationMode mode)
        {
            ArgumentNullException.ThrowIfNull(report);
            ModeAnalysis analysis = report[mode];
            if (analysis.Failure is not null)
            {
                return $"{mode.Name()}: not available for this model: {analysis.Failure}";
            }

            return $"{mode.Name()}: needs {Hardware(analysis.Hardware)}; {Accuracy(report, analysis)}.";
        }

        /// <summary>What the hardware must support, e.g. "no floating point, a 64-bit multiply, a multiplier, per-channel parameters".</summary>
        public static string Hardware(ModeHardware hardware)
        {
            ArgumentNullException.ThrowIfNull(hardware);
            return string.Join(", ", new[]
            {
                hardware.FloatingPoint ? "floating point" : "no floating point",
                hardware.WideMultiply ? "a 32x32->64-bit multiply in requantization" : "no 64-bit multiply in requantization (32-bit products only)",
                hardware.RequantizationMultiplier ? "a multiply in requantization" : "no multiplier in requantization (shifts only)",
                (hardware.PerChannelParameters, hardware.RequantizationMultiplier) switch
                {
                    (true, true) => "a multiplier and shift per output channel",
                    (true, false) => "a shift per output channel",
                    (false, true) => "one multiplier and shift per tensor",
                    _ => "one shift per tensor",
                },
            });
        }

        private static string Accuracy(RequantizationReport report, ModeAnalysis analysis)
        {
            string agreement = analysis.Identical == analysis.Elements
                ? "bit-identical to ONNX Runtime's quantized model on every output value"
                : $"{Percent(analysis.IdenticalShare)} of output values identical to ONNX Runtime's quantized model (largest difference {analysis.LargestDifference} step{(analysis.LargestDifference == 1 ? string.Empty : "s")})";
            string reference = report.ErrorReference == ErrorReference.FloatModel ? "the float model" : "ONNX Runtime's QDQ float path";
            string error = $"RMS error against {reference} {Steps(analysis.RmsError)} steps{Comparison(report, analysis)}";
            string topOne = analysis.TopOneAgreements is int agreed
                ? $", top-1 agrees on {agreed} of {analysis.Samples} samples"
                : string.Empty;
            return $"{agreement}; {error}{topOne}";
        }

        /// <summary>The error relative to q31's, when q31 was measured and this is another mode.</summary>
        private static string Comparison(RequantizationReport report, ModeAnalysis analysis)
        {
            ModeAnalysis? baseline = report.Modes.FirstOrDefault(mode => mode.Mode == RequantizationMode.Q31 && mode.Failure is null);
            if (baseline is null || analysis.Mode == RequantizationMode.Q31)
            {
                return string.Empty;
            }

            double ratio = baseline.RmsError == 0 ? (analysis.RmsError == 0 ? 1 : double.PositiveInfinity) : analysis.RmsError / baseline.RmsError;
            if (Math.Abs(ratio - 1) <= 0.05)
            {
                return " (as q31's)";
            }

            return double.IsPositiveInfinity(ratio)
                ? " (q31's is 0)"
                : $" ({ratio.ToString("0.00", s_invariant)}x q31's, {(ratio < 1 ? "better" : "worse")})";
        }

        private static string Percent(double share) => $"{(100 * share).ToString("0.0", s_invariant)} %";

        private static string Steps(double steps) => steps.ToString("0.000", s_invariant);
    }
}
