namespace NanoInt8.Host.Conversion
{
    /// <summary>Which device kernels the converter emits where it has a choice (issue 7).</summary>
    public enum KernelSelection
    {
        /// <summary>
        /// The plain int8 kernels only: one byte per weight, no scratch. The default of
        /// <see cref="ConversionOptions"/> (the library's conversions keep their bytes); hosttool's
        /// default is <see cref="Auto"/>.
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
        /// bit-identical to Plain. The lane kernels of issue 15 (codes 24 to 26) are Auto's only, so
        /// a packed conversion writes the same bytes as before them.
        /// </summary>
        Packed = 1,

        /// <summary>
        /// Per layer the fastest kernel whose memory fits the budget (issue 15; hosttool's default):
        /// in the q31 arithmetic Conv2DLanes (code 24) for convolutions with groups 1 and no dilation,
        /// DepthwiseConv3x3Lanes (code 25) for depthwise 3x3 ones and FullyConnectedLanes (code 26,
        /// format version 5) for fully connected layers, where every channel's accumulator range
        /// stores through a clamp table; elsewhere Packed's kernels. While the
        /// model exceeds <see cref="ConversionOptions.DeviceBudget"/>, the layer whose plain kernel
        /// saves the most bytes is held to it, one at a time. The conversion's notes say what was
        /// picked and the device bytes against the plain kernels'. Outputs are bit-identical to Plain.
        /// </summary>
        Auto = 2,
    }
}
