using System.Globalization;
using NanoInt8.Host.Quantization;
using NanoInt8.Onnx.Protobuf;

namespace NanoInt8.Host.Conversion
{
    internal sealed partial class QuantizedLowering
    {
        /// <summary>
        /// Weights with their zero point removed, as the device needs them (zero point 0, any int8
        /// value: the kernels take -128 too). A weight zero point of another value is subtracted
        /// exactly while every centred weight of the channel still fits int8 (-128..127); where
        /// some do not (asymmetric uint8 weights, e.g. zero point 157), that output channel is
        /// re-quantized symmetrically, w' = round((w - z) · 127 / max|w - z|) with scale
        /// s · max|w - z| / 127: the one place the converter changes a model's numbers, said in
        /// the conversion notes.
        /// </summary>
        private QuantizedWeights CenterWeights(NodeProto op, sbyte[] data, int[] shape, int channelAxis, int[] zeroPoints, double[] channelScales)
        {
            int channels = shape[channelAxis];
            int inner = shape.Skip(channelAxis + 1).Aggregate(1, (a, b) => a * b);
            var centered = new int[data.Length];
            var largest = new int[channels];
            var fits = Enumerable.Repeat(true, channels).ToArray();
            for (int i = 0; i < data.Length; i++)
            {
                int channel = i / inner % channels;
                centered[i] = data[i] - zeroPoints[zeroPoints.Length == 1 ? 0 : channel];
                largest[channel] = Math.Max(largest[channel], Math.Abs(centered[i]));
                fits[channel] &= centered[i] >= sbyte.MinValue && centered[i] <= sbyte.MaxValue;
            }

            var scales = (double[])channelScales.Clone();
            var result = new sbyte[data.Length];
            int requantized = 0;
            for (int channel = 0; channel < channels; channel++)
            {
                if (!fits[channel])
                {
                    scales[channel] = channelScales[channel] * largest[channel] / 127.0;
                    requantized++;
                }
            }

            for (int i = 0; i < data.Length; i++)
            {
                int channel = i / inner % channels;
                result[i] = fits[channel]
                    ? (sbyte)centered[i]
                    : (sbyte)Math.Clamp(Math.Round(centered[i] * 127.0 / largest[channel], MidpointRounding.ToEven), -127, 127);
            }

            if (requantized > 0)
            {
                _graph.Notes.Add(
                    $"node '{op.Name}' ({op.OpType}): in {requantized} of {channels} output channels the weights minus their zero point leave the int8 range, so those channels were re-quantized symmetrically (the device needs zero point 0); its outputs may differ from ONNX Runtime by a step, and more after several such layers.");
            }

            return new QuantizedWeights(result, shape, scales);
        }

