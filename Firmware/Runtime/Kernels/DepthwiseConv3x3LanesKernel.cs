using NanoInt8.Runtime.Operators;

namespace NanoInt8.Runtime.Kernels
{
    /// <summary>
    /// Int8 depthwise 3x3 convolution (groups = input channels = output channels, dilation 1)
    /// three products per 64-bit multiply, each output's requantization, clamp and store one read of
    /// a clamp table (issue 15, docs/model-format.md code 25): the same result as
    /// <see cref="Conv2DKernel"/>, bit for bit.
    /// </summary>
    /// <remarks>
    /// Lines. The outputs of a channel are taken in lines along the plane's longer axis (rows when
    /// OW ≥ OH, else columns, so that a narrow plane such as 25x5 has five lines, not 25). The
    /// window's three input rows (for a row of outputs; columns for a column) are the three lanes
    /// of a word v0 + v1·2^21 + v2·2^42, built from the int8 input where it is needed (no packing
    /// pass): along the line each output needs one new word at stride 1, two at stride 2, and the
    /// padding before and after the line is a constant word of zi.
    /// Lanes. The filter's three taps across the line are a word w0·2^43 + w1·2^22 + w2·2^1, so
    /// the top 21 bits of a product hold the three products (<c>Conv2DLanesKernel</c>'s
    /// lanes): three words and three multiplies an output. A channel whose bias stays within
    /// ±(2^20 - 9·2^14) starts its sum from 2^42 + bias·2^43 and its output is the top field of
    /// that sum (nine products of at most 2^14; the low parts, 3·(2^15 + 2^37) at most, stay inside
    /// 2^42). A lane whose input row (column) is padding gets weight 0 and its zi·w go into the
    /// line's bias, which stays inside the same room (three products' worth). A channel with a
    /// larger bias, a padding the lines do not take (more than one before a line), or a
    /// requantization the fixed shift does not hold (below), is computed output by output
    /// (<see cref="RunByOutputs"/>), the bias added to the field.
    /// Store. As <see cref="ClampTableStore"/> describes (the reader checks every channel), the
    /// lines at <see cref="ClampTableStore.FixedShift"/> with the multiplier scaled to it (a
    /// constant shift is two IL fewer an output), for a channel <see cref="ClampTableStore.AtFixedShift"/>
    /// accepts with its accumulator bound |bias| + 128·Σ|w|.
    /// </remarks>
    public static class DepthwiseConv3x3LanesKernel
    {
        /// <summary>Filter height and width the kernel takes.</summary>
        public const int FilterSize = 3;

        // The dot field and the lane bias of Conv2DLanesKernel.
        private const int DotShift = LaneWords.DotShift;
        private const long LaneBias = LaneWords.LaneBias;

        // The total shift of the lines' stores.
        private const int FixedShift = ClampTableStore.FixedShift;

        // A bias below this in magnitude keeps bias + nine products inside the dot field.
        private const int LaneBiasLimit = LaneWords.LaneLimit - 9 * 16384;

        /// <summary>
        /// Computes output[n, c, y, x] = clamp(zo + MBQM(bias[c] + Σ x·w, multiplier[c], shift[c]))
        /// over input channel c alone, the filter [C, 1, 3, 3], in the q31 mode, through the clamp
        /// table. Padding reads zi; padTop and padLeft place the window, the output's size the rest.
        /// </summary>
        /// <param name="op">The operator's resolved arguments (<see cref="DepthwiseConv3x3LanesOperator"/>), read once.</param>
        public static void Eval(DepthwiseConv3x3LanesOperator op)
        {
            int channels = op.InputChannels;
            int inputPlane = op.InputHeight * op.InputWidth;
            int outputPlane = op.OutputHeight * op.OutputWidth;
            int zeroIndex = op.OutputZeroPoint + op.TableZero;
            for (int batch = 0; batch < op.Batches; batch++)
            {
                for (int channel = 0; channel < channels; channel++)
                {
#if NANOINT8_COUNTERS
                    RuntimeCounters.AddMultiplyAccumulates(outputPlane * FilterSize * FilterSize);
                    for (int output = 0; output < outputPlane; output++)
                    {
                        RuntimeCounters.AddRequantization(9);
                    }
#endif
                    int plane = batch * channels + channel;
                    int channelMultiplier = op.Multiplier[op.MultiplierOffset + channel];
                    int channelShift = op.Shift[op.ShiftOffset + channel];
                    int bias = op.Bias[op.BiasOffset + channel];
                    int planeStart = op.InputOffset + plane * inputPlane;
                    int filterStart = op.FilterOffset + channel * FilterSize * FilterSize;
                    int outputStart = op.OutputOffset + plane * outputPlane;
                    if (bias > -LaneBiasLimit && bias < LaneBiasLimit && op.PadLeft <= 1 && op.PadTop <= 1
                        && op.InputWidth >= FilterSize && op.InputHeight >= FilterSize
                        && ClampTableStore.AtFixedShift(channelMultiplier, channelShift, Largest(op.Filter, filterStart, bias)))
                    {
                        RunLines(op, planeStart, filterStart, bias, ClampTableStore.FixedMultiplier(channelMultiplier, channelShift),
                            ClampTableStore.Rounding(FixedShift, zeroIndex), outputStart);
                    }
                    else
                    {
                        int shift = 31 - channelShift;
                        RunByOutputs(op, planeStart, filterStart, bias, channelMultiplier, shift, ClampTableStore.Rounding(shift, zeroIndex), outputStart);
                    }
                }
            }
        }

