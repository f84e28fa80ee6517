using System.Security.Cryptography;
using NanoInt8.Host.Boards;
using NanoInt8.Host.Conversion;
using NanoInt8.Host.Quantization;
using NanoInt8.Onnx;

namespace NanoInt8.Host.Files
{
    /// <summary>
    /// Converts an .onnx file as <c>hosttool convert</c> does, so that every tool that converts a file
    /// (hosttool, the vibration sample) writes the same bytes: the model is named after the file,
    /// the file's SHA-256 is kept (<c>hosttool verify</c> matches the device's model with it), the
    /// board's budget is checked, and the class labels come from a labels file or else the model's
    /// metadata_props (<see cref="ClassLabels"/>).
    /// </summary>
    public static class OnnxFileConversion
    {
        /// <summary>Converts <paramref name="model"/>, parsed from the file <paramref name="path"/> whose bytes are <paramref name="fileBytes"/>.</summary>
        /// <param name="model">The parsed model.</param>
        /// <param name="path">The file's path: its name without ".onnx" names the model.</param>
        /// <param name="fileBytes">The file's bytes, for the SHA-256.</param>
        /// <param name="board">The target board whose budgets (modelBudgetBytes, also for the transfer; maxWorkPerInference) the model must fit as the device checks them, or null.</param>
        /// <param name="requantization">How the device requantizes.</param>
        /// <param name="kernels">Which device kernels.</param>
        /// <param name="labels">Class labels to store (from --labels), or null to take the model's own.</param>
        /// <param name="labelsSource">Where <paramref name="labels"/> came from, for messages.</param>
        /// <param name="rawInput">What the app's raw sensor readings mean, or null for no raw input transform.</param>
        /// <exception cref="ConversionException">The model cannot be converted (a <see cref="ModelTooLargeException"/> or <see cref="ModelTooMuchWorkException"/> when it does not fit the board).</exception>
        /// <exception cref="ClassLabelsException"><paramref name="labels"/> fit no output of the model.</exception>
        public static ConversionResult Convert(OnnxModel model, string path, byte[] fileBytes, BoardDefinition? board,
            RequantizationMode requantization = RequantizationMode.Q31, KernelSelection kernels = KernelSelection.Auto,
            IReadOnlyList<string>? labels = null, string? labelsSource = null, RawInputScaling? rawInput = null)
        {
            ArgumentNullException.ThrowIfNull(model);
            ArgumentNullException.ThrowIfNull(path);
            ArgumentNullException.ThrowIfNull(fileBytes);
            ConversionResult conversion = OnnxConverter.Convert(model, new ConversionOptions
            {
                ModelName = ModelName(path),
                SourceSha256 = SHA256.HashData(fileBytes),
                BoardName = board?.Name,
                DeviceBudget = board?.ModelBudgetBytes,
                WorkBudget = board?.MaxWorkPerInference,
                Requantization = requantization,
                Kernels = kernels,
                RawInput = rawInput,
            });
            if (labels is not null)
            {
                return ClassLabels.Attach(conversion, labels, labelsSource ?? "the labels");
            }

            try
            {
                IReadOnlyList<string>? own = ClassLabels.FromOnnx(model);
                return own is null ? conversion : ClassLabels.Attach(conversion, own, "the model's metadata_props labels");
            }
            catch (ClassLabelsException exception)
            {
                // Labels are a convenience for reading results: a model whose metadata holds something
                // else under a labels key still converts, without them.
                List<string> notes = conversion.Notes.ToList();
                notes.Add($"no class labels kept: {exception.Message}");
                return new ConversionResult(conversion.Model, conversion.Blob, conversion.ArenaLowerBound, notes);
            }
        }

        /// <summary>The model name a file gives: its name without the extension ("model.qdq" for model.qdq.onnx).</summary>
        public static string ModelName(string path) => Path.GetFileNameWithoutExtension(path);
    }
}
