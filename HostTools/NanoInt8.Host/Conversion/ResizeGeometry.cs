using System.Globalization;
using NanoInt8.Onnx;
using NanoInt8.Onnx.Protobuf;

namespace NanoInt8.Host.Conversion
{
    /// <summary>
    /// A nearest-neighbour Resize (or Upsample) as what it is on the int8 codes: for each axis of
    /// the data, the input index each output index copies. ONNX defines nearest resizing axis by
    /// axis: the output index is mapped to a coordinate of the input by the
    /// coordinate_transformation_mode, then rounded by the nearest_mode and clamped to the input.
    /// Both are computed here in float32, step by step as ONNX Runtime computes them (its CPU
    /// Upsample kernel), so the maps name exactly the elements it copies:
    /// <list type="bullet">
    /// <item>scale per axis: the constant scales, or output / input of the constant sizes (float32);
    /// an axis whose scale is exactly 1 maps i to i;</item>
    /// <item>half_pixel (the default from opset 11) (o + 0.5) / s - 0.5; pytorch_half_pixel the same
    /// where the output has more than one element, else 0; asymmetric (the only mode before opset
    /// 11, and Upsample's) o / s; tf_half_pixel_for_nn (o + 0.5) / s; align_corners
    /// o · (in - 1) / (out - 1), 0 for an output of one element;</item>
    /// <item>round_prefer_floor (the default) rounds half down, round_prefer_ceil half up, floor and
    /// ceil as named; before opset 11 (and Upsample) the coordinate is truncated, or rounded up
    /// where the axis is downsampled (s &lt; 1).</item>
    /// </list>
    /// Refused, naming the node: modes other than nearest, tf_crop_and_resize (it extrapolates
    /// outside the input), half_pixel_symmetric, antialias, keep_aspect_ratio_policy other than
    /// stretch, and scales or sizes that are not constants.
    /// </summary>
    internal static class ResizeGeometry
    {
        /// <summary>
        /// The index map of every axis of a Resize or Upsample <paramref name="node"/> from
        /// <paramref name="inputShape"/> to <paramref name="outputShape"/> (the shape inference's).
        /// </summary>
        /// <exception cref="ConversionException">The node resizes in a way that is not a nearest-neighbour copy, or not from constants.</exception>
        public static int[][] Maps(OnnxGraph graph, NodeProto node, int[] inputShape, int[] outputShape)
        {
            long opset = graph.DefaultOpset;
            string mode = node.GetString("mode", "nearest");
            if (mode != "nearest")
            {
                throw Refused(node, $"interpolates in mode '{mode}', which computes new values; only mode 'nearest' copies values and passes through");
            }

            bool upsample = node.OpType == "Upsample" || opset < 11;
            string transform = upsample ? "asymmetric" : node.GetString("coordinate_transformation_mode", "half_pixel");
            string rounding = upsample ? string.Empty : node.GetString("nearest_mode", "round_prefer_floor");
            if (!(transform is "half_pixel" or "pytorch_half_pixel" or "asymmetric" or "tf_half_pixel_for_nn" or "align_corners"))
            {
                throw Refused(node, $"uses coordinate_transformation_mode '{transform}'; supported are half_pixel, pytorch_half_pixel, asymmetric, tf_half_pixel_for_nn and align_corners");
            }

            if (!(rounding is "" or "round_prefer_floor" or "round_prefer_ceil" or "floor" or "ceil"))
            {
                throw Refused(node, $"uses nearest_mode '{rounding}'");
            }

            if (node.GetInt("antialias", 0) != 0)
            {
                throw Refused(node, "sets antialias");
            }

            string policy = node.GetString("keep_aspect_ratio_policy", "stretch");
            if (policy != "stretch")
            {
                throw Refused(node, $"uses keep_aspect_ratio_policy '{policy}'; only stretch is supported");
            }

            if (inputShape.Length != outputShape.Length)
            {
                throw Refused(node, $"changes the rank from {inputShape.Length} to {outputShape.Length}");
            }

            float[] scales = Scales(graph, node, inputShape, outputShape);
            var maps = new int[inputShape.Length][];
            for (int axis = 0; axis < inputShape.Length; axis++)
            {
                maps[axis] = AxisMap(inputShape[axis], outputShape[axis], scales[axis], transform, rounding);
            }

            return maps;
        }