        // One channel plane in lines along its longer axis.
        private static void RunLines(DepthwiseConv3x3LanesOperator op, int planeStart, int filterStart, int bias, long multiplier, long rounding,
            int outputStart)
        {
            // Along rows: lanes are input rows (a row's words hold three rows), the line steps one
            // input column (1) and one output column (1). Along columns the other way round.
            bool alongRows = op.OutputWidth >= op.OutputHeight;
            int inputWidth = op.InputWidth;
            int lineCount = alongRows ? op.OutputHeight : op.OutputWidth;
            int lineStride = alongRows ? op.StrideHeight : op.StrideWidth;
            int lanePad = alongRows ? op.PadTop : op.PadLeft;
            int laneExtent = alongRows ? op.InputHeight : inputWidth;
            int laneStep = alongRows ? inputWidth : 1;
            int inputStep = alongRows ? 1 : inputWidth;
            int outputLineStep = alongRows ? op.OutputWidth : 1;
            int outputStep = alongRows ? 1 : op.OutputWidth;
            int count = alongRows ? op.OutputWidth : op.OutputHeight;
            int stride = alongRows ? op.StrideWidth : op.StrideHeight;
            int padBefore = alongRows ? op.PadLeft : op.PadTop;
            int extent = alongRows ? inputWidth : op.InputHeight;

            // Taps are read as filter[lane·laneTap + along·alongTap]: rows are lanes along rows.
            int laneTap = alongRows ? FilterSize : 1;
            int alongTap = alongRows ? 1 : FilterSize;
            sbyte[] filter = op.Filter;
            int zeroPoint = op.InputZeroPoint;
            // The filter words of a line whose three lanes are all inside, made once.
            long inner0 = FilterWord(filter, filterStart, laneTap, 0, FilterSize);
            long inner1 = FilterWord(filter, filterStart + alongTap, laneTap, 0, FilterSize);
            long inner2 = FilterWord(filter, filterStart + 2 * alongTap, laneTap, 0, FilterSize);
            int twoLanes = 2 * laneStep;
            int outputIndex = outputStart;
            for (int line = 0; line < lineCount; line++)
            {
                // The window's first lane (input row or column); lanes in the padding get weight 0
                // and their zi·w go into the line's bias; a lane reads the nearest real row then.
                int first = line * lineStride - lanePad;
                long lineBias = bias;
                long weight0 = inner0;
                long weight1 = inner1;
                long weight2 = inner2;
                int firstLane = first;
                int second = laneStep;
                int third = twoLanes;
                if (first < 0 || first + FilterSize > laneExtent)
                {
                    firstLane = Nearest(first, laneExtent);
                    second = (Nearest(first + 1, laneExtent) - firstLane) * laneStep;
                    third = (Nearest(first + 2, laneExtent) - firstLane) * laneStep;
                    int insideFrom = first < 0 ? -first : 0;
                    int insideTo = first + FilterSize > laneExtent ? laneExtent - first : FilterSize;
                    weight0 = FilterWord(filter, filterStart, laneTap, insideFrom, insideTo);
                    weight1 = FilterWord(filter, filterStart + alongTap, laneTap, insideFrom, insideTo);
                    weight2 = FilterWord(filter, filterStart + 2 * alongTap, laneTap, insideFrom, insideTo);
                    for (int lane = 0; lane < FilterSize; lane++)
                    {
                        if (lane < insideFrom || lane >= insideTo)
                        {
                            int tap = filterStart + lane * laneTap;
                            lineBias += zeroPoint * (filter[tap] + filter[tap + alongTap] + filter[tap + 2 * alongTap]);
                        }
                    }
                }

                int lineStart = planeStart + firstLane * laneStep;
                long sumBase = LaneBias + (lineBias << DotShift);
                if (stride == 1 && lineStride == 1 && line + 2 < lineCount && first >= 0 && first + FilterSize + 1 < laneExtent)
                {
                    // This line and the two after it, all inside: their words from this one's.
                    SlideStrideOneTriple(op, lineStart, laneStep, inputStep, outputIndex, outputLineStep, outputStep, count, padBefore, extent,
                        weight0, weight1, weight2, sumBase, multiplier, rounding);
                    outputIndex += 3 * outputLineStep;
                    line += 2;
                    continue;
                }

                if (stride == 1 && lineStride == 1 && line + 1 < lineCount && first >= 0 && first + FilterSize < laneExtent)
                {
                    // This line and the next, both inside: the next's words from this one's.
                    SlideStrideOnePair(op, lineStart, laneStep, inputStep, outputIndex, outputLineStep, outputStep, count, padBefore, extent,
                        weight0, weight1, weight2, sumBase, multiplier, rounding);
                    outputIndex += 2 * outputLineStep;
                    line++;
                    continue;
                }

                if (stride == 2 && lineStride == 2 && line + 1 < lineCount && first >= 0 && first + 2 + FilterSize <= laneExtent)
                {
                    // This line and the next, both inside: the lane they share read once.
                    SlideStrideTwoPair(op, lineStart, laneStep, inputStep, outputIndex, outputLineStep, outputStep, count, padBefore, extent,
                        weight0, weight1, weight2, sumBase, multiplier, rounding);
                    outputIndex += 2 * outputLineStep;
                    line++;
                    continue;
                }

                if (stride == 1)
                {
                    SlideStrideOne(op, lineStart, second, third, inputStep, outputIndex, outputStep, count, padBefore, extent,
                        weight0, weight1, weight2, sumBase, multiplier, rounding);
                }
                else
                {
                    SlideStrided(op, lineStart, second, third, inputStep, stride, outputIndex, outputStep, count, padBefore, extent,
                        weight0, weight1, weight2, sumBase, multiplier, rounding);
                }

                outputIndex += outputLineStep;
            }
        }

