using NanoInt8.Runtime;
using NanoInt8.Runtime.Operators;

namespace NanoInt8.Host.Format
{
    /// <summary>
    /// The 2-D window of a convolution or pooling operator as the device reads it: strides,
    /// dilations and paddings (docs/model-format.md).
    /// </summary>
    /// <param name="StrideHeight">Vertical stride.</param>
    /// <param name="StrideWidth">Horizontal stride.</param>
    /// <param name="DilationHeight">Vertical dilation.</param>
    /// <param name="DilationWidth">Horizontal dilation.</param>
    /// <param name="PadTop">Rows of padding above the input.</param>
    /// <param name="PadLeft">Columns of padding left of the input.</param>
    /// <param name="PadBottom">Rows of padding below the input.</param>
    /// <param name="PadRight">Columns of padding right of the input.</param>
    public readonly record struct OperatorWindow(
        int StrideHeight, int StrideWidth, int DilationHeight, int DilationWidth, int PadTop, int PadLeft, int PadBottom, int PadRight)
    {
        /// <summary>True when neither direction is dilated.</summary>
        public bool IsUndilated => DilationHeight == 1 && DilationWidth == 1;
    }

    /// <summary>
    /// The operator-specific parameter words of every operator code, built by name from the
    /// device's layouts (<see cref="NanoInt8.Runtime.Operators"/>): what the converter and the tests
    /// give <see cref="ModelBuilder.AddOperator"/>. One method per <see cref="OpCode"/>, named like it.
    /// </summary>
    public static class OperatorWords
    {
        /// <summary>Conv2D (code 1).</summary>
        public static int[] Conv2D(OperatorWindow window, int groups, int activationMin, int activationMax)
        {
            int[] words = new int[Conv2DLayout.Count];
            SetConvolution(words, window, groups, activationMin, activationMax);
            return words;
        }

        /// <summary>FullyConnected (code 2).</summary>
        public static int[] FullyConnected(int activationMin, int activationMax)
        {
            int[] words = new int[FullyConnectedLayout.Count];
            words[FullyConnectedLayout.ActivationMin] = activationMin;
            words[FullyConnectedLayout.ActivationMax] = activationMax;
            return words;
        }

        /// <summary>Add (code 3): operands a and b rescaled to a common scale, added or subtracted, rescaled to the output.</summary>
        /// <param name="leftShift">Headroom bits of both operands.</param>
        /// <param name="a">a's (multiplier, shift) to the common scale.</param>
        /// <param name="b">b's (multiplier, shift) to the common scale.</param>
        /// <param name="output">(multiplier, shift) from the common scale to the output.</param>
        /// <param name="activationMin">Lower clamp bound.</param>
        /// <param name="activationMax">Upper clamp bound.</param>
        /// <param name="subtract">a - b instead of a + b.</param>
        /// <param name="aStrides">Four element strides of a along the output's dims.</param>
        /// <param name="bStrides">Four element strides of b along the output's dims.</param>
        public static int[] Add(int leftShift, (int Multiplier, int Shift) a, (int Multiplier, int Shift) b, (int Multiplier, int Shift) output,
            int activationMin, int activationMax, bool subtract, IReadOnlyList<int> aStrides, IReadOnlyList<int> bStrides)
        {
            int[] words = new int[AddLayout.Count];
            words[AddLayout.LeftShift] = leftShift;
            words[AddLayout.AMultiplier] = a.Multiplier;
            words[AddLayout.AShift] = a.Shift;
            words[AddLayout.BMultiplier] = b.Multiplier;
            words[AddLayout.BShift] = b.Shift;
            words[AddLayout.OutputMultiplier] = output.Multiplier;
            words[AddLayout.OutputShift] = output.Shift;
            words[AddLayout.ActivationMin] = activationMin;
            words[AddLayout.ActivationMax] = activationMax;
            words[AddLayout.Subtract] = subtract ? 1 : 0;
            SetFour(words, AddLayout.AStrides, aStrides);
            SetFour(words, AddLayout.BStrides, bStrides);
            return words;
        }

