using NanoInt8.Onnx;
using NanoInt8.Onnx.Protobuf;
using DataType = NanoInt8.Onnx.Protobuf.TensorProto.Types.DataType;

namespace NanoInt8.Host.Conversion
{
    /// <summary>
    /// Evaluates the small constant subgraphs exporters leave in quantized models, so that every
    /// shape is static: the Shape → Gather → Unsqueeze → Concat chains that compute a Reshape
    /// target, ConstantOfShape → Cast of a zero point (PyTorch's converted int8 export), Range,
    /// Expand and arithmetic on constants. Only operators on int64/int32/int8/uint8/float values
    /// are folded; QuantizeLinear and DequantizeLinear never are (they carry the quantization).
    /// </summary>
    internal static class ConstantFolder
    {
        private static readonly HashSet<string> s_foldable = new(StringComparer.Ordinal)
        {
            "Shape", "Gather", "Concat", "Unsqueeze", "Squeeze", "Cast", "Identity", "Reshape",
            "Add", "Sub", "Mul", "Div", "Neg", "Slice", "Size", "ConstantOfShape", "Range", "Expand",
        };

        public static bool TryFold(OnnxGraph graph, NodeProto node, out TensorProto? result)
        {
            result = null;
            if (!s_foldable.Contains(node.OpType) || node.Output.Count != 1)
            {
                return false;
            }

            if (node.OpType == "Shape" || node.OpType == "Size")
            {
                return TryFoldShape(graph, node, out result);
            }

            var inputs = new List<Value>();
            foreach (string input in node.Input)
            {
                if (input.Length == 0)
                {
                    inputs.Add(Value.Missing);
                    continue;
                }

                TensorProto? constant = graph.GetConstant(input);
                if (constant == null || !Value.TryFrom(constant, out Value value))
                {
                    return false;
                }

                inputs.Add(value);
            }

            Value? folded = node.OpType switch
            {
                "Identity" => inputs[0],
                "Cast" => Cast(inputs[0], (DataType)node.GetInt("to")),
                "Gather" => Gather(inputs[0], inputs[1], (int)node.GetInt("axis", 0)),
                "Concat" => Concat(inputs, (int)node.GetInt("axis")),
                "Unsqueeze" => Unsqueeze(inputs[0], graph.DefaultOpset >= 13 ? inputs[1].Longs : node.GetInts("axes")),
                "Squeeze" => Squeeze(inputs[0], graph.DefaultOpset >= 13 ? (inputs.Count > 1 ? inputs[1].Longs : null) : node.GetInts("axes", Array.Empty<long>())),
                "Reshape" => inputs[0].WithShape(ShapeInference.ReshapeTarget(inputs[0].Shape, inputs[1].Longs, node.GetInt("allowzero", 0) != 0)),
                "Add" => Binary(inputs[0], inputs[1], (a, b) => a + b),
                "Sub" => Binary(inputs[0], inputs[1], (a, b) => a - b),
                "Mul" => Binary(inputs[0], inputs[1], (a, b) => a * b),
                "Div" => Binary(inputs[0], inputs[1], (a, b) => a / b),
                "Neg" => new Value(inputs[0].Type, inputs[0].Shape, inputs[0].Numbers.Select(v => -v).ToArray()),
                "Slice" => Slice(graph, node, inputs),
                "ConstantOfShape" => ConstantOfShape(node, inputs[0]),
                "Range" => Range(inputs[0], inputs[1], inputs[2]),
                "Expand" => Expand(inputs[0], inputs[1]),
                _ => null,
            };
            if (folded == null)
            {
                return false;
            }

            result = folded.Value.ToTensor(node.Output[0]);
            return true;
        }

        private static bool TryFoldShape(OnnxGraph graph, NodeProto node, out TensorProto? result)
        {
            result = null;
            int[] shape;
            try
            {
                shape = graph.GetShape(node.Input[0]);
            }
            catch (ConversionException)
            {
                return false;
            }

            if (node.OpType == "Size")
            {
                result = TensorData.Create(node.Output[0], new[] { shape.Aggregate(1L, (a, b) => a * b) }, Array.Empty<long>());
                return true;
            }

            int rank = shape.Length;
            int start = (int)node.GetInt("start", 0);
            int end = (int)node.GetInt("end", rank);
            start = Math.Clamp(start < 0 ? start + rank : start, 0, rank);
            end = Math.Clamp(end < 0 ? end + rank : end, 0, rank);
            long[] values = shape.Skip(start).Take(Math.Max(0, end - start)).Select(d => (long)d).ToArray();
            result = TensorData.Create(node.Output[0], values, new long[] { values.Length });
            return true;
        }

