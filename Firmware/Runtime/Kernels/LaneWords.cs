namespace NanoInt8.Runtime.Kernels
{
    /// <summary>
    /// The lane arithmetic the lane kernels share (Conv2DLanesKernel's remarks give the bound): an
    /// input word a0 + a1·2^21 + a2·2^42, a filter word b0·2^43 + b1·2^22 + b2·2^1, the dot product
    /// of the three in bits [<see cref="DotShift"/>, 64) of their product. Here rather than in
    /// Conv2DLanesKernel because that kernel is compiled into the device's upper assembly
    /// (NanoInt8.Runtime) and the depthwise and fully connected lane kernels into the lower one
    /// (Runtime/DeviceAssemblies.props).
    /// </summary>
    public static class LaneWords
    {
        /// <summary>The dot field is bits [DotShift, 64) of a product or a block's sum.</summary>
        public const int DotShift = 43;

        /// <summary>Starting value of a block sum: keeps the low part positive (Conv2DLanesKernel's bound).</summary>
        public const long LaneBias = 1L << 42;

        /// <summary>A dot field holds values in [-LaneLimit, LaneLimit).</summary>
        public const int LaneLimit = 1 << 20;

        /// <summary>Largest number of products summed in one lane block whatever the weights.</summary>
        public const int BlockWords = 21;

        /// <summary>Words taken per inner iteration; rows of words are a multiple of it.</summary>
        public const int ChainWords = 3;
    }
}
