using BenchmarkDotNet.Attributes;
using NanoInt8.Host.Conversion;
using NanoInt8.Onnx;
using DataType = NanoInt8.Onnx.Protobuf.TensorProto.Types.DataType;

namespace NanoInt8.Benchmarks
{
    /// <summary>
    /// Conversion time of a 4-million-parameter QDQ model (issue: under 3 seconds). The model is an
    /// MLP of two 1448 x 1448 Gemm layers and one 1448 x 1024 layer with per-channel int8 weights
    /// (4,16 M weights), built once in setup; the benchmark measures load + convert + write.
    /// </summary>
    [MemoryDiagnoser]
    public class ConversionBenchmarks
    {
        private byte[] _model = Array.Empty<byte>();

        [GlobalSetup]
        public void Setup()
        {
            _model = BuildMlp(new[] { 1448, 1448, 1448, 1024 }, seed: 4);
        }

        [Benchmark]
        public int Convert4MParameterMlp()
        {
            ConversionResult result = OnnxConverter.Convert(OnnxModel.Load(_model));
            return result.Blob.Length;
        }

        /// <summary>A QDQ MLP: Q/DQ input, then Gemm + Relu + Q/DQ per layer, random int8 weights.</summary>
        public static byte[] BuildMlp(int[] widths, int seed)
        {
            var random = new Random(seed);
            var graph = new OnnxGraphBuilder("mlp", 13);
            graph.AddInput("x", DataType.Float, 1, widths[0]);
            graph.AddOutput("y", DataType.Float, 1, widths[^1]);
            graph.AddInitializer("x.scale", new[] { 0.05f }, Array.Empty<long>());
            graph.AddInitializer("x.zero", new sbyte[] { 0 }, Array.Empty<long>());
            graph.AddNode("QuantizeLinear", new[] { "x", "x.scale", "x.zero" }, new[] { "x.q" });
            string current = "x.q";
            string currentScale = "x.scale";
            string currentZero = "x.zero";
            for (int layer = 0; layer + 1 < widths.Length; layer++)
            {
                int inputs = widths[layer];
                int outputs = widths[layer + 1];
                string prefix = "fc" + layer;
                var weights = new sbyte[inputs * outputs];
                for (int i = 0; i < weights.Length; i++)
                {
                    weights[i] = (sbyte)random.Next(-127, 128);
                }

                var scales = new float[outputs];
                var bias = new int[outputs];
                for (int c = 0; c < outputs; c++)
                {
                    scales[c] = 0.0005f + (float)random.NextDouble() * 0.001f;
                    bias[c] = random.Next(-1000, 1000);
                }

                graph.AddInitializer(prefix + ".w", weights, new long[] { outputs, inputs });
                graph.AddInitializer(prefix + ".ws", scales, new long[] { outputs });
                graph.AddInitializer(prefix + ".wz", new sbyte[outputs], new long[] { outputs });
                graph.AddInitializer(prefix + ".b", bias, new long[] { outputs });
                graph.AddInitializer(prefix + ".bs", scales.Select(s => s * 0.05f).ToArray(), new long[] { outputs });
                graph.AddInitializer(prefix + ".y.scale", new[] { 0.05f }, Array.Empty<long>());
                graph.AddInitializer(prefix + ".y.zero", new sbyte[] { -128 }, Array.Empty<long>());
                graph.AddNode("DequantizeLinear", new[] { current, currentScale, currentZero }, new[] { prefix + ".in" });
                graph.AddNode("DequantizeLinear", new[] { prefix + ".w", prefix + ".ws", prefix + ".wz" }, new[] { prefix + ".wd" }).WithInt("axis", 0);
                graph.AddNode("DequantizeLinear", new[] { prefix + ".b", prefix + ".bs" }, new[] { prefix + ".bd" }).WithInt("axis", 0);
                graph.AddNode("Gemm", new[] { prefix + ".in", prefix + ".wd", prefix + ".bd" }, new[] { prefix + ".mm" }).WithInt("transB", 1);
                graph.AddNode("Relu", new[] { prefix + ".mm" }, new[] { prefix + ".relu" });
                graph.AddNode("QuantizeLinear", new[] { prefix + ".relu", prefix + ".y.scale", prefix + ".y.zero" }, new[] { prefix + ".q" });
                current = prefix + ".q";
                currentScale = prefix + ".y.scale";
                currentZero = prefix + ".y.zero";
            }

            graph.AddNode("DequantizeLinear", new[] { current, currentScale, currentZero }, new[] { "y" });
            return graph.ToBytes();
        }
    }
}
