using NanoInt8.Host.Format;

namespace NanoInt8.Host.Conversion
{
    /// <summary>
    /// An int8 tensor of the integer graph: an activation in the arena, or an int8 constant.
    /// Scale and zero point are the ONNX quantization parameters, with uint8 zero points already
    /// moved to int8 (value and zero point minus 128).
    /// </summary>
    internal sealed class QuantTensor
    {
        public QuantTensor(string name, int[] shape, double scale, int zeroPoint)
        {
            Name = name;
            Shape = shape;
            Scale = scale;
            ZeroPoint = zeroPoint;
        }

        public string Name { get; }

        public int[] Shape { get; }

        public double Scale { get; set; }

        public int ZeroPoint { get; set; }

        /// <summary>Int8 data when the tensor is a constant (e.g. a quantized Add operand).</summary>
        public sbyte[]? Constant { get; init; }

        public int ElementCount => Shape.Aggregate(1, (a, b) => a * b);

        // Filled while planning and building.
        internal int FirstStep { get; set; } = int.MinValue;
        internal int LastStep { get; set; } = -1;
        internal int BufferId { get; set; } = -1;
        internal int TensorIndex { get; set; } = -1;
        internal int ArenaOffset { get; set; }
    }

    /// <summary>An int8 or int32 constant an operator reads (weights, bias, multipliers, tables).</summary>
    internal sealed class ConstantOperand
    {
        public ConstantOperand(string name, sbyte[] data, int[] shape)
        {
            Name = name;
            Int8 = data;
            Shape = shape;
        }

        public ConstantOperand(string name, int[] data, int[] shape)
        {
            Name = name;
            Int32 = data;
            Shape = shape;
        }

        public ConstantOperand(string name, long[] data, int[] shape)
        {
            Name = name;
            Int64 = data;
            Shape = shape;
        }

        public string Name { get; }

        public sbyte[]? Int8 { get; }

        public int[]? Int32 { get; }

        public long[]? Int64 { get; }

        public int[] Shape { get; }
    }

    /// <summary>One operator of the integer graph: operands are QuantTensor or ConstantOperand.</summary>
    internal sealed class IntegerOperator
    {
        public IntegerOperator(int opCode, object[] inputs, QuantTensor output, int[] parameters, string sourceName)
        {
            OpCode = opCode;
            Inputs = inputs;
            Output = output;
            Parameters = parameters;
            SourceName = sourceName;
        }

        public int OpCode { get; }

        public object[] Inputs { get; }

        public QuantTensor Output { get; }

        public int[] Parameters { get; }

        public string SourceName { get; }

        /// <summary>True when the output may share the arena bytes of input 0 (it dies here).</summary>
        public bool CanRunInPlace => Runtime.Operators.OperatorRegistry.RunsInPlace(OpCode);
    }

    /// <summary>A graph input or output of the converted model and how the host converts it.</summary>
    internal sealed class GraphInterface
    {
        public GraphInterface(string onnxName, QuantTensor tensor, OriginalElementType originalType)
        {
            OnnxName = onnxName;
            Tensor = tensor;
            OriginalType = originalType;
        }

        public string OnnxName { get; }

        public QuantTensor Tensor { get; }

        public OriginalElementType OriginalType { get; }
    }
}
