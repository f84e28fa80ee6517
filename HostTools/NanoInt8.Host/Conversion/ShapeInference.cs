using NanoInt8.Onnx;
using NanoInt8.Onnx.Protobuf;

namespace NanoInt8.Host.Conversion
{
    /// <summary>
    /// Static shapes of the outputs of the operators the converter supports (ONNX semantics,
    /// including the com.microsoft quantized operators). Unknown operators give no shape; the
    /// converter refuses them later with a message naming them.
    /// </summary>
    internal static class ShapeInference
    {
        public static int[]?[] Infer(OnnxGraph graph, NodeProto node)
        {
            int[] Input(int index) => graph.GetShape(node.Input[index]);
            switch (node.OpType)
            {
                case "QuantizeLinear":
                case "DequantizeLinear":
                case "Relu":
                case "Clip":
                case "LeakyRelu":
                case "HardSigmoid":
                case "HardSwish":
                case "Sigmoid":
                case "Tanh":
                case "Softmax":
                case "Identity":
                case "Cast":
                case "QLinearSigmoid":
                case "QLinearLeakyRelu":
                case "QLinearSoftmax":
                    return One(Input(0));
                case "Conv":
                case "ConvInteger":
                    return One(WindowShape(node, Input(0), Input(1)[0], KernelOf(Input(1))));
                case "QLinearConv":
                    return One(WindowShape(node, Input(0), Input(3)[0], KernelOf(Input(3))));
                case "MaxPool":
                case "AveragePool":
                case "QLinearAveragePool":
                {
                    int[] input = Input(0);
                    int[] kernel = node.GetInts("kernel_shape").Select(k => (int)k).ToArray();
                    return One(WindowShape(node, input, input[1], kernel));
                }

                case "GlobalAveragePool":
                case "GlobalMaxPool":
                case "QLinearGlobalAveragePool":
                {
                    int[] input = (int[])Input(0).Clone();
                    bool channelsLast = node.GetInt("channels_last", 0) != 0;
                    for (int i = channelsLast ? 1 : 2; i < (channelsLast ? input.Length - 1 : input.Length); i++)
                    {
                        input[i] = 1;
                    }

                    return One(input);
                }

                case "Gemm":
                {
                    int[] a = Input(0);
                    int[] b = Input(1);
                    int rows = node.GetInt("transA", 0) != 0 ? a[1] : a[0];
                    int columns = node.GetInt("transB", 0) != 0 ? b[0] : b[1];
                    return One(new[] { rows, columns });
                }

                case "QGemm":
                {
                    int[] a = Input(0);
                    int[] b = Input(3);
                    int rows = node.GetInt("transA", 0) != 0 ? a[1] : a[0];
                    int columns = node.GetInt("transB", 0) != 0 ? b[0] : b[1];
                    return One(new[] { rows, columns });
                }

                case "MatMul":
                case "MatMulInteger":
                    return One(MatMulShape(Input(0), Input(1)));
                case "QLinearMatMul":
                    return One(MatMulShape(Input(0), Input(3)));
                case "Add":
                case "Sub":
                case "Mul":
                case "Div":
                    return One(Broadcast(Input(0), Input(1)));
                case "QLinearAdd":
                case "QLinearMul":
                    return One(Broadcast(Input(0), Input(3)));
                case "Concat":
                {
                    int axis = (int)node.GetInt("axis");
                    int[] first = (int[])Input(0).Clone();
                    axis = axis < 0 ? axis + first.Length : axis;
                    first[axis] = node.Input.Where(n => n.Length > 0).Sum(n => graph.GetShape(n)[axis]);
                    return One(first);
                }

                case "QLinearConcat":
                {
                    // Inputs: Y_scale, Y_zero_point, then (X, X_scale, X_zero_point) triples.
                    int axis = (int)node.GetInt("axis");
                    int[] first = (int[])graph.GetShape(node.Input[2]).Clone();
                    axis = axis < 0 ? axis + first.Length : axis;
                    int total = 0;
                    for (int i = 2; i < node.Input.Count; i += 3)
                    {
                        total += graph.GetShape(node.Input[i])[axis];
                    }

                    first[axis] = total;
                    return One(first);
                }

                case "Reshape":
                {
                    TensorProto? target = graph.GetConstant(node.Input[1]);
                    return target == null ? new int[]?[] { null } : One(ReshapeTarget(Input(0), target.ToInt64(), node.GetInt("allowzero", 0) != 0));
                }

                case "Flatten":
                {
                    int[] input = Input(0);
                    int axis = (int)node.GetInt("axis", 1);
                    axis = axis < 0 ? axis + input.Length : axis;
                    int outer = input.Take(axis).Aggregate(1, (a, b) => a * b);
                    int inner = input.Skip(axis).Aggregate(1, (a, b) => a * b);
                    return One(new[] { outer, inner });
                }

                case "Squeeze":
                {
                    int[] input = Input(0);
                    long[]? axes = SqueezeAxes(graph, node);
                    HashSet<int> drop = axes == null || axes.Length == 0
                        ? Enumerable.Range(0, input.Length).Where(i => input[i] == 1).ToHashSet()
                        : axes.Select(a => (int)(a < 0 ? a + input.Length : a)).ToHashSet();
                    return One(input.Where((d, i) => !drop.Contains(i)).ToArray());
                }

                case "Unsqueeze":
                {
                    int[] input = Input(0);
                    long[]? axes = SqueezeAxes(graph, node);
                    if (axes == null)
                    {
                        return new int[]?[] { null };
                    }

                    int rank = input.Length + axes.Length;
                    HashSet<int> added = axes.Select(a => (int)(a < 0 ? a + rank : a)).ToHashSet();
                    var shape = new int[rank];
                    int source = 0;
                    for (int i = 0; i < rank; i++)
                    {
                        shape[i] = added.Contains(i) ? 1 : input[source++];
                    }

                    return One(shape);
                }

                case "Slice":
                {
                    SliceGeometry? slice = SliceGeometry.From(graph, node, Input(0));
                    return slice == null ? new int[]?[] { null } : One(slice.Counts);
                }

                case "Transpose":
                {
                    int[] input = Input(0);
                    long[] perm = node.GetInts("perm", Enumerable.Range(0, input.Length).Reverse().Select(i => (long)i).ToArray());
                    return One(perm.Select(p => input[p]).ToArray());
                }

                case "Pad":
                {
                    int[] input = Input(0);
                    long[]? pads = PadAmounts(graph, node, input.Length);
                    if (pads == null)
                    {
                        return new int[]?[] { null };
                    }

                    return One(input.Select((d, i) => (int)(d + pads[i] + pads[i + input.Length])).ToArray());
                }

                case "Gather":
                {
                    TensorProto? indices = graph.GetConstant(node.Input[1]);
                    if (indices == null)
                    {
                        return new int[]?[] { null };
                    }

                    int[] data = Input(0);
                    int axis = (int)node.GetInt("axis", 0);
                    axis = axis < 0 ? axis + data.Length : axis;
                    return One(data.Take(axis).Concat(indices.GetShape()).Concat(data.Skip(axis + 1)).ToArray());
                }

                case "Split":
                    return SplitShapes(graph, node, Input(0));
                case "Resize":
                case "Upsample":
                    return new[] { ResizeGeometry.OutputShape(graph, node, Input(0)) };
            }

            return new int[]?[] { null };
        }

