using NanoInt8.Host.Format;
using NanoInt8.Onnx;

namespace NanoInt8.Host.Execution
{
    /// <summary>
    /// A graph input or output as the source ONNX model saw it: name, shape, element type, and the
    /// quantization that maps it onto the device's int8 tensor (real = scale · (q - zeroPoint)).
    /// </summary>
    public sealed class GraphTensor
    {
        /// <summary>Creates a description.</summary>
        /// <exception cref="ArgumentException"><paramref name="labels"/> are given but not one per element of the last dimension.</exception>
        public GraphTensor(string name, int tensorIndex, IReadOnlyList<int> shape, OriginalElementType originalType, float scale, int zeroPoint,
            IReadOnlyList<string>? labels = null, RawInputEntry? rawInput = null)
        {
            ArgumentNullException.ThrowIfNull(name);
            ArgumentNullException.ThrowIfNull(shape);
            if (labels is not null && (shape.Count == 0 || labels.Count != shape[^1]))
            {
                throw new ArgumentException($"'{name}' has {(shape.Count == 0 ? 0 : shape[^1])} classes along its last dimension, not {labels.Count}.", nameof(labels));
            }

            Labels = labels;
            RawInput = rawInput;
            Name = name;
            TensorIndex = tensorIndex;
            Shape = shape;
            OriginalType = originalType;
            Scale = scale;
            ZeroPoint = zeroPoint;
        }

        /// <summary>The ONNX name (metadata key 5), or "input0", "output1" ... when the model has none.</summary>
        public string Name { get; }

        /// <summary>Index of the device tensor in the model's tensor table.</summary>
        public int TensorIndex { get; }

        /// <summary>The shape, outermost dimension first.</summary>
        public IReadOnlyList<int> Shape { get; }

        /// <summary>The element type in the source model: what callers pass in and get back.</summary>
        public OriginalElementType OriginalType { get; }

        /// <summary>Quantization scale (1 when the model has no quantization entry for the tensor).</summary>
        public float Scale { get; }

        /// <summary>
        /// Zero point of the device's int8 tensor. For a uint8 tensor this is the ONNX zero point
        /// minus 128, as the converter stores it.
        /// </summary>
        public int ZeroPoint { get; }

        /// <summary>
        /// The class names along the last dimension (metadata key 7), in index order, or null when the
        /// tensor is not a classifier output with labels.
        /// </summary>
        public IReadOnlyList<string>? Labels { get; }

        /// <summary>
        /// The integer transform from raw sensor readings to this input's int8 values (metadata key 8,
        /// hosttool convert --raw-input-scale), or null.
        /// </summary>
        public RawInputEntry? RawInput { get; }

        /// <summary>
        /// The real input units per raw count that <see cref="RawInput"/> applies (the converter's
        /// --raw-input-scale up to the pair's rounding), or null without one.
        /// </summary>
        public double? RawInputScale => RawInput is RawInputEntry entry ? Quantization.RawInputEncoder.RawScale(entry, Scale) : null;

        /// <summary>The .npy element type that carries this tensor's values.</summary>
        public NpyType NpyType => ToNpyType(OriginalType);

        /// <summary>The number of elements: the product of the shape.</summary>
        public int ElementCount => Shape.Aggregate(1, (count, dimension) => count * dimension);

        /// <summary>The real values the int8 quantization represents: scale · (-128 - zeroPoint) to scale · (127 - zeroPoint).</summary>
        public (float Minimum, float Maximum) RealRange => (HostModelRunner.DequantizeLinear(sbyte.MinValue, Scale, ZeroPoint), HostModelRunner.DequantizeLinear(sbyte.MaxValue, Scale, ZeroPoint));

        /// <summary>The index of the first NaN or infinite value of a float32 array, or null (always null for an integer array).</summary>
        public static int? FirstNonFinite(NpyArray array)
        {
            ArgumentNullException.ThrowIfNull(array);
            if (array.ElementType != NpyType.Float32)
            {
                return null;
            }

            int index = Array.FindIndex(array.AsFloats(), value => !float.IsFinite(value));
            return index < 0 ? null : index;
        }

        /// <summary>The element type's lower-case name as ONNX and NumPy spell it: float32, int8, uint8.</summary>
        public static string TypeName(OriginalElementType type) => type switch
        {
            OriginalElementType.Float32 => "float32",
            OriginalElementType.Int8 => "int8",
            OriginalElementType.UInt8 => "uint8",
            _ => type.ToString(),
        };

        /// <summary>
        /// Writes the device's int8 values of <paramref name="array"/> (of this tensor's ONNX type)
        /// into <paramref name="destination"/>: float32 quantized as ONNX QuantizeLinear does,
        /// uint8 moved by -128 (the converter moved the zero point the same way), int8 as it is.
        /// </summary>
        /// <exception cref="InputMismatchException">A float value is NaN or infinite: it has no int8 value (QuantizeLinear would give NaN -128).</exception>
        public void ToDevice(NpyArray array, Span<sbyte> destination)
        {
            ArgumentNullException.ThrowIfNull(array);
            if (FirstNonFinite(array) is int element)
            {
                throw new InputMismatchException(
                    $"Input '{Name}' holds {array.AsFloats()[element].ToString(System.Globalization.CultureInfo.InvariantCulture)} at value {element}; inputs must be finite numbers.", Name);
            }

            switch (OriginalType)
            {
                case OriginalElementType.Float32:
                    float[] values = array.AsFloats();
                    for (int index = 0; index < values.Length; index++)
                    {
                        destination[index] = HostModelRunner.QuantizeLinear(values[index], Scale, ZeroPoint);
                    }

                    break;
                case OriginalElementType.UInt8:
                    byte[] unsigned = array.AsUInt8();
                    for (int index = 0; index < unsigned.Length; index++)
                    {
                        destination[index] = (sbyte)(unsigned[index] - 128);
                    }

                    break;
                default:
                    array.AsInt8().CopyTo(destination);
                    break;
            }
        }

        /// <summary>An array of this tensor's ONNX type and shape from its int8 device values (the inverse of <see cref="ToDevice"/>).</summary>
        public NpyArray FromDevice(ReadOnlySpan<sbyte> source)
        {
            int[] shape = Shape.ToArray();
            switch (OriginalType)
            {
                case OriginalElementType.Float32:
                    float[] values = new float[source.Length];
                    for (int index = 0; index < values.Length; index++)
                    {
                        values[index] = HostModelRunner.DequantizeLinear(source[index], Scale, ZeroPoint);
                    }

                    return new NpyArray(NpyType.Float32, shape, values);
                case OriginalElementType.UInt8:
                    byte[] unsigned = new byte[source.Length];
                    for (int index = 0; index < unsigned.Length; index++)
                    {
                        unsigned[index] = (byte)(source[index] + 128);
                    }

                    return new NpyArray(NpyType.UInt8, shape, unsigned);
                default:
                    return new NpyArray(NpyType.Int8, shape, source.ToArray());
            }
        }

        /// <summary>Describes the tensor, e.g. "x: float32[1, 3, 8, 8]".</summary>
        public override string ToString() => $"{Name}: {TypeName(OriginalType)}[{string.Join(", ", Shape)}]";

        internal static NpyType ToNpyType(OriginalElementType type) => type switch
        {
            OriginalElementType.Float32 => NpyType.Float32,
            OriginalElementType.Int8 => NpyType.Int8,
            OriginalElementType.UInt8 => NpyType.UInt8,
            _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown original element type."),
        };
    }
}