        private static Value? Cast(Value input, DataType to)
        {
            return to switch
            {
                DataType.Int64 or DataType.Int32 => new Value(to, input.Shape, input.Numbers.Select(v => Math.Truncate(v)).ToArray()),
                // Saturating, as ONNX Runtime casts a float to an 8-bit integer; integers in range are kept.
                DataType.Int8 => new Value(to, input.Shape, input.Numbers.Select(v => Math.Clamp(Math.Truncate(v), -128, 127)).ToArray()),
                DataType.Uint8 => new Value(to, input.Shape, input.Numbers.Select(v => Math.Clamp(Math.Truncate(v), 0, 255)).ToArray()),
                DataType.Float or DataType.Double => new Value(DataType.Float, input.Shape, input.Numbers),
                _ => null,
            };
        }

        /// <summary>A tensor of the given shape filled with the node's 'value' (one element; float 0 when absent).</summary>
        private static Value? ConstantOfShape(NodeProto node, Value shape)
        {
            if (shape.Shape.Length != 1 || shape.Longs.Any(d => d < 0))
            {
                return null;
            }

            Value fill = new(DataType.Float, new[] { 1 }, new[] { 0.0 });
            AttributeProto? attribute = node.Attribute.FirstOrDefault(a => a.Name == "value");
            if (attribute != null && (!Value.TryFrom(attribute.T, out fill) || fill.Numbers.Length != 1))
            {
                return null;
            }

            int[] dims = shape.Longs.Select(d => checked((int)d)).ToArray();
            int count = dims.Aggregate(1, (a, b) => checked(a * b));
            return new Value(fill.Type, dims, Enumerable.Repeat(fill.Numbers[0], count).ToArray());
        }

        /// <summary>ONNX Range: start, start + delta, ... while before limit.</summary>
        private static Value? Range(Value start, Value limit, Value delta)
        {
            double first = start.Numbers[0];
            double step = delta.Numbers[0];
            if (step == 0)
            {
                return null;
            }

            int count = (int)Math.Max(Math.Ceiling((limit.Numbers[0] - first) / step), 0);
            return new Value(start.Type, new[] { count }, Enumerable.Range(0, count).Select(i => first + i * step).ToArray());
        }

        /// <summary>ONNX Expand: the input broadcast to the shape (numpy rules, the larger of each dimension).</summary>
        private static Value? Expand(Value input, Value shape)
        {
            int[] target;
            try
            {
                target = ShapeInference.Broadcast(input.Shape, shape.Longs.Select(d => checked((int)d)).ToArray());
            }
            catch (ConversionException)
            {
                return null;
            }

            int count = target.Aggregate(1, (a, b) => a * b);
            var values = new double[count];
            int rank = target.Length;
            for (int index = 0; index < count; index++)
            {
                // The input element this output element reads: broadcast dimensions stay at 0.
                int remainder = index;
                int source = 0;
                int stride = 1;
                for (int axis = rank - 1; axis >= 0; axis--)
                {
                    int coordinate = remainder % target[axis];
                    remainder /= target[axis];
                    int inputAxis = axis - (rank - input.Shape.Length);
                    if (inputAxis >= 0)
                    {
                        source += (input.Shape[inputAxis] == 1 ? 0 : coordinate) * stride;
                        stride *= input.Shape[inputAxis];
                    }
                }

                values[index] = input.Numbers[source];
            }

            return new Value(input.Type, target, values);
        }

        private static Value? Gather(Value data, Value indices, int axis)
        {
            if (data.Shape.Length != 1 || indices.Shape.Length > 1 || axis != 0)
            {
                return null;
            }

            double[] values = indices.Longs.Select(i => data.Numbers[(int)(i < 0 ? i + data.Numbers.Length : i)]).ToArray();
            return new Value(data.Type, indices.Shape, values);
        }

        private static Value? Concat(List<Value> inputs, int axis)
        {
            if (inputs.Any(v => v.Shape.Length != 1) || (axis != 0 && axis != -1))
            {
                return null;
            }

            double[] values = inputs.SelectMany(v => v.Numbers).ToArray();
            return new Value(inputs[0].Type, new[] { values.Length }, values);
        }

        private static Value Unsqueeze(Value input, long[] axes)
        {
            int rank = input.Shape.Length + axes.Length;
            var normalized = axes.Select(a => (int)(a < 0 ? a + rank : a)).ToHashSet();
            var shape = new int[rank];
            int source = 0;
            for (int i = 0; i < rank; i++)
            {
                shape[i] = normalized.Contains(i) ? 1 : input.Shape[source++];
            }

            return input.WithShape(shape);
        }

