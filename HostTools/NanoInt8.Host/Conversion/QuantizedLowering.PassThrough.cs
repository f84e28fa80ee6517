using System.Globalization;
using NanoInt8.Onnx;
using NanoInt8.Onnx.Protobuf;
using DataType = NanoInt8.Onnx.Protobuf.TensorProto.Types.DataType;

namespace NanoInt8.Host.Conversion
{
    /// <summary>
    /// Value-preserving operators on quantized tensors. An operator that only moves, selects or
    /// clamps values (Identity, Cast to the same type, Reshape and its kin, Transpose, MaxPool,
    /// Concat of equally quantized inputs, Pad with a value on the grid, Relu and Clip) gives a
    /// result on its input's quantization grid, so it needs no QuantizeLinear of its own: it
    /// lowers on the int8 data with the input's scale and zero point. Exporters put such
    /// operators in two places, and both are handled here:
    /// <list type="bullet">
    /// <item>on the float side, between a DequantizeLinear and its consumer (PyTorch's eager QAT
    /// inserts no fake-quantize after MaxPool or an unfused ReLU): lowered when a quantized
    /// operator reads the result (<see cref="ResolveActivation"/>);</item>
    /// <item>on the codes, between a QuantizeLinear and a DequantizeLinear (PyTorch writes
    /// <c>QuantizeLinear → Clip(0, 127) → DequantizeLinear</c> for reduce_range and a uint8→uint8
    /// Cast after every QuantizeLinear of a converted model): lowered as the graph is visited.</item>
    /// </list>
    /// Relu and Clip clamp: on the float side at real bounds (which must lie on the input's grid),
    /// on the codes at code bounds. Where a chain of them follows a QuantizeLinear with nothing
    /// else reading the values in between, the clamp becomes the producing operator's output range
    /// (<see cref="FoldClampsAfterQuantize"/>) and no operator is added.
    /// </summary>
    /// <remarks>
    /// Each operator is one entry of <see cref="PassThroughLowerings"/>, a method that writes the
    /// output tensor from the inputs; an operator the device cannot run yet has an entry that says
    /// so, naming the node.
    /// </remarks>
    internal sealed partial class QuantizedLowering
    {
        /// <summary>Writes <paramref name="outputs"/> (the inputs' scale and zero point; one but for Split) from <paramref name="inputs"/>, clamped to [low, high].</summary>
        private delegate void PassThroughLowering(NodeProto node, QuantTensor[] inputs, QuantTensor[] outputs, int low, int high, string source);

        private Dictionary<string, PassThroughLowering>? _passThroughLowerings;

        /// <summary>The value-preserving operators, by ONNX operator type.</summary>
        private IReadOnlyDictionary<string, PassThroughLowering> PassThroughLowerings => _passThroughLowerings ??= new(StringComparer.Ordinal)
        {
            ["Identity"] = LowerCopy,
            ["Cast"] = LowerCopy,
            ["Relu"] = LowerCopy,
            ["Clip"] = LowerCopy,
            ["Reshape"] = LowerCopy,
            ["Flatten"] = LowerCopy,
            ["Squeeze"] = LowerCopy,
            ["Unsqueeze"] = LowerCopy,
            ["Transpose"] = (node, inputs, outputs, low, high, source) => LowerTranspose(node, inputs[0], outputs[0], low, high, source),
            ["MaxPool"] = (node, inputs, outputs, low, high, source) => LowerMaxPool(node, inputs[0], outputs[0], low, high, source),
            ["GlobalMaxPool"] = LowerGlobalMaxPool,
            ["Pad"] = (node, inputs, outputs, low, high, source) => LowerPad(node, inputs[0], outputs[0], low, high, source),
            ["Concat"] = (node, inputs, outputs, low, high, source) => LowerConcat(node, inputs, outputs[0], low, high, source),
            ["Slice"] = (node, inputs, outputs, low, high, source) => LowerSlice(node, inputs[0], outputs[0], low, high, source),
            ["Gather"] = (node, inputs, outputs, low, high, source) => LowerGather(node, inputs[0], outputs[0], low, high, source),
            ["Resize"] = (node, inputs, outputs, low, high, source) => LowerResize(node, inputs[0], outputs[0], low, high, source),
            ["Upsample"] = (node, inputs, outputs, low, high, source) => LowerResize(node, inputs[0], outputs[0], low, high, source),
            ["Split"] = (node, inputs, outputs, low, high, source) => LowerSplit(node, inputs[0], outputs, source),
        };

        private static readonly HashSet<string> s_reshapes = new(StringComparer.Ordinal) { "Reshape", "Flatten", "Squeeze", "Unsqueeze" };

