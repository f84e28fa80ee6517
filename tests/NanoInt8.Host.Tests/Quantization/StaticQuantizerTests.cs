using NanoInt8.Host.Conversion;
using NanoInt8.Host.Execution;
using NanoInt8.Host.Quantization;
using NanoInt8.Onnx;
using NanoInt8.Onnx.Protobuf;
using DataType = NanoInt8.Onnx.Protobuf.TensorProto.Types.DataType;

namespace NanoInt8.Host.Tests.Quantization
{
    /// <summary>
    /// Static post-training quantization: float models built here are quantized, run in ONNX Runtime
    /// (the oracle: graph optimizations off, so QDQ nodes keep their ONNX float semantics), converted
    /// with <see cref="OnnxConverter"/> and run with <see cref="HostModelRunner"/> (the device
    /// runtime on the host).
    /// </summary>
    [TestClass]
    public sealed class StaticQuantizerTests
    {
        private static readonly OnnxRuntimeRunner s_runtime = new OnnxRuntimeRunner();

        // ----- the whole path ---------------------------------------------------------------------

        [TestMethod]
        public void Quantize_ConvGemmClassifier_OrtRunsItAndConverterAccepts()
        {
            OnnxModel model = FloatModels.ConvGemmClassifier(seed: 1);
            NpyArray calibration = FloatModels.Normal(seed: 2, 64, 3, 8, 8);

            QuantizationResult result = new StaticQuantizer().Quantize(model, calibration);

            NpyArray sample = FloatModels.Normal(seed: 3, 1, 3, 8, 8);
            NpyArray output = s_runtime.Run(result.ToBytes(), new Dictionary<string, NpyArray> { ["x"] = sample })[0];
            CollectionAssert.AreEqual(new[] { 1, 5 }, output.Shape);
            ConversionResult conversion = OnnxConverter.Convert(OnnxModel.Load(result.ToBytes()));
            ModelSummary summary = ModelSummary.FromBlob(conversion.Blob);
            CollectionAssert.AreEqual(
                new[] { "Conv2D", "MaxPool", "Conv2D", "GlobalAveragePool", "Reshape", "FullyConnected" },
                summary.Operators.Select(line => line.Kind).ToArray(),
                "Relu fused into the convolutions' clamp, MaxPool and Flatten without requantization");
        }

        [TestMethod]
        public void Quantize_ConvGemmClassifier_DeviceRuntimeWithinOneStepOfOrt()
        {
            OnnxModel model = FloatModels.ConvGemmClassifier(seed: 1);
            QuantizationResult result = new StaticQuantizer().Quantize(model, FloatModels.Normal(seed: 2, 64, 3, 8, 8));
            var runner = new HostModelRunner(OnnxConverter.Convert(OnnxModel.Load(result.ToBytes())).Blob);
            float scale = runner.Outputs[0].Scale;
            using OnnxRuntimeSession session = s_runtime.CreateSession(result.ToBytes());

            NpyArray inputs = FloatModels.Normal(seed: 4, 100, 3, 8, 8);
            int compared = 0;
            int identical = 0;
            double largestSteps = 0;
            foreach (NpyArray sample in Split(inputs, 3, 8, 8))
            {
                float[] expected = session.Run(new Dictionary<string, NpyArray> { ["x"] = sample })[0].AsFloats();
                float[] actual = runner.Run(new[] { sample })[0].AsFloats();
                for (int index = 0; index < expected.Length; index++)
                {
                    // Both are dequantized int8 codes of the same scale: their difference is a whole number of steps.
                    double steps = Math.Abs(expected[index] - actual[index]) / scale;
                    largestSteps = Math.Max(largestSteps, steps);
                    identical += steps < 0.5 ? 1 : 0;
                    compared++;
                }
            }

            // ONNX Runtime requantizes every layer in float32, the device with 31-bit fixed-point
            // multipliers and one rounding: a result may differ by one step where the two round a
            // tie differently (docs/conversion.md), which is rare.
            Assert.IsTrue(largestSteps <= 1.01, $"largest difference {largestSteps} steps");
            Assert.IsTrue(identical >= 0.98 * compared, $"{identical} of {compared} outputs identical");
        }

        [TestMethod]
        public void Quantize_ConvGemmClassifier_ReportsAgreementOnCalibrationData()
        {
            OnnxModel model = FloatModels.ConvGemmClassifier(seed: 1);

            QuantizationReport report = new StaticQuantizer().Quantize(model, FloatModels.Normal(seed: 2, 64, 3, 8, 8)).Report;

            OutputAgreement logits = report.Outputs.Single();
            Assert.AreEqual("logits", logits.Name);
            Assert.AreEqual(64, report.SampleCount);
            Assert.IsNotNull(logits.TopOneAgreement);
            Assert.IsTrue(logits.TopOneAgreement >= 0.9, $"top-1 agreement {logits.TopOneAgreement}");
            Assert.AreEqual((int)Math.Round(logits.TopOneAgreement.Value * 64), logits.TopOneMatches);
            Assert.IsTrue(logits.MeanAbsoluteError > 0 && logits.MeanAbsoluteError < 0.05 * logits.MeanAbsoluteValue,
                $"mean absolute error {logits.MeanAbsoluteError} against mean |logit| {logits.MeanAbsoluteValue}");
            Assert.IsTrue(logits.MaximumAbsoluteError >= logits.MeanAbsoluteError);
        }

