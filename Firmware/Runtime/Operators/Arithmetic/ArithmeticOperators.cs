using NanoInt8.Runtime.Kernels;

namespace NanoInt8.Runtime.Operators
{
    /// <summary>
    /// What Add and Mul share: two int8 operands broadcast to the output's right-aligned 4-D shape
    /// through element strides (0 along a broadcast dim), the output, the clamp.
    /// </summary>
    public abstract class BroadcastOperator : PreparedOperator
    {
        /// <summary>Fields of this class: what a subclass adds to.</summary>
        public const int FieldCount = 18;

        /// <summary>First operand (the arena or the int8 constants).</summary>
        public sbyte[] A;
        /// <summary>Index of a's first element.</summary>
        public int AOffset;
        /// <summary>Zero point of a.</summary>
        public int AZeroPoint;
        /// <summary>Second operand (the arena or the int8 constants).</summary>
        public sbyte[] B;
        /// <summary>Index of b's first element.</summary>
        public int BOffset;
        /// <summary>Zero point of b.</summary>
        public int BZeroPoint;
        /// <summary>Output tensor.</summary>
        public sbyte[] Output;
        /// <summary>Index of the output's first element.</summary>
        public int OutputOffset;
        /// <summary>Output zero point.</summary>
        public int OutputZeroPoint;
        /// <summary>Four dims of the output, right-aligned, from <see cref="OutputShapeOffset"/> on.</summary>
        public int[] OutputShape;
        /// <summary>Index of the output's first dim in <see cref="OutputShape"/>.</summary>
        public int OutputShapeOffset;
        /// <summary>Four element strides of a along the output's dims, from <see cref="AStridesOffset"/> on.</summary>
        public int[] AStrides;
        /// <summary>Index of a's first stride.</summary>
        public int AStridesOffset;
        /// <summary>Four element strides of b along the output's dims, from <see cref="BStridesOffset"/> on.</summary>
        public int[] BStrides;
        /// <summary>Index of b's first stride.</summary>
        public int BStridesOffset;
        /// <summary>Lower clamp bound.</summary>
        public int ActivationMin;
        /// <summary>Upper clamp bound.</summary>
        public int ActivationMax;
        /// <summary>Requantization mode of the model (<see cref="Requantization"/>).</summary>
        public int Mode;

        /// <summary>An empty record, for a caller that fills the fields itself.</summary>
        protected BroadcastOperator()
        {
        }
    }

    /// <summary>Add (code 3), run by <see cref="AddKernel"/>: TensorFlow Lite's int8 Add or Sub.</summary>
    public sealed class AddOperator : BroadcastOperator
    {
        /// <summary>Fields, inherited ones included.</summary>
        public new const int FieldCount = BroadcastOperator.FieldCount + 8;

        /// <summary>Headroom bits both operands get (at most 22).</summary>
        public int LeftShift;
        /// <summary>Multiplier of a to the common scale.</summary>
        public int AMultiplier;
        /// <summary>Shift of a to the common scale.</summary>
        public int AShift;
        /// <summary>Multiplier of b to the common scale.</summary>
        public int BMultiplier;
        /// <summary>Shift of b to the common scale.</summary>
        public int BShift;
        /// <summary>Multiplier from the common scale to the output.</summary>
        public int OutputMultiplier;
        /// <summary>Shift from the common scale to the output.</summary>
        public int OutputShift;
        /// <summary>True for a - b, false for a + b.</summary>
        public bool Subtract;

        /// <summary>An empty record, for a caller that fills the fields itself.</summary>
        public AddOperator()
        {
        }

        /// <inheritdoc />
        public override void Invoke()
        {
            AddKernel.Eval(this);
        }
    }

    /// <summary>Mul (code 4), run by <see cref="MulKernel"/>.</summary>
    public sealed class MulOperator : BroadcastOperator
    {
        /// <summary>Fields, inherited ones included.</summary>
        public new const int FieldCount = BroadcastOperator.FieldCount + 2;

        /// <summary>Multiplier from aScale·bScale to the output scale.</summary>
        public int OutputMultiplier;
        /// <summary>Shift of the same ratio.</summary>
        public int OutputShift;

        /// <summary>An empty record, for a caller that fills the fields itself.</summary>
        public MulOperator()
        {
        }

        /// <inheritdoc />
        public override void Invoke()
        {
            MulKernel.Eval(this);
        }
    }

    /// <summary>Requantize (code 14), run by <see cref="RequantizeKernel"/>: a change of scale and zero point.</summary>
    public sealed class RequantizeOperator : PreparedOperator
    {
        /// <summary>Fields.</summary>
        public const int FieldCount = 12;

        /// <summary>Input (the arena or the int8 constants).</summary>
        public sbyte[] Input;
        /// <summary>Index of the input's first element.</summary>
        public int InputOffset;
        /// <summary>Input zero point zi.</summary>
        public int InputZeroPoint;
        /// <summary>Number of elements.</summary>
        public int Count;
        /// <summary>Output tensor.</summary>
        public sbyte[] Output;
        /// <summary>Index of the output's first element.</summary>
        public int OutputOffset;
        /// <summary>Output zero point zo.</summary>
        public int OutputZeroPoint;
        /// <summary>Multiplier for inputScale / outputScale.</summary>
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
        public RequantizeOperator()
        {
        }

        /// <inheritdoc />
        public override void Invoke()
        {
            RequantizeKernel.Eval(this);
        }
    }
}
