using NanoInt8.Onnx.Protobuf;

namespace NanoInt8.Host.Conversion
{
    internal sealed partial class QuantizedLowering
    {
        /// <summary>
        /// Weights with their zero point removed, as the device needs them (symmetric int8). A
        /// weight zero point of another value is subtracted exactly while every weight still fits
        /// int8; when some do not (asymmetric uint8 weights, e.g. zero point 157), that output
        /// channel is re-quantized symmetrically, w' = round((w - z) · 127 / max|w - z|) with scale
        /// s · max|w - z| / 127: the one place the converter changes a model's numbers, said in
        /// the conversion notes.
        /// </summary>
        private QuantizedWeights CenterWeights(NodeProto op, sbyte[] data, int[] shape, int channelAxis, int[] zeroPoints, double[] channelScales)
        {
            int channels = shape[channelAxis];
            int inner = shape.Skip(channelAxis + 1).Aggregate(1, (a, b) => a * b);
            var centered = new int[data.Length];
            var largest = new int[channels];
            for (int i = 0; i < data.Length; i++)
            {
                int channel = i / inner % channels;
                centered[i] = data[i] - zeroPoints[zeroPoints.Length == 1 ? 0 : channel];
                largest[channel] = Math.Max(largest[channel], Math.Abs(centered[i]));
            }

            var scales = (double[])channelScales.Clone();
            var result = new sbyte[data.Length];
            int requantized = 0;
            for (int channel = 0; channel < channels; channel++)
            {
                if (largest[channel] > 127)
                {
                    scales[channel] = channelScales[channel] * largest[channel] / 127.0;
                    requantized++;
                }
            }

            for (int i = 0; i < data.Length; i++)
            {
                int channel = i / inner % channels;
                result[i] = largest[channel] > 127
                    ? (sbyte)Math.Clamp(Math.Round(centered[i] * 127.0 / largest[channel], MidpointRounding.ToEven), -127, 127)
                    : (sbyte)centered[i];
            }

            if (requantized > 0)
            {
                _graph.Notes.Add(
                    $"node '{op.Name}' ({op.OpType}): weights with a non-zero zero point were re-quantized symmetrically in {requantized} of {channels} output channels (the device needs zero point 0); its outputs may differ from ONNX Runtime by a step.");
            }

            return new QuantizedWeights(result, shape, scales);
        }
    }
}