        [TestMethod]
        public void Quantize_ReluAfterConv_StaysBeforeQuantizeLinearWithNonNegativeRange()
        {
            OnnxModel model = FloatModels.ConvGemmClassifier(seed: 1);

            QuantizationResult result = new StaticQuantizer().Quantize(model, FloatModels.Normal(seed: 2, 16, 3, 8, 8));

            NodeProto relu = result.Model.Graph.Node.First(node => node.OpType == "Relu");
            NodeProto producer = result.Model.Graph.Node.Single(node => node.Output.Contains(relu.Input[0]));
            NodeProto consumer = result.Model.Graph.Node.Single(node => node.Input.Contains(relu.Output[0]));
            Assert.AreEqual("Conv", producer.OpType);
            Assert.AreEqual("QuantizeLinear", consumer.OpType);
            QuantizedActivation activation = result.Report.Activations.Single(tensor => tensor.Name == relu.Output[0]);
            Assert.AreEqual(-128, activation.Parameters.ZeroPoint, "a ReLU output starts at real 0 = code -128");
        }

        [TestMethod]
        public void Quantize_MaxPoolAndFlatten_ShareTheirInputsParameters()
        {
            QuantizationReport report = new StaticQuantizer().Quantize(FloatModels.ConvGemmClassifier(seed: 1), FloatModels.Normal(seed: 2, 16, 3, 8, 8)).Report;

            QuantizedActivation pooled = report.Activations.Single(tensor => tensor.Name == "pooled");
            QuantizedActivation relu = report.Activations.Single(tensor => tensor.Name == "relu1");
            QuantizedActivation flat = report.Activations.Single(tensor => tensor.Name == "flat");
            QuantizedActivation averaged = report.Activations.Single(tensor => tensor.Name == "averaged");
            Assert.AreEqual(ParameterSource.SharedWithInput, pooled.Source);
            Assert.AreEqual(relu.Parameters, pooled.Parameters);
            Assert.AreEqual(averaged.Parameters, flat.Parameters);
        }

        [TestMethod]
        public void Quantize_Bias_IsInt32WithInputTimesWeightScale()
        {
            QuantizationResult result = new StaticQuantizer().Quantize(FloatModels.ConvGemmClassifier(seed: 1), FloatModels.Normal(seed: 2, 16, 3, 8, 8));
            GraphProto graph = result.Model.Graph;

            NodeProto conv = graph.Node.First(node => node.OpType == "Conv");
            NodeProto biasDequantize = graph.Node.Single(node => node.Output[0] == conv.Input[2]);
            NodeProto weightDequantize = graph.Node.Single(node => node.Output[0] == conv.Input[1]);
            NodeProto inputDequantize = graph.Node.Single(node => node.Output[0] == conv.Input[0]);
            float inputScale = Initializer(graph, inputDequantize.Input[1]).ToFloats().Single();
            float[] weightScales = Initializer(graph, weightDequantize.Input[1]).ToFloats();
            float[] biasScales = Initializer(graph, biasDequantize.Input[1]).ToFloats();
            Assert.AreEqual(DataType.Int32, Initializer(graph, biasDequantize.Input[0]).GetDataType());
            Assert.AreEqual(4, biasScales.Length);
            for (int channel = 0; channel < 4; channel++)
            {
                Assert.AreEqual(inputScale * weightScales[channel], biasScales[channel]);
            }

            int[] bias = Initializer(graph, biasDequantize.Input[0]).ToInt32();
            float[] floatBias = FloatModels.ConvGemmClassifierBias(seed: 1);
            for (int channel = 0; channel < 4; channel++)
            {
                Assert.AreEqual(floatBias[channel], bias[channel] * biasScales[channel], biasScales[channel] / 2 * 1.0001);
            }
        }

        [TestMethod]
        public void Quantize_SoftmaxOutput_FixedScaleOf1Over256()
        {
            OnnxGraphBuilder builder = new OnnxGraphBuilder("probabilities");
            builder.AddInput("x", DataType.Float, 1, 6);
            builder.AddInitializer("w", FloatModels.Normal(seed: 30, 4, 6).AsFloats(), [4, 6]);
            builder.AddNode("Gemm", ["x", "w"], ["logits"]).WithName("dense").WithInt("transB", 1);
            builder.AddNode("Softmax", ["logits"], ["p"]).WithName("softmax");
            builder.AddOutput("p", DataType.Float, 1, 4);

            QuantizationResult result = new StaticQuantizer().Quantize(OnnxModel.Load(builder.ToBytes()), FloatModels.Normal(seed: 31, 32, 6));

            QuantizedActivation probabilities = result.Report.Activations.Single(tensor => tensor.Name == "p");
            Assert.AreEqual(ParameterSource.Fixed, probabilities.Source);
            Assert.AreEqual(new QuantizationParameters(1f / 256f, -128), probabilities.Parameters);
            Assert.IsTrue(probabilities.Observed.Maximum is > 0 and <= 1, $"observed {probabilities.Observed}");
            Assert.IsTrue(result.Report.Outputs.Single().TopOneAgreement >= 0.9);
            CollectionAssert.AreEqual(
                new[] { "FullyConnected", "Softmax" },
                ModelSummary.FromBlob(OnnxConverter.Convert(OnnxModel.Load(result.ToBytes())).Blob).Operators.Select(line => line.Kind).ToArray());
        }

