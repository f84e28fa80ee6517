using NanoInt8.Onnx;
using DataType = NanoInt8.Onnx.Protobuf.TensorProto.Types.DataType;

namespace NanoInt8.Conversion.Tests.Generators;

/// <summary>A float value in a QDQ graph and the quantization of the QuantizeLinear/DequantizeLinear pair that made it (null while calibrating).</summary>
/// <param name="Name">The value name.</param>
/// <param name="Quantization">Its quantization, or null for an unquantized float (calibration pass).</param>
internal readonly record struct QdqValue(string Name, Quantization? Quantization);

/// <summary>A float range seen during calibration.</summary>
/// <param name="Low">The smallest value.</param>
/// <param name="High">The largest value.</param>
/// <param name="LowQuantile">The 2nd percentile.</param>
/// <param name="HighQuantile">The 98th percentile.</param>
internal readonly record struct ValueRange(double Low, double High, double LowQuantile, double HighQuantile)
{
    /// <summary>A range with its quantiles at its ends.</summary>
    public ValueRange(double low, double high)
        : this(low, high, low, high)
    {
    }
}

/// <summary>How a weight reaches its operator in a QDQ graph.</summary>
internal enum WeightStyle
{
    /// <summary>An int8 (or uint8) initializer behind DequantizeLinear: what ORT's quantizer writes.</summary>
    Quantized,

    /// <summary>A float initializer behind QuantizeLinear and DequantizeLinear: what some exporters keep.</summary>
    FloatQuantizeDequantize,
}

/// <summary>How a bias reaches its operator in a QDQ graph.</summary>
internal enum BiasStyle
{
    /// <summary>No bias input.</summary>
    None,

    /// <summary>An int32 initializer behind DequantizeLinear with scale input_scale·weight_scale[c] and zero point 0.</summary>
    Int32,

    /// <summary>A float initializer fed to the operator directly (PyTorch export style).</summary>
    Float,
}

/// <summary>
/// Writes a QDQ graph twice over from the same deterministic emit code: first as a calibration
/// graph, in which every activation that will be quantized is left in float and exposed as a graph
/// output (a probe), then as the final graph, in which each probe gets a QuantizeLinear and
/// DequantizeLinear whose parameters come from the range ONNX Runtime observed on the probe.
/// This is static post-training quantization with a MinMax calibrator, as ORT's quantize_static
/// does it; it keeps every activation unsaturated whatever the sampled weights and scales.
/// </summary>
internal sealed class QdqGraph : GraphWriter
{
    private readonly IReadOnlyList<ValueRange>? _ranges;
    private readonly List<string> _probes = [];
    private readonly List<Quantization> _chosen = [];
    private readonly HashSet<string> _calibrationOutputs = new(StringComparer.Ordinal);

    /// <summary>Starts a graph.</summary>
    /// <param name="isCalibration">True for the calibration pass.</param>
    /// <param name="opset">The default-domain opset.</param>
    /// <param name="ranges">The probe ranges of the previous calibration pass; null on the first.</param>
    public QdqGraph(bool isCalibration, long opset, IReadOnlyList<ValueRange>? ranges)
        : base(opset)
    {
        IsCalibration = isCalibration;
        _ranges = ranges;
        if (!isCalibration && ranges is null)
        {
            throw new ArgumentException("The final pass needs calibrated ranges.", nameof(ranges));
        }
    }

    /// <summary>True for the calibration pass.</summary>
    public bool IsCalibration { get; }

    /// <summary>The probed value names, in emit order.</summary>
    public IReadOnlyList<string> Probes => _probes;

    /// <summary>The quantization chosen for each <see cref="Activation"/> call of the final pass, in order.</summary>
    public IReadOnlyList<Quantization> Chosen => _chosen;

    /// <summary>Adds a float graph input followed by QuantizeLinear and DequantizeLinear.</summary>
    public QdqValue FloatInput(string name, int[] shape, Quantization quantization)
    {
        RecordInput(new GeneratedTensor(name, shape, true, quantization));
        return QuantizeDequantize(name, quantization);
    }

