using NanoInt8.Onnx;
using NanoInt8.Onnx.Protobuf;

namespace NanoInt8.Host.Quantization
{
    /// <summary>Where an activation tensor's quantization parameters come from.</summary>
    public enum ParameterSource
    {
        /// <summary>Its own range, chosen by the calibration method from the values it took.</summary>
        Calibrated,

        /// <summary>
        /// Its input's parameters: the operator only moves or selects values (MaxPool, Reshape,
        /// Flatten, Squeeze, Unsqueeze, Identity, Transpose, Pad), so sharing them saves a requantization.
        /// </summary>
        SharedWithInput,

        /// <summary>Fixed by the operator: Softmax's output [0, 1] with scale 1/256 and zero point -128.</summary>
        Fixed,
    }

    /// <summary>An activation tensor that gets a QuantizeLinear/DequantizeLinear pair in the QDQ model.</summary>
    /// <param name="Name">The tensor's name in the float model.</param>
    /// <param name="Source">Where its parameters come from.</param>
    /// <param name="SharedWith">For <see cref="ParameterSource.SharedWithInput"/>, the tensor whose parameters it takes.</param>
    /// <param name="Producer">The node computing it (with its fused activations, "Conv 'c1' + Relu 'r1'"), or "graph input".</param>
    public sealed record PlannedActivation(string Name, ParameterSource Source, string? SharedWith, string Producer);

    /// <summary>
    /// Rewrites a prepared float model (<see cref="FloatModelPreparation"/>) into a QDQ model, the
    /// layout of ONNX Runtime's quantize_static in QDQ format.
    /// </summary>
    /// <remarks>
    /// The graph is cut into units: an operator and the Relu/Clip chain that alone reads its output
    /// (not a graph output). Each unit's final tensor, and the graph input, is an activation: a
    /// QuantizeLinear (int8, per tensor) and a DequantizeLinear follow it and every reader takes the
    /// DequantizeLinear's output. So a fused Relu/Clip stays a node between its operator and the
    /// QuantizeLinear, and its range is the range after the activation; the converter folds it into
    /// the operator's output clamp. A graph output keeps its name on the DequantizeLinear that ends it.
    /// Weights become int8 initializers behind a DequantizeLinear: symmetric (zero point 0, codes
    /// in [-127, 127], scale = max|w| / 127), per output channel along axis 0 of Conv and of Gemm
    /// with transB=1, axis 1 of MatMul and of Gemm with transB=0, or one scale per tensor. Biases
    /// become int32 with scale inputScale · weightScale[c] behind a DequantizeLinear (axis 0).
    /// Constant operands of Add, Sub, Mul and Concat are quantized per tensor over their own range.
    /// </remarks>
    internal sealed class QdqRewriter
    {
        // A bias of more steps than this raises the weight scale of its channel: the converter folds
        // the input zero point into the bias (up to 128 · 127 · taps more) and the device accepts
        // ±2^30, so 2^28 leaves room for 8192 taps per output channel.
        private const int BiasLimit = 1 << 28;

        private static readonly HashSet<string> s_sharesInputQuantization = new(StringComparer.Ordinal)
        {
            "MaxPool", "Reshape", "Flatten", "Squeeze", "Unsqueeze", "Identity", "Transpose", "Pad",
        };

        private static readonly QuantizationParameters s_softmaxOutput = new(1f / 256f, -128);

        private readonly ModelProto _model;
        private readonly QuantizationOptions _options;
        private readonly GraphIndex _index;
        private readonly List<PlannedActivation> _planned = new();
        private readonly Dictionary<string, PlannedActivation> _plannedByName = new(StringComparer.Ordinal);

