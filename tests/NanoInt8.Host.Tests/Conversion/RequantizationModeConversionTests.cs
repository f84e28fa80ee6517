using System.Buffers.Binary;
using DataType = NanoInt8.Onnx.Protobuf.TensorProto.Types.DataType;
using NanoInt8.Host.Conversion;
using NanoInt8.Host.Execution;
using NanoInt8.Host.Format;
using NanoInt8.Host.Quantization;
using NanoInt8.Onnx;
using NanoInt8.Runtime.Operators;
using NanoInt8.Runtime;
using NanoInt8.Tests.Shared;

namespace NanoInt8.Host.Tests.Conversion
{
    /// <summary>
    /// OnnxConverter with ConversionOptions.Requantization on a small QDQ Conv and a QDQ Gemm: the
    /// header flags name the mode, the device reader accepts every pair, per-tensor gives one pair
    /// per layer, pow2 gives multipliers of 1 with re-quantized int8 weights, and the re-quantized
    /// models still compute the layer (within a step of the q31 model).
    /// </summary>
    [TestClass]
    public class RequantizationModeConversionTests
    {
        public static IEnumerable<object[]> Modes => RequantizationModes.All.Select(mode => new object[] { mode });

        [TestMethod]
        [DynamicData(nameof(Modes))]
        public void Convert_ConvAndGemmInMode_HeaderFlagsNameTheModeAndRuntimeRunsIt(RequantizationMode mode)
        {
            foreach (byte[] onnx in new[] { QdqConvModel.Onnx(), QdqGemmModel() })
            {
                ConversionResult result = OnnxConverter.Convert(OnnxModel.Load(onnx), new ConversionOptions { Requantization = mode });

                Assert.AreEqual(mode.HeaderFlags(), BinaryPrimitives.ReadUInt16LittleEndian(result.Blob.AsSpan(6)));
                Assert.AreEqual(mode.Name(), ModelSummary.FromBlob(result.Blob).Requantization);
                var runner = new HostModelRunner(result.Blob);
                Assert.AreEqual(1, runner.Run(new[] { InputFor(runner) }).Count);
            }
        }

        /// <summary>
        /// Every conversion is format version 4, the first whose header carries the work of one
        /// inference, and declares exactly the work the device's reader computes (which it compares).
        /// </summary>
        [TestMethod]
        public void Convert_EveryMode_Version4WithTheReadersWork()
        {
            byte[][] blobs =
            {
                OnnxConverter.Convert(OnnxModel.Load(QdqConvModel.Onnx())).Blob,
                OnnxConverter.Convert(OnnxModel.Load(QdqConvModel.Onnx()), new ConversionOptions { Requantization = RequantizationMode.Q15 }).Blob,
                OnnxConverter.Convert(OnnxModel.Load(QdqGemmModel()), new ConversionOptions { Kernels = KernelSelection.Packed }).Blob,
            };

            foreach (byte[] blob in blobs)
            {
                Assert.AreEqual(ModelError.None, NanoInt8.Runtime.ModelReader.TryRead(blob, int.MaxValue, out NanoInt8.Runtime.Model? model));
                Assert.AreEqual(4, (int)ModelFile.Read(blob).Header.Version);
                Assert.AreEqual(model!.Work, (long)ModelFile.Read(blob).Header.Work);
                Assert.IsGreaterThan(0L, model.Work);
            }
        }

        [TestMethod]
        public void Convert_Q31_FlagsZeroAndWeightsUnchanged()
        {
            ConversionResult result = OnnxConverter.Convert(OnnxModel.Load(QdqConvModel.Onnx()));

            Assert.AreEqual(0, BinaryPrimitives.ReadUInt16LittleEndian(result.Blob.AsSpan(6)));
            CollectionAssert.AreEqual(
                Enumerable.Range(0, 54).Select(i => (sbyte)(((i * 37) % 61) - 30)).ToArray(),
                Products(result.Blob).Single().Weights);
            Assert.IsFalse(result.Notes.Any(note => note.Contains("re-quantized", StringComparison.Ordinal)));
        }

