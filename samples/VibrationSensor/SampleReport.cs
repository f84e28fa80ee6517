using System.Globalization;
using System.Text;
using NanoInt8.Host.Quantization;

namespace NanoInt8.Samples.VibrationSensor
{
    /// <summary>What the pipeline measured. Accuracies are shares in [0, 1] of the held-out test windows.</summary>
    public sealed class SampleReport
    {
        /// <summary>Training windows.</summary>
        public required int TrainingWindows { get; init; }

        /// <summary>Held-out test windows (generated from another seed).</summary>
        public required int TestWindows { get; init; }

        /// <summary>Calibration windows (the first training windows).</summary>
        public required int CalibrationWindows { get; init; }

        /// <summary>Training epochs.</summary>
        public required int Epochs { get; init; }

        /// <summary>The last epoch's figures.</summary>
        public required EpochResult LastEpoch { get; init; }

        /// <summary>Test accuracy of the network in C# (float64), before export.</summary>
        public required double TrainedAccuracy { get; init; }

        /// <summary>Test accuracy of float.onnx in ONNX Runtime.</summary>
        public required double FloatAccuracy { get; init; }

        /// <summary>Test accuracy of model.qdq.onnx in ONNX Runtime.</summary>
        public required double QuantizedAccuracy { get; init; }

        /// <summary>Test accuracy of model.ni8 on the device runtime (HostModelRunner).</summary>
        public required double IntegerAccuracy { get; init; }

        /// <summary>Share of test windows where the integer model picks the same class as the QDQ model in ONNX Runtime.</summary>
        public required double IntegerQdqAgreement { get; init; }

        /// <summary>Rows: true class, columns: the integer model's class.</summary>
        public required int[,] IntegerConfusion { get; init; }

        /// <summary>How the QDQ model was calibrated and how it agrees with the float model on the calibration windows.</summary>
        public required QuantizationReport Quantization { get; init; }

        /// <summary>Size of model.ni8.</summary>
        public required int ModelBytes { get; init; }

        /// <summary>Activation arena of the integer model.</summary>
        public required int ArenaBytes { get; init; }

        /// <summary>Bytes the device allocates for the model (header deviceBytes).</summary>
        public required int DeviceBytes { get; init; }

        /// <summary>Bytes of constants (int8 weights plus int32 biases, multipliers, shifts).</summary>
        public required long WeightBytes { get; init; }

        /// <summary>Multiply-accumulates per inference.</summary>
        public required long MultiplyAccumulates { get; init; }

        /// <summary>Operators of the integer model by kind.</summary>
        public required IReadOnlyList<KeyValuePair<string, int>> OperatorCounts { get; init; }

        /// <summary>The board the budget comes from.</summary>
        public required string BoardName { get; init; }

        /// <summary>The board's modelBudgetBytes.</summary>
        public required int BoardBudgetBytes { get; init; }

        /// <summary>report.md: the figures and how they were made, identical for identical inputs (no times, no paths).</summary>
        public string ToMarkdown()
        {
            CultureInfo invariant = CultureInfo.InvariantCulture;
            string Percent(double share) => (100 * share).ToString("F2", invariant) + " %";
            string Bytes(long value) => value.ToString("N0", invariant);
            var text = new StringBuilder();
            text.AppendLine("# Vibration classifier: measured figures");
            text.AppendLine();
            text.AppendLine("Made by `dotnet run --project samples/VibrationSensor` (physical model, network and steps in samples/VibrationSensor/README.md).");
            text.AppendLine();
            text.AppendLine($"Data: {TrainingWindows} training windows, {TestWindows} held-out test windows (another seed), {CalibrationWindows} calibration windows (the first training windows); 1 axis, 128 samples at 1 kHz. Training: {Epochs} epochs, last epoch loss {LastEpoch.Loss.ToString("F4", invariant)}, training accuracy {Percent(LastEpoch.Accuracy)}.");
            text.AppendLine();
            text.AppendLine("| model | runs in | test accuracy |");
            text.AppendLine("|---|---|---|");
            text.AppendLine($"| network as trained (float64) | C# | {Percent(TrainedAccuracy)} |");
            text.AppendLine($"| float.onnx | ONNX Runtime | {Percent(FloatAccuracy)} |");
            text.AppendLine($"| model.qdq.onnx (int8 QDQ) | ONNX Runtime | {Percent(QuantizedAccuracy)} |");
            text.AppendLine($"| model.ni8 (integer only) | device runtime on the host (HostModelRunner) | {Percent(IntegerAccuracy)} |");
            text.AppendLine();
            text.AppendLine($"The integer model picks the same class as the QDQ model in ONNX Runtime on {Percent(IntegerQdqAgreement)} of the test windows.");
            text.AppendLine();
            text.AppendLine("Integer model on the test windows (rows: true condition, columns: predicted):");
            text.AppendLine();
            string[] names = Enum.GetNames<MachineCondition>();
            text.AppendLine("| | " + string.Join(" | ", names) + " |");
            text.AppendLine("|---|" + string.Concat(Enumerable.Repeat("---|", names.Length)));
            for (int row = 0; row < names.Length; row++)
            {
                text.AppendLine($"| {names[row]} | " + string.Join(" | ", Enumerable.Range(0, names.Length).Select(column => IntegerConfusion[row, column].ToString(invariant))) + " |");
            }

            text.AppendLine();
            text.AppendLine($"Quantization: `StaticQuantizer`, ranges by {Quantization.Method.ToString().ToLowerInvariant()}, weights int8 {(Quantization.PerChannel ? "per output channel" : "per tensor")}, biases int32. On the calibration windows the QDQ model's logits agree with the float model's top class for {Percent(Quantization.Outputs[0].TopOneAgreement ?? 0)} of windows, mean absolute error {Quantization.Outputs[0].MeanAbsoluteError.ToString("G3", invariant)} (mean |logit| {Quantization.Outputs[0].MeanAbsoluteValue.ToString("G3", invariant)}).");
            text.AppendLine();
            text.AppendLine("| figure | value |");
            text.AppendLine("|---|---|");
            text.AppendLine($"| model bytes (.ni8 file) | {Bytes(ModelBytes)} |");
            text.AppendLine($"| constant bytes (weights, biases, multipliers) | {Bytes(WeightBytes)} |");
            text.AppendLine($"| arena bytes | {Bytes(ArenaBytes)} |");
            text.AppendLine($"| deviceBytes (what the device allocates) | {Bytes(DeviceBytes)} |");
            text.AppendLine($"| {BoardName} modelBudgetBytes | {Bytes(BoardBudgetBytes)} ({Percent((double)DeviceBytes / BoardBudgetBytes)} used) |");
            text.AppendLine($"| multiply-accumulates per inference | {Bytes(MultiplyAccumulates)} |");
            text.AppendLine($"| operators | {string.Join(", ", OperatorCounts.Select(pair => $"{pair.Key} {pair.Value}"))} |");
            return text.ToString();
        }
    }
}
