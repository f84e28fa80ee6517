using NanoInt8.Host.Format;
using NanoInt8.Host.Quantization;
using NanoInt8.Runtime;
using NanoInt8.Runtime.Kernels;
using NanoInt8.Runtime.Operators;

namespace NanoInt8.Host.Conversion
{
    /// <summary>Which generation of device kernels a layer may use (issue 15).</summary>
    internal enum KernelTier
    {
        /// <summary>The plain int8 kernels.</summary>
        Plain,

        /// <summary>The packed kernels of issue 7 (codes 16 to 20): no clamp table.</summary>
        Packed,

        /// <summary>The lane kernels with a clamp table (codes 24 to 26), else those of <see cref="Packed"/>.</summary>
        Lanes,
    }

    /// <summary>
    /// The clamp table several lane operators share: one per activation range, covering what
    /// each of its operators can compute (<see cref="ClampTable"/>); built when the graph is done.
    /// </summary>
    internal sealed class ClampTableSlot
    {
        public ClampTableSlot(int activationMin, int activationMax, long low, long high)
        {
            ActivationMin = activationMin;
            ActivationMax = activationMax;
            Low = Math.Min(low, activationMin);
            High = Math.Max(high, activationMax);
        }

        public int ActivationMin { get; }

        public int ActivationMax { get; }

        public long Low { get; private set; }

        public long High { get; private set; }

        /// <summary>The operators that read the table, and the position of their TableZero word.</summary>
        public List<(IntegerOperator Operator, int ZeroWord)> Users { get; } = new();

        /// <summary>Widens the range to also hold [low, high] when the table stays within the device's length.</summary>
        public bool TryTake(int activationMin, int activationMax, long low, long high)
        {
            long newLow = Math.Min(Low, low);
            long newHigh = Math.Max(High, high);
            if (activationMin != ActivationMin || activationMax != ActivationMax || newHigh - newLow + 1 > ClampTable.MaxLength)
            {
                return false;
            }

            Low = newLow;
            High = newHigh;
            return true;
        }
    }

    internal sealed partial class QuantizedLowering
    {
        private readonly List<ClampTableSlot> _clampTables = new();

        /// <summary>
        /// The tier a layer (by its source name) may use: Plain's, Packed's (issue 7's kernels, so its
        /// conversions keep their bytes), Auto's lane kernels, or a lower one Auto chose for the layer.
        /// </summary>
        private KernelTier TierFor(string source)
        {
            KernelTier tier = _kernels switch
            {
                KernelSelection.Plain => KernelTier.Plain,
                KernelSelection.Packed => KernelTier.Packed,
                _ => KernelTier.Lanes,
            };
            return _tierCaps != null && _tierCaps.TryGetValue(source, out KernelTier cap) && cap < tier ? cap : tier;
        }

