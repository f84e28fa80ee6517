using System.Globalization;

namespace NanoInt8.Conversion.Tests.Generators;

/// <summary>Random draws the generator families share.</summary>
internal static class Sampling
{
    /// <summary>The smallest per-channel weight scale the issue asks for.</summary>
    public const double SmallestWeightScale = 1e-5;

    /// <summary>The largest per-channel weight scale the issue asks for.</summary>
    public const double LargestWeightScale = 1;

    /// <summary>A value whose logarithm is uniform in [ln low, ln high).</summary>
    public static double LogUniform(Random random, double low, double high) =>
        Math.Exp(Math.Log(low) + (random.NextDouble() * (Math.Log(high) - Math.Log(low))));

    /// <summary>A value uniform in [low, high).</summary>
    public static double Uniform(Random random, double low, double high) => low + (random.NextDouble() * (high - low));

    /// <summary>True with probability <paramref name="probability"/>.</summary>
    public static bool Chance(Random random, double probability) => random.NextDouble() < probability;

    /// <summary>One of the items, uniformly.</summary>
    public static T Pick<T>(Random random, params T[] items) => items[random.Next(items.Length)];

    /// <summary>int8 or uint8, evenly.</summary>
    public static QuantizedType Type(Random random) => Chance(random, 0.5) ? QuantizedType.Int8 : QuantizedType.UInt8;

    /// <summary>The output type: usually the input's, sometimes the other one.</summary>
    public static QuantizedType OutputType(Random random, QuantizedType inputType) =>
        Chance(random, 0.75) ? inputType : (inputType == QuantizedType.Int8 ? QuantizedType.UInt8 : QuantizedType.Int8);

    /// <summary>Opset 13 or 21, evenly.</summary>
    public static long Opset(Random random) => Chance(random, 0.5) ? 13 : 21;

    /// <summary>The zero-point policy of a calibrated activation: mostly a min/max fit.</summary>
    public static ZeroPointPolicy Policy(Random random)
    {
        double draw = random.NextDouble();
        return draw < 0.6 ? ZeroPointPolicy.Fit : draw < 0.8 ? ZeroPointPolicy.Symmetric : ZeroPointPolicy.Tight;
    }

    /// <summary>
    /// A zero point with the extremes over-represented: 25% the type's minimum, 20% its maximum,
    /// 20% its middle (0 or 128), the rest uniform.
    /// </summary>
    public static int ZeroPoint(Random random, QuantizedType type)
    {
        int min = type == QuantizedType.Int8 ? sbyte.MinValue : byte.MinValue;
        double draw = random.NextDouble();
        return draw < 0.25 ? min : draw < 0.45 ? min + 255 : draw < 0.65 ? min + 128 : random.Next(min, min + 256);
    }

    /// <summary>Input quantization with a log-uniform scale in [low, high) and an extreme-biased zero point.</summary>
    public static Quantization InputQuantization(Random random, QuantizedType type, double lowScale = 1e-3, double highScale = 0.5) =>
        new((float)LogUniform(random, lowScale, highScale), ZeroPoint(random, type), type);

    /// <summary>Input quantization whose representable range is <paramref name="width"/> wide (placed by the zero point).</summary>
    public static Quantization InputQuantizationForWidth(Random random, QuantizedType type, double width) =>
        new((float)(width / 255), ZeroPoint(random, type), type);

    /// <summary>
    /// Per-channel weight scales, log-uniform within [1e-5, 1]: usually clustered within one
    /// decade around a log-uniform centre (so every channel reaches the output range), in a
    /// quarter of the models spread independently over the whole interval (so the tiniest
    /// multipliers are exercised, at the price of near-zero channels).
    /// </summary>
    public static float[] WeightScales(Random random, int channels, out string description)
    {
        var scales = new float[channels];
        if (Chance(random, 0.25))
        {
            for (int channel = 0; channel < channels; channel++)
            {
                scales[channel] = (float)LogUniform(random, SmallestWeightScale, LargestWeightScale);
            }

            description = "scales spread 1e-5..1";
            return scales;
        }

        double centre = LogUniform(random, SmallestWeightScale * 3.2, LargestWeightScale / 3.2);
        for (int channel = 0; channel < channels; channel++)
        {
            scales[channel] = (float)Math.Clamp(centre * Math.Pow(10, Uniform(random, -0.5, 0.5)), SmallestWeightScale, LargestWeightScale);
        }

        description = "scales ~" + Format(centre);
        return scales;
    }

    /// <summary>Weight values uniform in [-127, 127] (symmetric int8, as quantizers produce).</summary>
    public static sbyte[] WeightValues(Random random, int count)
    {
        var values = new sbyte[count];
        for (int index = 0; index < count; index++)
        {
            values[index] = (sbyte)random.Next(-127, 128);
        }

        return values;
    }

    /// <summary>
    /// Real bias values whose int32 quantization (scale input_scale·weight_scale[c]) is uniform
    /// within ±(√K · 5000): the size of a typical accumulator of K products of (x - zp)·w.
    /// </summary>
    public static float[] Bias(Random random, int channels, int reduction, float inputScale, float[] weightScales)
    {
        var bias = new float[channels];
        double bound = Math.Sqrt(reduction) * 5000;
        for (int channel = 0; channel < channels; channel++)
        {
            float biasScale = inputScale * weightScales[weightScales.Length > 1 ? channel : 0];
            long quantized = (long)Math.Round(Uniform(random, -bound, bound));
            bias[channel] = (float)(quantized * (double)biasScale);
        }

        return bias;
    }

    /// <summary>Formats a number for a configuration description.</summary>
    public static string Format(double value) => value.ToString("G3", CultureInfo.InvariantCulture);

    /// <summary>Formats an int list, e.g. "[1,2]".</summary>
    public static string Format(IEnumerable<int> values) => "[" + string.Join(",", values) + "]";

    /// <summary>Formats a long list, e.g. "[1,-1]".</summary>
    public static string Format(IEnumerable<long> values) => "[" + string.Join(",", values) + "]";
}
