namespace NanoInt8.Host.Conversion
{
    /// <summary>Which device kernels the converter emits where it has a choice (issue 7).</summary>
    public enum KernelSelection
    {
        /// <summary>
        /// The plain int8 kernels only: one byte per weight, no scratch. The default, and the
        /// choice for the smallest boards.
        /// </summary>
        Plain = 0,

        /// <summary>
        /// FullyConnected as FullyConnectedPacked wherever the filter packs (two taps per 64-bit
        /// multiply, about 2.3 times fewer interpreted IL instructions per multiply-accumulate):
        /// its weights take 2 bytes each (int32 words of two taps, output channels rounded up to 4)
        /// and the interpreter allocates 4 bytes of scratch per input tap of the deepest such layer
        /// (header scratchWords, counted in deviceBytes). Outputs are bit-identical to Plain.
        /// </summary>
        Packed = 1,
    }
}