        [TestMethod]
        public void Quantize_ResidualAddAndConstantMul_QuantizesConstantsPerTensorAndConverts()
        {
            // x → Conv 1x1 → Add(conv, x) → Mul(·, constant per channel) → y: an activation pair and
            // a constant operand, each quantized per tensor.
            OnnxGraphBuilder builder = new OnnxGraphBuilder("residual");
            builder.AddInput("x", DataType.Float, 1, 2, 4, 4);
            builder.AddInitializer("w", [0.5f, -0.2f, 0.3f, 0.8f], [2, 2, 1, 1]);
            builder.AddInitializer("gain", [1.5f, -0.5f], [1, 2, 1, 1]);
            builder.AddNode("Conv", ["x", "w"], ["conv"]).WithName("conv").WithInts("kernel_shape", 1, 1);
            builder.AddNode("Add", ["conv", "x"], ["sum"]).WithName("residual");
            builder.AddNode("Mul", ["sum", "gain"], ["y"]).WithName("scale");
            builder.AddOutput("y", DataType.Float, 1, 2, 4, 4);

            QuantizationResult result = new StaticQuantizer().Quantize(OnnxModel.Load(builder.ToBytes()), FloatModels.Normal(seed: 32, 32, 2, 4, 4));

            NodeProto multiply = result.Model.Graph.Node.Single(node => node.OpType == "Mul");
            NodeProto gain = result.Model.Graph.Node.Single(node => node.Output[0] == multiply.Input[1]);
            Assert.AreEqual("DequantizeLinear", gain.OpType);
            Assert.AreEqual(DataType.Int8, Initializer(result.Model.Graph, gain.Input[0]).GetDataType());
            Assert.AreEqual(0, Initializer(result.Model.Graph, gain.Input[1]).Dims.Count, "a constant operand has one scale");
            OutputAgreement output = result.Report.Outputs.Single();
            Assert.IsTrue(output.MeanAbsoluteError < 0.03 * output.MeanAbsoluteValue, $"{output.MeanAbsoluteError} against {output.MeanAbsoluteValue}");
            CollectionAssert.AreEqual(
                new[] { "Conv2D", "Add", "Mul" },
                ModelSummary.FromBlob(OnnxConverter.Convert(OnnxModel.Load(result.ToBytes())).Blob).Operators.Select(line => line.Kind).ToArray());
        }

        // ----- weights: per channel and per tensor -------------------------------------------------

        [TestMethod]
        public void Quantize_PerChannel_OneSymmetricScalePerOutputChannelOnAxisZero()
        {
            QuantizationResult result = new StaticQuantizer().Quantize(FloatModels.UnevenChannels(), FloatModels.Normal(seed: 5, 32, 2, 6, 6));
            GraphProto graph = result.Model.Graph;

            NodeProto weights = ConvWeightDequantize(graph);
            float[] scales = Initializer(graph, weights.Input[1]).ToFloats();
            sbyte[] codes = Initializer(graph, weights.Input[0]).ToInt8();
            Assert.AreEqual(0L, weights.GetInt("axis"));
            CollectionAssert.AreEqual(new sbyte[3], Initializer(graph, weights.Input[2]).ToInt8());
            float[] largest = FloatModels.UnevenChannelMaxima();
            for (int channel = 0; channel < 3; channel++)
            {
                Assert.AreEqual(largest[channel] / 127f, scales[channel], 1e-6f * largest[channel]);
                Assert.AreEqual(127, codes.Skip(channel * 18).Take(18).Max(code => Math.Abs((int)code)), "each channel uses the whole symmetric range");
            }
        }

        [TestMethod]
        public void Quantize_PerTensor_OneScaleAndSmallChannelsLosePrecision()
        {
            NpyArray calibration = FloatModels.Normal(seed: 5, 32, 2, 6, 6);
            QuantizationResult perChannel = new StaticQuantizer(new QuantizationOptions { PerChannel = true }).Quantize(FloatModels.UnevenChannels(), calibration);
            QuantizationResult perTensor = new StaticQuantizer(new QuantizationOptions { PerChannel = false }).Quantize(FloatModels.UnevenChannels(), calibration);

            NodeProto weights = ConvWeightDequantize(perTensor.Model.Graph);
            Assert.AreEqual(0, Initializer(perTensor.Model.Graph, weights.Input[1]).Dims.Count, "a scalar scale");
            Assert.AreEqual(FloatModels.UnevenChannelMaxima().Max() / 127f, Initializer(perTensor.Model.Graph, weights.Input[1]).ToFloats().Single(), 1e-6f);
            Assert.IsFalse(perTensor.Report.PerChannel);
            // The first channel's weights are 100 times smaller than the last's: with one scale they
            // round to a few codes (half a step is 40 % of their largest value); with their own
            // scale to within half a step of 1/127 of it.
            float[] original = FloatModels.UnevenChannelWeights();
            double perTensorError = LargestRelativeError(original, DequantizedWeights(perTensor.Model.Graph), channel: 0);
            double perChannelError = LargestRelativeError(original, DequantizedWeights(perChannel.Model.Graph), channel: 0);
            Assert.IsTrue(perChannelError <= 0.5 / 127 * 1.001, $"per channel: {perChannelError}");
            Assert.IsTrue(perTensorError > 0.2, $"per tensor: {perTensorError}");
            Assert.IsNotNull(OnnxConverter.Convert(OnnxModel.Load(perTensor.ToBytes())).Blob);
        }

