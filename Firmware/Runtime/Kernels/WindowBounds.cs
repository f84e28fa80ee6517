namespace NanoInt8.Runtime.Kernels
{
    /// <summary>
    /// Clipping of a sliding window (convolution or pooling) to the input along one axis. A window
    /// starts at input position origin = outputPosition·stride - padBefore and its tap k reads
    /// origin + k·dilation; these functions find which taps are inside [0, inputSize).
    /// </summary>
    internal static class WindowBounds
    {
        /// <summary>The first tap k with origin + k·dilation &gt;= 0 (origin may be negative).</summary>
        internal static int FirstInside(int origin, int dilation)
        {
            return origin >= 0 ? 0 : (dilation - 1 - origin) / dilation;
        }

        /// <summary>
        /// One past the last tap k &lt; filterSize with origin + k·dilation &lt; inputSize; 0 when the
        /// window starts at or past the end of the input.
        /// </summary>
        internal static int EndInside(int origin, int inputSize, int filterSize, int dilation)
        {
            int span = inputSize - 1 - origin;
            if (span < 0)
            {
                return 0;
            }

            int end = span / dilation + 1;
            return end < filterSize ? end : filterSize;
        }

        /// <summary>
        /// One past the last output position whose whole window lies inside the input, at most
        /// outputSize; 0 when no window fits. Positions from ceil(padBefore / stride) up to this
        /// value need no clipping.
        /// </summary>
        internal static int InteriorEnd(int inputSize, int padBefore, int filterSize, int dilation, int stride, int outputSize)
        {
            int lastOrigin = inputSize - 1 + padBefore - (filterSize - 1) * dilation;
            if (lastOrigin < 0)
            {
                return 0;
            }

            int end = lastOrigin / stride + 1;
            return end < outputSize ? end : outputSize;
        }
    }
}
