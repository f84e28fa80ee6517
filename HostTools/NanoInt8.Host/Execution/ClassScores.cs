using NanoInt8.Host.Format;
using NanoInt8.Onnx;

namespace NanoInt8.Host.Execution
{
    /// <summary>One class of a classifier output, with its probability.</summary>
    /// <param name="Index">The class index along the output's last dimension.</param>
    /// <param name="Label">The class label.</param>
    /// <param name="Probability">0 .. 1.</param>
    public sealed record ClassScore(int Index, string Label, double Probability);

    /// <summary>
    /// The classes a labelled output (<see cref="GraphTensor.Labels"/>) ranks highest. Every row of
    /// the last dimension is one prediction. The probabilities are the values themselves when they
    /// already are probabilities (each within [0, 1] and their sum within 0.02 of 1, as after a
    /// Softmax, quantization steps included), otherwise the softmax of the values taken as logits.
    /// Integer outputs are dequantized first (real = scale · (q - zeroPoint)).
    /// </summary>
    public static class ClassScores
    {
        private const double ProbabilitySumTolerance = 0.02;

        /// <summary>Per row of <paramref name="values"/> (an array of <paramref name="output"/>'s type, one or more samples), its <paramref name="count"/> most likely classes, most likely first.</summary>
        /// <returns>One list per row; no rows when the output has no labels.</returns>
        public static IReadOnlyList<IReadOnlyList<ClassScore>> Top(GraphTensor output, NpyArray values, int count)
        {
            ArgumentNullException.ThrowIfNull(output);
            ArgumentNullException.ThrowIfNull(values);
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
            if (output.Labels is not IReadOnlyList<string> labels)
            {
                return Array.Empty<IReadOnlyList<ClassScore>>();
            }

            double[] real = RealValues(output, values);
            int classes = labels.Count;
            IReadOnlyList<ClassScore>[] rows = new IReadOnlyList<ClassScore>[real.Length / classes];
            for (int row = 0; row < rows.Length; row++)
            {
                double[] probabilities = Probabilities(real.AsSpan(row * classes, classes));
                rows[row] = Enumerable.Range(0, classes)
                    .OrderByDescending(index => probabilities[index])
                    .ThenBy(index => index)
                    .Take(count)
                    .Select(index => new ClassScore(index, labels[index], probabilities[index]))
                    .ToArray();
            }

            return rows;
        }

        /// <summary>The values as probabilities: themselves when they already are, else their softmax (see the class remarks).</summary>
        public static double[] Probabilities(ReadOnlySpan<double> values)
        {
            double sum = 0;
            bool inRange = true;
            foreach (double value in values)
            {
                sum += value;
                inRange &= value >= 0 && value <= 1;
            }

            if (inRange && Math.Abs(sum - 1) <= ProbabilitySumTolerance)
            {
                return values.ToArray();
            }

            double largest = double.NegativeInfinity;
            foreach (double value in values)
            {
                largest = Math.Max(largest, value);
            }

            double[] exponentials = new double[values.Length];
            double total = 0;
            for (int index = 0; index < values.Length; index++)
            {
                exponentials[index] = Math.Exp(values[index] - largest);
                total += exponentials[index];
            }

            for (int index = 0; index < exponentials.Length; index++)
            {
                exponentials[index] /= total;
            }

            return exponentials;
        }

        private static double[] RealValues(GraphTensor output, NpyArray values)
        {
            return output.OriginalType switch
            {
                OriginalElementType.Float32 => values.AsFloats().Select(value => (double)value).ToArray(),
                OriginalElementType.UInt8 => values.AsUInt8().Select(value => (double)output.Scale * (value - 128 - output.ZeroPoint)).ToArray(),
                _ => values.AsInt8().Select(value => (double)output.Scale * (value - output.ZeroPoint)).ToArray(),
            };
        }
    }
}
