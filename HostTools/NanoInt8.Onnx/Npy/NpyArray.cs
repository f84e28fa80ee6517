namespace NanoInt8.Onnx;

/// <summary>The element types an <see cref="NpyArray"/> holds.</summary>
public enum NpyType
{
    /// <summary>32-bit IEEE float, NumPy dtype '&lt;f4', held as <see cref="float"/>[].</summary>
    Float32,

    /// <summary>Signed 8-bit integer, NumPy dtype '|i1', held as <see cref="sbyte"/>[].</summary>
    Int8,

    /// <summary>Unsigned 8-bit integer, NumPy dtype '|u1', held as <see cref="byte"/>[].</summary>
    UInt8,

    /// <summary>Signed 32-bit integer, NumPy dtype '&lt;i4', held as <see cref="int"/>[].</summary>
    Int32,
}

/// <summary>
/// A dense, row-major (C order) n-dimensional array: the in-memory form of a NumPy .npy file and
/// the currency for model inputs and outputs. A scalar has an empty shape and one element.
/// </summary>
public sealed class NpyArray
{
    /// <summary>Creates an array after checking that the data matches the type and the shape.</summary>
    /// <param name="elementType">The element type.</param>
    /// <param name="shape">The dimensions, outermost first; empty for a scalar. Each must be 0 or more.</param>
    /// <param name="data">
    /// The elements in row-major order: <see cref="float"/>[] for <see cref="NpyType.Float32"/>,
    /// <see cref="sbyte"/>[] for Int8, <see cref="byte"/>[] for UInt8, <see cref="int"/>[] for Int32.
    /// The array is kept, not copied.
    /// </param>
    /// <exception cref="ArgumentException">The data is of the wrong CLR type or its length is not the product of the shape.</exception>
    public NpyArray(NpyType elementType, int[] shape, Array data)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(data);
        Type expectedType = ClrArrayType(elementType);
        if (data.GetType() != expectedType)
        {
            throw new ArgumentException(
                $"An {elementType} array needs its data as {expectedType.Name}, not {data.GetType().Name}.",
                nameof(data));
        }

        long expectedCount = ElementCountOf(shape);
        if (expectedCount != data.Length)
        {
            throw new ArgumentException(
                $"Shape {FormatShape(shape)} holds {expectedCount} elements but the data has {data.Length}.",
                nameof(data));
        }

        ElementType = elementType;
        Shape = shape;
        Data = data;
    }

    /// <summary>Creates a float32 array.</summary>
    /// <param name="data">The elements in row-major order; kept, not copied.</param>
    /// <param name="shape">The dimensions; when none are given the array is one-dimensional.</param>
    public NpyArray(float[] data, params int[] shape)
        : this(NpyType.Float32, ShapeOrVector(shape, data), data)
    {
    }

    /// <summary>Creates an int8 array.</summary>
    /// <param name="data">The elements in row-major order; kept, not copied.</param>
    /// <param name="shape">The dimensions; when none are given the array is one-dimensional.</param>
    public NpyArray(sbyte[] data, params int[] shape)
        : this(NpyType.Int8, ShapeOrVector(shape, data), data)
    {
    }

    /// <summary>Creates a uint8 array.</summary>
    /// <param name="data">The elements in row-major order; kept, not copied.</param>
    /// <param name="shape">The dimensions; when none are given the array is one-dimensional.</param>
    public NpyArray(byte[] data, params int[] shape)
        : this(NpyType.UInt8, ShapeOrVector(shape, data), data)
    {
    }

    /// <summary>Creates an int32 array.</summary>
    /// <param name="data">The elements in row-major order; kept, not copied.</param>
    /// <param name="shape">The dimensions; when none are given the array is one-dimensional.</param>
    public NpyArray(int[] data, params int[] shape)
        : this(NpyType.Int32, ShapeOrVector(shape, data), data)
    {
    }

    /// <summary>The element type.</summary>
    public NpyType ElementType { get; }

    /// <summary>The dimensions, outermost first; empty for a scalar.</summary>
    public int[] Shape { get; }

    /// <summary>The elements in row-major order, as the CLR array type of <see cref="ElementType"/>.</summary>
    public Array Data { get; }

    /// <summary>The number of elements (the product of the shape; 1 for a scalar).</summary>
    public int ElementCount => Data.Length;

    /// <summary>The data as float32 elements.</summary>
    /// <exception cref="InvalidOperationException">The array is not <see cref="NpyType.Float32"/>.</exception>
    public float[] AsFloats() => As<float>(NpyType.Float32);

    /// <summary>The data as int8 elements.</summary>
    /// <exception cref="InvalidOperationException">The array is not <see cref="NpyType.Int8"/>.</exception>
    public sbyte[] AsInt8() => As<sbyte>(NpyType.Int8);

    /// <summary>The data as uint8 elements.</summary>
    /// <exception cref="InvalidOperationException">The array is not <see cref="NpyType.UInt8"/>.</exception>
    public byte[] AsUInt8() => As<byte>(NpyType.UInt8);

    /// <summary>The data as int32 elements.</summary>
    /// <exception cref="InvalidOperationException">The array is not <see cref="NpyType.Int32"/>.</exception>
    public int[] AsInt32() => As<int>(NpyType.Int32);

    /// <summary>The size of one element in bytes.</summary>
    /// <param name="elementType">The element type.</param>
    public static int ElementSize(NpyType elementType) => elementType switch
    {
        NpyType.Float32 => 4,
        NpyType.Int8 => 1,
        NpyType.UInt8 => 1,
        NpyType.Int32 => 4,
        _ => throw new ArgumentOutOfRangeException(nameof(elementType), elementType, "Unknown element type."),
    };

    /// <summary>Describes the array, e.g. "Float32[2, 3]".</summary>
    public override string ToString() => $"{ElementType}{FormatShape(Shape)}";

    /// <summary>Formats a shape as "[2, 3]" ("[]" for a scalar).</summary>
    internal static string FormatShape(IEnumerable<int> shape) => "[" + string.Join(", ", shape) + "]";

    /// <summary>The product of the dimensions, checked: negative dimensions throw.</summary>
    internal static long ElementCountOf(int[] shape)
    {
        long count = 1;
        foreach (int dimension in shape)
        {
            if (dimension < 0)
            {
                throw new ArgumentException($"Shape {FormatShape(shape)} has a negative dimension.", nameof(shape));
            }

            // A .NET array holds at most int.MaxValue elements, so saturating here is enough to
            // make any larger product disagree with the data length.
            count = Math.Min(count * dimension, (long)int.MaxValue + 1);
        }

        return count;
    }

    internal static Type ClrArrayType(NpyType elementType) => elementType switch
    {
        NpyType.Float32 => typeof(float[]),
        NpyType.Int8 => typeof(sbyte[]),
        NpyType.UInt8 => typeof(byte[]),
        NpyType.Int32 => typeof(int[]),
        _ => throw new ArgumentOutOfRangeException(nameof(elementType), elementType, "Unknown element type."),
    };

    private static int[] ShapeOrVector(int[] shape, Array data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return shape is null || shape.Length == 0 ? [data.Length] : shape;
    }

    private T[] As<T>(NpyType expected)
    {
        if (ElementType != expected)
        {
            throw new InvalidOperationException($"The array holds {ElementType} elements, not {expected}.");
        }

        return (T[])Data;
    }
}
