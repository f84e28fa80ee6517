using System.CommandLine;
using System.Security.Cryptography;
using NanoInt8.Host.Boards;
using NanoInt8.Host.Conversion;
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
        public static LoadedModel Load(string path, RequantizationMode requantization = RequantizationMode.Q31, KernelSelection kernels = KernelSelection.Plain)
        {
            byte[] bytes = ReadInputFile(path, "model");
            bool isNi8 = Path.GetExtension(path).Equals(".ni8", StringComparison.OrdinalIgnoreCase)
                || bytes.AsSpan().StartsWith(s_ni8Magic);
            if (isNi8)
            {
                return new LoadedModel(bytes, null);
            }

            ConversionResult conversion = Convert(path, bytes, board: null, requantization, kernels);
            return new LoadedModel(conversion.Blob, conversion);
        }

        /// <summary>Converts an .onnx file; with a board, the model must fit its budget.</summary>
        public static ConversionResult ConvertOnnx(string path, BoardDefinition? board, RequantizationMode requantization = RequantizationMode.Q31,
            KernelSelection kernels = KernelSelection.Plain)
        {
            return Convert(path, ReadInputFile(path, "model"), board, requantization, kernels);
        }

        /// <summary>The --kernels option of convert.</summary>
        public static Option<string?> CreateKernelsOption()
        {
            return new Option<string?>("--kernels")
            {
                Description = "Device kernels: plain (default; one byte per weight) or packed (fully connected and "
                    + "groups-1 convolution layers two taps per 64-bit multiply: 4.5-5x fewer interpreted instructions per MAC on the samples, "
                    + "weights take about 2 bytes each plus a scratch of 4 bytes per input element of the largest such "
                    + "layer; see docs/model-format.md).",
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

        private static ConversionResult Convert(string path, byte[] bytes, BoardDefinition? board, RequantizationMode requantization,
            KernelSelection kernels = KernelSelection.Plain)
        {
            OnnxModel model = LoadOnnx(path, bytes);
            ConversionOptions options = new ConversionOptions
            {
                ModelName = Path.GetFileNameWithoutExtension(path),
                SourceSha256 = SHA256.HashData(bytes),
                BoardName = board?.Name,
                DeviceBudget = board?.ModelBudgetBytes,
                Requantization = requantization,
                Kernels = kernels,
            };
            return OnnxConverter.Convert(model, options);
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
