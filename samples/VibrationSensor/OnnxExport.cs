using System.Text.Json;
using NanoInt8.Host.Files;
using NanoInt8.Onnx;
using DataType = NanoInt8.Onnx.Protobuf.TensorProto.Types.DataType;

namespace NanoInt8.Samples.VibrationSensor
{
    /// <summary>
    /// Writes the trained network as a float ONNX model: acceleration [1, 1, 128] → Conv → Relu →
    /// Conv (stride 2) → Relu → GlobalAveragePool → Flatten → Gemm (transB=1) → logits [1, 3], with
    /// the class labels in its metadata_props ("labels", a JSON array), which the quantizer and the
    /// converter carry on to model.qdq.onnx and model.ni8.
    /// </summary>
    public static class OnnxExport
    {
        /// <summary>The graph input's name.</summary>
        public const string InputName = "acceleration";

        /// <summary>The graph output's name.</summary>
        public const string OutputName = "logits";

        /// <summary>The class labels, in the order of the logits (<see cref="MachineCondition"/>), as hosttool prints them.</summary>
        public static IReadOnlyList<string> Labels { get; } = new[] { "normal", "imbalance", "bearing fault" };

        /// <summary>The float model's .onnx bytes (weights rounded to float32).</summary>
        public static byte[] ToOnnx(VibrationNetwork network)
        {
            ArgumentNullException.ThrowIfNull(network);
            OnnxGraphBuilder builder = new OnnxGraphBuilder("vibration");
            builder.AddInput(InputName, DataType.Float, 1, 1, VibrationSignalModel.WindowLength);
            AddConv(builder, network.First, InputName, "conv1", "relu1");
            AddConv(builder, network.Second, "relu1", "conv2", "relu2");
            builder.AddNode("GlobalAveragePool", ["relu2"], ["pooled"]).WithName("pool");
            builder.AddNode("Flatten", ["pooled"], ["features"]).WithName("flatten").WithInt("axis", 1);
            DenseLayer classifier = network.Classifier;
            builder.AddInitializer("classifier.weight", ToFloats(classifier.Weights), [classifier.Outputs, classifier.Inputs]);
            builder.AddInitializer("classifier.bias", ToFloats(classifier.Bias), [classifier.Outputs]);
            builder.AddNode("Gemm", ["features", "classifier.weight", "classifier.bias"], [OutputName]).WithName("classifier").WithInt("transB", 1);
            builder.AddOutput(OutputName, DataType.Float, 1, VibrationNetwork.Classes);
            builder.AddMetadata(ClassLabels.OnnxMetadataKey, JsonSerializer.Serialize(Labels));
            return builder.ToBytes();
        }

        private static void AddConv(OnnxGraphBuilder builder, Conv1DLayer layer, string input, string name, string reluName)
        {
            builder.AddInitializer(layer.Weights.Name, ToFloats(layer.Weights), [layer.OutputChannels, layer.InputChannels, layer.Kernel]);
            builder.AddInitializer(layer.Bias.Name, ToFloats(layer.Bias), [layer.OutputChannels]);
            builder.AddNode("Conv", [input, layer.Weights.Name, layer.Bias.Name], [name]).WithName(name)
                .WithInts("kernel_shape", layer.Kernel)
                .WithInts("strides", layer.Stride)
                .WithInts("pads", layer.Padding, layer.Padding);
            builder.AddNode("Relu", [name], [reluName]).WithName(reluName);
        }

        private static float[] ToFloats(Parameter parameter) => parameter.Values.Select(value => (float)value).ToArray();
    }
}
