using NanoInt8.Host.Format;
using NanoInt8.Runtime;
using NanoInt8.Runtime.Kernels;

namespace NanoInt8.TestModels
{
    /// <summary>
    /// One small valid model per operator code, the operator alone between graph inputs and one
    /// graph output, its words built by name (<see cref="OperatorWords"/>): what the completeness
    /// test reads, validates, prepares and runs for every code, and what bench/IlPerMac measures
    /// for every code. <c>broken: true</c> gives the same model with the output's last dim one
    /// larger, which the operator's own validation must refuse.
    /// </summary>
    /// <remarks>
    /// Shared by file (tests/NanoInt8.Host.Tests and bench/IlPerMac). Requantization pairs are
    /// (2^30, shift): the ratio 2^(shift - 1), valid in the default Q31 mode.
    /// </remarks>
    public static class OperatorSamples
    {
        private const int Half = 1 << 30;

        /// <summary>The sample model of <paramref name="opCode"/>, or null for a code it does not know.</summary>
        public static ModelBuilder? Build(int opCode, bool broken = false)
        {
            var sample = new Sample(broken);
            switch (opCode)
            {
                case OpCode.Conv2D:
                {
                    int x = sample.Input(1, 2, 5, 5);
                    int filter = sample.Int8("filter", 3 * 2 * 3 * 3, 3, 2, 3, 3);
                    sample.Product(opCode, x, filter, 3, OperatorWords.Conv2D(Window(1, 1), 1, -128, 127), 1, 3, 5, 5);
                    break;
                }

                case OpCode.FullyConnected:
                {
                    int x = sample.Input(1, 8);
                    int filter = sample.Int8("filter", 4 * 8, 4, 8);
                    sample.Product(opCode, x, filter, 4, OperatorWords.FullyConnected(-128, 127), 1, 4);
                    break;
                }

                case OpCode.Add:
                case OpCode.Mul:
                {
                    int a = sample.Input(1, 2, 3, 4);
                    int b = sample.Input(1, 2, 3, 4);
                    int[] strides = { 24, 12, 4, 1 };
                    int[] words = opCode == OpCode.Add
                        ? OperatorWords.Add(20, (Half, -1), (Half, -1), (Half, -18), -128, 127, false, strides, strides)
                        : OperatorWords.Mul((Half, -7), -128, 127, strides, strides);
                    sample.Operator(opCode, new[] { a, b }, words, 1, 2, 3, 4);
                    break;
                }

                case OpCode.MaxPool:
                {
                    int x = sample.Input(1, 2, 6, 6);
                    sample.Operator(opCode, new[] { x }, OperatorWords.MaxPool(2, 2, Window(2, 0), -128, 127), 1, 2, 3, 3);
                    break;
                }

                case OpCode.AveragePool:
                {
                    int x = sample.Input(1, 2, 6, 6);
                    int multiplier = sample.Int32("multiplier", Repeat(Half, 9), 9);
                    int shift = sample.Int32("shift", Repeat(-2, 9), 9);
                    sample.Operator(opCode, new[] { x, multiplier, shift }, OperatorWords.AveragePool(3, 3, Window(1, 1), false, -128, 127), 1, 2, 6, 6);
                    break;
                }

                case OpCode.GlobalAveragePool:
                {
                    int x = sample.Input(1, 3, 4, 4);
                    sample.Operator(opCode, new[] { x }, OperatorWords.GlobalAveragePool((Half, -3), -128, 127), 1, 3, 1, 1);
                    break;
                }

                case OpCode.Concat:
                {
                    int first = sample.Input(1, 2, 2, 3);
                    int second = sample.Input(1, 1, 2, 3);
                    sample.Operator(opCode, new[] { first, second }, OperatorWords.Concat(1, new[] { (0, 0), (Half, 1) }), 1, 3, 2, 3);
                    break;
                }

                case OpCode.Pad:
                {
                    int x = sample.Input(1, 1, 3, 3);
                    sample.Operator(opCode, new[] { x }, OperatorWords.Pad(new[] { 0, 0, 1, 1 }, new[] { 0, 0, 1, 1 }, 5), 1, 1, 5, 5);
                    break;
                }

                case OpCode.Reshape:
                {
                    int x = sample.Input(1, 12);
                    sample.Operator(opCode, new[] { x }, OperatorWords.Reshape(), 1, 3, 4);
                    break;
                }

                case OpCode.Lookup:
                {
                    int x = sample.Input(20);
                    var table = new sbyte[256];
                    for (int code = 0; code < 256; code++)
                    {
                        table[code] = (sbyte)(127 - code);
                    }

                    int tableTensor = sample.Builder.AddConstantInt8("table", table, new[] { 256 });
                    sample.Operator(opCode, new[] { x, tableTensor }, OperatorWords.Lookup(), 20);
                    break;
                }

                case OpCode.Softmax:
                {
                    int x = sample.Input(2, 5);
                    var table = new int[256];
                    for (int difference = 0; difference < 256; difference++)
                    {
                        table[difference] = Math.Max(1, (int)Math.Round((1 << 20) * Math.Exp(-0.05 * difference)));
                    }

                    int expTable = sample.Int32("exp", table, 256);
                    sample.Operator(opCode, new[] { x, expTable }, OperatorWords.Softmax((Half, -7)), 2, 5);
                    break;
                }

                case OpCode.Transpose:
                {
                    // [N, C, H, W] to [N, W, C, H]: the input strides along the output's dims.
                    int x = sample.Input(1, 2, 3, 4);
                    sample.Operator(opCode, new[] { x }, OperatorWords.Transpose(new[] { 24, 1, 12, 4 }), 1, 4, 2, 3);
                    break;
                }

                case OpCode.Requantize:
                {
                    int x = sample.Input(16);
                    sample.Operator(opCode, new[] { x }, OperatorWords.Requantize((Half, 1), -100, 100), 16);
                    break;
                }

                case OpCode.FullyConnectedPacked:
                {
                    int x = sample.Input(1, 8);
                    var packed = new int[FullyConnectedPackedKernel.PackedFilterWords(4, 8)];
                    FullyConnectedPackedKernel.PackFilter(sample.Weights(4 * 8), 0, 4, 8, packed, 0);
                    int filter = sample.Builder.AddConstantInt32("filter", packed, new[] { 1, FullyConnectedPackedKernel.PairCount(8), 4 });
                    sample.Product(opCode, x, filter, 4, OperatorWords.FullyConnectedPacked(-128, 127), 1, 4);
                    break;
                }

                case OpCode.Conv2DPacked:
                {
                    int x = sample.Input(1, 4, 5, 5);
                    var packed = new int[Conv2DPackedKernel.PackedFilterWords(4, 4, 3, 3)];
                    Conv2DPackedKernel.PackFilter(sample.Weights(4 * 4 * 3 * 3), 0, 4, 4, 3, 3, packed, 0);
                    int filter = sample.Builder.AddConstantInt32("filter", packed,
                        new[] { 1, 3, 3, Conv2DPackedKernel.ChannelPairCount(4) * Conv2DPackedKernel.GroupChannels });
                    sample.Product(opCode, x, filter, 4, OperatorWords.Conv2DPacked(Window(1, 1), -128, 127), 1, 4, 5, 5);
                    break;
                }

                case OpCode.DepthwiseConv3x3:
                {
                    int x = sample.Input(1, 3, 5, 5);
                    int filter = sample.Int8("filter", 3 * 3 * 3, 3, 1, 3, 3);
                    sample.Product(opCode, x, filter, 3, OperatorWords.DepthwiseConv3x3(Window(1, 1), 3, -128, 127), 1, 3, 5, 5);
                    break;
                }

                case OpCode.Conv2DPackedTaps:
                {
                    int x = sample.Input(1, 1, 4, 8);
                    var packed = new int[Conv2DPackedKernel.PackedFilterWordsTapPairs(2, 1, 5)];
                    Conv2DPackedKernel.PackFilterTaps(sample.Weights(2 * 5), 0, 2, 1, 5, packed, 0);
                    int filter = sample.Builder.AddConstantInt32("filter", packed,
                        new[] { 1, 1, 1, Conv2DPackedKernel.TapPairCount(5) * Conv2DPackedKernel.GroupChannels });
                    sample.Product(opCode, x, filter, 2, OperatorWords.Conv2DPackedTaps(Window(1, 0), -128, 127, 5), 1, 2, 4, 4);
                    break;
                }

                case OpCode.Conv2DTriple:
                {
                    int x = sample.Input(1, 3, 5, 5);
                    var lanes = new sbyte[3 * Conv2DTripleKernel.FilterWords(4, 3, 3, 3)];
                    Conv2DTripleKernel.PackFilter(sample.Weights(4 * 3 * 3 * 3), 0, 4, 3, 3, 3, lanes, 0);
                    int filter = sample.Builder.AddConstantInt8("filter", lanes,
                        new[] { 1, 3, Conv2DTripleKernel.RowWords(3, 3), 3 * Conv2DTripleKernel.TileChannels });
                    sample.Product(opCode, x, filter, 4, OperatorWords.Conv2DTriple(Window(1, 1), -128, 127, 3), 1, 4, 5, 5);
                    break;
                }

                case OpCode.FullyConnectedTriple:
                {
                    int x = sample.Input(1, 9);
                    var packed = new long[FullyConnectedTripleKernel.FilterWords(4, 9)];
                    FullyConnectedTripleKernel.PackFilter(sample.Weights(4 * 9), 0, 4, 9, packed, 0);
                    int filter = sample.Builder.AddConstantInt64("filter", packed,
                        new[] { 1, FullyConnectedTripleKernel.RowWords(9), FullyConnectedTripleKernel.GroupChannels });
                    sample.Product(opCode, x, filter, 4, OperatorWords.FullyConnectedTriple(-128, 127), 1, 4);
                    break;
                }

                case OpCode.Slice:
                {
                    // [1, 2, 4, 6] → channels 0..1, rows 1 and 3, columns 5, 3, 1 (a negative step).
                    int x = sample.Input(1, 2, 4, 6);
                    sample.Operator(opCode, new[] { x }, OperatorWords.Slice(new[] { 0, 0, 1, 5 }, new[] { 1, 1, 2, -2 }), 1, 2, 2, 3);
                    break;
                }

                case OpCode.Gather:
                {
                    // [1, 2, 3, 4] → channels swapped, rows doubled (nearest upsampling), columns 3, 0.
                    int x = sample.Input(1, 2, 3, 4);
                    int[] maps = OperatorWords.GatherIndices(new[] { new[] { 0 }, new[] { 1, 0 }, new[] { 0, 0, 1, 1, 2, 2 }, new[] { 3, 0 } });
                    int indices = sample.Int32("indices", maps, maps.Length);
                    sample.Operator(opCode, new[] { x, indices }, OperatorWords.Gather(), 1, 2, 6, 2);
                    break;
                }

                case OpCode.Conv2DLanes:
                {
                    // One input channel packed by rows: a 4x3 filter, two word rows.
                    int x = sample.Input(1, 1, 6, 7);
                    int packing = Conv2DLanesKernel.PackRows;
                    var lanes = new sbyte[3 * Conv2DLanesKernel.FilterWords(4, packing, 1, 4, 3)];
                    Conv2DLanesKernel.PackFilter(sample.Weights(4 * 4 * 3), 0, 4, packing, 1, 4, 3, lanes, 0);
                    int filter = sample.Builder.AddConstantInt8("filter", lanes,
                        new[] { 1, Conv2DLanesKernel.WindowRows(packing, 4), Conv2DLanesKernel.RowWords(packing, 1, 3), 3 * Conv2DLanesKernel.TileChannels });
                    // |acc| < 12·2^14 + 150, times about 2^-7 (an odd multiplier: no rounding ties), about ±1600.
                    ClampTable table = ClampTable.For(-128, 127, -1700, 1700);
                    int tableTensor = sample.Builder.AddConstantInt8("table", table.Entries, new[] { table.Entries.Length });
                    int[] words = OperatorWords.Conv2DLanes(Window(1, 1), -128, 127, 4, 3, packing, table.Zero, biasInLane: true);
                    sample.Product(opCode, x, filter, 4, words, Half + 1, new[] { tableTensor }, 1, 4, 5, 7);
                    break;
                }

                case OpCode.DepthwiseConv3x3Lanes:
                {
                    int x = sample.Input(1, 3, 5, 5);
                    int filter = sample.Int8("filter", 3 * 9, 3, 1, 3, 3);
                    // |acc| < 9·2^14 + 150, times about 2^-7 (an odd multiplier: no rounding ties), about ±1200.
                    ClampTable table = ClampTable.For(-128, 127, -1300, 1300);
                    int tableTensor = sample.Builder.AddConstantInt8("table", table.Entries, new[] { table.Entries.Length });
                    int[] words = OperatorWords.DepthwiseConv3x3Lanes(Window(1, 1), 3, -128, 127, table.Zero);
                    sample.Product(opCode, x, filter, 3, words, Half + 1, new[] { tableTensor }, 1, 3, 5, 5);
                    break;
                }

                case OpCode.FullyConnectedLanes:
                {
                    // Ten taps (four words, the last of one tap) and seven channels: tiles of 4, 2 and 1.
                    int x = sample.Input(1, 10);
                    var packed = new long[7 * FullyConnectedLanesKernel.Words(10)];
                    FullyConnectedLanesKernel.PackFilter(sample.Weights(7 * 10), 0, 7, 10, packed, 0);
                    int filter = sample.Builder.AddConstantInt64("filter", packed, new[] { 7, FullyConnectedLanesKernel.Words(10) });
                    // |acc| < 10·2^14 + 450, times about 2^-7 (an odd multiplier: no rounding ties), about ±1300.
                    ClampTable table = ClampTable.For(-128, 127, -1400, 1400);
                    int tableTensor = sample.Builder.AddConstantInt8("table", table.Entries, new[] { table.Entries.Length });
                    int[] words = OperatorWords.FullyConnectedLanes(-128, 127, table.Zero, FullyConnectedLanesKernel.Words(10));
                    sample.Product(opCode, x, filter, 7, words, Half + 1, new[] { tableTensor }, 1, 7);
                    break;
                }

                default:
                    return null;
            }

            return sample.Finish();
        }

