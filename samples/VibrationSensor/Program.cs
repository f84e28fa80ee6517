using System.Diagnostics;
using System.Globalization;
using NanoInt8.Host.Quantization;

namespace NanoInt8.Samples.VibrationSensor
{
    /// <summary>
    /// <c>dotnet run --project samples/VibrationSensor [-- --epochs N] [--out FOLDER] [--method minmax|percentile|entropy]</c>:
    /// runs <see cref="VibrationPipeline"/> and prints its report. Without <c>--out</c> it writes
    /// samples/VibrationSensor/out/ and then updates the repository's samples/vibration/ with the
    /// files kept there (<see cref="VibrationPipeline.SampleFiles"/>), so that they never go stale.
    /// </summary>
    public static class Program
    {
        /// <summary>Entry point; returns 0, or 2 for bad arguments.</summary>
        public static int Main(string[] args)
        {
            ArgumentNullException.ThrowIfNull(args);
            string output = Path.Combine(ProjectFolder(), "out");
            bool updateSample = true;
            int epochs = new PipelineOptions { OutputFolder = output }.Epochs;
            CalibrationMethod method = CalibrationMethod.MinMax;
            for (int index = 0; index < args.Length; index++)
            {
                string? value = index + 1 < args.Length ? args[index + 1] : null;
                switch (args[index])
                {
                    case "--epochs" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int parsed) && parsed > 0:
                        epochs = parsed;
                        index++;
                        break;
                    case "--out" when value is not null:
                        output = value;
                        updateSample = false;
                        index++;
                        break;
                    case "--method" when Enum.TryParse(value, ignoreCase: true, out CalibrationMethod parsedMethod):
                        method = parsedMethod;
                        index++;
                        break;
                    default:
                        Console.Error.WriteLine($"error: unexpected argument '{args[index]}'. Usage: VibrationSensor [--epochs N] [--out FOLDER] [--method minmax|percentile|entropy]");
                        return 2;
                }
            }

            Stopwatch clock = Stopwatch.StartNew();
            SampleReport report = VibrationPipeline.Run(
                new PipelineOptions { OutputFolder = output, Epochs = epochs, Method = method },
                new ConsoleProgress(clock));
            Console.WriteLine();
            Console.Write(report.ToMarkdown());
            Console.WriteLine();
            Console.WriteLine($"Wrote {output} in {clock.Elapsed.TotalSeconds:F1} s.");
            if (updateSample && epochs == new PipelineOptions { OutputFolder = output }.Epochs && method == CalibrationMethod.MinMax)
            {
                string sample = Path.GetFullPath(Path.Combine(ProjectFolder(), "..", "vibration"));
                foreach (string file in VibrationPipeline.SampleFiles)
                {
                    File.Copy(Path.Combine(output, file), Path.Combine(sample, file), overwrite: true);
                }

                Console.WriteLine($"Updated {sample}: {string.Join(", ", VibrationPipeline.SampleFiles)}.");
            }

            return 0;
        }

        // The project folder, found from the build output (bin/...) so that 'out' lands next to the sources.
        private static string ProjectFolder()
        {
            for (DirectoryInfo? folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            {
                if (File.Exists(Path.Combine(folder.FullName, "VibrationSensor.csproj")))
                {
                    return folder.FullName;
                }
            }

            return Directory.GetCurrentDirectory();
        }

        private sealed class ConsoleProgress(Stopwatch clock) : IProgress<string>
        {
            public void Report(string value) => Console.WriteLine($"[{clock.Elapsed.TotalSeconds,5:F1} s] {value}");
        }
    }
}