        public QdqRewriter(ModelProto prepared, QuantizationOptions options, List<string> notes)
        {
            _model = prepared;
            _options = options;
            _index = new GraphIndex(prepared.Graph);
            InputName = _index.Inputs[0];
            Plan(new PlannedActivation(InputName, ParameterSource.Calibrated, null, "graph input"));
            var fused = new HashSet<NodeProto>();
            foreach (NodeProto node in prepared.Graph.Node)
            {
                if (fused.Contains(node))
                {
                    continue;
                }

                string output = node.Output[0];
                var chain = new List<NodeProto>();
                while (_index.Consumers(output).Count == 1 && !_index.GraphOutputs.Contains(output))
                {
                    NodeProto next = _index.Consumers(output)[0];
                    if (next.OpType is not ("Relu" or "Clip") || next.Input[0] != output)
                    {
                        break;
                    }

                    chain.Add(next);
                    fused.Add(next);
                    output = next.Output[0];
                }

                string producer = string.Join(" + ", chain.Prepend(node).Select(part => $"{part.OpType} '{part.Name}'"));
                if (chain.Count > 0)
                {
                    notes.Add($"fused {string.Join(", ", chain.Select(part => $"{part.OpType} '{part.Name}'"))} into {node.OpType} '{node.Name}': one range, after the activation");
                    Plan(new PlannedActivation(output, ParameterSource.Calibrated, null, producer));
                }
                else if (s_sharesInputQuantization.Contains(node.OpType) && _plannedByName.ContainsKey(node.Input[0]))
                {
                    Plan(new PlannedActivation(output, ParameterSource.SharedWithInput, node.Input[0], producer));
                }
                else
                {
                    Plan(new PlannedActivation(output, node.OpType == "Softmax" ? ParameterSource.Fixed : ParameterSource.Calibrated, null, producer));
                }
            }
        }

        /// <summary>The float graph input.</summary>
        public string InputName { get; }

        /// <summary>Every activation that gets a Q/DQ pair, in graph order (the input first).</summary>
        public IReadOnlyList<PlannedActivation> Planned => _planned;

        /// <summary>
        /// The activations the calibration observes: those with a range of their own, and the
        /// fixed ones (for the report); a tensor sharing its input's parameters has its input's values.
        /// </summary>
        public IEnumerable<string> ObservedTensors => _planned.Where(tensor => tensor.Source != ParameterSource.SharedWithInput).Select(tensor => tensor.Name);

        /// <summary>The int8 parameters of every planned activation, from the ranges calibration chose (for <see cref="ParameterSource.Calibrated"/> ones).</summary>
        public IReadOnlyDictionary<string, QuantizationParameters> ResolveParameters(IReadOnlyDictionary<string, ActivationRange> ranges)
        {
            var parameters = new Dictionary<string, QuantizationParameters>(StringComparer.Ordinal);
            foreach (PlannedActivation tensor in _planned)
            {
                // Graph order: a shared tensor's source is resolved before it.
                parameters[tensor.Name] = tensor.Source switch
                {
                    ParameterSource.Calibrated => ranges[tensor.Name].ToInt8(),
                    ParameterSource.SharedWithInput => parameters[tensor.SharedWith!],
                    _ => s_softmaxOutput,
                };
            }

            return parameters;
        }

        /// <summary>The QDQ model with these activation parameters.</summary>
        public ModelProto Write(IReadOnlyDictionary<string, QuantizationParameters> parameters)
        {
            ModelProto model = _model.Clone();
            GraphProto graph = model.Graph;
            var names = new GraphIndex(graph);
            List<NodeProto> nodes = graph.Node.ToList();
            graph.Node.Clear();

            // Readers take the DequantizeLinear output; a graph output keeps its name there, and the
            // operator that computed it writes under a new name instead.
            var readName = new Dictionary<string, string>(StringComparer.Ordinal);
            var writeName = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (PlannedActivation tensor in _planned)
            {
                if (_index.GraphOutputs.Contains(tensor.Name))
                {
                    writeName[tensor.Name] = names.NewName(tensor.Name + "_float");
                    readName[tensor.Name] = tensor.Name;
                }
                else
                {
                    readName[tensor.Name] = names.NewName(tensor.Name + "_dequantized");
                }
            }

            void EmitQuantizeDequantize(string tensor)
            {
                QuantizationParameters quantization = parameters[tensor];
                string scale = AddInitializer(graph, TensorData.Create(names.NewName(tensor + "_scale"), new[] { quantization.Scale }, Array.Empty<long>()));
                string zeroPoint = AddInitializer(graph, TensorData.Create(names.NewName(tensor + "_zero_point"), new[] { (sbyte)quantization.ZeroPoint }, Array.Empty<long>()));
                string quantized = names.NewName(tensor + "_quantized");
                graph.Node.Add(CreateNode("QuantizeLinear", names.NewName(tensor + "_QuantizeLinear"), new[] { writeName.GetValueOrDefault(tensor, tensor), scale, zeroPoint }, quantized));
                graph.Node.Add(CreateNode("DequantizeLinear", names.NewName(tensor + "_DequantizeLinear"), new[] { quantized, scale, zeroPoint }, readName[tensor]));
            }

            EmitQuantizeDequantize(InputName);
            var quantizedConstants = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (NodeProto original in nodes)
            {
                NodeProto node = original.Clone();
                for (int input = 0; input < node.Input.Count; input++)
                {
                    if (readName.TryGetValue(node.Input[input], out string? read))
                    {
                        node.Input[input] = read;
                    }
                }

                switch (node.OpType)
                {
                    case "Conv":
                        QuantizeWeights(graph, names, node, axis: 0, parameters[original.Input[0]].Scale);
                        break;
                    case "Gemm":
                        QuantizeWeights(graph, names, node, axis: node.GetInt("transB", 0) != 0 ? 0 : 1, parameters[original.Input[0]].Scale);
                        break;
                    case "MatMul":
                        QuantizeWeights(graph, names, node, axis: 1, parameters[original.Input[0]].Scale);
                        break;
                    case "Add":
                    case "Sub":
                    case "Mul":
                    case "Concat":
                        for (int input = 0; input < node.Input.Count; input++)
                        {
                            if (_index.FloatConstant(node.Input[input]) is not null)
                            {
                                node.Input[input] = QuantizeConstantOperand(graph, names, node.Input[input], quantizedConstants);
                            }
                        }

                        break;
                }

                for (int output = 0; output < node.Output.Count; output++)
                {
                    if (writeName.TryGetValue(node.Output[output], out string? written))
                    {
                        node.Output[output] = written;
                    }
                }

                graph.Node.Add(node);
                foreach (string output in original.Output.Where(_plannedByName.ContainsKey))
                {
                    EmitQuantizeDequantize(output);
                }
            }

            FloatModelPreparation.RemoveUnusedInitializers(graph);
            return model;
        }

