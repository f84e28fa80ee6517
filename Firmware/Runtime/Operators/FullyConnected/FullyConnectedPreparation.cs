namespace NanoInt8.Runtime.Operators
{
    /// <summary>
    /// Prepare for the FullyConnected family: fills each operator record (FullyConnectedOperator.cs) from a
    /// validated operator once, when the interpreter is created. It lives here, beside the family,
    /// and not in the records, because the records are in the device's lower assembly
    /// (NanoInt8.Kernels), which knows nothing of the model.
    /// </summary>
    internal static class FullyConnectedPreparation
    {
        // Prepare: K is the input's last dim, O the output's (the filter's layout differs per code).
        private static void FillDense(DenseOperator record, OperatorView op, sbyte[] arena)
        {
            Model model = op.Model;
            int input = op.Input(FullyConnectedLayout.Operands.Input);
            int output = op.Output;
            record.Input = op.Buffer(input, arena);
            record.InputOffset = model.Offset(input);
            record.Depth = model.Dim(input, 3);
            record.Rows = model.ElementCount(input) / record.Depth;
            record.FilterOffset = model.Offset(op.Input(FullyConnectedLayout.Operands.Filter));
            record.OutputDepth = model.Dim(output, 3);
            record.Bias = model.Int32Constants;
            record.BiasOffset = model.Offset(op.Input(FullyConnectedLayout.Operands.Bias));
            record.Multiplier = model.Int32Constants;
            record.MultiplierOffset = model.Offset(op.Input(FullyConnectedLayout.Operands.Multiplier));
            record.Shift = model.Int32Constants;
            record.ShiftOffset = model.Offset(op.Input(FullyConnectedLayout.Operands.Shift));
            record.Output = arena;
            record.OutputOffset = model.Offset(output);
            record.OutputZeroPoint = model.ZeroPoint(output);
            record.ActivationMin = op.Parameter(FullyConnectedLayout.ActivationMin);
            record.ActivationMax = op.Parameter(FullyConnectedLayout.ActivationMax);
            record.Mode = model.RequantizationMode;
        }

        internal static FullyConnectedOperator FullyConnected(OperatorView op, sbyte[] arena)
        {
            FullyConnectedOperator record = new FullyConnectedOperator();
            FillDense(record, op, arena);
            record.Filter = op.Model.Int8Constants;
            return record;
        }

        internal static FullyConnectedPackedOperator FullyConnectedPacked(OperatorView op, sbyte[] arena, long[] scratch)
        {
            FullyConnectedPackedOperator record = new FullyConnectedPackedOperator();
            FillDense(record, op, arena);
            record.Filter = op.Model.Int32Constants;
            record.Scratch = scratch;
            return record;
        }

        internal static FullyConnectedTripleOperator FullyConnectedTriple(OperatorView op, sbyte[] arena, long[] scratch)
        {
            FullyConnectedTripleOperator record = new FullyConnectedTripleOperator();
            FillDense(record, op, arena);
            record.Filter = op.Model.Int64Constants;
            record.Scratch = scratch;
            return record;
        }

        internal static FullyConnectedLanesOperator FullyConnectedLanes(OperatorView op, sbyte[] arena, long[] scratch)
        {
            Model model = op.Model;
            FullyConnectedLanesOperator record = new FullyConnectedLanesOperator();
            FillDense(record, op, arena);
            record.Filter = model.Int64Constants;
            record.Scratch = scratch;
            record.Table = model.Int8Constants;
            record.TableZero = model.Offset(op.Input(FullyConnectedLanesLayout.Operands.Table)) + op.Parameter(FullyConnectedLanesLayout.TableZero);
            record.BlockWords = op.Parameter(FullyConnectedLanesLayout.BlockWords);
            return record;
        }
    }
}