        /// <summary>Split's output shapes: the given sizes (input, or attribute before opset 13), else equal parts.</summary>
        private static int[]?[] SplitShapes(OnnxGraph graph, NodeProto node, int[] input)
        {
            int axis = (int)node.GetInt("axis", 0);
            axis = axis < 0 ? axis + input.Length : axis;
            int outputs = node.Output.Count;
            long[]? sizes = graph.DefaultOpset >= 13
                ? (node.Input.Count > 1 && node.Input[1].Length > 0 ? graph.GetConstant(node.Input[1])?.ToInt64() : null)
                : (node.Attribute.Any(a => a.Name == "split") ? node.GetInts("split") : null);
            if (node.Input.Count > 1 && node.Input[1].Length > 0 && sizes == null)
            {
                return new int[]?[outputs];
            }

            int dimension = input[axis];
            sizes ??= Enumerable.Range(0, outputs).Select(i => (long)(dimension / outputs + (i < dimension % outputs ? 1 : 0))).ToArray();
            if (graph.DefaultOpset >= 18 && node.Attribute.Any(a => a.Name == "num_outputs"))
            {
                // Opset 18: equal parts of ceil(dimension / outputs), the last one smaller.
                int part = (dimension + outputs - 1) / outputs;
                sizes = Enumerable.Range(0, outputs).Select(i => (long)Math.Min(part, dimension - i * part)).ToArray();
            }

            return sizes.Select(size =>
            {
                int[] shape = (int[])input.Clone();
                shape[axis] = (int)size;
                return shape;
            }).ToArray<int[]?>();
        }

