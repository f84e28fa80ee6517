using NanoInt8.Onnx;
using NanoInt8.Onnx.Protobuf;

namespace NanoInt8.Host.Quantization
{
    /// <summary>
    /// Folds a BatchNormalization that follows a Conv into the Conv's weights and bias, so that the
    /// pair quantizes as one convolution (as every int8 runtime executes it).
    /// </summary>
    /// <remarks>
    /// In inference BatchNormalization is y = γ · (x - μ) / √(σ² + ε) + β per channel. With
    /// f = γ / √(σ² + ε) and the Conv x = W * input + b, y = (f·W) * input + (f·(b - μ) + β): the
    /// folded Conv has weights W'[o, ...] = f[o] · W[o, ...] and bias b'[o] = f[o] · (b[o] - μ[o]) + β[o],
    /// computed in double and stored as float32. A pair is folded when the Conv's output is read by
    /// the BatchNormalization alone and is not a graph output, and the Conv weights and bias and
    /// the four BatchNormalization parameters are initializers.
    /// </remarks>
    public static class BatchNormalizationFolding
    {
        /// <summary>A copy of the model with every foldable Conv + BatchNormalization pair folded.</summary>
        /// <param name="model">The float model; not changed.</param>
        public static ModelProto Fold(ModelProto model)
        {
            ArgumentNullException.ThrowIfNull(model);
            ModelProto folded = model.Clone();
            FoldInPlace(folded.Graph, new List<string>());
            return folded;
        }

        /// <summary>Folds every foldable pair in the graph; one note per fold.</summary>
        internal static void FoldInPlace(GraphProto graph, List<string> notes)
        {
            while (true)
            {
                var index = new GraphIndex(graph);
                NodeProto? normalization = graph.Node.FirstOrDefault(node => node.OpType == "BatchNormalization" && IsFoldable(index, node));
                if (normalization is null)
                {
                    return;
                }

                NodeProto convolution = index.Producer(normalization.Input[0])!;
                FoldPair(index, convolution, normalization);
                notes.Add($"folded BatchNormalization '{normalization.Name}' into Conv '{convolution.Name}'");
            }
        }

        private static bool IsFoldable(GraphIndex index, NodeProto normalization)
        {
            NodeProto? convolution = index.Producer(normalization.Input[0]);
            return convolution is not null
                && convolution.OpType == "Conv"
                && convolution.Domain.Length == 0
                && normalization.Domain.Length == 0
                && index.Consumers(normalization.Input[0]).Count == 1
                && !index.GraphOutputs.Contains(normalization.Input[0])
                && normalization.Output.Skip(1).All(output => output.Length == 0)
                && normalization.Input.Count == 5
                && normalization.Input.Skip(1).All(parameter => index.FloatConstant(parameter) is not null)
                && index.FloatConstant(convolution.Input[1]) is not null
                && (convolution.Input.Count < 3 || convolution.Input[2].Length == 0 || index.FloatConstant(convolution.Input[2]) is not null);
        }

        private static void FoldPair(GraphIndex index, NodeProto convolution, NodeProto normalization)
        {
            (float[] weights, long[] weightDims) = index.FloatConstant(convolution.Input[1])!.Value;
            int channels = (int)weightDims[0];
            float[] gamma = Parameter(index, normalization, 1, channels);
            float[] beta = Parameter(index, normalization, 2, channels);
            float[] mean = Parameter(index, normalization, 3, channels);
            float[] variance = Parameter(index, normalization, 4, channels);
            double epsilon = normalization.GetFloat("epsilon", 1e-5f);
            float[] bias = convolution.Input.Count > 2 && convolution.Input[2].Length > 0
                ? index.FloatConstant(convolution.Input[2])!.Value.Values
                : new float[channels];
            if (bias.Length != channels)
            {
                throw new QuantizationException($"{GraphIndex.Describe(convolution)} has {bias.Length} bias values for {channels} output channels.", convolution.Name, convolution.OpType);
            }

            int perChannel = weights.Length / channels;
            var foldedWeights = new float[weights.Length];
            var foldedBias = new float[channels];
            for (int channel = 0; channel < channels; channel++)
            {
                double factor = gamma[channel] / Math.Sqrt(variance[channel] + epsilon);
                for (int element = 0; element < perChannel; element++)
                {
                    int at = (channel * perChannel) + element;
                    foldedWeights[at] = (float)(factor * weights[at]);
                }

                foldedBias[channel] = (float)((factor * (bias[channel] - mean[channel])) + beta[channel]);
            }

            string weightName = index.NewName(convolution.Input[1] + "_folded");
            string biasName = index.NewName((convolution.Input.Count > 2 && convolution.Input[2].Length > 0 ? convolution.Input[2] : convolution.Name + "_bias") + "_folded");
            index.Graph.Initializer.Add(TensorData.Create(weightName, foldedWeights, weightDims));
            index.Graph.Initializer.Add(TensorData.Create(biasName, foldedBias, new long[] { channels }));
            convolution.Input[1] = weightName;
            if (convolution.Input.Count > 2)
            {
                convolution.Input[2] = biasName;
            }
            else
            {
                convolution.Input.Add(biasName);
            }

            convolution.Output[0] = normalization.Output[0];
            index.Graph.Node.Remove(normalization);
            FloatModelPreparation.RemoveUnusedInitializers(index.Graph);
        }

        private static float[] Parameter(GraphIndex index, NodeProto normalization, int input, int channels)
        {
            float[] values = index.FloatConstant(normalization.Input[input])!.Value.Values;
            if (values.Length != channels)
            {
                throw new QuantizationException(
                    $"{GraphIndex.Describe(normalization)} has {values.Length} values in input {input} ('{normalization.Input[input]}') for the {channels} channels of the Conv before it.",
                    normalization.Name, normalization.OpType);
            }

            return values;
        }
    }
}
