using NanoInt8.Host.Format;
using NanoInt8.Host.Quantization;
using NanoInt8.Onnx;
using NanoInt8.Onnx.Protobuf;
using NanoInt8.Runtime;
using DataType = NanoInt8.Onnx.Protobuf.TensorProto.Types.DataType;

namespace NanoInt8.Host.Conversion
{
    /// <summary>
    /// Turns the quantized ONNX graph into integer operators. In the QDQ format each float
    /// operator is recognised by the QuantizeLinear that quantizes its result: walking back from
    /// it (through fused Relu/Clip) to the operator, whose inputs must come from
    /// DequantizeLinear; the operator-format ops (QLinearConv, ...) carry their scales as inputs.
    /// Either way every scale ratio becomes an int32 multiplier and shift here, biases absorb the
    /// input zero point, and activations stay int8 from layer to layer.
    /// </summary>
    internal sealed partial class QuantizedLowering
    {
        private static readonly HashSet<string> s_absorbedLater = new(StringComparer.Ordinal)
        {
            "Conv", "Gemm", "MatMul", "Add", "Sub", "Mul", "MaxPool", "AveragePool", "GlobalAveragePool", "Concat",
            "Reshape", "Flatten", "Squeeze", "Unsqueeze", "Transpose", "Slice", "Pad", "Relu", "Clip", "LeakyRelu",
            "HardSigmoid", "HardSwish", "Sigmoid", "Tanh", "Softmax", "Identity", "DequantizeLinear",
            "MatMulInteger", "ConvInteger", "Cast",
        };

        private readonly OnnxGraph _graph;
        private readonly Dictionary<string, QuantTensor> _quantized = new(StringComparer.Ordinal);
        private readonly HashSet<NodeProto> _absorbed = new();
        private readonly List<IntegerOperator> _operators = new();
        private readonly List<GraphInterface> _inputs = new();
        private readonly List<GraphInterface> _outputs = new();
        // The input of each Reshape output, so a 4-D view can be reused instead of reshaped again.
        private readonly Dictionary<QuantTensor, QuantTensor> _reshapeSources = new();
        private readonly RequantizationMode _mode;
        // pow2: the scale the model declared for each intermediate tensor whose scale the converter raised.
        private readonly Dictionary<QuantTensor, double> _declaredScales = new();
        private readonly KernelSelection _kernels;
        private int _temporaryCount;

        public QuantizedLowering(OnnxGraph graph, RequantizationMode mode, KernelSelection kernels = KernelSelection.Plain)
        {
            _graph = graph;
            _mode = mode;
            _kernels = kernels;
        }

        public IReadOnlyList<IntegerOperator> Operators => _operators;

        public IReadOnlyList<GraphInterface> Inputs => _inputs;

        public IReadOnlyList<GraphInterface> Outputs => _outputs;

        public void Run()
        {
            if (!_graph.Nodes.Any(node => node.OpType is "QuantizeLinear" or "DequantizeLinear" or "DynamicQuantizeLinear" or "MatMulInteger" or "ConvInteger"
                || node.OpType.StartsWith("QLinear", StringComparison.Ordinal) || node.OpType == "QGemm"))
            {
                NodeProto? first = _graph.Nodes.FirstOrDefault();
                string where = first == null ? string.Empty : $" node '{first.Name}' ({first.OpType}) and every other node compute in floating point;";
                throw new ConversionException(
                    $"the model is not quantized (no QuantizeLinear/DequantizeLinear or QLinear operators):{where} quantize it first, with 'hosttool quantize FLOAT.onnx --calibration DATA.npy' or your framework's static quantization.",
                    first?.Name, first?.OpType);
            }

            RegisterQuantizedGraphInputs();
            foreach (NodeProto node in _graph.Nodes)
            {
                Visit(node);
            }

            // Outputs first: a value-preserving operator that makes a graph output is lowered here.
            foreach (OnnxValueInfo output in _graph.Model.Outputs)
            {
                _outputs.Add(ResolveGraphOutput(output.Name));
            }

            foreach (NodeProto node in _graph.Nodes)
            {
                if (!_absorbed.Contains(node) && node.OpType is "MatMulInteger" or "ConvInteger")
                {
                    throw new ConversionException(
                        $"node '{node.Name}' ({node.OpType}) produces int32 that is not rescaled and quantized the supported way (Cast to float → Mul by the scale constant → optional Add of a float bias → QuantizeLinear).",
                        node.Name, node.OpType);
                }

                if (!_absorbed.Contains(node) && node.OpType != "QuantizeLinear" && node.OpType != "DequantizeLinear")
                {
                    throw new ConversionException(
                        $"node '{node.Name}' ({node.OpType}) computes in floating point: its result is not quantized. Quantize it statically (a QuantizeLinear after it, as ONNX Runtime's quantize_static or PyTorch's QAT export produce).",
                        node.Name, node.OpType);
                }
            }

            RemoveUnusedOperators();

            if (_inputs.Count == 0)
            {
                throw new ConversionException("the model has no quantized graph input: every graph input must feed a QuantizeLinear or a quantized operator.");
            }
        }

