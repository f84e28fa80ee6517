using NanoInt8.Host.Analysis;
using NanoInt8.Host.Conversion;
using NanoInt8.Host.Execution;
using NanoInt8.Host.Format;
using NanoInt8.Host.Quantization;
using NanoInt8.Onnx;
using NanoInt8.Tests.Shared;
using DataType = NanoInt8.Onnx.Protobuf.TensorProto.Types.DataType;

namespace NanoInt8.Host.Tests.Analysis
{
    /// <summary>
    /// RequantizationAnalysis on the shared QDQ Conv model (tests/TestModels.Shared): float images
    /// [1, 2, 5, 5] → Conv 3x3 (3 output channels, pad 1) + Relu → features [1, 3, 5, 5].
    /// </summary>
    [TestClass]
    public sealed class RequantizationAnalysisTests
    {
        private const int Samples = 8;

        private static RequantizationReport s_report = null!;
        private static RequantizationAnalysis s_analysis = null!;

        [ClassInitialize]
        public static void Analyze(TestContext context)
        {
            s_analysis = RequantizationAnalysis.Convert(QdqConvModel.Onnx());
            s_report = s_analysis.Run(s_analysis.RandomSamples(Samples, seed: 3));
        }

        [TestMethod]
        public void Run_QdqConv_OneConvertedRowPerModeInTableOrder()
        {
            CollectionAssert.AreEqual(RequantizationModes.All.ToArray(), s_report.Modes.Select(mode => mode.Mode).ToArray());
            foreach (ModeAnalysis mode in s_report.Modes)
            {
                Assert.IsNull(mode.Failure, mode.Mode.Name());
                Assert.AreEqual(Samples, mode.Samples);
                Assert.AreEqual(Samples * 3L * 5 * 5, mode.Elements, mode.Mode.Name());
                Assert.AreEqual(mode.Elements, mode.DifferenceCounts.Values.Sum(), $"{mode.Mode.Name()}: the histogram holds every value once");
                Assert.AreEqual(mode.DifferenceCounts.GetValueOrDefault(0), mode.Identical, mode.Mode.Name());
            }
        }

        [TestMethod]
        public void Run_PaddedConv_CountsOnlyTheTapsInsideTheImage()
        {
            // Pad 1 on a 5x5 image: along each axis the 5 outputs see 2, 3, 3, 3, 2 taps (13 in all),
            // so one filter plane sums 13 · 13 = 169 taps; · 2 input · 3 output channels = 1,014,
            // where ModelSummary's 25 · 3 · 18 = 1,350 counts the padding taps too.
            ModelSummary summary = ModelSummary.FromBlob(s_analysis.Blob(RequantizationMode.Q31)!);
            Assert.AreEqual(1350, summary.MultiplyAccumulates);
            foreach (ModeAnalysis mode in s_report.Modes)
            {
                Assert.AreEqual(1014.0, mode.MultiplyAccumulatesPerInference, mode.Mode.Name());
            }
        }

        [TestMethod]
        public void Run_UnpaddedConv_MacsEqualModelSummary()
        {
            RequantizationAnalysis analysis = RequantizationAnalysis.Convert(QdqConvModel.Onnx(padding: 0));
            RequantizationReport report = analysis.Run(analysis.RandomSamples(2, seed: 5));

            ModelSummary summary = ModelSummary.FromBlob(analysis.Blob(RequantizationMode.Q31)!);
            Assert.AreEqual(3L * 3 * 3 * 2 * 3 * 3, summary.MultiplyAccumulates);
            Assert.AreEqual((double)summary.MultiplyAccumulates, report[RequantizationMode.Q31].MultiplyAccumulatesPerInference);
            Assert.AreEqual(2 * summary.MultiplyAccumulates, report[RequantizationMode.Q31].MultiplyAccumulates);
        }

        [TestMethod]
        public void Run_QdqConv_OneRequantizationPerConvOutput()
        {
            // The Conv (with its Relu fused) is the only operator; input quantization and output
            // dequantization happen on the host, outside the runtime.
            foreach (ModeAnalysis mode in s_report.Modes)
            {
                Assert.AreEqual(3.0 * 5 * 5, mode.RequantizationsPerInference, mode.Mode.Name());
                Assert.IsTrue(mode.RequantizationOperations > mode.Requantizations, $"{mode.Mode.Name()}: a requantization costs more than one operation");
                Assert.AreEqual(100.0 * mode.RequantizationOperations / mode.MultiplyAccumulates, mode.RequantizationOperationsPerMacPercent!.Value, 1e-9);
            }
        }