        [TestMethod]
        [DataRow(true, 0L)]
        [DataRow(false, 1L)]
        public void Quantize_Gemm_WeightAxisFollowsTransB(bool transposeB, long expectedAxis)
        {
            QuantizationResult result = new StaticQuantizer().Quantize(FloatModels.Dense(transposeB, useMatMul: false), FloatModels.Normal(seed: 6, 32, 6));

            NodeProto weights = WeightDequantize(result.Model.Graph, "Gemm");
            Assert.AreEqual(expectedAxis, weights.GetInt("axis"));
            Assert.AreEqual(4, Initializer(result.Model.Graph, weights.Input[1]).ToFloats().Length, "one scale per output");
            ConversionResult conversion = OnnxConverter.Convert(OnnxModel.Load(result.ToBytes()));
            Assert.AreEqual("FullyConnected", ModelSummary.FromBlob(conversion.Blob).Operators.Single().Kind);
        }

        [TestMethod]
        public void Quantize_MatMul_WeightsPerColumnOnAxisOne()
        {
            QuantizationResult result = new StaticQuantizer().Quantize(FloatModels.Dense(transposeB: false, useMatMul: true), FloatModels.Normal(seed: 6, 32, 6));

            NodeProto weights = WeightDequantize(result.Model.Graph, "MatMul");
            Assert.AreEqual(1L, weights.GetInt("axis"));
            Assert.IsTrue(result.Report.Outputs.Single().MeanAbsoluteError < 0.02 * result.Report.Outputs.Single().MeanAbsoluteValue);
            Assert.IsNotNull(OnnxConverter.Convert(OnnxModel.Load(result.ToBytes())).Blob);
        }

        // ----- BatchNormalization ------------------------------------------------------------------

        [TestMethod]
        public void FoldBatchNormalization_KeepsTheFloatFunction()
        {
            OnnxModel model = FloatModels.ConvBatchNormalization();

            ModelProto folded = BatchNormalizationFolding.Fold(model.Proto);

            Assert.IsFalse(folded.Graph.Node.Any(node => node.OpType == "BatchNormalization"));
            Assert.IsTrue(model.Nodes.Any(node => node.OpType == "BatchNormalization"), "the input model is left as it was");
            using OnnxRuntimeSession before = s_runtime.CreateSession(model.ToBytes());
            using OnnxRuntimeSession after = s_runtime.CreateSession(OnnxModel.Load(Google.Protobuf.MessageExtensions.ToByteArray(folded)).ToBytes());
            foreach (NpyArray sample in Split(FloatModels.Normal(seed: 7, 10, 2, 5, 5), 2, 5, 5))
            {
                float[] expected = before.Run(new Dictionary<string, NpyArray> { ["x"] = sample })[0].AsFloats();
                float[] actual = after.Run(new Dictionary<string, NpyArray> { ["x"] = sample })[0].AsFloats();
                for (int index = 0; index < expected.Length; index++)
                {
                    Assert.AreEqual(expected[index], actual[index], 1e-5f * Math.Max(1f, Math.Abs(expected[index])));
                }
            }
        }

        [TestMethod]
        public void Quantize_ConvBatchNormalization_FoldedAndConverts()
        {
            QuantizationResult result = new StaticQuantizer().Quantize(FloatModels.ConvBatchNormalization(), FloatModels.Normal(seed: 7, 32, 2, 5, 5));

            Assert.IsFalse(result.Model.Graph.Node.Any(node => node.OpType == "BatchNormalization"));
            Assert.IsTrue(result.Report.Notes.Any(note => note.Contains("folded BatchNormalization 'bn'", StringComparison.Ordinal)), string.Join("; ", result.Report.Notes));
            Assert.IsTrue(result.Report.Outputs.Single().MeanAbsoluteError < 0.02 * result.Report.Outputs.Single().MeanAbsoluteValue);
            Assert.AreEqual("Conv2D", ModelSummary.FromBlob(OnnxConverter.Convert(OnnxModel.Load(result.ToBytes())).Blob).Operators.Single().Kind);
        }

        [TestMethod]
        public void Quantize_BatchNormalizationAfterInput_RefusedByName()
        {
            OnnxGraphBuilder builder = new OnnxGraphBuilder("bn_first");
            builder.AddInput("x", DataType.Float, 1, 2, 3, 3);
            foreach (string parameter in new[] { "gamma", "beta", "mean", "variance" })
            {
                builder.AddInitializer(parameter, [1f, 1f], [2]);
            }

            builder.AddNode("BatchNormalization", ["x", "gamma", "beta", "mean", "variance"], ["y"]).WithName("lonely_bn");
            builder.AddOutput("y", DataType.Float, 1, 2, 3, 3);

            QuantizationException exception = Assert.ThrowsExactly<QuantizationException>(
                () => new StaticQuantizer().Quantize(OnnxModel.Load(builder.ToBytes()), FloatModels.Normal(seed: 1, 4, 2, 3, 3)));

            StringAssert.Contains(exception.Message, "'lonely_bn' (BatchNormalization) cannot be folded");
            Assert.AreEqual("lonely_bn", exception.NodeName);
        }

        // ----- refusals -----------------------------------------------------------------------------

        [TestMethod]
        public void Quantize_UnsupportedOperator_NamesNodeAndSupportedList()
        {
            OnnxGraphBuilder builder = new OnnxGraphBuilder("erf");
            builder.AddInput("x", DataType.Float, 1, 4);
            builder.AddNode("Erf", ["x"], ["y"]).WithName("gelu_part");
            builder.AddOutput("y", DataType.Float, 1, 4);

            QuantizationException exception = Assert.ThrowsExactly<QuantizationException>(
                () => new StaticQuantizer().Quantize(OnnxModel.Load(builder.ToBytes()), FloatModels.Normal(seed: 1, 4, 4)));

            StringAssert.Contains(exception.Message, "node 'gelu_part' uses operator Erf");
            StringAssert.Contains(exception.Message, "Conv, Gemm, MatMul");
            Assert.AreEqual("Erf", exception.OperatorType);
        }