        private void RegisterQuantizedGraphInputs()
        {
            foreach (OnnxValueInfo input in _graph.Model.Inputs)
            {
                if (input.ElementType is DataType.Int8 or DataType.Uint8)
                {
                    // The scale comes from the first operator that reads it (a QLinear op or DequantizeLinear).
                    var tensor = new QuantTensor(input.Name, _graph.GetShape(input.Name), double.NaN, int.MinValue);
                    _quantized[input.Name] = tensor;
                    _codeTypes[input.Name] = input.ElementType;
                    _inputs.Add(new GraphInterface(input.Name, tensor, input.ElementType == DataType.Uint8 ? OriginalElementType.UInt8 : OriginalElementType.Int8));
                }
                else if (input.ElementType != DataType.Float)
                {
                    throw new ConversionException($"graph input '{input.Name}' has element type {input.ElementType}; supported are float32 (quantized by the host), int8 and uint8.");
                }
            }
        }

        private void Visit(NodeProto node)
        {
            if (node.Domain.Length != 0 && node.Domain != OnnxModel.MicrosoftDomain && node.Domain != "ai.onnx")
            {
                throw Unsupported(node);
            }

            if (IsPassThrough(node) && !_absorbed.Contains(node) && node.Input.Count > 0 && IsCodeTensor(node.Input[0]))
            {
                // On quantized codes (between QuantizeLinear and DequantizeLinear).
                LowerPassThrough(node, codeDomain: true);
                return;
            }

            switch (node.OpType)
            {
                case "QuantizeLinear":
                    VisitQuantize(node);
                    return;
                case "DynamicQuantizeLinear":
                    throw new ConversionException(
                        $"node '{node.Name}' (DynamicQuantizeLinear) computes its scale at run time (dynamic quantization); an integer-only device needs every scale fixed offline: export with static quantization (calibrated scales).",
                        node.Name, node.OpType);
                case "QLinearConv":
                    LowerQLinearConv(node);
                    return;
                case "QLinearMatMul":
                    LowerQLinearMatMul(node);
                    return;
                case "QGemm":
                    LowerQGemm(node);
                    return;
                case "QLinearAdd":
                case "QLinearMul":
                    LowerQLinearBinary(node);
                    return;
                case "QLinearAveragePool":
                    LowerQLinearAveragePool(node);
                    return;
                case "QLinearGlobalAveragePool":
                    LowerQLinearGlobalAveragePool(node);
                    return;
                case "QLinearConcat":
                    LowerQLinearConcat(node);
                    return;
                case "QLinearSigmoid":
                case "QLinearLeakyRelu":
                    LowerQLinearUnary(node);
                    return;
                case "QLinearSoftmax":
                    LowerQLinearSoftmax(node);
                    return;
            }

            if (!s_absorbedLater.Contains(node.OpType) && !IsPassThrough(node))
            {
                throw Unsupported(node);
            }
        }

        private static ConversionException Unsupported(NodeProto node)
        {
            return new ConversionException(
                $"node '{node.Name}' uses operator {(node.Domain.Length > 0 ? node.Domain + "." : string.Empty)}{node.OpType}, which NanoInt8 does not support. Supported: Conv, Gemm, MatMul, Add, Sub, Mul, MaxPool, AveragePool, GlobalAveragePool, Concat, Reshape, Flatten, Squeeze, Unsqueeze, Transpose, Slice, Pad, Relu, Clip, LeakyRelu, HardSigmoid, HardSwish, Sigmoid, Tanh, Softmax between QuantizeLinear/DequantizeLinear, value-preserving operators on quantized tensors (Identity, Cast to the same type, Reshape and its kin, Transpose, MaxPool, GlobalMaxPool, Concat, Pad, Relu, Clip, Slice, Split, Gather with constant indices, Resize and Upsample in nearest mode), and the QLinear operators (see docs/conversion.md).",
                node.Name, node.OpType);
        }