        // The filter word of the three taps filter[start + lane·laneTap], lanes [from, to) (the others 0):
        // lane l at 2^(43 - 21·l).
        private static long FilterWord(sbyte[] filter, int start, int laneTap, int from, int to)
        {
            long word = 0;
            for (int lane = from; lane < to; lane++)
            {
                word += (long)filter[start + lane * laneTap] << (DotShift - 21 * lane);
            }

            return word;
        }

        // The lane index nearest to `lane` inside [0, extent) (a padding lane reads a real one, with weight 0).
        private static int Nearest(int lane, int extent)
        {
            return lane < 0 ? 0 : lane >= extent ? extent - 1 : lane;
        }

        // A line of `count` outputs at stride 1: its words' lanes are read at lineStart, + second,
        // + third, a step along the line is `inputStep` in the input and `outputStep` in the output;
        // output i takes word i - padBefore + 2 as new (padBefore is 0 or 1; words outside
        // [0, extent) are the padding word), the two before it from the outputs before.
        private static void SlideStrideOne(DepthwiseConv3x3LanesOperator op, int lineStart, int second, int third, int inputStep,
            int outputIndex, int outputStep, int count, int padBefore, int extent,
            long weight0, long weight1, long weight2, long sumBase, long multiplier, long rounding)
        {
            sbyte[] input = op.Input;
            sbyte[] output = op.Output;
            sbyte[] table = op.Table;
            int zeroPoint = op.InputZeroPoint;
            long padWord = zeroPoint + ((long)zeroPoint << 21) + ((long)zeroPoint << 42);
            int step2 = 2 * inputStep;
            int second1 = second + inputStep;
            int third1 = third + inputStep;
            int second2 = second + step2;
            int third2 = third + step2;
            int outputStep2 = 2 * outputStep;
            int outputStep3 = 3 * outputStep;

            // Words -padBefore and 1 - padBefore first.
            int index = lineStart - padBefore * inputStep;
            long a = padBefore == 1 ? padWord : input[index] + ((long)input[index + second] << 21) + ((long)input[index + third] << 42);
            long b = input[index + inputStep] + ((long)input[index + second1] << 21) + ((long)input[index + third1] << 42);
            index += step2;

            // Outputs whose new word lies inside the input, three a pass.
            int inside = extent - 2 + padBefore;
            if (inside > count)
            {
                inside = count;
            }

            int passes = inside / 3;
            int step3 = 3 * inputStep;
            long c;
            for (int pass = 0; pass < passes; pass++)
            {
                c = input[index] + ((long)input[index + second] << 21) + ((long)input[index + third] << 42);
                output[outputIndex] = table[(int)((((sumBase + a * weight0 + b * weight1 + c * weight2) >> DotShift) * multiplier + rounding) >> FixedShift)];
                a = input[index + inputStep] + ((long)input[index + second1] << 21) + ((long)input[index + third1] << 42);
                output[outputIndex + outputStep] = table[(int)((((sumBase + b * weight0 + c * weight1 + a * weight2) >> DotShift) * multiplier + rounding) >> FixedShift)];
                b = input[index + step2] + ((long)input[index + second2] << 21) + ((long)input[index + third2] << 42);
                output[outputIndex + outputStep2] = table[(int)((((sumBase + c * weight0 + a * weight1 + b * weight2) >> DotShift) * multiplier + rounding) >> FixedShift)];
                index += step3;
                outputIndex += outputStep3;
            }

            // The rest of the line: new words inside, then the padding after it.
            for (int position = 3 * passes; position < count; position++)
            {
                c = position < inside ? input[index] + ((long)input[index + second] << 21) + ((long)input[index + third] << 42) : padWord;
                output[outputIndex] = table[(int)((((sumBase + a * weight0 + b * weight1 + c * weight2) >> DotShift) * multiplier + rounding) >> FixedShift)];
                a = b;
                b = c;
                index += inputStep;
                outputIndex += outputStep;
            }
        }

