namespace NanoInt8.Runtime.Operators
{
    /// <summary>
    /// Prepare for the Tables family: fills each operator record (TableOperators.cs) from a
    /// validated operator once, when the interpreter is created. It lives here, beside the family,
    /// and not in the records, because the records are in the device's lower assembly
    /// (NanoInt8.Kernels), which knows nothing of the model.
    /// </summary>
    internal static class TablePreparation
    {
        internal static LookupOperator Lookup(OperatorView op, sbyte[] arena)
        {
            LookupOperator record = new LookupOperator();
            Model model = op.Model;
            int input = op.Input(LookupLayout.Operands.Input);
            record.Input = op.Buffer(input, arena);
            record.InputOffset = model.Offset(input);
            record.Count = model.ElementCount(op.Output);
            record.Table = model.Int8Constants;
            record.TableOffset = model.Offset(op.Input(LookupLayout.Operands.Table));
            record.Output = arena;
            record.OutputOffset = model.Offset(op.Output);
            return record;
        }

        internal static SoftmaxOperator Softmax(OperatorView op, sbyte[] arena)
        {
            SoftmaxOperator record = new SoftmaxOperator();
            Model model = op.Model;
            int input = op.Input(SoftmaxLayout.Operands.Input);
            record.Input = op.Buffer(input, arena);
            record.InputOffset = model.Offset(input);
            record.Depth = model.Dim(input, 3);
            record.Rows = model.ElementCount(input) / record.Depth;
            record.ExpTable = model.Int32Constants;
            record.ExpTableOffset = model.Offset(op.Input(SoftmaxLayout.Operands.ExpTable));
            record.Output = arena;
            record.OutputOffset = model.Offset(op.Output);
            record.OutputZeroPoint = model.ZeroPoint(op.Output);
            record.OutputMultiplier = op.Parameter(SoftmaxLayout.OutputMultiplier);
            record.OutputShift = op.Parameter(SoftmaxLayout.OutputShift);
            record.Mode = model.RequantizationMode;
            return record;
        }
    }
}
