using System.Collections.Immutable;

namespace NanoInt8.Host.Format
{
    /// <summary>
    /// One operator of a model: its code, operand tensor indices and operator-specific parameter
    /// words. The writer stores it as an operator record plus a contiguous run of
    /// <see cref="WordCount"/> words (inputs, outputs, parameters) in the parameter section. The
    /// content is not checked on the host; the device reader validates it.
    /// </summary>
    public sealed class ModelOperator
    {
        internal ModelOperator(int opCode, ImmutableArray<int> inputs, ImmutableArray<int> outputs, ImmutableArray<int> parameters)
        {
            OpCode = opCode;
            Inputs = inputs;
            Outputs = outputs;
            Parameters = parameters;
        }

        /// <summary>Operator code, one of <see cref="NanoInt8.Runtime.OpCode"/> in a valid model (0 .. 255 in the record).</summary>
        public int OpCode { get; }

        /// <summary>Input tensor indices.</summary>
        public ImmutableArray<int> Inputs { get; }

        /// <summary>Output tensor indices.</summary>
        public ImmutableArray<int> Outputs { get; }

        /// <summary>The operator-specific words that follow the operands.</summary>
        public ImmutableArray<int> Parameters { get; }

        /// <summary>Words the operator owns in the parameter section: inputs, outputs, then parameters.</summary>
        public int WordCount => Inputs.Length + Outputs.Length + Parameters.Length;
    }
}
