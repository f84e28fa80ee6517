namespace NanoInt8.Runtime.Operators
{
    /// <summary>
    /// Prepare for the Pooling family: fills each operator record (PoolingOperators.cs) from a
    /// validated operator once, when the interpreter is created. It lives here, beside the family,
    /// and not in the records, because the records are in the device's lower assembly
    /// (NanoInt8.Kernels), which knows nothing of the model.
    /// </summary>
    internal static class PoolingPreparation
    {
        internal static MaxPoolOperator MaxPool(OperatorView op, sbyte[] arena)
        {
            MaxPoolOperator record = new MaxPoolOperator();
            Model model = op.Model;
            int input = op.Input(MaxPoolLayout.Operands.Input);
            record.Input = op.Buffer(input, arena);
            record.InputOffset = model.Offset(input);
            record.Batches = model.Dim(input, 0);
            record.Channels = model.Dim(input, 1);
            record.InputHeight = model.Dim(input, 2);
            record.InputWidth = model.Dim(input, 3);
            record.Output = arena;
            record.OutputOffset = model.Offset(op.Output);
            record.OutputHeight = model.Dim(op.Output, 2);
            record.OutputWidth = model.Dim(op.Output, 3);
            record.KernelHeight = op.Parameter(MaxPoolLayout.KernelHeight);
            record.KernelWidth = op.Parameter(MaxPoolLayout.KernelWidth);
            record.StrideHeight = op.Parameter(MaxPoolLayout.StrideHeight);
            record.StrideWidth = op.Parameter(MaxPoolLayout.StrideWidth);
            record.DilationHeight = op.Parameter(MaxPoolLayout.DilationHeight);
            record.DilationWidth = op.Parameter(MaxPoolLayout.DilationWidth);
            record.PadTop = op.Parameter(MaxPoolLayout.PadTop);
            record.PadLeft = op.Parameter(MaxPoolLayout.PadLeft);
            record.ActivationMin = op.Parameter(MaxPoolLayout.ActivationMin);
            record.ActivationMax = op.Parameter(MaxPoolLayout.ActivationMax);
            return record;
        }

        internal static AveragePoolOperator AveragePool(OperatorView op, sbyte[] arena)
        {
            AveragePoolOperator record = new AveragePoolOperator();
            Model model = op.Model;
            int input = op.Input(AveragePoolLayout.Operands.Input);
            record.Input = op.Buffer(input, arena);
            record.InputOffset = model.Offset(input);
            record.Batches = model.Dim(input, 0);
            record.Channels = model.Dim(input, 1);
            record.InputHeight = model.Dim(input, 2);
            record.InputWidth = model.Dim(input, 3);
            record.InputZeroPoint = model.ZeroPoint(input);
            record.Output = arena;
            record.OutputOffset = model.Offset(op.Output);
            record.OutputHeight = model.Dim(op.Output, 2);
            record.OutputWidth = model.Dim(op.Output, 3);
            record.OutputZeroPoint = model.ZeroPoint(op.Output);
            record.KernelHeight = op.Parameter(AveragePoolLayout.KernelHeight);
            record.KernelWidth = op.Parameter(AveragePoolLayout.KernelWidth);
            record.StrideHeight = op.Parameter(AveragePoolLayout.StrideHeight);
            record.StrideWidth = op.Parameter(AveragePoolLayout.StrideWidth);
            record.PadTop = op.Parameter(AveragePoolLayout.PadTop);
            record.PadLeft = op.Parameter(AveragePoolLayout.PadLeft);
            record.PadBottom = op.Parameter(AveragePoolLayout.PadBottom);
            record.PadRight = op.Parameter(AveragePoolLayout.PadRight);
            record.CountIncludePad = op.Parameter(AveragePoolLayout.CountIncludePad) != 0;
            record.Multiplier = model.Int32Constants;
            record.MultiplierOffset = model.Offset(op.Input(AveragePoolLayout.Operands.Multiplier));
            record.Shift = model.Int32Constants;
            record.ShiftOffset = model.Offset(op.Input(AveragePoolLayout.Operands.Shift));
            record.ActivationMin = op.Parameter(AveragePoolLayout.ActivationMin);
            record.ActivationMax = op.Parameter(AveragePoolLayout.ActivationMax);
            record.Mode = model.RequantizationMode;
            return record;
        }

        internal static GlobalAveragePoolOperator GlobalAveragePool(OperatorView op, sbyte[] arena)
        {
            GlobalAveragePoolOperator record = new GlobalAveragePoolOperator();
            Model model = op.Model;
            int input = op.Input(GlobalAveragePoolLayout.Operands.Input);
            record.Input = op.Buffer(input, arena);
            record.InputOffset = model.Offset(input);
            record.Batches = model.Dim(input, 0);
            record.Channels = model.Dim(input, 1);
            record.SpatialSize = model.Dim(input, 2) * model.Dim(input, 3);
            record.InputZeroPoint = model.ZeroPoint(input);
            record.Output = arena;
            record.OutputOffset = model.Offset(op.Output);
            record.OutputZeroPoint = model.ZeroPoint(op.Output);
            record.Multiplier = op.Parameter(GlobalAveragePoolLayout.Multiplier);
            record.Shift = op.Parameter(GlobalAveragePoolLayout.Shift);
            record.ActivationMin = op.Parameter(GlobalAveragePoolLayout.ActivationMin);
            record.ActivationMax = op.Parameter(GlobalAveragePoolLayout.ActivationMax);
            record.Mode = model.RequantizationMode;
            return record;
        }
    }
}
