using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using NanoInt8.Host.Conversion;
using NanoInt8.Host.Format;
using NanoInt8.Onnx;
using NanoInt8.Onnx.Protobuf;

namespace NanoInt8.Host.Files
{
    /// <summary>
    /// Class labels: the names of a classifier output's classes, in index order. They travel with a
    /// model: in an ONNX model's metadata_props (key <see cref="OnnxMetadataKey"/>, a JSON array of
    /// strings), and in an .ni8 model's host metadata (key 7, <see cref="ModelMetadata.ClassLabels"/>),
    /// which the device never reads.
    /// </summary>
    /// <remarks>
    /// Read from an ONNX model, the keys "labels", "class_labels", "class_names", "classes" and
    /// "names" are accepted (the first present, in that order), holding a JSON array of strings, an
    /// object from class index to name (JSON, or the Python-dict form <c>{0: 'cat', 1: 'dog'}</c>
    /// some exporters write), or names one per line or separated by commas. A labels file
    /// (<c>--labels FILE</c>) holds one name per line (blank lines skipped), as TensorFlow Lite's
    /// labels.txt does, or a JSON array. The labels name the classes of the first graph output
    /// whose last dimension has as many elements as there are labels.
    /// </remarks>
    public static partial class ClassLabels
    {
        /// <summary>The metadata_props key NanoInt8 writes into ONNX models.</summary>
        public const string OnnxMetadataKey = "labels";

        private static readonly string[] s_onnxKeys = { OnnxMetadataKey, "class_labels", "class_names", "classes", "names" };

        /// <summary>The labels in an ONNX model's metadata_props, or null when it has none.</summary>
        /// <exception cref="ClassLabelsException">The value cannot be read as labels.</exception>
        public static IReadOnlyList<string>? FromOnnx(OnnxModel model)
        {
            ArgumentNullException.ThrowIfNull(model);
            IReadOnlyDictionary<string, string> metadata = model.Metadata;
            foreach (string key in s_onnxKeys)
            {
                string? found = metadata.Keys.FirstOrDefault(candidate => candidate.Equals(key, StringComparison.OrdinalIgnoreCase));
                if (found is not null && metadata[found].Trim().Length > 0)
                {
                    return Parse(metadata[found], $"the model's metadata_props '{found}'");
                }
            }

            return null;
        }

        /// <summary>Reads a labels file: one label per line, or a JSON array of strings.</summary>
        /// <exception cref="ClassLabelsException">The file holds no labels, or a JSON array that is not one of strings.</exception>
        /// <exception cref="IOException">The file cannot be read.</exception>
        public static IReadOnlyList<string> ReadFile(string path)
        {
            ArgumentNullException.ThrowIfNull(path);
            string text = File.ReadAllText(path).TrimStart('\uFEFF');
            if (text.TrimStart().StartsWith('['))
            {
                return Parse(text, path);
            }

            string[] labels = text.Split('\n').Select(line => line.Trim()).Where(line => line.Length > 0).ToArray();
            return labels.Length > 0 ? labels : throw new ClassLabelsException($"The labels file {path} holds no labels (one per line).");
        }

        /// <summary>Parses labels written in one of the forms the remarks list.</summary>
        /// <exception cref="ClassLabelsException">The text holds no labels, or a JSON array or index map that cannot be read.</exception>
        public static IReadOnlyList<string> Parse(string text, string source)
        {
            ArgumentNullException.ThrowIfNull(text);
            ArgumentNullException.ThrowIfNull(source);
            string trimmed = text.Trim();
            string[] labels;
            if (trimmed.StartsWith('['))
            {
                labels = ParseJsonArray(trimmed, source);
            }
            else if (trimmed.StartsWith('{'))
            {
                labels = ParseIndexMap(trimmed, source);
            }
            else
            {
                char separator = trimmed.Contains('\n') ? '\n' : ',';
                labels = trimmed.Split(separator).Select(label => label.Trim()).Where(label => label.Length > 0).ToArray();
            }

            return labels.Length > 0 ? labels : throw new ClassLabelsException($"{source} holds no labels.");
        }

        /// <summary>Stores <paramref name="labels"/> in an ONNX model's metadata_props as a JSON array under <see cref="OnnxMetadataKey"/>, replacing any labels it had.</summary>
        public static void WriteToOnnx(ModelProto model, IReadOnlyList<string> labels)
        {
            ArgumentNullException.ThrowIfNull(model);
            ArgumentNullException.ThrowIfNull(labels);
            for (int index = model.MetadataProps.Count - 1; index >= 0; index--)
            {
                if (s_onnxKeys.Contains(model.MetadataProps[index].Key, StringComparer.OrdinalIgnoreCase))
                {
                    model.MetadataProps.RemoveAt(index);
                }
            }

            model.MetadataProps.Add(new StringStringEntryProto { Key = OnnxMetadataKey, Value = JsonSerializer.Serialize(labels) });
        }

