using NanoInt8.Bench.IlPerMac.Il;
using NanoInt8.Host.Quantization;
using NanoInt8.Runtime;

namespace NanoInt8.Bench.IlPerMac.Analysis;

/// <summary>
/// The device cost of one requantization in every mode (issue 5): Requantization.Apply of the
/// device assembly interpreted by the counting interpreter on the same accumulators, executed IL
/// instructions per call, next to the integer operations the runtime's host build counts
/// (RuntimeCounters) for the same calls. Results are checked equal to the net10.0 build's.
/// </summary>
internal static class RequantizationCost
{
    // Accumulators of a 3x3x16 int8 convolution are within about ±2^20; the ratio is the sample
    // vibration model's smallest Conv ratio, in the range Conv layers have.
    private const int Samples = 20_000;
    private const double Ratio = 0.000916;

    /// <summary>Writes the table; false when an interpreted result differs from the net10.0 one.</summary>
    public static bool Write(TextWriter output, DeviceAssembly device)
    {
        IlMethod apply = device.Find(nameof(Requantization), nameof(Requantization.Apply));
        Random random = new Random(20261128);
        int[] accumulators = new int[Samples];
        for (int index = 0; index < Samples; index++)
        {
            accumulators[index] = random.Next(-(1 << 20), 1 << 20);
        }

        output.WriteLine();
        output.WriteLine($"## Requantization cost per mode ({Samples:N0} accumulators uniform in ±2^20, ratio {Ratio})");
        output.WriteLine();
        output.WriteLine("IL = executed IL instructions per Requantization.Apply call, interpreted from the device assembly (the call's dispatch included);");
        output.WriteLine("operations = the integer operations RuntimeCounters counts for the same calls in the host build.");
        output.WriteLine();
        output.WriteLine("| mode | pair (multiplier, shift) | IL per requantization | operations per requantization |");
        output.WriteLine("| --- | --- | ---: | ---: |");
        bool agree = true;
        foreach (RequantizationMode mode in new[] { RequantizationMode.Q31, RequantizationMode.Q15, RequantizationMode.PowerOfTwo, RequantizationMode.Exact })
        {
            (int multiplier, int shift) = RequantizationEncoder.Encode(Ratio, mode);
            int deviceMode = mode.DeviceMode();
            CountingInterpreter interpreter = new CountingInterpreter();
            RuntimeCounters.Reset();
            foreach (int accumulator in accumulators)
            {
                IlValue interpreted = interpreter.Run(apply, IlValue.Int32(accumulator), IlValue.Int32(multiplier), IlValue.Int32(shift), IlValue.Int32(deviceMode));
                if ((int)interpreted.Number != Requantization.Apply(accumulator, multiplier, shift, deviceMode))
                {
                    agree = false;
                }
            }

            double il = (double)interpreter.TotalInstructions / Samples;
            double operations = (double)RuntimeCounters.RequantizationOperations / Samples;
            output.WriteLine($"| {mode.Name()} | ({multiplier}, {shift}) | {il:F1} | {operations:F1} |");
        }

        output.WriteLine();
        output.WriteLine(agree
            ? "Interpreted results equal the net10.0 build's on every accumulator."
            : "DISAGREE: an interpreted requantization differs from the net10.0 build's.");
        return agree;
    }
}