        [TestMethod]
        public void Convert_PerTensor_EveryChannelSharesOnePairAndWeightsFitInt8()
        {
            foreach (byte[] onnx in new[] { QdqConvModel.Onnx(), QdqGemmModel() })
            {
                ConversionResult result = OnnxConverter.Convert(OnnxModel.Load(onnx), new ConversionOptions { Requantization = RequantizationMode.PerTensor });

                foreach (Product product in Products(result.Blob))
                {
                    Assert.AreEqual(1, product.Multipliers.Distinct().Count(), "one multiplier");
                    Assert.AreEqual(1, product.Shifts.Distinct().Count(), "one shift");
                    Assert.IsTrue(product.Weights.All(w => w >= -127), "weights in [-127, 127]");
                    Assert.AreEqual(127, product.Weights.Max(w => Math.Abs((int)w)), "the tensor's largest weight uses the full range");
                }

                StringAssert.Contains(string.Join("\n", result.Notes), "re-quantized for per-tensor");
            }
        }

        [TestMethod]
        public void Convert_PowerOfTwo_MultipliersAreOneAndWeightsFitInt8()
        {
            foreach (byte[] onnx in new[] { QdqConvModel.Onnx(), QdqGemmModel() })
            {
                ConversionResult result = OnnxConverter.Convert(OnnxModel.Load(onnx), new ConversionOptions { Requantization = RequantizationMode.PowerOfTwo });

                foreach (Product product in Products(result.Blob))
                {
                    Assert.IsTrue(product.Multipliers.All(m => m == 1), "multipliers " + string.Join(",", product.Multipliers));
                    Assert.IsTrue(product.Weights.All(w => w >= -127), "weights in [-127, 127]");
                    // The smallest power of two keeping |w'| <= 127: every channel's largest weight lands in (63, 127].
                    int taps = product.Weights.Length / product.Multipliers.Length;
                    for (int channel = 0; channel < product.Multipliers.Length; channel++)
                    {
                        int largest = product.Weights.Skip(channel * taps).Take(taps).Max(w => Math.Abs((int)w));
                        Assert.IsTrue(largest > 63 && largest <= 127, $"channel {channel}: largest weight {largest}");
                    }
                }

                StringAssert.Contains(string.Join("\n", result.Notes), "re-quantized for pow2");
            }
        }

        /// <summary>
        /// The re-quantized weights and biases still compute the same layer: every output within
        /// one output step of the q31 model's (the weights got finer, not coarser, so what differs
        /// is the rounding of the re-quantized weights and the pair).
        /// </summary>
        [TestMethod]
        [DataRow(RequantizationMode.Q15)]
        [DataRow(RequantizationMode.PowerOfTwo)]
        [DataRow(RequantizationMode.PerTensor)]
        [DataRow(RequantizationMode.Exact)]
        public void Convert_ModeOtherThanQ31_OutputsWithinOneStepOfQ31(RequantizationMode mode)
        {
            foreach ((byte[] onnx, float outputScale) in new[] { (QdqConvModel.Onnx(), 0.1f), (QdqGemmModel(), GemmOutputScale) })
            {
                var reference = new HostModelRunner(OnnxConverter.Convert(OnnxModel.Load(onnx)).Blob);
                var converted = new HostModelRunner(OnnxConverter.Convert(OnnxModel.Load(onnx), new ConversionOptions { Requantization = mode }).Blob);
                for (int seed = 0; seed < 20; seed++)
                {
                    NpyArray input = InputFor(reference, seed);
                    float[] expected = reference.Run(new[] { input })[0].AsFloats();
                    float[] actual = converted.Run(new[] { input })[0].AsFloats();
                    for (int i = 0; i < expected.Length; i++)
                    {
                        Assert.IsLessThanOrEqualTo(1.0, Math.Round(Math.Abs(expected[i] - actual[i]) / outputScale, 3), $"{mode.Name()} seed {seed} element {i}: {actual[i]} vs q31 {expected[i]}");
                    }
                }
            }
        }

