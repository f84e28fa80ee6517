using NanoInt8.Host.Format;
using NanoInt8.Runtime;

namespace NanoInt8.Host.Tests.Execution
{
    /// <summary>
    /// Small valid models built by hand, with multipliers chosen so that the requantization is
    /// exact and the expected values can be worked out in the tests without fixed-point code:
    /// MBQM(x, 2^30, 1) = x and MBQM(x, 2^30, 2) = 2x.
    /// </summary>
    internal static class ExecutionModels
    {
        public const int OneMultiplier = 1 << 30;

        /// <summary>
        /// float32 [1, 4] → Requantize ×2 → float32 [1, 4]. Input: scale 0.5, zero point 1; output:
        /// scale 0.25, zero point -3 (so real output = real input when nothing saturates).
        /// </summary>
        public static ModelBuilder FloatRequantize()
        {
            ModelBuilder builder = new ModelBuilder();
            int input = builder.AddArenaTensor("x", new[] { 1, 4 }, 1, 0);
            int output = builder.AddArenaTensor("y", new[] { 1, 4 }, -3, 4);
            builder.AddOperator(OpCode.Requantize, new[] { input }, new[] { output }, OperatorWords.Requantize((OneMultiplier, 2), -128, 127));
            builder.Inputs.Add(input);
            builder.Outputs.Add(output);
            builder.ArenaBytes = 8;
            builder.Metadata.Quantization.Add(new QuantizationEntry(input, 0.5f, 1, OriginalElementType.Float32));
            builder.Metadata.Quantization.Add(new QuantizationEntry(output, 0.25f, -3, OriginalElementType.Float32));
            builder.Metadata.OperatorNames.Add("requant_node");
            return builder;
        }

        /// <summary>
        /// uint8 [1, 3] → FullyConnected (2 outputs, ratio 1) → uint8 [1, 2]. ONNX zero points 128 in
        /// and 130 out, stored shifted by -128: 0 and 2.
        /// </summary>
        public static ModelBuilder UInt8FullyConnected(sbyte[] weights, int[] bias)
        {
            ModelBuilder builder = new ModelBuilder();
            int input = builder.AddArenaTensor("pixels", new[] { 1, 3 }, 0, 0);
            int filter = builder.AddConstantInt8("fc.weight", weights, new[] { 2, 3 });
            int biasTensor = builder.AddConstantInt32("fc.bias", bias, new[] { 2 });
            int multiplier = builder.AddConstantInt32("fc.multiplier", new[] { OneMultiplier, OneMultiplier }, new[] { 2 });
            int shift = builder.AddConstantInt32("fc.shift", new[] { 1, 1 }, new[] { 2 });
            int output = builder.AddArenaTensor("scores", new[] { 1, 2 }, 2, 4);
            builder.AddOperator(OpCode.FullyConnected, new[] { input, filter, biasTensor, multiplier, shift }, new[] { output }, OperatorWords.FullyConnected(-128, 127));
            builder.Inputs.Add(input);
            builder.Outputs.Add(output);
            builder.ArenaBytes = 8;
            builder.Metadata.Quantization.Add(new QuantizationEntry(input, 1f / 255, 0, OriginalElementType.UInt8));
            builder.Metadata.Quantization.Add(new QuantizationEntry(output, 0.1f, 2, OriginalElementType.UInt8));
            return builder;
        }

        /// <summary>int8 [4] → Requantize ×1 (zero point 5 → -5) → int8 [4], with no quantization metadata.</summary>
        public static ModelBuilder Int8WithoutMetadata()
        {
            ModelBuilder builder = new ModelBuilder();
            int input = builder.AddArenaTensor("in", new[] { 4 }, 5, 0);
            int output = builder.AddArenaTensor("out", new[] { 4 }, -5, 4);
            builder.AddOperator(OpCode.Requantize, new[] { input }, new[] { output }, OperatorWords.Requantize((OneMultiplier, 1), -128, 127));
            builder.Inputs.Add(input);
            builder.Outputs.Add(output);
            builder.ArenaBytes = 8;
            return builder;
        }
    }
}
