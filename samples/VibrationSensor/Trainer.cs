namespace NanoInt8.Samples.VibrationSensor
{
    /// <summary>One epoch's figures.</summary>
    /// <param name="Epoch">1-based epoch number.</param>
    /// <param name="Loss">Mean cross-entropy over the training windows.</param>
    /// <param name="Accuracy">Share of training windows classified right during the epoch.</param>
    public sealed record EpochResult(int Epoch, double Loss, double Accuracy);

    /// <summary>
    /// Mini-batch training with Adam (Kingma and Ba 2015: β1 0.9, β2 0.999, ε 1e-8), the learning
    /// rate falling along a half cosine from <see cref="LearningRate"/> to a tenth of it, windows
    /// reshuffled every epoch by a seeded generator: the same seed gives the same weights.
    /// </summary>
    public sealed class Trainer
    {
        /// <summary>Starting learning rate.</summary>
        public double LearningRate { get; init; } = 0.01;

        /// <summary>Windows per gradient step.</summary>
        public int BatchSize { get; init; } = 32;

        /// <summary>Seed of the shuffling.</summary>
        public int Seed { get; init; } = 7;

        /// <summary>Trains the network on the dataset for the given epochs.</summary>
        public IReadOnlyList<EpochResult> Train(VibrationNetwork network, VibrationDataset data, int epochs, IProgress<EpochResult>? progress = null)
        {
            ArgumentNullException.ThrowIfNull(network);
            ArgumentNullException.ThrowIfNull(data);
            var random = new Random(Seed);
            var optimizer = new AdamOptimizer(network.Parameters);
            VibrationNetwork.Workspace workspace = network.CreateWorkspace();
            int[] order = Enumerable.Range(0, data.Count).ToArray();
            var results = new List<EpochResult>();
            for (int epoch = 0; epoch < epochs; epoch++)
            {
                random.Shuffle(order);
                double rate = LearningRate * (0.55 + (0.45 * Math.Cos(Math.PI * epoch / Math.Max(epochs, 1))));
                double loss = 0;
                int correct = 0;
                for (int start = 0; start < order.Length; start += BatchSize)
                {
                    int end = Math.Min(start + BatchSize, order.Length);
                    optimizer.ClearGradients();
                    for (int position = start; position < end; position++)
                    {
                        int index = order[position];
                        loss += network.Accumulate(data.Windows[index], data.Labels[index], workspace);
                        correct += ArgMax(workspace) == data.Labels[index] ? 1 : 0;
                    }

                    optimizer.Step(rate, 1.0 / (end - start));
                }

                var result = new EpochResult(epoch + 1, loss / order.Length, (double)correct / order.Length);
                results.Add(result);
                progress?.Report(result);
            }

            return results;

            static int ArgMax(VibrationNetwork.Workspace workspace)
            {
                double[] logits = workspace.Logits;
                int best = 0;
                for (int label = 1; label < logits.Length; label++)
                {
                    best = logits[label] > logits[best] ? label : best;
                }

                return best;
            }
        }

        /// <summary>The share of windows the network classifies right.</summary>
        public static double Accuracy(VibrationNetwork network, VibrationDataset data)
        {
            ArgumentNullException.ThrowIfNull(network);
            ArgumentNullException.ThrowIfNull(data);
            VibrationNetwork.Workspace workspace = network.CreateWorkspace();
            int correct = 0;
            for (int index = 0; index < data.Count; index++)
            {
                correct += network.Predict(data.Windows[index], workspace) == data.Labels[index] ? 1 : 0;
            }

            return (double)correct / data.Count;
        }

        private sealed class AdamOptimizer
        {
            private const double Beta1 = 0.9;
            private const double Beta2 = 0.999;
            private const double Epsilon = 1e-8;
            private readonly IReadOnlyList<Parameter> _parameters;
            private readonly double[][] _firstMoments;
            private readonly double[][] _secondMoments;
            private int _steps;

            public AdamOptimizer(IReadOnlyList<Parameter> parameters)
            {
                _parameters = parameters;
                _firstMoments = parameters.Select(parameter => new double[parameter.Values.Length]).ToArray();
                _secondMoments = parameters.Select(parameter => new double[parameter.Values.Length]).ToArray();
            }

            public void ClearGradients()
            {
                foreach (Parameter parameter in _parameters)
                {
                    Array.Clear(parameter.Gradient);
                }
            }

            // gradientScale turns the batch's summed gradients into their mean.
            public void Step(double rate, double gradientScale)
            {
                _steps++;
                double firstCorrection = 1 - Math.Pow(Beta1, _steps);
                double secondCorrection = 1 - Math.Pow(Beta2, _steps);
                for (int tensor = 0; tensor < _parameters.Count; tensor++)
                {
                    double[] values = _parameters[tensor].Values;
                    double[] gradient = _parameters[tensor].Gradient;
                    double[] first = _firstMoments[tensor];
                    double[] second = _secondMoments[tensor];
                    for (int index = 0; index < values.Length; index++)
                    {
                        double g = gradient[index] * gradientScale;
                        first[index] = (Beta1 * first[index]) + ((1 - Beta1) * g);
                        second[index] = (Beta2 * second[index]) + ((1 - Beta2) * g * g);
                        values[index] -= rate * (first[index] / firstCorrection) / (Math.Sqrt(second[index] / secondCorrection) + Epsilon);
                    }
                }
            }
        }
    }
}
