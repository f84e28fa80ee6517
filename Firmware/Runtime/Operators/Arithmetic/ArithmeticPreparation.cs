namespace NanoInt8.Runtime.Operators
{
    /// <summary>
    /// Prepare for the Arithmetic family: fills each operator record (ArithmeticOperators.cs) from a
    /// validated operator once, when the interpreter is created. It lives here, beside the family,
    /// and not in the records, because the records are in the device's lower assembly
    /// (NanoInt8.Kernels), which knows nothing of the model.
    /// </summary>
    internal static class ArithmeticPreparation
    {
        // Prepare: the shape is read from the decoded tensor table and the strides from the
        // parameter words, where they already are.
        private static void FillBroadcast(BroadcastOperator record, OperatorView op, sbyte[] arena, int a, int b, int aStrides, int bStrides, int activationMin, int activationMax)
        {
            Model model = op.Model;
            int aTensor = op.Input(a);
            int bTensor = op.Input(b);
            record.A = op.Buffer(aTensor, arena);
            record.AOffset = model.Offset(aTensor);
            record.AZeroPoint = model.ZeroPoint(aTensor);
            record.B = op.Buffer(bTensor, arena);
            record.BOffset = model.Offset(bTensor);
            record.BZeroPoint = model.ZeroPoint(bTensor);
            record.Output = arena;
            record.OutputOffset = model.Offset(op.Output);
            record.OutputZeroPoint = model.ZeroPoint(op.Output);
            record.OutputShape = model.Tensors;
            record.OutputShapeOffset = op.Output * Model.TensorFields + Model.TensorDims;
            record.AStrides = op.Words;
            record.AStridesOffset = op.ParameterStart + aStrides;
            record.BStrides = op.Words;
            record.BStridesOffset = op.ParameterStart + bStrides;
            record.ActivationMin = op.Parameter(activationMin);
            record.ActivationMax = op.Parameter(activationMax);
            record.Mode = model.RequantizationMode;
        }

        internal static AddOperator Add(OperatorView op, sbyte[] arena)
        {
            AddOperator record = new AddOperator();
            FillBroadcast(record, op, arena, AddLayout.Operands.A, AddLayout.Operands.B, AddLayout.AStrides, AddLayout.BStrides, AddLayout.ActivationMin, AddLayout.ActivationMax);
            record.LeftShift = op.Parameter(AddLayout.LeftShift);
            record.AMultiplier = op.Parameter(AddLayout.AMultiplier);
            record.AShift = op.Parameter(AddLayout.AShift);
            record.BMultiplier = op.Parameter(AddLayout.BMultiplier);
            record.BShift = op.Parameter(AddLayout.BShift);
            record.OutputMultiplier = op.Parameter(AddLayout.OutputMultiplier);
            record.OutputShift = op.Parameter(AddLayout.OutputShift);
            record.Subtract = op.Parameter(AddLayout.Subtract) != 0;
            return record;
        }

        internal static MulOperator Mul(OperatorView op, sbyte[] arena)
        {
            MulOperator record = new MulOperator();
            FillBroadcast(record, op, arena, MulLayout.Operands.A, MulLayout.Operands.B, MulLayout.AStrides, MulLayout.BStrides, MulLayout.ActivationMin, MulLayout.ActivationMax);
            record.OutputMultiplier = op.Parameter(MulLayout.OutputMultiplier);
            record.OutputShift = op.Parameter(MulLayout.OutputShift);
            return record;
        }

        internal static RequantizeOperator Requantize(OperatorView op, sbyte[] arena)
        {
            RequantizeOperator record = new RequantizeOperator();
            Model model = op.Model;
            int input = op.Input(RequantizeLayout.Operands.Input);
            record.Input = op.Buffer(input, arena);
            record.InputOffset = model.Offset(input);
            record.InputZeroPoint = model.ZeroPoint(input);
            record.Count = model.ElementCount(op.Output);
            record.Output = arena;
            record.OutputOffset = model.Offset(op.Output);
            record.OutputZeroPoint = model.ZeroPoint(op.Output);
            record.Multiplier = op.Parameter(RequantizeLayout.Multiplier);
            record.Shift = op.Parameter(RequantizeLayout.Shift);
            record.ActivationMin = op.Parameter(RequantizeLayout.ActivationMin);
            record.ActivationMax = op.Parameter(RequantizeLayout.ActivationMax);
            record.Mode = model.RequantizationMode;
            return record;
        }
    }
}
