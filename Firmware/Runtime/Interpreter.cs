using System;
using NanoInt8.Runtime.Operators;

namespace NanoInt8.Runtime
{
    /// <summary>
    /// Runs a validated <see cref="Model"/>: one activation arena and one packed-operand scratch
    /// allocated here, once, and each operator's arguments resolved once into its record
    /// (<see cref="PreparedOperator"/>, made by its family: Operators/&lt;family&gt;/*Operator.cs);
    /// <see cref="Invoke()"/> then runs the records in order, with no allocation per inference.
    /// Graph inputs are copied into the arena before <see cref="Invoke()"/> and outputs copied out
    /// after it.
    /// </summary>
    public sealed class Interpreter
    {
        private readonly Model _model;
        private readonly sbyte[] _arena;
        // Inputs of packed operators: a packed input row, a packed padded input, Conv2DTriple's
        // filter words (model.ScratchWords, counted in deviceBytes; the reader checked it is exactly
        // what the largest such operator needs). One scratch serves every packed operator in turn.
        private readonly long[] _scratch;
        private readonly PreparedOperator[] _operators;

        /// <summary>
        /// Creates an interpreter: allocates the model's arena (model.ArenaBytes) and scratch
        /// (model.ScratchWords) and prepares every operator's record (<see cref="PreparedBytes(Model)"/>
        /// bytes, which the reader counted against its budget before accepting the model).
        /// </summary>
        public Interpreter(Model model)
        {
            if (model == null)
            {
                throw new ArgumentNullException();
            }

            _model = model;
            _arena = new sbyte[model.ArenaBytes];
            _scratch = new long[model.ScratchWords];
            _operators = new PreparedOperator[model.OperatorCount];
            OperatorView op = new OperatorView(model);
            for (int index = 0; index < _operators.Length; index++)
            {
                op.MoveTo(index);
                _operators[index] = OperatorRegistry.For(op.Code).Prepare(op, _arena, _scratch);
            }
        }

        /// <summary>
        /// Heap bytes the interpreter's operator records take for <paramref name="model"/> on a 32-bit
        /// device: the array of records and each record (its family's PreparedBytes: 12 bytes a field
        /// and for the header, <see cref="PreparedOperator"/>). A runtime fact beside the header's
        /// deviceBytes, not part of it (docs/model-format.md, "Interpreter records"). Needs only the
        /// decoded operator table, so the reader computes it before any record exists.
        /// </summary>
        public static long PreparedBytes(Model model)
        {
            long bytes = PreparedOperator.ArrayBytes(model.OperatorCount, PreparedOperator.HeapBlockBytes);
            int[] operators = model.Operators;
            for (int index = 0; index < model.OperatorCount; index++)
            {
                int code = operators[index * Model.OperatorFields + Model.OperatorCode];
                int inputCount = operators[index * Model.OperatorFields + Model.OperatorInputCount];
                bytes += OperatorRegistry.For(code).PreparedBytes(code, inputCount);
            }

            return bytes;
        }

        /// <summary>The model this interpreter runs.</summary>
        public Model Model
        {
            get { return _model; }
        }

        /// <summary>Describes graph input <paramref name="index"/>.</summary>
        public TensorInfo GetInputInfo(int index)
        {
            return _model.GetTensorInfo(_model.GetInputTensor(index));
        }

        /// <summary>Describes graph output <paramref name="index"/>.</summary>
        public TensorInfo GetOutputInfo(int index)
        {
            return _model.GetTensorInfo(_model.GetOutputTensor(index));
        }

        /// <summary>Copies the elements of graph input <paramref name="index"/> from data[offset..].</summary>
        public void SetInput(int index, sbyte[] data, int offset)
        {
            int record = _model.GetInputTensor(index) * Model.TensorFields;
            Array.Copy(data, offset, _arena, _model.Tensors[record + Model.TensorOffset], _model.Tensors[record + Model.TensorElementCount]);
        }

        /// <summary>Copies the elements of graph output <paramref name="index"/> to destination[offset..].</summary>
        public void GetOutput(int index, sbyte[] destination, int offset)
        {
            int record = _model.GetOutputTensor(index) * Model.TensorFields;
            Array.Copy(_arena, _model.Tensors[record + Model.TensorOffset], destination, offset, _model.Tensors[record + Model.TensorElementCount]);
        }

        /// <summary>The record of operator <paramref name="index"/> (execution order), as the interpreter prepared it.</summary>
        public PreparedOperator GetOperator(int index)
        {
            return _operators[index];
        }

        /// <summary>Runs every operator once.</summary>
        public void Invoke()
        {
            PreparedOperator[] operators = _operators;
            for (int index = 0; index < operators.Length; index++)
            {
                operators[index].Invoke();
            }
        }

        /// <summary>
        /// Runs every operator once, asking <paramref name="monitor"/> after each one but the last
        /// whether to stop. Returns the number of operators run: <see cref="Model.OperatorCount"/>
        /// when the inference completed; fewer when it was stopped, and the outputs are then not valid.
        /// </summary>
        public int Invoke(IInferenceMonitor monitor)
        {
            PreparedOperator[] operators = _operators;
            int last = operators.Length - 1;
            for (int index = 0; index < last; index++)
            {
                operators[index].Invoke();
                if (monitor.ShouldStop())
                {
                    return index + 1;
                }
            }

            operators[last].Invoke();
            return operators.Length;
        }
    }
}
