using NanoInt8.Host.Execution;
using NanoInt8.Host.Format;
using NanoInt8.Onnx;
using NanoInt8.Runtime;

namespace NanoInt8.Host.Tests.Execution
{
    /// <summary>The host runner: ONNX-side I/O conversion around the device interpreter, and its errors.</summary>
    [TestClass]
    public class HostModelRunnerTests
    {
        private static HostModelRunner Runner(ModelBuilder builder) => new HostModelRunner(ModelWriter.Write(builder));

        [TestMethod]
        public void Run_FloatRequantize_QuantizesRunsAndDequantizes()
        {
            HostModelRunner runner = Runner(ExecutionModels.FloatRequantize());

            NpyArray output = runner.Run(new[] { new NpyArray(new[] { 1.0f, -2.25f, 10f, 100f }, 1, 4) })[0];

            // x / 0.5 = 2, -4.5 (ties to even: -4), 20, 200; + zero point 1 → 3, -3, 21, 201 → 127.
            // Requantize: -3 + 2·(q - 1) = 1, -11, 37, 249 → 127. Dequantize: (q + 3) · 0.25.
            CollectionAssert.AreEqual(new[] { 1.0f, -2.0f, 10.0f, 32.5f }, output.AsFloats());
            CollectionAssert.AreEqual(new[] { 1, 4 }, output.Shape);
            Assert.AreEqual(NpyType.Float32, output.ElementType);
        }

        [TestMethod]
        [DataRow(1.25f, 2)]
        [DataRow(1.75f, 4)]
        [DataRow(-1.25f, -2)]
        [DataRow(0.25f, 0)]
        [DataRow(-0.25f, 0)]
        [DataRow(0.75f, 2)]
        public void QuantizeLinear_HalfwayCase_RoundsToEven(float value, int expected)
        {
            // value / 0.5 is exactly halfway between two integers.
            Assert.AreEqual((sbyte)expected, HostModelRunner.QuantizeLinear(value, 0.5f, 0));
        }

        [TestMethod]
        [DataRow(1000f, 127)]
        [DataRow(-1000f, -128)]
        [DataRow(float.PositiveInfinity, 127)]
        [DataRow(float.NegativeInfinity, -128)]
        [DataRow(float.NaN, -128)]
        [DataRow(63.0f, 127)]
        [DataRow(-65.0f, -128)]
        public void QuantizeLinear_OutOfRange_Saturates(float value, int expected)
        {
            // scale 0.5, zero point 1: 63 → 126 + 1 = 127 exactly; -65 → -130 + 1 → -128.
            Assert.AreEqual((sbyte)expected, HostModelRunner.QuantizeLinear(value, 0.5f, 1));
        }

        [TestMethod]
        [DataRow(0.35f, 4)]
        [DataRow(0.75f, 8)]
        [DataRow(0.45f, 4)]
        public void QuantizeLinear_DividesInFloat32_AsOnnxDoes(float value, int expected)
        {
            // The float32 quotient value / 0.1f is exactly halfway (3.5, 7.5, 4.5) and ties go to
            // even; the exact quotient of the two floats (3.4999999, 7.4999999, 4.5000001) would
            // round the other way.
            Assert.AreEqual((sbyte)expected, HostModelRunner.QuantizeLinear(value, 0.1f, 0));
        }

        [TestMethod]
        public void Run_TieThroughTheModel_RoundsToEven()
        {
            HostModelRunner runner = Runner(ExecutionModels.FloatRequantize());

            // 1.25 / 0.5 = 2.5 → 2, + 1 = 3; 1.75 / 0.5 = 3.5 → 4, + 1 = 5.
            float[] output = runner.Run(new[] { new NpyArray(new[] { 1.25f, 1.75f, 0f, 0f }, 1, 4) })[0].AsFloats();

            // -3 + 2·(3 - 1) = 1 → 1.0; -3 + 2·(5 - 1) = 5 → 2.0; 0 → q 1 → -3 → 0.0.
            CollectionAssert.AreEqual(new[] { 1.0f, 2.0f, 0f, 0f }, output);
        }