        /// <summary>The ONNX element type (uint8 or int8) of every tensor that holds quantized codes, by name.</summary>
        private readonly Dictionary<string, DataType> _codeTypes = new(StringComparer.Ordinal);

        private bool IsPassThrough(NodeProto node) => node.Domain.Length == 0 && PassThroughLowerings.ContainsKey(node.OpType);

        private bool IsCodeTensor(string name) => _codeTypes.ContainsKey(name);

        /// <summary>
        /// Lowers a value-preserving operator whose data input is quantized: on the codes
        /// (<paramref name="codeDomain"/>) or on the dequantized values. Registers its quantized
        /// results (every output of a Split, else the one output) by their names, with the input's
        /// scale and zero point.
        /// </summary>
        private void LowerPassThrough(NodeProto node, bool codeDomain)
        {
            _absorbed.Add(node);
            string[] dataNames = node.OpType == "Concat" ? node.Input.Where(name => name.Length > 0).ToArray() : new[] { node.Input[0] };
            QuantTensor[] inputs = dataNames.Select(name => codeDomain ? ResolveQuantized(name, node) : ResolveActivation(name)).ToArray();
            QuantTensor input = inputs[0];
            string[] outputNames = node.Output.Where(name => name.Length > 0).ToArray();
            if (outputNames.Length != 1 && node.OpType != "Split")
            {
                throw new ConversionException($"node '{node.Name}' ({node.OpType}) has more than one output; only its first is supported.", node.Name, node.OpType);
            }

            if (double.IsNaN(input.Scale))
            {
                throw new ConversionException(
                    $"node '{node.Name}' ({node.OpType}) reads the quantized graph input '{dataNames[0]}' before any operator gives its scale; dequantize the input first.",
                    node.Name, node.OpType);
            }

            for (int i = 1; i < inputs.Length; i++)
            {
                if (!SameQuantization(inputs[i].Scale, inputs[i].ZeroPoint, input.Scale, input.ZeroPoint))
                {
                    throw new ConversionException(
                        string.Format(CultureInfo.InvariantCulture,
                            "node '{0}' ({1}) joins tensors quantized differently (scale {2:G6}, zero point {3} and scale {4:G6}, zero point {5}) and nothing quantizes its result, so it has no single scale; put a QuantizeLinear after it.",
                            node.Name, node.OpType, input.Scale, input.ZeroPoint, inputs[i].Scale, inputs[i].ZeroPoint),
                        node.Name, node.OpType);
                }
            }

            QuantTensor[] results;
            if (node.OpType is "Identity" or "Cast")
            {
                // The same values under another name: no operator at all.
                RequireSameType(node, dataNames[0], codeDomain);
                results = new[] { input };
            }
            else if (input.Constant != null && s_reshapes.Contains(node.OpType))
            {
                results = new[] { new QuantTensor(outputNames[0], _graph.GetShape(outputNames[0]), input.Scale, input.ZeroPoint) { Constant = input.Constant } };
            }
            else
            {
                if (node.OpType == "Pad")
                {
                    RequireGridPadValue(node, input, codeDomain);
                }

                (int low, int high) = ClampOf(node, input, codeDomain ? _codeTypes[dataNames[0]] : null);
                results = outputNames.Select(name => new QuantTensor(name, _graph.GetShape(name), input.Scale, input.ZeroPoint)).ToArray();
                if (_declaredScales.TryGetValue(input, out double declared))
                {
                    // pow2 raised the input's scale; the outputs are on the same raised grid.
                    foreach (QuantTensor result in results)
                    {
                        _declaredScales[result] = declared;
                    }
                }

                PassThroughLowerings[node.OpType](node, inputs, results, low, high, node.Name);
            }

            for (int i = 0; i < outputNames.Length; i++)
            {
                _quantized[outputNames[i]] = results[i];
                if (codeDomain)
                {
                    _codeTypes[outputNames[i]] = _codeTypes[dataNames[0]];
                }
            }
        }

        /// <summary>
        /// The clamp a Relu or Clip applies, as int8 bounds of the tensor's codes; the full int8
        /// range for every other operator. On the float side the bounds are real values and must
        /// lie on the quantization grid (or outside its range): anything else is a value the int8
        /// tensor cannot hold, and the node is refused. On the codes they are code values of
        /// <paramref name="codeType"/>.
        /// </summary>
        private (int Low, int High) ClampOf(NodeProto node, QuantTensor input, DataType? codeType)
        {
            return TryClampOf(node, input, codeType) ?? throw new ConversionException(
                string.Format(CultureInfo.InvariantCulture,
                    "node '{0}' ({1}) clamps at a value that is not on the grid of its quantized input (scale {2:G9}, zero point {3}), and nothing quantizes its result; put a QuantizeLinear after it (or fuse it into the operator before).",
                    node.Name, node.OpType, input.Scale, input.ZeroPoint),
                node.Name, node.OpType);
        }

