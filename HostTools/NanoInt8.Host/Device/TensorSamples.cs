using System.Globalization;
using NanoInt8.Host.Execution;
using NanoInt8.Host.Files;
using NanoInt8.Host.Format;
using NanoInt8.Onnx;

namespace NanoInt8.Host.Device
{
    /// <summary>
    /// Input files holding one or more samples of a graph input, and output arrays stacked from
    /// several samples.
    /// </summary>
    /// <remarks>
    /// An .npy file holds one sample when its shape is the input's shape, or N samples when it
    /// has one more leading dimension N, or, for an input whose first dimension is a batch of 1,
    /// when that 1 is replaced by N. A .csv file holds one sample per row (every row exactly the
    /// input's element count, row-major) or one sample as a flat list (the numbers of all rows
    /// together); numbers are separated by commas, tabs or spaces with a decimal point, or by
    /// semicolons with a decimal comma (<see cref="CsvNumbers"/>). A file must hold at least one
    /// sample, and a float32 input only finite numbers. Stacked outputs follow the same convention:
    /// one sample keeps the output's shape, N samples give [N, ...], replacing a leading batch of 1.
    /// </remarks>
    public static class TensorSamples
    {
        /// <summary>The samples of <paramref name="tensor"/> in the contents of an .npy or a .csv file (told apart by the name).</summary>
        /// <param name="tensor">The graph input.</param>
        /// <param name="fileName">The file's name: .csv files are text, anything else is .npy.</param>
        /// <param name="content">The file's bytes.</param>
        /// <exception cref="InputMismatchException">The file's values do not fit the tensor, it holds no sample, or a float value is NaN or infinite.</exception>
        /// <exception cref="NpyFormatException">The .npy file is malformed.</exception>
        public static IReadOnlyList<NpyArray> Read(GraphTensor tensor, string fileName, byte[] content)
        {
            ArgumentNullException.ThrowIfNull(tensor);
            ArgumentNullException.ThrowIfNull(fileName);
            ArgumentNullException.ThrowIfNull(content);
            IReadOnlyList<NpyArray> samples;
            if (Path.GetExtension(fileName).Equals(".csv", StringComparison.OrdinalIgnoreCase))
            {
                samples = ParseCsv(tensor, System.Text.Encoding.UTF8.GetString(content).TrimStart('\uFEFF'), Path.GetFileName(fileName));
            }
            else
            {
                NpyArray array;
                try
                {
                    array = NpyFile.Read(content);
                }
                catch (NpyFormatException exception)
                {
                    throw new NpyFormatException($"{fileName}: {exception.Message}");
                }

                samples = Split(tensor, array);
            }

            if (samples.Count == 0)
            {
                throw new InputMismatchException($"{fileName} holds no samples for input '{tensor.Name}' (it has 0 rows); give at least one.", tensor.Name);
            }

            for (int sample = 0; sample < samples.Count; sample++)
            {
                if (GraphTensor.FirstNonFinite(samples[sample]) is int element)
                {
                    float value = samples[sample].AsFloats()[element];
                    throw new InputMismatchException(
                        $"{fileName} holds {value.ToString(CultureInfo.InvariantCulture)} in sample {sample}, value {element} of input '{tensor.Name}'; inputs must be finite numbers.", tensor.Name);
                }
            }

            return samples;
        }

        /// <summary>
        /// How many float values of <paramref name="samples"/> lie outside what <paramref name="tensor"/>'s
        /// int8 quantization can represent (more than half a step beyond its range, so they are
        /// clipped), and the one farthest out; (0, 0) for an integer input.
        /// </summary>
        public static (long Count, float Farthest) CountClipped(GraphTensor tensor, IReadOnlyList<NpyArray> samples)
        {
            ArgumentNullException.ThrowIfNull(tensor);
            ArgumentNullException.ThrowIfNull(samples);
            if (tensor.OriginalType != OriginalElementType.Float32)
            {
                return (0, 0);
            }

            (float low, float high) = tensor.RealRange;
            float margin = tensor.Scale / 2;
            long count = 0;
            float farthest = 0;
            foreach (NpyArray sample in samples)
            {
                foreach (float value in sample.AsFloats())
                {
                    if (value < low - margin || value > high + margin)
                    {
                        count++;
                        farthest = Math.Abs(value) > Math.Abs(farthest) ? value : farthest;
                    }
                }
            }

            return (count, farthest);
        }