        /// <summary>Per-axis begin pads then end pads of a Pad node, for all axes; null when not constant.</summary>
        public static long[]? PadAmounts(OnnxGraph graph, NodeProto node, int rank)
        {
            long[] pads;
            if (graph.DefaultOpset >= 11)
            {
                TensorProto? constant = graph.GetConstant(node.Input[1]);
                if (constant == null)
                {
                    return null;
                }

                pads = constant.ToInt64();
                if (node.Input.Count > 3 && node.Input[3].Length > 0)
                {
                    TensorProto? axesConstant = graph.GetConstant(node.Input[3]);
                    if (axesConstant == null)
                    {
                        return null;
                    }

                    long[] axes = axesConstant.ToInt64();
                    var full = new long[2 * rank];
                    for (int i = 0; i < axes.Length; i++)
                    {
                        int axis = (int)(axes[i] < 0 ? axes[i] + rank : axes[i]);
                        full[axis] = pads[i];
                        full[axis + rank] = pads[i + axes.Length];
                    }

                    return full;
                }
            }
            else
            {
                pads = node.GetInts("pads");
            }

            return pads.Length == 2 * rank ? pads : null;
        }

        private static long[]? SqueezeAxes(OnnxGraph graph, NodeProto node)
        {
            if (graph.DefaultOpset >= 13)
            {
                if (node.Input.Count < 2 || node.Input[1].Length == 0)
                {
                    return Array.Empty<long>();
                }

                return graph.GetConstant(node.Input[1])?.ToInt64();
            }

            return node.GetInts("axes", Array.Empty<long>());
        }

        private static int[]?[] One(int[] shape) => new int[]?[] { shape };

        private static int[] KernelOf(int[] weightShape) => weightShape.Skip(2).ToArray();

        /// <summary>Output shape of a windowed operator (Conv, pools), NCHW or NCL.</summary>
        private static int[] WindowShape(NodeProto node, int[] input, int outputChannels, int[] kernel)
        {
            WindowGeometry geometry = WindowGeometry.From(node, input, kernel);
            var shape = new int[input.Length];
            shape[0] = input[0];
            shape[1] = outputChannels;
            for (int i = 0; i < kernel.Length; i++)
            {
                shape[2 + i] = geometry.OutputSize(i, input[2 + i]);
            }

            return shape;
        }

        public static int[] MatMulShape(int[] a, int[] b)
        {
            if (b.Length != 2)
            {
                throw new ConversionException($"MatMul with a right operand of rank {b.Length} is not supported; the right operand must be a 2-D constant weight.");
            }

            int[] result = (int[])a.Clone();
            result[^1] = b[1];
            return result;
        }

        /// <summary>Numpy broadcasting of two shapes.</summary>
        public static int[] Broadcast(int[] a, int[] b)
        {
            int rank = Math.Max(a.Length, b.Length);
            var result = new int[rank];
            for (int i = 0; i < rank; i++)
            {
                int da = i - (rank - a.Length) >= 0 ? a[i - (rank - a.Length)] : 1;
                int db = i - (rank - b.Length) >= 0 ? b[i - (rank - b.Length)] : 1;
                if (da != db && da != 1 && db != 1)
                {
                    throw new ConversionException($"shapes [{string.Join(",", a)}] and [{string.Join(",", b)}] do not broadcast.");
                }

                result[i] = Math.Max(da, db);
            }

            return result;
        }

