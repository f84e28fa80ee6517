namespace NanoInt8.Samples.VibrationSensor
{
    /// <summary>
    /// The classifier: input [1, 128] → Conv1D(1→8, kernel 5, pad 2) + ReLU → [8, 128] →
    /// Conv1D(8→16, kernel 5, stride 2, pad 2) + ReLU → [16, 64] → global average over time → [16]
    /// → Dense(16→3) → logits. Trained with softmax cross-entropy.
    /// </summary>
    /// <remarks>
    /// Why this shape: the first layer's short filters separate the bands that carry the three
    /// conditions (the shaft's 20-40 Hz, the 250-400 Hz ringing of bearing impacts); the strided
    /// second layer combines them over 13 ms (one impact period at most) at half the rate; the
    /// average over the window makes the features independent of where the impacts and the shaft's
    /// phase fall, as a band-energy detector would. 46,128 multiply-accumulates and 755 parameters:
    /// small enough for the interpreter on the smallest board. An MLP on the raw window would need a
    /// 128-wide first layer (16 K weights for 128 units) and learn time-shift invariance from data.
    /// </remarks>
    public sealed class VibrationNetwork
    {
        /// <summary>Number of classes.</summary>
        public const int Classes = 3;

        private const int Length = VibrationSignalModel.WindowLength;

        /// <summary>Creates the network with weights drawn from <paramref name="seed"/>.</summary>
        public VibrationNetwork(int seed)
        {
            var random = new Random(seed);
            First = new Conv1DLayer("conv1", 1, 8, 5, 1, 2, random);
            Second = new Conv1DLayer("conv2", 8, 16, 5, 2, 2, random);
            Classifier = new DenseLayer("classifier", 16, Classes, random);
        }

        /// <summary>Conv1D 1→8, kernel 5, stride 1, padding 2.</summary>
        public Conv1DLayer First { get; }

        /// <summary>Conv1D 8→16, kernel 5, stride 2, padding 2.</summary>
        public Conv1DLayer Second { get; }

        /// <summary>Dense 16→3.</summary>
        public DenseLayer Classifier { get; }

        /// <summary>Every trainable tensor.</summary>
        public IReadOnlyList<Parameter> Parameters => new[] { First.Weights, First.Bias, Second.Weights, Second.Bias, Classifier.Weights, Classifier.Bias };

        /// <summary>Scratch buffers for one forward and backward pass.</summary>
        public Workspace CreateWorkspace() => new Workspace(this);

        /// <summary>The logits of one window.</summary>
        public double[] Forward(float[] window, Workspace workspace)
        {
            ArgumentNullException.ThrowIfNull(window);
            ArgumentNullException.ThrowIfNull(workspace);
            for (int sample = 0; sample < Length; sample++)
            {
                workspace.Input[sample] = window[sample];
            }

            First.Forward(workspace.Input, Length, workspace.FirstOutput);
            Relu(workspace.FirstOutput);
            Second.Forward(workspace.FirstOutput, Length, workspace.SecondOutput);
            Relu(workspace.SecondOutput);
            int secondLength = Second.OutputLength(Length);
            for (int channel = 0; channel < Second.OutputChannels; channel++)
            {
                double sum = 0;
                for (int position = 0; position < secondLength; position++)
                {
                    sum += workspace.SecondOutput[(channel * secondLength) + position];
                }

                workspace.Pooled[channel] = sum / secondLength;
            }

            Classifier.Forward(workspace.Pooled, workspace.Logits);
            return workspace.Logits;
        }

        /// <summary>The most likely class of one window.</summary>
        public int Predict(float[] window, Workspace workspace)
        {
            double[] logits = Forward(window, workspace);
            int best = 0;
            for (int label = 1; label < logits.Length; label++)
            {
                if (logits[label] > logits[best])
                {
                    best = label;
                }
            }

            return best;
        }

        /// <summary>
        /// Forward and backward for one labelled window: adds d loss / d parameter to every
        /// parameter's gradient and returns the cross-entropy loss -log softmax(logits)[label].
        /// </summary>
        public double Accumulate(float[] window, int label, Workspace workspace)
        {
            double[] logits = Forward(window, workspace);
            double largest = logits.Max();
            double normalizer = logits.Sum(logit => Math.Exp(logit - largest));
            // d loss / d logit = softmax - one-hot.
            for (int index = 0; index < logits.Length; index++)
            {
                workspace.LogitGradient[index] = (Math.Exp(logits[index] - largest) / normalizer) - (index == label ? 1 : 0);
            }

            Classifier.Backward(workspace.Pooled, workspace.LogitGradient, workspace.PooledGradient);
            int secondLength = Second.OutputLength(Length);
            for (int channel = 0; channel < Second.OutputChannels; channel++)
            {
                for (int position = 0; position < secondLength; position++)
                {
                    int at = (channel * secondLength) + position;
                    // Average pooling spreads the gradient evenly; ReLU passes it where its output is positive.
                    workspace.SecondGradient[at] = workspace.SecondOutput[at] > 0 ? workspace.PooledGradient[channel] / secondLength : 0;
                }
            }

            Second.Backward(workspace.FirstOutput, Length, workspace.SecondGradient, workspace.FirstGradient);
            for (int at = 0; at < workspace.FirstGradient.Length; at++)
            {
                if (workspace.FirstOutput[at] <= 0)
                {
                    workspace.FirstGradient[at] = 0;
                }
            }

            First.Backward(workspace.Input, Length, workspace.FirstGradient, inputGradient: null);
            return largest + Math.Log(normalizer) - logits[label];
        }

        private static void Relu(double[] values)
        {
            for (int index = 0; index < values.Length; index++)
            {
                values[index] = Math.Max(values[index], 0);
            }
        }

        /// <summary>The activations and gradients of one pass; reused from window to window.</summary>
        public sealed class Workspace
        {
            internal Workspace(VibrationNetwork network)
            {
                int secondLength = network.Second.OutputLength(Length);
                Input = new double[Length];
                FirstOutput = new double[network.First.OutputChannels * Length];
                FirstGradient = new double[FirstOutput.Length];
                SecondOutput = new double[network.Second.OutputChannels * secondLength];
                SecondGradient = new double[SecondOutput.Length];
                Pooled = new double[network.Second.OutputChannels];
                PooledGradient = new double[Pooled.Length];
                Logits = new double[Classes];
                LogitGradient = new double[Classes];
            }

            internal double[] Input { get; }

            internal double[] FirstOutput { get; }

            internal double[] FirstGradient { get; }

            internal double[] SecondOutput { get; }

            internal double[] SecondGradient { get; }

            internal double[] Pooled { get; }

            internal double[] PooledGradient { get; }

            internal double[] Logits { get; }

            internal double[] LogitGradient { get; }
        }
    }
}