        private void Plan(PlannedActivation tensor)
        {
            if (_plannedByName.TryAdd(tensor.Name, tensor))
            {
                _planned.Add(tensor);
            }
        }

        /// <summary>
        /// Replaces the node's float weights (input 1) by int8 behind a DequantizeLinear, and its
        /// bias (input 2, if any) by int32 of scale inputScale · weightScale behind another.
        /// </summary>
        private void QuantizeWeights(GraphProto graph, GraphIndex names, NodeProto node, int axis, float inputScale)
        {
            string weightName = node.Input[1];
            (float[] weights, long[] dims) = _index.FloatConstant(weightName)!.Value;
            int channels = (int)dims[axis];
            int inner = 1;
            for (int dimension = axis + 1; dimension < dims.Length; dimension++)
            {
                inner *= (int)dims[dimension];
            }

            var maximum = new double[channels];
            for (int element = 0; element < weights.Length; element++)
            {
                int channel = element / inner % channels;
                maximum[channel] = Math.Max(maximum[channel], Math.Abs(weights[element]));
            }

            string? biasName = node.Input.Count > 2 && node.Input[2].Length > 0 ? node.Input[2] : null;
            float[]? bias = biasName is null ? null : _index.FloatConstant(biasName)!.Value.Values;
            double[] scales = WeightScales(maximum, bias, inputScale);
            float[] stored = scales.Select(scale => (float)scale).ToArray();
            var quantized = new sbyte[weights.Length];
            for (int element = 0; element < weights.Length; element++)
            {
                float scale = stored[stored.Length == 1 ? 0 : element / inner % channels];
                quantized[element] = (sbyte)Math.Clamp(Math.Round(weights[element] / (double)scale, MidpointRounding.ToEven), -127, 127);
            }

            long[] scaleDims = stored.Length == 1 ? Array.Empty<long>() : new long[] { channels };
            string weightData = AddInitializer(graph, TensorData.Create(names.NewName(weightName + "_quantized"), quantized, dims));
            string weightScale = AddInitializer(graph, TensorData.Create(names.NewName(weightName + "_scale"), stored, scaleDims));
            string weightZeroPoint = AddInitializer(graph, TensorData.Create(names.NewName(weightName + "_zero_point"), new sbyte[stored.Length], scaleDims));
            string dequantizedWeights = names.NewName(weightName + "_dequantized");
            NodeProto weightNode = CreateNode("DequantizeLinear", names.NewName(weightName + "_DequantizeLinear"), new[] { weightData, weightScale, weightZeroPoint }, dequantizedWeights);
            if (stored.Length > 1)
            {
                weightNode.Attribute.Add(new AttributeProto { Name = "axis", Type = AttributeProto.Types.AttributeType.Int, I = axis });
            }

            graph.Node.Add(weightNode);
            node.Input[1] = dequantizedWeights;
            if (biasName is null || bias is null)
            {
                return;
            }

            // float32 product, as ONNX Runtime's quantizer forms the bias scale.
            float[] biasScales = stored.Select(scale => inputScale * scale).ToArray();
            var biasData = new int[bias.Length];
            for (int channel = 0; channel < bias.Length; channel++)
            {
                double steps = Math.Round(bias[channel] / (double)biasScales[biasScales.Length == 1 ? 0 : channel], MidpointRounding.ToEven);
                biasData[channel] = (int)Math.Clamp(steps, -BiasLimit, BiasLimit);
            }

            string biasValues = AddInitializer(graph, TensorData.Create(names.NewName(biasName + "_quantized"), biasData, new long[] { bias.Length }));
            string biasScale = AddInitializer(graph, TensorData.Create(names.NewName(biasName + "_scale"), biasScales, scaleDims));
            string dequantizedBias = names.NewName(biasName + "_dequantized");
            NodeProto biasNode = CreateNode("DequantizeLinear", names.NewName(biasName + "_DequantizeLinear"), new[] { biasValues, biasScale }, dequantizedBias);
            if (biasScales.Length > 1)
            {
                biasNode.Attribute.Add(new AttributeProto { Name = "axis", Type = AttributeProto.Types.AttributeType.Int, I = 0 });
            }

            graph.Node.Add(biasNode);
            node.Input[2] = dequantizedBias;
        }