        private static Value Squeeze(Value input, long[]? axes)
        {
            int rank = input.Shape.Length;
            HashSet<int> normalized = axes == null || axes.Length == 0
                ? Enumerable.Range(0, rank).Where(i => input.Shape[i] == 1).ToHashSet()
                : axes.Select(a => (int)(a < 0 ? a + rank : a)).ToHashSet();
            return input.WithShape(input.Shape.Where((d, i) => !normalized.Contains(i)).ToArray());
        }

        private static Value? Binary(Value a, Value b, Func<double, double, double> operation)
        {
            if (a.Numbers.Length != b.Numbers.Length && a.Numbers.Length != 1 && b.Numbers.Length != 1)
            {
                return null;
            }

            int count = Math.Max(a.Numbers.Length, b.Numbers.Length);
            var values = new double[count];
            for (int i = 0; i < count; i++)
            {
                double result = operation(a.Numbers[a.Numbers.Length == 1 ? 0 : i], b.Numbers[b.Numbers.Length == 1 ? 0 : i]);
                values[i] = a.IsInteger ? Math.Truncate(result) : result;
            }

            int[] shape = a.Numbers.Length >= b.Numbers.Length ? a.Shape : b.Shape;
            return new Value(a.Type, shape, values);
        }

        private static Value? Slice(OnnxGraph graph, NodeProto node, List<Value> inputs)
        {
            Value data = inputs[0];
            if (data.Shape.Length != 1)
            {
                return null;
            }

            long start;
            long end;
            long step = 1;
            if (graph.DefaultOpset >= 10)
            {
                if (inputs.Count > 3 && !inputs[3].IsMissing && inputs[3].Longs.Any(a => a != 0 && a != -1))
                {
                    return null;
                }

                start = inputs[1].Longs[0];
                end = inputs[2].Longs[0];
                if (inputs.Count > 4 && !inputs[4].IsMissing)
                {
                    step = inputs[4].Longs[0];
                }
            }
            else
            {
                start = node.GetInts("starts")[0];
                end = node.GetInts("ends")[0];
            }

            if (step != 1)
            {
                return null;
            }

            long length = data.Numbers.Length;
            start = Math.Clamp(start < 0 ? start + length : start, 0, length);
            end = Math.Clamp(end < 0 ? end + length : end, 0, length);
            double[] values = data.Numbers.Skip((int)start).Take((int)Math.Max(0, end - start)).ToArray();
            return new Value(data.Type, new[] { values.Length }, values);
        }

        /// <summary>A small constant: its element type, shape and values as doubles (exact for shapes).</summary>
        private readonly struct Value
        {
            public Value(DataType type, int[] shape, double[] numbers)
            {
                Type = type;
                Shape = shape;
                Numbers = numbers;
                IsMissing = false;
            }

            private Value(bool missing)
            {
                Type = DataType.Undefined;
                Shape = Array.Empty<int>();
                Numbers = Array.Empty<double>();
                IsMissing = missing;
            }

            public static Value Missing => new(true);

            public DataType Type { get; }

            public int[] Shape { get; }

            public double[] Numbers { get; }

            public bool IsMissing { get; }

            public bool IsInteger => Type is DataType.Int64 or DataType.Int32 or DataType.Int8 or DataType.Uint8;

            public long[] Longs => Numbers.Select(v => (long)v).ToArray();

            public static bool TryFrom(TensorProto tensor, out Value value)
            {
                DataType type = tensor.GetDataType();
                double[]? numbers = type switch
                {
                    DataType.Int64 => tensor.ToInt64().Select(v => (double)v).ToArray(),
                    DataType.Int32 => tensor.ToInt32().Select(v => (double)v).ToArray(),
                    DataType.Float => tensor.ToFloats().Select(v => (double)v).ToArray(),
                    DataType.Int8 => tensor.ToInt8().Select(v => (double)v).ToArray(),
                    DataType.Uint8 => tensor.ToUInt8().Select(v => (double)v).ToArray(),
                    _ => null,
                };
                value = numbers == null ? default : new Value(type, tensor.GetShape(), numbers);
                return numbers != null;
            }

            public Value WithShape(int[] shape) => new(Type, shape, Numbers);

            public TensorProto ToTensor(string name)
            {
                long[] dims = Shape.Select(d => (long)d).ToArray();
                return Type switch
                {
                    DataType.Int64 => TensorData.Create(name, Numbers.Select(v => (long)v).ToArray(), dims),
                    DataType.Int32 => TensorData.Create(name, Numbers.Select(v => (int)v).ToArray(), dims),
                    DataType.Int8 => TensorData.Create(name, Numbers.Select(v => (sbyte)v).ToArray(), dims),
                    DataType.Uint8 => TensorData.Create(name, Numbers.Select(v => (byte)v).ToArray(), dims),
                    _ => TensorData.Create(name, Numbers.Select(v => (float)v).ToArray(), dims),
                };
            }
        }
    }
}