        // Three neighbouring lines at stride 1 whose five lanes (at lineStart + 0 .. 4 laneSteps)
        // are inside: the second line's word is the first's shifted one lane (as in
        // SlideStrideOnePair), the third the second's, ((w - v1) >> 21) + v4·2^42 with v1 kept.
        private static void SlideStrideOneTriple(DepthwiseConv3x3LanesOperator op, int lineStart, int laneStep, int inputStep,
            int outputIndex, int outputLineStep, int outputStep, int count, int padBefore, int extent,
            long weight0, long weight1, long weight2, long sumBase, long multiplier, long rounding)
        {
            sbyte[] input = op.Input;
            sbyte[] output = op.Output;
            sbyte[] table = op.Table;
            int zeroPoint = op.InputZeroPoint;
            long padWord = zeroPoint + ((long)zeroPoint << 21) + ((long)zeroPoint << 42);
            int second = laneStep;
            int third = 2 * laneStep;
            int fourth = 3 * laneStep;
            int fifth = 4 * laneStep;
            int step2 = 2 * inputStep;
            int second1 = second + inputStep, third1 = third + inputStep, fourth1 = fourth + inputStep, fifth1 = fifth + inputStep;
            int second2 = second + step2, third2 = third + step2, fourth2 = fourth + step2, fifth2 = fifth + step2;
            int outputStep2 = 2 * outputStep;
            int outputStep3 = 3 * outputStep;
            int line1 = outputLineStep;
            int line11 = line1 + outputStep;
            int line12 = line1 + outputStep2;
            int line2 = 2 * outputLineStep;
            int line21 = line2 + outputStep;
            int line22 = line2 + outputStep2;

            // Words -padBefore and 1 - padBefore of the three lines first.
            int index = lineStart - padBefore * inputStep;
            long value;
            long low;
            long a = padWord;
            long d = padWord;
            long g = padWord;
            if (padBefore == 0)
            {
                value = input[index];
                low = input[index + second];
                a = value + (low << 21) + ((long)input[index + third] << 42);
                d = ((a - value) >> 21) + ((long)input[index + fourth] << 42);
                g = ((d - low) >> 21) + ((long)input[index + fifth] << 42);
            }

            value = input[index + inputStep];
            low = input[index + second1];
            long b = value + (low << 21) + ((long)input[index + third1] << 42);
            long e = ((b - value) >> 21) + ((long)input[index + fourth1] << 42);
            long h = ((e - low) >> 21) + ((long)input[index + fifth1] << 42);
            index += step2;

            int inside = extent - 2 + padBefore;
            if (inside > count)
            {
                inside = count;
            }

            int passes = inside / 3;
            int step3 = 3 * inputStep;
            long c;
            long f;
            long i;
            for (int pass = 0; pass < passes; pass++)
            {
                value = input[index];
                low = input[index + second];
                c = value + (low << 21) + ((long)input[index + third] << 42);
                f = ((c - value) >> 21) + ((long)input[index + fourth] << 42);
                i = ((f - low) >> 21) + ((long)input[index + fifth] << 42);
                output[outputIndex] = table[(int)((((sumBase + a * weight0 + b * weight1 + c * weight2) >> DotShift) * multiplier + rounding) >> FixedShift)];
                output[outputIndex + line1] = table[(int)((((sumBase + d * weight0 + e * weight1 + f * weight2) >> DotShift) * multiplier + rounding) >> FixedShift)];
                output[outputIndex + line2] = table[(int)((((sumBase + g * weight0 + h * weight1 + i * weight2) >> DotShift) * multiplier + rounding) >> FixedShift)];
                value = input[index + inputStep];
                low = input[index + second1];
                a = value + (low << 21) + ((long)input[index + third1] << 42);
                d = ((a - value) >> 21) + ((long)input[index + fourth1] << 42);
                g = ((d - low) >> 21) + ((long)input[index + fifth1] << 42);
                output[outputIndex + outputStep] = table[(int)((((sumBase + b * weight0 + c * weight1 + a * weight2) >> DotShift) * multiplier + rounding) >> FixedShift)];
                output[outputIndex + line11] = table[(int)((((sumBase + e * weight0 + f * weight1 + d * weight2) >> DotShift) * multiplier + rounding) >> FixedShift)];
                output[outputIndex + line21] = table[(int)((((sumBase + h * weight0 + i * weight1 + g * weight2) >> DotShift) * multiplier + rounding) >> FixedShift)];
                value = input[index + step2];
                low = input[index + second2];
                b = value + (low << 21) + ((long)input[index + third2] << 42);
                e = ((b - value) >> 21) + ((long)input[index + fourth2] << 42);
                h = ((e - low) >> 21) + ((long)input[index + fifth2] << 42);
                output[outputIndex + outputStep2] = table[(int)((((sumBase + c * weight0 + a * weight1 + b * weight2) >> DotShift) * multiplier + rounding) >> FixedShift)];
                output[outputIndex + line12] = table[(int)((((sumBase + f * weight0 + d * weight1 + e * weight2) >> DotShift) * multiplier + rounding) >> FixedShift)];
                output[outputIndex + line22] = table[(int)((((sumBase + i * weight0 + g * weight1 + h * weight2) >> DotShift) * multiplier + rounding) >> FixedShift)];
                index += step3;
                outputIndex += outputStep3;
            }

            for (int position = 3 * passes; position < count; position++)
            {
                if (position < inside)
                {
                    value = input[index];
                    low = input[index + second];
                    c = value + (low << 21) + ((long)input[index + third] << 42);
                    f = ((c - value) >> 21) + ((long)input[index + fourth] << 42);
                    i = ((f - low) >> 21) + ((long)input[index + fifth] << 42);
                }
                else
                {
                    c = padWord;
                    f = padWord;
                    i = padWord;
                }

                output[outputIndex] = table[(int)((((sumBase + a * weight0 + b * weight1 + c * weight2) >> DotShift) * multiplier + rounding) >> FixedShift)];
                output[outputIndex + line1] = table[(int)((((sumBase + d * weight0 + e * weight1 + f * weight2) >> DotShift) * multiplier + rounding) >> FixedShift)];
                output[outputIndex + line2] = table[(int)((((sumBase + g * weight0 + h * weight1 + i * weight2) >> DotShift) * multiplier + rounding) >> FixedShift)];
                a = b;
                b = c;
                d = e;
                e = f;
                g = h;
                h = i;
                index += inputStep;
                outputIndex += outputStep;
            }
        }

