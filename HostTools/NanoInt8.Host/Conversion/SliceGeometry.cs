using NanoInt8.Onnx;
using NanoInt8.Onnx.Protobuf;

namespace NanoInt8.Host.Conversion
{
    /// <summary>
    /// What an ONNX Slice takes along each axis of its data: the first index, the step and the
    /// count, from constant starts, ends, axes and steps (inputs from opset 10, attributes before,
    /// steps 1 there), normalized as ONNX defines it: negative starts and ends count from the end,
    /// then starts and ends are clamped to [0, dim] for a positive step and to [0, dim - 1] and
    /// [-1, dim - 1] for a negative one; the count is ⌈(end - start) / step⌉, at least 0.
    /// </summary>
    /// <param name="Starts">First index taken, per axis of the data (0 on an axis not sliced).</param>
    /// <param name="Steps">Step per axis (1 on an axis not sliced; never 0).</param>
    /// <param name="Counts">Elements taken per axis: the output's shape.</param>
    internal sealed record SliceGeometry(int[] Starts, int[] Steps, int[] Counts)
    {
        /// <summary>
        /// The geometry of <paramref name="node"/> over data of <paramref name="shape"/>, or null when
        /// its starts, ends, axes or steps are not constants.
        /// </summary>
        /// <exception cref="ConversionException">A step is 0 or an axis is out of range.</exception>
        public static SliceGeometry? From(OnnxGraph graph, NodeProto node, int[] shape)
        {
            long[]? starts;
            long[]? ends;
            long[]? axes;
            long[]? steps = null;
            if (graph.DefaultOpset >= 10)
            {
                starts = node.Input.Count > 1 ? graph.GetConstantIntegers(node.Input[1]) : null;
                ends = node.Input.Count > 2 ? graph.GetConstantIntegers(node.Input[2]) : null;
                axes = node.Input.Count > 3 && node.Input[3].Length > 0 ? graph.GetConstantIntegers(node.Input[3]) : null;
                if (node.Input.Count > 4 && node.Input[4].Length > 0)
                {
                    steps = graph.GetConstantIntegers(node.Input[4]) ?? Array.Empty<long>();
                    if (steps.Length == 0)
                    {
                        return null;
                    }
                }

                if (starts == null || ends == null || (node.Input.Count > 3 && node.Input[3].Length > 0 && axes == null))
                {
                    return null;
                }
            }
            else
            {
                starts = node.GetInts("starts");
                ends = node.GetInts("ends");
                axes = node.GetInts("axes", Array.Empty<long>());
                axes = axes.Length == 0 ? null : axes;
            }

            int rank = shape.Length;
            var geometry = new SliceGeometry(new int[rank], Enumerable.Repeat(1, rank).ToArray(), (int[])shape.Clone());
            for (int i = 0; i < starts.Length; i++)
            {
                long axis = axes == null ? i : axes[i] < 0 ? axes[i] + rank : axes[i];
                if (axis < 0 || axis >= rank)
                {
                    throw new ConversionException($"node '{node.Name}' (Slice) slices axis {axes![i]} of a rank-{rank} tensor.", node.Name, node.OpType);
                }

                long step = steps == null ? 1 : steps[i];
                if (step == 0)
                {
                    throw new ConversionException($"node '{node.Name}' (Slice) has a step of 0.", node.Name, node.OpType);
                }

                long dim = shape[axis];
                long start = starts[i] < 0 ? starts[i] + dim : starts[i];
                long end = ends[i] < 0 ? ends[i] + dim : ends[i];
                long count;
                if (step > 0)
                {
                    start = Math.Clamp(start, 0, dim);
                    end = Math.Clamp(end, 0, dim);
                    count = end > start ? (end - start + step - 1) / step : 0;
                }
                else
                {
                    start = Math.Clamp(start, 0, dim - 1);
                    end = Math.Clamp(end, -1, dim - 1);
                    count = start > end ? (start - end - step - 1) / -step : 0;
                }

                geometry.Starts[axis] = (int)start;
                geometry.Steps[axis] = (int)Math.Clamp(step, -dim, dim);
                geometry.Counts[axis] = (int)count;
            }

            return geometry;
        }
    }
}
