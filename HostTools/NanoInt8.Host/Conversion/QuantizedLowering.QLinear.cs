using NanoInt8.Onnx;
using NanoInt8.Onnx.Protobuf;
using DataType = NanoInt8.Onnx.Protobuf.TensorProto.Types.DataType;

namespace NanoInt8.Host.Conversion
{
    /// <summary>
    /// The operator format: QLinearConv, QLinearMatMul, QGemm, QLinearAdd/Mul, the QLinear pools,
    /// QLinearConcat and the QLinear nonlinearities carry each scale and zero point as an input;
    /// they lower to the same integer operators as their QDQ equivalents.
    /// </summary>
    internal sealed partial class QuantizedLowering
    {
        /// <summary>The int8 tensor an operator-format op reads, given the op's own scale and zero point inputs.</summary>
        private QuantTensor QLinearInput(NodeProto node, int dataIndex, int scaleIndex, int zeroPointIndex)
        {
            string name = node.Input[dataIndex];
            (double scale, int zeroPoint, _) = ActivationQuantization(node, node.Input[scaleIndex], InputOrNull(node, zeroPointIndex));
            if (_quantized.TryGetValue(name, out QuantTensor? tensor))
            {
                if (double.IsNaN(tensor.Scale))
                {
                    tensor.Scale = scale;
                    tensor.ZeroPoint = zeroPoint;
                }
                else if (!SameQuantization(tensor.Scale, tensor.ZeroPoint, scale, zeroPoint))
                {
                    throw new ConversionException($"node '{node.Name}' ({node.OpType}) reads '{name}' with other quantization parameters than it was written with.", node.Name, node.OpType);
                }

                return tensor;
            }

            TensorProto? constant = _graph.GetConstant(name);
            if (constant != null)
            {
                sbyte[] data = constant.GetDataType() == DataType.Uint8
                    ? constant.ToUInt8().Select(v => (sbyte)(v - 128)).ToArray()
                    : constant.ToInt8();
                var constantTensor = new QuantTensor(name, constant.GetShape(), scale, zeroPoint) { Constant = data };
                return constantTensor;
            }

            return ResolveQuantized(name, node);
        }

        private QuantTensor QLinearOutput(NodeProto node, int scaleIndex, int zeroPointIndex)
        {
            string name = node.Output[0];
            (double scale, int zeroPoint, bool isUnsigned) = ActivationQuantization(node, InputOrNull(node, scaleIndex), InputOrNull(node, zeroPointIndex));
            var output = new QuantTensor(name, _graph.GetShape(name), scale, zeroPoint);
            _quantized[name] = output;
            _codeTypes[name] = isUnsigned ? DataType.Uint8 : DataType.Int8;
            _absorbed.Add(node);
            return output;
        }

        private static string? InputOrNull(NodeProto node, int index)
        {
            return index < node.Input.Count && node.Input[index].Length > 0 ? node.Input[index] : null;
        }

        /// <summary>Constant int8/uint8 weights of an operator-format op with their scale and zero point inputs.</summary>
        private QuantizedWeights QLinearWeights(NodeProto node, int dataIndex, int scaleIndex, int zeroPointIndex, int channelAxis)
        {
            TensorProto data = RequireConstant(node.Input[dataIndex], node);
            int[] shape = data.GetShape();
            bool isUnsigned = data.GetDataType() == DataType.Uint8;
            sbyte[] values = isUnsigned ? data.ToUInt8().Select(v => (sbyte)(v - 128)).ToArray() : data.ToInt8();
            float[] scales = ConstantFloats(node.Input[scaleIndex], node);
            int[] zeroPoints = new[] { isUnsigned ? -128 : 0 };
            string? zeroPointName = InputOrNull(node, zeroPointIndex);
            if (zeroPointName != null)
            {
                TensorProto zeroPointTensor = RequireConstant(zeroPointName, node);
                zeroPoints = zeroPointTensor.GetDataType() == DataType.Uint8
                    ? zeroPointTensor.ToUInt8().Select(v => v - 128).ToArray()
                    : zeroPointTensor.ToInt8().Select(v => (int)v).ToArray();
            }

            int channels = shape[channelAxis];
            if ((scales.Length != 1 && scales.Length != channels) || (zeroPoints.Length != 1 && zeroPoints.Length != channels))
            {
                throw new ConversionException($"node '{node.Name}' ({node.OpType}) has {scales.Length} weight scales for {channels} output channels.", node.Name, node.OpType);
            }

            double[] channelScales = Enumerable.Range(0, channels).Select(c => (double)scales[scales.Length == 1 ? 0 : c]).ToArray();
            return CenterWeights(values, shape, channelAxis, zeroPoints, channelScales);
        }

        private BiasSource QLinearBias(NodeProto node, int index)
        {
            string? name = InputOrNull(node, index);
            return name == null ? new BiasSource(null, null) : new BiasSource(RequireConstant(name, node).ToInt32(), null);
        }

        private void LowerQLinearConv(NodeProto node)
        {
            // x, x_scale, x_zero_point, w, w_scale, w_zero_point, y_scale, y_zero_point, B
            QuantTensor input = QLinearInput(node, 0, 1, 2);
            QuantizedWeights weights = QLinearWeights(node, 3, 4, 5, 0);
            QuantTensor output = QLinearOutput(node, 6, 7);
            LowerConvCore(node, input, weights, QLinearBias(node, 8), output, -128, 127, node.Name);
        }

