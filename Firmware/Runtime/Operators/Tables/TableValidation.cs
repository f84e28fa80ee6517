namespace NanoInt8.Runtime.Operators
{
    /// <summary>The checks of the table-driven operators: Lookup and Softmax (codes 11, 12).</summary>
    internal static class TableValidation
    {
        /// <summary>Lookup (code 11): a 256-entry int8 table, as many output elements as input elements.</summary>
        internal static ModelError ValidateLookup(OperatorView op)
        {
            Model model = op.Model;
            int input = op.Input(LookupLayout.Operands.Input);
            int table = op.Input(LookupLayout.Operands.Table);
            if (!model.IsInt8(input) || !model.IsConstant(table, ModelFormat.TypeInt8))
            {
                return ModelError.BadOperand;
            }

            if (model.ElementCount(table) != 256 || model.ElementCount(input) != model.ElementCount(op.Output))
            {
                return ModelError.ShapeMismatch;
            }

            return ModelError.None;
        }

        /// <summary>
        /// Softmax (code 12): a 256-entry int32 table of entries in [1, 2^20], which keeps the row
        /// sum positive and e·floor(2^47/S) below 2^47; the output shaped as the input.
        /// </summary>
        internal static ModelError ValidateSoftmax(OperatorView op)
        {
            Model model = op.Model;
            int input = op.Input(SoftmaxLayout.Operands.Input);
            int table = op.Input(SoftmaxLayout.Operands.ExpTable);
            if (!model.IsInt8(input) || !model.IsConstant(table, ModelFormat.TypeInt32))
            {
                return ModelError.BadOperand;
            }

            if (model.ElementCount(table) != 256 || !model.SameDims(input, op.Output))
            {
                return ModelError.ShapeMismatch;
            }

            if (!OperatorChecks.IsValidPair(model, op.Parameter(SoftmaxLayout.OutputMultiplier), op.Parameter(SoftmaxLayout.OutputShift)))
            {
                return ModelError.BadParameter;
            }

            if (!OperatorChecks.HasPassed(model, table, OperatorChecks.CheckedExpTable))
            {
                int[] constants = model.Int32Constants;
                int offset = model.Offset(table);
                for (int i = 0; i < 256; i++)
                {
                    int entry = constants[offset + i];
                    if (entry < 1 || entry > 1 << 20)
                    {
                        return ModelError.BadParameter;
                    }
                }

                OperatorChecks.MarkPassed(model, table, OperatorChecks.CheckedExpTable);
            }

            return ModelError.None;
        }
    }
}