    /// <summary>Adds QuantizeLinear and DequantizeLinear with given parameters (in both passes).</summary>
    public QdqValue QuantizeDequantize(string value, Quantization quantization)
    {
        (string scale, string zeroPoint) = AddParameters(quantization, value);
        string quantized = NewName(value + "_quantized");
        string dequantized = NewName(value + "_dequantized");
        Graph.AddNode("QuantizeLinear", [value, scale, zeroPoint], [quantized]);
        Graph.AddNode("DequantizeLinear", [quantized, scale, zeroPoint], [dequantized]);
        return new QdqValue(dequantized, quantization);
    }

    /// <summary>
    /// Quantizes the output of an operator that keeps its input's quantization (MaxPool, Flatten,
    /// Reshape ...) with the parameters of <paramref name="source"/>; while calibrating a
    /// multi-layer graph, where the source is still float, it stays float too.
    /// </summary>
    public QdqValue Shared(string value, QdqValue source) =>
        source.Quantization is { } quantization ? QuantizeDequantize(value, quantization) : new QdqValue(value, null);

    /// <summary>
    /// Quantizes an activation with calibrated parameters: in the calibration pass it stays float
    /// and becomes a probe; in the final pass it gets QuantizeLinear and DequantizeLinear.
    /// </summary>
    public QdqValue Activation(string value, QuantizedType type, ZeroPointPolicy policy)
    {
        ValueRange? range = Probe(value);
        if (IsCalibration)
        {
            return new QdqValue(value, null);
        }

        Quantization quantization = policy == ZeroPointPolicy.Tight
            ? Quantization.Choose(range!.Value.LowQuantile, range.Value.HighQuantile, type, policy)
            : Quantization.Choose(range!.Value.Low, range.Value.High, type, policy);
        _chosen.Add(quantization);
        return QuantizeDequantize(value, quantization);
    }

    /// <summary>
    /// Probes a float value without quantizing it: returns its range from the previous calibration
    /// pass, or null on the first pass (emit code uses a placeholder then and the generator runs a
    /// second calibration pass).
    /// </summary>
    public ValueRange? Probe(string value)
    {
        int index = _probes.Count;
        _probes.Add(value);
        if (IsCalibration && _calibrationOutputs.Add(value))
        {
            Graph.AddOutput(value, DataType.Float, null);
        }

        return _ranges is not null && index < _ranges.Count ? _ranges[index] : null;
    }

    /// <summary>Makes a dequantized value a float graph output.</summary>
    public void Output(QdqValue value, int[] shape)
    {
        if (IsCalibration)
        {
            if (_calibrationOutputs.Add(value.Name))
            {
                Graph.AddOutput(value.Name, DataType.Float, null);
            }

            return;
        }

        RecordOutput(new GeneratedTensor(value.Name, shape, true, value.Quantization!.Value));
    }

    /// <summary>
    /// Adds a weight: int8 values with per-channel (several scales) or per-tensor (one scale)
    /// quantization along <paramref name="axis"/>, zero point 0; or, with <paramref name="unsignedWeights"/>,
    /// uint8 values (q + 128) with zero point 128, per tensor.
    /// </summary>
    /// <returns>The dequantized weight's name.</returns>
    public string Weight(string prefix, sbyte[] values, long[] dims, float[] scales, int axis, WeightStyle style, bool unsignedWeights = false)
    {
        bool perChannel = scales.Length > 1;
        if (unsignedWeights && perChannel)
        {
            throw new ArgumentException("uint8 weights are generated per tensor only.", nameof(unsignedWeights));
        }

        long[] parameterDims = perChannel ? [scales.Length] : [];
        string scale = NewName(prefix + "_scale");
        string zeroPoint = NewName(prefix + "_zero_point");
        Graph.AddInitializer(scale, scales, parameterDims);
        QuantizedType type = unsignedWeights ? QuantizedType.UInt8 : QuantizedType.Int8;
        AddZeroPoints(zeroPoint, type, Enumerable.Repeat(unsignedWeights ? 128 : 0, scales.Length).ToArray(), parameterDims);

        string stored = NewName(prefix);
        if (style == WeightStyle.Quantized)
        {
            AddZeroPoints(stored, type, values.Select(value => unsignedWeights ? value + 128 : value).ToArray(), dims);
        }
        else
        {
            int stride = StrideAfter(dims, axis);
            var real = new float[values.Length];
            for (int index = 0; index < values.Length; index++)
            {
                float channelScale = perChannel ? scales[index / stride % dims[axis]] : scales[0];
                real[index] = values[index] * channelScale;
            }

            string floats = NewName(prefix + "_float");
            Graph.AddInitializer(floats, real, dims);
            OnnxNodeBuilder quantize = Graph.AddNode("QuantizeLinear", [floats, scale, zeroPoint], [stored]);
            if (perChannel)
            {
                quantize.WithInt("axis", axis);
            }
        }

        string dequantized = NewName(prefix + "_dequantized");
        OnnxNodeBuilder dequantize = Graph.AddNode("DequantizeLinear", [stored, scale, zeroPoint], [dequantized]);
        if (perChannel)
        {
            dequantize.WithInt("axis", axis);
        }

        return dequantized;
    }

