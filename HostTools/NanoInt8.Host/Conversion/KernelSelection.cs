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
        /// FullyConnected as FullyConnectedPacked and Conv2D (groups 1, dilation 1) as
        /// Conv2DPacked wherever the filter packs (two taps per 64-bit multiply: 3.9-6.2 instead of
        /// 14-21 interpreted IL instructions per multiply-accumulate in the inner loops): weights
        /// take about 2 bytes each (int32 words of two taps, output channels rounded up to 4) and
        /// the interpreter allocates a scratch for the largest packed input (4 bytes per input tap of
        /// a fully connected layer, per padded input element of a convolution; header scratchWords,
        /// counted in deviceBytes). A convolution with one input channel becomes Conv2DPackedTaps
        /// (two adjacent filter taps per word). Depthwise 3x3 convolutions without dilation become
        /// DepthwiseConv3x3 (the same int8 operands, the taps held in locals: no extra memory).
        /// Outputs are bit-identical to Plain.
        /// </summary>
        Packed = 1,
    }
}