        /// <summary>
        /// pow2 on Conv → GlobalAveragePool → Flatten → Gemm: the pooled tensor's scale is raised so
        /// that the pool's ratio (input scale / (64 · output scale), 0.0088 here, 11 % from its
        /// nearest power of two, 2^-7) becomes an exact power of two, the Flatten carries the raised scale
        /// on, and the Gemm absorbs it in its weights: every pair is a shift, the operators are q31's
        /// (no requantization table added), and the logits (about 100 steps in magnitude) stay within 8
        /// steps of q31's: measured 5, from the re-quantized weights. Rounding the pool's ratio
        /// instead shifts every logit by about 11 %: measured 16 steps.
        /// </summary>
        [TestMethod]
        public void Convert_PowerOfTwoPoolThenGemm_RaisesThePooledScaleInsteadOfRoundingTheRatio()
        {
            byte[] onnx = QdqPoolClassifierModel();
            ConversionResult q31 = OnnxConverter.Convert(OnnxModel.Load(onnx));
            ConversionResult pow2 = OnnxConverter.Convert(OnnxModel.Load(onnx), new ConversionOptions { Requantization = RequantizationMode.PowerOfTwo });

            ModelFile file = ModelFile.Read(pow2.Blob);
            CollectionAssert.AreEqual(ModelFile.Read(q31.Blob).Operators.Select(op => op.OpCode).ToArray(), file.Operators.Select(op => op.OpCode).ToArray());
            ModelOperator pool = file.Operators.Single(op => op.OpCode == OpCode.GlobalAveragePool);
            Assert.AreEqual(1, pool.Parameters[GlobalAveragePoolLayout.Multiplier], "the pool's multiplier");
            Assert.IsTrue(Products(pow2.Blob).All(product => product.Multipliers.All(m => m == 1)));

            var reference = new HostModelRunner(q31.Blob);
            var converted = new HostModelRunner(pow2.Blob);
            int largest = 0;
            for (int seed = 0; seed < 20; seed++)
            {
                NpyArray input = InputFor(reference, seed);
                float[] expected = reference.Run(new[] { input })[0].AsFloats();
                float[] actual = converted.Run(new[] { input })[0].AsFloats();
                for (int i = 0; i < expected.Length; i++)
                {
                    largest = Math.Max(largest, (int)Math.Round(Math.Abs(expected[i] - actual[i]) / PoolClassifierOutputScale));
                }
            }

            Assert.IsLessThanOrEqualTo(8, largest, "largest difference from q31 in logit steps");
        }

        private const float PoolClassifierOutputScale = 0.006f;