        [TestMethod]
        public void Quantize_MatMulOfTwoActivations_Refused()
        {
            OnnxGraphBuilder builder = new OnnxGraphBuilder("square");
            builder.AddInput("x", DataType.Float, 1, 4, 4);
            builder.AddNode("MatMul", ["x", "x"], ["y"]).WithName("self_product");
            builder.AddOutput("y", DataType.Float, 1, 4, 4);

            QuantizationException exception = Assert.ThrowsExactly<QuantizationException>(
                () => new StaticQuantizer().Quantize(OnnxModel.Load(builder.ToBytes()), FloatModels.Normal(seed: 1, 4, 4, 4)));

            StringAssert.Contains(exception.Message, "multiplies two activations");
        }

        [TestMethod]
        public void Quantize_PerChannelOnOldOpset_RefusedWithAdvice()
        {
            OnnxGraphBuilder builder = new OnnxGraphBuilder("old", opsetVersion: 11);
            builder.IrVersion = 6;
            builder.AddInput("x", DataType.Float, 1, 4);
            builder.AddNode("Relu", ["x"], ["y"]);
            builder.AddOutput("y", DataType.Float, 1, 4);

            QuantizationException exception = Assert.ThrowsExactly<QuantizationException>(
                () => new StaticQuantizer().Quantize(OnnxModel.Load(builder.ToBytes()), FloatModels.Normal(seed: 1, 4, 4)));

            StringAssert.Contains(exception.Message, "opset 11");
            StringAssert.Contains(exception.Message, "per tensor");
        }

        [TestMethod]
        public void Quantize_CalibrationShapeMismatch_SaysBothShapes()
        {
            OnnxModel model = FloatModels.ConvGemmClassifier(seed: 1);

            CalibrationDataException exception = Assert.ThrowsExactly<CalibrationDataException>(
                () => new StaticQuantizer().Quantize(model, FloatModels.Normal(seed: 2, 8, 3, 8, 7), "calibration data 'wrong.npy'"));

            StringAssert.Contains(exception.Message, "calibration data 'wrong.npy' has shape [8, 3, 8, 7]");
            StringAssert.Contains(exception.Message, "float32[1, 3, 8, 8]");
        }

        [TestMethod]
        [DataRow(float.NaN)]
        [DataRow(float.PositiveInfinity)]
        public void Quantize_NonFiniteCalibrationValue_RefusedInsteadOfScalesOfOne(float value)
        {
            // NaN fails every min/max comparison, so it would leave every range empty and every scale 1.
            OnnxModel model = FloatModels.ConvGemmClassifier(seed: 1);
            NpyArray data = FloatModels.Normal(seed: 2, 4, 1, 3, 8, 8);
            data.AsFloats()[300] = value;

            CalibrationDataException exception = Assert.ThrowsExactly<CalibrationDataException>(
                () => new StaticQuantizer().Quantize(model, data, "calibration data 'nan.npy'"));

            StringAssert.Contains(exception.Message, $"calibration data 'nan.npy' holds {value.ToString(System.Globalization.CultureInfo.InvariantCulture)} (sample 1, value 108)");
        }

        [TestMethod]
        public void ReadCsv_SemicolonsAndDecimalCommas_SameAsPoints()
        {
            NpyArray points = CalibrationData.ReadCsv(new StringReader("1.5,2\n-0.25,4\n"), "points.csv");
            NpyArray commas = CalibrationData.ReadCsv(new StringReader("1,5;2\n-0,25;4\n"), "commas.csv");

            CollectionAssert.AreEqual(points.Shape, commas.Shape);
            CollectionAssert.AreEqual(points.AsFloats(), commas.AsFloats());
        }

        [TestMethod]
        public void ToSamples_FullShapeAndFlatRows_AreAccepted()
        {
            OnnxValueInfo input = FloatModels.ConvGemmClassifier(seed: 1).Inputs.Single();
            float[] values = Enumerable.Range(0, 2 * 192).Select(value => (float)value).ToArray();

            IReadOnlyList<NpyArray> full = CalibrationData.ToSamples(new NpyArray(values, 2, 1, 3, 8, 8), input);
            IReadOnlyList<NpyArray> flat = CalibrationData.ToSamples(new NpyArray(values, 2, 192), input);

            Assert.AreEqual(2, full.Count);
            CollectionAssert.AreEqual(new[] { 1, 3, 8, 8 }, flat[1].Shape);
            CollectionAssert.AreEqual(full[1].AsFloats(), flat[1].AsFloats());
            Assert.AreEqual(192f, flat[1].AsFloats()[0]);
        }

        [TestMethod]
        public void ReadCsv_HeaderCommentsAndRows_GiveSamplesByValues()
        {
            string text = "a,b,c\n# a comment\n1, 2.5, -3\n\n4,5e-1,6\n";

            NpyArray data = CalibrationData.ReadCsv(new StringReader(text), "x.csv");

            CollectionAssert.AreEqual(new[] { 2, 3 }, data.Shape);
            CollectionAssert.AreEqual(new[] { 1f, 2.5f, -3f, 4f, 0.5f, 6f }, data.AsFloats());
        }

        [TestMethod]
        [DataRow("1,2\n3,x\n", "line 2: 'x' is not a number")]
        [DataRow("1,2\n3,4,5\n", "line 2: 3 values where the lines before have 2")]
        [DataRow("# nothing\n", "holds no sample")]
        public void ReadCsv_Malformed_SaysWhere(string text, string expected)
        {
            CalibrationDataException exception = Assert.ThrowsExactly<CalibrationDataException>(() => CalibrationData.ReadCsv(new StringReader(text), "bad.csv"));

            StringAssert.Contains(exception.Message, expected);
        }