        [TestMethod]
        public void Run_Q31_WithinOneStepOfOnnxRuntimeAlmostEverywhere()
        {
            ModeAnalysis q31 = s_report[RequantizationMode.Q31];

            Assert.IsTrue(q31.IdenticalShare >= 0.95, $"identical {q31.IdenticalShare:P1}");
            Assert.IsTrue(q31.LargestDifference <= 1, $"largest difference {q31.LargestDifference}");
            Assert.AreEqual(ErrorReference.QdqFloatPath, s_report.ErrorReference);
            Assert.IsTrue(q31.MaxError <= 1.0 + 1e-6, $"max error {q31.MaxError} steps against the QDQ float path");
        }

        [TestMethod]
        public void Run_QdqConv_DeviceSizesAreTheNi8s()
        {
            foreach (ModeAnalysis mode in s_report.Modes)
            {
                ModelSummary summary = ModelSummary.FromBlob(s_analysis.Blob(mode.Mode)!);
                // 54 int8 weights; bias, multiplier and shift of 3 channels as int32.
                Assert.AreEqual(54 + (3 * 3 * 4), mode.ParameterBytes, mode.Mode.Name());
                Assert.AreEqual(summary.WeightBytes, mode.ParameterBytes, mode.Mode.Name());
                Assert.AreEqual(summary.DeviceBytes, mode.DeviceBytes, mode.Mode.Name());
            }
        }

        [TestMethod]
        public void Run_FeatureMapOutput_NoTopOne()
        {
            Assert.IsNull(s_report.ClassifierOutput);
            Assert.IsTrue(s_report.Modes.All(mode => mode.TopOneAgreements is null));
        }

        [TestMethod]
        public void Run_FloatModelGiven_ErrorMeasuredAgainstIt()
        {
            // The float model: the same Conv + Relu with the weights and bias dequantized, no QDQ.
            RequantizationReport report = s_analysis.Run(s_analysis.RandomSamples(4, seed: 3), FloatConv());

            Assert.AreEqual(ErrorReference.FloatModel, report.ErrorReference);
            ModeAnalysis q31 = report[RequantizationMode.Q31];
            // Against unquantized activations the device is off by rounding (≤ 0.5 step) plus input
            // quantization, but far from the QDQ float path's exact agreement.
            Assert.IsTrue(q31.RmsError > 0.05 && q31.RmsError < 2, $"RMS error {q31.RmsError} steps");
        }

        [TestMethod]
        public void Run_FloatModelWithOtherOutputCount_InputMismatch()
        {
            OnnxGraphBuilder builder = new OnnxGraphBuilder("two_outputs");
            builder.AddInput("images", DataType.Float, 1, 2, 5, 5);
            builder.AddNode("Relu", ["images"], ["a"]);
            builder.AddNode("Neg", ["images"], ["b"]);
            builder.AddOutput("a", DataType.Float, 1, 2, 5, 5);
            builder.AddOutput("b", DataType.Float, 1, 2, 5, 5);

            Assert.ThrowsExactly<InputMismatchException>(() => s_analysis.Run(s_analysis.RandomSamples(1, seed: 1), builder.ToBytes()));
        }

        [TestMethod]
        public void Convert_FloatOnlyModel_ThrowsTheConvertersRefusal()
        {
            OnnxGraphBuilder builder = new OnnxGraphBuilder("float_only");
            builder.AddInput("x", DataType.Float, 1, 4);
            builder.AddNode("Relu", ["x"], ["y"]).WithName("relu");
            builder.AddOutput("y", DataType.Float, 1, 4);

            Assert.Throws<ConversionException>(() => RequantizationAnalysis.Convert(builder.ToBytes()));
        }

        [TestMethod]
        public void RandomSamples_SameSeed_SameValues()
        {
            float[] first = s_analysis.RandomSamples(3, seed: 9)[2][0].AsFloats();
            float[] again = s_analysis.RandomSamples(3, seed: 9)[2][0].AsFloats();
            float[] other = s_analysis.RandomSamples(3, seed: 10)[2][0].AsFloats();

            CollectionAssert.AreEqual(first, again);
            CollectionAssert.AreNotEqual(first, other);
        }

