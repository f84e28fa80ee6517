using NanoInt8.Host.Format;
using NanoInt8.Runtime.Kernels;
using NanoInt8.Runtime.Operators;
using NanoInt8.Runtime;

namespace NanoInt8.Host.Tests.Format
{
    /// <summary>
    /// Conv2DPackedTaps blobs (code 18) from the host writer: the device reader accepts a
    /// well-formed one, counts its scratch, runs it like the plain Conv2D, and refuses what the
    /// tap-paired kernel cannot run.
    /// </summary>
    [TestClass]
    public class PackedTapsConv2DReaderTests
    {
        private const int Height = 3;
        private const int Width = 20;
        private const int OutputChannels = 6;
        private const int FilterHeight = 2;
        private const int FilterWidth = 5;

        [TestMethod]
        public void TryRead_PackedTapsConv_RunsLikeThePlainOne()
        {
            Random random = new Random(17);
            sbyte[] input = new sbyte[Height * Width];
            random.NextBytes((byte[])(Array)input);

            CollectionAssert.AreEqual(Run(Build(false, DefaultParameters()), input), Run(Build(true, DefaultParameters()), input));
        }

        [TestMethod]
        public void Write_PackedTapsConv_ScratchIsThePaddedRowsWithTwoQExtraColumns()
        {
            ModelHeader header = ModelHeader.Parse(ModelWriter.Write(Build(true, DefaultParameters())));

            // (1 + 3 + 0) rows × (2 + 20 + 2 + 2·4) words.
            Assert.AreEqual(128u, header.ScratchWords);
            Assert.AreEqual(header.ExpectedDeviceBytes, (long)header.DeviceBytes);
        }

        [TestMethod]
        public void TryRead_DilatedGroupedOrWrongFilterWidth_IsBadParameter()
        {
            int[] dilated = DefaultParameters();
            dilated[Conv2DLayout.DilationHeight] = 2;
            int[] grouped = DefaultParameters();
            grouped[Conv2DLayout.Groups] = 2;
            int[] noWidth = DefaultParameters();
            noWidth[Conv2DFilterWidthLayout.FilterWidth] = 0;

            Assert.AreEqual(ModelError.BadParameter, Read(Build(true, dilated)));
            Assert.AreEqual(ModelError.BadParameter, Read(Build(true, grouped)));
            Assert.AreEqual(ModelError.BadParameter, Read(Build(true, noWidth)));
        }

        [TestMethod]
        public void TryRead_FilterShapeOrWidthMismatch_IsShapeMismatch()
        {
            // KW 9 needs Q = 6 pairs: the filter has 4; a filter of KW columns instead of one.
            int[] wider = DefaultParameters();
            wider[Conv2DFilterWidthLayout.FilterWidth] = 9;

            Assert.AreEqual(ModelError.ShapeMismatch, Read(Build(true, wider)));
            Assert.AreEqual(ModelError.ShapeMismatch, Read(Build(true, DefaultParameters(), filterShape: new[] { 2, FilterHeight, 2, 8 })));
        }

        private static ModelError Read(ModelBuilder builder)
        {
            return ModelReader.TryRead(ModelWriter.Write(builder), int.MaxValue, out _);
        }

        private static sbyte[] Run(ModelBuilder builder, sbyte[] input)
        {
            byte[] blob = ModelWriter.Write(builder);
            Assert.AreEqual(ModelError.None, ModelReader.TryRead(blob, int.MaxValue, out Model model));
            Interpreter interpreter = new Interpreter(model);
            interpreter.SetInput(0, input, 0);
            interpreter.Invoke();
            sbyte[] output = new sbyte[OutputChannels * OutputHeight * OutputWidth];
            interpreter.GetOutput(0, output, 0);
            return output;
        }

        private const int OutputHeight = Height + 1 - FilterHeight + 1;
        private const int OutputWidth = Width + 4 - FilterWidth + 1;

        // strideH, strideW, dilationH, dilationW, padTop, padLeft, padBottom, padRight, groups, min, max, then KW for code 18.
        private static int[] DefaultParameters() => OperatorWords.Conv2DPackedTaps(new OperatorWindow(1, 1, 1, 1, 1, 2, 0, 2), -128, 127, FilterWidth);

        // x [1,1,3,20] → conv 2x5, pads (1, 2, 0, 2) → [1,6,3,20].
        private static ModelBuilder Build(bool packed, int[] parameters, int[]? filterShape = null)
        {
            Random random = new Random(5);
            ModelBuilder builder = new ModelBuilder();
            int input = builder.AddArenaTensor("x", new[] { 1, 1, Height, Width }, -7, 0);
            sbyte[] weights = new sbyte[OutputChannels * FilterHeight * FilterWidth];
            for (int i = 0; i < weights.Length; i++)
            {
                weights[i] = (sbyte)random.Next(-127, 128);
            }

            int filter;
            if (packed)
            {
                int[] words = new int[Conv2DPackedKernel.PackedFilterWordsTapPairs(OutputChannels, FilterHeight, FilterWidth)];
                Assert.IsTrue(Conv2DPackedKernel.PackFilterTaps(weights, 0, OutputChannels, FilterHeight, FilterWidth, words, 0));
                filter = builder.AddConstantInt32("conv.weight", words, filterShape ?? new[] { 2, FilterHeight, 1, 16 });
            }
            else
            {
                filter = builder.AddConstantInt8("conv.weight", weights, new[] { OutputChannels, 1, FilterHeight, FilterWidth });
            }

            int output = builder.AddArenaTensor("conv.out", new[] { 1, OutputChannels, OutputHeight, OutputWidth }, 3, Height * Width);
            builder.AddOperator(packed ? OpCode.Conv2DPackedTaps : OpCode.Conv2D,
                new[] { input, filter, Ints(builder, "conv.bias", 1000), Ints(builder, "conv.multiplier", 1 << 30), Ints(builder, "conv.shift", -8) },
                new[] { output }, packed ? parameters : parameters[..Conv2DLayout.Count]);
            builder.Inputs.Add(input);
            builder.Outputs.Add(output);
            builder.ArenaBytes = (Height * Width) + (OutputChannels * OutputHeight * OutputWidth);
            return builder;
        }

        private static int Ints(ModelBuilder builder, string name, int value)
        {
            return builder.AddConstantInt32(name, Enumerable.Repeat(value, OutputChannels).ToArray(), new[] { OutputChannels });
        }
    }
}