        // ----- calibration methods ------------------------------------------------------------------

        [TestMethod]
        public void ChooseRange_HeavyTailedValues_MinMaxWiderThanPercentileWiderThanEntropy()
        {
            // Student's t with 2 degrees of freedom: infinite variance, so a few extreme values set
            // the min/max range while almost all values sit within a few units of zero.
            float[] values = FloatModels.StudentT(seed: 8, count: 200_000, degreesOfFreedom: 2);

            ActivationRange minMax = ActivationStatistics.Estimate(values, CalibrationMethod.MinMax);
            ActivationRange percentile = ActivationStatistics.Estimate(values, CalibrationMethod.Percentile);
            ActivationRange entropy = ActivationStatistics.Estimate(values, CalibrationMethod.Entropy);

            Assert.AreEqual((double)values.Max(), minMax.Maximum);
            Assert.AreEqual((double)values.Min(), minMax.Minimum);
            Assert.IsTrue(minMax.Maximum > 2 * percentile.Maximum && percentile.Maximum > 1.5 * entropy.Maximum,
                $"maxima: min/max {minMax.Maximum}, percentile {percentile.Maximum}, entropy {entropy.Maximum}");
            Assert.IsTrue(minMax.Minimum < 2 * percentile.Minimum && percentile.Minimum < 1.5 * entropy.Minimum,
                $"minima: min/max {minMax.Minimum}, percentile {percentile.Minimum}, entropy {entropy.Minimum}");
            // Entropy still keeps the body of the distribution: |t| < 4.30 for 95 % of the values.
            Assert.IsTrue(entropy.Maximum > 4.3 && -entropy.Minimum > 4.3, $"entropy range [{entropy.Minimum}, {entropy.Maximum}]");
        }

        [TestMethod]
        public void ChooseRange_Percentile_MatchesSortedValues()
        {
            float[] values = FloatModels.StudentT(seed: 9, count: 100_000, degreesOfFreedom: 3);
            float[] positives = values.Where(value => value > 0).Order().ToArray();
            float[] negatives = values.Where(value => value < 0).Select(value => -value).Order().ToArray();

            ActivationRange range = ActivationStatistics.Estimate(values, CalibrationMethod.Percentile, percentile: 99.0);

            double expectedMaximum = positives[(int)(0.99 * positives.Length)];
            double expectedMinimum = -negatives[(int)(0.99 * negatives.Length)];
            Assert.AreEqual(expectedMaximum, range.Maximum, 0.01 * expectedMaximum);
            Assert.AreEqual(expectedMinimum, range.Minimum, 0.01 * -expectedMinimum);
        }

        [TestMethod]
        [DataRow(CalibrationMethod.MinMax)]
        [DataRow(CalibrationMethod.Percentile)]
        [DataRow(CalibrationMethod.Entropy)]
        public void ChooseRange_AllPositive_StartsAtZero(CalibrationMethod method)
        {
            float[] values = FloatModels.StudentT(seed: 10, count: 20_000, degreesOfFreedom: 5).Select(value => Math.Abs(value) + 1f).ToArray();

            ActivationRange range = ActivationStatistics.Estimate(values, method);

            Assert.AreEqual(0.0, range.Minimum, "0 is always inside the range");
            Assert.IsTrue(range.Maximum > 1, $"maximum {range.Maximum}");
        }

        [TestMethod]
        public void FindThresholdBins_UniformValues_KeepsEveryBin()
        {
            long[] histogram = Enumerable.Repeat(1000L, 2048).ToArray();

            // Clipping a uniform distribution only loses information: the whole range wins.
            Assert.AreEqual(2048, EntropyCalibration.FindThresholdBins(histogram, 128));
        }

        [TestMethod]
        public void FindThresholdBins_FarOutlier_IsClippedAndTheBodyKept()
        {
            // A half-Gaussian body (σ = 100 bins, empty from bin 494 on) and one value in the last bin.
            long[] histogram = Enumerable.Range(0, 2048).Select(bin => (long)Math.Round(100_000 * Math.Exp(-0.5 * Math.Pow(bin / 100.0, 2)))).ToArray();
            int bodyEnd = Array.FindLastIndex(histogram, count => count > 0) + 1;
            histogram[2047] = 1;

            int kept = EntropyCalibration.FindThresholdBins(histogram, 128);

            Assert.IsTrue(kept >= bodyEnd && kept < 1024, $"kept {kept} bins, body ends at {bodyEnd}");
        }

        [TestMethod]
        [DataRow("minmax")]
        [DataRow("percentile")]
        [DataRow("entropy")]
        public void Quantize_EachMethod_ProducesAConvertibleModel(string method)
        {
            CalibrationMethod chosen = Enum.Parse<CalibrationMethod>(method, ignoreCase: true);

            QuantizationResult result = new StaticQuantizer(new QuantizationOptions { Method = chosen }).Quantize(FloatModels.ConvGemmClassifier(seed: 1), FloatModels.Normal(seed: 2, 32, 3, 8, 8));

            Assert.AreEqual(chosen, result.Report.Method);
            Assert.IsTrue(result.Report.Outputs.Single().TopOneAgreement >= 0.8, $"{method}: top-1 agreement {result.Report.Outputs.Single().TopOneAgreement}");
            Assert.IsNotNull(OnnxConverter.Convert(OnnxModel.Load(result.ToBytes())).Blob);
        }

