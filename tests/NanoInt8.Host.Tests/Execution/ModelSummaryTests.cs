using NanoInt8.Host.Execution;
using NanoInt8.Host.Format;
using NanoInt8.Runtime;

namespace NanoInt8.Host.Tests.Execution
{
    /// <summary>The model summary: per-operator cost and placement, totals, from the bytes alone.</summary>
    [TestClass]
    public class ModelSummaryTests
    {
        private const int Half = 1 << 30;               // with shift s: 2^(s - 1)
        private const int ThreeQuarters = 3 << 29;      // with shift s: 0.75 · 2^s

        /// <summary>
        /// Conv2D, input [1, 4, 6, 5], filter [6, 4 / groups, 3, 3], stride 1, no padding → [1, 6, 4, 3],
        /// then a Requantize.
        /// </summary>
        private static ModelBuilder ConvModel(int groups)
        {
            ModelBuilder builder = new ModelBuilder();
            int inputChannelsPerGroup = 4 / groups;
            int input = builder.AddArenaTensor("image", new[] { 1, 4, 6, 5 }, 0, 0);
            int filter = builder.AddConstantInt8("conv.weight", new sbyte[6 * inputChannelsPerGroup * 9], new[] { 6, inputChannelsPerGroup, 3, 3 });
            int bias = builder.AddConstantInt32("conv.bias", new int[6], new[] { 6 });
            int multiplier = builder.AddConstantInt32("conv.multiplier", new[] { Half, Half, ThreeQuarters, Half, Half, Half }, new[] { 6 });
            int shift = builder.AddConstantInt32("conv.shift", new[] { -5, -6, -5, -7, -5, -5 }, new[] { 6 });
            int convOut = builder.AddArenaTensor("conv.out", new[] { 1, 6, 4, 3 }, -128, 120);
            int output = builder.AddArenaTensor("out", new[] { 1, 6, 4, 3 }, 0, 0);
            builder.AddOperator(OpCode.Conv2D, new[] { input, filter, bias, multiplier, shift }, new[] { convOut },
                OperatorWords.Conv2D(new OperatorWindow(1, 1, 1, 1, 0, 0, 0, 0), groups, -128, 127));
            builder.AddOperator(OpCode.Requantize, new[] { convOut }, new[] { output }, OperatorWords.Requantize((Half, 3), -128, 127));
            builder.Inputs.Add(input);
            builder.Outputs.Add(output);
            builder.ArenaBytes = 120 + 72;
            builder.Metadata.OperatorNames.Add("conv1+relu1");
            builder.Metadata.OperatorNames.Add("quant_out");
            return builder;
        }

        [TestMethod]
        public void FromBlob_Conv2D_MacsAreOutputsTimesTaps()
        {
            ModelSummary summary = ModelSummary.FromBlob(ModelWriter.Write(ConvModel(groups: 1)));

            // N·O·OH·OW·(C/groups)·KH·KW = 1·6·4·3·4·3·3.
            Assert.AreEqual(2592L, summary.Operators[0].MultiplyAccumulates);
            Assert.AreEqual(72L, summary.Operators[0].OutputElements);
        }

        [TestMethod]
        public void FromBlob_GroupedConv2D_MacsDividedByGroups()
        {
            ModelSummary summary = ModelSummary.FromBlob(ModelWriter.Write(ConvModel(groups: 2)));

            Assert.AreEqual(2592L / 2, summary.Operators[0].MultiplyAccumulates);
        }

        [TestMethod]
        public void FromBlob_Conv2D_ShapesWeightsArenaAndSource()
        {
            OperatorSummary conv = ModelSummary.FromBlob(ModelWriter.Write(ConvModel(groups: 1))).Operators[0];

            Assert.AreEqual("Conv2D", conv.Kind);
            Assert.AreEqual(OpCode.Conv2D, conv.OpCode);
            Assert.AreEqual("conv1+relu1", conv.SourceName);
            Assert.HasCount(1, conv.InputShapes);
            CollectionAssert.AreEqual(new[] { 1, 4, 6, 5 }, conv.InputShapes[0].ToArray());
            CollectionAssert.AreEqual(new[] { 1, 6, 4, 3 }, conv.OutputShape.ToArray());
            // Filter 6·4·9 int8 bytes, bias, multiplier and shift 6 int32 each.
            Assert.AreEqual(216L + (3 * 6 * 4), conv.WeightBytes);
            Assert.AreEqual(120, conv.ArenaOffset);
            Assert.AreEqual(72, conv.ArenaBytes);
        }

        [TestMethod]
        public void FromBlob_Conv2D_MultiplierRangeOverChannels()
        {
            OperatorSummary conv = ModelSummary.FromBlob(ModelWriter.Write(ConvModel(groups: 1))).Operators[0];

            // Half·2^(s - 31) = 2^(s - 1): 2^-6, 2^-7, 2^-8; ThreeQuarters with shift -5: 0.75·2^-5.
            Assert.AreEqual(new RealRange(Math.ScaleB(1, -8), 0.75 * Math.ScaleB(1, -5)), conv.MultiplierRange);
        }

        [TestMethod]
        public void FromBlob_Requantize_NoMacsButElementsAndMultiplier()
        {
            OperatorSummary requantize = ModelSummary.FromBlob(ModelWriter.Write(ConvModel(groups: 1))).Operators[1];

            Assert.AreEqual("Requantize", requantize.Kind);
            Assert.AreEqual(0L, requantize.MultiplyAccumulates);
            Assert.AreEqual(72L, requantize.OutputElements);
            Assert.AreEqual(0L, requantize.WeightBytes);
            Assert.AreEqual(new RealRange(4.0, 4.0), requantize.MultiplierRange);
            Assert.AreEqual("quant_out", requantize.SourceName);
        }

