using NanoInt8.Host.Format;
using NanoInt8.Onnx;
using NanoInt8.Onnx.Protobuf;
using NanoInt8.Runtime;

namespace NanoInt8.Host.Conversion
{
    /// <summary>
    /// Operators that select elements of a quantized tensor by index, as the device's Gather
    /// (code 22, per-axis index maps) or Slice (code 21): ONNX Gather with constant indices,
    /// Resize and Upsample in nearest mode (<see cref="ResizeGeometry"/> computes their maps),
    /// Split (one Slice per output), and the repeated channels of a layer with asymmetric weights. Each copies int8 codes, so its output keeps the input's
    /// quantization; an output quantized otherwise, or clamped, is a requantization after it.
    /// </summary>
    internal sealed partial class QuantizedLowering
    {
        /// <summary>ONNX Gather with constant indices (int64 or int32, negative from the end) along one axis of an activation of rank at most 4.</summary>
        private void LowerGather(NodeProto node, QuantTensor input, QuantTensor output, int low, int high, string source)
        {
            RequireActivation(input, node);
            int rank = input.Shape.Length;
            long[] indices = _graph.GetConstantIntegers(node.Input[1]) ?? throw new ConversionException(
                $"node '{node.Name}' (Gather) selects with indices '{node.Input[1]}' that are not a constant; only constant indices are supported on quantized data.",
                node.Name, node.OpType);
            RequireRank(node, rank);
            int axis = Axis(node, rank);
            int dim = input.Shape[axis];
            if (indices.Length == 0 || indices.Any(index => index < -dim || index >= dim))
            {
                throw new ConversionException($"node '{node.Name}' (Gather) has an index outside [-{dim}, {dim}) of axis {axis}, or none.", node.Name, node.OpType);
            }

            var maps = new int[rank][];
            for (int k = 0; k < rank; k++)
            {
                maps[k] = k == axis
                    ? indices.Select(index => (int)(index < 0 ? index + dim : index)).ToArray()
                    : Enumerable.Range(0, input.Shape[k]).ToArray();
            }

            // The gathered tensor has the input's rank; ONNX's output puts the indices' own shape
            // in place of the axis (a scalar index removes it): the same elements, reshaped.
            int[] gathered = maps.Select(map => map.Length).ToArray();
            if (gathered.SequenceEqual(output.Shape))
            {
                EmitGather(input, maps, output, low, high, source);
                return;
            }

            QuantTensor selection = Temporary(output.Name, gathered, input.Scale, input.ZeroPoint);
            EmitGather(input, maps, selection, -128, 127, source);
            EmitReshapeOrRequantize(selection, output, low, high, source);
        }

        /// <summary>ONNX Resize (opsets 10-19) or Upsample in nearest mode with constant scales or sizes: a copy through per-axis index maps.</summary>
        private void LowerResize(NodeProto node, QuantTensor input, QuantTensor output, int low, int high, string source)
        {
            RequireActivation(input, node);
            RequireRank(node, input.Shape.Length);
            EmitGather(input, ResizeGeometry.Maps(_graph, node, input.Shape, output.Shape), output, low, high, source);
        }

        /// <summary>ONNX Split (sizes as an input, an attribute before opset 13, or equal parts) along one axis: a Slice per output.</summary>
        private void LowerSplit(NodeProto node, QuantTensor input, IReadOnlyList<QuantTensor> outputs, string source)
        {
            RequireActivation(input, node);
            int rank = input.Shape.Length;
            RequireRank(node, rank);
            int axis = Axis(node, rank);
            int offset = 0;
            foreach (QuantTensor output in outputs)
            {
                var starts = new int[rank];
                starts[axis] = offset;
                EmitSlice(input, starts, Enumerable.Repeat(1, rank).ToArray(), output.Shape, output, -128, 127, source);
                offset += output.Shape[axis];
            }
        }

        /// <summary>
        /// The device's Gather (code 22): output index i along axis k reads input index
        /// <paramref name="maps"/>[k][i] (one map per axis of the input, rank at most 4; the
        /// device's leading axes, right-aligned, map 0 to 0). Where every map is the identity it
        /// is a copy.
        /// </summary>
        private void EmitGather(QuantTensor input, int[][] maps, QuantTensor output, int low, int high, string source)
        {
            int rank = input.Shape.Length;
            if (maps.Select((map, axis) => map.SequenceEqual(Enumerable.Range(0, input.Shape[axis]))).All(identity => identity))
            {
                EmitReshapeOrRequantize(input, output, low, high, source);
                return;
            }

            var deviceMaps = new int[4][];
            for (int axis = 0; axis < 4; axis++)
            {
                deviceMaps[axis] = axis < 4 - rank ? new[] { 0 } : maps[axis - (4 - rank)];
            }

            int[] indices = OperatorWords.GatherIndices(deviceMaps);
            FollowRaisedScale(input, output);
            bool direct = SameQuantization(input.Scale, input.ZeroPoint, output.Scale, output.ZeroPoint) && low == -128 && high == 127;
            QuantTensor target = direct ? output : Temporary(output.Name, output.Shape, input.Scale, input.ZeroPoint);
            Emit(OpCode.Gather, new object[] { input, new ConstantOperand(source + ".indices", indices, new[] { indices.Length }) }, target, OperatorWords.Gather(), source);
            if (!direct)
            {
                EmitRequantize(target, output, low, high, source);
            }
        }

        /// <summary>
        /// <paramref name="input"/> with each index along <paramref name="axis"/> repeated
        /// <paramref name="lanes"/> times in a row (channel c becomes channels c·L .. c·L + L - 1):
        /// the input of a layer whose weights were split into int8 lanes (<see cref="SplitIntoLanes"/>).
        /// Each group of a grouped convolution keeps its own channels.
        /// </summary>
        private QuantTensor RepeatChannels(QuantTensor input, int axis, int lanes, string source)
        {
            int[][] maps = input.Shape.Select((dim, k) => k == axis
                ? Enumerable.Range(0, dim * lanes).Select(index => index / lanes).ToArray()
                : Enumerable.Range(0, dim).ToArray()).ToArray();
            QuantTensor repeated = Temporary(input.Name + ".lanes", maps.Select(map => map.Length).ToArray(), input.Scale, input.ZeroPoint);
            EmitGather(input, maps, repeated, -128, 127, source);
            return repeated;
        }

        // The node's 'axis' attribute (default 0), counted from the end when negative.
        private static int Axis(NodeProto node, int rank)
        {
            long axis = node.GetInt("axis", 0);
            axis = axis < 0 ? axis + rank : axis;
            if (axis < 0 || axis >= rank)
            {
                throw new ConversionException($"node '{node.Name}' ({node.OpType}) has axis {node.GetInt("axis", 0)} for rank {rank}.", node.Name, node.OpType);
            }

            return (int)axis;
        }

        private static void RequireRank(NodeProto node, int rank)
        {
            if (rank > 4)
            {
                throw new ConversionException($"node '{node.Name}' ({node.OpType}) works on rank {rank}; at most 4 dimensions are supported.", node.Name, node.OpType);
            }
        }
    }
}
