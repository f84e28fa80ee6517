using NanoInt8.Runtime.Kernels;

namespace NanoInt8.Runtime.Operators
{
    /// <summary>
    /// What every convolution kernel reads (codes 1, 16, 17, 18, 19, 24, 25): input [N, C, H, W] and
    /// output [N, O, OH, OW] in their buffers, the filter's geometry, the per-channel bias,
    /// multiplier and shift, the window and the clamp. The filter array is the subclass's: int8
    /// weights or lanes, or int32 packed words.
    /// </summary>
    public abstract class ConvolutionOperator : PreparedOperator
    {
        /// <summary>Fields of this class: what a subclass adds to.</summary>
        public const int FieldCount = 29;

        /// <summary>Input tensor [Batches, InputChannels, InputHeight, InputWidth] (the arena or the int8 constants).</summary>
        public sbyte[] Input;
        /// <summary>Index of the input's first element.</summary>
        public int InputOffset;
        /// <summary>Batch count N.</summary>
        public int Batches;
        /// <summary>Input channel count C.</summary>
        public int InputChannels;
        /// <summary>Input height H.</summary>
        public int InputHeight;
        /// <summary>Input width W.</summary>
        public int InputWidth;
        /// <summary>Input zero point zi, the value read in the padding.</summary>
        public int InputZeroPoint;
        /// <summary>Index of the filter's first element in the subclass's filter array.</summary>
        public int FilterOffset;
        /// <summary>Output channel count O.</summary>
        public int OutputChannels;
        /// <summary>Filter height KH.</summary>
        public int FilterHeight;
        /// <summary>Filter width KW.</summary>
        public int FilterWidth;
        /// <summary>Per-output-channel bias, the input zero point folded in.</summary>
        public int[] Bias;
        /// <summary>Index of bias[0].</summary>
        public int BiasOffset;
        /// <summary>Per-output-channel quantized multiplier.</summary>
        public int[] Multiplier;
        /// <summary>Index of multiplier[0].</summary>
        public int MultiplierOffset;
        /// <summary>Per-output-channel shift.</summary>
        public int[] Shift;
        /// <summary>Index of shift[0].</summary>
        public int ShiftOffset;
        /// <summary>Output tensor [Batches, OutputChannels, OutputHeight, OutputWidth].</summary>
        public sbyte[] Output;
        /// <summary>Index of the output's first element.</summary>
        public int OutputOffset;
        /// <summary>Output height OH.</summary>
        public int OutputHeight;
        /// <summary>Output width OW.</summary>
        public int OutputWidth;
        /// <summary>Output zero point zo.</summary>
        public int OutputZeroPoint;
        /// <summary>Vertical stride.</summary>
        public int StrideHeight;
        /// <summary>Horizontal stride.</summary>
        public int StrideWidth;
        /// <summary>Rows of padding above the input.</summary>
        public int PadTop;
        /// <summary>Columns of padding left of the input.</summary>
        public int PadLeft;
        /// <summary>Lower clamp bound.</summary>
        public int ActivationMin;
        /// <summary>Upper clamp bound.</summary>
        public int ActivationMax;
        /// <summary>Requantization mode of the model (<see cref="Requantization"/>).</summary>
        public int Mode;

        /// <summary>An empty record, for a caller that fills the fields itself.</summary>
        protected ConvolutionOperator()
        {
        }
    }

    /// <summary>Conv2D (code 1), run by <see cref="Conv2DKernel"/>: an int8 filter [O, C/groups, KH, KW], any groups and dilation.</summary>
    public sealed class Conv2DOperator : ConvolutionOperator
    {
        /// <summary>Fields, inherited ones included.</summary>
        public new const int FieldCount = ConvolutionOperator.FieldCount + 4;

        /// <summary>Filter weights [O, C / groups, KH, KW], zero point 0.</summary>
        public sbyte[] Filter;
        /// <summary>Vertical dilation.</summary>
        public int DilationHeight;
        /// <summary>Horizontal dilation.</summary>
        public int DilationWidth;
        /// <summary>Group count (InputChannels for depthwise); output channel o reads the input channels of group o / (O / groups).</summary>
        public int Groups;

        /// <summary>An empty record, for a caller that fills the fields itself.</summary>
        public Conv2DOperator()
        {
        }

        /// <inheritdoc />
        public override void Invoke()
        {
            Conv2DKernel.Eval(this);
        }
    }

    /// <summary>DepthwiseConv3x3 (code 17), run by <see cref="DepthwiseConv3x3Kernel"/>: Conv2D's operands with groups = C = O, a 3x3 filter, no dilation.</summary>
    public sealed class DepthwiseConv3x3Operator : ConvolutionOperator
    {
        /// <summary>Fields, inherited ones included.</summary>
        public new const int FieldCount = ConvolutionOperator.FieldCount + 1;

        /// <summary>Filter weights [C, 1, 3, 3], zero point 0.</summary>
        public sbyte[] Filter;

