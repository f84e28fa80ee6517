using Google.Protobuf;
using NanoInt8.Onnx.Protobuf;
using DataType = NanoInt8.Onnx.Protobuf.TensorProto.Types.DataType;

namespace NanoInt8.Onnx;

/// <summary>
/// Builds an ONNX model in code: typed inputs and outputs, initializers, nodes with attributes and
/// opset imports. Used by tests to make models for ONNX Runtime and by the quantizer to write them.
/// </summary>
/// <example>
/// <code>
/// var builder = new OnnxGraphBuilder("qdq");
/// builder.AddInput("x", TensorProto.Types.DataType.Float, 1, 8);
/// builder.AddInitializer("scale", [0.1f], []);
/// builder.AddInitializer("zero_point", [(sbyte)3], []);
/// builder.AddNode("QuantizeLinear", ["x", "scale", "zero_point"], ["q"]);
/// builder.AddNode("DequantizeLinear", ["q", "scale", "zero_point"], ["y"]);
/// builder.AddOutput("y", TensorProto.Types.DataType.Float, 1, 8);
/// byte[] model = builder.ToBytes();
/// </code>
/// </example>
public sealed class OnnxGraphBuilder
{
    /// <summary>The default-domain opset a new builder imports: 21 has every quantization operator NanoInt8 reads.</summary>
    public const long DefaultOpsetVersion = 21;

    /// <summary>The IR version a new builder writes: version 10 is the one that goes with opset 21.</summary>
    public const long DefaultIrVersion = 10;

    private readonly GraphProto _graph;
    private readonly List<OperatorSetIdProto> _opsetImports = [];
    private readonly List<OnnxNodeBuilder> _nodes = [];
    private readonly List<StringStringEntryProto> _metadata = [];

    /// <summary>Starts an empty graph that imports the default ONNX domain at the given version.</summary>
    /// <param name="graphName">The graph name.</param>
    /// <param name="opsetVersion">The version of the default ("ai.onnx") operator set.</param>
    public OnnxGraphBuilder(string graphName = "main", long opsetVersion = DefaultOpsetVersion)
    {
        ArgumentNullException.ThrowIfNull(graphName);
        _graph = new GraphProto { Name = graphName };
        AddOpsetImport(string.Empty, opsetVersion);
    }

    /// <summary>The ONNX IR version written to the model.</summary>
    public long IrVersion { get; set; } = DefaultIrVersion;

    /// <summary>The producer name written to the model.</summary>
    public string ProducerName { get; set; } = "NanoInt8";

    /// <summary>Imports an operator set, or changes the version of one already imported.</summary>
    /// <param name="domain">The domain: "" for the default ONNX operators, "com.microsoft" for the contrib operators.</param>
    /// <param name="version">The operator set version.</param>
    /// <returns>This builder.</returns>
    public OnnxGraphBuilder AddOpsetImport(string domain, long version)
    {
        ArgumentNullException.ThrowIfNull(domain);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(version);
        _opsetImports.RemoveAll(import => import.Domain == domain);
        _opsetImports.Add(new OperatorSetIdProto { Domain = domain, Version = version });
        return this;
    }

    /// <summary>Adds an entry to the model's metadata_props (key-value strings), e.g. "labels".</summary>
    /// <param name="key">The key; each key at most once.</param>
    /// <param name="value">The value.</param>
    /// <returns>This builder.</returns>
    public OnnxGraphBuilder AddMetadata(string key, string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentNullException.ThrowIfNull(value);
        if (_metadata.Any(entry => entry.Key == key))
        {
            throw new ArgumentException($"The metadata key '{key}' is already set.", nameof(key));
        }

        _metadata.Add(new StringStringEntryProto { Key = key, Value = value });
        return this;
    }

    /// <summary>Adds a tensor graph input.</summary>
    /// <param name="name">The input name.</param>
    /// <param name="elementType">The element type.</param>
    /// <param name="shape">The dimensions (numbers or <see cref="OnnxDimension.Symbolic"/>); none for a scalar, null for unknown rank.</param>
    /// <returns>This builder.</returns>
    public OnnxGraphBuilder AddInput(string name, DataType elementType, params OnnxDimension[]? shape)
    {
        RequireNewName(name, "input");
        _graph.Input.Add(CreateValueInfo(name, elementType, shape));
        return this;
    }

    /// <summary>Adds a tensor graph output (the value must be produced by a node or be an input or initializer).</summary>
    /// <param name="name">The output name.</param>
    /// <param name="elementType">The element type.</param>
    /// <param name="shape">The dimensions (numbers or <see cref="OnnxDimension.Symbolic"/>); none for a scalar, null for unknown rank.</param>
    /// <returns>This builder.</returns>
    public OnnxGraphBuilder AddOutput(string name, DataType elementType, params OnnxDimension[]? shape)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (_graph.Output.Any(output => output.Name == name))
        {
            throw new ArgumentException($"The graph already has an output named '{name}'.", nameof(name));
        }