        // Symmetric: max|w| / 127 per channel (or over the whole tensor); a channel of zeros takes
        // the mean of the others' scales (any positive scale represents it, and a typical one keeps
        // its bias as finely quantized as the others'); a scale too small for the channel's bias
        // (more than BiasLimit steps) is raised until the bias fits.
        private double[] WeightScales(double[] maximum, float[]? bias, float inputScale)
        {
            double[] scales = _options.PerChannel
                ? maximum.Select(value => value / 127.0).ToArray()
                : new[] { maximum.Max() / 127.0 };
            double[] nonZero = scales.Where(scale => scale > 0).ToArray();
            double fallback = nonZero.Length > 0 ? nonZero.Average() : 1.0 / 127.0;
            for (int index = 0; index < scales.Length; index++)
            {
                if (!(scales[index] > 0))
                {
                    scales[index] = fallback;
                }
            }

            if (bias is not null)
            {
                for (int channel = 0; channel < bias.Length; channel++)
                {
                    int at = scales.Length == 1 ? 0 : channel;
                    double needed = Math.Abs(bias[channel]) / (inputScale * (double)BiasLimit) * 1.0001;
                    scales[at] = Math.Max(scales[at], needed);
                }
            }

            return scales;
        }

        // A float constant operand of Add, Sub, Mul or Concat, quantized per tensor over its own range.
        private string QuantizeConstantOperand(GraphProto graph, GraphIndex names, string name, Dictionary<string, string> done)
        {
            if (done.TryGetValue(name, out string? existing))
            {
                return existing;
            }

            float[] values = _index.FloatConstant(name)!.Value.Values;
            long[] dims = _index.FloatConstant(name)!.Value.Dims;
            QuantizationParameters parameters = new ActivationRange(values.DefaultIfEmpty().Min(), values.DefaultIfEmpty().Max()).ToInt8();
            sbyte[] quantized = values
                .Select(value => (sbyte)Math.Clamp(Math.Round(value / (double)parameters.Scale, MidpointRounding.ToEven) + parameters.ZeroPoint, -128, 127))
                .ToArray();
            string data = AddInitializer(graph, TensorData.Create(names.NewName(name + "_quantized"), quantized, dims));
            string scale = AddInitializer(graph, TensorData.Create(names.NewName(name + "_scale"), new[] { parameters.Scale }, Array.Empty<long>()));
            string zeroPoint = AddInitializer(graph, TensorData.Create(names.NewName(name + "_zero_point"), new[] { (sbyte)parameters.ZeroPoint }, Array.Empty<long>()));
            string output = names.NewName(name + "_dequantized");
            graph.Node.Add(CreateNode("DequantizeLinear", names.NewName(name + "_DequantizeLinear"), new[] { data, scale, zeroPoint }, output));
            done[name] = output;
            return output;
        }

        private static string AddInitializer(GraphProto graph, TensorProto tensor)
        {
            graph.Initializer.Add(tensor);
            return tensor.Name;
        }

        private static NodeProto CreateNode(string opType, string name, string[] inputs, string output)
        {
            var node = new NodeProto { OpType = opType, Name = name };
            node.Input.Add(inputs);
            node.Output.Add(output);
            return node;
        }
    }
}