        /// <summary>The samples of <paramref name="tensor"/> in an array (see the remarks for the shapes accepted).</summary>
        /// <exception cref="InputMismatchException">The element type or the shape does not fit the tensor.</exception>
        public static IReadOnlyList<NpyArray> Split(GraphTensor tensor, NpyArray array)
        {
            ArgumentNullException.ThrowIfNull(tensor);
            ArgumentNullException.ThrowIfNull(array);
            if (array.ElementType != tensor.NpyType)
            {
                throw new InputMismatchException(
                    $"Input '{tensor.Name}' must be {GraphTensor.TypeName(tensor.OriginalType)} (its element type in the ONNX model), not {array.ElementType.ToString().ToLowerInvariant()}.", tensor.Name);
            }

            int[] shape = tensor.Shape.ToArray();
            if (array.Shape.SequenceEqual(shape))
            {
                return new[] { array };
            }

            bool extraAxis = array.Shape.Length == shape.Length + 1 && array.Shape.AsSpan(1).SequenceEqual(shape);
            bool batchReplaced = shape.Length > 0 && shape[0] == 1 && array.Shape.Length == shape.Length && array.Shape.AsSpan(1).SequenceEqual(shape.AsSpan(1));
            if (!extraAxis && !batchReplaced)
            {
                throw new InputMismatchException(
                    $"Input '{tensor.Name}' must have shape [{string.Join(", ", shape)}] (or N samples of it), not [{string.Join(", ", array.Shape)}].", tensor.Name);
            }

            int count = array.Shape[0];
            int size = tensor.ElementCount;
            NpyArray[] samples = new NpyArray[count];
            for (int sample = 0; sample < count; sample++)
            {
                Array data = Array.CreateInstance(array.Data.GetType().GetElementType()!, size);
                Array.Copy(array.Data, sample * size, data, 0, size);
                samples[sample] = new NpyArray(array.ElementType, shape, data);
            }

            return samples;
        }

        /// <summary>One array of the tensor's samples: the sample itself for one, [N, ...] for N (replacing a leading batch of 1).</summary>
        public static NpyArray Stack(GraphTensor tensor, IReadOnlyList<NpyArray> samples)
        {
            ArgumentNullException.ThrowIfNull(tensor);
            ArgumentNullException.ThrowIfNull(samples);
            if (samples.Count == 1)
            {
                return samples[0];
            }

            int[] shape = tensor.Shape.ToArray();
            int[] stacked = shape.Length > 0 && shape[0] == 1
                ? new[] { samples.Count }.Concat(shape.Skip(1)).ToArray()
                : new[] { samples.Count }.Concat(shape).ToArray();
            int size = tensor.ElementCount;
            Array data = Array.CreateInstance(ElementClrType(tensor.NpyType), size * samples.Count);
            for (int sample = 0; sample < samples.Count; sample++)
            {
                Array.Copy(samples[sample].Data, 0, data, sample * size, size);
            }

            return new NpyArray(tensor.NpyType, stacked, data);
        }

