using NanoInt8.Runtime.Kernels;

namespace NanoInt8.Runtime.Operators
{
    /// <summary>Concat (code 8), run by <see cref="ConcatKernel"/>: each input copied (or requantized) into its slice of the output.</summary>
    public sealed class ConcatOperator : PreparedOperator
    {
        /// <summary>Fields.</summary>
        public const int FieldCount = 6;

        /// <summary>Output tensor.</summary>
        public sbyte[] Output;
        /// <summary>Output zero point zo.</summary>
        public int OutputZeroPoint;
        /// <summary>Product of the output's dims before the axis (right-aligned 4-D).</summary>
        public int OuterCount;
        /// <summary>Output elements per block: the product of the output's dims from the axis on.</summary>
        public int OutputInnerSize;
        /// <summary>Requantization mode of the model (<see cref="Requantization"/>).</summary>
        public int Mode;
        /// <summary>The inputs in order, each with its slice of the output.</summary>
        public ConcatInput[] Inputs;

        /// <summary>An empty record, for a caller that fills the fields itself.</summary>
        public ConcatOperator()
        {
        }

        /// <summary>Heap bytes of a record with <paramref name="inputCount"/> inputs: itself, its array of inputs and the inputs.</summary>
        public static long HeapBytes(int inputCount)
        {
            return ObjectBytes(FieldCount) + ArrayBytes(inputCount, HeapBlockBytes) + (long)inputCount * ObjectBytes(ConcatInput.FieldCount);
        }

        /// <inheritdoc />
        public override void Invoke()
        {
            ConcatKernel.Eval(this);
        }
    }

    /// <summary>One input of a <see cref="ConcatOperator"/>: where it is and where its blocks go.</summary>
    public sealed class ConcatInput
    {
        /// <summary>Fields.</summary>
        public const int FieldCount = 7;

        /// <summary>The input tensor (the arena or the int8 constants).</summary>
        public sbyte[] Input;
        /// <summary>Index of the input's first element.</summary>
        public int InputOffset;
        /// <summary>Input zero point zi.</summary>
        public int InputZeroPoint;
        /// <summary>Input elements per block: the product of the input's dims from the axis on.</summary>
        public int InnerSize;
        /// <summary>Index in the output of the input's first element.</summary>
        public int OutputOffset;
        /// <summary>0 for a plain copy (zero points equal), else the multiplier for inputScale / outputScale.</summary>
        public int Multiplier;
        /// <summary>Shift of the same ratio.</summary>
        public int Shift;
    }

    /// <summary>Pad (code 9), run by <see cref="PadKernel"/>: constant padding.</summary>
    public sealed class PadOperator : PreparedOperator
    {
        /// <summary>Fields.</summary>
        public const int FieldCount = 11;

        /// <summary>Input tensor (the arena or the int8 constants).</summary>
        public sbyte[] Input;
        /// <summary>Index of the input's first element.</summary>
        public int InputOffset;
        /// <summary>Four dims of the input, right-aligned, from <see cref="InputShapeOffset"/> on.</summary>
        public int[] InputShape;
        /// <summary>Index of the input's first dim.</summary>
        public int InputShapeOffset;
        /// <summary>Output tensor (not overlapping the input).</summary>
        public sbyte[] Output;
        /// <summary>Index of the output's first element.</summary>
        public int OutputOffset;
        /// <summary>Four dims of the output, right-aligned, from <see cref="OutputShapeOffset"/> on.</summary>
        public int[] OutputShape;
        /// <summary>Index of the output's first dim.</summary>
        public int OutputShapeOffset;
        /// <summary>Four leading pads, from <see cref="PadBeforeOffset"/> on.</summary>
        public int[] PadBefore;
        /// <summary>Index of the first leading pad.</summary>
        public int PadBeforeOffset;
        /// <summary>Value of the new elements (-128 .. 127).</summary>
        public int PadValue;

        /// <summary>An empty record, for a caller that fills the fields itself.</summary>
        public PadOperator()
        {
        }

        /// <inheritdoc />
        public override void Invoke()
        {
            PadKernel.Eval(this);
        }
    }

    /// <summary>Reshape (code 10), run by <see cref="ReshapeKernel"/>: a copy, or nothing when input and output share their bytes.</summary>
    public sealed class ReshapeOperator : PreparedOperator
    {
        /// <summary>Fields.</summary>
        public const int FieldCount = 5;

        /// <summary>Input tensor (the arena or the int8 constants).</summary>
        public sbyte[] Input;
        /// <summary>Index of the input's first element.</summary>
        public int InputOffset;
        /// <summary>Output tensor.</summary>
        public sbyte[] Output;
        /// <summary>Index of the output's first element.</summary>
        public int OutputOffset;
        /// <summary>Number of elements.</summary>
        public int Count;

        /// <summary>An empty record, for a caller that fills the fields itself.</summary>
        public ReshapeOperator()
        {
        }

