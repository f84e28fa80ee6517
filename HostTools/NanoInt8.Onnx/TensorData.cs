using System.Buffers.Binary;
using Google.Protobuf;
using NanoInt8.Onnx.Protobuf;
using DataType = NanoInt8.Onnx.Protobuf.TensorProto.Types.DataType;

namespace NanoInt8.Onnx;

/// <summary>
/// Decodes <see cref="TensorProto"/> elements into typed arrays whatever the encoding, and
/// creates tensors from arrays.
/// </summary>
/// <remarks>
/// A TensorProto keeps its elements either in raw_data (fixed-width, little-endian) or in the
/// typed repeated field for its type: float_data (FLOAT), int32_data (INT32 and, one element per
/// entry, INT8, UINT8, INT16, UINT16, BOOL), int64_data (INT64), double_data (DOUBLE). When both
/// are present raw_data wins, as in ONNX Runtime. Every decoder checks that the number of
/// elements matches the dims and throws <see cref="OnnxFormatException"/> otherwise.
/// </remarks>
public static class TensorData
{
    /// <summary>The tensor's element type.</summary>
    /// <param name="tensor">The tensor.</param>
    public static DataType GetDataType(this TensorProto tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        return (DataType)tensor.DataType;
    }

    /// <summary>The number of elements the dims describe (1 for a scalar).</summary>
    /// <param name="tensor">The tensor.</param>
    /// <exception cref="OnnxFormatException">A dimension is negative or the count does not fit a .NET array.</exception>
    public static int GetElementCount(this TensorProto tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        long count = 1;
        foreach (long dimension in tensor.Dims)
        {
            if (dimension < 0)
            {
                throw new OnnxFormatException($"Tensor {Describe(tensor)} has a negative dimension in dims {FormatDims(tensor)}.");
            }

            count = Math.Min(count * Math.Min(dimension, int.MaxValue + 1L), int.MaxValue + 1L);
        }

        if (count > int.MaxValue)
        {
            throw new OnnxFormatException($"Tensor {Describe(tensor)} with dims {FormatDims(tensor)} has more elements than a .NET array holds.");
        }

        return (int)count;
    }

    /// <summary>The dims as int (the shape of an <see cref="NpyArray"/>).</summary>
    /// <param name="tensor">The tensor.</param>
    /// <exception cref="OnnxFormatException">A dimension is negative or too large.</exception>
    public static int[] GetShape(this TensorProto tensor)
    {
        GetElementCount(tensor);
        return tensor.Dims.Select(dimension => (int)dimension).ToArray();
    }

    /// <summary>Decodes a FLOAT tensor.</summary>
    /// <param name="tensor">The tensor.</param>
    /// <returns>The elements, row-major.</returns>
    /// <exception cref="OnnxFormatException">The tensor is not FLOAT, keeps its data externally, or its element count does not match the dims.</exception>
    public static float[] ToFloats(this TensorProto tensor)
    {
        int count = CheckHeader(tensor, DataType.Float);
        if (tensor.HasRawData)
        {
            ReadOnlySpan<byte> raw = RawData(tensor, count, 4);
            var values = new float[count];
            for (int index = 0; index < count; index++)
            {
                values[index] = BinaryPrimitives.ReadSingleLittleEndian(raw.Slice(index * 4));
            }

            return values;
        }

        CheckFieldCount(tensor, "float_data", tensor.FloatData.Count, count);
        return tensor.FloatData.ToArray();
    }

    /// <summary>Decodes an INT8 tensor.</summary>
    /// <param name="tensor">The tensor.</param>
    /// <returns>The elements, row-major.</returns>
    /// <exception cref="OnnxFormatException">The tensor is not INT8, keeps its data externally, its element count does not match the dims, or an int32_data entry is outside int8.</exception>
    public static sbyte[] ToInt8(this TensorProto tensor)
    {
        int count = CheckHeader(tensor, DataType.Int8);
        var values = new sbyte[count];
        if (tensor.HasRawData)
        {
            ReadOnlySpan<byte> raw = RawData(tensor, count, 1);
            for (int index = 0; index < count; index++)
            {
                values[index] = unchecked((sbyte)raw[index]);
            }

            return values;
        }

        CheckFieldCount(tensor, "int32_data", tensor.Int32Data.Count, count);
        for (int index = 0; index < count; index++)
        {
            values[index] = (sbyte)CheckRange(tensor, index, tensor.Int32Data[index], sbyte.MinValue, sbyte.MaxValue);
        }

        return values;
    }