            /// <summary>
        /// Everything a Conv2D or FullyConnected needs besides its geometry, for the conversion's
        /// requantization mode: the int8 weights (output channel first), the bias with the input
        /// zero point folded in, and a (multiplier, shift) pair per output channel. Every path that
        /// lowers a Conv or a Gemm/MatMul (QDQ, QLinearConv, QLinearMatMul, QGemm, ConvInteger,
        /// MatMulInteger) comes through here, so the modes treat them all alike.
        /// </summary>
        /// <remarks>
        /// The real ratio of output channel c is r_c = alpha · xs · ws_c / ys.
        /// <list type="bullet">
        /// <item>q31, q15: weights kept; the pair is r_c in the mode's encoding.</item>
        /// <item>exact: weights kept; the ratio is computed in float32 step by step as ONNX
        /// Runtime's QLinearConv, QLinearMatMul and QGemm do, fl(fl(fl(alpha · xs) · ws_c) / ys)
        /// (QGemm multiplies alpha into the input scale first; without alpha, 1 · xs is xs), and
        /// its float32 bits are the pair. The scales were read from float32 tensors, so the casts
        /// give them back exactly.</item>
        /// <item>pow2: each channel's weights absorb the ratio so that the requantization is an
        /// exact power of two and the activation scales stay: p_c = 2^ceil(log2(r_c · max|w_c| / 127)),
        /// the smallest power of two keeping |w'| ≤ 127 (for an all-zero channel the power of two
        /// nearest r_c), weight scale ws'_c = p_c · ys / (alpha · xs), w' = round(w · r_c / p_c), pair
        /// (1, log2 p_c). An exponent below -31 is raised to -31 (smaller weights, still exact).</item>
        /// <item>per-tensor: one weight scale for the tensor, s = max_c(ws_c · max|w_c|) / 127 (the
        /// symmetric min-max scale; the first channel's if all weights are 0), w' = round(w · ws_c / s),
        /// the same q31 pair r = alpha · xs · s / ys for every channel.</item>
        /// </list>
        /// Re-quantized weights get their bias re-quantized from its real value in the new scale;
        /// all roundings are half to even. The input zero point is folded in with the final weights.
        /// </remarks>
        private (sbyte[] Weights, int[] Bias, int[] Multipliers, int[] Shifts) ProductParameters(
            NodeProto node, QuantTensor input, QuantizedWeights weights, BiasSource bias, float alpha, double beta, QuantTensor output)
        {
            int channels = weights.Shape[0];
            int taps = weights.Data.Length / channels;
            double inputScale = input.Scale * alpha;
            double[] scales = weights.Scales;
            sbyte[] data = weights.Data;
            int[] biasValues;
            var multipliers = new int[channels];
            var shifts = new int[channels];
            if (_mode is RequantizationMode.PowerOfTwo or RequantizationMode.PerTensor)
            {
                var largest = new int[channels];
                for (int i = 0; i < data.Length; i++)
                {
                    largest[i / taps] = Math.Max(largest[i / taps], Math.Abs((int)data[i]));
                }

                var newScales = new double[channels];
                if (_mode == RequantizationMode.PowerOfTwo)
                {
                    for (int channel = 0; channel < channels; channel++)
                    {
                        double ratio = inputScale * scales[channel] / output.Scale;
                        // An all-zero channel only scales its bias: any power of two is exact, the nearest keeps the bias precise.
                        (int nearestMultiplier, int nearestShift) = RequantizationEncoder.NearestPowerOfTwo(ratio);
                        int exponent = largest[channel] == 0
                            ? (nearestMultiplier == 0 ? -31 : nearestShift)
                            : CeilingLog2(ratio * largest[channel] / 127.0);
                        exponent = Math.Max(exponent, -31);
                        if (exponent > 30)
                        {
                            throw new ConversionException(
                                $"node '{node.Name}' ({node.OpType}): output channel {channel} needs a scale ratio of 2^{exponent}, beyond the 2^30 a pow2 shift reaches.", node.Name, node.OpType);
                        }

                        newScales[channel] = Math.ScaleB(output.Scale, exponent) / inputScale;
                        (multipliers[channel], shifts[channel]) = (1, exponent);
                    }
                }
                else
                {
                    double tensorScale = 0;
                    for (int channel = 0; channel < channels; channel++)
                    {
                        tensorScale = Math.Max(tensorScale, scales[channel] * largest[channel] / 127.0);
                    }

                    tensorScale = tensorScale > 0 ? tensorScale : scales[0];
                    (int multiplier, int shift) = Multiplier(inputScale * tensorScale / output.Scale);
                    for (int channel = 0; channel < channels; channel++)
                    {
                        newScales[channel] = tensorScale;
                        (multipliers[channel], shifts[channel]) = (multiplier, shift);
                    }
                }

                // The bias in real units, then in the new scale: an exact (QLinear) bias is in units of xs · ws_c.
                double[] realBias = new double[channels];
                if (bias.Exact != null || bias.Real != null)
                {
                    int[] original = QuantizeBias(bias, inputScale, scales, channels, beta, node);
                    for (int channel = 0; channel < channels; channel++)
                    {
                        realBias[channel] = bias.Real != null
                            ? beta * bias.Real[bias.Real.Length == 1 ? 0 : channel]
                            : original[channel] * inputScale * scales[channel];
                    }
                }

                var requantized = new sbyte[data.Length];
                double largestChange = 0;
                for (int i = 0; i < data.Length; i++)
                {
                    int channel = i / taps;
                    double exact = data[i] * scales[channel] / newScales[channel];
                    int value = (int)Math.Clamp(Math.Round(exact, MidpointRounding.ToEven), -127, 127);
                    requantized[i] = (sbyte)value;
                    // The change in units of the original weight step: what the device now multiplies with, minus the model's weight.
                    largestChange = Math.Max(largestChange, Math.Abs(value * newScales[channel] / scales[channel] - data[i]));
                }

                biasValues = new int[channels];
                for (int channel = 0; channel < channels; channel++)
                {
                    double steps = Math.Round(realBias[channel] / (inputScale * newScales[channel]), MidpointRounding.ToEven);
                    biasValues[channel] = FoldBias((long)Math.Clamp(steps, -4e18, 4e18), node);
                }

                data = requantized;
                _graph.Notes.Add(string.Format(
                    CultureInfo.InvariantCulture,
                    "node '{0}' ({1}): weights re-quantized for {2} requantization ({3}); the largest weight change is {4:0.###} of an original weight step.",
                    node.Name,
                    node.OpType,
                    _mode.Name(),
                    _mode == RequantizationMode.PowerOfTwo ? "each output channel's scale made a power-of-two ratio" : "one scale for all output channels",
                    largestChange));
            }
            else
            {
                biasValues = QuantizeBias(bias, inputScale, scales, channels, beta, node);
                for (int channel = 0; channel < channels; channel++)
                {
                    if (_mode == RequantizationMode.Exact)
                    {
                        float ratio = (float)((float)(alpha * (float)input.Scale) * (float)scales[channel]) / (float)output.Scale;
                        (multipliers[channel], shifts[channel]) = RequantizationEncoder.FromFloat32(ratio);
                    }
                    else
                    {
                        (multipliers[channel], shifts[channel]) = Multiplier(alpha * input.Scale * scales[channel] / output.Scale);
                    }
                }
            }

            for (int channel = 0; channel < channels; channel++)
            {
                long sum = 0;
                for (int tap = 0; tap < taps; tap++)
                {
                    sum += data[channel * taps + tap];
                }

                biasValues[channel] = FoldBias(biasValues[channel] - (long)input.ZeroPoint * sum, node);
            }

            return (data, biasValues, multipliers, shifts);
        }

        // The smallest e with 2^e >= value (value > 0).
        private static int CeilingLog2(double value)
        {
            int exponent = Math.ILogB(value);
            return Math.ScaleB(1.0, exponent) < value ? exponent + 1 : exponent;
        }
    }
}
