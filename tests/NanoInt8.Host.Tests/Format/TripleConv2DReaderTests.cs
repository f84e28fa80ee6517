using NanoInt8.Host.Format;
using NanoInt8.Runtime.Kernels;
using NanoInt8.Runtime.Operators;
using NanoInt8.Runtime;

namespace NanoInt8.Host.Tests.Format
{
    /// <summary>
    /// Conv2DTriple blobs (code 19) from the host writer: the device reader accepts a well-formed
    /// one, counts its scratch (filter words and packed padded input), runs it like the plain
    /// Conv2D, and refuses what the triple kernel cannot run, for channel triples and tap triples.
    /// </summary>
    [TestClass]
    public class TripleConv2DReaderTests
    {
        private const int Height = 3;
        private const int Width = 20;
        private const int OutputChannels = 10;
        private const int FilterHeight = 2;
        private const int FilterWidth = 5;
        private const int OutputHeight = Height + 1 - FilterHeight + 1;
        private const int OutputWidth = Width + 4 - FilterWidth + 1;

        [TestMethod]
        [DataRow(1)]
        [DataRow(4)]
        public void TryRead_TripleConv_RunsLikeThePlainOne(int channels)
        {
            Random random = new Random(17);
            sbyte[] input = new sbyte[channels * Height * Width];
            random.NextBytes((byte[])(Array)input);

            CollectionAssert.AreEqual(Run(Build(false, channels, DefaultParameters()), input), Run(Build(true, channels, DefaultParameters()), input));
        }

        [TestMethod]
        public void Write_TripleConv_ScratchIsTheFilterWordsAndThePackedInput()
        {
            // Channel triples, C = 4: 2 words a position, R = 5·2 = 10 rounded to 12; 2 groups · 2 rows
            // · 12 words · 8 channels of filter, then (1 + 3 + 0) rows × (2 + 20 + 2) positions × 2 words + 3.
            ModelHeader channels = ModelHeader.Parse(ModelWriter.Write(Build(true, 4, DefaultParameters())));
            Assert.AreEqual((uint)((2 * 2 * 12 * 8) + (4 * 24 * 2) + 3), channels.ScratchWords);
            Assert.AreEqual(channels.ExpectedDeviceBytes, (long)channels.DeviceBytes);

            // Tap triples, C = 1: R = 2 rounded to 3; rows of 24 + 3·3 words.
            ModelHeader taps = ModelHeader.Parse(ModelWriter.Write(Build(true, 1, DefaultParameters())));
            Assert.AreEqual((uint)((2 * 2 * 3 * 8) + (4 * 33)), taps.ScratchWords);
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

            Assert.AreEqual(ModelError.BadParameter, Read(Build(true, 4, dilated)));
            Assert.AreEqual(ModelError.BadParameter, Read(Build(true, 4, grouped)));
            Assert.AreEqual(ModelError.BadParameter, Read(Build(true, 4, noWidth)));
        }

        [TestMethod]
        public void TryRead_RowLongerThanOneBlock_IsBadParameter()
        {
            // C = 16 (6 words a position) with KW 5: 30 words a row, more than a lane block's 21.
            int[] parameters = DefaultParameters();
            Assert.AreEqual(ModelError.BadParameter, Read(Build(true, 16, parameters, filterShape: new[] { 2, FilterHeight, 12, 24 })));
        }

        [TestMethod]
        public void TryRead_FilterShapeOrWidthMismatch_IsShapeMismatch()
        {
            // KW 7 needs R = 14 rounded to 15 words a row: the filter has 12; a filter of 4 groups; one of 16 lanes.
            int[] wider = DefaultParameters();
            wider[Conv2DFilterWidthLayout.FilterWidth] = 7;

            Assert.AreEqual(ModelError.ShapeMismatch, Read(Build(true, 4, wider)));
            Assert.AreEqual(ModelError.ShapeMismatch, Read(Build(true, 4, DefaultParameters(), filterShape: new[] { 4, FilterHeight, 12, 12 })));
            Assert.AreEqual(ModelError.ShapeMismatch, Read(Build(true, 4, DefaultParameters(), filterShape: new[] { 2, FilterHeight, 12, 16 })));
        }

