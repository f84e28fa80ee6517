using System.Globalization;
using NanoInt8.Host.Quantization;
using NanoInt8.Onnx.Protobuf;
using NanoInt8.Runtime;

namespace NanoInt8.Host.Conversion
{
    internal sealed partial class QuantizedLowering
    {
        /// <summary>
        /// Weights with their zero point removed, w - zw, exactly: the integers the product must
        /// use. With a zero point of 0 (symmetric weights, PyTorch's qint8 with -128 too) they are
        /// the int8 weights themselves; with another one (asymmetric weights: ONNX Runtime's
        /// WeightSymmetric=False, uint8 weights with a zero point) they span -255..255, beyond
        /// int8, and <see cref="ProductParameters"/> splits them into int8 lanes.
        /// </summary>
        private static QuantizedWeights CenterWeights(sbyte[] data, int[] shape, int channelAxis, int[] zeroPoints, double[] channelScales)
        {
            int channels = shape[channelAxis];
            int inner = shape.Skip(channelAxis + 1).Aggregate(1, (a, b) => a * b);
            var centered = new int[data.Length];
            for (int i = 0; i < data.Length; i++)
            {
                int channel = i / inner % channels;
                centered[i] = data[i] - zeroPoints[zeroPoints.Length == 1 ? 0 : channel];
            }

            return new QuantizedWeights(centered, shape, channelScales);
        }

        /// <summary>
        /// How many int8 lanes the centred weights need so that each is the sum of one int8 value
        /// per lane: L lanes hold -128·L .. 127·L, so 1 for int8, 2 for -256 .. 254 (asymmetric
        /// weights), 3 where a weight is 255 (an int8 weight of 127 with zero point -128: a channel
        /// quantized asymmetrically without a negative weight).
        /// </summary>
        private static int LanesFor(int[] centered)
        {
            int lanes = 1;
            foreach (int weight in centered)
            {
                lanes = Math.Max(lanes, weight > 0 ? (weight + 126) / 127 : (-weight + 127) / 128);
            }

            return lanes;
        }

        /// <summary>
        /// Centred weights [O, C, S] (S taps per input channel: the kernel window, 1 for a fully
        /// connected layer) as int8 weights [O, C·L, S] over an input whose channel c is repeated
        /// as channels c·L .. c·L + L - 1 (<see cref="RepeatChannels"/>): weight w becomes L int8
        /// weights that add up to it, as equal as can be (⌊w/L⌋ or one more), so
        /// Σ x·w = Σ x·(w_0 + ... + w_{L-1}) exactly.
        /// </summary>
        private static sbyte[] SplitIntoLanes(int[] centered, int channels, int inputChannels, int spatial, int lanes)
        {
            var split = new sbyte[centered.Length * lanes];
            for (int i = 0; i < centered.Length; i++)
            {
                int tap = i % spatial;
                int row = i / spatial;
                int inputChannel = row % inputChannels;
                int outputChannel = row / inputChannels;
                int weight = centered[i];
                int quotient = (int)Math.Floor(weight / (double)lanes);
                int remainder = weight - (quotient * lanes);
                for (int lane = 0; lane < lanes; lane++)
                {
                    int index = (((outputChannel * inputChannels) + inputChannel) * lanes + lane) * spatial + tap;
                    split[index] = (sbyte)(quotient + (lane < remainder ? 1 : 0));
                }
            }

            return split;
        }

        /// <summary>
        /// The last resort for centred weights beyond int8 whose lanes would exceed the device's
        /// reduction limit (<see cref="ModelReader.MaxReduction"/> taps per output): each output
        /// channel with a weight beyond int8 re-quantized symmetrically, w' = round(w · 127 / max|w|)
        /// with scale s · max|w| / 127, said in the conversion notes.
        /// </summary>
        private (int[] Weights, double[] Scales) RequantizeSymmetric(NodeProto op, int[] centered, double[] scales, int taps, int lanes)
        {
            int channels = scales.Length;
            var largest = new int[channels];
            for (int i = 0; i < centered.Length; i++)
            {
                largest[i / taps] = Math.Max(largest[i / taps], Math.Abs(centered[i]));
            }

            var newScales = (double[])scales.Clone();
            var result = (int[])centered.Clone();
            int requantized = 0;
            for (int channel = 0; channel < channels; channel++)
            {
                if (largest[channel] <= 127)
                {
                    continue;
                }

                requantized++;
                newScales[channel] = scales[channel] * largest[channel] / 127.0;
                for (int tap = 0; tap < taps; tap++)
                {
                    int i = channel * taps + tap;
                    result[i] = (int)Math.Round(centered[i] * 127.0 / largest[channel], MidpointRounding.ToEven);
                }
            }

            _graph.Notes.Add(string.Format(
                CultureInfo.InvariantCulture,
                "node '{0}' ({1}): the weights minus their zero point leave the int8 range and {2} int8 lanes of {3} taps would exceed the device's {4} taps per output, so {5} of {6} output channels were re-quantized symmetrically (the device needs zero point 0); its outputs may differ from ONNX Runtime by a step, and more after several such layers.",
                op.Name, op.OpType, lanes, taps, ModelReader.MaxReduction, requantized, channels));
            return (result, newScales);
        }

