using Google.Protobuf;
using NanoInt8.Onnx.Protobuf;

namespace NanoInt8.Onnx;

/// <summary>
/// A loaded, checked ONNX model: the protobuf plus the views a converter needs (opset versions,
/// typed graph inputs and outputs, initializers by name, nodes).
/// </summary>
/// <remarks>
/// Loading checks that the bytes are a protobuf ModelProto, that they look like an ONNX model
/// (ir_version, graph or opset_import present), that there is a graph, that initializer names
/// are unique, and that no tensor (initializer, or tensor attribute in any subgraph) keeps its
/// data in an external file: NanoInt8 reads self-contained models only.
/// </remarks>
public sealed class OnnxModel
{
    /// <summary>The ONNX domain of Microsoft's contrib operators (QLinearAdd, QGemm ...).</summary>
    public const string MicrosoftDomain = "com.microsoft";

    private readonly Dictionary<string, TensorProto> _initializers;

    private OnnxModel(ModelProto proto, Dictionary<string, TensorProto> initializers)
    {
        Proto = proto;
        _initializers = initializers;
        Inputs = proto.Graph.Input
            .Where(input => !initializers.ContainsKey(input.Name))
            .Select(OnnxValueInfo.FromProto)
            .ToArray();
        Outputs = proto.Graph.Output.Select(OnnxValueInfo.FromProto).ToArray();
    }

    /// <summary>The model's protobuf, for anything the accessors do not cover.</summary>
    public ModelProto Proto { get; }

    /// <summary>The main graph.</summary>
    public GraphProto Graph => Proto.Graph;

    /// <summary>The ONNX IR version the file declares (0 when absent).</summary>
    public long IrVersion => Proto.IrVersion;

    /// <summary>The opset version of the default ONNX domain ("" or "ai.onnx"), or null when not imported.</summary>
    public long? DefaultOpsetVersion => GetOpsetVersion(string.Empty);

    /// <summary>The opset version of the com.microsoft domain, or null when not imported.</summary>
    public long? MicrosoftOpsetVersion => GetOpsetVersion(MicrosoftDomain);

    /// <summary>
    /// The graph inputs a caller must feed, in graph order: graph inputs that are not also
    /// initializers (models of IR version 3 and older list every initializer as an input too).
    /// </summary>
    public IReadOnlyList<OnnxValueInfo> Inputs { get; }

    /// <summary>The graph outputs, in graph order.</summary>
    public IReadOnlyList<OnnxValueInfo> Outputs { get; }

    /// <summary>The initializers (constant tensors) by name.</summary>
    public IReadOnlyDictionary<string, TensorProto> Initializers => _initializers;

    /// <summary>The model's metadata_props, key-value strings (a key given twice keeps its last value).</summary>
    public IReadOnlyDictionary<string, string> Metadata =>
        Proto.MetadataProps.GroupBy(entry => entry.Key, StringComparer.Ordinal).ToDictionary(group => group.Key, group => group.Last().Value, StringComparer.Ordinal);

    /// <summary>The nodes of the main graph, in the file's (topological) order.</summary>
    public IReadOnlyList<NodeProto> Nodes => Proto.Graph.Node;

