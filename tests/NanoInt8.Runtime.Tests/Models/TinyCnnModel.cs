using NanoInt8.Host.Format;

namespace NanoInt8.Runtime.Tests
{
    /// <summary>
    /// A small model touching five operators (Conv2D with padding, MaxPool, an in-place Reshape,
    /// FullyConnected, Softmax) and a memory plan that reuses arena bytes, built with the host
    /// writer. Its bytes are embedded in the shared tests as <see cref="TestModels.TinyCnnBlob"/>
    /// so that the same blob is validated and run on the device.
    /// </summary>
    internal static class TinyCnnModel
    {
        public const int ArenaBytes = 80;

        public static ModelBuilder Build()
        {
            var builder = new ModelBuilder();
            var random = new TestRandom(20261128);

            int input = builder.AddArenaTensor("input", new[] { 1, 2, 4, 4 }, -3, 0);
            int filter = builder.AddConstantInt8("conv.weight", KernelTestSupport.RandomBytes(random, 54, -127, 127), new[] { 3, 2, 3, 3 });
            int convBias = builder.AddConstantInt32("conv.bias", new[] { 1200, -800, 0 }, new[] { 3 });
            int convMultiplier = builder.AddConstantInt32("conv.multiplier", new[] { 1 << 30, 1500000000, 1200000000 }, new[] { 3 });
            int convShift = builder.AddConstantInt32("conv.shift", new[] { -9, -10, -9 }, new[] { 3 });
            int convOut = builder.AddArenaTensor("conv.out", new[] { 1, 3, 4, 4 }, -128, 32);
            int pooled = builder.AddArenaTensor("pool.out", new[] { 1, 3, 2, 2 }, -128, 0);
            int flat = builder.AddArenaTensor("flatten.out", new[] { 1, 12 }, -128, 0);
            int fcFilter = builder.AddConstantInt8("fc.weight", KernelTestSupport.RandomBytes(random, 48, -127, 127), new[] { 4, 12 });
            int fcBias = builder.AddConstantInt32("fc.bias", new[] { 300, -200, 100, 0 }, new[] { 4 });
            int fcMultiplier = builder.AddConstantInt32("fc.multiplier", new[] { 1 << 30, 1 << 30, 1300000000, 2000000000 }, new[] { 4 });
            int fcShift = builder.AddConstantInt32("fc.shift", new[] { -10, -11, -10, -11 }, new[] { 4 });
            int logits = builder.AddArenaTensor("logits", new[] { 1, 4 }, 5, 16);
            int probabilities = builder.AddArenaTensor("probabilities", new[] { 1, 4 }, -128, 32);
            var expTable = new int[256];
            for (int d = 0; d < 256; d++)
            {
                // exp(-d · ln2 / 4) in Q20, built without floating point: halves every 4 steps.
                expTable[d] = d < 80 ? (1 << 20) >> (d / 4) : 1;
            }

            int softmaxTable = builder.AddConstantInt32("softmax.exp", expTable, new[] { 256 });

            builder.AddOperator(OpCode.Conv2D, new[] { input, filter, convBias, convMultiplier, convShift }, new[] { convOut },
                OperatorWords.Conv2D(new OperatorWindow(1, 1, 1, 1, 1, 1, 1, 1), 1, -128, 127));
            builder.AddOperator(OpCode.MaxPool, new[] { convOut }, new[] { pooled },
                OperatorWords.MaxPool(2, 2, new OperatorWindow(2, 2, 1, 1, 0, 0, 0, 0), -128, 127));
            builder.AddOperator(OpCode.Reshape, new[] { pooled }, new[] { flat }, OperatorWords.Reshape());
            builder.AddOperator(OpCode.FullyConnected, new[] { flat, fcFilter, fcBias, fcMultiplier, fcShift }, new[] { logits },
                OperatorWords.FullyConnected(-128, 127));
            // 2^-16 / (1/256) = 2^-8 = 2^30 · 2^(-7 - 31).
            builder.AddOperator(OpCode.Softmax, new[] { logits, softmaxTable }, new[] { probabilities }, OperatorWords.Softmax((1 << 30, -7)));
            builder.Inputs.Add(input);
            builder.Outputs.Add(probabilities);
            builder.ArenaBytes = ArenaBytes;
            builder.Metadata.ModelName = "tiny-cnn";
            return builder;
        }
    }
}