        // ----- helpers ------------------------------------------------------------------------------

        private static TensorProto Initializer(GraphProto graph, string name) => graph.Initializer.Single(tensor => tensor.Name == name);

        // The DequantizeLinear of the weights of the Conv named "conv".
        private static NodeProto ConvWeightDequantize(GraphProto graph)
        {
            NodeProto conv = graph.Node.Single(node => node.Name == "conv");
            return graph.Node.Single(node => node.OpType == "DequantizeLinear" && node.Output[0] == conv.Input[1]);
        }

        private static NodeProto WeightDequantize(GraphProto graph, string opType)
        {
            NodeProto op = graph.Node.Single(node => node.OpType == opType);
            return graph.Node.Single(node => node.OpType == "DequantizeLinear" && node.Output[0] == op.Input[1]);
        }

        // The real weights of the Conv named "conv": int8 code × its channel's scale.
        private static float[] DequantizedWeights(GraphProto graph)
        {
            NodeProto dequantize = ConvWeightDequantize(graph);
            sbyte[] codes = Initializer(graph, dequantize.Input[0]).ToInt8();
            float[] scales = Initializer(graph, dequantize.Input[1]).ToFloats();
            int perChannel = codes.Length / 3;
            return codes.Select((code, index) => code * scales[scales.Length == 1 ? 0 : index / perChannel]).ToArray();
        }

        // max |dequantized - original| over one output channel, relative to that channel's largest |w|.
        private static double LargestRelativeError(float[] original, float[] dequantized, int channel)
        {
            int perChannel = original.Length / 3;
            IEnumerable<int> indices = Enumerable.Range(channel * perChannel, perChannel);
            double largest = indices.Max(index => Math.Abs(original[index]));
            return indices.Max(index => Math.Abs(dequantized[index] - original[index])) / largest;
        }

        private static IEnumerable<NpyArray> Split(NpyArray data, params int[] sampleShape)
        {
            int size = sampleShape.Aggregate(1, (product, dimension) => product * dimension);
            float[] values = data.AsFloats();
            for (int sample = 0; sample < data.Shape[0]; sample++)
            {
                yield return new NpyArray(values.AsSpan(sample * size, size).ToArray(), sampleShape.Prepend(1).ToArray());
            }
        }
    }

    /// <summary>Small float models built with <see cref="OnnxGraphBuilder"/>, and their data.</summary>
    internal static class FloatModels
    {
        /// <summary>
        /// x [1, 3, 8, 8] → Conv 3x3 pad 1 (4 ch) → Relu → MaxPool 2x2 → Conv 3x3 pad 1 (8 ch) → Relu →
        /// GlobalAveragePool → Flatten → Gemm (transB=1, 5 classes) → logits [1, 5]. Named tensors:
        /// relu1, pooled, relu2, averaged, flat, logits.
        /// </summary>
        public static OnnxModel ConvGemmClassifier(int seed)
        {
            var random = new Random(seed);
            OnnxGraphBuilder builder = new OnnxGraphBuilder("classifier");
            builder.AddInput("x", DataType.Float, 1, 3, 8, 8);
            builder.AddInitializer("w1", Gaussian(random, 4 * 3 * 9, 0.3), [4, 3, 3, 3]);
            builder.AddInitializer("b1", Gaussian(random, 4, 0.1), [4]);
            builder.AddInitializer("w2", Gaussian(random, 8 * 4 * 9, 0.2), [8, 4, 3, 3]);
            builder.AddInitializer("b2", Gaussian(random, 8, 0.1), [8]);
            builder.AddInitializer("w3", Gaussian(random, 5 * 8, 1.0), [5, 8]);
            builder.AddInitializer("b3", Gaussian(random, 5, 0.1), [5]);
            builder.AddNode("Conv", ["x", "w1", "b1"], ["conv1"]).WithName("conv1").WithInts("kernel_shape", 3, 3).WithInts("pads", 1, 1, 1, 1);
            builder.AddNode("Relu", ["conv1"], ["relu1"]).WithName("relu1");
            builder.AddNode("MaxPool", ["relu1"], ["pooled"]).WithName("pool").WithInts("kernel_shape", 2, 2).WithInts("strides", 2, 2);
            builder.AddNode("Conv", ["pooled", "w2", "b2"], ["conv2"]).WithName("conv2").WithInts("kernel_shape", 3, 3).WithInts("pads", 1, 1, 1, 1);
            builder.AddNode("Relu", ["conv2"], ["relu2"]).WithName("relu2");
            builder.AddNode("GlobalAveragePool", ["relu2"], ["averaged"]).WithName("gap");
            builder.AddNode("Flatten", ["averaged"], ["flat"]).WithName("flatten");
            builder.AddNode("Gemm", ["flat", "w3", "b3"], ["logits"]).WithName("classifier").WithInt("transB", 1);
            builder.AddOutput("logits", DataType.Float, 1, 5);
            return OnnxModel.Load(builder.ToBytes());
        }

        /// <summary>The first convolution's float bias of <see cref="ConvGemmClassifier"/>.</summary>
        public static float[] ConvGemmClassifierBias(int seed)
        {
            var random = new Random(seed);
            Gaussian(random, 4 * 3 * 9, 0.3);
            return Gaussian(random, 4, 0.1);
        }

