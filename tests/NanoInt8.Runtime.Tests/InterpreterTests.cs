using System;
using System.Linq;
using System.Text;
using NanoInt8.Host.Format;
using NanoInt8.Runtime.Kernels;
using NanoInt8.Runtime.Operators;

namespace NanoInt8.Runtime.Tests
{
    /// <summary>
    /// Host-only checks of the interpreter's wiring: the operator parameters it decodes from a
    /// written model must reach the kernels exactly as a hand-written chain of kernel calls passes
    /// them. The kernels themselves are checked against plain references in the shared tests.
    /// </summary>
    [TestClass]
    public class InterpreterTests
    {
        [TestMethod]
        public void TinyCnn_ManyInputs_MatchesKernelsCalledByHand()
        {
            ModelBuilder builder = TinyCnnModel.Build();
            Interpreter interpreter = Load(ModelWriter.Write(builder));
            var random = new TestRandom(7);
            for (int trial = 0; trial < 50; trial++)
            {
                sbyte[] input = KernelTestSupport.RandomBytes(random, 32, -128, 127);
                var actual = new sbyte[4];
                interpreter.SetInput(0, input, 0);
                interpreter.Invoke();
                interpreter.GetOutput(0, actual, 0);

                KernelTestSupport.AssertEqual(RunByHand(builder, input), actual);
            }
        }

        [TestMethod]
        public void TinyCnn_ReportsInputAndOutputDescriptions()
        {
            Interpreter interpreter = Load(ModelWriter.Write(TinyCnnModel.Build()));

            TensorInfo input = interpreter.GetInputInfo(0);
            TensorInfo output = interpreter.GetOutputInfo(0);

            CollectionAssert.AreEqual(new[] { 1, 2, 4, 4 }, input.Shape);
            Assert.AreEqual(-3, input.ZeroPoint);
            Assert.AreEqual(32, input.ElementCount);
            CollectionAssert.AreEqual(new[] { 1, 4 }, output.Shape);
            Assert.AreEqual(-128, output.ZeroPoint);
        }

        [TestMethod]
        public void TinyCnn_EmbeddedSharedBlob_IsWhatTheWriterWrites()
        {
            byte[] written = ModelWriter.Write(TinyCnnModel.Build());

            Assert.IsTrue(written.SequenceEqual(TestModels.TinyCnnBlob()),
                "The blob embedded in tests/Runtime.Tests.Shared/Model/TestModels.cs is stale. New bytes:\n" + ToCSharp(written));
        }

        [TestMethod]
        public void TinyCnn_EmbeddedExpectedOutput_IsWhatTheNet10BuildComputes()
        {
            // The shared tests run the same model on the device and compare with these bytes, so a
            // difference between nanoCLR and .NET 10 arithmetic would show there.
            ModelBuilder builder = TinyCnnModel.Build();
            sbyte[] expected = RunByHand(builder, TestModels.TinyCnnInput());

            Assert.IsTrue(expected.SequenceEqual(TestModels.TinyCnnExpectedOutput()),
                "The expected output embedded in TestModels.cs is stale. New values: " + string.Join(", ", expected));
        }

        private static Interpreter Load(byte[] blob)
        {
            ModelError error = ModelReader.TryRead(blob, int.MaxValue, out Model model);
            Assert.AreEqual(ModelError.None, error);
            return new Interpreter(model);
        }

        private static sbyte[] RunByHand(ModelBuilder builder, sbyte[] input)
        {
            sbyte[] Int8(string name) => builder.Tensors.Single(t => t.Name == name).Int8Data.ToArray();
            int[] Int32(string name) => builder.Tensors.Single(t => t.Name == name).Int32Data.ToArray();

            var convOut = new sbyte[48];
            Conv2DKernel.Eval(new Conv2DOperator
            {
                Input = input, InputOffset = 0, Batches = 1, InputChannels = 2, InputHeight = 4, InputWidth = 4, InputZeroPoint = -3,
                Filter = Int8("conv.weight"), FilterOffset = 0, OutputChannels = 3, FilterHeight = 3, FilterWidth = 3,
                Bias = Int32("conv.bias"), BiasOffset = 0, Multiplier = Int32("conv.multiplier"), MultiplierOffset = 0,
                Shift = Int32("conv.shift"), ShiftOffset = 0,
                Output = convOut, OutputOffset = 0, OutputHeight = 4, OutputWidth = 4, OutputZeroPoint = -128,
                StrideHeight = 1, StrideWidth = 1, DilationHeight = 1, DilationWidth = 1, PadTop = 1, PadLeft = 1, Groups = 1,
                ActivationMin = -128, ActivationMax = 127, Mode = Requantization.Q31,
            });
            var pooled = new sbyte[12];
            MaxPoolKernel.Eval(new MaxPoolOperator
            {
                Input = convOut, InputOffset = 0, Batches = 1, Channels = 3, InputHeight = 4, InputWidth = 4, Output = pooled,
                OutputOffset = 0, OutputHeight = 2, OutputWidth = 2, KernelHeight = 2, KernelWidth = 2, StrideHeight = 2, StrideWidth = 2,
                DilationHeight = 1, DilationWidth = 1, PadTop = 0, PadLeft = 0, ActivationMin = -128, ActivationMax = 127,
            });
            var logits = new sbyte[4];
            FullyConnectedKernel.Eval(new FullyConnectedOperator
            {
                Input = pooled, InputOffset = 0, Rows = 1, Depth = 12, Filter = Int8("fc.weight"), FilterOffset = 0, OutputDepth = 4,
                Bias = Int32("fc.bias"), BiasOffset = 0, Multiplier = Int32("fc.multiplier"), MultiplierOffset = 0,
                Shift = Int32("fc.shift"), ShiftOffset = 0,
                Output = logits, OutputOffset = 0, OutputZeroPoint = 5, ActivationMin = -128, ActivationMax = 127, Mode = Requantization.Q31,
            });
            var probabilities = new sbyte[4];
            SoftmaxKernel.Eval(new SoftmaxOperator
            {
                Input = logits, InputOffset = 0, Rows = 1, Depth = 4, ExpTable = Int32("softmax.exp"), ExpTableOffset = 0,
                Output = probabilities, OutputOffset = 0, OutputZeroPoint = -128, OutputMultiplier = 1 << 30, OutputShift = -7,
                Mode = Requantization.Q31,
            });
            return probabilities;
        }

        private static string ToCSharp(byte[] bytes)
        {
            var text = new StringBuilder();
            for (int i = 0; i < bytes.Length; i++)
            {
                text.Append(i % 24 == 0 ? "\n            " : " ").Append("0x").Append(bytes[i].ToString("X2")).Append(',');
            }

            return text.ToString();
        }
    }
}