        [TestMethod]
        public void DequantizeLinear_IsScaledDifference()
        {
            Assert.AreEqual(-32.5f, HostModelRunner.DequantizeLinear(-128, 0.25f, 2));
            Assert.AreEqual((float)(127 - -128) * 0.1f, HostModelRunner.DequantizeLinear(127, 0.1f, -128));
        }

        [TestMethod]
        public void Run_UInt8FullyConnected_ShiftsBy128BothWays()
        {
            sbyte[] weights = { 1, -2, 3, -1, 1, 2 };
            int[] bias = { 10, -20 };
            HostModelRunner runner = Runner(ExecutionModels.UInt8FullyConnected(weights, bias));
            byte[] pixels = { 130, 100, 128 };

            NpyArray output = runner.Run(new[] { new NpyArray(pixels, 1, 3) })[0];

            // Device input = pixel - 128 = 2, -28, 0. acc = bias + Σ x·w, out = 2 + acc (ratio 1):
            // acc0 = 10 + 2 + 56 + 0 = 68 → 70; acc1 = -20 - 2 - 28 + 0 = -50 → -48. Then + 128.
            CollectionAssert.AreEqual(new byte[] { 198, 80 }, output.AsUInt8());
            Assert.AreEqual(NpyType.UInt8, output.ElementType);
        }

        [TestMethod]
        public void Run_NoQuantizationMetadata_Int8AsIs()
        {
            HostModelRunner runner = Runner(ExecutionModels.Int8WithoutMetadata());

            sbyte[] output = runner.Run(new[] { new NpyArray(new sbyte[] { 5, 6, -128, 127 }, 4) })[0].AsInt8();

            // out = -5 + (x - 5), clamped.
            CollectionAssert.AreEqual(new sbyte[] { -5, -4, -128, 117 }, output);
            Assert.AreEqual(OriginalElementType.Int8, runner.Inputs[0].OriginalType);
            Assert.AreEqual(1f, runner.Inputs[0].Scale);
            Assert.AreEqual(5, runner.Inputs[0].ZeroPoint);
            Assert.AreEqual(-5, runner.Outputs[0].ZeroPoint);
        }

        [TestMethod]
        public void Inputs_Metadata_DescribeTheOnnxInterface()
        {
            HostModelRunner runner = Runner(ExecutionModels.UInt8FullyConnected(new sbyte[6], new int[2]));

            GraphTensor input = runner.Inputs.Single();
            Assert.AreEqual("pixels", input.Name);
            CollectionAssert.AreEqual(new[] { 1, 3 }, input.Shape.ToArray());
            Assert.AreEqual(OriginalElementType.UInt8, input.OriginalType);
            Assert.AreEqual(1f / 255, input.Scale);
            Assert.AreEqual(0, input.TensorIndex);
            Assert.AreEqual("scores", runner.Outputs.Single().Name);
            Assert.AreEqual(5, runner.Outputs.Single().TensorIndex);
        }

        [TestMethod]
        public void Inputs_TensorNamesInMetadata_OnnxNamesWin()
        {
            ModelBuilder builder = ExecutionModels.FloatRequantize();
            builder.Metadata.TensorNames.Add("images:0");
            builder.Metadata.TensorNames.Add("logits:0");

            HostModelRunner runner = Runner(builder);

            Assert.AreEqual("images:0", runner.Inputs[0].Name);
            Assert.AreEqual("logits:0", runner.Outputs[0].Name);
        }

        [TestMethod]
        public void Inputs_NoTensorNames_PositionalNames()
        {
            ModelBuilder builder = ExecutionModels.FloatRequantize();
            builder.Metadata.TensorNames.Add(string.Empty);
            builder.Metadata.TensorNames.Add(string.Empty);

            HostModelRunner runner = Runner(builder);

            Assert.AreEqual("input0", runner.Inputs[0].Name);
            Assert.AreEqual("output0", runner.Outputs[0].Name);
        }

        [TestMethod]
        public void Run_ByName_SameAsByPosition()
        {
            HostModelRunner runner = Runner(ExecutionModels.FloatRequantize());
            NpyArray input = new NpyArray(new[] { 0.5f, 1f, 1.5f, -3f }, 1, 4);

            float[] byPosition = runner.Run(new[] { input })[0].AsFloats();
            float[] byName = runner.Run(new Dictionary<string, NpyArray> { ["x"] = input })[0].AsFloats();

            CollectionAssert.AreEqual(byPosition, byName);
        }

