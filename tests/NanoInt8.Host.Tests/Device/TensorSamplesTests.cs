using System.Globalization;
using NanoInt8.Host.Device;
using NanoInt8.Host.Execution;
using NanoInt8.Host.Format;
using NanoInt8.Onnx;

namespace NanoInt8.Host.Tests.Device
{
    /// <summary>Input files with one or several samples, and stacked outputs.</summary>
    [TestClass]
    public sealed class TensorSamplesTests
    {
        private static readonly GraphTensor FloatInput = new GraphTensor("x", 0, new[] { 1, 3 }, OriginalElementType.Float32, 0.5f, 0);
        private static readonly GraphTensor Int8Input = new GraphTensor("q", 0, new[] { 2 }, OriginalElementType.Int8, 1f, 0);

        [TestMethod]
        public void ParseCsv_OneRowPerSample_SeveralSamples()
        {
            IReadOnlyList<NpyArray> samples = TensorSamples.ParseCsv(FloatInput, "1, 2, 3\n4.5,5,6\n", "x.csv");

            Assert.HasCount(2, samples);
            CollectionAssert.AreEqual(new[] { 4.5f, 5f, 6f }, samples[1].AsFloats());
            CollectionAssert.AreEqual(new[] { 1, 3 }, samples[1].Shape);
        }

        [TestMethod]
        public void ParseCsv_FlatListOverSeveralLines_OneSample()
        {
            IReadOnlyList<NpyArray> samples = TensorSamples.ParseCsv(FloatInput, "1\n2\n3\n", "x.csv");

            Assert.HasCount(1, samples);
            CollectionAssert.AreEqual(new[] { 1f, 2f, 3f }, samples[0].AsFloats());
        }

        [TestMethod]
        public void ParseCsv_CommaDecimalCulture_StillReadsDots()
        {
            CultureInfo before = CultureInfo.CurrentCulture;
            try
            {
                CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");

                IReadOnlyList<NpyArray> samples = TensorSamples.ParseCsv(FloatInput, "0.25;1.5;-2", "x.csv");

                CollectionAssert.AreEqual(new[] { 0.25f, 1.5f, -2f }, samples[0].AsFloats());
            }
            finally
            {
                CultureInfo.CurrentCulture = before;
            }
        }

        [TestMethod]
        public void ParseCsv_WrongCount_MismatchNamingBothCounts()
        {
            InputMismatchException exception = Assert.ThrowsExactly<InputMismatchException>(() => TensorSamples.ParseCsv(FloatInput, "1,2,3,4", "x.csv"));

            StringAssert.Contains(exception.Message, "x.csv holds 4 numbers");
            StringAssert.Contains(exception.Message, "needs 3 per sample");
        }

        [TestMethod]
        public void ParseCsv_Int8OutOfRange_Mismatch()
        {
            InputMismatchException exception = Assert.ThrowsExactly<InputMismatchException>(() => TensorSamples.ParseCsv(Int8Input, "1,200", "q.csv"));

            StringAssert.Contains(exception.Message, "'200' is not a whole number from -128 to 127");
        }

        [TestMethod]
        public void Split_BatchDimensionReplaced_OneSamplePerRow()
        {
            NpyArray array = new NpyArray(new[] { 1f, 2f, 3f, 4f, 5f, 6f }, 2, 3);

            IReadOnlyList<NpyArray> samples = TensorSamples.Split(FloatInput, array);

            Assert.HasCount(2, samples);
            CollectionAssert.AreEqual(new[] { 4f, 5f, 6f }, samples[1].AsFloats());
        }

        [TestMethod]
        public void Stack_TwoSamples_ReplacesBatchOfOne()
        {
            NpyArray stacked = TensorSamples.Stack(FloatInput, new[] { new NpyArray(new[] { 1f, 2f, 3f }, 1, 3), new NpyArray(new[] { 4f, 5f, 6f }, 1, 3) });

            CollectionAssert.AreEqual(new[] { 2, 3 }, stacked.Shape);
            CollectionAssert.AreEqual(new[] { 1f, 2f, 3f, 4f, 5f, 6f }, stacked.AsFloats());
        }

        [TestMethod]
        public void Random_FloatInput_ValuesOnTheQuantizationGrid()
        {
            IReadOnlyList<NpyArray> samples = TensorSamples.Random(FloatInput, 3, new Random(1));

            Assert.HasCount(3, samples);
            Assert.IsTrue(samples.SelectMany(sample => sample.AsFloats()).All(value => value * 2 == MathF.Round(value * 2) && value >= -64 && value <= 63.5f));
        }

        [TestMethod]
        public void ParseCsv_SemicolonsAndDecimalCommas_ReadAsNumbers()
        {
            IReadOnlyList<NpyArray> samples = TensorSamples.ParseCsv(FloatInput, "1,5;2,25;-3\n4;5;6,75\n", "x.csv");

            // Not six numbers per row: a spreadsheet saved in a decimal-comma locale.
            Assert.HasCount(2, samples);
            CollectionAssert.AreEqual(new[] { 1.5f, 2.25f, -3f }, samples[0].AsFloats());
            CollectionAssert.AreEqual(new[] { 4f, 5f, 6.75f }, samples[1].AsFloats());
        }

        [TestMethod]
        [DataRow(float.NaN, "NaN")]
        [DataRow(float.PositiveInfinity, "Infinity")]
        [DataRow(float.NegativeInfinity, "-Infinity")]
        public void Read_NonFiniteValue_MismatchNamingFileSampleAndValue(float value, string printed)
        {
            byte[] npy = NpyFile.ToBytes(new NpyArray(new[] { 1f, 2f, 3f, 4f, value, 6f }, 2, 3));

            InputMismatchException exception = Assert.ThrowsExactly<InputMismatchException>(() => TensorSamples.Read(FloatInput, "x.npy", npy));

            Assert.AreEqual($"x.npy holds {printed} in sample 1, value 1 of input 'x'; inputs must be finite numbers.", exception.Message);
        }

        [TestMethod]
        [DataRow("x.npy")]
        [DataRow("x.csv")]
        public void Read_NoSamples_Mismatch(string name)
        {
            byte[] content = name.EndsWith(".csv", StringComparison.Ordinal)
                ? System.Text.Encoding.UTF8.GetBytes("# nothing\n")
                : NpyFile.ToBytes(new NpyArray(Array.Empty<float>(), 0, 3));

            InputMismatchException exception = Assert.ThrowsExactly<InputMismatchException>(() => TensorSamples.Read(FloatInput, name, content));

            StringAssert.Contains(exception.Message, $"{name} holds no samples for input 'x'");
        }

        [TestMethod]
        public void CountClipped_ValuesBeyondHalfAStepOutsideTheRange_CountedWithTheFarthest()
        {
            // Scale 0.5, zero point 0: the int8 range covers -64 .. 63.5; 63.7 rounds to 63.5, 64 does not.
            NpyArray sample = new NpyArray(new[] { 63.7f, 64f, 1e30f }, 1, 3);

            (long count, float farthest) = TensorSamples.CountClipped(FloatInput, new[] { sample });

            Assert.AreEqual(2L, count);
            Assert.AreEqual(1e30f, farthest);
        }

        [TestMethod]
        public void ToDevice_NaN_MismatchInsteadOfMinus128()
        {
            InputMismatchException exception = Assert.ThrowsExactly<InputMismatchException>(
                () => FloatInput.ToDevice(new NpyArray(new[] { 0f, float.NaN, 0f }, 1, 3), new sbyte[3]));

            StringAssert.Contains(exception.Message, "Input 'x' holds NaN at value 1");
        }
    }
}