        // ----- QDQ -----------------------------------------------------------------------------

        private void VisitQuantize(NodeProto quantize)
        {
            string source = quantize.Input[0];
            if (_graph.IsConstant(source) || IsConstantExpression(source))
            {
                return; // a weight, quantized when an operator reads it
            }

            (double scale, int zeroPoint, bool isUnsigned) = ActivationQuantization(quantize, quantize.Input.Count > 1 ? quantize.Input[1] : null, quantize.Input.Count > 2 ? quantize.Input[2] : null);
            DataType codeType = isUnsigned ? DataType.Uint8 : DataType.Int8;
            string name = quantize.Output[0];
            var output = new QuantTensor(name, _graph.GetShape(name), scale, zeroPoint);
            NodeProto? producer = _graph.GetProducer(source);
            if (producer == null)
            {
                // A float graph input: the host quantizes it with these parameters.
                if (_inputs.Any(i => i.OnnxName == source))
                {
                    throw new ConversionException($"graph input '{source}' is quantized by more than one QuantizeLinear; a device input has one scale.", quantize.Name, quantize.OpType);
                }

                _quantized[name] = output;
                _codeTypes[name] = codeType;
                _inputs.Add(new GraphInterface(source, output, OriginalElementType.Float32));
                return;
            }

            // A clamp of the codes that only this chain reads becomes the producer's output range.
            (string clampedName, bool isCode, int low, int high, List<NodeProto> folded) = FoldClampsAfterQuantize(quantize, output, codeType);
            QuantTensor result = LowerProducer(source, output, quantize.Name, low, high);
            _absorbed.UnionWith(folded);
            _quantized[clampedName] = result;
            if (isCode)
            {
                _codeTypes[clampedName] = codeType;
            }
        }