        // Two neighbouring lines at stride 1 whose four lanes (at lineStart + 0, 1, 2, 3 laneSteps)
        // are inside: the second line's word is the first's shifted one lane, its new lane added,
        // ((w - v0) >> 21) + v3·2^42 (exact: w - v0 has no low lane). Otherwise as SlideStrideOne.
        private static void SlideStrideOnePair(DepthwiseConv3x3LanesOperator op, int lineStart, int laneStep, int inputStep,
            int outputIndex, int outputLineStep, int outputStep, int count, int padBefore, int extent,
            long weight0, long weight1, long weight2, long sumBase, long multiplier, long rounding)
        {
            sbyte[] input = op.Input;
            sbyte[] output = op.Output;
            sbyte[] table = op.Table;
            int zeroPoint = op.InputZeroPoint;
            long padWord = zeroPoint + ((long)zeroPoint << 21) + ((long)zeroPoint << 42);
            int second = laneStep;
            int third = 2 * laneStep;
            int fourth = 3 * laneStep;
            int step2 = 2 * inputStep;
            int second1 = second + inputStep;
            int third1 = third + inputStep;
            int fourth1 = fourth + inputStep;
            int second2 = second + step2;
            int third2 = third + step2;
            int fourth2 = fourth + step2;
            int outputStep2 = 2 * outputStep;
            int outputStep3 = 3 * outputStep;
            int line1 = outputLineStep;
            int line11 = outputLineStep + outputStep;
            int line12 = outputLineStep + outputStep2;

            // Words -padBefore and 1 - padBefore of both lines first.
            int index = lineStart - padBefore * inputStep;
            long value;
            long a = padWord;
            long d = padWord;
            if (padBefore == 0)
            {
                value = input[index];
                a = value + ((long)input[index + second] << 21) + ((long)input[index + third] << 42);
                d = ((a - value) >> 21) + ((long)input[index + fourth] << 42);
            }

            value = input[index + inputStep];
            long b = value + ((long)input[index + second1] << 21) + ((long)input[index + third1] << 42);
            long e = ((b - value) >> 21) + ((long)input[index + fourth1] << 42);
            index += step2;

            int inside = extent - 2 + padBefore;
            if (inside > count)
            {
                inside = count;
            }

            int passes = inside / 3;
            int step3 = 3 * inputStep;
            long c;
            long f;
            for (int pass = 0; pass < passes; pass++)
            {
                value = input[index];
                c = value + ((long)input[index + second] << 21) + ((long)input[index + third] << 42);
                f = ((c - value) >> 21) + ((long)input[index + fourth] << 42);
                output[outputIndex] = table[(int)((((sumBase + a * weight0 + b * weight1 + c * weight2) >> DotShift) * multiplier + rounding) >> FixedShift)];
                output[outputIndex + line1] = table[(int)((((sumBase + d * weight0 + e * weight1 + f * weight2) >> DotShift) * multiplier + rounding) >> FixedShift)];
                value = input[index + inputStep];
                a = value + ((long)input[index + second1] << 21) + ((long)input[index + third1] << 42);
                d = ((a - value) >> 21) + ((long)input[index + fourth1] << 42);
                output[outputIndex + outputStep] = table[(int)((((sumBase + b * weight0 + c * weight1 + a * weight2) >> DotShift) * multiplier + rounding) >> FixedShift)];
                output[outputIndex + line11] = table[(int)((((sumBase + e * weight0 + f * weight1 + d * weight2) >> DotShift) * multiplier + rounding) >> FixedShift)];
                value = input[index + step2];
                b = value + ((long)input[index + second2] << 21) + ((long)input[index + third2] << 42);
                e = ((b - value) >> 21) + ((long)input[index + fourth2] << 42);
                output[outputIndex + outputStep2] = table[(int)((((sumBase + c * weight0 + a * weight1 + b * weight2) >> DotShift) * multiplier + rounding) >> FixedShift)];
                output[outputIndex + line12] = table[(int)((((sumBase + f * weight0 + d * weight1 + e * weight2) >> DotShift) * multiplier + rounding) >> FixedShift)];
                index += step3;
                outputIndex += outputStep3;
            }

            for (int position = 3 * passes; position < count; position++)
            {
                if (position < inside)
                {
                    value = input[index];
                    c = value + ((long)input[index + second] << 21) + ((long)input[index + third] << 42);
                    f = ((c - value) >> 21) + ((long)input[index + fourth] << 42);
                }
                else
                {
                    c = padWord;
                    f = padWord;
                }

                output[outputIndex] = table[(int)((((sumBase + a * weight0 + b * weight1 + c * weight2) >> DotShift) * multiplier + rounding) >> FixedShift)];
                output[outputIndex + line1] = table[(int)((((sumBase + d * weight0 + e * weight1 + f * weight2) >> DotShift) * multiplier + rounding) >> FixedShift)];
                a = b;
                b = c;
                d = e;
                e = f;
                index += inputStep;
                outputIndex += outputStep;
            }
        }

