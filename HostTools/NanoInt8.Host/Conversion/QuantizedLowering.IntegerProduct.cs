using NanoInt8.Onnx;
using NanoInt8.Onnx.Protobuf;
using DataType = NanoInt8.Onnx.Protobuf.TensorProto.Types.DataType;

namespace NanoInt8.Host.Conversion
{
    /// <summary>
    /// MatMulInteger and ConvInteger give int32 accumulators that the graph rescales in float:
    /// MatMulInteger/ConvInteger → Cast(float) → Mul(scale) [→ Add(float bias)] → QuantizeLinear.
    /// The Mul constant is inputScale · weightScale, so the whole chain is one FullyConnected or
    /// Conv2D with multiplier scale / outputScale; zero points are per tensor (ONNX Runtime
    /// rejects per-channel ones for ConvInteger).
    /// </summary>
    internal sealed partial class QuantizedLowering
    {
        private bool TryLowerIntegerProduct(NodeProto node, QuantTensor output, int low, int high, string source)
        {
            NodeProto scaleNode = node;
            string? biasName = null;
            if (node.OpType == "Add")
            {
                // Add(Mul(...), bias) or Add(bias, Mul(...)).
                int mulIndex = Array.FindIndex(node.Input.ToArray(), i => _graph.GetProducer(i)?.OpType == "Mul");
                if (mulIndex < 0)
                {
                    return false;
                }

                scaleNode = _graph.GetProducer(node.Input[mulIndex])!;
                biasName = node.Input[1 - mulIndex];
                if (!_graph.IsConstant(biasName) && !IsConstantExpression(biasName))
                {
                    return false;
                }
            }

            if (scaleNode.OpType != "Mul")
            {
                return false;
            }

            int castIndex = Array.FindIndex(scaleNode.Input.ToArray(), i => _graph.GetProducer(i)?.OpType == "Cast");
            if (castIndex < 0)
            {
                return false;
            }

            NodeProto cast = _graph.GetProducer(scaleNode.Input[castIndex])!;
            NodeProto? product = _graph.GetProducer(cast.Input[0]);
            if (product == null || (product.OpType != "MatMulInteger" && product.OpType != "ConvInteger"))
            {
                return false;
            }

            string scaleName = scaleNode.Input[1 - castIndex];
            float[] combinedScales = ConstantFloatValue(scaleName, scaleNode);
            foreach (NodeProto absorbed in new[] { node, scaleNode, cast, product })
            {
                _absorbed.Add(absorbed);
            }

            QuantTensor input = IntegerProductInput(product);
            bool isConv = product.OpType == "ConvInteger";
            QuantizedWeights raw = IntegerProductWeights(product, isConv ? 0 : 1);
            int channels = raw.Shape[isConv ? 0 : 1];
            if (combinedScales.Length != 1 && combinedScales.Length != channels)
            {
                throw new ConversionException($"node '{scaleNode.Name}' (Mul) rescales {product.OpType} with {combinedScales.Length} values for {channels} channels.", scaleNode.Name, scaleNode.OpType);
            }

            // The Mul constant is inputScale · weightScale[c]; the weights keep their share of it.
            double[] weightScales = Enumerable.Range(0, channels)
                .Select(c => combinedScales[combinedScales.Length == 1 ? 0 : c] / input.Scale)
                .ToArray();
            var weights = new QuantizedWeights(raw.Data, raw.Shape, weightScales);
            var bias = new BiasSource(null, biasName == null ? null : ConstantFloatValue(biasName, node).Select(v => (double)v).ToArray());
            if (isConv)
            {
                LowerConvCore(product, input, weights, bias, output, low, high, source);
            }
            else
            {
                LowerFullyConnectedCore(product, input, TransposeWeights(weights), bias, 1f, 1f, output, low, high, source);
            }

            return true;
        }

        // The int8 input of MatMulInteger/ConvInteger with its zero point (input 2).
        private QuantTensor IntegerProductInput(NodeProto product)
        {
            string name = product.Input[0];
            if (!_quantized.TryGetValue(name, out QuantTensor? input))
            {
                throw new ConversionException($"node '{product.Name}' ({product.OpType}) reads '{name}', which is not a quantized tensor.", product.Name, product.OpType);
            }

            int zeroPoint = input.Constant == null && double.IsNaN(input.Scale) ? 0 : input.ZeroPoint;
            string? zeroPointName = InputOrNull(product, 2);
            if (zeroPointName != null)
            {
                TensorProto tensor = RequireConstant(zeroPointName, product);
                int[] values = tensor.GetDataType() == DataType.Uint8
                    ? tensor.ToUInt8().Select(v => v - 128).ToArray()
                    : tensor.ToInt8().Select(v => (int)v).ToArray();
                if (values.Length != 1)
                {
                    throw new ConversionException($"node '{product.Name}' ({product.OpType}) has a per-row input zero point; only per-tensor zero points are supported.", product.Name, product.OpType);
                }

                zeroPoint = values[0];
            }
            else if (_graph.GetElementType(name) == DataType.Uint8)
            {
                zeroPoint = -128;
            }

            if (double.IsNaN(input.Scale))
            {
                // A quantized graph input read only here: its scale is folded into the Mul constant
                // and not recoverable; 1 keeps the product's scale in the weights.
                input.Scale = 1.0;
                input.ZeroPoint = zeroPoint;
            }
            else if (input.ZeroPoint != zeroPoint)
            {
                throw new ConversionException($"node '{product.Name}' ({product.OpType}) reads '{name}' with zero point {zeroPoint}, but it was quantized with {input.ZeroPoint}.", product.Name, product.OpType);
            }

            return input;
        }

        // Constant int8/uint8 weights of MatMulInteger/ConvInteger (input 1) with their zero point (input 3) removed.
        private QuantizedWeights IntegerProductWeights(NodeProto product, int channelAxis)
        {
            // QLinearWeights reads data, scale, zero point by index; there is no scale here, so
            // the unit scale is filled in by the caller.
            TensorProto data = RequireConstant(product.Input[1], product);
            bool isUnsigned = data.GetDataType() == DataType.Uint8;
            sbyte[] values = isUnsigned ? data.ToUInt8().Select(v => (sbyte)(v - 128)).ToArray() : data.ToInt8();
            int zeroPoint = isUnsigned ? -128 : 0;
            string? zeroPointName = InputOrNull(product, 3);
            if (zeroPointName != null)
            {
                TensorProto tensor = RequireConstant(zeroPointName, product);
                int[] zeroPoints = tensor.GetDataType() == DataType.Uint8
                    ? tensor.ToUInt8().Select(v => v - 128).ToArray()
                    : tensor.ToInt8().Select(v => (int)v).ToArray();
                if (zeroPoints.Length != 1)
                {
                    throw new ConversionException($"node '{product.Name}' ({product.OpType}) has per-channel weight zero points; only per-tensor zero points are supported.", product.Name, product.OpType);
                }

                zeroPoint = zeroPoints[0];
            }

            int[] shape = data.GetShape();
            return CenterWeights(values, shape, channelAxis, new[] { zeroPoint }, Enumerable.Repeat(1.0, shape[channelAxis]).ToArray());
        }
    }
}