        /// <summary>An empty record, for a caller that fills the fields itself.</summary>
        public DepthwiseConv3x3Operator()
        {
        }

        /// <inheritdoc />
        public override void Invoke()
        {
            DepthwiseConv3x3Kernel.Eval(this);
        }
    }

    /// <summary>
    /// What the two-lane packed convolutions add (codes 16, 18): the packed filter words, the
    /// bottom and right padding of the packed input, and the interpreter's scratch it is packed into.
    /// </summary>
    public abstract class PackedConvolutionOperator : ConvolutionOperator
    {
        /// <summary>Fields, inherited ones included: what a subclass adds to.</summary>
        public new const int FieldCount = ConvolutionOperator.FieldCount + 4;

        /// <summary>Packed filter words (int32, two taps each; docs/model-format.md codes 16 and 18).</summary>
        public int[] Filter;
        /// <summary>Rows of padding below the input.</summary>
        public int PadBottom;
        /// <summary>Columns of padding right of the input.</summary>
        public int PadRight;
        /// <summary>The packed padded input, overwritten on every call (at least the kernel's ScratchWords).</summary>
        public long[] Scratch;

        /// <summary>An empty record, for a caller that fills the fields itself.</summary>
        protected PackedConvolutionOperator()
        {
        }
    }

    /// <summary>Conv2DPacked (code 16), run by <see cref="Conv2DPackedKernel.Eval"/>: two input channels per 64-bit multiply.</summary>
    public sealed class Conv2DPackedOperator : PackedConvolutionOperator
    {
        /// <summary>Fields, inherited ones included.</summary>
        public new const int FieldCount = PackedConvolutionOperator.FieldCount;

        /// <summary>An empty record, for a caller that fills the fields itself.</summary>
        public Conv2DPackedOperator()
        {
        }

        /// <inheritdoc />
        public override void Invoke()
        {
            Conv2DPackedKernel.Eval(this);
        }
    }

    /// <summary>Conv2DPackedTaps (code 18), run by <see cref="Conv2DPackedKernel.EvalTapPairs"/>: one input channel, two adjacent taps per 64-bit multiply.</summary>
    public sealed class Conv2DPackedTapsOperator : PackedConvolutionOperator
    {
        /// <summary>Fields, inherited ones included.</summary>
        public new const int FieldCount = PackedConvolutionOperator.FieldCount;

        /// <summary>An empty record, for a caller that fills the fields itself.</summary>
        public Conv2DPackedTapsOperator()
        {
        }

        /// <inheritdoc />
        public override void Invoke()
        {
            Conv2DPackedKernel.EvalTapPairs(this);
        }
    }

    /// <summary>Conv2DTriple (code 19), run by <see cref="Conv2DTripleKernel"/>: three products per 64-bit multiply.</summary>
    public sealed class Conv2DTripleOperator : ConvolutionOperator
    {
        /// <summary>Fields, inherited ones included.</summary>
        public new const int FieldCount = ConvolutionOperator.FieldCount + 4;

        /// <summary>Filter lanes, int8, in the kernel's word order (Conv2DTripleKernel.PackFilter).</summary>
        public sbyte[] Filter;
        /// <summary>Rows of padding below the input.</summary>
        public int PadBottom;
        /// <summary>Columns of padding right of the input.</summary>
        public int PadRight;
        /// <summary>The filter words and the packed padded input, overwritten on every call (at least the kernel's ScratchWords).</summary>
        public long[] Scratch;

        /// <summary>An empty record, for a caller that fills the fields itself.</summary>
        public Conv2DTripleOperator()
        {
        }

        /// <inheritdoc />
        public override void Invoke()
        {
            Conv2DTripleKernel.Eval(this);
        }
    }

    /// <summary>
    /// DepthwiseConv3x3Lanes (code 25), run by <see cref="DepthwiseConv3x3LanesKernel"/>: Conv2D's
    /// operands for a depthwise 3x3 filter, three products per 64-bit multiply, the store through
    /// the clamp table.
    /// </summary>
    public sealed class DepthwiseConv3x3LanesOperator : ConvolutionOperator
    {
        /// <summary>Fields, inherited ones included.</summary>
        public new const int FieldCount = ConvolutionOperator.FieldCount + 3;

        /// <summary>Filter weights [C, 1, 3, 3], zero point 0.</summary>
        public sbyte[] Filter;
        /// <summary>The clamp table (the int8 constants): entry TableZero + v is clamp(v, min, max).</summary>
        public sbyte[] Table;
        /// <summary>Index of the clamp table's entry for the value 0, from the table's first element.</summary>
        public int TableZero;

        /// <summary>An empty record, for a caller that fills the fields itself.</summary>
        public DepthwiseConv3x3LanesOperator()
        {
        }

        /// <inheritdoc />
        public override void Invoke()
        {
            DepthwiseConv3x3LanesKernel.Eval(this);
        }
    }
}
