using NanoInt8.Runtime.Kernels;

namespace NanoInt8.Runtime.Operators
{
    /// <summary>MaxPool (code 5), run by <see cref="MaxPoolKernel"/>: input and output quantized alike.</summary>
    public sealed class MaxPoolOperator : PreparedOperator
    {
        /// <summary>Fields.</summary>
        public const int FieldCount = 20;

        /// <summary>Input [Batches, Channels, InputHeight, InputWidth] (the arena or the int8 constants).</summary>
        public sbyte[] Input;
        /// <summary>Index of the input's first element.</summary>
        public int InputOffset;
        /// <summary>Batch count N.</summary>
        public int Batches;
        /// <summary>Channel count C.</summary>
        public int Channels;
        /// <summary>Input height H.</summary>
        public int InputHeight;
        /// <summary>Input width W.</summary>
        public int InputWidth;
        /// <summary>Output [Batches, Channels, OutputHeight, OutputWidth].</summary>
        public sbyte[] Output;
        /// <summary>Index of the output's first element.</summary>
        public int OutputOffset;
        /// <summary>Output height.</summary>
        public int OutputHeight;
        /// <summary>Output width.</summary>
        public int OutputWidth;
        /// <summary>Window height.</summary>
        public int KernelHeight;
        /// <summary>Window width.</summary>
        public int KernelWidth;
        /// <summary>Vertical stride.</summary>
        public int StrideHeight;
        /// <summary>Horizontal stride.</summary>
        public int StrideWidth;
        /// <summary>Vertical dilation.</summary>
        public int DilationHeight;
        /// <summary>Horizontal dilation.</summary>
        public int DilationWidth;
        /// <summary>Rows of padding above the input.</summary>
        public int PadTop;
        /// <summary>Columns of padding left of the input.</summary>
        public int PadLeft;
        /// <summary>Lower clamp bound.</summary>
        public int ActivationMin;
        /// <summary>Upper clamp bound.</summary>
        public int ActivationMax;

        /// <summary>An empty record, for a caller that fills the fields itself.</summary>
        public MaxPoolOperator()
        {
        }

        /// <inheritdoc />
        public override void Invoke()
        {
            MaxPoolKernel.Eval(this);
        }
    }

    /// <summary>AveragePool (code 6), run by <see cref="AveragePoolKernel"/>.</summary>
    public sealed class AveragePoolOperator : PreparedOperator
    {
        /// <summary>Fields.</summary>
        public const int FieldCount = 28;

        /// <summary>Input [Batches, Channels, InputHeight, InputWidth] (the arena or the int8 constants).</summary>
        public sbyte[] Input;
        /// <summary>Index of the input's first element.</summary>
        public int InputOffset;
        /// <summary>Batch count N.</summary>
        public int Batches;
        /// <summary>Channel count C.</summary>
        public int Channels;
        /// <summary>Input height H.</summary>
        public int InputHeight;
        /// <summary>Input width W.</summary>
        public int InputWidth;
        /// <summary>Input zero point zi.</summary>
        public int InputZeroPoint;
        /// <summary>Output [Batches, Channels, OutputHeight, OutputWidth].</summary>
        public sbyte[] Output;
        /// <summary>Index of the output's first element.</summary>
        public int OutputOffset;
        /// <summary>Output height.</summary>
        public int OutputHeight;
        /// <summary>Output width.</summary>
        public int OutputWidth;
        /// <summary>Output zero point zo.</summary>
        public int OutputZeroPoint;
        /// <summary>Window height.</summary>
        public int KernelHeight;
        /// <summary>Window width.</summary>
        public int KernelWidth;
        /// <summary>Vertical stride.</summary>
        public int StrideHeight;
        /// <summary>Horizontal stride.</summary>
        public int StrideWidth;
        /// <summary>Rows of padding above the input.</summary>
        public int PadTop;
        /// <summary>Columns of padding left of the input.</summary>
        public int PadLeft;
        /// <summary>Rows of padding below the input.</summary>
        public int PadBottom;
        /// <summary>Columns of padding right of the input.</summary>
        public int PadRight;
        /// <summary>True when padding counts as real zeros in the divisor.</summary>
        public bool CountIncludePad;
        /// <summary>KernelHeight·KernelWidth multipliers, indexed by count - 1.</summary>
        public int[] Multiplier;
        /// <summary>Index of multiplier[0].</summary>
        public int MultiplierOffset;
        /// <summary>KernelHeight·KernelWidth shifts, indexed by count - 1.</summary>
        public int[] Shift;
        /// <summary>Index of shift[0].</summary>
        public int ShiftOffset;
        /// <summary>Lower clamp bound.</summary>
        public int ActivationMin;
        /// <summary>Upper clamp bound.</summary>
        public int ActivationMax;
        /// <summary>Requantization mode of the model (<see cref="Requantization"/>).</summary>
        public int Mode;

        /// <summary>An empty record, for a caller that fills the fields itself.</summary>
        public AveragePoolOperator()
        {
        }

        /// <inheritdoc />
        public override void Invoke()
        {
            AveragePoolKernel.Eval(this);
        }
    }

    /// <summary>GlobalAveragePool (code 7), run by <see cref="GlobalAveragePoolKernel"/>: the mean over each plane.</summary>
    public sealed class GlobalAveragePoolOperator : PreparedOperator
    {
        /// <summary>Fields.</summary>
        public const int FieldCount = 14;

        /// <summary>Input [Batches, Channels, H, W] (the arena or the int8 constants).</summary>
        public sbyte[] Input;
        /// <summary>Index of the input's first element.</summary>
        public int InputOffset;
        /// <summary>Batch count N.</summary>
        public int Batches;
        /// <summary>Channel count C.</summary>
        public int Channels;
        /// <summary>Elements per plane, H·W.</summary>
        public int SpatialSize;
        /// <summary>Input zero point zi.</summary>
        public int InputZeroPoint;
        /// <summary>Output [Batches, Channels, 1, 1].</summary>
        public sbyte[] Output;
        /// <summary>Index of the output's first element.</summary>
        public int OutputOffset;
        /// <summary>Output zero point zo.</summary>
        public int OutputZeroPoint;
        /// <summary>Multiplier for inputScale / (outputScale · SpatialSize).</summary>
        public int Multiplier;
        /// <summary>Shift of the same ratio.</summary>
        public int Shift;
        /// <summary>Lower clamp bound.</summary>
        public int ActivationMin;
        /// <summary>Upper clamp bound.</summary>
        public int ActivationMax;
        /// <summary>Requantization mode of the model (<see cref="Requantization"/>).</summary>
        public int Mode;

        /// <summary>An empty record, for a caller that fills the fields itself.</summary>
        public GlobalAveragePoolOperator()
        {
        }

        /// <inheritdoc />
        public override void Invoke()
        {
            GlobalAveragePoolKernel.Eval(this);
        }
    }
}
