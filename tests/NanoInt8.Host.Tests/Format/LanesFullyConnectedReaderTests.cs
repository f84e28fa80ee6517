using NanoInt8.Host.Format;
using NanoInt8.Runtime;
using NanoInt8.Runtime.Kernels;

namespace NanoInt8.Host.Tests.Format
{
    /// <summary>
    /// FullyConnectedLanes blobs (code 26, format version 5): written as version 5, refused when
    /// labelled 4, run like the plain FullyConnected, and refused (BadParameter) when any check the
    /// kernel trusts fails: a filter word that is not three taps in [-128, 127], a block length out of
    /// range or one whose sums leave the lane, a table that is not the clamp or too short for a
    /// channel's accumulator range, the q31 mode.
    /// </summary>
    [TestClass]
    public class LanesFullyConnectedReaderTests
    {
        private const int Depth = 70;
        private const int OutputDepth = 11;
        private const int Words = (Depth + 2) / 3;

        [TestMethod]
        public void TryRead_LanesFullyConnected_RunsLikeThePlainOne()
        {
            Random random = new Random(17);
            sbyte[] input = new sbyte[2 * Depth];
            random.NextBytes((byte[])(Array)input);
            Array.Fill(input, (sbyte)-128, 0, 9);

            CollectionAssert.AreEqual(Run(Build(new Lanes { Plain = true }), input), Run(Build(new Lanes()), input));
            CollectionAssert.AreEqual(Run(Build(new Lanes { Plain = true }), input), Run(Build(new Lanes { BlockWords = 5 }), input));
        }

        [TestMethod]
        public void Write_LanesFullyConnected_IsVersion5AndVersion4RefusesItsCode()
        {
            byte[] blob = ModelWriter.Write(Build(new Lanes()));
            Assert.AreEqual(5, (int)ModelFile.Read(blob).Header.Version);
            Assert.AreEqual(Words, (int)ModelFile.Read(blob).Header.ScratchWords);
            Assert.AreEqual(ModelError.None, Read(blob));

            Assert.AreEqual(ModelError.BadOperator, Read(FormatVersions.Relabel(blob, 4)));
            Assert.AreEqual(4, (int)ModelFile.Read(ModelWriter.Write(Build(new Lanes { Plain = true }))).Header.Version);
        }

        [TestMethod]
        public void TryRead_FilterWordNotThreeTaps_IsBadParameter()
        {
            foreach (long bad in new[] { 1L, 128L << 1, 128L << 22, -129L << 43 })
            {
                long[] words = PackedWeights();
                words[OutputDepth * Words - 1] = bad;
                Assert.AreEqual(ModelError.BadParameter, Read(ModelWriter.Write(Build(new Lanes { Words = words }))), $"word {bad}");
            }
        }

        [TestMethod]
        public void TryRead_BlockLengthOutOfRange_IsBadParameter()
        {
            Assert.AreEqual(ModelError.BadParameter, Read(ModelWriter.Write(Build(new Lanes { BlockWords = 0 }))));
            Assert.AreEqual(ModelError.BadParameter, Read(ModelWriter.Write(Build(new Lanes { BlockWords = Words + 1 }))));
            Assert.AreEqual(ModelError.None, Read(ModelWriter.Write(Build(new Lanes { BlockWords = 1 }))));
        }

        [TestMethod]
        public void TryRead_BlockWhoseSumsLeaveTheLane_IsBadParameter()
        {
            // Channel 3 all -128: its 70 taps reach 70·2^14 ≥ 2^20 in one block of all 24 words;
            // blocks of 21 words keep it (63·2^14 < 2^20).
            sbyte[] weights = Weights();
            Array.Fill(weights, (sbyte)-128, 3 * Depth, Depth);
            long[] words = PackedWeights(weights);
            Assert.AreEqual(ModelError.BadParameter, Read(ModelWriter.Write(Build(new Lanes { Weights = weights, Words = words, BlockWords = Words }))));
            Assert.AreEqual(ModelError.None, Read(ModelWriter.Write(Build(new Lanes { Weights = weights, Words = words, BlockWords = 21 }))));
        }

        [TestMethod]
        public void TryRead_BadOrShortTable_IsBadParameter()
        {
            // One entry of the clamp changed; the table one entry short of a channel's reachable
            // values; a bias that takes channel 0 beyond the table's end.
            Assert.AreEqual(ModelError.BadParameter, Read(ModelWriter.Write(Build(new Lanes { SpoilEntry = true }))));
            Assert.AreEqual(ModelError.BadParameter, Read(ModelWriter.Write(Build(new Lanes { ShortTable = true }))));
            Assert.AreEqual(ModelError.BadParameter, Read(ModelWriter.Write(Build(new Lanes { FirstBias = 1 << 24 }))));
        }

