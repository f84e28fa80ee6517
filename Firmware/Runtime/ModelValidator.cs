using NanoInt8.Runtime.Operators;

namespace NanoInt8.Runtime
{
    /// <summary>
    /// The operator half of model validation: each operator through its family's checks
    /// (Operators/&lt;family&gt;/*Validation.cs), the packed-operand scratch, the execution order and
    /// the memory plan. After it passed, every kernel call the interpreter makes stays inside its
    /// arrays and its int32 arithmetic cannot overflow.
    /// </summary>
    internal static class ModelValidator
    {
        /// <summary>True when an operator of this known code may have these input and parameter counts.</summary>
        internal static bool HasValidOperandCounts(int code, int inputCount, int parameterCount)
        {
            int expectedInputs = OperatorRegistry.InputCount(code);
            if (expectedInputs < 0 ? inputCount < 1 || inputCount > ModelFormat.MaxConcatInputs : inputCount != expectedInputs)
            {
                return false;
            }

            return parameterCount == inputCount + 1 + OperatorRegistry.ParameterCount(code, inputCount);
        }

        /// <summary>
        /// Checks every operator's operands and parameters, and that the header's scratchWords is
        /// exactly what the packed operators need (so deviceBytes counts no more and no less).
        /// </summary>
        internal static ModelError ValidateOperators(Model model)
        {
            OperatorView op = new OperatorView(model);
            long scratchWords = 0;
            for (int index = 0; index < model.OperatorCount; index++)
            {
                op.MoveTo(index);
                if (!model.IsArenaInt8(op.Output))
                {
                    return ModelError.BadOperand;
                }

                OperatorFamily family = OperatorRegistry.For(op.Code);
                ModelError error = family.Validate(op);
                if (error != ModelError.None)
                {
                    return error;
                }

                long words = family.ScratchWords(op);
                if (words > scratchWords)
                {
                    scratchWords = words;
                }
            }

            return scratchWords == model.ScratchWords ? ModelError.None : ModelError.BadParameter;
        }

        /// <summary>
        /// Checks the execution order and the memory plan. Every arena tensor an operator reads
        /// must be a graph input or written by an earlier operator (so the operator list has no
        /// cycles), no tensor is written twice, and no write overlaps an arena tensor that is still
        /// live, except an elementwise operator writing exactly over an input that dies with it.
        /// </summary>
        internal static ModelError ValidatePlan(Model model)
        {
            int[] tensors = model.Tensors;
            int operatorCount = model.OperatorCount;
            OperatorView op = new OperatorView(model);

            for (int i = 0; i < model.InputCount; i++)
            {
                tensors[model.GraphIo[i] * Model.TensorFields + Model.TensorProducer] = -2;
            }

            // Last use of every tensor: the last operator reading it, or past the end for graph outputs.
            for (int index = 0; index < operatorCount; index++)
            {
                op.MoveTo(index);
                for (int i = 0; i < op.InputCount; i++)
                {
                    tensors[op.Input(i) * Model.TensorFields + Model.TensorLastUse] = index;
                }
            }

            for (int i = 0; i < model.OutputCount; i++)
            {
                tensors[model.GraphIo[model.InputCount + i] * Model.TensorFields + Model.TensorLastUse] = operatorCount;
            }

            for (int index = 0; index < operatorCount; index++)
            {
                op.MoveTo(index);
                for (int i = 0; i < op.InputCount; i++)
                {
                    int record = op.Input(i) * Model.TensorFields;
                    if (tensors[record + Model.TensorStorage] == ModelFormat.StorageArena && tensors[record + Model.TensorProducer] == -1)
                    {
                        return ModelError.OrderViolation;
                    }
                }

                int outputRecord = op.Output * Model.TensorFields;
                if (tensors[outputRecord + Model.TensorProducer] != -1)
                {
                    return ModelError.OrderViolation;
                }

                ModelError error = CheckWriteIsSafe(op);
                if (error != ModelError.None)
                {
                    return error;
                }

                tensors[outputRecord + Model.TensorProducer] = index;
            }

            for (int i = 0; i < model.OutputCount; i++)
            {
                if (tensors[model.GraphIo[model.InputCount + i] * Model.TensorFields + Model.TensorProducer] == -1)
                {
                    return ModelError.OrderViolation;
                }
            }

            return ModelError.None;
        }

        // The output of operator op must not overlap any arena tensor that holds a value still
        // needed at this step (written before and read at or after op, or a graph output).
        private static ModelError CheckWriteIsSafe(OperatorView op)
        {
            Model model = op.Model;
            int[] tensors = model.Tensors;
            int output = op.Output;
            int outputRecord = output * Model.TensorFields;
            int start = tensors[outputRecord + Model.TensorOffset];
            int end = start + tensors[outputRecord + Model.TensorElementCount];
            bool elementwise = OperatorRegistry.RunsInPlace(op.Code);
            for (int tensor = 0; tensor < model.TensorCount; tensor++)
            {
                int record = tensor * Model.TensorFields;
                if (tensor == output || tensors[record + Model.TensorStorage] != ModelFormat.StorageArena
                    || tensors[record + Model.TensorProducer] == -1 || tensors[record + Model.TensorLastUse] < op.Index)
                {
                    continue;
                }

                int otherStart = tensors[record + Model.TensorOffset];
                int otherEnd = otherStart + tensors[record + Model.TensorElementCount];
                if (otherEnd <= start || end <= otherStart)
                {
                    continue;
                }

                // In place only over input 0, the operand an elementwise operator or a copy maps element by element.
                bool inPlace = elementwise && tensor == op.Input(0)
                    && tensors[record + Model.TensorLastUse] == op.Index
                    && otherStart == start && otherEnd == end;
                if (!inPlace)
                {
                    return ModelError.ArenaOverlap;
                }
            }

            return ModelError.None;
        }
    }
}
