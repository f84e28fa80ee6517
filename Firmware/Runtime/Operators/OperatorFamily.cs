namespace NanoInt8.Runtime.Operators
{
    /// <summary>
    /// What the runtime knows about the operators of one family (the codes that share a folder
    /// under Operators/: their layouts, validation and prepared records): how many operands and
    /// parameter words each code has, how an operator is checked, and how much packed-operand
    /// scratch it needs. <see cref="OperatorRegistry"/> maps each code to its family.
    /// </summary>
    internal abstract class OperatorFamily
    {
        /// <summary>Inputs an operator of <paramref name="code"/> has; -1 for any count from 1 to <see cref="ModelFormat.MaxConcatInputs"/>.</summary>
        internal abstract int InputCount(int code);

        /// <summary>Parameter words after the operands of an operator of <paramref name="code"/> with <paramref name="inputCount"/> inputs.</summary>
        internal abstract int ParameterCount(int code, int inputCount);

        /// <summary>
        /// The operator's record, its arguments resolved from the validated model (Prepare):
        /// buffers among <paramref name="arena"/> and the model's constants, the interpreter's
        /// <paramref name="scratch"/> for a packed kernel.
        /// </summary>
        internal abstract PreparedOperator Prepare(OperatorView op, sbyte[] arena, long[] scratch);

        /// <summary>
        /// Heap bytes of the record <see cref="Prepare"/> makes for an operator of <paramref name="code"/>
        /// with <paramref name="inputCount"/> inputs: known before any is made, so the reader can
        /// count them against the memory budget first (<see cref="Interpreter.PreparedBytes(Model)"/>).
        /// </summary>
        internal abstract long PreparedBytes(int code, int inputCount);

        /// <summary>
        /// Checks the operator's operands and parameters (its output is an arena int8 tensor, checked
        /// before): afterwards its kernel stays inside its arrays and its int32 arithmetic cannot overflow.
        /// </summary>
        internal abstract ModelError Validate(OperatorView op);

        /// <summary>
        /// The work of one run of a validated operator beyond the fixed charge every operator pays
        /// (<see cref="OperatorWork.PerOperator"/>), in work units: multiply-accumulates plus one per
        /// output for its requantization, the elements a pooling window, a copy or a table reads,
        /// the words a packed kernel packs (docs/model-format.md, "Work").
        /// </summary>
        internal abstract long Work(OperatorView op);

        /// <summary>Words of the interpreter's packed-operand scratch a validated operator needs (0 for most).</summary>
        internal virtual long ScratchWords(OperatorView op)
        {
            return 0;
        }

        /// <summary>
        /// True when the operator may write exactly over its input 0 when that input dies with it
        /// (an elementwise operator or a copy): the memory plan may place them on the same bytes.
        /// </summary>
        internal virtual bool RunsInPlace(int code)
        {
            return false;
        }
    }
}