        _graph.Output.Add(CreateValueInfo(name, elementType, shape));
        return this;
    }

    /// <summary>Adds a FLOAT initializer.</summary>
    /// <param name="name">The initializer name.</param>
    /// <param name="values">The elements, row-major.</param>
    /// <param name="dims">The dimensions; empty for a scalar.</param>
    /// <returns>This builder.</returns>
    public OnnxGraphBuilder AddInitializer(string name, float[] values, long[] dims) => AddInitializer(TensorData.Create(name, values, dims));

    /// <summary>Adds an INT8 initializer.</summary>
    /// <param name="name">The initializer name.</param>
    /// <param name="values">The elements, row-major.</param>
    /// <param name="dims">The dimensions; empty for a scalar.</param>
    /// <returns>This builder.</returns>
    public OnnxGraphBuilder AddInitializer(string name, sbyte[] values, long[] dims) => AddInitializer(TensorData.Create(name, values, dims));

    /// <summary>Adds a UINT8 initializer.</summary>
    /// <param name="name">The initializer name.</param>
    /// <param name="values">The elements, row-major.</param>
    /// <param name="dims">The dimensions; empty for a scalar.</param>
    /// <returns>This builder.</returns>
    public OnnxGraphBuilder AddInitializer(string name, byte[] values, long[] dims) => AddInitializer(TensorData.Create(name, values, dims));

    /// <summary>Adds an INT32 initializer.</summary>
    /// <param name="name">The initializer name.</param>
    /// <param name="values">The elements, row-major.</param>
    /// <param name="dims">The dimensions; empty for a scalar.</param>
    /// <returns>This builder.</returns>
    public OnnxGraphBuilder AddInitializer(string name, int[] values, long[] dims) => AddInitializer(TensorData.Create(name, values, dims));

    /// <summary>Adds an INT64 initializer.</summary>
    /// <param name="name">The initializer name.</param>
    /// <param name="values">The elements, row-major.</param>
    /// <param name="dims">The dimensions; empty for a scalar.</param>
    /// <returns>This builder.</returns>
    public OnnxGraphBuilder AddInitializer(string name, long[] values, long[] dims) => AddInitializer(TensorData.Create(name, values, dims));

    /// <summary>Adds a ready-made tensor as an initializer; its name is the initializer name.</summary>
    /// <param name="tensor">The tensor (kept, not copied).</param>
    /// <returns>This builder.</returns>
    public OnnxGraphBuilder AddInitializer(TensorProto tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        RequireNewName(tensor.Name, "initializer");
        _graph.Initializer.Add(tensor);
        return this;
    }

    /// <summary>
    /// Appends a node. Nodes must be added in topological order. Attributes, a name and a domain
    /// are set on the returned node builder.
    /// </summary>
    /// <param name="opType">The operator, e.g. "QLinearConv".</param>
    /// <param name="inputs">Input value names; "" marks an omitted optional input.</param>
    /// <param name="outputs">Output value names.</param>
    /// <returns>The node builder, for attributes.</returns>
    public OnnxNodeBuilder AddNode(string opType, IEnumerable<string> inputs, IEnumerable<string> outputs)
    {
        ArgumentException.ThrowIfNullOrEmpty(opType);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(outputs);
        var node = new NodeProto { OpType = opType, Name = $"{opType}_{_nodes.Count}" };
        node.Input.Add(inputs);
        node.Output.Add(outputs);
        var builder = new OnnxNodeBuilder(node);
        _nodes.Add(builder);
        return builder;
    }

    /// <summary>
    /// Builds the model after checking that every node input and graph output names a graph
    /// input, an initializer or an output of an earlier node.
    /// </summary>
    /// <returns>A new ModelProto; later changes to the builder do not affect it.</returns>
    /// <exception cref="InvalidOperationException">A value is used before it is defined, or defined twice.</exception>
    public ModelProto Build()
    {
        var defined = new HashSet<string>(StringComparer.Ordinal);
        defined.UnionWith(_graph.Input.Select(input => input.Name));
        defined.UnionWith(_graph.Initializer.Select(initializer => initializer.Name));
        foreach (OnnxNodeBuilder node in _nodes)
        {
            foreach (string input in node.Proto.Input)
            {
                if (input.Length > 0 && !defined.Contains(input))
                {
                    throw new InvalidOperationException(
                        $"Node '{node.Proto.Name}' ({node.Proto.OpType}) reads '{input}', which is not a graph input, an initializer or an output of an earlier node.");
                }
            }

            foreach (string output in node.Proto.Output)
            {
                if (output.Length > 0 && !defined.Add(output))
                {
                    throw new InvalidOperationException($"Node '{node.Proto.Name}' ({node.Proto.OpType}) writes '{output}', which is already defined.");
                }
            }
        }

        foreach (ValueInfoProto output in _graph.Output)
        {
            if (!defined.Contains(output.Name))
            {
                throw new InvalidOperationException($"Graph output '{output.Name}' is not produced by any node, input or initializer.");
            }
        }

        GraphProto graph = _graph.Clone();
        graph.Node.Add(_nodes.Select(node => node.Proto.Clone()));
        var model = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = ProducerName,
            Graph = graph,
        };
        model.OpsetImport.Add(_opsetImports.Select(import => import.Clone()));
        model.MetadataProps.Add(_metadata.Select(entry => entry.Clone()));
        return model;
    }

    /// <summary>Builds the model and serializes it as an .onnx file's bytes.</summary>
    /// <exception cref="InvalidOperationException">The graph is inconsistent (see <see cref="Build"/>).</exception>
    public byte[] ToBytes() => Build().ToByteArray();

    /// <summary>Builds the model and writes it to an .onnx file.</summary>
    /// <param name="path">The file to create or overwrite.</param>
    /// <exception cref="InvalidOperationException">The graph is inconsistent (see <see cref="Build"/>).</exception>
    public void Save(string path) => File.WriteAllBytes(path, ToBytes());

    private static ValueInfoProto CreateValueInfo(string name, DataType elementType, OnnxDimension[]? shape)
    {
        var tensorType = new TypeProto.Types.Tensor { ElemType = (int)elementType };
        if (shape is not null)
        {
            tensorType.Shape = new TensorShapeProto();
            tensorType.Shape.Dim.Add(shape.Select(dimension => dimension.ToProto()));
        }

        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = tensorType } };
    }

    private void RequireNewName(string name, string kind)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (_graph.Input.Any(input => input.Name == name) || _graph.Initializer.Any(initializer => initializer.Name == name))
        {
            throw new ArgumentException($"Cannot add {kind} '{name}': the graph already has an input or initializer of that name.", nameof(name));
        }
    }
}

