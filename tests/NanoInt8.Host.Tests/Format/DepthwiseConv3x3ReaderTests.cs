using NanoInt8.Host.Format;
using NanoInt8.Runtime.Operators;
using NanoInt8.Runtime;

namespace NanoInt8.Host.Tests.Format
{
    /// <summary>
    /// DepthwiseConv3x3 blobs (code 17) from the host writer: the device reader accepts a
    /// well-formed one and runs it like the same Conv2D, needs no scratch, and refuses what is not
    /// a depthwise, undilated 3x3 convolution.
    /// </summary>
    [TestClass]
    public class DepthwiseConv3x3ReaderTests
    {
        private const int Channels = 4;
        private const int Size = 7;

        [TestMethod]
        public void TryRead_DepthwiseConv3x3_RunsLikeConv2D()
        {
            Random random = new Random(13);
            sbyte[] input = new sbyte[Channels * Size * Size];
            random.NextBytes((byte[])(Array)input);
            int[] parameters = DefaultParameters();
            parameters[Conv2DLayout.StrideHeight] = parameters[Conv2DLayout.StrideWidth] = 2;

            CollectionAssert.AreEqual(Run(Build(OpCode.Conv2D, parameters), input), Run(Build(OpCode.DepthwiseConv3x3, parameters), input));
        }

        [TestMethod]
        public void Write_DepthwiseConv3x3_NeedsNoScratch()
        {
            ModelHeader header = ModelHeader.Parse(ModelWriter.Write(Build(OpCode.DepthwiseConv3x3, DefaultParameters())));

            Assert.AreEqual(0u, header.ScratchWords);
        }

        [TestMethod]
        public void TryRead_DilatedOrNotDepthwise_IsBadParameter()
        {
            int[] dilated = DefaultParameters();
            dilated[3] = 2;
            dilated[5] = dilated[7] = 2;
            int[] grouped = DefaultParameters();
            grouped[8] = 2;

            Assert.AreEqual(ModelError.BadParameter, Read(Build(OpCode.DepthwiseConv3x3, dilated)));
            Assert.AreEqual(ModelError.BadParameter, Read(Build(OpCode.DepthwiseConv3x3, grouped)));
        }

        [TestMethod]
        public void TryRead_FilterNot3x3_IsShapeMismatch()
        {
            int[] parameters = DefaultParameters();
            parameters[Conv2DLayout.PadTop] = parameters[Conv2DLayout.PadLeft] = parameters[Conv2DLayout.PadBottom] = parameters[Conv2DLayout.PadRight] = 2;

            Assert.AreEqual(ModelError.None, Read(Build(OpCode.Conv2D, parameters, filterSize: 5)));
            Assert.AreEqual(ModelError.ShapeMismatch, Read(Build(OpCode.DepthwiseConv3x3, parameters, filterSize: 5)));
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
            int outputSize = (Size + 2 - 3) / 2 + 1;
            sbyte[] output = new sbyte[Channels * outputSize * outputSize];
            interpreter.GetOutput(0, output, 0);
            return output;
        }

        // strideH, strideW, dilationH, dilationW, padTop, padLeft, padBottom, padRight, groups, min, max.
        private static int[] DefaultParameters() => OperatorWords.DepthwiseConv3x3(new OperatorWindow(1, 1, 1, 1, 1, 1, 1, 1), Channels, -128, 127);

        // x [1,4,7,7] → depthwise conv (filter [4, C/groups, k, k]) → [1,4,OH,OW].
        private static ModelBuilder Build(int opCode, int[] parameters, int filterSize = 3)
        {
            Random random = new Random(5);
            ModelBuilder builder = new ModelBuilder();
            int input = builder.AddArenaTensor("x", new[] { 1, Channels, Size, Size }, -7, 0);
            int perGroup = Channels / parameters[Conv2DLayout.Groups];
            sbyte[] weights = new sbyte[Channels * perGroup * filterSize * filterSize];
            for (int i = 0; i < weights.Length; i++)
            {
                weights[i] = (sbyte)random.Next(-127, 128);
            }

            int filter = builder.AddConstantInt8("conv.weight", weights, new[] { Channels, perGroup, filterSize, filterSize });
            int outputHeight = (Size + parameters[Conv2DLayout.PadTop] + parameters[Conv2DLayout.PadBottom] - (parameters[Conv2DLayout.DilationHeight] * (filterSize - 1)) - 1) / parameters[Conv2DLayout.StrideHeight] + 1;
            int outputWidth = (Size + parameters[Conv2DLayout.PadLeft] + parameters[Conv2DLayout.PadRight] - (parameters[Conv2DLayout.DilationWidth] * (filterSize - 1)) - 1) / parameters[Conv2DLayout.StrideWidth] + 1;
            int output = builder.AddArenaTensor("conv.out", new[] { 1, Channels, outputHeight, outputWidth }, 3, Channels * Size * Size);
            builder.AddOperator(opCode,
                new[] { input, filter, Ints(builder, "conv.bias", 1000), Ints(builder, "conv.multiplier", 1 << 30), Ints(builder, "conv.shift", -6) },
                new[] { output }, parameters);
            builder.Inputs.Add(input);
            builder.Outputs.Add(output);
            builder.ArenaBytes = Channels * Size * Size + (Channels * outputHeight * outputWidth);
            return builder;
        }

        private static int Ints(ModelBuilder builder, string name, int value)
        {
            return builder.AddConstantInt32(name, Enumerable.Repeat(value, Channels).ToArray(), new[] { Channels });
        }
    }
}