        // Conv2DLanes (code 24) where the device takes it: the q31 arithmetic, groups 1 and dilation
        // 1 (the caller checks), the scratch within the limit, and every channel storable through a
        // clamp table (its accumulator range, over every int8 input, free of rounding ties, its values
        // within a table the device reads).
        private bool TryEmitLanesConv(QuantTensor input4, QuantTensor output4, sbyte[] weightData, int[] biasValues, int[] multipliers, int[] shifts,
            int[] filterShape, OperatorWindow window, int low, int high, string source)
        {
            int outputChannels = filterShape[0];
            int inputChannels = filterShape[1];
            int filterHeight = filterShape[2];
            int filterWidth = filterShape[3];
            int packing = Conv2DLanesKernel.DefaultPacking(inputChannels, filterHeight);
            if (_mode.DeviceMode() != Requantization.Q31
                || (long)inputChannels * filterHeight * filterWidth > ModelReader.MaxReduction
                || Conv2DLanesKernel.ScratchWords(outputChannels, packing, inputChannels, input4.Shape[2], input4.Shape[3], filterHeight, filterWidth,
                    window.PadTop, window.PadLeft, window.PadBottom, window.PadRight) > ModelFormat.MaxScratchWords)
            {
                return false;
            }

            int taps = inputChannels * filterHeight * filterWidth;
            bool biasInLane = Conv2DLanesKernel.IsSingleBlock(packing, inputChannels, filterHeight, filterWidth);
            if (!TryValueRange(weightData, taps, biasValues, multipliers, shifts, output4.ZeroPoint, ref biasInLane, out long lowest, out long highest))
            {
                return false;
            }

            ClampTableSlot? table = TableFor(low, high, lowest, highest);
            if (table == null)
            {
                return false;
            }

            var lanes = new sbyte[3 * Conv2DLanesKernel.FilterWords(outputChannels, packing, inputChannels, filterHeight, filterWidth)];
            Conv2DLanesKernel.PackFilter(weightData, 0, outputChannels, packing, inputChannels, filterHeight, filterWidth, lanes, 0);
            var filterOperand = new ConstantOperand(source + ".weight", lanes,
                new[]
                {
                    (outputChannels + Conv2DLanesKernel.TileChannels - 1) / Conv2DLanesKernel.TileChannels,
                    Conv2DLanesKernel.WindowRows(packing, filterHeight), Conv2DLanesKernel.RowWords(packing, inputChannels, filterWidth),
                    3 * Conv2DLanesKernel.TileChannels,
                });
            object[] operands = ProductOperands(input4, filterOperand, biasValues, multipliers, shifts, source).Append(table).ToArray();
            int[] words = OperatorWords.Conv2DLanes(window, low, high, filterHeight, filterWidth, packing, 0, biasInLane);
            Emit(OpCode.Conv2DLanes, operands, output4, words, source);
            table.Users.Add((_operators[^1], Conv2DLanesLayout.TableZero));
            return true;
        }

        // DepthwiseConv3x3Lanes (code 25) where the device takes it (a depthwise 3x3 filter without
        // dilation, the caller checks): the q31 arithmetic and every channel storable through a clamp table.
        private bool TryEmitDepthwiseLanes(QuantTensor input4, QuantTensor output4, sbyte[] weightData, int[] biasValues, int[] multipliers, int[] shifts,
            int[] filterShape, OperatorWindow window, int groups, int low, int high, string source)
        {
            bool unused = false;
            if (_mode.DeviceMode() != Requantization.Q31
                || !TryValueRange(weightData, DepthwiseConv3x3LanesKernel.FilterSize * DepthwiseConv3x3LanesKernel.FilterSize, biasValues, multipliers, shifts,
                    output4.ZeroPoint, ref unused, out long lowest, out long highest)
                || TableFor(low, high, lowest, highest) is not ClampTableSlot table)
            {
                return false;
            }

            object[] operands = ProductOperands(input4, new ConstantOperand(source + ".weight", weightData, filterShape), biasValues, multipliers, shifts, source)
                .Append(table).ToArray();
            Emit(OpCode.DepthwiseConv3x3Lanes, operands, output4, OperatorWords.DepthwiseConv3x3Lanes(window, groups, low, high, 0), source);
            table.Users.Add((_operators[^1], DepthwiseConv3x3LanesLayout.TableZero));
            return true;
        }

        // FullyConnectedLanes (code 26) where the device takes it: the q31 arithmetic and every channel
        // storable through a clamp table; its lane blocks as long as the weights allow (LaneBlockWords).
        private bool TryEmitLanesFullyConnected(QuantTensor input, QuantTensor output, sbyte[] weightData, int[] biasValues, int[] multipliers, int[] shifts,
            int depth, int low, int high, string source)
        {
            bool unused = false;
            if (_mode.DeviceMode() != Requantization.Q31 || depth > ModelReader.MaxReduction
                || !TryValueRange(weightData, depth, biasValues, multipliers, shifts, output.ZeroPoint, ref unused, out long lowest, out long highest)
                || TableFor(low, high, lowest, highest) is not ClampTableSlot table)
            {
                return false;
            }

            int outputChannels = biasValues.Length;
            int words = FullyConnectedLanesKernel.Words(depth);
            var packed = new long[(long)outputChannels * words];
            FullyConnectedLanesKernel.PackFilter(weightData, 0, outputChannels, depth, packed, 0);
            var filterOperand = new ConstantOperand(source + ".weight", packed, new[] { outputChannels, words });
            object[] operands = ProductOperands(input, filterOperand, biasValues, multipliers, shifts, source).Append(table).ToArray();
            Emit(OpCode.FullyConnectedLanes, operands, output, OperatorWords.FullyConnectedLanes(low, high, 0, LaneBlockWords(packed, outputChannels, words)), source);
            table.Users.Add((_operators[^1], FullyConnectedLanesLayout.TableZero));
            return true;
        }