        private static OperatorWindow Window(int stride, int pad) => new OperatorWindow(stride, stride, 1, 1, pad, pad, pad, pad);

        private static int[] Repeat(int value, int count) => Enumerable.Repeat(value, count).ToArray();

        // Builds one sample: graph inputs one after the other in the arena, then the output.
        private sealed class Sample
        {
            private readonly bool _broken;
            private readonly Random _random = new Random(14);
            private int _arenaOffset;

            public Sample(bool broken)
            {
                _broken = broken;
            }

            public ModelBuilder Builder { get; } = new ModelBuilder();

            public int Input(params int[] shape)
            {
                int tensor = Builder.AddArenaTensor("x" + Builder.Inputs.Count, shape, 0, _arenaOffset);
                Builder.Inputs.Add(tensor);
                _arenaOffset += shape.Aggregate(1, (product, dim) => product * dim);
                return tensor;
            }

            public sbyte[] Weights(int count)
            {
                var weights = new sbyte[count];
                for (int index = 0; index < count; index++)
                {
                    weights[index] = (sbyte)_random.Next(-128, 128);
                }

                return weights;
            }

            public int Int8(string name, int count, params int[] shape) => Builder.AddConstantInt8(name, Weights(count), shape);

            public int Int32(string name, int[] values, params int[] shape) => Builder.AddConstantInt32(name, values, shape);

