using NanoInt8.Onnx;
using NanoInt8.Onnx.Protobuf;
using DataType = NanoInt8.Onnx.Protobuf.TensorProto.Types.DataType;

namespace NanoInt8.Exporters.Tests;

/// <summary>How an exporter quantizes an activation.</summary>
public enum ActivationScheme
{
    /// <summary>uint8 over the observed range with 0 included (ONNX Runtime's default QUInt8).</summary>
    UInt8Asymmetric,

    /// <summary>int8 over the observed range with 0 included (PyTorch's pt2e XNNPACK quantizer).</summary>
    Int8Asymmetric,

    /// <summary>int8 -127..127, zero point 0 (ONNX Runtime's ActivationSymmetric with QInt8).</summary>
    Int8Symmetric,
}

/// <summary>How an exporter quantizes a weight, per output channel.</summary>
public enum WeightScheme
{
    /// <summary>int8 -127..127, zero point 0 (pt2e XNNPACK; ONNX Runtime's QInt8 with WeightSymmetric).</summary>
    Symmetric,

    /// <summary>int8 -64..64, zero point 0 (ONNX Runtime's reduce_range).</summary>
    SymmetricReducedRange,

    /// <summary>int8 -128..127 over the observed range with 0 included, a zero point per channel (ONNX Runtime's WeightSymmetric=False).</summary>
    Asymmetric,

    /// <summary>uint8 0..255 over the observed range with 0 included, a zero point per channel (ONNX Runtime's weight_type=QUInt8, asymmetric by default).</summary>
    AsymmetricUInt8,
}

/// <summary>
/// Writes a quantized model the way a given exporter lays it out, with the project's own ONNX
/// builder, in two passes of the same writing code: first in float, where every activation the
/// exporter would quantize becomes an extra graph output, run in ONNX Runtime over calibration
/// inputs to observe its range (min/max, as the exporters' default observers do); then quantized,
/// with scales and zero points computed from those ranges the way the exporter computes them
/// (ONNX Runtime's compute_scale_zp: the range widened to hold 0, scale = range / (qmax - qmin),
/// zero point = round(qmin - min / scale)).
/// </summary>
public sealed class ImitationGraph
{
    private readonly IReadOnlyDictionary<string, (float Min, float Max)>? _ranges;
    private readonly List<string> _observed = [];
    private int _names;

    private ImitationGraph(long opset, IReadOnlyDictionary<string, (float Min, float Max)>? ranges)
    {
        _ranges = ranges;
        Builder = new OnnxGraphBuilder("imitation", opset) { IrVersion = opset >= 21 ? 10 : opset >= 19 ? 9 : 8, ProducerName = "imitation" };
    }

    /// <summary>The graph being written.</summary>
    public OnnxGraphBuilder Builder { get; }

    /// <summary>True in the first, float pass.</summary>
    public bool Calibrating => _ranges == null;

    /// <summary>Writes the model twice (float to calibrate, then quantized) and returns the quantized one's bytes.</summary>
    /// <param name="opset">The default-domain opset.</param>
    /// <param name="write">Writes the graph; the same code runs in both passes.</param>
    /// <param name="calibration">Inputs of the model's one graph input, 'input'.</param>
    public static byte[] Write(long opset, Action<ImitationGraph> write, IReadOnlyList<NpyArray> calibration)
    {
        var probe = new ImitationGraph(opset, null);
        write(probe);
        foreach (string name in probe._observed)
        {
            probe.Builder.AddOutput(name, DataType.Float, null);
        }

        var ranges = new Dictionary<string, (float Min, float Max)>(StringComparer.Ordinal);
        using (OnnxRuntimeSession session = new OnnxRuntimeRunner().CreateSession(probe.Builder.ToBytes()))
        {
            int first = session.OutputNames.Count - probe._observed.Count;
            foreach (NpyArray input in calibration)
            {
                IReadOnlyList<NpyArray> outputs = session.Run(new Dictionary<string, NpyArray> { ["input"] = input });
                for (int i = 0; i < probe._observed.Count; i++)
                {
                    float[] values = outputs[first + i].AsFloats();
                    (float min, float max) = ranges.TryGetValue(probe._observed[i], out var known) ? known : (float.MaxValue, float.MinValue);
                    ranges[probe._observed[i]] = (Math.Min(min, values.Min()), Math.Max(max, values.Max()));
                }
            }
        }

        var quantized = new ImitationGraph(opset, ranges);
        write(quantized);
        return quantized.Builder.ToBytes();
    }

    // A new name for a tensor the exporter adds (scales, codes): only graph tensors the caller
    // names are observed, so these need not be the same in both passes.
    private string Unique(string stem) => $"{stem}_{++_names}";