        /// <summary>Samples of <paramref name="tensor"/> from CSV text (see the remarks).</summary>
        /// <param name="tensor">The graph input.</param>
        /// <param name="text">The CSV text.</param>
        /// <param name="fileName">The file's name, for messages.</param>
        /// <exception cref="InputMismatchException">A value is not a number of the input's type, or the count does not fit.</exception>
        public static IReadOnlyList<NpyArray> ParseCsv(GraphTensor tensor, string text, string fileName)
        {
            ArgumentNullException.ThrowIfNull(tensor);
            ArgumentNullException.ThrowIfNull(text);
            List<string[]> rows = CsvNumbers.Split(text).Select(line => line.Fields).ToList();
            int size = tensor.ElementCount;
            string[] values = rows.SelectMany(row => row).ToArray();
            int count;
            if (rows.Count == 0)
            {
                count = 0;
            }
            else if (rows.Count > 1 && rows.All(row => row.Length == size))
            {
                count = rows.Count;
            }
            else if (values.Length == size)
            {
                count = 1;
            }
            else
            {
                throw new InputMismatchException(
                    $"{fileName} holds {values.Length} numbers in {rows.Count} row(s); input '{tensor.Name}' needs {size} per sample, as one row per sample or one flat list.", tensor.Name);
            }

            int[] shape = tensor.Shape.ToArray();
            NpyArray[] samples = new NpyArray[count];
            for (int sample = 0; sample < count; sample++)
            {
                samples[sample] = ParseSample(tensor, shape, values.AsSpan(sample * size, size), fileName);
            }

            return samples;
        }

        /// <summary>
        /// <paramref name="count"/> random samples of <paramref name="tensor"/>: uniform over its int8
        /// range, given in its ONNX type (a float input gets the dequantized values, which quantize
        /// back exactly, so the device and ONNX Runtime see the same numbers).
        /// </summary>
        public static IReadOnlyList<NpyArray> Random(GraphTensor tensor, int count, Random random)
        {
            ArgumentNullException.ThrowIfNull(tensor);
            ArgumentNullException.ThrowIfNull(random);
            ArgumentOutOfRangeException.ThrowIfNegative(count);
            NpyArray[] samples = new NpyArray[count];
            sbyte[] quantized = new sbyte[tensor.ElementCount];
            for (int sample = 0; sample < count; sample++)
            {
                for (int index = 0; index < quantized.Length; index++)
                {
                    quantized[index] = (sbyte)random.Next(sbyte.MinValue, sbyte.MaxValue + 1);
                }

                samples[sample] = tensor.FromDevice(quantized);
            }

            return samples;
        }

        private static NpyArray ParseSample(GraphTensor tensor, int[] shape, ReadOnlySpan<string> values, string fileName)
        {
            switch (tensor.OriginalType)
            {
                case OriginalElementType.Float32:
                    float[] floats = new float[values.Length];
                    for (int index = 0; index < floats.Length; index++)
                    {
                        floats[index] = float.TryParse(values[index], NumberStyles.Float, CultureInfo.InvariantCulture, out float value)
                            ? value
                            : throw NotANumber(tensor, values[index], fileName, "a number");
                    }

                    return new NpyArray(NpyType.Float32, shape, floats);
                case OriginalElementType.UInt8:
                    byte[] unsigned = new byte[values.Length];
                    for (int index = 0; index < unsigned.Length; index++)
                    {
                        unsigned[index] = byte.TryParse(values[index], NumberStyles.Integer, CultureInfo.InvariantCulture, out byte value)
                            ? value
                            : throw NotANumber(tensor, values[index], fileName, "a whole number from 0 to 255");
                    }

                    return new NpyArray(NpyType.UInt8, shape, unsigned);
                default:
                    sbyte[] signed = new sbyte[values.Length];
                    for (int index = 0; index < signed.Length; index++)
                    {
                        signed[index] = sbyte.TryParse(values[index], NumberStyles.Integer, CultureInfo.InvariantCulture, out sbyte value)
                            ? value
                            : throw NotANumber(tensor, values[index], fileName, "a whole number from -128 to 127");
                    }

                    return new NpyArray(NpyType.Int8, shape, signed);
            }
        }

        private static InputMismatchException NotANumber(GraphTensor tensor, string value, string fileName, string expected)
        {
            return new InputMismatchException($"{fileName}: '{value}' is not {expected} (input '{tensor.Name}' is {GraphTensor.TypeName(tensor.OriginalType)}).", tensor.Name);
        }

        private static Type ElementClrType(NpyType type) => type switch
        {
            NpyType.Float32 => typeof(float),
            NpyType.Int8 => typeof(sbyte),
            NpyType.UInt8 => typeof(byte),
            _ => typeof(int),
        };
    }
}