    /// <summary>Decodes a UINT8 tensor.</summary>
    /// <param name="tensor">The tensor.</param>
    /// <returns>The elements, row-major.</returns>
    /// <exception cref="OnnxFormatException">The tensor is not UINT8, keeps its data externally, its element count does not match the dims, or an int32_data entry is outside uint8.</exception>
    public static byte[] ToUInt8(this TensorProto tensor)
    {
        int count = CheckHeader(tensor, DataType.Uint8);
        if (tensor.HasRawData)
        {
            return RawData(tensor, count, 1).ToArray();
        }

        CheckFieldCount(tensor, "int32_data", tensor.Int32Data.Count, count);
        var values = new byte[count];
        for (int index = 0; index < count; index++)
        {
            values[index] = (byte)CheckRange(tensor, index, tensor.Int32Data[index], byte.MinValue, byte.MaxValue);
        }

        return values;
    }

    /// <summary>Decodes an INT32 tensor.</summary>
    /// <param name="tensor">The tensor.</param>
    /// <returns>The elements, row-major.</returns>
    /// <exception cref="OnnxFormatException">The tensor is not INT32, keeps its data externally, or its element count does not match the dims.</exception>
    public static int[] ToInt32(this TensorProto tensor)
    {
        int count = CheckHeader(tensor, DataType.Int32);
        if (tensor.HasRawData)
        {
            ReadOnlySpan<byte> raw = RawData(tensor, count, 4);
            var values = new int[count];
            for (int index = 0; index < count; index++)
            {
                values[index] = BinaryPrimitives.ReadInt32LittleEndian(raw.Slice(index * 4));
            }

            return values;
        }

        CheckFieldCount(tensor, "int32_data", tensor.Int32Data.Count, count);
        return tensor.Int32Data.ToArray();
    }

    /// <summary>Decodes an INT64 tensor.</summary>
    /// <param name="tensor">The tensor.</param>
    /// <returns>The elements, row-major.</returns>
    /// <exception cref="OnnxFormatException">The tensor is not INT64, keeps its data externally, or its element count does not match the dims.</exception>
    public static long[] ToInt64(this TensorProto tensor)
    {
        int count = CheckHeader(tensor, DataType.Int64);
        if (tensor.HasRawData)
        {
            ReadOnlySpan<byte> raw = RawData(tensor, count, 8);
            var values = new long[count];
            for (int index = 0; index < count; index++)
            {
                values[index] = BinaryPrimitives.ReadInt64LittleEndian(raw.Slice(index * 8));
            }

            return values;
        }

        CheckFieldCount(tensor, "int64_data", tensor.Int64Data.Count, count);
        return tensor.Int64Data.ToArray();
    }

    /// <summary>Decodes a DOUBLE tensor.</summary>
    /// <param name="tensor">The tensor.</param>
    /// <returns>The elements, row-major.</returns>
    /// <exception cref="OnnxFormatException">The tensor is not DOUBLE, keeps its data externally, or its element count does not match the dims.</exception>
    public static double[] ToDoubles(this TensorProto tensor)
    {
        int count = CheckHeader(tensor, DataType.Double);
        if (tensor.HasRawData)
        {
            ReadOnlySpan<byte> raw = RawData(tensor, count, 8);
            var values = new double[count];
            for (int index = 0; index < count; index++)
            {
                values[index] = BinaryPrimitives.ReadDoubleLittleEndian(raw.Slice(index * 8));
            }

            return values;
        }

        CheckFieldCount(tensor, "double_data", tensor.DoubleData.Count, count);
        return tensor.DoubleData.ToArray();
    }

