using System.Globalization;
using NanoInt8.Host.Files;
using NanoInt8.Onnx;

namespace NanoInt8.Host.Quantization
{
    /// <summary>
    /// Calibration samples for a model with one float input: read from .npy or .csv, checked
    /// against the input's shape and cut into one array per sample.
    /// </summary>
    /// <remarks>
    /// The first axis of the data counts samples; the model's own batch dimension is 1. For an input
    /// of shape [1, C, L] the data may be [N, C, L] (each sample in the input's shape without the
    /// batch dimension), [N, 1, C, L] (each sample in the input's full shape) or [N, C·L] (each
    /// sample flattened in row-major order, as a CSV file holds it). A CSV file has one sample per
    /// line, numbers separated by commas with '.' as the decimal point, or by semicolons with ','
    /// as the decimal point (<see cref="CsvNumbers"/>); an optional first line of column names and
    /// lines starting with '#' are skipped. Every value must be finite.
    /// </remarks>
    public static class CalibrationData
    {
        /// <summary>Reads a calibration file: NumPy .npy, or .csv (by extension).</summary>
        /// <param name="path">The file.</param>
        /// <exception cref="NpyFormatException">The .npy file is malformed.</exception>
        /// <exception cref="CalibrationDataException">The .csv file is malformed, or the data is empty.</exception>
        /// <exception cref="IOException">The file cannot be read.</exception>
        public static NpyArray Read(string path)
        {
            ArgumentNullException.ThrowIfNull(path);
            if (Path.GetExtension(path).Equals(".csv", StringComparison.OrdinalIgnoreCase))
            {
                using var reader = new StreamReader(path);
                return ReadCsv(reader, path);
            }

            NpyArray array = NpyFile.Read(path);
            if (array.ElementType != NpyType.Float32)
            {
                throw new CalibrationDataException($"calibration data '{path}' holds {array.ElementType} values; float32 samples are needed (the float model's input type).");
            }

            return array;
        }

        /// <summary>Reads CSV calibration data: one sample per line, all lines of the same length (<see cref="CsvNumbers"/>: commas and decimal points, or semicolons and decimal commas).</summary>
        /// <param name="reader">The text.</param>
        /// <param name="source">The file name, for messages.</param>
        /// <returns>A float32 array [samples, values per sample].</returns>
        /// <exception cref="CalibrationDataException">A field is not a number, lines differ in length, or there is no sample.</exception>
        public static NpyArray ReadCsv(TextReader reader, string source)
        {
            ArgumentNullException.ThrowIfNull(reader);
            ArgumentNullException.ThrowIfNull(source);
            var values = new List<float>();
            int width = -1;
            int rows = 0;
            foreach (CsvLine line in CsvNumbers.Split(reader.ReadToEnd()))
            {
                string[] fields = line.Fields;
                var row = new float[fields.Length];
                bool numeric = true;
                for (int column = 0; column < fields.Length && numeric; column++)
                {
                    numeric = float.TryParse(fields[column], NumberStyles.Float, CultureInfo.InvariantCulture, out row[column]);
                }

                if (!numeric)
                {
                    if (rows == 0 && width < 0)
                    {
                        width = fields.Length; // a header line of column names
                        continue;
                    }

                    string field = fields.First(text => !float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _));
                    throw new CalibrationDataException($"calibration data '{source}', line {line.Number}: '{field}' is not a number.");
                }

                if (width >= 0 && fields.Length != width)
                {
                    throw new CalibrationDataException($"calibration data '{source}', line {line.Number}: {fields.Length} values where the lines before have {width}; every line holds one whole sample.");
                }

                width = fields.Length;
                values.AddRange(row);
                rows++;
            }

            if (rows == 0)
            {
                throw new CalibrationDataException($"calibration data '{source}' holds no sample.");
            }

            return new NpyArray(values.ToArray(), rows, width);
        }

