using NanoInt8.Onnx;
using NanoInt8.Onnx.Protobuf;
using DataType = NanoInt8.Onnx.Protobuf.TensorProto.Types.DataType;

namespace NanoInt8.Host.Conversion
{
    /// <summary>
    /// The ONNX graph prepared for conversion: every Constant node and constant subgraph folded
    /// into a constant (Shape/Gather/Concat chains that compute reshape targets, Cast, Squeeze,
    /// ...), and the static shape of every tensor inferred. Symbolic batch dimensions of graph
    /// inputs are fixed to 1 (and said so in <see cref="Notes"/>); any other unknown dimension is
    /// refused.
    /// </summary>
    internal sealed class OnnxGraph
    {
        private readonly Dictionary<string, TensorProto> _constants = new(StringComparer.Ordinal);
        private readonly Dictionary<string, int[]> _shapes = new(StringComparer.Ordinal);
        private readonly Dictionary<string, NodeProto> _producers = new(StringComparer.Ordinal);
        private readonly Dictionary<string, List<NodeProto>> _consumers = new(StringComparer.Ordinal);
        private readonly List<NodeProto> _nodes = new();

        public OnnxGraph(OnnxModel model)
        {
            Model = model;
            DefaultOpset = model.DefaultOpsetVersion ?? 1;
            foreach (KeyValuePair<string, TensorProto> initializer in model.Initializers)
            {
                if (initializer.Value.HasExternalData())
                {
                    throw new ConversionException(
                        $"initializer '{initializer.Key}' keeps its data in an external file; save the model with all tensors inside it (onnx.save(model, path, save_as_external_data=False)).");
                }

                _constants[initializer.Key] = initializer.Value;
                _shapes[initializer.Key] = initializer.Value.GetShape();
            }

            foreach (OnnxValueInfo input in model.Inputs)
            {
                _shapes[input.Name] = ResolveInputShape(input);
            }

            foreach (NodeProto node in model.Nodes)
            {
                Prepare(node);
            }

            foreach (NodeProto node in _nodes)
            {
                foreach (string input in node.Input)
                {
                    if (input.Length == 0)
                    {
                        continue;
                    }

                    if (!_consumers.TryGetValue(input, out List<NodeProto>? list))
                    {
                        list = new List<NodeProto>();
                        _consumers[input] = list;
                    }

                    list.Add(node);
                }
            }
        }

        /// <summary>The source model.</summary>
        public OnnxModel Model { get; }

        /// <summary>Opset version of the default ONNX domain.</summary>
        public long DefaultOpset { get; }

        /// <summary>Nodes left after folding, in the model's (topological) order.</summary>
        public IReadOnlyList<NodeProto> Nodes => _nodes;

        /// <summary>Remarks for the user.</summary>
        public List<string> Notes { get; } = new();

        public bool IsConstant(string name) => _constants.ContainsKey(name);

        public TensorProto? GetConstant(string name) => _constants.TryGetValue(name, out TensorProto? value) ? value : null;

        /// <summary>The values of an int64 or int32 constant (indices, axes, sizes), or null when the tensor is no such constant.</summary>
        public long[]? GetConstantIntegers(string name)
        {
            TensorProto? constant = GetConstant(name);
            return constant?.GetDataType() switch
            {
                DataType.Int64 => constant.ToInt64(),
                DataType.Int32 => constant.ToInt32().Select(value => (long)value).ToArray(),
                _ => null,
            };
        }

        public int[] GetShape(string name)
        {
            if (!_shapes.TryGetValue(name, out int[]? shape))
            {
                NodeProto? producer = GetProducer(name);
                throw new ConversionException(
                    $"the shape of tensor '{name}' cannot be inferred" + (producer == null ? "." : $" (produced by node '{producer.Name}', {producer.OpType})."),
                    producer?.Name, producer?.OpType);
            }

            return shape;
        }

        public NodeProto? GetProducer(string name) => _producers.TryGetValue(name, out NodeProto? node) ? node : null;

