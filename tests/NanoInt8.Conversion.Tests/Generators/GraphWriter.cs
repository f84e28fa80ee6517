using NanoInt8.Onnx;
using DataType = NanoInt8.Onnx.Protobuf.TensorProto.Types.DataType;

namespace NanoInt8.Conversion.Tests.Generators;

/// <summary>
/// What the QDQ and operator-format writers share: the graph builder, unique value names,
/// quantization parameter initializers and the record of graph inputs and outputs.
/// </summary>
internal abstract class GraphWriter
{
    private readonly List<GeneratedTensor> _inputs = [];
    private readonly List<GeneratedTensor> _outputs = [];
    private int _nameCounter;

    protected GraphWriter(long opset)
    {
        Opset = opset;
        Graph = new OnnxGraphBuilder("generated", opset)
        {
            // IR 7 is what exporters write for opset 13; IR 10 goes with opset 21.
            IrVersion = opset >= 21 ? 10 : 7,
            ProducerName = "NanoInt8.Conversion.Tests",
        };
    }

    /// <summary>The graph being written.</summary>
    public OnnxGraphBuilder Graph { get; }

    /// <summary>The default-domain opset version.</summary>
    public long Opset { get; }

    /// <summary>The graph inputs written so far.</summary>
    public IReadOnlyList<GeneratedTensor> Inputs => _inputs;

    /// <summary>The graph outputs written so far.</summary>
    public IReadOnlyList<GeneratedTensor> Outputs => _outputs;

    /// <summary>A value name not used before, e.g. "conv_3".</summary>
    public string NewName(string prefix) => $"{prefix}_{_nameCounter++}";

    /// <summary>Adds the scale (float scalar) and zero point (int8/uint8 scalar) initializers of <paramref name="quantization"/>.</summary>
    public (string Scale, string ZeroPoint) AddParameters(Quantization quantization, string prefix = "q")
    {
        string scale = NewName(prefix + "_scale");
        string zeroPoint = NewName(prefix + "_zero_point");
        Graph.AddInitializer(scale, [quantization.Scale], []);
        AddZeroPoints(zeroPoint, quantization.Type, [quantization.ZeroPoint], []);
        return (scale, zeroPoint);
    }

    /// <summary>Adds an int8 or uint8 initializer from int values (which must fit the type).</summary>
    public void AddZeroPoints(string name, QuantizedType type, int[] values, long[] dims)
    {
        if (type == QuantizedType.Int8)
        {
            Graph.AddInitializer(name, values.Select(value => checked((sbyte)value)).ToArray(), dims);
        }
        else
        {
            Graph.AddInitializer(name, values.Select(value => checked((byte)value)).ToArray(), dims);
        }
    }

    /// <summary>Adds an int64 initializer (shapes, pads).</summary>
    public string AddInt64(string prefix, long[] values)
    {
        string name = NewName(prefix);
        Graph.AddInitializer(name, values, [values.Length]);
        return name;
    }

    /// <summary>Adds a float scalar initializer.</summary>
    public string AddFloatScalar(string prefix, float value)
    {
        string name = NewName(prefix);
        Graph.AddInitializer(name, [value], []);
        return name;
    }

    /// <summary>Records a graph input.</summary>
    protected void RecordInput(GeneratedTensor input)
    {
        Graph.AddInput(input.Name, input.ElementType switch
        {
            NpyType.Float32 => DataType.Float,
            NpyType.Int8 => DataType.Int8,
            _ => DataType.Uint8,
        }, Dimensions(input.Shape));
        _inputs.Add(input);
    }

    /// <summary>Records a graph output.</summary>
    protected void RecordOutput(GeneratedTensor output)
    {
        Graph.AddOutput(output.Name, output.ElementType switch
        {
            NpyType.Float32 => DataType.Float,
            NpyType.Int8 => DataType.Int8,
            _ => DataType.Uint8,
        }, Dimensions(output.Shape));
        _outputs.Add(output);
    }

    /// <summary>An int shape as ONNX dimensions.</summary>
    protected static OnnxDimension[] Dimensions(int[] shape) => shape.Select(dimension => (OnnxDimension)dimension).ToArray();
}