        [TestMethod]
        public void Write_TripleConv_ReadAsVersion3AndVersion2RefusesTheCode()
        {
            byte[] blob = ModelWriter.Write(Build(true, 4, DefaultParameters()));
            Assert.AreEqual(ModelError.None, Read(FormatVersions.Relabel(blob, 3)));

            // Labelled version 2, code 19 is an unknown operator.
            Assert.AreEqual(ModelError.BadOperator, Read(FormatVersions.Relabel(blob, 2)));
        }

        [TestMethod]
        public void TryRead_FilterNotInt8Lanes_IsBadOperand()
        {
            Assert.AreEqual(ModelError.BadOperand, Read(Build(true, 4, DefaultParameters(), int32Filter: true)));
        }

        private static ModelError Read(ModelBuilder builder)
        {
            return Read(ModelWriter.Write(builder));
        }

        private static ModelError Read(byte[] blob)
        {
            return ModelReader.TryRead(blob, int.MaxValue, out _);
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

        // strideH, strideW, dilationH, dilationW, padTop, padLeft, padBottom, padRight, groups, min, max, then KW for code 19.
        private static int[] DefaultParameters() => OperatorWords.Conv2DTriple(new OperatorWindow(1, 1, 1, 1, 1, 2, 0, 2), -128, 127, FilterWidth);

        // x [1,C,3,20] → conv 2x5, pads (1, 2, 0, 2) → [1,10,3,20].
        private static ModelBuilder Build(bool triple, int channels, int[] parameters, int[]? filterShape = null, bool int32Filter = false)
        {
            Random random = new Random(5);
            ModelBuilder builder = new ModelBuilder();
            int input = builder.AddArenaTensor("x", new[] { 1, channels, Height, Width }, -7, 0);
            sbyte[] weights = new sbyte[OutputChannels * channels * FilterHeight * FilterWidth];
            for (int i = 0; i < weights.Length; i++)
            {
                weights[i] = (sbyte)random.Next(-128, 128);
            }

            int filter;
            if (triple)
            {
                int rowWords = Conv2DTripleKernel.RowWords(channels, FilterWidth);
                int[] shape = filterShape ?? new[] { 2, FilterHeight, rowWords, 24 };
                sbyte[] lanes = new sbyte[shape.Aggregate(1, (product, dimension) => product * dimension)];
                if (filterShape is null)
                {
                    Conv2DTripleKernel.PackFilter(weights, 0, OutputChannels, channels, FilterHeight, FilterWidth, lanes, 0);
                }

                filter = int32Filter
                    ? builder.AddConstantInt32("conv.weight", new int[lanes.Length], shape)
                    : builder.AddConstantInt8("conv.weight", lanes, shape);
            }
            else
            {
                filter = builder.AddConstantInt8("conv.weight", weights, new[] { OutputChannels, channels, FilterHeight, FilterWidth });
            }

            int output = builder.AddArenaTensor("conv.out", new[] { 1, OutputChannels, OutputHeight, OutputWidth }, 3, channels * Height * Width);
            builder.AddOperator(triple ? OpCode.Conv2DTriple : OpCode.Conv2D,
                new[] { input, filter, Ints(builder, "conv.bias", 1000), Ints(builder, "conv.multiplier", 1 << 30), Ints(builder, "conv.shift", -8) },
                new[] { output }, triple ? parameters : parameters[..Conv2DLayout.Count]);
            builder.Inputs.Add(input);
            builder.Outputs.Add(output);
            builder.ArenaBytes = (channels * Height * Width) + (OutputChannels * OutputHeight * OutputWidth);
            return builder;
        }

        private static int Ints(ModelBuilder builder, string name, int value)
        {
            return builder.AddConstantInt32(name, Enumerable.Repeat(value, OutputChannels).ToArray(), new[] { OutputChannels });
        }
    }
}
