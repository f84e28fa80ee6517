using System;
using System.Numerics;
using CsCheck;
using NanoInt8.Host.Conversion;
using NanoInt8.Host.Execution;
using NanoInt8.Host.Format;
using NanoInt8.Host.Quantization;

namespace NanoInt8.Runtime.Tests
{
    /// <summary>
    /// The raw input transform over random sensor scalings, input quantizations, requantization modes
    /// and readings (host only: BigInteger, float and CsCheck). The device's int8 value must be, for any
    /// int32 reading, clamp(zeroPoint + x · r) with x = reading - offset unclamped (so the device's clamp
    /// to RawMin .. RawMax changes nothing) and r the stored pair's ratio: rounded once, half to even,
    /// exactly (BigInteger) for the Q31 and Q15 pairs, in float32 arithmetic for the Float32 pair (the
    /// exact mode). And it must be within one step of QuantizeLinear of the real value (reading - offset)
    /// · rawScale in float32 as ONNX computes it, which differs from the exact value only by the pair's
    /// rounding of the ratio and float32's rounding of the product.
    /// </summary>
    [TestClass]
    public class RawInputTransformPropertyTests
    {
        private static readonly RequantizationMode[] s_modes =
        {
            RequantizationMode.Q31, RequantizationMode.Q15, RequantizationMode.PowerOfTwo, RequantizationMode.PerTensor, RequantizationMode.Exact,
        };

        [TestMethod]
        public void Apply_AnyScalingAndReading_IsTheExactRoundingOfTheStoredRatio()
        {
            Scalings().Sample(scaling =>
            {
                (RawInputEntry entry, _, _, int zeroPoint, int[] readings) = scaling;
                sbyte[] device = Apply(entry, zeroPoint, readings);
                for (int i = 0; i < readings.Length; i++)
                {
                    long x = (long)readings[i] - entry.RawOffset;
                    if (device[i] != Reference(entry, zeroPoint, x))
                    {
                        return false;
                    }
                }

                return true;
            }, iter: 20_000);
        }

        [TestMethod]
        public void Apply_AnyScalingAndReading_WithinOneStepOfQuantizeLinearOfTheRequestedRealValue()
        {
            Scalings().Sample(scaling =>
            {
                (RawInputEntry entry, double rawScale, double inputScale, int zeroPoint, int[] readings) = scaling;
                sbyte[] device = Apply(entry, zeroPoint, readings);
                for (int i = 0; i < readings.Length; i++)
                {
                    float real = (float)(((long)readings[i] - entry.RawOffset) * rawScale);
                    if (Math.Abs(device[i] - HostModelRunner.QuantizeLinear(real, (float)inputScale, zeroPoint)) > 1)
                    {
                        return false;
                    }
                }

                return true;
            }, iter: 20_000);
        }

        [TestMethod]
        public void Encode_AnyScaling_BoundsSaturate()
        {
            // The bounds are where the value has already saturated, so clamping to them changes nothing.
            Scalings().Sample(scaling =>
            {
                (RawInputEntry entry, _, _, int zeroPoint, _) = scaling;
                return Reference(entry, zeroPoint, (long)entry.RawMin - entry.RawOffset) == -128
                    && Reference(entry, zeroPoint, (long)entry.RawMax - entry.RawOffset) == 127;
            }, iter: 20_000);
        }

        // A mode, an input quantization, a ratio raw step / input step in [2^-21, 2^9] (the encoder's
        // range), an offset, and readings: near the offset, near the bounds, anywhere.
        private static Gen<(RawInputEntry Entry, double RawScale, double InputScale, int ZeroPoint, int[] Readings)> Scalings()
        {
            return Gen.Select(Gen.Int[0, s_modes.Length - 1], Gen.Double[-12, 2], Gen.Double[-21, 9], Gen.Int[-128, 127], Gen.Int[-(1 << 29), 1 << 29])
                .SelectMany(parameters =>
                {
                    (int mode, double scaleExponent, double ratioExponent, int zeroPoint, int offset) = parameters;
                    double inputScale = (float)Math.Pow(2, scaleExponent);
                    double rawScale = Math.Pow(2, ratioExponent) * inputScale;
                    RawInputEntry entry = RawInputEncoder.Encode(new RawInputScaling(rawScale, offset), inputScale, zeroPoint, s_modes[mode]);
                    Gen<int> near = Gen.Int[-300, 300].Select(step => (int)Math.Clamp(offset + step * Math.Max(1.0, 1 / Math.Pow(2, ratioExponent)), int.MinValue, int.MaxValue));
                    Gen<int> bound = Gen.Int[-3, 3].SelectMany(step => Gen.Bool.Select(low => (int)Math.Clamp((long)(low ? entry.RawMin : entry.RawMax) + step, int.MinValue, int.MaxValue)));
                    return Gen.Frequency((4, near), (2, bound), (1, Gen.Int)).Array[1, 24]
                        .Select(readings => (entry, rawScale, inputScale, zeroPoint, readings));
                });
        }

        private static sbyte[] Apply(RawInputEntry entry, int zeroPoint, int[] readings)
        {
            sbyte[] values = new sbyte[readings.Length];
            RawInputTransform.Apply(entry.ToWords(), 0, zeroPoint, readings, 0, values, 0, readings.Length);
            return values;
        }

        // clamp(zeroPoint + x · r) with the pair's ratio r and the entry's arithmetic, x unclamped.
        private static int Reference(RawInputEntry entry, int zeroPoint, long x)
        {
            BigInteger scaled;
            if (entry.Arithmetic == Requantization.Float32)
            {
                float ratio = (float)Math.ScaleB(entry.Multiplier, entry.Shift - 23);
                scaled = new BigInteger(Math.Round((double)((float)x * ratio), MidpointRounding.ToEven));
            }
            else
            {
                int exponent = entry.Arithmetic == Requantization.Q15 ? entry.Shift - 15 : entry.Shift - 31;
                BigInteger product = (BigInteger)x * entry.Multiplier;
                scaled = exponent >= 0 ? product << exponent : ExactReference.RoundHalfToEven(product, BigInteger.One << -exponent);
            }

            BigInteger value = zeroPoint + scaled;
            return value < -128 ? -128 : value > 127 ? 127 : (int)value;
        }
    }
}