        public IReadOnlyList<NodeProto> GetConsumers(string name) =>
            _consumers.TryGetValue(name, out List<NodeProto>? list) ? list : Array.Empty<NodeProto>();

        public bool IsGraphOutput(string name) => Model.Outputs.Any(output => output.Name == name);

        private int[] ResolveInputShape(OnnxValueInfo input)
        {
            if (!input.IsTensor || input.Shape == null)
            {
                throw new ConversionException($"graph input '{input.Name}' has no tensor shape; export the model with fixed input shapes.");
            }

            var shape = new int[input.Shape.Count];
            for (int i = 0; i < shape.Length; i++)
            {
                OnnxDimension dimension = input.Shape[i];
                if (dimension.IsFixed && dimension.Value > 0)
                {
                    shape[i] = checked((int)dimension.Value!.Value);
                }
                else if (i == 0)
                {
                    shape[i] = 1;
                    Notes.Add($"graph input '{input.Name}': dynamic batch dimension '{dimension}' fixed to 1.");
                }
                else
                {
                    throw new ConversionException(
                        $"graph input '{input.Name}' has a dynamic dimension '{dimension}' at axis {i}; export the model with fixed input shapes (only the batch dimension may be dynamic).");
                }
            }

            return shape;
        }

        private void Prepare(NodeProto node)
        {
            if (node.OpType == "Constant" && node.Domain.Length == 0)
            {
                _constants[node.Output[0]] = ConstantValue(node);
                _shapes[node.Output[0]] = _constants[node.Output[0]].GetShape();
                return;
            }

            if (node.Domain.Length == 0 && ConstantFolder.TryFold(this, node, out TensorProto? folded))
            {
                _constants[node.Output[0]] = folded!;
                _shapes[node.Output[0]] = folded!.GetShape();
                return;
            }

            _nodes.Add(node);
            foreach (string output in node.Output)
            {
                if (output.Length > 0)
                {
                    _producers[output] = node;
                }
            }

            int[]?[] shapes = ShapeInference.Infer(this, node);
            for (int i = 0; i < shapes.Length && i < node.Output.Count; i++)
            {
                if (shapes[i] != null && node.Output[i].Length > 0)
                {
                    _shapes[node.Output[i]] = shapes[i]!;
                }
            }
        }

        private static TensorProto ConstantValue(NodeProto node)
        {
            AttributeProto? attribute = node.Attribute.FirstOrDefault();
            if (attribute == null)
            {
                throw new ConversionException($"Constant node '{node.Name}' has no value.", node.Name, node.OpType);
            }

            switch (attribute.Name)
            {
                case "value":
                    if (attribute.T.HasExternalData())
                    {
                        throw new ConversionException($"Constant node '{node.Name}' keeps its data in an external file.", node.Name, node.OpType);
                    }

                    return attribute.T;
                case "value_float":
                    return TensorData.Create(node.Output[0], new[] { attribute.F }, Array.Empty<long>());
                case "value_floats":
                    return TensorData.Create(node.Output[0], attribute.Floats.ToArray(), new long[] { attribute.Floats.Count });
                case "value_int":
                    return TensorData.Create(node.Output[0], new[] { attribute.I }, Array.Empty<long>());
                case "value_ints":
                    return TensorData.Create(node.Output[0], attribute.Ints.ToArray(), new long[] { attribute.Ints.Count });
                default:
                    throw new ConversionException($"Constant node '{node.Name}' uses '{attribute.Name}', which is not supported.", node.Name, node.OpType);
            }
        }

        /// <summary>The element type of a tensor when it is known (constants, graph inputs, quantize outputs).</summary>
        public DataType? GetElementType(string name)
        {
            if (_constants.TryGetValue(name, out TensorProto? constant))
            {
                return constant.GetDataType();
            }

            OnnxValueInfo? input = Model.Inputs.FirstOrDefault(i => i.Name == name);
            return input?.ElementType;
        }
    }
}
