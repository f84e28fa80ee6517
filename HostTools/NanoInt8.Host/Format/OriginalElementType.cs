namespace NanoInt8.Host.Format
{
    /// <summary>
    /// Element type a graph input or output had in the source model, stored in the host metadata
    /// (key 3) so the host knows how to quantize inputs and dequantize outputs.
    /// </summary>
    public enum OriginalElementType : byte
    {
        /// <summary>32-bit float.</summary>
        Float32 = 1,

        /// <summary>Signed 8-bit integer.</summary>
        Int8 = 2,

        /// <summary>Unsigned 8-bit integer.</summary>
        UInt8 = 3,
    }
}
