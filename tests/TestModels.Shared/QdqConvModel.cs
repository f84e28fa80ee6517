using NanoInt8.Onnx;
using DataType = NanoInt8.Onnx.Protobuf.TensorProto.Types.DataType;

namespace NanoInt8.Tests.Shared
{
    /// <summary>
    /// A small QDQ model as ONNX Runtime's static quantization writes it, shared by the CLI and
    /// end-to-end tests (linked into both projects): float images [1, 2, 5, 5] →
    /// QuantizeLinear/DequantizeLinear → Conv 3x3 pad 1 (int8 per-channel weights, int32 bias) →
    /// Relu → QuantizeLinear/DequantizeLinear → float features [1, 3, 5, 5] (padding 0: Conv 3x3
    /// without padding → features [1, 3, 3, 3]).
    /// </summary>
    internal static class QdqConvModel
    {
        /// <summary>The ONNX bytes.</summary>
        /// <param name="padding">The Conv's padding on every side: 1 (the default) keeps 5x5, 0 gives 3x3.</param>
        public static byte[] Onnx(int padding = 1)
        {
            int side = 5 + (2 * padding) - 2;
            const float InputScale = 0.05f;
            float[] weightScales = { 0.01f, 0.02f, 0.015f };
            OnnxGraphBuilder builder = new OnnxGraphBuilder("qdq_conv");
            builder.AddInput("images", DataType.Float, 1, 2, 5, 5);
            builder.AddInitializer("images_scale", [InputScale], []);
            builder.AddInitializer("images_zero_point", [(sbyte)-3], []);
            builder.AddInitializer("w", Enumerable.Range(0, 54).Select(i => (sbyte)(((i * 37) % 61) - 30)).ToArray(), [3, 2, 3, 3]);
            builder.AddInitializer("w_scale", weightScales, [3]);
            builder.AddInitializer("w_zero_point", new sbyte[3], [3]);
            builder.AddInitializer("b", [150, -300, 40], [3]);
            builder.AddInitializer("b_scale", weightScales.Select(scale => scale * InputScale).ToArray(), [3]);
            builder.AddInitializer("b_zero_point", new int[3], [3]);
            builder.AddInitializer("features_scale", [0.1f], []);
            builder.AddInitializer("features_zero_point", [(sbyte)-128], []);
            builder.AddNode("QuantizeLinear", ["images", "images_scale", "images_zero_point"], ["images_q"]).WithName("images_quantize");
            builder.AddNode("DequantizeLinear", ["images_q", "images_scale", "images_zero_point"], ["images_dq"]).WithName("images_dequantize");
            builder.AddNode("DequantizeLinear", ["w", "w_scale", "w_zero_point"], ["w_dq"]).WithName("w_dequantize").WithInt("axis", 0);
            builder.AddNode("DequantizeLinear", ["b", "b_scale", "b_zero_point"], ["b_dq"]).WithName("b_dequantize").WithInt("axis", 0);
            builder.AddNode("Conv", ["images_dq", "w_dq", "b_dq"], ["conv_out"]).WithName("conv1")
                .WithInts("kernel_shape", 3, 3)
                .WithInts("pads", padding, padding, padding, padding);
            builder.AddNode("Relu", ["conv_out"], ["relu_out"]).WithName("relu1");
            builder.AddNode("QuantizeLinear", ["relu_out", "features_scale", "features_zero_point"], ["features_q"]).WithName("features_quantize");
            builder.AddNode("DequantizeLinear", ["features_q", "features_scale", "features_zero_point"], ["features"]).WithName("features_dequantize");
            builder.AddOutput("features", DataType.Float, 1, 3, side, side);
            return builder.ToBytes();
        }

        /// <summary>Deterministic float input within the input's range.</summary>
        public static NpyArray Input(int seed = 1234)
        {
            Random random = new Random(seed);
            float[] values = Enumerable.Range(0, 50).Select(_ => (float)((random.NextDouble() * 12) - 6)).ToArray();
            return new NpyArray(values, 1, 2, 5, 5);
        }
    }
}
