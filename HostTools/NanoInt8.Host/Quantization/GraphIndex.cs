using NanoInt8.Onnx;
using NanoInt8.Onnx.Protobuf;

namespace NanoInt8.Host.Quantization
{
    /// <summary>
    /// Who produces and who reads each tensor of a graph being rewritten, its initializers by name,
    /// and fresh names that collide with nothing in it. Built once per step of a rewrite; a change to
    /// the graph needs a new index.
    /// </summary>
    internal sealed class GraphIndex
    {
        private readonly Dictionary<string, NodeProto> _producers = new(StringComparer.Ordinal);
        private readonly Dictionary<string, List<NodeProto>> _consumers = new(StringComparer.Ordinal);
        private readonly HashSet<string> _usedNames = new(StringComparer.Ordinal);

        public GraphIndex(GraphProto graph)
        {
            Graph = graph;
            Initializers = new Dictionary<string, TensorProto>(StringComparer.Ordinal);
            foreach (TensorProto initializer in graph.Initializer)
            {
                Initializers[initializer.Name] = initializer;
                _usedNames.Add(initializer.Name);
            }

            GraphOutputs = new HashSet<string>(graph.Output.Select(output => output.Name), StringComparer.Ordinal);
            _usedNames.UnionWith(GraphOutputs);
            _usedNames.UnionWith(graph.Input.Select(input => input.Name));
            foreach (NodeProto node in graph.Node)
            {
                _usedNames.Add(node.Name);
                foreach (string output in node.Output.Where(output => output.Length > 0))
                {
                    _producers[output] = node;
                    _usedNames.Add(output);
                }

                foreach (string input in node.Input.Where(input => input.Length > 0))
                {
                    if (!_consumers.TryGetValue(input, out List<NodeProto>? readers))
                    {
                        readers = new List<NodeProto>();
                        _consumers[input] = readers;
                    }

                    readers.Add(node);
                }
            }

            Inputs = graph.Input.Select(input => input.Name).Where(name => !Initializers.ContainsKey(name)).ToArray();
        }

        public GraphProto Graph { get; }

        public Dictionary<string, TensorProto> Initializers { get; }

        public HashSet<string> GraphOutputs { get; }

        /// <summary>Graph inputs that are not initializers.</summary>
        public IReadOnlyList<string> Inputs { get; }

        public NodeProto? Producer(string tensor) => _producers.GetValueOrDefault(tensor);

        public IReadOnlyList<NodeProto> Consumers(string tensor) =>
            _consumers.TryGetValue(tensor, out List<NodeProto>? readers) ? readers : Array.Empty<NodeProto>();

        /// <summary>A float initializer's values and dims, or null when the tensor is not a float initializer.</summary>
        public (float[] Values, long[] Dims)? FloatConstant(string tensor)
        {
            if (tensor.Length == 0 || !Initializers.TryGetValue(tensor, out TensorProto? initializer)
                || initializer.GetDataType() != TensorProto.Types.DataType.Float)
            {
                return null;
            }

            return (initializer.ToFloats(), initializer.Dims.ToArray());
        }

        /// <summary>A name not yet used by any tensor or node: <paramref name="wanted"/>, or it with a number appended.</summary>
        public string NewName(string wanted)
        {
            string name = wanted;
            for (int suffix = 2; !_usedNames.Add(name); suffix++)
            {
                name = $"{wanted}_{suffix}";
            }

            return name;
        }

        /// <summary>"node 'conv1' (Conv)" or "a Conv node", for messages.</summary>
        public static string Describe(NodeProto node) =>
            node.Name.Length > 0 ? $"node '{node.Name}' ({node.OpType})" : $"a {node.OpType} node";
    }
}