        /// <summary><see cref="ClampOf"/>, or null where a real bound is off the grid.</summary>
        private (int Low, int High)? TryClampOf(NodeProto node, QuantTensor input, DataType? codeType)
        {
            int low = -128;
            int high = 127;
            int offset = codeType == DataType.Uint8 ? -128 : 0;
            if (node.OpType == "Relu")
            {
                // Real 0 is the zero point; code 0 is int8 0 (uint8 codes are never negative).
                low = codeType == null ? input.ZeroPoint : Math.Max(low, offset);
            }
            else if (node.OpType == "Clip")
            {
                if (codeType != null)
                {
                    (int? minimum, int? maximum) = ClipCodeBounds(node, codeType.Value);
                    low = minimum.HasValue ? Math.Max(low, minimum.Value + offset) : low;
                    high = maximum.HasValue ? Math.Min(high, maximum.Value + offset) : high;
                }
                else
                {
                    (float minimum, float maximum) = ClipBounds(node);
                    int? lowCode = GridCode(minimum, input, low);
                    int? highCode = GridCode(maximum, input, high);
                    if (lowCode == null || highCode == null)
                    {
                        return null;
                    }

                    (low, high) = (lowCode.Value, highCode.Value);
                }
            }

            if (low > high)
            {
                throw new ConversionException($"node '{node.Name}' ({node.OpType}) clamps every value of its input to one constant (empty range after quantization).", node.Name, node.OpType);
            }

            return (low, high);
        }

        /// <summary>
        /// The int8 code of a real clamp bound on the tensor's grid; <paramref name="unbounded"/>
        /// when the bound lies beyond the codes' range on its side (it clamps nothing); null when
        /// it is not a value the dequantized tensor takes.
        /// </summary>
        private static int? GridCode(float bound, QuantTensor input, int unbounded)
        {
            if (float.IsInfinity(bound))
            {
                return unbounded;
            }

            // float32, as DequantizeLinear computes the values the Clip compares.
            float scale = (float)input.Scale;
            float lowest = (-128 - input.ZeroPoint) * scale;
            float highest = (127 - input.ZeroPoint) * scale;
            if ((unbounded < 0 && bound <= lowest) || (unbounded > 0 && bound >= highest))
            {
                return unbounded;
            }

            int code = (int)MathF.Round(bound / scale, MidpointRounding.ToEven) + input.ZeroPoint;
            bool onGrid = code >= -128 && code <= 127
                && Math.Abs((code - input.ZeroPoint) * scale - bound) <= 1e-6f * Math.Max(Math.Abs(bound), scale);
            return onGrid ? code : null;
        }

        /// <summary>Clip bounds on codes (opset 11+: optional constant inputs of the codes' type).</summary>
        private (int? Minimum, int? Maximum) ClipCodeBounds(NodeProto clip, DataType codeType)
        {
            int? Bound(int index)
            {
                if (index >= clip.Input.Count || clip.Input[index].Length == 0)
                {
                    return null;
                }

                TensorProto bound = RequireConstant(clip.Input[index], clip);
                if (bound.GetDataType() != codeType)
                {
                    throw new ConversionException($"node '{clip.Name}' (Clip) clamps {codeType} codes with a {bound.GetDataType()} bound.", clip.Name, clip.OpType);
                }

                return codeType == DataType.Uint8 ? bound.ToUInt8()[0] : bound.ToInt8()[0];
            }

            return (Bound(1), Bound(2));
        }

        /// <summary>
        /// Pad keeps the grid only when it pads with a grid value: on the dequantized values a real
        /// value the tensor takes (real 0, the zero point, as exporters write it); on the codes
        /// any code (ONNX Runtime's QOperator format pads with the zero point's code).
        /// </summary>
        private void RequireGridPadValue(NodeProto pad, QuantTensor input, bool codeDomain)
        {
            if (codeDomain)
            {
                return;
            }

            float value = PadValue(pad);
            if (float.IsInfinity(value) || GridCode(value, input, 0) == null)
            {
                throw new ConversionException(
                    string.Format(CultureInfo.InvariantCulture,
                        "node '{0}' (Pad) pads with {1:G9}, which is not a value of its quantized input (scale {2:G9}, zero point {3}), and nothing quantizes its result; put a QuantizeLinear after it.",
                        pad.Name, value, input.Scale, input.ZeroPoint),
                    pad.Name, pad.OpType);
            }
        }

