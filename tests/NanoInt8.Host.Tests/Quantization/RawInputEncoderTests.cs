using NanoInt8.Host.Conversion;
using NanoInt8.Host.Execution;
using NanoInt8.Host.Format;
using NanoInt8.Host.Quantization;
using NanoInt8.Onnx;
using NanoInt8.Runtime;
using NanoInt8.Tests.Shared;

namespace NanoInt8.Host.Tests.Quantization
{
    /// <summary>
    /// The raw input transform the converter stores (metadata key 8): the pair's arithmetic follows the
    /// model's mode, the bounds are where the int8 value has saturated, and a conversion with a raw
    /// scaling writes one transform per graph input (and one without writes none).
    /// </summary>
    [TestClass]
    public sealed class RawInputEncoderTests
    {
        [TestMethod]
        [DataRow(RequantizationMode.Q31, Requantization.Q31)]
        [DataRow(RequantizationMode.PerTensor, Requantization.Q31)]
        [DataRow(RequantizationMode.Q15, Requantization.Q15)]
        [DataRow(RequantizationMode.PowerOfTwo, Requantization.Q15)]
        [DataRow(RequantizationMode.Exact, Requantization.Float32)]
        public void Encode_Mode_PairInTheModesArithmetic(RequantizationMode mode, int arithmetic)
        {
            RawInputEntry entry = RawInputEncoder.Encode(new RawInputScaling(0.003, 2048), 0.0078125, -5, mode);

            Assert.AreEqual(arithmetic, entry.Arithmetic);
            Assert.AreEqual(0.003 / 0.0078125, RequantizationEncoder.ToReal(entry.Multiplier, entry.Shift, arithmetic), 0.003 / 0.0078125 * Math.Pow(2, -14));
            Assert.IsTrue(entry.IsValid);
        }

        [TestMethod]
        public void Encode_QuarterRatio_BoundsWhereTheValueSaturates()
        {
            // r = 1/4, zero point -3: the value is -3 + (raw - 1000) / 4, past 127 from 1524 (131) and
            // past -128 from 496 (-129): half a step to spare each way.
            RawInputEntry entry = RawInputEncoder.Encode(new RawInputScaling(0.25, 1000), 1.0, -3, RequantizationMode.Q31);

            Assert.AreEqual(new RawInputEntry(Requantization.Q31, 1 << 30, -1, 1000, 496, 1524), entry);
        }

        [TestMethod]
        public void Encode_RatioAbove256_StoredAs256()
        {
            // Every reading but the offset saturates either way.
            RawInputEntry entry = RawInputEncoder.Encode(new RawInputScaling(5000, 0), 1.0, 0, RequantizationMode.Q31);

            Assert.AreEqual(RawInputEncoder.MaxRatio, RequantizationEncoder.ToReal(entry.Multiplier, entry.Shift, Requantization.Q31));
            Assert.AreEqual(-1, entry.RawMin);
            Assert.AreEqual(1, entry.RawMax);
        }

        [TestMethod]
        public void Encode_ReadingsSpanningMoreThan2To30_ConversionExceptionSaysWhatToDo()
        {
            ConversionException exception = Assert.ThrowsExactly<ConversionException>(
                () => RawInputEncoder.Encode(new RawInputScaling(1e-9, 0), 1.0, 0, RequantizationMode.Q31));

            StringAssert.Contains(exception.Message, "2^30");
            StringAssert.Contains(exception.Message, "shift the readings right");
        }

        [TestMethod]
        [DataRow(0.0, 0)]
        [DataRow(-1.0, 0)]
        [DataRow(double.NaN, 0)]
        [DataRow(1.0, 1 << 30)]
        [DataRow(1.0, -(1 << 30))]
        public void RawInputScaling_OutOfRange_Throws(double scale, int offset)
        {
            Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new RawInputScaling(scale, offset));
        }

        [TestMethod]
        public void Convert_WithRawInput_OneTransformPerInputFromItsQuantization()
        {
            OnnxModel model = OnnxModel.Load(QdqConvModel.Onnx());
            RawInputScaling scaling = new RawInputScaling(0.01, 100);

            byte[] blob = OnnxConverter.Convert(model, new ConversionOptions { RawInput = scaling }).Blob;

            GraphTensor input = new HostModelRunner(blob).Inputs.Single();
            RawInputEntry expected = RawInputEncoder.Encode(scaling, input.Scale, input.ZeroPoint, RequantizationMode.Q31);
            Assert.AreEqual(expected, ModelFile.Read(blob).Metadata.RawInputs.Single());
            Assert.AreEqual(expected, input.RawInput);
            Assert.AreEqual(0.01, input.RawInputScale!.Value, 0.01 * Math.Pow(2, -30));
        }

        [TestMethod]
        public void Convert_WithoutRawInput_NoKey8()
        {
            byte[] blob = OnnxConverter.Convert(OnnxModel.Load(QdqConvModel.Onnx())).Blob;

            Assert.IsEmpty(ModelFile.Read(blob).Metadata.RawInputs);
            Assert.IsNull(new HostModelRunner(blob).Inputs.Single().RawInput);
        }

        [TestMethod]
        public void Write_RawInputsForAnotherNumberOfInputs_Throws()
        {
            ModelBuilder builder = NanoInt8.Host.Tests.Format.SmallModel.Build();
            builder.Metadata.RawInputs.Add(new RawInputEntry(Requantization.Q31, 1 << 30, -1, 1000, 496, 1524));
            builder.Metadata.RawInputs.Add(new RawInputEntry(Requantization.Q31, 1 << 30, -1, 1000, 496, 1524));

            ModelFormatException exception = Assert.ThrowsExactly<ModelFormatException>(() => ModelWriter.Write(builder));
            StringAssert.Contains(exception.Message, "2 raw input transforms for 1 graph inputs");
        }
    }
}