        [TestMethod]
        [DataRow(new[] { 1, 3 }, true)]
        [DataRow(new[] { 10 }, true)]
        [DataRow(new[] { 1, 1, 4 }, true)]
        [DataRow(new[] { 1, 3, 5, 5 }, false)]
        [DataRow(new[] { 1, 1 }, false)]
        public void IsClassifierOutput_Shape_TrueForOneClassDimension(int[] shape, bool expected)
        {
            GraphTensor output = new GraphTensor("y", 0, shape, OriginalElementType.Float32, 0.1f, 0);

            Assert.AreEqual(expected, RequantizationAnalysis.IsClassifierOutput(output));
        }

        [TestMethod]
        public void Describe_EveryMode_NamesItsHardwareNeeds()
        {
            StringAssert.Contains(RequantizationVerdict.Describe(s_report, RequantizationMode.Q31), "a 32x32->64-bit multiply in requantization");
            StringAssert.Contains(RequantizationVerdict.Describe(s_report, RequantizationMode.Q15), "no 64-bit multiply in requantization");
            StringAssert.Contains(RequantizationVerdict.Describe(s_report, RequantizationMode.PowerOfTwo), "no multiplier in requantization");
            StringAssert.Contains(RequantizationVerdict.Describe(s_report, RequantizationMode.PerTensor), "one multiplier and shift per tensor");
            StringAssert.Contains(RequantizationVerdict.Describe(s_report, RequantizationMode.PowerOfTwo), "a shift per output channel");
            StringAssert.Contains(RequantizationVerdict.Describe(s_report, RequantizationMode.Exact), "a 32x32->64-bit multiply in requantization");
            Assert.IsTrue(s_report.Modes.All(mode => RequantizationVerdict.Describe(s_report, mode.Mode).Contains("no floating point", StringComparison.Ordinal)));
        }

        [TestMethod]
        public void Describe_RefusedMode_SaysWhy()
        {
            RequantizationReport report = s_report with
            {
                Modes = s_report.Modes.Select(mode => mode.Mode == RequantizationMode.PowerOfTwo ? new ModeAnalysis { Mode = mode.Mode, Failure = "ratio out of range" } : mode).ToArray(),
            };

            Assert.AreEqual("pow2: not available for this model: ratio out of range", RequantizationVerdict.Describe(report, RequantizationMode.PowerOfTwo));
        }

        [TestMethod]
        public void Of_Modes_MatchTheHardwareTable()
        {
            Assert.AreEqual(new ModeHardware(false, true, true, true), ModeHardware.Of(RequantizationMode.Q31));
            Assert.AreEqual(new ModeHardware(false, false, true, true), ModeHardware.Of(RequantizationMode.Q15));
            Assert.AreEqual(new ModeHardware(false, false, false, true), ModeHardware.Of(RequantizationMode.PowerOfTwo));
            Assert.AreEqual(new ModeHardware(false, true, true, false), ModeHardware.Of(RequantizationMode.PerTensor));
            Assert.AreEqual(new ModeHardware(false, true, true, true), ModeHardware.Of(RequantizationMode.Exact));
        }

        /// <summary>QdqConvModel without quantization: the Conv's weights and bias dequantized, float in, float out.</summary>
        private static byte[] FloatConv()
        {
            const float InputScale = 0.05f;
            float[] weightScales = { 0.01f, 0.02f, 0.015f };
            int[] bias = { 150, -300, 40 };
            OnnxGraphBuilder builder = new OnnxGraphBuilder("float_conv");
            builder.AddInput("images", DataType.Float, 1, 2, 5, 5);
            builder.AddInitializer("w", Enumerable.Range(0, 54).Select(i => (((i * 37) % 61) - 30) * weightScales[i / 18]).ToArray(), [3, 2, 3, 3]);
            builder.AddInitializer("b", bias.Select((value, channel) => value * weightScales[channel] * InputScale).ToArray(), [3]);
            builder.AddNode("Conv", ["images", "w", "b"], ["conv_out"]).WithInts("kernel_shape", 3, 3).WithInts("pads", 1, 1, 1, 1);
            builder.AddNode("Relu", ["conv_out"], ["features"]);
            builder.AddOutput("features", DataType.Float, 1, 3, 5, 5);
            return builder.ToBytes();
        }
    }
}
