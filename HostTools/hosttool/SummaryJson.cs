using NanoInt8.Host.Boards;
using NanoInt8.Host.Conversion;
using NanoInt8.Host.Execution;

namespace NanoInt8.HostTool
{
    /// <summary>The --json form of a <see cref="ModelSummary"/> (convert, inspect): the same figures as <see cref="SummaryView"/> prints.</summary>
    internal static class SummaryJson
    {
        /// <summary>The model's interface and totals, the converter's notes, and with a board its budget.</summary>
        public static object Model(ModelSummary summary, ConversionResult? conversion, BoardDefinition? board) => new
        {
            name = summary.ModelName,
            converterVersion = summary.ConverterVersion,
            formatVersion = summary.FormatVersion,
            requantization = summary.Requantization,
            inputs = summary.Inputs.Select(JsonOutput.Tensor),
            outputs = summary.Outputs.Select(JsonOutput.Tensor),
            operatorCount = summary.Operators.Count,
            operatorKinds = summary.OperatorCounts.ToDictionary(pair => pair.Key, pair => pair.Value),
            multiplyAccumulates = summary.MultiplyAccumulates,
            parameters = summary.ParameterCount,
            weightBytes = summary.WeightBytes,
            arenaBytes = summary.ArenaBytes,
            arenaLowerBound = conversion?.ArenaLowerBound,
            deviceBytes = summary.DeviceBytes,
            scratchBytes = summary.ScratchBytes,
            modelBytes = summary.ModelBytes,
            loadBytes = summary.TransferBytes,
            work = summary.Work,
            board = board is null ? null : new { name = board.Name, modelBudgetBytes = board.ModelBudgetBytes, maxWorkPerInference = board.MaxWorkPerInference },
            notes = conversion?.Notes ?? Array.Empty<string>(),
        };

        /// <summary>One object per operator, with every column of inspect's wide table.</summary>
        public static IEnumerable<object> Operators(ModelSummary summary) => summary.Operators.Select(line => (object)new
        {
            index = line.Index,
            kind = line.Kind,
            source = line.SourceName,
            inputShapes = line.InputShapes,
            outputShape = line.OutputShape,
            multiplyAccumulates = line.MultiplyAccumulates,
            outputElements = line.OutputElements,
            weightBytes = line.WeightBytes,
            arenaOffset = line.ArenaOffset,
            arenaBytes = line.ArenaBytes,
            multiplier = line.MultiplierRange is RealRange range ? new { minimum = range.Minimum, maximum = range.Maximum } : null,
        });
    }
}