    /// <summary>
    /// The activation <paramref name="tensor"/> quantized and dequantized (QuantizeLinear →
    /// DequantizeLinear, the scale and zero point as initializers or, with
    /// <paramref name="asConstants"/>, as Constant nodes as PyTorch's dynamo exporter writes
    /// them; with <paramref name="castCodes"/> a Cast of the codes to their own type between the
    /// two, as PyTorch's TorchScript exporter writes a quantized tensor). Quantizing with the
    /// parameters of <paramref name="sharedWith"/> imitates an observer shared between an
    /// operator's input and output (MaxPool, Reshape). Returns the dequantized tensor (or,
    /// calibrating, the tensor itself).
    /// </summary>
    public string Activation(string tensor, ActivationScheme scheme, string? sharedWith = null, bool asConstants = false, bool castCodes = false)
    {
        if (Calibrating)
        {
            if (sharedWith == null)
            {
                _observed.Add(tensor);
            }

            return tensor;
        }

        (float scale, int zeroPoint) = ActivationParameters(sharedWith ?? tensor, scheme);
        (string scaleName, string zeroPointName) = QuantizationParameters(scale, zeroPoint, scheme == ActivationScheme.UInt8Asymmetric, asConstants);
        string quantized = Unique(tensor + "_quantized");
        string dequantized = Unique(tensor + "_dequantized");
        Builder.AddNode("QuantizeLinear", [tensor, scaleName, zeroPointName], [quantized]);
        if (castCodes)
        {
            string cast = Unique(tensor + "_cast");
            Builder.AddNode("Cast", [quantized], [cast]).WithInt("to", (long)(scheme == ActivationScheme.UInt8Asymmetric ? DataType.Uint8 : DataType.Int8));
            quantized = cast;
        }

        Builder.AddNode("DequantizeLinear", [quantized, scaleName, zeroPointName], [dequantized]);
        return dequantized;
    }

    /// <summary>The scale and zero point (of the scheme's type: uint8 0..255 or int8) the exporter derives from the observed range of <paramref name="tensor"/>.</summary>
    public (float Scale, int ZeroPoint) ActivationParameters(string tensor, ActivationScheme scheme)
    {
        if (_ranges == null)
        {
            return (1f, 0);
        }

        (float min, float max) = _ranges[tensor];
        return scheme switch
        {
            ActivationScheme.UInt8Asymmetric => ScaleAndZeroPoint(min, max, 0, 255, false),
            ActivationScheme.Int8Asymmetric => ScaleAndZeroPoint(min, max, -128, 127, false),
            _ => ScaleAndZeroPoint(min, max, -127, 127, true),
        };
    }

    /// <summary>Scale and zero point initializers (or Constant nodes) of an activation's quantization.</summary>
    public (string Scale, string ZeroPoint) QuantizationParameters(float scale, int zeroPoint, bool unsigned, bool asConstants = false)
    {
        string scaleName = Unique("scale");
        string zeroPointName = Unique("zero_point");
        TensorProto zeroPointTensor = unsigned
            ? TensorData.Create(zeroPointName, [(byte)zeroPoint], [])
            : TensorData.Create(zeroPointName, [(sbyte)zeroPoint], []);
        if (asConstants)
        {
            Builder.AddNode("Constant", [], [scaleName]).WithTensor("value", TensorData.Create(scaleName, [scale], []));
            Builder.AddNode("Constant", [], [zeroPointName]).WithTensor("value", zeroPointTensor);
        }
        else
        {
            Builder.AddInitializer(TensorData.Create(scaleName, [scale], []));
            Builder.AddInitializer(zeroPointTensor);
        }

        return (scaleName, zeroPointName);
    }