/// <summary>Sets the name, domain and attributes of a node added by <see cref="OnnxGraphBuilder.AddNode"/>.</summary>
public sealed class OnnxNodeBuilder
{
    internal OnnxNodeBuilder(NodeProto proto)
    {
        Proto = proto;
    }

    /// <summary>The node being built.</summary>
    public NodeProto Proto { get; }

    /// <summary>Names the node (by default "{opType}_{index}").</summary>
    /// <param name="name">The node name.</param>
    /// <returns>This node builder.</returns>
    public OnnxNodeBuilder WithName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        Proto.Name = name;
        return this;
    }

    /// <summary>Sets the operator domain, e.g. "com.microsoft" (by default the ONNX domain).</summary>
    /// <param name="domain">The domain.</param>
    /// <returns>This node builder.</returns>
    public OnnxNodeBuilder WithDomain(string domain)
    {
        ArgumentNullException.ThrowIfNull(domain);
        Proto.Domain = domain;
        return this;
    }

    /// <summary>Adds an INT attribute.</summary>
    /// <param name="name">The attribute name.</param>
    /// <param name="value">The value.</param>
    /// <returns>This node builder.</returns>
    public OnnxNodeBuilder WithInt(string name, long value) =>
        With(new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value });

    /// <summary>Adds an INTS attribute.</summary>
    /// <param name="name">The attribute name.</param>
    /// <param name="values">The values.</param>
    /// <returns>This node builder.</returns>
    public OnnxNodeBuilder WithInts(string name, params long[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.Add(values);
        return With(attribute);
    }

    /// <summary>Adds a FLOAT attribute.</summary>
    /// <param name="name">The attribute name.</param>
    /// <param name="value">The value.</param>
    /// <returns>This node builder.</returns>
    public OnnxNodeBuilder WithFloat(string name, float value) =>
        With(new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value });

    /// <summary>Adds a FLOATS attribute.</summary>
    /// <param name="name">The attribute name.</param>
    /// <param name="values">The values.</param>
    /// <returns>This node builder.</returns>
    public OnnxNodeBuilder WithFloats(string name, params float[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Floats };
        attribute.Floats.Add(values);
        return With(attribute);
    }

    /// <summary>Adds a STRING attribute (stored as UTF-8).</summary>
    /// <param name="name">The attribute name.</param>
    /// <param name="value">The value.</param>
    /// <returns>This node builder.</returns>
    public OnnxNodeBuilder WithString(string name, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return With(new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(value) });
    }

    /// <summary>Adds a TENSOR attribute, e.g. the value of a Constant node.</summary>
    /// <param name="name">The attribute name.</param>
    /// <param name="value">The tensor (kept, not copied).</param>
    /// <returns>This node builder.</returns>
    public OnnxNodeBuilder WithTensor(string name, TensorProto value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return With(new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Tensor, T = value });
    }

    private OnnxNodeBuilder With(AttributeProto attribute)
    {
        ArgumentException.ThrowIfNullOrEmpty(attribute.Name);
        if (Proto.Attribute.Any(existing => existing.Name == attribute.Name))
        {
            throw new ArgumentException($"Node '{Proto.Name}' already has an attribute named '{attribute.Name}'.", nameof(attribute));
        }

        Proto.Attribute.Add(attribute);
        return this;
    }
}