        /// <summary>Mul (code 4).</summary>
        public static int[] Mul((int Multiplier, int Shift) output, int activationMin, int activationMax, IReadOnlyList<int> aStrides, IReadOnlyList<int> bStrides)
        {
            int[] words = new int[MulLayout.Count];
            words[MulLayout.OutputMultiplier] = output.Multiplier;
            words[MulLayout.OutputShift] = output.Shift;
            words[MulLayout.ActivationMin] = activationMin;
            words[MulLayout.ActivationMax] = activationMax;
            SetFour(words, MulLayout.AStrides, aStrides);
            SetFour(words, MulLayout.BStrides, bStrides);
            return words;
        }

        /// <summary>MaxPool (code 5).</summary>
        public static int[] MaxPool(int kernelHeight, int kernelWidth, OperatorWindow window, int activationMin, int activationMax)
        {
            int[] words = new int[MaxPoolLayout.Count];
            words[MaxPoolLayout.KernelHeight] = kernelHeight;
            words[MaxPoolLayout.KernelWidth] = kernelWidth;
            words[MaxPoolLayout.StrideHeight] = window.StrideHeight;
            words[MaxPoolLayout.StrideWidth] = window.StrideWidth;
            words[MaxPoolLayout.DilationHeight] = window.DilationHeight;
            words[MaxPoolLayout.DilationWidth] = window.DilationWidth;
            words[MaxPoolLayout.PadTop] = window.PadTop;
            words[MaxPoolLayout.PadLeft] = window.PadLeft;
            words[MaxPoolLayout.PadBottom] = window.PadBottom;
            words[MaxPoolLayout.PadRight] = window.PadRight;
            words[MaxPoolLayout.ActivationMin] = activationMin;
            words[MaxPoolLayout.ActivationMax] = activationMax;
            return words;
        }

        /// <summary>AveragePool (code 6); the window's dilations are not part of it (always 1).</summary>
        public static int[] AveragePool(int kernelHeight, int kernelWidth, OperatorWindow window, bool countIncludePad, int activationMin, int activationMax)
        {
            int[] words = new int[AveragePoolLayout.Count];
            words[AveragePoolLayout.KernelHeight] = kernelHeight;
            words[AveragePoolLayout.KernelWidth] = kernelWidth;
            words[AveragePoolLayout.StrideHeight] = window.StrideHeight;
            words[AveragePoolLayout.StrideWidth] = window.StrideWidth;
            words[AveragePoolLayout.PadTop] = window.PadTop;
            words[AveragePoolLayout.PadLeft] = window.PadLeft;
            words[AveragePoolLayout.PadBottom] = window.PadBottom;
            words[AveragePoolLayout.PadRight] = window.PadRight;
            words[AveragePoolLayout.CountIncludePad] = countIncludePad ? 1 : 0;
            words[AveragePoolLayout.ActivationMin] = activationMin;
            words[AveragePoolLayout.ActivationMax] = activationMax;
            return words;
        }

        /// <summary>GlobalAveragePool (code 7).</summary>
        public static int[] GlobalAveragePool((int Multiplier, int Shift) ratio, int activationMin, int activationMax)
        {
            int[] words = new int[GlobalAveragePoolLayout.Count];
            words[GlobalAveragePoolLayout.Multiplier] = ratio.Multiplier;
            words[GlobalAveragePoolLayout.Shift] = ratio.Shift;
            words[GlobalAveragePoolLayout.ActivationMin] = activationMin;
            words[GlobalAveragePoolLayout.ActivationMax] = activationMax;
            return words;
        }

        /// <summary>Concat (code 8): the axis, then each input's (multiplier, shift); multiplier 0 copies the input unchanged.</summary>
        public static int[] Concat(int axis, IReadOnlyList<(int Multiplier, int Shift)> inputs)
        {
            int[] words = new int[ConcatLayout.Count + (inputs.Count * ConcatLayout.PerInput.Count)];
            words[ConcatLayout.Axis] = axis;
            for (int input = 0; input < inputs.Count; input++)
            {
                words[ConcatLayout.InputWord(input, ConcatLayout.PerInput.Multiplier)] = inputs[input].Multiplier;
                words[ConcatLayout.InputWord(input, ConcatLayout.PerInput.Shift)] = inputs[input].Shift;
            }

            return words;
        }