        /// <summary>
        /// The float tensor <paramref name="value"/> is quantized into <paramref name="output"/>
        /// and clamped to [low, high]: lowers the operator chain producing it. Returns the tensor
        /// that holds the result: <paramref name="output"/>, or the quantized tensor itself where
        /// the chain only dequantizes it and quantizes it again the same way.
        /// </summary>
        private QuantTensor LowerProducer(string value, QuantTensor output, string quantizeName, int low, int high)
        {
            NodeProto node = _graph.GetProducer(value)!;
            var names = new List<string>();
            while (!_quantized.ContainsKey(value) && node.OpType is "Relu" or "Clip" or "Identity")
            {
                if (_graph.GetConsumers(value).Count != 1 && node.OpType != "Identity")
                {
                    break;
                }

                _absorbed.Add(node);
                names.Add(node.Name);
                if (node.OpType == "Relu")
                {
                    low = Math.Max(low, output.ZeroPoint);
                }
                else if (node.OpType == "Clip")
                {
                    (float minimum, float maximum) = ClipBounds(node);
                    low = Math.Max(low, QuantizeScalar(minimum, output));
                    high = Math.Min(high, QuantizeScalar(maximum, output));
                }

                value = node.Input[0];
                NodeProto? next = _graph.GetProducer(value);
                if (next == null)
                {
                    throw new ConversionException($"node '{node.Name}' ({node.OpType}) reads the float graph input '{value}' directly; quantize the input first.", node.Name, node.OpType);
                }

                node = next;
            }

            if (low > high)
            {
                throw new ConversionException($"the clamp range of '{quantizeName}' is empty after quantization.", quantizeName, "QuantizeLinear");
            }

            if (_quantized.TryGetValue(value, out QuantTensor? known))
            {
                // Already lowered (a value-preserving operator's result): only the quantization may change.
                return RequantizeOrAlias(known, output, low, high, names.Count == 0 ? quantizeName : string.Join("+", names));
            }

            _absorbed.Add(node);
            names.Insert(0, node.Name);
            string source = string.Join("+", names);
            switch (node.OpType)
            {
                case "DequantizeLinear":
                    return RequantizeOrAlias(ResolveActivation(value), output, low, high, source);
                case "Conv":
                    LowerConv(node, ResolveActivation(node.Input[0]), node.Input[1], node.Input.Count > 2 ? node.Input[2] : null, output, low, high, source);
                    break;
                case "Gemm":
                    LowerGemm(node, ResolveActivation(node.Input[0]), node.Input[1], node.Input.Count > 2 ? node.Input[2] : null, output, low, high, source);
                    break;
                case "MatMul":
                    LowerMatMul(node, node.Input[0], node.Input[1], output, low, high, source);
                    break;
                case "Add":
                case "Sub":
                case "Mul":
                    if (!TryLowerIntegerProduct(node, output, low, high, source))
                    {
                        LowerBinary(node, node.OpType, ResolveActivation(node.Input[0]), ResolveActivation(node.Input[1]), output, low, high, source);
                    }

                    break;
                case "MaxPool":
                    LowerMaxPool(node, ResolveActivation(node.Input[0]), output, low, high, source);
                    break;
                case "AveragePool":
                    LowerAveragePool(node, ResolveActivation(node.Input[0]), output, low, high, source);
                    break;
                case "GlobalAveragePool":
                    LowerGlobalAveragePool(ResolveActivation(node.Input[0]), output, low, high, source);
                    break;
                case "Concat":
                    LowerConcat(node, node.Input.Where(i => i.Length > 0).Select(ResolveActivation).ToArray(), output, low, high, source);
                    break;
                case "Reshape":
                case "Flatten":
                case "Squeeze":
                case "Unsqueeze":
                    EmitReshapeOrRequantize(ResolveActivation(node.Input[0]), output, low, high, source);
                    break;
                case "Transpose":
                    LowerTranspose(node, ResolveActivation(node.Input[0]), output, low, high, source);
                    break;
                case "Slice":
                    LowerSlice(node, ResolveActivation(node.Input[0]), output, low, high, source);
                    break;
                case "Pad":
                    LowerPad(node, ResolveActivation(node.Input[0]), output, low, high, source);
                    break;
                case "LeakyRelu":
                case "HardSigmoid":
                case "HardSwish":
                case "Sigmoid":
                case "Tanh":
                    LowerLookup(node.OpType, node, ResolveActivation(node.Input[0]), output, low, high, source);
                    break;
                case "Softmax":
                    LowerSoftmax(node, _graph.DefaultOpset, ResolveActivation(node.Input[0]), output, source);
                    break;
                default:
                    if (IsPassThrough(node))
                    {
                        LowerPassThrough(node, codeDomain: false);
                        return RequantizeOrAlias(_quantized[value], output, low, high, source);
                    }

                    throw Unsupported(node);
            }

            return output;
        }

        /// <summary>
        /// <paramref name="input"/> quantized as <paramref name="output"/> and clamped: the input
        /// itself where that changes nothing (DequantizeLinear → QuantizeLinear with the same
        /// parameters gives back every code exactly), else a requantization table. A graph input
        /// is always copied, so that a graph output is never the input tensor itself.
        /// </summary>
        private QuantTensor RequantizeOrAlias(QuantTensor input, QuantTensor output, int low, int high, string source)
        {
            if (input.Constant == null && low == -128 && high == 127 && input.Shape.SequenceEqual(output.Shape)
                && !_inputs.Any(graphInput => ReferenceEquals(graphInput.Tensor, input))
                && SameQuantization(input.Scale, input.ZeroPoint, output.Scale, output.ZeroPoint))
            {
                return input;
            }

            EmitRequantize(input, output, low, high, source);
            return output;
        }

