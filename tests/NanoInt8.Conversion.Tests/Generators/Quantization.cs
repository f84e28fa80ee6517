using System.Globalization;
using NanoInt8.Onnx;
using DataType = NanoInt8.Onnx.Protobuf.TensorProto.Types.DataType;

namespace NanoInt8.Conversion.Tests.Generators;

/// <summary>The element type of a quantized activation.</summary>
public enum QuantizedType
{
    /// <summary>int8, -128 .. 127.</summary>
    Int8,

    /// <summary>uint8, 0 .. 255.</summary>
    UInt8,
}

/// <summary>How an activation's scale and zero point are chosen from its calibrated float range.</summary>
public enum ZeroPointPolicy
{
    /// <summary>Asymmetric min/max fit of [min(lo, 0), max(hi, 0)], as ORT's MinMax calibrator does; a one-signed range gets an extreme zero point.</summary>
    Fit,

    /// <summary>Zero point 0 (int8) or 128 (uint8), scale from the larger magnitude.</summary>
    Symmetric,

    /// <summary>Fit to the 2nd..98th percentiles, so the outermost outputs saturate and the clamp is exercised.</summary>
    Tight,
}

/// <summary>Per-tensor quantization parameters of an activation: real = (q - ZeroPoint) * Scale.</summary>
/// <param name="Scale">The float32 scale.</param>
/// <param name="ZeroPoint">The zero point, within the type's range.</param>
/// <param name="Type">int8 or uint8.</param>
public readonly record struct Quantization(float Scale, int ZeroPoint, QuantizedType Type)
{
    /// <summary>The smallest quantized value.</summary>
    public int Min => Type == QuantizedType.Int8 ? sbyte.MinValue : byte.MinValue;

    /// <summary>The largest quantized value.</summary>
    public int Max => Type == QuantizedType.Int8 ? sbyte.MaxValue : byte.MaxValue;

    /// <summary>The ONNX element type.</summary>
    public DataType DataType => Type == QuantizedType.Int8 ? DataType.Int8 : DataType.Uint8;

    /// <summary>The .npy element type.</summary>
    public NpyType NpyType => Type == QuantizedType.Int8 ? NpyType.Int8 : NpyType.UInt8;

    /// <summary>The real value of a quantized value, in double precision.</summary>
    public double Dequantize(int quantized) => (quantized - ZeroPoint) * (double)Scale;

    /// <summary>The quantized value nearest to a real value, saturated (half to even, like QuantizeLinear).</summary>
    public int Quantize(double real) => Math.Clamp((int)Math.Round(real / Scale, MidpointRounding.ToEven) + ZeroPoint, Min, Max);

    /// <summary>Chooses parameters for a calibrated float range.</summary>
    /// <param name="low">The smallest value to represent (for <see cref="ZeroPointPolicy.Tight"/> a low percentile).</param>
    /// <param name="high">The largest value to represent (for <see cref="ZeroPointPolicy.Tight"/> a high percentile).</param>
    /// <param name="type">int8 or uint8.</param>
    /// <param name="policy">How to place the zero point.</param>
    public static Quantization Choose(double low, double high, QuantizedType type, ZeroPointPolicy policy)
    {
        int min = type == QuantizedType.Int8 ? sbyte.MinValue : byte.MinValue;
        int max = min + 255;
        low = Math.Min(low, 0);
        high = Math.Max(high, 0);

        if (high - low < 1e-30)
        {
            // A constant-zero output: any scale represents it; the generator self-test flags such a model.
            return new Quantization(1e-3f, type == QuantizedType.Int8 ? 0 : 128, type);
        }

        if (policy == ZeroPointPolicy.Symmetric)
        {
            double magnitude = Math.Max(-low, high);
            return new Quantization((float)(2 * magnitude / 255), type == QuantizedType.Int8 ? 0 : 128, type);
        }

        float scale = (float)((high - low) / 255);
        int zeroPoint = Math.Clamp((int)Math.Round(min - (low / scale)), min, max);
        return new Quantization(scale, zeroPoint, type);
    }

    /// <summary>Describes the parameters, e.g. "uint8 s=0.0123 zp=128".</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{(Type == QuantizedType.Int8 ? "int8" : "uint8")} s={Scale:G4} zp={ZeroPoint}");
}