    /// <summary>Decodes a FLOAT, INT8, UINT8 or INT32 tensor into an <see cref="NpyArray"/> of the same shape.</summary>
    /// <param name="tensor">The tensor.</param>
    /// <exception cref="OnnxFormatException">The element type has no <see cref="NpyType"/>, or the data is malformed.</exception>
    public static NpyArray ToNpyArray(this TensorProto tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        int[] shape = tensor.GetShape();
        return tensor.GetDataType() switch
        {
            DataType.Float => new NpyArray(NpyType.Float32, shape, tensor.ToFloats()),
            DataType.Int8 => new NpyArray(NpyType.Int8, shape, tensor.ToInt8()),
            DataType.Uint8 => new NpyArray(NpyType.UInt8, shape, tensor.ToUInt8()),
            DataType.Int32 => new NpyArray(NpyType.Int32, shape, tensor.ToInt32()),
            DataType other => throw new OnnxFormatException(
                $"Tensor {Describe(tensor)} has element type {other}; an NpyArray holds only Float, Int8, Uint8 and Int32."),
        };
    }

    /// <summary>Creates a tensor holding an array's elements in raw_data.</summary>
    /// <param name="name">The tensor name.</param>
    /// <param name="array">The array; its shape becomes the dims.</param>
    public static TensorProto FromNpyArray(string name, NpyArray array)
    {
        ArgumentNullException.ThrowIfNull(array);
        long[] dims = array.Shape.Select(dimension => (long)dimension).ToArray();
        return array.ElementType switch
        {
            NpyType.Float32 => Create(name, array.AsFloats(), dims),
            NpyType.Int8 => Create(name, array.AsInt8(), dims),
            NpyType.UInt8 => Create(name, array.AsUInt8(), dims),
            NpyType.Int32 => Create(name, array.AsInt32(), dims),
            _ => throw new ArgumentOutOfRangeException(nameof(array), array.ElementType, "Unknown element type."),
        };
    }

    /// <summary>Creates a FLOAT tensor with its elements in raw_data.</summary>
    /// <param name="name">The tensor name.</param>
    /// <param name="values">The elements, row-major.</param>
    /// <param name="dims">The dimensions; empty for a scalar.</param>
    /// <exception cref="ArgumentException">The number of values is not the product of the dims.</exception>
    public static TensorProto Create(string name, float[] values, long[] dims)
    {
        ArgumentNullException.ThrowIfNull(values);
        var raw = new byte[values.Length * 4];
        for (int index = 0; index < values.Length; index++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(raw.AsSpan(index * 4), values[index]);
        }

        return CreateRaw(name, DataType.Float, values.Length, dims, raw);
    }

    /// <summary>Creates an INT8 tensor with its elements in raw_data.</summary>
    /// <param name="name">The tensor name.</param>
    /// <param name="values">The elements, row-major.</param>
    /// <param name="dims">The dimensions; empty for a scalar.</param>
    /// <exception cref="ArgumentException">The number of values is not the product of the dims.</exception>
    public static TensorProto Create(string name, sbyte[] values, long[] dims)
    {
        ArgumentNullException.ThrowIfNull(values);
        var raw = new byte[values.Length];
        for (int index = 0; index < values.Length; index++)
        {
            raw[index] = unchecked((byte)values[index]);
        }

        return CreateRaw(name, DataType.Int8, values.Length, dims, raw);
    }

    /// <summary>Creates a UINT8 tensor with its elements in raw_data.</summary>
    /// <param name="name">The tensor name.</param>
    /// <param name="values">The elements, row-major.</param>
    /// <param name="dims">The dimensions; empty for a scalar.</param>
    /// <exception cref="ArgumentException">The number of values is not the product of the dims.</exception>
    public static TensorProto Create(string name, byte[] values, long[] dims)
    {
        ArgumentNullException.ThrowIfNull(values);
        return CreateRaw(name, DataType.Uint8, values.Length, dims, (byte[])values.Clone());
    }

    /// <summary>Creates an INT32 tensor with its elements in raw_data.</summary>
    /// <param name="name">The tensor name.</param>
    /// <param name="values">The elements, row-major.</param>
    /// <param name="dims">The dimensions; empty for a scalar.</param>
    /// <exception cref="ArgumentException">The number of values is not the product of the dims.</exception>
    public static TensorProto Create(string name, int[] values, long[] dims)
    {
        ArgumentNullException.ThrowIfNull(values);
        var raw = new byte[values.Length * 4];
        for (int index = 0; index < values.Length; index++)
        {
            BinaryPrimitives.WriteInt32LittleEndian(raw.AsSpan(index * 4), values[index]);
        }

        return CreateRaw(name, DataType.Int32, values.Length, dims, raw);
    }