        // Two neighbouring lines at stride 2 both ways whose five lanes (at lineStart + 0 .. 4
        // laneSteps) are inside: the third lane is the second line's first, read once for both
        // lines' words. Two outputs of each line a pass; otherwise as SlideStrided.
        private static void SlideStrideTwoPair(DepthwiseConv3x3LanesOperator op, int lineStart, int laneStep, int inputStep,
            int outputIndex, int outputLineStep, int outputStep, int count, int padBefore, int extent,
            long weight0, long weight1, long weight2, long sumBase, long multiplier, long rounding)
        {
            sbyte[] input = op.Input;
            sbyte[] output = op.Output;
            sbyte[] table = op.Table;
            int zeroPoint = op.InputZeroPoint;
            long padWord = zeroPoint + ((long)zeroPoint << 21) + ((long)zeroPoint << 42);
            int second = laneStep;
            int third = 2 * laneStep;
            int fourth = 3 * laneStep;
            int fifth = 4 * laneStep;
            int step2 = 2 * inputStep;
            int step3 = 3 * inputStep;
            int step4 = 4 * inputStep;
            int second1 = second + inputStep, third1 = third + inputStep, fourth1 = fourth + inputStep, fifth1 = fifth + inputStep;
            int second2 = second + step2, third2 = third + step2, fourth2 = fourth + step2, fifth2 = fifth + step2;
            int second3 = second + step3, third3 = third + step3, fourth3 = fourth + step3, fifth3 = fifth + step3;
            int second4 = second + step4, third4 = third + step4, fourth4 = fourth + step4, fifth4 = fifth + step4;
            int outputStep2 = 2 * outputStep;
            int line1 = outputLineStep + outputStep;

            // Outputs whose three words lie inside the input (the one before them may be padding).
            int inside = (extent - 3 + padBefore) / 2 + 1;
            if (inside > count)
            {
                inside = count;
            }

            int index = lineStart - padBefore * inputStep;
            long value;
            long a = padWord;
            long d = padWord;
            if (padBefore == 0 && inside > 0)
            {
                value = input[index + third];
                a = input[index] + ((long)input[index + second] << 21) + (value << 42);
                d = value + ((long)input[index + fourth] << 21) + ((long)input[index + fifth] << 42);
            }

            long b;
            long c;
            long e;
            long f;
            int pairs = inside / 2;
            for (int pair = 0; pair < pairs; pair++)
            {
                value = input[index + third1];
                b = input[index + inputStep] + ((long)input[index + second1] << 21) + (value << 42);
                e = value + ((long)input[index + fourth1] << 21) + ((long)input[index + fifth1] << 42);
                value = input[index + third2];
                c = input[index + step2] + ((long)input[index + second2] << 21) + (value << 42);
                f = value + ((long)input[index + fourth2] << 21) + ((long)input[index + fifth2] << 42);
                output[outputIndex] = table[(int)((((sumBase + a * weight0 + b * weight1 + c * weight2) >> DotShift) * multiplier + rounding) >> FixedShift)];
                output[outputIndex + outputLineStep] = table[(int)((((sumBase + d * weight0 + e * weight1 + f * weight2) >> DotShift) * multiplier + rounding) >> FixedShift)];
                value = input[index + third3];
                b = input[index + step3] + ((long)input[index + second3] << 21) + (value << 42);
                e = value + ((long)input[index + fourth3] << 21) + ((long)input[index + fifth3] << 42);
                value = input[index + third4];
                a = input[index + step4] + ((long)input[index + second4] << 21) + (value << 42);
                d = value + ((long)input[index + fourth4] << 21) + ((long)input[index + fifth4] << 42);
                output[outputIndex + outputStep] = table[(int)((((sumBase + c * weight0 + b * weight1 + a * weight2) >> DotShift) * multiplier + rounding) >> FixedShift)];
                output[outputIndex + line1] = table[(int)((((sumBase + f * weight0 + e * weight1 + d * weight2) >> DotShift) * multiplier + rounding) >> FixedShift)];
                index += step4;
                outputIndex += outputStep2;
            }

            // An odd last output inside, then the outputs that reach into the padding after the line;
            // a and d always hold each line's word 2·position - padBefore (the last output's third).
            for (int position = 2 * pairs; position < count; position++)
            {
                int word = 2 * position - padBefore;
                b = Word(input, index + inputStep, second, third, word + 1, extent, padWord);
                c = Word(input, index + step2, second, third, word + 2, extent, padWord);
                e = Word(input, index + inputStep + third, second, third, word + 1, extent, padWord);
                f = Word(input, index + step2 + third, second, third, word + 2, extent, padWord);
                output[outputIndex] = table[(int)((((sumBase + a * weight0 + b * weight1 + c * weight2) >> DotShift) * multiplier + rounding) >> FixedShift)];
                output[outputIndex + outputLineStep] = table[(int)((((sumBase + d * weight0 + e * weight1 + f * weight2) >> DotShift) * multiplier + rounding) >> FixedShift)];
                a = c;
                d = f;
                index += step2;
                outputIndex += outputStep;
            }
        }