        // The longest lane block (the whole row, else 63, 42 or 21 words) in which every channel's
        // products keep the lane bound (FullyConnectedLanesKernel.BlockBounds); 21 words always do.
        private static int LaneBlockWords(long[] packed, int outputChannels, int words)
        {
            foreach (int blockWords in new[] { words, 3 * FullyConnectedLanesKernel.SafeBlockWords, 2 * FullyConnectedLanesKernel.SafeBlockWords })
            {
                if (blockWords <= words && KeepsLaneBound(packed, outputChannels, words, blockWords))
                {
                    return blockWords;
                }
            }

            return Math.Min(words, FullyConnectedLanesKernel.SafeBlockWords);
        }

        private static bool KeepsLaneBound(long[] packed, int outputChannels, int words, int blockWords)
        {
            for (int channel = 0; channel < outputChannels; channel++)
            {
                long low = 0;
                long high = 0;
                for (int blockStart = 0; blockStart < words; blockStart += blockWords)
                {
                    int blockEnd = Math.Min(words, blockStart + blockWords);
                    if (!FullyConnectedLanesKernel.BlockBounds(packed, 0, channel, outputChannels, words, blockStart, blockEnd, ref low, ref high))
                    {
                        return false;
                    }
                }
            }

            return true;
        }

        // The values [lowest, highest] a layer's channels compute before the clamp (filter
        // [O, taps] from weightData), or false when a channel cannot be stored through a table;
        // biasInLane stays true only when every channel's accumulator lies in the lane's ±2^20.
        private static bool TryValueRange(sbyte[] weightData, int taps, int[] biasValues, int[] multipliers, int[] shifts, int outputZeroPoint,
            ref bool biasInLane, out long lowest, out long highest)
        {
            lowest = long.MaxValue;
            highest = long.MinValue;
            for (int channel = 0; channel < biasValues.Length; channel++)
            {
                (long low, long high) = ClampTable.AccumulatorRange(weightData, channel * taps, taps, biasValues[channel]);
                if (ClampTable.ValueRange(low, high, multipliers[channel], shifts[channel], outputZeroPoint) is not (long Low, long High) values)
                {
                    return false;
                }

                lowest = Math.Min(lowest, values.Low);
                highest = Math.Max(highest, values.High);
                biasInLane &= low >= -Conv2DLanesKernel.LaneLimit && high < Conv2DLanesKernel.LaneLimit;
            }

            return true;
        }

        // A clamp table for [low, high] (the activation range) that also holds [lowest, highest]:
        // one the model has already, widened, or a new one; null when no table can hold the values.
        private ClampTableSlot? TableFor(int low, int high, long lowest, long highest)
        {
            foreach (ClampTableSlot slot in _clampTables)
            {
                if (slot.TryTake(low, high, lowest, highest))
                {
                    return slot;
                }
            }

            var created = new ClampTableSlot(low, high, lowest, highest);
            if (created.High - created.Low + 1 > ClampTable.MaxLength)
            {
                return null;
            }

            _clampTables.Add(created);
            return created;
        }

        // Once every operator is emitted: each table's entries, and in every operator that reads
        // it the table as its operand and the table's zero in its words.
        private void FinishClampTables()
        {
            int index = 0;
            foreach (ClampTableSlot slot in _clampTables)
            {
                List<(IntegerOperator Operator, int ZeroWord)> users = slot.Users.Where(user => _operators.Contains(user.Operator)).ToList();
                if (users.Count == 0)
                {
                    continue;
                }

                ClampTable table = ClampTable.For(slot.ActivationMin, slot.ActivationMax, slot.Low, slot.High);
                var operand = new ConstantOperand("clamp_table" + (index++ == 0 ? string.Empty : index.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                    table.Entries, new[] { table.Entries.Length });
                foreach ((IntegerOperator op, int zeroWord) in users)
                {
                    int position = Array.IndexOf(op.Inputs, slot);
                    op.Inputs[position] = operand;
                    op.Parameters[zeroWord] = table.Zero;
                }
            }
        }
    }
}
