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
        /// exactly what the packed operators need (so deviceBytes counts no more and no less); sets
        /// the model's <see cref="Model.Work"/>. The int32 and int64 constants must not share
        /// elements, so that each constant's values are checked once (<see cref="OperatorChecks"/>).
        /// </summary>
        internal static ModelError ValidateOperators(Model model)
        {
            ModelError error = CheckConstantsApart(model);
            if (error != ModelError.None)
            {
                return error;
            }

            OperatorView op = new OperatorView(model);
            long scratchWords = 0;
            long work = 0;
            for (int index = 0; index < model.OperatorCount; index++)
            {
                op.MoveTo(index);
                if (!model.IsArenaInt8(op.Output))
                {
                    return ModelError.BadOperand;
                }

                OperatorFamily family = OperatorRegistry.For(op.Code);
                error = family.Validate(op);
                if (error != ModelError.None)
                {
                    return error;
                }

                long words = family.ScratchWords(op);
                if (words > scratchWords)
                {
                    scratchWords = words;
                }

                // At most 65,535 operators of at most 2^40 units each: the sum fits a long.
                work += OperatorWork.PerOperator + family.Work(op);
            }

            model.Work = work;
            return scratchWords == model.ScratchWords ? ModelError.None : ModelError.BadParameter;
        }

        /// <summary>
        /// Checks the execution order and the memory plan, in time linear in the number of tensors
        /// and operands. Every arena tensor an operator reads must be a graph input or written by an
        /// earlier operator (so the operator list has no cycles), no tensor is written twice, the
        /// graph inputs do not overlap, and no write overlaps an arena tensor that is still live,
        /// except an elementwise operator writing exactly over its input 0 when that input dies with it.
        /// </summary>
        /// <remarks>
        /// The order pass keeps each tensor's producer in scratch column 0 and its last use in
        /// column 3. The memory plan is then an interval sweep over the steps: the live tensors'
        /// byte ranges never overlap each other (each was checked against the others when it was
        /// written), so a new range overlaps one of them exactly when it overlaps the nearest live
        /// range below its start or the nearest at or above it. The arena tensors are sorted by offset once
        /// (<see cref="TensorSort"/>: the order in column 0, each tensor's rank in column 1) and the
        /// live ones are a <see cref="RankSet"/> of ranks in column 2, so each step costs a few
        /// word operations per operand instead of a pass over every tensor.
        /// </remarks>
        internal static ModelError ValidatePlan(Model model)
        {
            ModelError error = CheckOrder(model);
            return error != ModelError.None ? error : CheckMemoryPlan(model);
        }

        // Scratch columns of the two passes.
        private const int ProducerColumn = Model.TensorScratch0;
        private const int OrderColumn = Model.TensorScratch0;
        private const int RankColumn = Model.TensorScratch1;
        private const int SetColumn = Model.TensorScratch2;
        private const int LastUseColumn = Model.TensorScratch3;

        // Producer of a tensor: the operator writing it, GraphInput, or NotWritten.
        private const int GraphInput = -2;
        private const int NotWritten = -1;

        private static ModelError CheckOrder(Model model)
        {
            int[] tensors = model.Tensors;
            int operatorCount = model.OperatorCount;
            OperatorView op = new OperatorView(model);
            for (int tensor = 0; tensor < model.TensorCount; tensor++)
            {
                tensors[tensor * Model.TensorFields + ProducerColumn] = NotWritten;
                tensors[tensor * Model.TensorFields + LastUseColumn] = -1;
            }

            for (int i = 0; i < model.InputCount; i++)
            {
                tensors[model.GraphIo[i] * Model.TensorFields + ProducerColumn] = GraphInput;
            }

            // Last use of every tensor: the last operator reading it, or past the end for graph outputs.
            for (int index = 0; index < operatorCount; index++)
            {
                op.MoveTo(index);
                for (int i = 0; i < op.InputCount; i++)
                {
                    tensors[op.Input(i) * Model.TensorFields + LastUseColumn] = index;
                }
            }

            for (int i = 0; i < model.OutputCount; i++)
            {
                tensors[model.GetOutputTensor(i) * Model.TensorFields + LastUseColumn] = operatorCount;
            }

            for (int index = 0; index < operatorCount; index++)
            {
                op.MoveTo(index);
                for (int i = 0; i < op.InputCount; i++)
                {
                    int input = op.Input(i);
                    if (model.IsArena(input) && tensors[input * Model.TensorFields + ProducerColumn] == NotWritten)
                    {
                        return ModelError.OrderViolation;
                    }
                }

                int outputRecord = op.Output * Model.TensorFields;
                if (tensors[outputRecord + ProducerColumn] != NotWritten)
                {
                    return ModelError.OrderViolation;
                }

                tensors[outputRecord + ProducerColumn] = index;
            }

            for (int i = 0; i < model.OutputCount; i++)
            {
                if (tensors[model.GetOutputTensor(i) * Model.TensorFields + ProducerColumn] == NotWritten)
                {
                    return ModelError.OrderViolation;
                }
            }

            return ModelError.None;
        }

        private static ModelError CheckMemoryPlan(Model model)
        {
            int[] tensors = model.Tensors;
            int arenaTensors = 0;
            for (int tensor = 0; tensor < model.TensorCount; tensor++)
            {
                if (model.IsArena(tensor))
                {
                    tensors[arenaTensors * Model.TensorFields + OrderColumn] = tensor;
                    arenaTensors++;
                }
            }

            TensorSort.SortByOffset(tensors, arenaTensors, OrderColumn, RankColumn, SetColumn, model.ArenaBytes);
            for (int rank = 0; rank < arenaTensors; rank++)
            {
                tensors[tensors[rank * Model.TensorFields + OrderColumn] * Model.TensorFields + RankColumn] = rank;
            }

            RankSet live = new RankSet(tensors, SetColumn, arenaTensors);
            for (int i = 0; i < model.InputCount; i++)
            {
                int input = model.GraphIo[i];
                if (LastUse(model, input) < 0)
                {
                    continue;
                }

                if (OverlapsLive(model, live, input))
                {
                    return ModelError.ArenaOverlap;
                }

                live.Insert(Rank(model, input));
            }

            OperatorView op = new OperatorView(model);
            for (int index = 0; index < model.OperatorCount; index++)
            {
                op.MoveTo(index);
                int output = op.Output;

                // In place only over input 0, the operand an elementwise operator or a copy maps
                // element by element, when it dies here and covers exactly the output's bytes.
                int source = op.Input(0);
                if (OperatorRegistry.RunsInPlace(op.Code) && model.IsArena(source) && LastUse(model, source) == index
                    && model.Offset(source) == model.Offset(output) && model.ElementCount(source) == model.ElementCount(output))
                {
                    live.Remove(Rank(model, source));
                }

                if (OverlapsLive(model, live, output))
                {
                    return ModelError.ArenaOverlap;
                }

                for (int i = 0; i < op.InputCount; i++)
                {
                    int input = op.Input(i);
                    if (model.IsArena(input) && LastUse(model, input) == index)
                    {
                        live.Remove(Rank(model, input));
                    }
                }

                if (LastUse(model, output) > index)
                {
                    live.Insert(Rank(model, output));
                }
            }

            return ModelError.None;
        }

        // Whether the bytes of arena tensor `tensor` overlap a live tensor's: the live ranges are
        // disjoint and sorted by rank, so only the nearest below and the nearest above can.
        private static bool OverlapsLive(Model model, RankSet live, int tensor)
        {
            int[] tensors = model.Tensors;
            int rank = Rank(model, tensor);
            int start = model.Offset(tensor);
            int end = start + model.ElementCount(tensor);
            int below = live.Below(rank);
            if (below >= 0)
            {
                int other = tensors[below * Model.TensorFields + OrderColumn];
                if (model.Offset(other) + model.ElementCount(other) > start)
                {
                    return true;
                }
            }

            int above = live.Above(rank);
            if (above >= 0)
            {
                int other = tensors[above * Model.TensorFields + OrderColumn];
                if (model.Offset(other) < end)
                {
                    return true;
                }
            }

            return false;
        }

        private static int LastUse(Model model, int tensor)
        {
            return model.Tensors[tensor * Model.TensorFields + LastUseColumn];
        }

        private static int Rank(Model model, int tensor)
        {
            return model.Tensors[tensor * Model.TensorFields + RankColumn];
        }

        // The int32 constants, and the int64 ones, do not share elements: sorted by offset (the
        // order in scratch column 0), each starts at or after the end of every earlier one of its type.
        private static ModelError CheckConstantsApart(Model model)
        {
            int[] tensors = model.Tensors;
            int count = 0;
            for (int tensor = 0; tensor < model.TensorCount; tensor++)
            {
                if (!model.IsArena(tensor) && !model.IsInt8(tensor))
                {
                    tensors[count * Model.TensorFields + Model.TensorScratch0] = tensor;
                    count++;
                }
            }

            int maxKey = model.Int32Constants.Length > model.Int64Constants.Length ? model.Int32Constants.Length : model.Int64Constants.Length;
            TensorSort.SortByOffset(tensors, count, Model.TensorScratch0, Model.TensorScratch1, Model.TensorScratch2, maxKey);
            int int32End = 0;
            int int64End = 0;
            for (int i = 0; i < count; i++)
            {
                int tensor = tensors[i * Model.TensorFields + Model.TensorScratch0];
                int start = model.Offset(tensor);
                int end = start + model.ElementCount(tensor);
                if (model.ElementType(tensor) == ModelFormat.TypeInt32)
                {
                    if (start < int32End)
                    {
                        return ModelError.ConstantOverlap;
                    }

                    int32End = end;
                }
                else
                {
                    if (start < int64End)
                    {
                        return ModelError.ConstantOverlap;
                    }

                    int64End = end;
                }
            }

            return ModelError.None;
        }
    }
}
