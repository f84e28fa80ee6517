namespace NanoInt8.Runtime.Operators
{
    /// <summary>
    /// The checks of the rescaling arithmetic: Add, Mul (codes 3, 4; broadcasting through element
    /// strides) and Requantize (code 14).
    /// </summary>
    internal static class ArithmeticValidation
    {
        /// <summary>
        /// Add (code 3): leftShift at most 22 and input shifts at most 0 (multipliers below one, as
        /// TFLite's MultiplyByQuantizedMultiplierSmallerThanOneExp), so a' ± b' fits int32; every
        /// output index maps inside both operands.
        /// </summary>
        internal static ModelError ValidateAdd(OperatorView op)
        {
            Model model = op.Model;
            int leftShift = op.Parameter(AddLayout.LeftShift);
            int subtract = op.Parameter(AddLayout.Subtract);
            if (!HasInt8Operands(op, AddLayout.Operands.A, AddLayout.Operands.B))
            {
                return ModelError.BadOperand;
            }

            if (leftShift < 0 || leftShift > ModelReader.MaxAddLeftShift
                || !OperatorChecks.IsValidPair(model, op.Parameter(AddLayout.AMultiplier), op.Parameter(AddLayout.AShift)) || op.Parameter(AddLayout.AShift) > 0
                || !OperatorChecks.IsValidPair(model, op.Parameter(AddLayout.BMultiplier), op.Parameter(AddLayout.BShift)) || op.Parameter(AddLayout.BShift) > 0
                || !OperatorChecks.IsValidPair(model, op.Parameter(AddLayout.OutputMultiplier), op.Parameter(AddLayout.OutputShift))
                || !OperatorChecks.IsActivationRange(op.Parameter(AddLayout.ActivationMin), op.Parameter(AddLayout.ActivationMax))
                || subtract < 0 || subtract > 1)
            {
                return ModelError.BadParameter;
            }

            return HaveStridesInside(op, AddLayout.AStrides, AddLayout.Operands.A, AddLayout.BStrides, AddLayout.Operands.B);
        }

        /// <summary>Mul (code 4): a valid pair and clamp; every output index maps inside both operands.</summary>
        internal static ModelError ValidateMul(OperatorView op)
        {
            if (!HasInt8Operands(op, MulLayout.Operands.A, MulLayout.Operands.B))
            {
                return ModelError.BadOperand;
            }

            if (!OperatorChecks.IsValidPair(op.Model, op.Parameter(MulLayout.OutputMultiplier), op.Parameter(MulLayout.OutputShift))
                || !OperatorChecks.IsActivationRange(op.Parameter(MulLayout.ActivationMin), op.Parameter(MulLayout.ActivationMax)))
            {
                return ModelError.BadParameter;
            }

            return HaveStridesInside(op, MulLayout.AStrides, MulLayout.Operands.A, MulLayout.BStrides, MulLayout.Operands.B);
        }

        /// <summary>Requantize (code 14): a valid pair and clamp, as many output elements as input elements.</summary>
        internal static ModelError ValidateRequantize(OperatorView op)
        {
            Model model = op.Model;
            int input = op.Input(RequantizeLayout.Operands.Input);
            if (!model.IsInt8(input))
            {
                return ModelError.BadOperand;
            }

            if (!OperatorChecks.IsValidPair(model, op.Parameter(RequantizeLayout.Multiplier), op.Parameter(RequantizeLayout.Shift))
                || !OperatorChecks.IsActivationRange(op.Parameter(RequantizeLayout.ActivationMin), op.Parameter(RequantizeLayout.ActivationMax)))
            {
                return ModelError.BadParameter;
            }

            return model.ElementCount(input) == model.ElementCount(op.Output) ? ModelError.None : ModelError.ShapeMismatch;
        }

        private static bool HasInt8Operands(OperatorView op, int a, int b)
        {
            return op.Model.IsInt8(op.Input(a)) && op.Model.IsInt8(op.Input(b));
        }

        private static ModelError HaveStridesInside(OperatorView op, int aStrides, int a, int bStrides, int b)
        {
            return OperatorChecks.StridesStayInside(op, aStrides, op.Input(a)) && OperatorChecks.StridesStayInside(op, bStrides, op.Input(b))
                ? ModelError.None
                : ModelError.ShapeMismatch;
        }
    }
}