        /// <summary>The int8 activation a float tensor dequantizes (through shape-only ops if needed).</summary>
        private QuantTensor ResolveActivation(string floatName)
        {
            if (_quantized.TryGetValue(floatName, out QuantTensor? known))
            {
                return known;
            }

            NodeProto? producer = _graph.GetProducer(floatName);
            if (producer == null)
            {
                if (_graph.IsConstant(floatName))
                {
                    throw new ConversionException($"tensor '{floatName}' is a float constant used as an activation; quantize it (QuantizeLinear/DequantizeLinear) so the device can use it.");
                }

                throw new ConversionException($"graph input '{floatName}' is read in floating point; quantize it with a QuantizeLinear first.");
            }

            switch (producer.OpType)
            {
                case "DequantizeLinear":
                {
                    _absorbed.Add(producer);
                    string source = producer.Input[0];
                    if (_graph.IsConstant(source) || IsConstantExpression(source))
                    {
                        // A quantized constant operand (e.g. of Add or Mul).
                        (sbyte[] data, double[] scales, int[] zeroPoints) = QuantizedConstant(producer);
                        if (scales.Length != 1)
                        {
                            throw new ConversionException($"constant '{source}' is quantized per channel but used as an activation operand of a float operator; only per-tensor quantization is supported there.", producer.Name, producer.OpType);
                        }

                        var constant = new QuantTensor(floatName, _graph.GetShape(floatName), scales[0], zeroPoints[0]) { Constant = data };
                        _quantized[floatName] = constant;
                        return constant;
                    }

                    QuantTensor activation = ResolveQuantized(source, producer);
                    (double scale, int zeroPoint, _) = ActivationQuantization(producer, producer.Input.Count > 1 ? producer.Input[1] : null, producer.Input.Count > 2 ? producer.Input[2] : null);
                    if (double.IsNaN(activation.Scale))
                    {
                        activation.Scale = scale;
                        activation.ZeroPoint = zeroPoint;
                    }
                    else if (!SameQuantization(_declaredScales.TryGetValue(activation, out double declared) ? declared : activation.Scale, activation.ZeroPoint, scale, zeroPoint))
                    {
                        throw new ConversionException($"DequantizeLinear '{producer.Name}' uses other quantization parameters than the tensor '{source}' was quantized with; this is not supported.", producer.Name, producer.OpType);
                    }

                    return activation;
                }

                default:
                    if (IsPassThrough(producer))
                    {
                        // A value-preserving operator between DequantizeLinear and its consumer.
                        LowerPassThrough(producer, codeDomain: false);
                        return _quantized[floatName];
                    }

                    throw new ConversionException(
                        $"the input '{floatName}' of a quantized operator comes from node '{producer.Name}' ({producer.OpType}) in floating point; put QuantizeLinear/DequantizeLinear between them (static quantization).",
                        producer.Name, producer.OpType);
            }
        }

        private QuantTensor ResolveQuantized(string name, NodeProto reader)
        {
            if (_quantized.TryGetValue(name, out QuantTensor? tensor))
            {
                return tensor;
            }

            throw new ConversionException($"node '{reader.Name}' ({reader.OpType}) reads '{name}', which is not a quantized tensor the converter knows.", reader.Name, reader.OpType);
        }

        private GraphInterface ResolveGraphOutput(string name)
        {
            if (_quantized.TryGetValue(name, out QuantTensor? direct))
            {
                DataType? type = TypeOfOutput(name);
                return new GraphInterface(name, direct, type == DataType.Uint8 ? OriginalElementType.UInt8 : OriginalElementType.Int8);
            }

            NodeProto? producer = _graph.GetProducer(name);
            if (producer != null && (producer.OpType == "DequantizeLinear" || IsPassThrough(producer)))
            {
                QuantTensor tensor = ResolveActivation(name);
                if (tensor.Constant != null)
                {
                    throw new ConversionException($"graph output '{name}' is a constant.");
                }

                return new GraphInterface(name, tensor, OriginalElementType.Float32);
            }

            throw new ConversionException(
                $"graph output '{name}' is computed in floating point" + (producer == null ? "." : $" by node '{producer.Name}' ({producer.OpType}).") + " End the graph with QuantizeLinear (and DequantizeLinear for a float output).",
                producer?.Name, producer?.OpType);
        }

        private DataType? TypeOfOutput(string name)
        {
            OnnxValueInfo? info = _graph.Model.Outputs.FirstOrDefault(o => o.Name == name);
            if (info != null && info.IsTensor && info.ElementType != DataType.Undefined)
            {
                return info.ElementType;
            }

            return _graph.GetElementType(name);
        }

        // ----- quantization parameters ------------------------------------------------------------