        /// <summary>The shape one sample must have: the input's, with a symbolic batch dimension fixed to 1.</summary>
        /// <param name="input">The model's float input.</param>
        /// <exception cref="QuantizationException">The input is not float32, its rank is unknown, its batch dimension is not 1, or another dimension is not fixed.</exception>
        public static int[] SampleShape(OnnxValueInfo input)
        {
            ArgumentNullException.ThrowIfNull(input);
            if (!input.IsTensor || input.ElementType != Onnx.Protobuf.TensorProto.Types.DataType.Float)
            {
                throw new QuantizationException($"graph input '{input.Name}' is {input}; the quantizer calibrates a float32 input.");
            }

            if (input.Shape is null || input.Shape.Count == 0)
            {
                throw new QuantizationException($"graph input '{input.Name}' has no known shape; export the model with a static input shape.");
            }

            var shape = new int[input.Shape.Count];
            for (int axis = 0; axis < shape.Length; axis++)
            {
                OnnxDimension dimension = input.Shape[axis];
                if (axis == 0 && !dimension.IsFixed)
                {
                    shape[axis] = 1;
                }
                else if (dimension.Value is long value && value > 0 && (axis > 0 || value == 1))
                {
                    shape[axis] = (int)value;
                }
                else
                {
                    throw new QuantizationException(
                        axis == 0
                            ? $"graph input '{input.Name}' ({input}) has batch size {dimension}; the quantizer runs one sample at a time, so the first dimension must be 1 or symbolic."
                            : $"graph input '{input.Name}' ({input}) has dimension {axis} = {dimension}; every dimension but the batch must be fixed.");
                }
            }

            return shape;
        }

        /// <summary>Cuts the data into one array per sample, each of the input's shape.</summary>
        /// <param name="data">The calibration data, samples along the first axis.</param>
        /// <param name="input">The model's float input.</param>
        /// <param name="source">Where the data came from, for messages.</param>
        /// <exception cref="CalibrationDataException">The data is not float32, or its shape does not fit the input.</exception>
        /// <exception cref="QuantizationException">The input itself has no usable shape (see <see cref="SampleShape"/>).</exception>
        public static IReadOnlyList<NpyArray> ToSamples(NpyArray data, OnnxValueInfo input, string source = "the calibration data")
        {
            ArgumentNullException.ThrowIfNull(data);
            int[] sampleShape = SampleShape(input);
            int sampleSize = sampleShape.Aggregate(1, (product, dimension) => product * dimension);
            string expected = $"[N, {string.Join(", ", sampleShape.Skip(1))}], [N, {string.Join(", ", sampleShape)}] or [N, {sampleSize}]";
            if (data.ElementType != NpyType.Float32)
            {
                throw new CalibrationDataException($"{source} holds {data.ElementType} values; the model input '{input.Name}' is float32.");
            }

            int[] perSample = data.Shape.Skip(1).ToArray();
            bool fits = data.Shape.Length >= 1
                && (perSample.SequenceEqual(sampleShape.Skip(1))
                    || perSample.SequenceEqual(sampleShape)
                    || (perSample.Length == 1 && perSample[0] == sampleSize));
            if (!fits)
            {
                throw new CalibrationDataException(
                    $"{source} has shape {FormatShape(data.Shape)} but the model input '{input.Name}' is float32{FormatShape(sampleShape)}: expected {expected} for N samples.");
            }

            int samples = data.Shape[0];
            if (samples == 0)
            {
                throw new CalibrationDataException($"{source} holds no sample (shape {FormatShape(data.Shape)}).");
            }

            float[] values = data.AsFloats();
            int notFinite = Array.FindIndex(values, value => !float.IsFinite(value));
            if (notFinite >= 0)
            {
                // NaN slips through min/max (every comparison is false) and leaves scales of 1.
                throw new CalibrationDataException(
                    $"{source} holds {values[notFinite].ToString(CultureInfo.InvariantCulture)} (sample {notFinite / sampleSize}, value {notFinite % sampleSize}); calibration needs finite numbers.");
            }

            var result = new NpyArray[samples];
            for (int sample = 0; sample < samples; sample++)
            {
                result[sample] = new NpyArray(values.AsSpan(sample * sampleSize, sampleSize).ToArray(), sampleShape);
            }

            return result;
        }

        private static string FormatShape(IEnumerable<int> shape) => "[" + string.Join(", ", shape) + "]";
    }
}