            /// <summary>
        /// Everything a Conv2D or FullyConnected needs besides its geometry, for the conversion's
        /// requantization mode: the int8 weights (output channel first), how many lanes of the
        /// input they read (<see cref="LanesFor"/>: 1, or 2 or 3 where centred weights leave int8;
        /// the caller repeats the input's channels as many times), the bias with the input zero
        /// point folded in, and a (multiplier, shift) pair per output channel. Every path that
        /// lowers a Conv or a Gemm/MatMul (QDQ, QLinearConv, QLinearMatMul, QGemm, ConvInteger,
        /// MatMulInteger) comes through here, so the modes treat them all alike.
        /// </summary>
        /// <remarks>
        /// The real ratio of output channel c is r_c = alpha · xs · ws_c / ys.
        /// <list type="bullet">
        /// <item>q31, q15: weights kept exactly (in lanes where they leave int8); the pair is r_c in the mode's encoding.</item>
        /// <item>exact: weights kept exactly (in lanes where they leave int8); the ratio is computed in float32 step by step as ONNX
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
        private (sbyte[] Weights, int Lanes, int[] Bias, int[] Multipliers, int[] Shifts) ProductParameters(
            NodeProto node, QuantTensor input, QuantizedWeights weights, BiasSource bias, float alpha, double beta, QuantTensor output)
        {
            int channels = weights.Shape[0];
            int taps = weights.Data.Length / channels;
            // Taps per input channel: the window (1 for a fully connected layer).
            int spatial = weights.Shape.Skip(2).Aggregate(1, (a, b) => a * b);
            double inputScale = input.Scale * alpha;
            double[] scales = weights.Scales;
            int[] centered = weights.Data;
            int lanes = 1;
            if (_mode is not (RequantizationMode.PowerOfTwo or RequantizationMode.PerTensor))
            {
                lanes = LanesFor(centered);
                if (lanes > 1 && (long)lanes * taps > ModelReader.MaxReduction)
                {
                    (centered, scales) = RequantizeSymmetric(node, centered, scales, taps, lanes);
                    lanes = 1;
                }
                else if (lanes > 1)
                {
                    _graph.Notes.Add(string.Format(
                        CultureInfo.InvariantCulture,
                        "node '{0}' ({1}): its weights minus their zero point span {2}..{3}, beyond int8; they stay exact as {4} int8 lanes over its input repeated {4} times (a Gather before it): {4}x its multiply-accumulates and weight bytes.",
                        node.Name, node.OpType, centered.Min(), centered.Max(), lanes));
                }
            }

            sbyte[] data;
            int[] biasValues;
            var multipliers = new int[channels];
            var shifts = new int[channels];
            if (_mode is RequantizationMode.PowerOfTwo or RequantizationMode.PerTensor)
            {
                var largest = new int[channels];
                for (int i = 0; i < centered.Length; i++)
                {
                    largest[i / taps] = Math.Max(largest[i / taps], Math.Abs(centered[i]));
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

                var requantized = new sbyte[centered.Length];
                double largestChange = 0;
                for (int i = 0; i < centered.Length; i++)
                {
                    int channel = i / taps;
                    double exact = centered[i] * scales[channel] / newScales[channel];
                    int value = (int)Math.Clamp(Math.Round(exact, MidpointRounding.ToEven), -127, 127);
                    requantized[i] = (sbyte)value;
                    // The change in units of the original weight step: what the device now multiplies with, minus the model's weight.
                    largestChange = Math.Max(largestChange, Math.Abs(value * newScales[channel] / scales[channel] - centered[i]));
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
                data = lanes == 1
                    ? centered.Select(weight => (sbyte)weight).ToArray()
                    : SplitIntoLanes(centered, channels, taps / spatial, spatial, lanes);
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

            // The input zero point folded in: every lane reads the same input, so the lanes' sum is Σ (w - zw).
            int laneTaps = taps * lanes;
            for (int channel = 0; channel < channels; channel++)
            {
                long sum = 0;
                for (int tap = 0; tap < laneTaps; tap++)
                {
                    sum += data[channel * laneTaps + tap];
                }

                biasValues[channel] = FoldBias(biasValues[channel] - (long)input.ZeroPoint * sum, node);
            }

            return (data, lanes, biasValues, multipliers, shifts);
        }

        // The smallest e with 2^e >= value (value > 0).
        private static int CeilingLog2(double value)
        {
            int exponent = Math.ILogB(value);
            return Math.ScaleB(1.0, exponent) < value ? exponent + 1 : exponent;
        }
    }
}