        private void LowerQLinearMatMul(NodeProto node)
        {
            // a, a_scale, a_zero_point, b, b_scale, b_zero_point, y_scale, y_zero_point
            QuantTensor input = QLinearInput(node, 0, 1, 2);
            if (!_graph.IsConstant(node.Input[3]))
            {
                throw new ConversionException($"node '{node.Name}' (QLinearMatMul) multiplies two activations; only a constant right operand is supported.", node.Name, node.OpType);
            }

            QuantizedWeights weights = QLinearWeights(node, 3, 4, 5, 1);
            QuantTensor output = QLinearOutput(node, 6, 7);
            LowerFullyConnectedCore(node, input, TransposeWeights(weights), new BiasSource(null, null), 1f, 1f, output, -128, 127, node.Name);
        }

        private void LowerQGemm(NodeProto node)
        {
            // A, a_scale, a_zero_point, B, b_scale, b_zero_point, C, y_scale, y_zero_point
            if (InputOrNull(node, 7) == null)
            {
                throw new ConversionException($"node '{node.Name}' (QGemm) has a float output (no y_scale); the device needs a quantized output.", node.Name, node.OpType);
            }

            QuantTensor input = QLinearInput(node, 0, 1, 2);
            bool transposeB = node.GetInt("transB", 0) != 0;
            QuantizedWeights weights = QLinearWeights(node, 3, 4, 5, transposeB ? 0 : 1);
            QuantTensor output = QLinearOutput(node, 7, 8);
            float alpha = node.GetFloat("alpha", 1f);
            // QGemm's C is int32 in units of a_scale·b_scale (alpha applies to A·B only). ONNX
            // Runtime adds C to the accumulator before it scales by alpha, so in exact mode, whose
            // point is to give ONNX Runtime's results bit for bit, C stays in the accumulator as is.
            BiasSource bias = QLinearBias(node, 6);
            if (bias.Exact != null && alpha != 1f && _mode != Quantization.RequantizationMode.Exact)
            {
                bias = new BiasSource(null, bias.Exact.Select((v, c) => v * input.Scale * weights.Scales[Math.Min(c, weights.Scales.Length - 1)]).ToArray());
            }

            LowerGemmCore(node, input, weights, transposeB, bias, alpha, 1f, output, -128, 127, node.Name);
        }

        private void LowerQLinearBinary(NodeProto node)
        {
            // A, A_scale, A_zero_point, B, B_scale, B_zero_point, C_scale, C_zero_point
            QuantTensor a = QLinearInput(node, 0, 1, 2);
            QuantTensor b = QLinearInput(node, 3, 4, 5);
            QuantTensor output = QLinearOutput(node, 6, 7);
            LowerBinary(node, node.OpType == "QLinearAdd" ? "Add" : "Mul", a, b, output, -128, 127, node.Name);
        }

        private void LowerQLinearAveragePool(NodeProto node)
        {
            // X, x_scale, x_zero_point, y_scale, y_zero_point
            RequireChannelsFirst(node);
            QuantTensor input = QLinearInput(node, 0, 1, 2);
            QuantTensor output = QLinearOutput(node, 3, 4);
            LowerAveragePool(node, input, output, -128, 127, node.Name);
        }

        private void LowerQLinearGlobalAveragePool(NodeProto node)
        {
            RequireChannelsFirst(node);
            QuantTensor input = QLinearInput(node, 0, 1, 2);
            QuantTensor output = QLinearOutput(node, 3, 4);
            LowerGlobalAveragePool(input, output, -128, 127, node.Name);
        }

        private static void RequireChannelsFirst(NodeProto node)
        {
            if (node.GetInt("channels_last", 0) != 0)
            {
                throw new ConversionException($"node '{node.Name}' ({node.OpType}) is channels-last; only NCHW is supported.", node.Name, node.OpType);
            }
        }

        private void LowerQLinearConcat(NodeProto node)
        {
            // Y_scale, Y_zero_point, then (X, X_scale, X_zero_point) for each input.
            var inputs = new List<QuantTensor>();
            for (int i = 2; i + 2 < node.Input.Count + 1; i += 3)
            {
                inputs.Add(QLinearInput(node, i, i + 1, i + 2));
            }

            QuantTensor output = QLinearOutput(node, 0, 1);
            LowerConcat(node, inputs.ToArray(), output, -128, 127, node.Name);
        }

        private void LowerQLinearUnary(NodeProto node)
        {
            // X, X_scale, X_zero_point, Y_scale, Y_zero_point
            QuantTensor input = QLinearInput(node, 0, 1, 2);
            QuantTensor output = QLinearOutput(node, 3, 4);
            LowerLookup(node.OpType == "QLinearSigmoid" ? "Sigmoid" : "LeakyRelu", node, input, output, -128, 127, node.Name);
        }

        private void LowerQLinearSoftmax(NodeProto node)
        {
            // X, X_scale, x_zero_point, y_scale, y_zero_point; attribute opset says which Softmax it follows.
            QuantTensor input = QLinearInput(node, 0, 1, 2);
            QuantTensor output = QLinearOutput(node, 3, 4);
            LowerSoftmax(node, node.GetInt("opset", 13), input, output, node.Name);
        }
    }
}
