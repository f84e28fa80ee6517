namespace NanoInt8.Host.Format
{
    /// <summary>
    /// How the host maps one graph input or output between its original element type and the
    /// model's int8 tensor: real = scale · (q - zeroPoint). Stored in metadata key 3 as 13 bytes:
    /// u32 tensorIndex, f32 scale, i32 zeroPoint, u8 originalType.
    /// </summary>
    /// <param name="TensorIndex">The graph input or output tensor.</param>
    /// <param name="Scale">Quantization scale, finite and positive.</param>
    /// <param name="ZeroPoint">Quantization zero point.</param>
    /// <param name="OriginalType">Element type of the tensor in the source model.</param>
    public readonly record struct QuantizationEntry(int TensorIndex, float Scale, int ZeroPoint, OriginalElementType OriginalType);
}