    /// <summary>Loads and checks a model file.</summary>
    /// <param name="path">The .onnx file.</param>
    /// <exception cref="OnnxFormatException">The file is not a usable ONNX model; the message names the file.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static OnnxModel Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Load(File.ReadAllBytes(path), path);
    }

    /// <summary>Loads and checks a model from the bytes of an .onnx file.</summary>
    /// <param name="bytes">The serialized ModelProto.</param>
    /// <exception cref="OnnxFormatException">The bytes are not a usable ONNX model.</exception>
    public static OnnxModel Load(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        return Load(bytes, "The model");
    }

    /// <summary>The version of an imported operator set, or null when the model does not import it.</summary>
    /// <param name="domain">The domain; "" and "ai.onnx" both mean the default ONNX operator set.</param>
    public long? GetOpsetVersion(string domain)
    {
        ArgumentNullException.ThrowIfNull(domain);
        string wanted = NormalizeDomain(domain);
        long? version = null;
        foreach (OperatorSetIdProto import in Proto.OpsetImport)
        {
            if (NormalizeDomain(import.Domain) == wanted)
            {
                version = Math.Max(version ?? 0, import.Version);
            }
        }

        return version;
    }

    /// <summary>The initializer with the given name.</summary>
    /// <param name="name">The initializer name.</param>
    /// <exception cref="OnnxFormatException">The graph has no initializer of that name (e.g. a scale fed as a graph input).</exception>
    public TensorProto GetInitializer(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _initializers.TryGetValue(name, out TensorProto? tensor)
            ? tensor
            : throw new OnnxFormatException($"The graph has no initializer named '{name}'; a constant was expected there.");
    }

    /// <summary>Looks up an initializer by name.</summary>
    /// <param name="name">The initializer name.</param>
    /// <param name="tensor">The initializer, when found.</param>
    /// <returns>True when the graph has an initializer of that name.</returns>
    public bool TryGetInitializer(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out TensorProto? tensor)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _initializers.TryGetValue(name, out tensor);
    }

    /// <summary>The model serialized as an .onnx file.</summary>
    public byte[] ToBytes() => Proto.ToByteArray();

    private static OnnxModel Load(byte[] bytes, string source)
    {
        ModelProto proto;
        try
        {
            proto = ModelProto.Parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException exception)
        {
            throw new OnnxFormatException(
                $"{source} is not an ONNX model: its {bytes.Length} bytes are not a valid protobuf message ({exception.Message}).",
                exception);
        }

        // Almost any bytes that happen to parse as protobuf carry none of these three fields.
        if (!proto.HasIrVersion && proto.Graph is null && proto.OpsetImport.Count == 0)
        {
            throw new OnnxFormatException(
                $"{source} is not an ONNX model: it has no ir_version, no graph and no opset_import.");
        }

        if (proto.Graph is null)
        {
            throw new OnnxFormatException($"{source} has no graph: the ModelProto's graph field is missing.");
        }

        RejectExternalData(proto.Graph, source, isMainGraph: true);

        var initializers = new Dictionary<string, TensorProto>(StringComparer.Ordinal);
        foreach (TensorProto initializer in proto.Graph.Initializer)
        {
            if (!initializers.TryAdd(initializer.Name, initializer))
            {
                throw new OnnxFormatException($"{source} has two initializers named '{initializer.Name}'.");
            }
        }

        return new OnnxModel(proto, initializers);
    }

    private static void RejectExternalData(GraphProto graph, string source, bool isMainGraph)
    {
        string where = isMainGraph ? string.Empty : $" of subgraph '{graph.Name}'";
        foreach (TensorProto initializer in graph.Initializer)
        {
            if (initializer.HasExternalData())
            {
                throw ExternalDataError(source, $"initializer '{initializer.Name}'{where}", initializer);
            }
        }

        foreach (NodeProto node in graph.Node)
        {
            foreach (AttributeProto attribute in node.Attribute)
            {
                IEnumerable<TensorProto> tensors = attribute.T is null ? attribute.Tensors : attribute.Tensors.Prepend(attribute.T);
                foreach (TensorProto tensor in tensors)
                {
                    if (tensor.HasExternalData())
                    {
                        throw ExternalDataError(source, $"tensor attribute '{attribute.Name}' of {NodeAttributes.DescribeNode(node)}{where}", tensor);
                    }
                }

                IEnumerable<GraphProto> subgraphs = attribute.G is null ? attribute.Graphs : attribute.Graphs.Prepend(attribute.G);
                foreach (GraphProto subgraph in subgraphs)
                {
                    RejectExternalData(subgraph, source, isMainGraph: false);
                }
            }
        }
    }

    private static OnnxFormatException ExternalDataError(string source, string what, TensorProto tensor) =>
        new($"{source} keeps the data of {what} in an external file ('{TensorData.ExternalLocation(tensor) ?? "location not given"}'). " +
            "NanoInt8 reads self-contained models only: save the model with its data inside the .onnx file " +
            "(onnx.save_model(model, path, save_as_external_data=False)).");

    private static string NormalizeDomain(string domain) => domain == "ai.onnx" ? string.Empty : domain;
}