        /// <summary>Identity passes anything; Cast is value-preserving only to the type it already has.</summary>
        private void RequireSameType(NodeProto node, string inputName, bool codeDomain)
        {
            if (node.OpType != "Cast")
            {
                return;
            }

            var to = (DataType)node.GetInt("to");
            DataType from = codeDomain ? _codeTypes[inputName] : DataType.Float;
            if (to != from)
            {
                throw new ConversionException(
                    $"node '{node.Name}' (Cast) converts a quantized tensor of {from} to {to}, which changes its values; only a Cast to the type it already has is supported there.",
                    node.Name, node.OpType);
            }
        }

        private void LowerCopy(NodeProto node, QuantTensor[] inputs, QuantTensor[] outputs, int low, int high, string source)
        {
            EmitReshapeOrRequantize(inputs[0], outputs[0], low, high, source);
        }

        /// <summary>GlobalMaxPool is a MaxPool whose window is the whole spatial extent.</summary>
        private void LowerGlobalMaxPool(NodeProto node, QuantTensor[] inputs, QuantTensor[] outputs, int low, int high, string source)
        {
            int[] spatial = inputs[0].Shape.Skip(2).ToArray();
            var window = new NodeProto { Name = node.Name, OpType = "MaxPool" };
            window.Attribute.Add(new AttributeProto { Name = "kernel_shape", Type = AttributeProto.Types.AttributeType.Ints, Ints = { spatial.Select(d => (long)d) } });
            LowerMaxPool(window, inputs[0], outputs[0], low, high, source);
        }

        /// <summary>
        /// Follows what reads a QuantizeLinear's codes while exactly one node does and it only
        /// clamps or renames them (Clip, Relu, Identity, Cast to the same type, on the codes; then
        /// through a DequantizeLinear of the same parameters, Relu, Clip on the grid, Identity on
        /// the values): no one sees the unclamped values, so their clamp can be the producing
        /// operator's output range. Stops at a graph output. Returns the last name reached (the
        /// tensor to register), the clamp, and the nodes absorbed on the way.
        /// </summary>
        private (string Name, bool IsCode, int Low, int High, List<NodeProto> Nodes) FoldClampsAfterQuantize(NodeProto quantize, QuantTensor output, DataType codeType)
        {
            string current = quantize.Output[0];
            bool isCode = true;
            int low = -128;
            int high = 127;
            var nodes = new List<NodeProto>();
            while (!_graph.IsGraphOutput(current))
            {
                NodeProto? next = SoleReader(current);
                if (next == null)
                {
                    break;
                }

                if (isCode && next.OpType == "DequantizeLinear")
                {
                    // Through the DequantizeLinear only if a float-side clamp follows it.
                    NodeProto? valueReader = _graph.IsGraphOutput(next.Output[0]) ? null : SoleReader(next.Output[0]);
                    if (valueReader == null || !(valueReader.OpType is "Relu" or "Clip" or "Identity"))
                    {
                        break;
                    }

                    (double scale, int zeroPoint, _) = ActivationQuantization(next, InputOrNull(next, 1), InputOrNull(next, 2));
                    if (!SameQuantization(scale, zeroPoint, output.Scale, output.ZeroPoint))
                    {
                        break;
                    }

                    nodes.Add(next);
                    isCode = false;
                    current = next.Output[0];
                    continue;
                }

                if (!(next.OpType is "Relu" or "Clip" or "Identity" or "Cast"))
                {
                    break;
                }

                if (next.OpType == "Cast" && (DataType)next.GetInt("to") != (isCode ? codeType : DataType.Float))
                {
                    break;
                }

                (int Low, int High)? clamp = TryClampOf(next, output, isCode ? codeType : null);
                if (clamp == null)
                {
                    break;
                }

                low = Math.Max(low, clamp.Value.Low);
                high = Math.Min(high, clamp.Value.High);
                nodes.Add(next);
                current = next.Output[0];
            }

            return (current, isCode, low, high, nodes);
        }

        // The one node that reads a tensor (as its first input), or null.
        private NodeProto? SoleReader(string name)
        {
            IReadOnlyList<NodeProto> readers = _graph.GetConsumers(name);
            return readers.Count == 1 && readers[0].Domain.Length == 0 && readers[0].Input[0] == name
                && readers[0].Input.Count(input => input == name) == 1 ? readers[0] : null;
        }
    }
}