        /// <summary>
        /// QDQ Conv 3x3 pad 1 (2 → 4 channels, 8x8) + Relu → GlobalAveragePool → Flatten → Gemm (4 → 3),
        /// every activation quantized as static quantization writes it.
        /// </summary>
        private static byte[] QdqPoolClassifierModel()
        {
            const float InputScale = 0.03f;
            const float FeatureScale = 0.02f;
            const float PooledScale = 0.0355f;
            float[] convScales = { 0.004f, 0.006f, 0.005f, 0.003f };
            float[] gemmScales = { 0.01f, 0.012f, 0.009f };
            var builder = new OnnxGraphBuilder("qdq_pool_classifier");
            builder.AddInput("x", DataType.Float, 1, 2, 8, 8);
            builder.AddInitializer("x_scale", [InputScale], []);
            builder.AddInitializer("x_zero_point", [(sbyte)0], []);
            builder.AddInitializer("w", Enumerable.Range(0, 72).Select(i => (sbyte)(((i * 41) % 201) - 100)).ToArray(), [4, 2, 3, 3]);
            builder.AddInitializer("w_scale", convScales, [4]);
            builder.AddInitializer("w_zero_point", new sbyte[4], [4]);
            builder.AddInitializer("b", [100, -50, 20, 0], [4]);
            builder.AddInitializer("b_scale", convScales.Select(scale => scale * InputScale).ToArray(), [4]);
            builder.AddInitializer("b_zero_point", new int[4], [4]);
            builder.AddInitializer("f_scale", [FeatureScale], []);
            builder.AddInitializer("f_zero_point", [(sbyte)-128], []);
            builder.AddInitializer("p_scale", [PooledScale], []);
            builder.AddInitializer("p_zero_point", [(sbyte)-128], []);
            builder.AddInitializer("g", Enumerable.Range(0, 12).Select(i => (sbyte)(((i * 29) % 121) - 60)).ToArray(), [3, 4]);
            builder.AddInitializer("g_scale", gemmScales, [3]);
            builder.AddInitializer("g_zero_point", new sbyte[3], [3]);
            builder.AddInitializer("c", [10, -20, 5], [3]);
            builder.AddInitializer("c_scale", gemmScales.Select(scale => scale * PooledScale).ToArray(), [3]);
            builder.AddInitializer("c_zero_point", new int[3], [3]);
            builder.AddInitializer("y_scale", [PoolClassifierOutputScale], []);
            builder.AddInitializer("y_zero_point", [(sbyte)0], []);
            builder.AddNode("QuantizeLinear", ["x", "x_scale", "x_zero_point"], ["x_q"]);
            builder.AddNode("DequantizeLinear", ["x_q", "x_scale", "x_zero_point"], ["x_dq"]);
            builder.AddNode("DequantizeLinear", ["w", "w_scale", "w_zero_point"], ["w_dq"]).WithInt("axis", 0);
            builder.AddNode("DequantizeLinear", ["b", "b_scale", "b_zero_point"], ["b_dq"]).WithInt("axis", 0);
            builder.AddNode("Conv", ["x_dq", "w_dq", "b_dq"], ["conv_out"]).WithName("conv1").WithInts("kernel_shape", 3, 3).WithInts("pads", 1, 1, 1, 1);
            builder.AddNode("Relu", ["conv_out"], ["relu_out"]);
            builder.AddNode("QuantizeLinear", ["relu_out", "f_scale", "f_zero_point"], ["f_q"]);
            builder.AddNode("DequantizeLinear", ["f_q", "f_scale", "f_zero_point"], ["f_dq"]);
            builder.AddNode("GlobalAveragePool", ["f_dq"], ["pool_out"]).WithName("pool");
            builder.AddNode("QuantizeLinear", ["pool_out", "p_scale", "p_zero_point"], ["p_q"]);
            builder.AddNode("DequantizeLinear", ["p_q", "p_scale", "p_zero_point"], ["p_dq"]);
            builder.AddNode("Flatten", ["p_dq"], ["flat"]).WithName("flatten");
            builder.AddNode("QuantizeLinear", ["flat", "p_scale", "p_zero_point"], ["flat_q"]);
            builder.AddNode("DequantizeLinear", ["flat_q", "p_scale", "p_zero_point"], ["flat_dq"]);
            builder.AddNode("DequantizeLinear", ["g", "g_scale", "g_zero_point"], ["g_dq"]).WithInt("axis", 0);
            builder.AddNode("DequantizeLinear", ["c", "c_scale", "c_zero_point"], ["c_dq"]).WithInt("axis", 0);
            builder.AddNode("Gemm", ["flat_dq", "g_dq", "c_dq"], ["gemm_out"]).WithName("classifier").WithInt("transB", 1);
            builder.AddNode("QuantizeLinear", ["gemm_out", "y_scale", "y_zero_point"], ["y_q"]);
            builder.AddNode("DequantizeLinear", ["y_q", "y_scale", "y_zero_point"], ["y"]);
            builder.AddOutput("y", DataType.Float, 1, 3);
            return builder.ToBytes();
        }

        private const float GemmOutputScale = 0.04f;

