using System.Globalization;
using NanoInt8.Host.Boards;
using NanoInt8.Host.Conversion;
using NanoInt8.Host.Execution;
using NanoInt8.Host.Format;

namespace NanoInt8.HostTool
{
    /// <summary>Prints a <see cref="ModelSummary"/>: the short form after convert, the operator table for inspect.</summary>
    internal static class SummaryView
    {
        private static readonly CultureInfo s_invariant = CultureInfo.InvariantCulture;

        /// <summary>The one-screen report after a conversion.</summary>
        public static void WriteConversion(Terminal terminal, string source, string destination, ModelSummary summary, ConversionResult conversion, BoardDefinition? board)
        {
            TextWriter writer = terminal.Writer;
            writer.WriteLine($"Converted {source} -> {destination}");
            WriteTotals(writer, summary, conversion, board);
            WriteNotes(writer, conversion);
        }

        /// <summary>The full report of inspect: graph I/O, one table row per operator (every column with <paramref name="wide"/>, else those that fit 80 columns), totals.</summary>
        public static void WriteInspection(Terminal terminal, string source, ModelSummary summary, ConversionResult? conversion, bool wide)
        {
            TextWriter writer = terminal.Writer;
            string name = summary.ModelName is null ? string.Empty : $" (model '{summary.ModelName}'";
            if (summary.ModelName is not null)
            {
                name += summary.ConverterVersion is null ? ")" : $", converter {summary.ConverterVersion})";
            }

            writer.WriteLine($"{source}{name}");
            foreach (GraphTensor input in summary.Inputs)
            {
                writer.WriteLine($"  input   {Describe(input)}");
            }

            foreach (GraphTensor output in summary.Outputs)
            {
                writer.WriteLine($"  output  {Describe(output)}");
            }

            string[] headers = { "#", "kind", "source", "input shapes", "output shape", "MACs", "elements", "weight bytes", "arena offset", "arena bytes", "multiplier" };
            string[] narrow = { "#", "kind", "output shape", "MACs", "weight bytes", "arena bytes" };
            TextTable table = new TextTable(wide ? headers : narrow, rightAligned: new[] { "#", "MACs", "elements", "weight bytes", "arena offset", "arena bytes" });
            foreach (OperatorSummary line in summary.Operators)
            {
                table.AddRow(new Dictionary<string, string>
                {
                    ["#"] = line.Index.ToString(s_invariant),
                    ["kind"] = line.Kind,
                    ["source"] = line.SourceName ?? "-",
                    ["input shapes"] = line.InputShapes.Count == 0 ? "-" : string.Join(" ", line.InputShapes.Select(FormatShape)),
                    ["output shape"] = FormatShape(line.OutputShape),
                    ["MACs"] = line.MultiplyAccumulates == 0 ? "-" : Count(line.MultiplyAccumulates),
                    ["elements"] = Count(line.OutputElements),
                    ["weight bytes"] = line.WeightBytes == 0 ? "-" : Count(line.WeightBytes),
                    ["arena offset"] = line.ArenaOffset.ToString(s_invariant),
                    ["arena bytes"] = Count(line.ArenaBytes),
                    ["multiplier"] = FormatRange(line.MultiplierRange),
                });
            }

            table.Write(terminal);
            if (!wide)
            {
                terminal.Writer.WriteLine("(--wide adds the source nodes, input shapes, output elements, arena offsets and requantization multipliers)");
            }

            WriteTotals(writer, summary, conversion, board: null);
            if (conversion is not null)
            {
                WriteNotes(writer, conversion);
            }
        }

        /// <summary>A shape as "[1, 3, 8, 8]".</summary>
        public static string FormatShape(IReadOnlyList<int> shape) => "[" + string.Join(", ", shape) + "]";

        private static void WriteTotals(TextWriter writer, ModelSummary summary, ConversionResult? conversion, BoardDefinition? board)
        {
            string kinds = string.Join(", ", summary.OperatorCounts.Select(pair => $"{pair.Key} {pair.Value}"));
            writer.WriteLine($"  operators     {Count(summary.Operators.Count)} ({kinds})");
            writer.WriteLine($"  MACs          {Count(summary.MultiplyAccumulates)} (every kernel tap, padding included)");
            writer.WriteLine($"  requantization {summary.Requantization}");
            foreach (GraphTensor input in summary.Inputs)
            {
                if (input.RawInput is RawInputEntry raw)
                {
                    string reading = raw.RawOffset == 0 ? "raw"
                        : raw.RawOffset > 0 ? string.Create(s_invariant, $"(raw - {raw.RawOffset})") : string.Create(s_invariant, $"(raw + {-(long)raw.RawOffset})");
                    writer.WriteLine(string.Create(s_invariant,
                        $"  raw input     {input.Name} = {reading} x {input.RawInputScale:G6}, saturating outside {raw.RawMin} .. {raw.RawMax}"));
                }
            }

            writer.WriteLine($"  parameters    {Count(summary.ParameterCount)}");
            writer.WriteLine($"  weight bytes  {Count(summary.WeightBytes)}");
            string lowerBound = conversion is null ? string.Empty : $" (lower bound {Count(conversion.ArenaLowerBound)})";
            writer.WriteLine($"  arena bytes   {Count(summary.ArenaBytes)}{lowerBound}");
            string budget = board is null
                ? string.Empty
                : string.Create(s_invariant, $" (board {board.Name}: budget {Count(board.ModelBudgetBytes)}, {100.0 * summary.TotalDeviceBytes / board.ModelBudgetBytes:F1} % used with the records)");
            writer.WriteLine($"  device bytes  {Count(summary.DeviceBytes)}{budget}");
            writer.WriteLine($"  records bytes {Count(summary.PreparedBytes)} (the interpreter's operator records, beside device bytes)");
            if (summary.ScratchBytes > 0)
            {
                writer.WriteLine($"  scratch bytes {Count(summary.ScratchBytes)} (the packed kernels' scratch, in device bytes)");
            }

            writer.WriteLine($"  model file    {Count(summary.ModelBytes)} bytes, format version {summary.FormatVersion}");
            string transferBudget = board is null ? string.Empty : $", board budget {Count(board.TransferBudgetBytes)}";
            writer.WriteLine($"  load bytes    {Count(summary.TransferBytes)} (device bytes and the file, held at once while loading{transferBudget})");
            string workBudget = board?.MaxWorkPerInference is long most ? $", board {board.Name} takes at most {Count(most)}" : string.Empty;
            writer.WriteLine($"  work          {Count(summary.Work)} units per inference (MACs and element reads{workBudget})");
        }

        private static void WriteNotes(TextWriter writer, ConversionResult conversion)
        {
            if (conversion.Notes.Count == 0)
            {
                return;
            }

            writer.WriteLine("notes:");
            foreach (string note in conversion.Notes)
            {
                writer.WriteLine($"  - {note}");
            }
        }

        private static string Describe(GraphTensor tensor)
        {
            string labels = tensor.Labels is null ? string.Empty : $", classes {string.Join(", ", tensor.Labels)}";
            return string.Create(s_invariant, $"{tensor} (scale {tensor.Scale:G6}, zero point {tensor.ZeroPoint}{labels})");
        }

        private static string FormatRange(RealRange? range)
        {
            if (range is not RealRange value)
            {
                return "-";
            }

            return value.Minimum == value.Maximum
                ? value.Minimum.ToString("G4", s_invariant)
                : string.Create(s_invariant, $"{value.Minimum:G4} .. {value.Maximum:G4}");
        }

        private static string Count(long value) => value.ToString("N0", s_invariant);
    }
}