        /// <inheritdoc />
        public override void Invoke()
        {
            ReshapeKernel.Eval(this);
        }
    }

    /// <summary>Transpose (code 13), run by <see cref="TransposeKernel"/>: any permutation or strided copy.</summary>
    public sealed class TransposeOperator : PreparedOperator
    {
        /// <summary>Fields.</summary>
        public const int FieldCount = 8;

        /// <summary>Input tensor (the arena or the int8 constants).</summary>
        public sbyte[] Input;
        /// <summary>Index of the input's first element.</summary>
        public int InputOffset;
        /// <summary>Output tensor (not overlapping the input).</summary>
        public sbyte[] Output;
        /// <summary>Index of the output's first element.</summary>
        public int OutputOffset;
        /// <summary>Four dims of the output, right-aligned, from <see cref="OutputShapeOffset"/> on.</summary>
        public int[] OutputShape;
        /// <summary>Index of the output's first dim.</summary>
        public int OutputShapeOffset;
        /// <summary>Input element stride along each output dim, from <see cref="InputStridesOffset"/> on.</summary>
        public int[] InputStrides;
        /// <summary>Index of the first stride.</summary>
        public int InputStridesOffset;

        /// <summary>An empty record, for a caller that fills the fields itself.</summary>
        public TransposeOperator()
        {
        }

        /// <inheritdoc />
        public override void Invoke()
        {
            TransposeKernel.Eval(this);
        }
    }

    /// <summary>Slice (code 21), run by <see cref="SliceKernel"/>: a strided window, each axis's start and step folded in.</summary>
    public sealed class SliceOperator : PreparedOperator
    {
        /// <summary>Fields.</summary>
        public const int FieldCount = 10;

        /// <summary>Input tensor (the arena or the int8 constants).</summary>
        public sbyte[] Input;
        /// <summary>Index of the input element the output's first element copies: the input's offset plus Σ start_k·(input element stride along k).</summary>
        public int InputStart;
        /// <summary>Output tensor (not overlapping the input).</summary>
        public sbyte[] Output;
        /// <summary>Index of the output's first element.</summary>
        public int OutputOffset;
        /// <summary>Four dims of the output, right-aligned, from <see cref="OutputShapeOffset"/> on: how many elements each axis takes.</summary>
        public int[] OutputShape;
        /// <summary>Index of the output's first dim.</summary>
        public int OutputShapeOffset;
        /// <summary>Input elements between two output elements along axis 0: step_0 times the input's stride (negative walks backwards).</summary>
        public int InputStride0;
        /// <summary>The same along axis 1.</summary>
        public int InputStride1;
        /// <summary>The same along axis 2.</summary>
        public int InputStride2;
        /// <summary>The same along axis 3, the innermost.</summary>
        public int InputStride3;

        /// <summary>An empty record, for a caller that fills the fields itself.</summary>
        public SliceOperator()
        {
        }

        /// <inheritdoc />
        public override void Invoke()
        {
            SliceKernel.Eval(this);
        }
    }

    /// <summary>
    /// Gather (code 22), run by <see cref="GatherKernel"/>: per right-aligned axis a constant map
    /// from output index to input index; the input's row-major strides resolved once.
    /// </summary>
    public sealed class GatherOperator : PreparedOperator
    {
        /// <summary>Fields.</summary>
        public const int FieldCount = 12;

        /// <summary>Input tensor (the arena or the int8 constants).</summary>
        public sbyte[] Input;
        /// <summary>Index of the input's first element.</summary>
        public int InputOffset;
        /// <summary>Output tensor (not overlapping the input).</summary>
        public sbyte[] Output;
        /// <summary>Index of the output's first element.</summary>
        public int OutputOffset;
        /// <summary>Four dims of the output, right-aligned, from <see cref="OutputShapeOffset"/> on.</summary>
        public int[] OutputShape;
        /// <summary>Index of the output's first dim.</summary>
        public int OutputShapeOffset;
        /// <summary>The index maps (the model's int32 constants), axis 0's first, from <see cref="IndicesOffset"/> on.</summary>
        public int[] Indices;
        /// <summary>Index of axis 0's map; axis k's follows axis k-1's, which has output dim k-1 entries.</summary>
        public int IndicesOffset;
        /// <summary>Input elements between two consecutive indices along axis 0 (the input's row-major stride).</summary>
        public int InputStride0;
        /// <summary>The same along axis 1.</summary>
        public int InputStride1;
        /// <summary>The same along axis 2 (along axis 3 it is 1).</summary>
        public int InputStride2;
        /// <summary>True when axis 3's map is a run of consecutive indices, so each output row is one contiguous input run.</summary>
        public bool ContiguousRows;

        /// <summary>An empty record, for a caller that fills the fields itself.</summary>
        public GatherOperator()
        {
        }

        /// <inheritdoc />
        public override void Invoke()
        {
            GatherKernel.Eval(this);
        }
    }
}