        /// <summary>Pad (code 9): four leading and four trailing pads (right-aligned dims) and the new elements' value.</summary>
        public static int[] Pad(IReadOnlyList<int> padBefore, IReadOnlyList<int> padAfter, int padValue)
        {
            int[] words = new int[PadLayout.Count];
            SetFour(words, PadLayout.PadBefore, padBefore);
            SetFour(words, PadLayout.PadAfter, padAfter);
            words[PadLayout.PadValue] = padValue;
            return words;
        }

        /// <summary>Reshape (code 10): no parameter words.</summary>
        public static int[] Reshape() => new int[ReshapeLayout.Count];

        /// <summary>Lookup (code 11): no parameter words (the table is an operand).</summary>
        public static int[] Lookup() => new int[LookupLayout.Count];

        /// <summary>Softmax (code 12).</summary>
        public static int[] Softmax((int Multiplier, int Shift) output)
        {
            int[] words = new int[SoftmaxLayout.Count];
            words[SoftmaxLayout.OutputMultiplier] = output.Multiplier;
            words[SoftmaxLayout.OutputShift] = output.Shift;
            return words;
        }

        /// <summary>Transpose (code 13): the input element stride along each right-aligned output dim.</summary>
        public static int[] Transpose(IReadOnlyList<int> inputStrides)
        {
            int[] words = new int[TransposeLayout.Count];
            SetFour(words, TransposeLayout.InputStrides, inputStrides);
            return words;
        }

        /// <summary>Requantize (code 14).</summary>
        public static int[] Requantize((int Multiplier, int Shift) ratio, int activationMin, int activationMax)
        {
            int[] words = new int[RequantizeLayout.Count];
            words[RequantizeLayout.Multiplier] = ratio.Multiplier;
            words[RequantizeLayout.Shift] = ratio.Shift;
            words[RequantizeLayout.ActivationMin] = activationMin;
            words[RequantizeLayout.ActivationMax] = activationMax;
            return words;
        }

        /// <summary>FullyConnectedPacked (code 15): FullyConnected's words.</summary>
        public static int[] FullyConnectedPacked(int activationMin, int activationMax) => FullyConnected(activationMin, activationMax);

        /// <summary>Conv2DPacked (code 16): Conv2D's words with groups 1 (the window undilated).</summary>
        public static int[] Conv2DPacked(OperatorWindow window, int activationMin, int activationMax) => Conv2D(window, 1, activationMin, activationMax);

        /// <summary>DepthwiseConv3x3 (code 17): Conv2D's words with groups equal to the channel count (the window undilated).</summary>
        public static int[] DepthwiseConv3x3(OperatorWindow window, int channels, int activationMin, int activationMax) =>
            Conv2D(window, channels, activationMin, activationMax);

        /// <summary>Conv2DPackedTaps (code 18): Conv2D's words with groups 1, then the filter width.</summary>
        public static int[] Conv2DPackedTaps(OperatorWindow window, int activationMin, int activationMax, int filterWidth) =>
            Conv2DWithFilterWidth(window, activationMin, activationMax, filterWidth);

        /// <summary>Conv2DTriple (code 19): Conv2D's words with groups 1, then the filter width.</summary>
        public static int[] Conv2DTriple(OperatorWindow window, int activationMin, int activationMax, int filterWidth) =>
            Conv2DWithFilterWidth(window, activationMin, activationMax, filterWidth);

        /// <summary>FullyConnectedTriple (code 20): FullyConnected's words.</summary>
        public static int[] FullyConnectedTriple(int activationMin, int activationMax) => FullyConnected(activationMin, activationMax);

        /// <summary>
        /// Slice (code 21): for each right-aligned input axis, the first index taken and the step to
        /// the next (not 0; negative walks backwards); the output's shape says how many are taken.
        /// </summary>
        public static int[] Slice(IReadOnlyList<int> starts, IReadOnlyList<int> steps)
        {
            int[] words = new int[SliceLayout.Count];
            SetFour(words, SliceLayout.Starts, starts);
            SetFour(words, SliceLayout.Steps, steps);
            return words;
        }

        /// <summary>Gather (code 22): no parameter words (the index maps are an operand, <see cref="GatherIndices"/>).</summary>
        public static int[] Gather() => new int[GatherLayout.Count];

