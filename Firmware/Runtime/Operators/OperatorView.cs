namespace NanoInt8.Runtime.Operators
{
    /// <summary>
    /// One operator of a decoded model seen through its words: code, operands (tensor indices)
    /// and parameter words by their layout names (docs/model-format.md, "Operator record": inputs,
    /// the output, then the parameters). Validation and preparation read operators only through
    /// it; one view walks the whole operator list (<see cref="MoveTo"/>), so reading allocates
    /// nothing per operator.
    /// </summary>
    internal sealed class OperatorView
    {
        private readonly int[] _operators;
        private readonly int[] _words;
        private int _first;
        private int _inputCount;

        internal OperatorView(Model model)
        {
            Model = model;
            _operators = model.Operators;
            _words = model.Parameters;
        }

        /// <summary>The model the operator belongs to.</summary>
        internal Model Model { get; }

        /// <summary>Position of the operator in execution order.</summary>
        internal int Index { get; private set; }

        /// <summary>The operator code (<see cref="OpCode"/>).</summary>
        internal int Code { get; private set; }

        /// <summary>Number of input operands.</summary>
        internal int InputCount
        {
            get { return _inputCount; }
        }

        /// <summary>Tensor index of the output.</summary>
        internal int Output
        {
            get { return _words[_first + _inputCount]; }
        }

        /// <summary>Looks at operator <paramref name="index"/> from now on.</summary>
        internal void MoveTo(int index)
        {
            int record = index * Model.OperatorFields;
            Index = index;
            Code = _operators[record + Model.OperatorCode];
            _inputCount = _operators[record + Model.OperatorInputCount];
            _first = _operators[record + Model.OperatorParameters];
        }

        /// <summary>Tensor index of input <paramref name="operand"/> (a layout's Operands name, or 0 .. InputCount - 1).</summary>
        internal int Input(int operand)
        {
            return _words[_first + operand];
        }

        /// <summary>The parameter word <paramref name="name"/> (a layout's name, counted after the operands).</summary>
        internal int Parameter(int name)
        {
            return _words[_first + _inputCount + 1 + name];
        }

        /// <summary>The model's parameter words (the operator's are from <see cref="ParameterStart"/> on).</summary>
        internal int[] Words
        {
            get { return _words; }
        }

        /// <summary>The array an int8 tensor's elements live in: the arena, or the int8 constants.</summary>
        internal sbyte[] Buffer(int tensor, sbyte[] arena)
        {
            return Model.IsArena(tensor) ? arena : Model.Int8Constants;
        }

        /// <summary>Index in <see cref="Words"/> of this operator's parameter word 0.</summary>
        internal int ParameterStart
        {
            get { return _first + _inputCount + 1; }
        }
    }
}