        [TestMethod]
        public void FromBlob_Totals_FromTheWholeModel()
        {
            byte[] blob = ModelWriter.Write(ConvModel(groups: 1));

            ModelSummary summary = ModelSummary.FromBlob(blob);

            Assert.AreEqual(2, summary.Operators.Count);
            Assert.AreEqual(7, summary.TensorCount);
            Assert.AreEqual(216L + 18, summary.ParameterCount);
            Assert.AreEqual(216L + 72, summary.WeightBytes);
            Assert.AreEqual(192, summary.ArenaBytes);
            Assert.AreEqual((int)ModelHeader.Parse(blob).DeviceBytes, summary.DeviceBytes);
            Assert.AreEqual(blob.Length, summary.ModelBytes);
            Assert.AreEqual(2592L, summary.MultiplyAccumulates);
            CollectionAssert.AreEqual(
                new[] { new KeyValuePair<string, int>("Conv2D", 1), new KeyValuePair<string, int>("Requantize", 1) },
                summary.OperatorCounts.ToArray());
        }

        [TestMethod]
        public void FromBlob_FullyConnected_MacsAreRowsTimesOutputsTimesDepth()
        {
            ModelBuilder builder = new ModelBuilder();
            int input = builder.AddArenaTensor("x", new[] { 2, 3 }, 0, 0);
            int filter = builder.AddConstantInt8("w", new sbyte[12], new[] { 4, 3 });
            int bias = builder.AddConstantInt32("b", new int[4], new[] { 4 });
            int multiplier = builder.AddConstantInt32("m", new[] { Half, Half, Half, Half }, new[] { 4 });
            int shift = builder.AddConstantInt32("s", new[] { 0, 0, 0, 0 }, new[] { 4 });
            int output = builder.AddArenaTensor("y", new[] { 2, 4 }, 0, 8);
            builder.AddOperator(OpCode.FullyConnected, new[] { input, filter, bias, multiplier, shift }, new[] { output }, OperatorWords.FullyConnected(-128, 127));
            builder.Inputs.Add(input);
            builder.Outputs.Add(output);
            builder.ArenaBytes = 16;

            OperatorSummary fullyConnected = ModelSummary.FromBlob(ModelWriter.Write(builder)).Operators[0];

            // rows 2 · O 4 · K 3.
            Assert.AreEqual(24L, fullyConnected.MultiplyAccumulates);
            Assert.AreEqual(new RealRange(0.5, 0.5), fullyConnected.MultiplierRange);
            Assert.IsNull(fullyConnected.SourceName);
        }

        [TestMethod]
        public void FromBlob_AddWithConstant_RatiosOfBothInputsAndConstantCountedAsWeights()
        {
            ModelBuilder builder = new ModelBuilder();
            int a = builder.AddArenaTensor("a", new[] { 1, 4 }, 0, 0);
            int b = builder.AddConstantInt8("b", new sbyte[] { 1, 2, 3, 4 }, new[] { 1, 4 });
            int output = builder.AddArenaTensor("sum", new[] { 1, 4 }, 0, 4);
            // leftShift 20; a: 2^30, -1 (0.25); b: 2^30, -2 (0.125); output: 2^30, -17 (2^-18).
            builder.AddOperator(OpCode.Add, new[] { a, b }, new[] { output },
                OperatorWords.Add(20, (Half, -1), (Half, -2), (Half, -17), -128, 127, false, new[] { 0, 0, 0, 1 }, new[] { 0, 0, 0, 1 }));
            builder.Inputs.Add(a);
            builder.Outputs.Add(output);
            builder.ArenaBytes = 8;

            OperatorSummary add = ModelSummary.FromBlob(ModelWriter.Write(builder)).Operators[0];

            // 2^20 · 0.25 · 2^-18 = 1; 2^20 · 0.125 · 2^-18 = 0.5.
            Assert.AreEqual(new RealRange(0.5, 1.0), add.MultiplierRange);
            Assert.AreEqual(0L, add.MultiplyAccumulates);
            Assert.AreEqual(4L, add.OutputElements);
            Assert.AreEqual(4L, add.WeightBytes);
            Assert.HasCount(1, add.InputShapes);
        }

        [TestMethod]
        public void FromBlob_InvalidModel_ModelLoadException()
        {
            ModelBuilder builder = ConvModel(groups: 1);
            builder.ArenaBytes = 100;

            ModelLoadException exception = Assert.ThrowsExactly<ModelLoadException>(() => ModelSummary.FromBlob(ModelWriter.Write(builder)));

            Assert.AreEqual(ModelError.TensorOutOfBounds, exception.Error);
        }

        [TestMethod]
        [DataRow(OpCode.Conv2D, "Conv2D")]
        [DataRow(OpCode.GlobalAveragePool, "GlobalAveragePool")]
        [DataRow(OpCode.Requantize, "Requantize")]
        [DataRow(0, "Unknown")]
        [DataRow(OpCode.Max + 1, "Unknown")]
        public void KindName_OpCode_Name(int opCode, string expected)
        {
            Assert.AreEqual(expected, ModelSummary.KindName(opCode));
        }
    }
}
