using NanoInt8.Host.Quantization;

namespace NanoInt8.Host.Conversion
{
    /// <summary>Settings of one ONNX to .ni8 conversion.</summary>
    public sealed class ConversionOptions
    {
        /// <summary>
        /// Bytes the target device can give the model (a board's modelBudgetBytes); null means no
        /// limit. Checked as the device checks it: deviceBytes (with the interpreter's records beyond
        /// their reserve) and, for the LOAD, deviceBytes + totalLength within it. A model above it
        /// is refused with <see cref="ModelTooLargeException"/>.
        /// </summary>
        public int? DeviceBudget { get; init; }

        /// <summary>
        /// Most work units one inference may take on the target (a board's maxWorkPerInference);
        /// null means no limit. Checked only with <see cref="DeviceBudget"/>; a model above it is
        /// refused with <see cref="ModelTooMuchWorkException"/>.
        /// </summary>
        public long? WorkBudget { get; init; }

        /// <summary>Name of the target board, for messages (e.g. "ESP32-DevKitC").</summary>
        public string? BoardName { get; init; }

        /// <summary>Model name recorded in the metadata; defaults to the graph or file name.</summary>
        public string? ModelName { get; init; }

        /// <summary>How the device requantizes (header flags, multiplier encoding); q31 by default.</summary>
        public RequantizationMode Requantization { get; init; } = RequantizationMode.Q31;

        /// <summary>
        /// Plain, packed or auto device kernels; plain by default here, so a library conversion
        /// writes the same bytes as before the packed kernels existed (hosttool and
        /// <see cref="Files.OnnxFileConversion"/> default to auto).
        /// </summary>
        public KernelSelection Kernels { get; init; } = KernelSelection.Plain;

        /// <summary>
        /// What the sensor readings an app feeds the model mean (hosttool convert --raw-input-scale,
        /// --raw-input-offset), or null: with it, every graph input gets a raw input transform in the
        /// metadata (key 8), which the device applies in integers (EmbeddedModel.SetRawInput).
        /// </summary>
        public RawInputScaling? RawInput { get; init; }

        /// <summary>SHA-256 of the source file, recorded in the metadata when given.</summary>
        public byte[]? SourceSha256 { get; init; }
    }
}
