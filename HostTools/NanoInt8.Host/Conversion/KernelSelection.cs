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
        /// Conv2D (groups 1, dilation 1) as Conv2DTriple wherever a window row fits one lane block
        /// of 21 words (three input channels, or with one input channel three adjacent taps, per
        /// 64-bit word: 2.1 instead of 21 interpreted IL instructions per multiply-accumulate in the
        /// inner loop; the filter stays about one byte per weight, as int8 lanes the kernel turns
        /// into words in the scratch), as Conv2DPacked or Conv2DPackedTaps (two per word) beyond;
        /// FullyConnected as FullyConnectedTriple (three taps per int64 word: about 2.7 bytes per
        /// weight, 3.3 IL per multiply-accumulate in the inner loop); depthwise 3x3 convolutions without dilation as DepthwiseConv3x3 (the same
        /// int8 operands, the taps held in locals). The interpreter allocates one scratch for the
        /// largest packed layer (header scratchWords, counted in deviceBytes). Outputs are
        /// bit-identical to Plain.
        /// </summary>
        Packed = 1,

        /// <summary>
        /// Per layer the fastest kernel whose memory fits the board's budget (issue 15).
        /// </summary>
        Auto = 2,
    }
}
