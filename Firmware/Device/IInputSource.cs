namespace NanoInt8.Device
{
    /// <summary>
    /// Where field-sensor mode gets the model's input: fills the int8 input tensor from the
    /// board's own readings (an ADC, an accelerometer, ...).
    /// </summary>
    public interface IInputSource
    {
        /// <summary>Fills input[offset .. offset + count) with the next quantized reading.</summary>
        void Read(sbyte[] input, int offset, int count);
    }
}
