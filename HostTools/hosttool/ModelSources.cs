using System.CommandLine;
using NanoInt8.Host.Boards;
using NanoInt8.Host.Conversion;
using NanoInt8.Host.Files;
using NanoInt8.Host.Quantization;
using NanoInt8.Onnx;

namespace NanoInt8.HostTool
{
    /// <summary>A model ready to summarize or run: its .ni8 bytes and, when it was converted here, the conversion.</summary>
    /// <param name="Blob">The .ni8 bytes.</param>
    /// <param name="Conversion">The conversion that produced them, or null for an .ni8 file.</param>
    internal sealed record LoadedModel(byte[] Blob, ConversionResult? Conversion);

    /// <summary>Reads model and data files, converting .onnx models in memory.</summary>
    internal static class ModelSources
    {
        private static readonly byte[] s_ni8Magic = "NI8M"u8.ToArray();

        /// <summary>
        /// Loads an .ni8 file as it is, or converts an .onnx file in memory. A file is taken as .ni8
        /// when it is named so or starts with the .ni8 magic; anything else is read as ONNX.
        /// </summary>
        public static LoadedModel Load(string path, RequantizationMode requantization = RequantizationMode.Q31, KernelSelection kernels = KernelSelection.Plain,
            BoardDefinition? board = null)
        {
            byte[] bytes = ReadInputFile(path, "model");
            if (IsNi8(path, bytes))
            {
                return new LoadedModel(bytes, null);
            }

            ConversionResult conversion = OnnxFileConversion.Convert(LoadOnnx(path, bytes), path, bytes, board, requantization, kernels);
            return new LoadedModel(conversion.Blob, conversion);
        }

        /// <summary>
        /// Converts an .onnx file; with a board, the model must fit its budget. The class labels come
        /// from <paramref name="labelsPath"/> when given, else from the model's metadata_props; with
        /// <paramref name="rawInput"/>, every graph input gets a raw input transform.
        /// </summary>
        public static ConversionResult ConvertOnnx(string path, BoardDefinition? board, RequantizationMode requantization = RequantizationMode.Q31,
            KernelSelection kernels = KernelSelection.Plain, string? labelsPath = null, RawInputScaling? rawInput = null)
        {
            byte[] bytes = ReadInputFile(path, "model");
            if (IsNi8(path, bytes))
            {
                throw new UsageException($"{path} is already an .ni8 model; convert takes a quantized .onnx model (inspect, run and deploy take an .ni8 model as it is).");
            }

            IReadOnlyList<string>? labels = labelsPath is null ? null : ReadLabels(labelsPath);

            try
            {
                return OnnxFileConversion.Convert(LoadOnnx(path, bytes), path, bytes, board, requantization, kernels, labels, labelsPath, rawInput);
            }
            catch (ClassLabelsException exception)
            {
                throw new UsageException(exception.Message);
            }
        }

        /// <summary>True for an .ni8 file: named so, or starting with the .ni8 magic.</summary>
        public static bool IsNi8(string path, byte[] bytes) =>
            Path.GetExtension(path).Equals(".ni8", StringComparison.OrdinalIgnoreCase) || bytes.AsSpan().StartsWith(s_ni8Magic);

        /// <summary>The labels of a --labels file.</summary>
        /// <exception cref="UsageException">The file holds no labels or malformed JSON.</exception>
        public static IReadOnlyList<string> ReadLabels(string path)
        {
            ReadInputFile(path, "labels");
            try
            {
                return ClassLabels.ReadFile(path);
            }
            catch (ClassLabelsException exception)
            {
                throw new UsageException(exception.Message);
            }
        }

        /// <summary>The --labels option of convert and quantize.</summary>
        public static Option<string?> CreateLabelsOption()
        {
            return new Option<string?>("--labels")
            {
                Description = "Class labels to keep in the model: a text file with one label per line (or a JSON array), for the output with that many classes; "
                    + "run, infer and deploy --input then print the top classes. Default: the ONNX model's metadata_props 'labels'.",
            };
        }

        /// <summary>The --kernels option of the commands that convert an .onnx model.</summary>
        public static Option<string?> CreateKernelsOption()
        {
            return new Option<string?>("--kernels")
            {
                Description = "Device kernels: plain (default; one byte per weight, no scratch) or packed (convolutions and fully connected "
                    + "layers three taps per 64-bit multiply where a window row fits, two beyond: 3-7x fewer interpreted IL instructions per MAC "
                    + "on the samples, bit-identical outputs, more device bytes; bench/README.md, docs/model-format.md).",
            };
        }

        /// <summary>The kernels a --kernels value names; plain when it is absent.</summary>
        /// <exception cref="UsageException">The value names no kernel selection.</exception>
        public static KernelSelection ParseKernels(string? name)
        {
            return name switch
            {
                null or "plain" => KernelSelection.Plain,
                "packed" => KernelSelection.Packed,
                _ => throw new UsageException($"Unknown kernel selection '{name}'; the choices are plain, packed."),
            };
        }

        /// <summary>The --requant option of the commands that convert an .onnx model.</summary>
        public static Option<string?> CreateRequantOption()
        {
            return new Option<string?>("--requant")
            {
                Description = "How the device requantizes an .onnx model converted here: "
                    + string.Join(", ", RequantizationModes.All.Select(mode => mode.Name()))
                    + " (default q31; see docs/conversion.md, \"Requantization modes\").",
            };
        }

        /// <summary>The mode a --requant value names; q31 when it is absent.</summary>
        /// <exception cref="UsageException">The value names no mode.</exception>
        public static RequantizationMode ParseRequant(string? name)
        {
            if (name is null)
            {
                return RequantizationMode.Q31;
            }

            return RequantizationModes.Parse(name) ?? throw new UsageException(
                $"Unknown requantization mode '{name}'; the modes are {string.Join(", ", RequantizationModes.All.Select(mode => mode.Name()))}.");
        }

        /// <summary>The board --board names, from the built-in boards and NANOINT8_BOARDS; null for no name.</summary>
        public static BoardDefinition? Board(string? name) => name is null ? null : BoardCatalog.Locate().Get(name);

        /// <summary>The bytes of an input file, with a clear message when it is missing.</summary>
        public static byte[] ReadInputFile(string path, string what)
        {
            if (Directory.Exists(path))
            {
                throw new UsageException($"The {what} '{path}' is a folder, not a file.");
            }

            if (!File.Exists(path))
            {
                throw new FileNotFoundException($"The {what} file '{path}' does not exist.", path);
            }

            return File.ReadAllBytes(path);
        }

        /// <summary>Parses ONNX bytes; a malformed file is named in the message.</summary>
        public static OnnxModel LoadOnnx(string path, byte[] bytes)
        {
            try
            {
                return OnnxModel.Load(bytes);
            }
            catch (OnnxFormatException exception)
            {
                // OnnxModel.Load(byte[]) calls the file "The model"; name it instead.
                const string Anonymous = "The model ";
                string message = exception.Message.StartsWith(Anonymous, StringComparison.Ordinal)
                    ? $"'{path}' {exception.Message[Anonymous.Length..]}"
                    : $"{path}: {exception.Message}";
                throw new OnnxFormatException(message, exception);
            }
        }
    }
}