        /// <summary>Per-tensor scale and int8 zero point of a Quantize/DequantizeLinear or QLinear operand.</summary>
        private (double Scale, int ZeroPoint, bool IsUnsigned) ActivationQuantization(NodeProto node, string? scaleName, string? zeroPointName)
        {
            if (scaleName == null || scaleName.Length == 0)
            {
                throw new ConversionException($"node '{node.Name}' ({node.OpType}) has no scale.", node.Name, node.OpType);
            }

            float[] scales = ConstantFloats(scaleName, node);
            if (scales.Length != 1)
            {
                throw new ConversionException(
                    $"node '{node.Name}' ({node.OpType}) quantizes an activation per channel ({scales.Length} scales); activations must be quantized per tensor (weights may be per channel).",
                    node.Name, node.OpType);
            }

            if (!(scales[0] > 0) || float.IsInfinity(scales[0]))
            {
                throw new ConversionException($"node '{node.Name}' ({node.OpType}) has scale {scales[0]}; scales must be positive and finite.", node.Name, node.OpType);
            }

            int zeroPoint = 0;
            bool isUnsigned = true; // ONNX: an omitted zero point means uint8 0
            if (zeroPointName != null && zeroPointName.Length > 0)
            {
                TensorProto zeroPointTensor = RequireConstant(zeroPointName, node);
                switch (zeroPointTensor.GetDataType())
                {
                    case DataType.Uint8:
                        byte[] unsignedValues = zeroPointTensor.ToUInt8();
                        CheckScalar(unsignedValues.Length, node);
                        zeroPoint = unsignedValues[0] - 128;
                        break;
                    case DataType.Int8:
                        sbyte[] signedValues = zeroPointTensor.ToInt8();
                        CheckScalar(signedValues.Length, node);
                        zeroPoint = signedValues[0];
                        isUnsigned = false;
                        break;
                    default:
                        throw new ConversionException(
                            $"node '{node.Name}' ({node.OpType}) quantizes to {zeroPointTensor.GetDataType()}; NanoInt8 supports int8 and uint8 activations.",
                            node.Name, node.OpType);
                }
            }
            else
            {
                zeroPoint = -128;
            }

            return (scales[0], zeroPoint, isUnsigned);
        }

        private static void CheckScalar(int count, NodeProto node)
        {
            if (count != 1)
            {
                throw new ConversionException($"node '{node.Name}' ({node.OpType}) has a per-channel zero point for an activation; activations must be quantized per tensor.", node.Name, node.OpType);
            }
        }

        private static bool SameQuantization(double scaleA, int zeroPointA, double scaleB, int zeroPointB)
        {
            return zeroPointA == zeroPointB && Math.Abs(scaleA - scaleB) <= 1e-6 * Math.Max(scaleA, scaleB);
        }

        private TensorProto RequireConstant(string name, NodeProto node)
        {
            return _graph.GetConstant(name) ?? throw new ConversionException(
                $"input '{name}' of node '{node.Name}' ({node.OpType}) must be a constant (scales, zero points and weights are fixed offline).",
                node.Name, node.OpType);
        }

        private float[] ConstantFloats(string name, NodeProto node)
        {
            TensorProto tensor = RequireConstant(name, node);
            return tensor.GetDataType() == DataType.Float
                ? tensor.ToFloats()
                : throw new ConversionException($"input '{name}' of node '{node.Name}' ({node.OpType}) must be float32.", node.Name, node.OpType);
        }

        private bool IsConstantExpression(string name)
        {
            // A float constant behind QuantizeLinear, or DequantizeLinear of a constant.
            NodeProto? producer = _graph.GetProducer(name);
            return producer != null
                && (producer.OpType == "QuantizeLinear" || producer.OpType == "DequantizeLinear")
                && (_graph.IsConstant(producer.Input[0]) || IsConstantExpression(producer.Input[0]));
        }

        /// <summary>A real value quantized with the tensor's parameters, saturated to int8.</summary>
        private static int QuantizeScalar(float value, QuantTensor tensor)
        {
            // float32, as QuantizeLinear computes it.
            float quantized = MathF.Round(value / (float)tensor.Scale, MidpointRounding.ToEven) + tensor.ZeroPoint;
            return (int)Math.Clamp(quantized, -128f, 127f);
        }

        private (float Minimum, float Maximum) ClipBounds(NodeProto clip)
        {
            float minimum = float.NegativeInfinity;
            float maximum = float.PositiveInfinity;
            if (_graph.DefaultOpset < 11)
            {
                minimum = clip.GetFloat("min", float.NegativeInfinity);
                maximum = clip.GetFloat("max", float.PositiveInfinity);
            }
            else
            {
                if (clip.Input.Count > 1 && clip.Input[1].Length > 0)
                {
                    minimum = ConstantFloatValue(clip.Input[1], clip)[0];
                }

                if (clip.Input.Count > 2 && clip.Input[2].Length > 0)
                {
                    maximum = ConstantFloatValue(clip.Input[2], clip)[0];
                }
            }

            return (minimum, maximum);
        }