            // A convolution or fully connected layer: input, filter, then bias, multiplier and shift per output channel.
            public void Product(int opCode, int input, int filter, int outputChannels, int[] words, params int[] outputShape)
            {
                Product(opCode, input, filter, outputChannels, words, Half, Array.Empty<int>(), outputShape);
            }

            // The same with another multiplier and operands after the shift (a clamp table).
            public void Product(int opCode, int input, int filter, int outputChannels, int[] words, int multiplierValue, int[] more, params int[] outputShape)
            {
                int bias = Int32("bias", Enumerable.Range(0, outputChannels).Select(channel => 100 * channel - 150).ToArray(), outputChannels);
                int multiplier = Int32("multiplier", Repeat(multiplierValue, outputChannels), outputChannels);
                int shift = Int32("shift", Repeat(-6, outputChannels), outputChannels);
                Operator(opCode, new[] { input, filter, bias, multiplier, shift }.Concat(more).ToArray(), words, outputShape);
            }

            public void Operator(int opCode, int[] inputs, int[] words, params int[] outputShape)
            {
                int[] shape = (int[])outputShape.Clone();
                if (_broken)
                {
                    shape[^1]++;
                }

                int output = Builder.AddArenaTensor("y", shape, 0, _arenaOffset);
                _arenaOffset += shape.Aggregate(1, (product, dim) => product * dim);
                Builder.AddOperator(opCode, inputs, new[] { output }, words);
                Builder.Outputs.Add(output);
            }

            public ModelBuilder Finish()
            {
                Builder.ArenaBytes = _arenaOffset;
                return Builder;
            }
        }
    }
}