        /// <summary>A QDQ Gemm (transB=1) as static quantization writes it: float [2, 6] → [2, 4], per-channel int8 weights, int32 bias.</summary>
        private static byte[] QdqGemmModel()
        {
            const float InputScale = 0.03f;
            float[] weightScales = { 0.004f, 0.011f, 0.0025f, 0.02f };
            var builder = new OnnxGraphBuilder("qdq_gemm");
            builder.AddInput("x", DataType.Float, 2, 6);
            builder.AddInitializer("x_scale", [InputScale], []);
            builder.AddInitializer("x_zero_point", [(sbyte)5], []);
            builder.AddInitializer("w", Enumerable.Range(0, 24).Select(i => (sbyte)(((i * 53) % 201) - 100)).ToArray(), [4, 6]);
            builder.AddInitializer("w_scale", weightScales, [4]);
            builder.AddInitializer("w_zero_point", new sbyte[4], [4]);
            builder.AddInitializer("b", [700, -1200, 33, 0], [4]);
            builder.AddInitializer("b_scale", weightScales.Select(scale => scale * InputScale).ToArray(), [4]);
            builder.AddInitializer("b_zero_point", new int[4], [4]);
            builder.AddInitializer("y_scale", [GemmOutputScale], []);
            builder.AddInitializer("y_zero_point", [(sbyte)-7], []);
            builder.AddNode("QuantizeLinear", ["x", "x_scale", "x_zero_point"], ["x_q"]);
            builder.AddNode("DequantizeLinear", ["x_q", "x_scale", "x_zero_point"], ["x_dq"]);
            builder.AddNode("DequantizeLinear", ["w", "w_scale", "w_zero_point"], ["w_dq"]).WithInt("axis", 0);
            builder.AddNode("DequantizeLinear", ["b", "b_scale", "b_zero_point"], ["b_dq"]).WithInt("axis", 0);
            builder.AddNode("Gemm", ["x_dq", "w_dq", "b_dq"], ["gemm_out"]).WithName("gemm1").WithInt("transB", 1);
            builder.AddNode("QuantizeLinear", ["gemm_out", "y_scale", "y_zero_point"], ["y_q"]);
            builder.AddNode("DequantizeLinear", ["y_q", "y_scale", "y_zero_point"], ["y"]);
            builder.AddOutput("y", DataType.Float, 2, 4);
            return builder.ToBytes();
        }

        private static NpyArray InputFor(HostModelRunner runner, int seed = 1)
        {
            int[] shape = runner.Inputs[0].Shape.ToArray();
            var random = new Random(seed);
            float[] values = Enumerable.Range(0, shape.Aggregate(1, (a, b) => a * b)).Select(_ => (float)((random.NextDouble() * 6) - 3)).ToArray();
            return new NpyArray(values, shape);
        }

        private sealed record Product(sbyte[] Weights, int[] Multipliers, int[] Shifts);

        /// <summary>The weights and pairs of every Conv2D and FullyConnected, read back from the blob.</summary>
        private static List<Product> Products(byte[] blob)
        {
            ModelFile file = ModelFile.Read(blob);
            var products = new List<Product>();
            foreach (ModelOperator op in file.Operators.Where(op => op.OpCode is OpCode.Conv2D or OpCode.FullyConnected))
            {
                TensorRecord weights = file.Tensors[op.Inputs[1]];
                TensorRecord multipliers = file.Tensors[op.Inputs[3]];
                TensorRecord shifts = file.Tensors[op.Inputs[4]];
                int count = multipliers.Shape.Aggregate(1, (a, b) => a * b);
                int weightCount = weights.Shape.Aggregate(1, (a, b) => a * b);
                products.Add(new Product(
                    file.Int8Constants.Skip(weights.Offset).Take(weightCount).ToArray(),
                    file.Int32Constants.Skip(multipliers.Offset).Take(count).ToArray(),
                    file.Int32Constants.Skip(shifts.Offset).Take(count).ToArray()));
            }

            return products;
        }
    }
}
