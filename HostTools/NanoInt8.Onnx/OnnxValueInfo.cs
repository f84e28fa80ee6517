using NanoInt8.Onnx.Protobuf;

namespace NanoInt8.Onnx;

/// <summary>
/// One dimension of a tensor shape: a fixed size, a symbol such as "batch", or unknown.
/// </summary>
public readonly record struct OnnxDimension
{
    private OnnxDimension(long? value, string? parameter)
    {
        Value = value;
        Parameter = parameter;
    }

    /// <summary>The fixed size, or null when the dimension is symbolic or unknown.</summary>
    public long? Value { get; }

    /// <summary>The symbol (ONNX dim_param), or null when the dimension is fixed or unknown.</summary>
    public string? Parameter { get; }

    /// <summary>True when the dimension has a fixed size.</summary>
    public bool IsFixed => Value.HasValue;

    /// <summary>A dimension whose size is neither fixed nor named.</summary>
    public static OnnxDimension Unknown => default;

    /// <summary>A dimension of fixed size.</summary>
    /// <param name="value">The size, 0 or more.</param>
    public static OnnxDimension Fixed(long value)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(value);
        return new OnnxDimension(value, null);
    }

    /// <summary>A symbolic dimension, e.g. "batch".</summary>
    /// <param name="parameter">The symbol.</param>
    public static OnnxDimension Symbolic(string parameter)
    {
        ArgumentException.ThrowIfNullOrEmpty(parameter);
        return new OnnxDimension(null, parameter);
    }

    /// <summary>A fixed dimension from its size, so shapes can be written as plain numbers.</summary>
    /// <param name="value">The size, 0 or more.</param>
    public static implicit operator OnnxDimension(long value) => Fixed(value);

    /// <summary>The size, the symbol, or "?".</summary>
    public override string ToString() => Value?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? Parameter ?? "?";

    internal static OnnxDimension FromProto(TensorShapeProto.Types.Dimension dimension) => dimension.ValueCase switch
    {
        TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue when dimension.DimValue >= 0 => Fixed(dimension.DimValue),
        TensorShapeProto.Types.Dimension.ValueOneofCase.DimParam when dimension.DimParam.Length > 0 => Symbolic(dimension.DimParam),
        _ => Unknown,
    };

    internal TensorShapeProto.Types.Dimension ToProto()
    {
        var dimension = new TensorShapeProto.Types.Dimension();
        if (Value is long value)
        {
            dimension.DimValue = value;
        }
        else if (Parameter is not null)
        {
            dimension.DimParam = Parameter;
        }

        return dimension;
    }
}

/// <summary>
/// A graph input or output: its name and, for tensors, the element type and shape.
/// </summary>
public sealed class OnnxValueInfo
{
    /// <summary>Describes a value.</summary>
    /// <param name="name">The value's name in the graph.</param>
    /// <param name="isTensor">True when the value is a tensor.</param>
    /// <param name="elementType">The tensor element type; <see cref="TensorProto.Types.DataType.Undefined"/> when unknown or not a tensor.</param>
    /// <param name="shape">The dimensions, or null when the rank is unknown.</param>
    public OnnxValueInfo(string name, bool isTensor, TensorProto.Types.DataType elementType, IReadOnlyList<OnnxDimension>? shape)
    {
        Name = name;
        IsTensor = isTensor;
        ElementType = elementType;
        Shape = shape;
    }

    /// <summary>The value's name in the graph.</summary>
    public string Name { get; }

    /// <summary>True when the value is a tensor (not a sequence, map or untyped value).</summary>
    public bool IsTensor { get; }

    /// <summary>The tensor element type; <see cref="TensorProto.Types.DataType.Undefined"/> when unknown or not a tensor.</summary>
    public TensorProto.Types.DataType ElementType { get; }

    /// <summary>The dimensions (each fixed, symbolic or unknown), or null when the rank is unknown.</summary>
    public IReadOnlyList<OnnxDimension>? Shape { get; }

    /// <summary>Describes the value, e.g. "x: Float[batch, 3]".</summary>
    public override string ToString()
    {
        if (!IsTensor)
        {
            return $"{Name}: (not a tensor)";
        }

        string shape = Shape is null ? "[?...]" : "[" + string.Join(", ", Shape) + "]";
        return $"{Name}: {ElementType}{shape}";
    }

    internal static OnnxValueInfo FromProto(ValueInfoProto proto)
    {
        if (proto.Type is not { ValueCase: TypeProto.ValueOneofCase.TensorType } type)
        {
            return new OnnxValueInfo(proto.Name, isTensor: false, TensorProto.Types.DataType.Undefined, shape: null);
        }

        TypeProto.Types.Tensor tensor = type.TensorType;
        IReadOnlyList<OnnxDimension>? shape = tensor.Shape is null
            ? null
            : tensor.Shape.Dim.Select(OnnxDimension.FromProto).ToArray();
        return new OnnxValueInfo(proto.Name, isTensor: true, (TensorProto.Types.DataType)tensor.ElemType, shape);
    }
}