    /// <summary>
    /// Float weights quantized per output channel (axis 0), or per tensor, as int8 initializers
    /// (uint8 for <see cref="WeightScheme.AsymmetricUInt8"/>) read by a DequantizeLinear. The
    /// zero points are an initializer of the same type or, with
    /// <paramref name="zeroPointsCastFromInt64"/>, int64 cast to int8 (PyTorch's dynamo exporter
    /// casts torch's int64 zero points). Without <paramref name="dequantize"/> only the
    /// initializers are written (<c>NAME_quantized</c>, <c>NAME_scale</c>, <c>NAME_zero_point</c>),
    /// for an operator-format node that reads them itself. Returns the dequantized weights, the
    /// codes, the scales and zero points (one per output channel either way); calibrating,
    /// the float initializer.
    /// </summary>
    public (string Name, int[] Data, float[] Scales, int[] ZeroPoints) Weight(
        string name, float[] values, long[] dims, WeightScheme scheme, bool perChannel = true, bool zeroPointsCastFromInt64 = false, bool dequantize = true)
    {
        if (Calibrating)
        {
            Builder.AddInitializer(name, values, dims);
            return (name, [], [], []);
        }

        int channels = perChannel ? (int)dims[0] : 1;
        int inner = values.Length / channels;
        bool unsigned = scheme == WeightScheme.AsymmetricUInt8;
        var data = new int[values.Length];
        var scales = new float[channels];
        var zeroPoints = new int[channels];
        for (int channel = 0; channel < channels; channel++)
        {
            float[] row = values.AsSpan(channel * inner, inner).ToArray();
            (scales[channel], zeroPoints[channel]) = scheme switch
            {
                WeightScheme.Symmetric => ScaleAndZeroPoint(row.Min(), row.Max(), -127, 127, true),
                WeightScheme.SymmetricReducedRange => ScaleAndZeroPoint(row.Min(), row.Max(), -64, 64, true),
                WeightScheme.AsymmetricUInt8 => ScaleAndZeroPoint(row.Min(), row.Max(), 0, 255, false),
                _ => ScaleAndZeroPoint(row.Min(), row.Max(), -128, 127, false),
            };
            for (int i = 0; i < inner; i++)
            {
                // numpy: rint(value / scale) + zero point, then clipped to the type.
                float steps = MathF.Round(row[i] / scales[channel], MidpointRounding.ToEven) + zeroPoints[channel];
                data[channel * inner + i] = (int)Math.Clamp(steps, unsigned ? 0f : -128f, unsigned ? 255f : 127f);
            }
        }

        string quantizedName = name + "_quantized";
        string scaleName = name + "_scale";
        string zeroPointName = name + "_zero_point";
        long[] parameterDims = perChannel ? [channels] : [];
        Builder.AddInitializer(scaleName, scales, parameterDims);
        if (unsigned)
        {
            Builder.AddInitializer(quantizedName, data.Select(v => (byte)v).ToArray(), dims);
            Builder.AddInitializer(zeroPointName, zeroPoints.Select(z => (byte)z).ToArray(), parameterDims);
        }
        else if (zeroPointsCastFromInt64)
        {
            Builder.AddInitializer(quantizedName, data.Select(v => (sbyte)v).ToArray(), dims);
            Builder.AddInitializer(zeroPointName + "_int64", zeroPoints.Select(z => (long)z).ToArray(), parameterDims);
            Builder.AddNode("Cast", [zeroPointName + "_int64"], [zeroPointName]).WithInt("to", (long)DataType.Int8);
        }
        else
        {
            Builder.AddInitializer(quantizedName, data.Select(v => (sbyte)v).ToArray(), dims);
            Builder.AddInitializer(zeroPointName, zeroPoints.Select(z => (sbyte)z).ToArray(), parameterDims);
        }

        string dequantized = name + "_dequantized";
        if (dequantize)
        {
            Builder.AddNode("DequantizeLinear", [quantizedName, scaleName, zeroPointName], [dequantized]).WithInt("axis", 0);
        }

        int outputChannels = (int)dims[0];
        return (dequantized, data,
            Enumerable.Range(0, outputChannels).Select(c => scales[perChannel ? c : 0]).ToArray(),
            Enumerable.Range(0, outputChannels).Select(c => zeroPoints[perChannel ? c : 0]).ToArray());
    }

    /// <summary>
    /// A bias as ONNX Runtime's quantizer writes it: int32 in units of input scale × weight scale
    /// per channel, read by a DequantizeLinear with that scale (calibrating: the float bias).
    /// </summary>
    public string Int32Bias(string name, float[] values, float inputScale, float[] weightScales)
    {
        if (Calibrating)
        {
            Builder.AddInitializer(name, values, [values.Length]);
            return name;
        }

        float[] scales = weightScales.Select(weightScale => inputScale * weightScale).ToArray();
        int[] quantized = values.Select((value, channel) => (int)MathF.Round(value / scales[channel], MidpointRounding.ToEven)).ToArray();
        Builder.AddInitializer(name + "_quantized", quantized, [values.Length]);
        Builder.AddInitializer(name + "_scale", scales, [values.Length]);
        string dequantized = name + "_dequantized";
        Builder.AddNode("DequantizeLinear", [name + "_quantized", name + "_scale"], [dequantized]).WithInt("axis", 0);
        return dequantized;
    }

    /// <summary>ONNX Runtime's compute_scale_zp in float32: the range widened to hold 0 (and made symmetric when asked).</summary>
    public static (float Scale, int ZeroPoint) ScaleAndZeroPoint(float min, float max, int qmin, int qmax, bool symmetric)
    {
        min = Math.Min(min, 0f);
        max = Math.Max(max, 0f);
        if (symmetric)
        {
            float absolute = Math.Max(-min, max);
            (min, max) = (-absolute, absolute);
        }

        float scale = max == min ? 1f : (max - min) / (qmax - qmin);
        int zeroPoint = (int)MathF.Round(qmin - min / scale, MidpointRounding.ToEven);
        return (scale, Math.Clamp(zeroPoint, qmin, qmax));
    }
}