        private void Emit(int opCode, object[] inputs, QuantTensor output, int[] parameters, string source)
        {
            if (opCode == OpCode.Reshape && inputs[0] is QuantTensor input && _reshapeSources.TryGetValue(input, out QuantTensor? original))
            {
                // A reshape of a reshape reads the original: the middle one may then go unused.
                inputs = new object[] { original };
            }

            _operators.Add(new IntegerOperator(opCode, inputs, output, parameters, source));
            if (opCode == OpCode.Reshape && inputs[0] is QuantTensor reshaped)
            {
                _reshapeSources[output] = reshaped;
            }
        }

        /// <summary>
        /// Drops operators whose result nothing reads (every operator is a pure function of its
        /// inputs): the reshapes a 4-D view made redundant, mostly.
        /// </summary>
        private void RemoveUnusedOperators()
        {
            bool removed = true;
            while (removed)
            {
                var used = new HashSet<QuantTensor>(_outputs.Select(o => o.Tensor));
                foreach (IntegerOperator op in _operators)
                {
                    used.UnionWith(op.Inputs.OfType<QuantTensor>());
                }

                removed = _operators.RemoveAll(op => !used.Contains(op.Output)) > 0;
            }
        }

        private QuantTensor Temporary(string baseName, int[] shape, double scale, int zeroPoint)
        {
            return new QuantTensor($"{baseName}#{++_temporaryCount}", shape, scale, zeroPoint);
        }

        /// <summary>The pair of a real ratio in the conversion's requantization arithmetic (Q31 for q31 and per-tensor).</summary>
        private (int Multiplier, int Shift) Multiplier(double realMultiplier)
        {
            return RequantizationEncoder.Encode(realMultiplier, _mode);
        }

        /// <summary>
        /// pow2 mode: the scale of an intermediate tensor is the converter's to choose, so instead of
        /// rounding the ratio numerator / outputScale to a power of two (up to √2 off), the output
        /// scale is raised to numerator / 2^floor(log2(ratio)), in [scale, 2·scale): the ratio becomes
        /// an exact power of two and the tensor keeps its range, losing at most one bit of resolution.
        /// Every consumer reads the new scale (a Conv or Gemm after it absorbs it in its weights).
        /// Graph outputs, constants and clamps other than ReLU's keep the model's scale.
        /// </summary>
        private void AbsorbRatioInOutputScale(QuantTensor output, double numerator, int low, int high)
        {
            double ratio = numerator / output.Scale;
            if (_mode != RequantizationMode.PowerOfTwo || output.Constant != null || high != 127
                || (low != -128 && low != output.ZeroPoint) || !double.IsFinite(ratio) || ratio <= 0
                || ReachesGraphOutput(output.Name))
            {
                return;
            }

            _declaredScales.TryAdd(output, output.Scale);
            output.Scale = numerator / Math.ScaleB(1.0, Math.ILogB(ratio));
        }

        /// <summary>
        /// pow2 mode: a data-movement operator (Reshape, MaxPool, Transpose, Pad) whose input scale
        /// was raised, and whose output the model quantized like that input, carries the raised scale
        /// on instead of adding a requantization back to the declared one.
        /// </summary>
        private void FollowRaisedScale(QuantTensor input, QuantTensor output)
        {
            if (_declaredScales.TryGetValue(input, out double declared) && !_declaredScales.ContainsKey(output)
                && output.Constant == null && SameQuantization(declared, input.ZeroPoint, output.Scale, output.ZeroPoint)
                && !ReachesGraphOutput(output.Name))
            {
                _declaredScales.Add(output, output.Scale);
                output.Scale = input.Scale;
            }
        }

        // True when a graph output is this tensor, or this tensor through dequantization and value-preserving ops.
        private bool ReachesGraphOutput(string name)
        {
            if (_graph.IsGraphOutput(name))
            {
                return true;
            }

            foreach (NodeProto consumer in _graph.GetConsumers(name))
            {
                if ((consumer.OpType == "DequantizeLinear" || IsPassThrough(consumer))
                    && consumer.Output.Any(output => output.Length > 0 && ReachesGraphOutput(output)))
                {
                    return true;
                }
            }

            return false;
        }
    }
}