        // A line at stride 2 or more, read as SlideStrideOne's: output i reads words
        // i·stride - padBefore + 0, 1, 2; at stride 2 the last is the next output's first.
        private static void SlideStrided(DepthwiseConv3x3LanesOperator op, int lineStart, int second, int third, int inputStep, int stride,
            int outputIndex, int outputStep, int count, int padBefore, int extent,
            long weight0, long weight1, long weight2, long sumBase, long multiplier, long rounding)
        {
            sbyte[] input = op.Input;
            sbyte[] output = op.Output;
            sbyte[] table = op.Table;
            int zeroPoint = op.InputZeroPoint;
            long padWord = zeroPoint + ((long)zeroPoint << 21) + ((long)zeroPoint << 42);
            int second1 = second + inputStep;
            int third1 = third + inputStep;
            int step2 = 2 * inputStep;
            int strideStep = stride * inputStep;

            // Outputs whose three words lie inside the input (the one before them may be padding).
            int inside = (extent - 3 + padBefore) / stride + 1;
            if (inside > count)
            {
                inside = count;
            }

            int index = lineStart - padBefore * inputStep;
            int position = 0;
            int second2 = second + step2;
            int third2 = third + step2;
            long a = padWord;
            long b;
            long c;
            if (padBefore == 0 && inside > 0)
            {
                a = input[index] + ((long)input[index + second] << 21) + ((long)input[index + third] << 42);
            }

            if (stride == 2)
            {
                // Two outputs a pass: words 1, 2 of the first, 3, 4 (the next pass's first) of the second.
                int step3 = 3 * inputStep;
                int step4 = 4 * inputStep;
                int second3 = second + step3;
                int third3 = third + step3;
                int second4 = second + step4;
                int third4 = third + step4;
                int outputStep2 = 2 * outputStep;
                int pairs = inside / 2;
                for (int pair = 0; pair < pairs; pair++)
                {
                    b = input[index + inputStep] + ((long)input[index + second1] << 21) + ((long)input[index + third1] << 42);
                    c = input[index + step2] + ((long)input[index + second2] << 21) + ((long)input[index + third2] << 42);
                    output[outputIndex] = table[(int)((((sumBase + a * weight0 + b * weight1 + c * weight2) >> DotShift) * multiplier + rounding) >> FixedShift)];
                    b = input[index + step3] + ((long)input[index + second3] << 21) + ((long)input[index + third3] << 42);
                    a = input[index + step4] + ((long)input[index + second4] << 21) + ((long)input[index + third4] << 42);
                    output[outputIndex + outputStep] = table[(int)((((sumBase + c * weight0 + b * weight1 + a * weight2) >> DotShift) * multiplier + rounding) >> FixedShift)];
                    index += step4;
                    outputIndex += outputStep2;
                }

                position = 2 * pairs;
            }

            // At stride 2 an output's last word is the next one's first; at larger strides it is read anew.
            for (; position < inside; position++)
            {
                b = input[index + inputStep] + ((long)input[index + second1] << 21) + ((long)input[index + third1] << 42);
                c = input[index + step2] + ((long)input[index + second2] << 21) + ((long)input[index + third2] << 42);
                output[outputIndex] = table[(int)((((sumBase + a * weight0 + b * weight1 + c * weight2) >> DotShift) * multiplier + rounding) >> FixedShift)];
                index += strideStep;
                outputIndex += outputStep;
                a = stride == 2 ? c : Word(input, index, second, third, position * stride + stride - padBefore, extent, padWord);
            }

            // The outputs that reach into the padding after the line.
            for (; position < count; position++)
            {
                int word = position * stride - padBefore;
                a = Word(input, index, second, third, word, extent, padWord);
                b = Word(input, index + inputStep, second, third, word + 1, extent, padWord);
                c = Word(input, index + step2, second, third, word + 2, extent, padWord);
                output[outputIndex] = table[(int)((((sumBase + a * weight0 + b * weight1 + c * weight2) >> DotShift) * multiplier + rounding) >> FixedShift)];
                index += strideStep;
                outputIndex += outputStep;
            }
        }

