using NanoInt8.Host.Analysis;
using NanoInt8.Host.Quantization;
using ScottPlot;

namespace NanoInt8.HostTool.Commands
{
    /// <summary>
    /// The PNG of <c>hosttool analyze --plot</c>: per mode, the share of output values at each
    /// signed difference (device − ONNX Runtime's quantized model, in steps), as grouped bars.
    /// </summary>
    /// <remarks>
    /// The share axis is logarithmic: most values are usually identical, and a linear axis would
    /// hide the tails that tell the modes apart. ScottPlot has no log axis, so bars are drawn at
    /// log10(share) from a base below the smallest share, and the ticks are labelled 10^y.
    /// </remarks>
    internal static class AnalysisPlot
    {
        private const int Width = 1000;
        private const int Height = 560;

        /// <summary>Draws <paramref name="report"/> into a PNG file at <paramref name="path"/>.</summary>
        public static void Write(RequantizationReport report, string path)
        {
            List<ModeAnalysis> modes = report.Modes.Where(mode => mode.Failure is null).ToList();
            int largest = Math.Max(1, modes.Max(mode => mode.DifferenceCounts.Keys.Select(Math.Abs).DefaultIfEmpty(0).Max()));
            double smallest = modes
                .SelectMany(mode => mode.DifferenceCounts.Values.Select(count => 100.0 * count / mode.Elements))
                .DefaultIfEmpty(100)
                .Min();
            double logBase = Math.Min(-1, Math.Floor(Math.Log10(smallest)) - 0.5);
            double groupWidth = 0.8;
            double barWidth = groupWidth / modes.Count;
            Plot plot = new Plot();
            for (int position = 0; position < modes.Count; position++)
            {
                ModeAnalysis mode = modes[position];
                double offset = (-groupWidth / 2) + (barWidth * (position + 0.5));
                List<Bar> bars = new List<Bar>();
                for (int difference = -largest; difference <= largest; difference++)
                {
                    long count = mode.DifferenceCounts.GetValueOrDefault(difference);
                    if (count == 0)
                    {
                        continue;
                    }

                    bars.Add(new Bar
                    {
                        Position = difference + offset,
                        Value = Math.Log10(100.0 * count / mode.Elements),
                        ValueBase = logBase,
                        Size = barWidth,
                        FillColor = Palette(position),
                        LineWidth = 0,
                    });
                }

                ScottPlot.Plottables.BarPlot series = plot.Add.Bars(bars);
                series.LegendText = mode.Mode.Name();
            }

            plot.Title($"Output values by difference from ONNX Runtime's quantized model ({report.Samples} samples)");
            plot.XLabel("device - ONNX Runtime (quantization steps of the output)");
            plot.YLabel("share of output values (%, log scale)");
            plot.Axes.SetLimits(-largest - 0.6, largest + 0.6, logBase, 2.4);
            plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
            {
                IntegerTicksOnly = true,
                LabelFormatter = exponent => Math.Pow(10, exponent).ToString("0.####", System.Globalization.CultureInfo.InvariantCulture),
                MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
            };
            plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericFixedInterval(Math.Max(1, largest / 10));
            plot.ShowLegend(Alignment.UpperRight);
            plot.SavePng(path, Width, Height);
        }

        private static Color Palette(int index) => new ScottPlot.Palettes.Category10().GetColor(index);

        /// <summary>The modes drawn, for the line that says where the plot went.</summary>
        public static string Describe(RequantizationReport report) =>
            string.Join(", ", report.Modes.Where(mode => mode.Failure is null).Select(mode => mode.Mode.Name()));
    }
}