        /// <summary>x [1, 2, 6, 6] → Conv 3x3 (3 ch) whose channels' weights differ 100-fold (largest |w| 0.01, 0.1, 1) → y [1, 3, 4, 4].</summary>
        public static OnnxModel UnevenChannels()
        {
            OnnxGraphBuilder builder = new OnnxGraphBuilder("uneven");
            builder.AddInput("x", DataType.Float, 1, 2, 6, 6);
            builder.AddInitializer("w", UnevenChannelWeights(), [3, 2, 3, 3]);
            builder.AddNode("Conv", ["x", "w"], ["y"]).WithName("conv").WithInts("kernel_shape", 3, 3);
            builder.AddOutput("y", DataType.Float, 1, 3, 4, 4);
            return OnnxModel.Load(builder.ToBytes());
        }

        /// <summary>The weights of <see cref="UnevenChannels"/>, [3, 2, 3, 3]: channel c within ±<see cref="UnevenChannelMaxima"/>[c], reaching it once.</summary>
        public static float[] UnevenChannelWeights()
        {
            var random = new Random(11);
            float[] maxima = UnevenChannelMaxima();
            float[] weights = new float[3 * 18];
            for (int channel = 0; channel < 3; channel++)
            {
                for (int tap = 0; tap < 18; tap++)
                {
                    weights[(channel * 18) + tap] = (float)(((random.NextDouble() * 2) - 1) * maxima[channel] * 0.9);
                }

                weights[(channel * 18) + 5] = maxima[channel];
            }

            return weights;
        }

        /// <summary>The largest |weight| of each output channel of <see cref="UnevenChannels"/>.</summary>
        public static float[] UnevenChannelMaxima() => new[] { 0.01f, 0.1f, 1f };

        /// <summary>x [1, 6] → Gemm (4 outputs, B as [4, 6] with transB=1 or [6, 4]) or MatMul [6, 4] → y [1, 4].</summary>
        public static OnnxModel Dense(bool transposeB, bool useMatMul)
        {
            var random = new Random(12);
            OnnxGraphBuilder builder = new OnnxGraphBuilder("dense");
            builder.AddInput("x", DataType.Float, 1, 6);
            builder.AddInitializer("b", Gaussian(random, 24, 0.5), transposeB ? [4, 6] : [6, 4]);
            builder.AddInitializer("c", Gaussian(random, 4, 0.2), [4]);
            if (useMatMul)
            {
                builder.AddNode("MatMul", ["x", "b"], ["y"]).WithName("matmul");
            }
            else
            {
                builder.AddNode("Gemm", ["x", "b", "c"], ["y"]).WithName("gemm").WithInt("transB", transposeB ? 1 : 0).WithFloat("alpha", 0.5f);
            }

            builder.AddOutput("y", DataType.Float, 1, 4);
            return OnnxModel.Load(builder.ToBytes());
        }

        /// <summary>x [1, 2, 5, 5] → Conv 3x3 pad 1 (3 ch, no bias) → BatchNormalization (non-trivial statistics) → y.</summary>
        public static OnnxModel ConvBatchNormalization()
        {
            var random = new Random(13);
            OnnxGraphBuilder builder = new OnnxGraphBuilder("conv_bn");
            builder.AddInput("x", DataType.Float, 1, 2, 5, 5);
            builder.AddInitializer("w", Gaussian(random, 3 * 2 * 9, 0.4), [3, 2, 3, 3]);
            builder.AddInitializer("gamma", [1.5f, 0.5f, -0.8f], [3]);
            builder.AddInitializer("beta", [0.1f, -0.2f, 0.3f], [3]);
            builder.AddInitializer("mean", [0.2f, -0.1f, 0.05f], [3]);
            builder.AddInitializer("variance", [0.5f, 2.0f, 1.2f], [3]);
            builder.AddNode("Conv", ["x", "w"], ["conv"]).WithName("conv").WithInts("kernel_shape", 3, 3).WithInts("pads", 1, 1, 1, 1);
            builder.AddNode("BatchNormalization", ["conv", "gamma", "beta", "mean", "variance"], ["y"]).WithName("bn").WithFloat("epsilon", 1e-3f);
            builder.AddOutput("y", DataType.Float, 1, 3, 5, 5);
            return OnnxModel.Load(builder.ToBytes());
        }

        /// <summary>Standard normal float32 values of the given shape.</summary>
        public static NpyArray Normal(int seed, params int[] shape)
        {
            var random = new Random(seed);
            return new NpyArray(Gaussian(random, shape.Aggregate(1, (product, dimension) => product * dimension), 1.0), shape);
        }

        /// <summary>Student's t values: a normal over the square root of a scaled chi-squared.</summary>
        public static float[] StudentT(int seed, int count, int degreesOfFreedom)
        {
            var random = new Random(seed);
            var values = new float[count];
            for (int index = 0; index < count; index++)
            {
                double chiSquared = 0;
                for (int degree = 0; degree < degreesOfFreedom; degree++)
                {
                    double normal = NextGaussian(random);
                    chiSquared += normal * normal;
                }

                values[index] = (float)(NextGaussian(random) / Math.Sqrt(chiSquared / degreesOfFreedom));
            }

            return values;
        }

        private static float[] Gaussian(Random random, int count, double deviation)
        {
            return Enumerable.Range(0, count).Select(_ => (float)(NextGaussian(random) * deviation)).ToArray();
        }

        // Box-Muller: deterministic for a seeded Random on every platform.
        private static double NextGaussian(Random random)
        {
            double uniform = 1.0 - random.NextDouble();
            return Math.Sqrt(-2.0 * Math.Log(uniform)) * Math.Cos(2.0 * Math.PI * random.NextDouble());
        }
    }
}