        [TestMethod]
        public void Run_Twice_SameResult()
        {
            HostModelRunner runner = Runner(ExecutionModels.FloatRequantize());
            NpyArray first = new NpyArray(new[] { 0.5f, 1f, 1.5f, -3f }, 1, 4);

            float[] before = runner.Run(new[] { first })[0].AsFloats();
            runner.Run(new[] { new NpyArray(new[] { 9f, 9f, 9f, 9f }, 1, 4) });
            float[] after = runner.Run(new[] { first })[0].AsFloats();

            CollectionAssert.AreEqual(before, after);
        }

        [TestMethod]
        public void Run_WrongElementType_NamesInputAndBothTypes()
        {
            HostModelRunner runner = Runner(ExecutionModels.FloatRequantize());

            InputMismatchException exception = Assert.ThrowsExactly<InputMismatchException>(
                () => runner.Run(new[] { new NpyArray(new sbyte[4], 1, 4) }));

            Assert.AreEqual("Input 'x' must be float32 (its element type in the ONNX model), not int8.", exception.Message);
            Assert.AreEqual("x", exception.InputName);
        }

        [TestMethod]
        public void Run_WrongShape_NamesInputAndBothShapes()
        {
            HostModelRunner runner = Runner(ExecutionModels.FloatRequantize());

            InputMismatchException exception = Assert.ThrowsExactly<InputMismatchException>(
                () => runner.Run(new[] { new NpyArray(new float[4], 4) }));

            Assert.AreEqual("Input 'x' must have shape [1, 4], not [4].", exception.Message);
        }

        [TestMethod]
        public void Run_WrongCount_SaysHowMany()
        {
            HostModelRunner runner = Runner(ExecutionModels.FloatRequantize());

            InputMismatchException exception = Assert.ThrowsExactly<InputMismatchException>(
                () => runner.Run(Array.Empty<NpyArray>()));

            Assert.AreEqual("The model has 1 input (x) but 0 were given.", exception.Message);
        }

        [TestMethod]
        public void Run_UnknownName_ListsInputs()
        {
            HostModelRunner runner = Runner(ExecutionModels.FloatRequantize());

            InputMismatchException exception = Assert.ThrowsExactly<InputMismatchException>(
                () => runner.Run(new Dictionary<string, NpyArray> { ["images"] = new NpyArray(new float[4], 1, 4) }));

            Assert.AreEqual("The model has no input named 'images'; its inputs are x.", exception.Message);
        }

        [TestMethod]
        public void Run_MissingName_NamesIt()
        {
            HostModelRunner runner = Runner(ExecutionModels.FloatRequantize());

            InputMismatchException exception = Assert.ThrowsExactly<InputMismatchException>(
                () => runner.Run(new Dictionary<string, NpyArray>()));

            Assert.AreEqual("Input 'x' was not given.", exception.Message);
        }

        [TestMethod]
        public void Constructor_CorruptPayload_ModelLoadExceptionWithCode()
        {
            byte[] blob = ModelWriter.Write(ExecutionModels.FloatRequantize());
            blob[100] ^= 0x01;

            ModelLoadException exception = Assert.ThrowsExactly<ModelLoadException>(() => new HostModelRunner(blob));

            Assert.AreEqual(ModelError.PayloadCrcMismatch, exception.Error);
            StringAssert.Contains(exception.Message, "error 7 (PayloadCrcMismatch): the payload CRC is wrong");
        }

        [TestMethod]
        public void Constructor_NotAModel_BadMagic()
        {
            ModelLoadException exception = Assert.ThrowsExactly<ModelLoadException>(() => new HostModelRunner(new byte[100]));

            Assert.AreEqual(ModelError.BadMagic, exception.Error);
        }

        [TestMethod]
        public void Describe_EveryErrorCode_HasItsOwnMeaning()
        {
            string[] meanings = Enum.GetValues<ModelError>().Select(ModelLoadException.Describe).ToArray();

            Assert.HasCount(meanings.Length, meanings.Distinct());
            Assert.IsFalse(meanings.Contains("an error code this host tool does not know"));
        }
    }
}