        /// <summary>The shape a Reshape produces: 0 copies the input dimension (unless allowzero), -1 is inferred.</summary>
        public static int[] ReshapeTarget(int[] input, long[] target, bool allowZero)
        {
            long count = input.Aggregate(1L, (a, b) => a * b);
            var shape = new int[target.Length];
            int inferred = -1;
            long known = 1;
            for (int i = 0; i < target.Length; i++)
            {
                if (target[i] == -1)
                {
                    inferred = i;
                    continue;
                }

                shape[i] = target[i] == 0 && !allowZero ? input[i] : (int)target[i];
                known *= shape[i];
            }

            if (inferred >= 0)
            {
                shape[inferred] = known == 0 ? 0 : (int)(count / known);
            }

            return shape;
        }
    }

    /// <summary>
    /// Strides, dilations and explicit paddings of a Conv or pooling node over its spatial axes
    /// (1-D or 2-D), with auto_pad resolved the way ONNX defines it.
    /// </summary>
    internal sealed class WindowGeometry
    {
        private WindowGeometry(int[] kernel, int[] strides, int[] dilations, int[] padsBegin, int[] padsEnd, bool ceilMode)
        {
            Kernel = kernel;
            Strides = strides;
            Dilations = dilations;
            PadsBegin = padsBegin;
            PadsEnd = padsEnd;
            CeilMode = ceilMode;
        }

        public int[] Kernel { get; }
        public int[] Strides { get; }
        public int[] Dilations { get; }
        public int[] PadsBegin { get; }
        public int[] PadsEnd { get; }
        public bool CeilMode { get; }

        public static WindowGeometry From(NodeProto node, int[] input, int[] kernel)
        {
            int spatial = kernel.Length;
            if (spatial < 1 || spatial > 2 || input.Length != spatial + 2)
            {
                throw new ConversionException(
                    $"node '{node.Name}' ({node.OpType}) works on {spatial} spatial dimensions; only 1-D and 2-D windows over NCL/NCHW tensors are supported.",
                    node.Name, node.OpType);
            }

            int[] strides = node.GetInts("strides", Enumerable.Repeat(1L, spatial).ToArray()).Select(v => (int)v).ToArray();
            int[] dilations = node.GetInts("dilations", Enumerable.Repeat(1L, spatial).ToArray()).Select(v => (int)v).ToArray();
            long[] pads = node.GetInts("pads", new long[2 * spatial]);
            var begin = new int[spatial];
            var end = new int[spatial];
            string autoPad = node.GetString("auto_pad", "NOTSET");
            bool ceilMode = node.GetInt("ceil_mode", 0) != 0;
            for (int i = 0; i < spatial; i++)
            {
                int extent = dilations[i] * (kernel[i] - 1) + 1;
                switch (autoPad)
                {
                    case "SAME_UPPER":
                    case "SAME_LOWER":
                    {
                        int output = (input[2 + i] + strides[i] - 1) / strides[i];
                        int total = Math.Max(0, (output - 1) * strides[i] + extent - input[2 + i]);
                        begin[i] = autoPad == "SAME_UPPER" ? total / 2 : total - total / 2;
                        end[i] = total - begin[i];
                        break;
                    }

                    case "VALID":
                        break;
                    default:
                        begin[i] = (int)pads[i];
                        end[i] = (int)pads[i + spatial];
                        break;
                }
            }

            return new WindowGeometry(kernel, strides, dilations, begin, end, ceilMode);
        }

        public int OutputSize(int axis, int inputSize)
        {
            int extent = Dilations[axis] * (Kernel[axis] - 1) + 1;
            int span = inputSize + PadsBegin[axis] + PadsEnd[axis] - extent;
            if (!CeilMode)
            {
                return span / Strides[axis] + 1;
            }

            int size = (span + Strides[axis] - 1) / Strides[axis] + 1;
            // ONNX: the last window must start inside the input or the begin padding.
            if ((size - 1) * Strides[axis] >= inputSize + PadsBegin[axis])
            {
                size--;
            }

            return size;
        }
    }
}