        /// <summary>The output shape of a Resize or Upsample from constant scales or sizes, as ONNX Runtime computes it; null when they are not constants.</summary>
        public static int[]? OutputShape(OnnxGraph graph, NodeProto node, int[] inputShape)
        {
            long[]? axes = Axes(graph, node, inputShape.Length);
            TensorProto? sizes = SizesInput(graph, node);
            int[] shape = (int[])inputShape.Clone();
            if (sizes != null)
            {
                long[] values = sizes.ToInt64();
                for (int i = 0; i < values.Length && i < axes.Length; i++)
                {
                    shape[axes[i]] = (int)values[i];
                }

                return values.Length == axes.Length ? shape : null;
            }

            float[]? factors = ScalesInput(graph, node);
            if (factors == null || factors.Length != axes.Length)
            {
                return null;
            }

            for (int i = 0; i < factors.Length; i++)
            {
                // float32 scale times the dim, truncated: ONNX Runtime's output size.
                shape[axes[i]] = (int)(factors[i] * (float)inputShape[axes[i]]);
            }

            return shape;
        }

        // One axis: the input index copied by each output index.
        private static int[] AxisMap(int inputSize, int outputSize, float scale, string transform, string rounding)
        {
            var map = new int[outputSize];
            for (int o = 0; o < outputSize; o++)
            {
                if (scale == 1f)
                {
                    map[o] = o;
                    continue;
                }

                float x = o;
                float original = transform switch
                {
                    "asymmetric" => x / scale,
                    "pytorch_half_pixel" => outputSize > 1 ? ((x + 0.5f) / scale) - 0.5f : 0f,
                    "tf_half_pixel_for_nn" => (x + 0.5f) / scale,
                    "align_corners" => outputSize == 1 ? 0f : x * (inputSize - 1) / (outputSize - 1),
                    _ => ((x + 0.5f) / scale) - 0.5f,
                };
                long index = rounding switch
                {
                    "round_prefer_ceil" => (long)MathF.Round(original, MidpointRounding.AwayFromZero),
                    "floor" => (long)MathF.Floor(original),
                    "ceil" => (long)MathF.Ceiling(original),
                    "round_prefer_floor" => original == (long)original + 0.5f ? (long)MathF.Floor(original) : (long)MathF.Round(original, MidpointRounding.AwayFromZero),
                    // Before nearest_mode existed: truncated, or rounded up when downsampling.
                    _ => scale < 1 ? (long)MathF.Ceiling(original) : (long)original,
                };
                map[o] = (int)Math.Clamp(index, 0, inputSize - 1);
            }

            return map;
        }

        // The scale of every axis: the constant scales, else output / input of the constant sizes (float32); 1 on axes not listed.
        private static float[] Scales(OnnxGraph graph, NodeProto node, int[] inputShape, int[] outputShape)
        {
            long[] axes = Axes(graph, node, inputShape.Length);
            var scales = Enumerable.Repeat(1f, inputShape.Length).ToArray();
            bool fromSizes = SizesInput(graph, node) != null;
            float[]? given = fromSizes ? null : ScalesInput(graph, node);
            if (given == null && !fromSizes)
            {
                throw Refused(node, "has scales or sizes that are not constants");
            }

            for (int i = 0; i < axes.Length; i++)
            {
                int axis = (int)axes[i];
                scales[axis] = given != null
                    ? given[i]
                    : (float)outputShape[axis] / (float)inputShape[axis];
            }

            return scales;
        }

        private static long[] Axes(OnnxGraph graph, NodeProto node, int rank)
        {
            long[] axes = graph.DefaultOpset >= 18 && node.OpType == "Resize" ? node.GetInts("axes", Array.Empty<long>()) : Array.Empty<long>();
            return axes.Length == 0
                ? Enumerable.Range(0, rank).Select(axis => (long)axis).ToArray()
                : axes.Select(axis => axis < 0 ? axis + rank : axis).ToArray();
        }

        // Upsample: the scales attribute (opsets 7, 8) or input 1 (opset 9); Resize: input 1 (opset 10) or 2 (from 11).
        private static float[]? ScalesInput(OnnxGraph graph, NodeProto node)
        {
            if (node.OpType == "Upsample" && node.Attribute.Any(attribute => attribute.Name == "scales"))
            {
                return node.GetFloats("scales");
            }

            int index = node.OpType == "Upsample" || graph.DefaultOpset < 11 ? 1 : 2;
            TensorProto? scales = node.Input.Count > index && node.Input[index].Length > 0 ? graph.GetConstant(node.Input[index]) : null;
            float[]? values = scales?.ToFloats();
            return values == null || values.Length == 0 ? null : values;
        }

        private static TensorProto? SizesInput(OnnxGraph graph, NodeProto node)
        {
            return node.OpType == "Resize" && graph.DefaultOpset >= 11 && node.Input.Count > 3 && node.Input[3].Length > 0
                ? graph.GetConstant(node.Input[3])
                : null;
        }

        private static ConversionException Refused(NodeProto node, string what)
        {
            return new ConversionException(
                string.Format(CultureInfo.InvariantCulture,
                    "node '{0}' ({1}) {2}; a resize passes quantized values through only as a nearest-neighbour copy from constant scales or sizes (docs/conversion.md).",
                    node.Name, node.OpType, what),
                node.Name, node.OpType);
        }
    }
}
