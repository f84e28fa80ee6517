using System.Globalization;
using System.Text;
using NanoInt8.Host.Execution;
using NanoInt8.Onnx;
using NanoInt8.Tests.Shared;

namespace NanoInt8.EmbeddedApp.Tests;

/// <summary>
/// The example app on the real interpreter: samples/AdcClassifier's classifier and embedded model,
/// built with recorded readings in place of the ADC (samples/AdcClassifier.nanoclr,
/// -p:ScriptedReadings), run on nanoCLR from ../shared/nanoclr, must print for every window the class
/// the host runner gives the same readings. The host runner takes them as real values,
/// (reading - offset) · scale in float32, and quantizes them in float as ONNX's QuantizeLinear does;
/// the device turns the integers into int8 with the model's integer transform (RawInputTransform):
/// both quantizations must give the same classes.
/// </summary>
[TestClass]
public class ExampleAppOnNanoClrTests
{
    // The 3 labelled sample windows, 5 variations of each, and noise.
    private const int NoiseWindows = 3;

    [TestMethod]
    [Timeout(600_000, CooperativeCancellation = true)]
    public void RecordedReadings_NanoClrPrintsTheHostRunnersClasses()
    {
        RepositoryPaths.RequireNanoClr("the example app did not run on nanoCLR");
        List<int[]> windows = Windows(ExampleApp.RawScale(), ExampleApp.RawOffset());
        string[] expected = HostClasses(windows);
        string work = Directory.CreateTempSubdirectory("nanoint8-adc-classifier-").FullName;
        try
        {
            string readings = Path.Combine(work, "ScriptedReadings.g.cs");
            File.WriteAllText(readings, ReadingsSource(windows));
            string output = Path.Combine(work, "bin") + Path.DirectorySeparatorChar;
            ChildProcess.Run("dotnet", new[] { "build", RepositoryPaths.File(ExampleApp.NanoClrProject), "-c", "Release", "-nologo", "-v", "q",
                "-p:ScriptedReadings=" + readings, "-p:OutDir=" + output }, work);

            string printed = ChildProcess.Run(Path.Combine(RepositoryPaths.NanoClr, "run-nf.sh"),
                new[] { output + "NanoInt8.AdcClassifier.dll", output + "NanoInt8.Kernels.dll", output + "NanoInt8.Runtime.dll" }, work,
                new Dictionary<string, string> { ["NF_PE_CACHE"] = Path.Combine(work, "pe-cache") });

            CollectionAssert.AreEqual(expected, printed.Split('\n', StringSplitOptions.RemoveEmptyEntries), "nanoCLR classes vs the host runner's");
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    [TestMethod]
    public void RecordedReadings_HostRunnerClassifiesTheSampleWindowsAsLabelled()
    {
        // The comparison above means something: the labelled windows get their own labels.
        string[] classes = HostClasses(Windows(ExampleApp.RawScale(), ExampleApp.RawOffset()));

        CollectionAssert.AreEqual(new[] { "normal", "imbalance", "bearing fault" }, classes.Take(3).ToArray());
        Assert.IsGreaterThan(1, classes.Skip(3).Distinct().Count(), "the variations reach more than one class");
    }

    /// <summary>
    /// Windows of 12-bit readings: the sample's three labelled windows in counts, then for each a half
    /// and a triple amplitude (clipped at the ADC's 0 and 4095), a rotation by 40 readings, a DC offset of
    /// 150 counts and the reversed window, then <see cref="NoiseWindows"/> of noise around the offset.
    /// </summary>
    private static List<int[]> Windows(float rawScale, int rawOffset)
    {
        List<int[]> labelled = new();
        foreach (string name in new[] { "normal", "imbalance", "bearing-fault" })
        {
            float[] acceleration = NpyFile.Read(RepositoryPaths.File($"samples/vibration/example-{name}.npy")).AsFloats();
            labelled.Add(acceleration.Select(g => Reading(rawOffset + (g / rawScale))).ToArray());
        }

        List<int[]> windows = new(labelled);
        foreach (int[] window in labelled)
        {
            windows.Add(window.Select(reading => Reading(rawOffset + ((reading - rawOffset) * 0.5))).ToArray());
            windows.Add(window.Select(reading => Reading(rawOffset + ((reading - rawOffset) * 3.0))).ToArray());
            windows.Add(window.Skip(40).Concat(window.Take(40)).ToArray());
            windows.Add(window.Select(reading => Reading(reading + 150)).ToArray());
            windows.Add(window.Reverse().ToArray());
        }

        Random random = new(18);
        for (int noise = 0; noise < NoiseWindows; noise++)
        {
            windows.Add(Enumerable.Range(0, ExampleApp.WindowLength).Select(_ => Reading(rawOffset + random.Next(-120, 121))).ToArray());
        }

        return windows;
    }

    // A 12-bit ADC reading: rounded, clipped to 0 .. 4095.
    private static int Reading(double value) => (int)Math.Clamp(Math.Round(value), 0, 4095);

    /// <summary>The host runner's class for each window, its readings given as g: (reading - offset) · scale.</summary>
    private static string[] HostClasses(List<int[]> windows)
    {
        float rawScale = ExampleApp.RawScale();
        int rawOffset = ExampleApp.RawOffset();
        HostModelRunner runner = new(ExampleApp.EmbeddedModelBytes());
        IReadOnlyList<string> labels = runner.Outputs.Single().Labels!;
        return windows.Select(window =>
        {
            float[] acceleration = window.Select(reading => (reading - rawOffset) * rawScale).ToArray();
            float[] logits = runner.Run(new[] { new NpyArray(acceleration, 1, 1, ExampleApp.WindowLength) })[0].AsFloats();
            return labels[Array.IndexOf(logits, logits.Max())];
        }).ToArray();
    }

    private static string ReadingsSource(List<int[]> windows)
    {
        StringBuilder text = new();
        text.AppendLine("// Generated by tests/NanoInt8.EmbeddedApp.Tests (ExampleAppOnNanoClrTests): recorded readings, 128 a window.");
        text.AppendLine("namespace NanoInt8.Samples.AdcClassifier");
        text.AppendLine("{");
        text.AppendLine("    internal static class ScriptedReadings");
        text.AppendLine("    {");
        text.AppendLine("        public static readonly int[] Values = new int[]");
        text.AppendLine("        {");
        foreach (int[] window in windows)
        {
            for (int start = 0; start < window.Length; start += 16)
            {
                text.AppendLine("            " + string.Join(", ", window.Skip(start).Take(16).Select(value => value.ToString(CultureInfo.InvariantCulture))) + ",");
            }
        }

        text.AppendLine("        };");
        text.AppendLine("    }");
        text.AppendLine("}");
        return text.ToString();
    }
}