        /// <summary>
        /// Gather's index maps operand (<see cref="GatherLayout.Operands.Indices"/>): for each
        /// right-aligned output axis, the input index each output index reads, axis 0's map first.
        /// </summary>
        public static int[] GatherIndices(IReadOnlyList<IReadOnlyList<int>> maps)
        {
            if (maps.Count != 4)
            {
                throw new ArgumentException("Gather has one index map per right-aligned axis: four.", nameof(maps));
            }

            return maps.SelectMany(map => map).ToArray();
        }

        /// <summary>
        /// Conv2DLanes (code 24): Conv2D's words with groups 1, then the filter's height and width,
        /// the packing (Conv2DLanesKernel.PackChannels, PackTaps or PackRows), the clamp table's zero
        /// and whether the bias starts the lane sum.
        /// </summary>
        public static int[] Conv2DLanes(OperatorWindow window, int activationMin, int activationMax, int filterHeight, int filterWidth,
            int packing, int tableZero, bool biasInLane)
        {
            int[] words = new int[Conv2DLanesLayout.Count];
            SetConvolution(words, window, 1, activationMin, activationMax);
            words[Conv2DLanesLayout.FilterHeight] = filterHeight;
            words[Conv2DLanesLayout.FilterWidth] = filterWidth;
            words[Conv2DLanesLayout.Packing] = packing;
            words[Conv2DLanesLayout.TableZero] = tableZero;
            words[Conv2DLanesLayout.BiasInLane] = biasInLane ? 1 : 0;
            return words;
        }

        /// <summary>DepthwiseConv3x3Lanes (code 25): DepthwiseConv3x3's words, then the clamp table's zero.</summary>
        public static int[] DepthwiseConv3x3Lanes(OperatorWindow window, int channels, int activationMin, int activationMax, int tableZero)
        {
            int[] words = new int[DepthwiseConv3x3LanesLayout.Count];
            SetConvolution(words, window, channels, activationMin, activationMax);
            words[DepthwiseConv3x3LanesLayout.TableZero] = tableZero;
            return words;
        }

        /// <summary>
        /// FullyConnectedLanes (code 26): FullyConnected's words, then the clamp table's zero and the
        /// lane block's length in words.
        /// </summary>
        public static int[] FullyConnectedLanes(int activationMin, int activationMax, int tableZero, int blockWords)
        {
            int[] words = new int[FullyConnectedLanesLayout.Count];
            words[FullyConnectedLanesLayout.ActivationMin] = activationMin;
            words[FullyConnectedLanesLayout.ActivationMax] = activationMax;
            words[FullyConnectedLanesLayout.TableZero] = tableZero;
            words[FullyConnectedLanesLayout.BlockWords] = blockWords;
            return words;
        }

        private static int[] Conv2DWithFilterWidth(OperatorWindow window, int activationMin, int activationMax, int filterWidth)
        {
            int[] words = new int[Conv2DFilterWidthLayout.Count];
            SetConvolution(words, window, 1, activationMin, activationMax);
            words[Conv2DFilterWidthLayout.FilterWidth] = filterWidth;
            return words;
        }

        private static void SetConvolution(int[] words, OperatorWindow window, int groups, int activationMin, int activationMax)
        {
            words[Conv2DLayout.StrideHeight] = window.StrideHeight;
            words[Conv2DLayout.StrideWidth] = window.StrideWidth;
            words[Conv2DLayout.DilationHeight] = window.DilationHeight;
            words[Conv2DLayout.DilationWidth] = window.DilationWidth;
            words[Conv2DLayout.PadTop] = window.PadTop;
            words[Conv2DLayout.PadLeft] = window.PadLeft;
            words[Conv2DLayout.PadBottom] = window.PadBottom;
            words[Conv2DLayout.PadRight] = window.PadRight;
            words[Conv2DLayout.Groups] = groups;
            words[Conv2DLayout.ActivationMin] = activationMin;
            words[Conv2DLayout.ActivationMax] = activationMax;
        }

        private static void SetFour(int[] words, int first, IReadOnlyList<int> values)
        {
            if (values.Count != 4)
            {
                throw new ArgumentException($"{values.Count} values for a four-word field; the device's 4-D view needs exactly 4.", nameof(values));
            }

            for (int dim = 0; dim < 4; dim++)
            {
                words[first + dim] = values[dim];
            }
        }
    }
}
