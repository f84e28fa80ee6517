using NanoInt8.Runtime;

namespace NanoInt8.Host.Quantization
{
    /// <summary>
    /// How a converted model requantizes on the device (hosttool convert --requant MODE). Each mode
    /// is integer-only; they differ in what the hardware must support and in how closely they follow
    /// ONNX Runtime (docs/integer-only-inference.md).
    /// </summary>
    public enum RequantizationMode
    {
        /// <summary>q31: int32 multiplier and shift per output channel, TensorFlow Lite compatible (the default).</summary>
        Q31,

        /// <summary>q15: 16-bit multiplier and shift; the device needs no 64-bit product.</summary>
        Q15,

        /// <summary>pow2: every ratio a power of two; requantization is a rounding shift, no multiplier.</summary>
        PowerOfTwo,

        /// <summary>per-tensor: q31 arithmetic with one scale per weight tensor (weights re-quantized on the host).</summary>
        PerTensor,

        /// <summary>exact: integer emulation of ONNX Runtime's float32 requantization, bit-identical to its integer kernels.</summary>
        Exact,
    }

    /// <summary>Names and device codes of <see cref="RequantizationMode"/>.</summary>
    public static class RequantizationModes
    {
        /// <summary>Every mode, in the order tables list them.</summary>
        public static IReadOnlyList<RequantizationMode> All { get; } = new[]
        {
            RequantizationMode.Q31, RequantizationMode.Q15, RequantizationMode.PowerOfTwo, RequantizationMode.PerTensor, RequantizationMode.Exact,
        };

        /// <summary>The command-line name: q31, q15, pow2, per-tensor, exact.</summary>
        public static string Name(this RequantizationMode mode) => mode switch
        {
            RequantizationMode.Q31 => "q31",
            RequantizationMode.Q15 => "q15",
            RequantizationMode.PowerOfTwo => "pow2",
            RequantizationMode.PerTensor => "per-tensor",
            RequantizationMode.Exact => "exact",
            _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, null),
        };

        /// <summary>Parses a command-line name (case-insensitive); null when it is not one.</summary>
        public static RequantizationMode? Parse(string name)
        {
            foreach (RequantizationMode mode in All)
            {
                if (string.Equals(mode.Name(), name, StringComparison.OrdinalIgnoreCase))
                {
                    return mode;
                }
            }

            return null;
        }

        /// <summary>The device arithmetic (a <see cref="Requantization"/> code) the mode uses.</summary>
        public static int DeviceMode(this RequantizationMode mode) => mode switch
        {
            RequantizationMode.Q15 => Requantization.Q15,
            RequantizationMode.PowerOfTwo => Requantization.PowerOfTwo,
            RequantizationMode.Exact => Requantization.Float32,
            _ => Requantization.Q31,
        };

        /// <summary>The .ni8 header flags of a model converted in this mode.</summary>
        public static ushort HeaderFlags(this RequantizationMode mode) =>
            (ushort)(mode.DeviceMode() | (mode == RequantizationMode.PerTensor ? Requantization.PerTensorFlag : 0));
    }
}