    /// <summary>Creates an INT64 tensor with its elements in raw_data.</summary>
    /// <param name="name">The tensor name.</param>
    /// <param name="values">The elements, row-major.</param>
    /// <param name="dims">The dimensions; empty for a scalar.</param>
    /// <exception cref="ArgumentException">The number of values is not the product of the dims.</exception>
    public static TensorProto Create(string name, long[] values, long[] dims)
    {
        ArgumentNullException.ThrowIfNull(values);
        var raw = new byte[values.Length * 8];
        for (int index = 0; index < values.Length; index++)
        {
            BinaryPrimitives.WriteInt64LittleEndian(raw.AsSpan(index * 8), values[index]);
        }

        return CreateRaw(name, DataType.Int64, values.Length, dims, raw);
    }

    /// <summary>True when the tensor's elements live in a file outside the model.</summary>
    /// <param name="tensor">The tensor.</param>
    public static bool HasExternalData(this TensorProto tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        return tensor.DataLocation == TensorProto.Types.DataLocation.External || tensor.ExternalData.Count > 0;
    }

    /// <summary>The external file a tensor's data lives in, if the tensor says.</summary>
    internal static string? ExternalLocation(TensorProto tensor) =>
        tensor.ExternalData.FirstOrDefault(entry => entry.Key == "location")?.Value;

    /// <summary>"'name'" or "(unnamed)", for messages.</summary>
    internal static string Describe(TensorProto tensor) => tensor.HasName && tensor.Name.Length > 0 ? $"'{tensor.Name}'" : "(unnamed)";

    private static string FormatDims(TensorProto tensor) => "[" + string.Join(", ", tensor.Dims) + "]";

    private static TensorProto CreateRaw(string name, DataType dataType, int count, long[] dims, byte[] raw)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(dims);
        long expected = 1;
        foreach (long dimension in dims)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(dimension, nameof(dims));
            expected = Math.Min(expected * Math.Min(dimension, int.MaxValue + 1L), int.MaxValue + 1L);
        }

        if (expected != count)
        {
            throw new ArgumentException(
                $"Tensor '{name}' with dims [{string.Join(", ", dims)}] needs {expected} elements, but {count} were given.",
                nameof(dims));
        }

        var tensor = new TensorProto
        {
            Name = name,
            DataType = (int)dataType,
            RawData = ByteString.CopyFrom(raw),
        };
        tensor.Dims.Add(dims);
        return tensor;
    }

    private static int CheckHeader(TensorProto tensor, DataType expected)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (tensor.HasExternalData())
        {
            throw new OnnxFormatException(
                $"Tensor {Describe(tensor)} keeps its data in an external file ('{ExternalLocation(tensor) ?? "location not given"}'); only data stored inside the model can be read.");
        }

        DataType actual = tensor.GetDataType();
        if (actual != expected)
        {
            throw new OnnxFormatException($"Tensor {Describe(tensor)} has element type {actual}, not {expected}.");
        }

        return tensor.GetElementCount();
    }

    private static ReadOnlySpan<byte> RawData(TensorProto tensor, int count, int elementSize)
    {
        ReadOnlySpan<byte> raw = tensor.RawData.Span;
        if (raw.Length != (long)count * elementSize)
        {
            throw new OnnxFormatException(
                $"Tensor {Describe(tensor)} with dims {FormatDims(tensor)} needs {count} elements ({(long)count * elementSize} bytes) but raw_data holds {raw.Length} bytes.");
        }

        return raw;
    }

    private static void CheckFieldCount(TensorProto tensor, string field, int actual, int expected)
    {
        if (actual != expected)
        {
            throw new OnnxFormatException(
                $"Tensor {Describe(tensor)} with dims {FormatDims(tensor)} needs {expected} elements but {field} holds {actual} (and there is no raw_data).");
        }
    }

    private static int CheckRange(TensorProto tensor, int index, int value, int minimum, int maximum)
    {
        if (value < minimum || value > maximum)
        {
            throw new OnnxFormatException(
                $"Tensor {Describe(tensor)} of type {tensor.GetDataType()} has int32_data[{index}] = {value}, outside [{minimum}, {maximum}].");
        }

        return value;
    }
}
