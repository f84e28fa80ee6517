namespace NanoInt8.Conversion.Tests.Generators;

/// <summary>
/// Writes an operator-format graph (QLinear*, com.microsoft Q* operators, *Integer): quantized
/// int8/uint8 graph inputs and outputs, parameters as initializers.
/// </summary>
internal sealed class QuantizedGraph : GraphWriter
{
    /// <summary>The domain of ONNX Runtime's contrib operators.</summary>
    public const string MicrosoftDomain = "com.microsoft";

    /// <summary>Starts a graph importing the default domain at <paramref name="opset"/> and com.microsoft version 1.</summary>
    public QuantizedGraph(long opset)
        : base(opset)
    {
        Graph.AddOpsetImport(MicrosoftDomain, 1);
    }

    /// <summary>Adds a quantized graph input.</summary>
    /// <returns>The input name.</returns>
    public string Input(string name, int[] shape, Quantization quantization)
    {
        RecordInput(new GeneratedTensor(name, shape, false, quantization));
        return name;
    }

    /// <summary>Makes a quantized value a graph output.</summary>
    public void Output(string name, int[] shape, Quantization quantization) =>
        RecordOutput(new GeneratedTensor(name, shape, false, quantization));

    /// <summary>Adds an int8 weight initializer, or uint8 (q + 128) for <paramref name="unsignedWeights"/>.</summary>
    /// <returns>The initializer name.</returns>
    public string Weight(string prefix, sbyte[] values, long[] dims, bool unsignedWeights)
    {
        string name = NewName(prefix);
        AddZeroPoints(name, unsignedWeights ? QuantizedType.UInt8 : QuantizedType.Int8, values.Select(value => unsignedWeights ? value + 128 : value).ToArray(), dims);
        return name;
    }

    /// <summary>Adds weight scales (scalar for one, 1-D otherwise) and matching zero points (0, or 128 for uint8).</summary>
    public (string Scale, string ZeroPoint) WeightParameters(string prefix, float[] scales, bool unsignedWeights)
    {
        long[] dims = scales.Length > 1 ? [scales.Length] : [];
        string scale = NewName(prefix + "_scale");
        string zeroPoint = NewName(prefix + "_zero_point");
        Graph.AddInitializer(scale, scales, dims);
        AddZeroPoints(zeroPoint, unsignedWeights ? QuantizedType.UInt8 : QuantizedType.Int8, Enumerable.Repeat(unsignedWeights ? 128 : 0, scales.Length).ToArray(), dims);
        return (scale, zeroPoint);
    }

    /// <summary>Adds an int32 initializer (bias).</summary>
    public string Int32(string prefix, int[] values)
    {
        string name = NewName(prefix);
        Graph.AddInitializer(name, values, [values.Length]);
        return name;
    }
}