        /// <summary>
        /// The position of the output that <paramref name="count"/> labels name: the first output
        /// whose last dimension has <paramref name="count"/> elements, or -1 when there is none.
        /// </summary>
        /// <param name="outputShapes">The graph outputs' shapes, in graph order (null for an unknown shape).</param>
        /// <param name="count">The number of labels.</param>
        public static int FindOutput(IReadOnlyList<IReadOnlyList<long>?> outputShapes, int count)
        {
            ArgumentNullException.ThrowIfNull(outputShapes);
            for (int position = 0; position < outputShapes.Count; position++)
            {
                IReadOnlyList<long>? shape = outputShapes[position];
                if (shape is { Count: > 0 } && shape[^1] == count)
                {
                    return position;
                }
            }

            return -1;
        }

        /// <summary>
        /// The conversion with <paramref name="labels"/> in its model's metadata (key 7) for the output
        /// they fit (<see cref="FindOutput"/>), written again; only the host metadata and the header
        /// fields that cover it (length, CRCs) change.
        /// </summary>
        /// <exception cref="ClassLabelsException">No output has as many classes as there are labels.</exception>
        public static ConversionResult Attach(ConversionResult conversion, IReadOnlyList<string> labels, string source)
        {
            ArgumentNullException.ThrowIfNull(conversion);
            ArgumentNullException.ThrowIfNull(labels);
            ModelBuilder model = conversion.Model;
            IReadOnlyList<IReadOnlyList<long>?> shapes = model.Outputs
                .Select(index => (IReadOnlyList<long>?)model.Tensors[index].Shape.Select(dimension => (long)dimension).ToArray())
                .ToArray();
            int output = FindOutput(shapes, labels.Count);
            if (output < 0)
            {
                // The graph outputs' ONNX names (metadata key 5) where the converter kept them.
                IList<string> names = model.Metadata.TensorNames;
                string outputs = string.Join(", ", model.Outputs.Select(index =>
                    $"{(index < names.Count && names[index].Length > 0 ? names[index] : model.Tensors[index].Name)} [{string.Join(", ", model.Tensors[index].Shape)}]"));
                throw new ClassLabelsException(
                    $"{source} names {labels.Count} classes but no output of the model has {labels.Count} elements along its last dimension ({outputs}).");
            }

            IList<IList<string>> classLabels = model.Metadata.ClassLabels;
            classLabels.Clear();
            for (int position = 0; position < model.Outputs.Count; position++)
            {
                classLabels.Add(position == output ? labels.ToList() : new List<string>());
            }

            return new ConversionResult(model, ModelWriter.Write(model), conversion.ArenaLowerBound, conversion.Notes);
        }

        private static string[] ParseJsonArray(string text, string source)
        {
            try
            {
                string[]? labels = JsonSerializer.Deserialize<string[]>(text);
                return labels?.Select(label => (label ?? string.Empty).Trim()).ToArray() ?? Array.Empty<string>();
            }
            catch (JsonException exception)
            {
                throw new ClassLabelsException($"{source} starts with '[' but is not a JSON array of strings: {exception.Message}");
            }
        }

        private static string[] ParseIndexMap(string text, string source)
        {
            // {"0": "cat", "1": "dog"} or {0: 'cat', 1: 'dog'}: an index, a colon, a quoted name.
            MatchCollection entries = IndexEntry().Matches(text);
            SortedDictionary<int, string> byIndex = new SortedDictionary<int, string>();
            foreach (Match entry in entries)
            {
                int index = int.Parse(entry.Groups["index"].Value, NumberStyles.None, CultureInfo.InvariantCulture);
                byIndex[index] = entry.Groups["name"].Value.Trim();
            }

            if (byIndex.Count == 0 || byIndex.Keys.First() != 0 || byIndex.Keys.Last() != byIndex.Count - 1)
            {
                throw new ClassLabelsException($"{source} is not a map from the class indices 0, 1, 2 ... to names (e.g. {{\"0\": \"cat\", \"1\": \"dog\"}}).");
            }

            return byIndex.Values.ToArray();
        }

        [GeneratedRegex("""["']?(?<index>\d+)["']?\s*:\s*(?<quote>["'])(?<name>.*?)\k<quote>""")]
        private static partial Regex IndexEntry();
    }

    /// <summary>Class labels that cannot be read, or do not fit the model.</summary>
    public sealed class ClassLabelsException : Exception
    {
        /// <summary>Creates the exception.</summary>
        /// <param name="message">One sentence naming the source and the problem.</param>
        public ClassLabelsException(string message)
            : base(message)
        {
        }
    }
}