        // The word at `index` (lanes at + second, + third), or the padding word when `word` is outside [0, extent).
        private static long Word(sbyte[] input, int index, int second, int third, int word, int extent, long padWord)
        {
            return word >= 0 && word < extent ? input[index] + ((long)input[index + second] << 21) + ((long)input[index + third] << 42) : padWord;
        }

        // One channel output by output, each tap read with the padding checked: a bias beyond the
        // lane (added to the field), a padding of more than one before a line, or a total shift
        // the fixed one does not hold.
        private static void RunByOutputs(DepthwiseConv3x3LanesOperator op, int planeStart, int filterStart, int bias, long multiplier, int shift, long rounding,
            int outputIndex)
        {
            for (int outputY = 0; outputY < op.OutputHeight; outputY++)
            {
                for (int outputX = 0; outputX < op.OutputWidth; outputX++)
                {
                    long accumulator = bias;
                    for (int tap = 0; tap < FilterSize * FilterSize; tap++)
                    {
                        int row = outputY * op.StrideHeight - op.PadTop + tap / FilterSize;
                        int column = outputX * op.StrideWidth - op.PadLeft + tap % FilterSize;
                        int value = row >= 0 && row < op.InputHeight && column >= 0 && column < op.InputWidth
                            ? op.Input[planeStart + row * op.InputWidth + column] : op.InputZeroPoint;
                        accumulator += value * op.Filter[filterStart + tap];
                    }

                    op.Output[outputIndex] = op.Table[(int)((accumulator * multiplier + rounding) >> shift)];
                    outputIndex++;
                }
            }
        }

        // The largest magnitude of a channel's accumulator: |bias| + 128·Σ|w| over its nine weights.
        private static long Largest(sbyte[] filter, int filterStart, int bias)
        {
            long largest = bias < 0 ? -(long)bias : bias;
            for (int tap = filterStart; tap < filterStart + FilterSize * FilterSize; tap++)
            {
                largest += 128 * (filter[tap] < 0 ? -filter[tap] : filter[tap]);
            }

            return largest;
        }

        /// <summary>
        /// The range [low, high] of channel <paramref name="channel"/>'s accumulator, bias included,
        /// over every int8 input: each of its nine weights times -128 or 127, whichever is smaller (larger).
        /// </summary>
        public static void AccumulatorBounds(sbyte[] filter, int filterOffset, int channel, int bias, out long low, out long high)
        {
            low = bias;
            high = bias;
            int start = filterOffset + channel * FilterSize * FilterSize;
            for (int tap = start; tap < start + FilterSize * FilterSize; tap++)
            {
                int weight = filter[tap];
                low += weight > 0 ? -128L * weight : 127L * weight;
                high += weight > 0 ? 127L * weight : -128L * weight;
            }
        }
    }
}