        [TestMethod]
        public void TryRead_OtherRequantizationMode_IsBadParameter()
        {
            ModelBuilder builder = Build(new Lanes());
            builder.Flags = (ushort)Requantization.Q15;
            Assert.AreEqual(ModelError.BadParameter, Read(ModelWriter.Write(builder)));
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
            sbyte[] output = new sbyte[2 * OutputDepth];
            interpreter.GetOutput(0, output, 0);
            return output;
        }

        private static sbyte[] Weights()
        {
            Random random = new Random(5);
            sbyte[] weights = new sbyte[OutputDepth * Depth];
            for (int i = 0; i < weights.Length; i++)
            {
                weights[i] = (sbyte)random.Next(-128, 128);
            }

            return weights;
        }

        private static long[] PackedWeights(sbyte[]? weights = null)
        {
            long[] words = new long[OutputDepth * Words];
            FullyConnectedLanesKernel.PackFilter(weights ?? Weights(), 0, OutputDepth, Depth, words, 0);
            return words;
        }

        // What a test changes in the model Build writes.
        private sealed class Lanes
        {
            public bool Plain { get; init; }

            public sbyte[]? Weights { get; init; }

            public long[]? Words { get; init; }

            public int BlockWords { get; init; } = LanesFullyConnectedReaderTests.Words;

            public bool SpoilEntry { get; init; }

            public bool ShortTable { get; init; }

            public int FirstBias { get; init; } = 1000;
        }

        // x [2, 70] → fully connected 70 → 11 → [2, 11] (plain, or lanes with the table the
        // converter would build); ratio 2^-9 with an odd multiplier (no rounding ties).
        private static ModelBuilder Build(Lanes lanes)
        {
            const int multiplierValue = (1 << 30) + 1;
            const int shiftValue = -8;
            const int outputZeroPoint = 3;
            sbyte[] weights = lanes.Weights ?? Weights();
            int[] biasValues = Enumerable.Range(0, OutputDepth).Select(channel => channel == 0 ? lanes.FirstBias : 1000 - 37 * channel).ToArray();
            ModelBuilder builder = new ModelBuilder();
            int input = builder.AddArenaTensor("x", new[] { 2, Depth }, -7, 0);
            int bias = builder.AddConstantInt32("fc.bias", biasValues, new[] { OutputDepth });
            int multiplier = builder.AddConstantInt32("fc.multiplier", Enumerable.Repeat(multiplierValue, OutputDepth).ToArray(), new[] { OutputDepth });
            int shift = builder.AddConstantInt32("fc.shift", Enumerable.Repeat(shiftValue, OutputDepth).ToArray(), new[] { OutputDepth });
            int output = builder.AddArenaTensor("y", new[] { 2, OutputDepth }, outputZeroPoint, 2 * Depth);
            if (lanes.Plain)
            {
                int plainFilter = builder.AddConstantInt8("fc.weight", weights, new[] { OutputDepth, Depth });
                builder.AddOperator(OpCode.FullyConnected, new[] { input, plainFilter, bias, multiplier, shift }, new[] { output }, OperatorWords.FullyConnected(-128, 127));
            }
            else
            {
                // The table of every channel's reachable values, with channel 0's bias at 1000 whatever FirstBias says.
                long lowest = long.MaxValue;
                long highest = long.MinValue;
                for (int channel = 0; channel < OutputDepth; channel++)
                {
                    (long low, long high) = ClampTable.AccumulatorRange(weights, channel * Depth, Depth, channel == 0 ? 1000 : biasValues[channel]);
                    (long Low, long High) values = ClampTable.ValueRange(low, high, multiplierValue, shiftValue, outputZeroPoint)!.Value;
                    lowest = Math.Min(lowest, values.Low);
                    highest = Math.Max(highest, values.High);
                }

                ClampTable table = ClampTable.For(-128, 127, lowest, highest + (lanes.ShortTable ? -1 : 0));
                sbyte[] entries = (sbyte[])table.Entries.Clone();
                if (lanes.SpoilEntry)
                {
                    entries[table.Zero + 5]++;
                }

                int filter = builder.AddConstantInt64("fc.weight", lanes.Words ?? PackedWeights(weights), new[] { OutputDepth, Words });
                int tableTensor = builder.AddConstantInt8("clamp_table", entries, new[] { entries.Length });
                builder.AddOperator(OpCode.FullyConnectedLanes, new[] { input, filter, bias, multiplier, shift, tableTensor }, new[] { output },
                    OperatorWords.FullyConnectedLanes(-128, 127, table.Zero, lanes.BlockWords));
            }

            builder.Inputs.Add(input);
            builder.Outputs.Add(output);
            builder.ArenaBytes = 2 * (Depth + OutputDepth);
            return builder;
        }
    }
}
