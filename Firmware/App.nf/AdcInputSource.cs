// API checked against: nanoframework/System.Device.Adc v1.1.24 (ac05de0), System.Device.Adc/AdcController.cs
// (constructor, OpenChannel, ResolutionInBits) and System.Device.Adc/AdcChannel.cs (ReadValue). Readings on ESP32:
// nanoframework/nf-interpreter a3e8139, targets/ESP32/_nanoCLR/System.Device.Adc/ (raw one-shot reading, 12 bits at
// 12 dB attenuation, the widest input range: 0..4095; ResolutionInBits and MaxValue are fixed at 12 bits / 4095).
using System;
using System.Device.Adc;
using NanoInt8.Device;

namespace NanoInt8.App
{
    /// <summary>
    /// The field-sensor example: fills the input tensor with consecutive readings of one ADC channel,
    /// taken back to back (no fixed sample rate), quantized to int8 with integer arithmetic only.
    /// </summary>
    /// <remarks>
    /// A reading of b bits (12 on every ESP32 target) keeps its top 8 bits and is centred on zero:
    /// value = (raw &gt;&gt; (b - 8)) - 128, so 0 V gives -128 and full scale (4095) gives 127. That is an
    /// affine int8 quantization with zero point -128 and a scale of (full-scale volts / 256) per
    /// step; a model fed by this source must use those parameters for its input tensor.
    /// </remarks>
    public sealed class AdcInputSource : IInputSource
    {
        private readonly AdcChannel _channel;
        private readonly int _shift;
        private readonly int _maxRaw;

        /// <summary>Opens <paramref name="channelNumber"/> of <paramref name="controller"/>.</summary>
        /// <param name="controller">The board's ADC controller.</param>
        /// <param name="channelNumber">The nanoFramework channel number (boards/README.md maps it to a GPIO).</param>
        public AdcInputSource(AdcController controller, int channelNumber)
        {
            if (controller == null)
            {
                throw new ArgumentNullException();
            }

            int bits = controller.ResolutionInBits;
            if (bits < 8 || bits > 16)
            {
                throw new NotSupportedException();
            }

            _shift = bits - 8;
            _maxRaw = (1 << bits) - 1;
            _channel = controller.OpenChannel(channelNumber);
        }

        /// <inheritdoc/>
        public void Read(sbyte[] input, int offset, int count)
        {
            int end = offset + count;
            for (int i = offset; i < end; i++)
            {
                int raw = _channel.ReadValue();
                if (raw < 0)
                {
                    raw = 0;
                }
                else if (raw > _maxRaw)
                {
                    raw = _maxRaw;
                }

                input[i] = (sbyte)((raw >> _shift) - 128);
            }
        }
    }
}