    /// <summary>
    /// Adds a bias of real values <paramref name="real"/>: as int32 behind DequantizeLinear with
    /// scale input_scale·weight_scale[c] (needs the input's quantization; in the calibration pass of
    /// a multi-layer graph it falls back to float), or as a float initializer.
    /// </summary>
    /// <returns>The bias value name, or "" for none.</returns>
    public string Bias(string prefix, float[] real, QdqValue input, float[] weightScales, BiasStyle style)
    {
        if (style == BiasStyle.None)
        {
            return string.Empty;
        }

        if (style == BiasStyle.Float || input.Quantization is null)
        {
            string floats = NewName(prefix + "_float");
            Graph.AddInitializer(floats, real, [real.Length]);
            return floats;
        }

        float inputScale = input.Quantization.Value.Scale;
        bool perChannel = weightScales.Length > 1;
        float[] scales = weightScales.Select(weightScale => inputScale * weightScale).ToArray();
        int[] quantized = QuantizeBias(real, inputScale, weightScales);
        long[] parameterDims = perChannel ? [scales.Length] : [];
        string scale = NewName(prefix + "_scale");
        string zeroPoint = NewName(prefix + "_zero_point");
        string stored = NewName(prefix);
        string dequantized = NewName(prefix + "_dequantized");
        Graph.AddInitializer(scale, scales, parameterDims);
        Graph.AddInitializer(zeroPoint, new int[scales.Length], parameterDims);
        Graph.AddInitializer(stored, quantized, [real.Length]);
        OnnxNodeBuilder dequantize = Graph.AddNode("DequantizeLinear", [stored, scale, zeroPoint], [dequantized]);
        if (perChannel)
        {
            dequantize.WithInt("axis", 0);
        }

        return dequantized;
    }

    /// <summary>The int32 bias of real values at scale input_scale·weight_scale[c] (float product, as ORT's quantizer computes it), rounded half to even.</summary>
    public static int[] QuantizeBias(float[] real, float inputScale, float[] weightScales)
    {
        var quantized = new int[real.Length];
        for (int channel = 0; channel < real.Length; channel++)
        {
            float scale = inputScale * weightScales[weightScales.Length > 1 ? channel : 0];
            double value = Math.Round(real[channel] / (double)scale, MidpointRounding.ToEven);
            quantized[channel] = (int)Math.Clamp(value, int.MinValue, int.MaxValue);
        }

        return quantized;
    }

    /// <summary>Adds a quantized constant (int8 or uint8 values with its own parameters) behind DequantizeLinear.</summary>
    public QdqValue Constant(string prefix, int[] values, long[] dims, Quantization quantization)
    {
        string stored = NewName(prefix);
        AddZeroPoints(stored, quantization.Type, values, dims);
        (string scale, string zeroPoint) = AddParameters(quantization, prefix);
        string dequantized = NewName(prefix + "_dequantized");
        Graph.AddNode("DequantizeLinear", [stored, scale, zeroPoint], [dequantized]);
        return new QdqValue(dequantized, quantization);
    }

    private static int StrideAfter(long[] dims, int axis)
    {
        long stride = 1;
        for (int index = axis + 1; index < dims.Length; index++)
        {
            stride *= dims[index];
        }

        return (int)stride;
    }
}
