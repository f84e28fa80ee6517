using NanoInt8.Onnx;
using static NanoInt8.Conversion.Tests.Generators.Sampling;

namespace NanoInt8.Conversion.Tests.Generators;

/// <summary>
/// Multi-layer QDQ families: small CNNs and MLPs of 5 to 15 layers with He-initialized random
/// weights quantized per output channel (symmetric int8, scale max|w|/127), biases as int32
/// behind DequantizeLinear, every activation calibrated (MinMax fit) on 16 random inputs.
/// </summary>
public sealed partial class QuantizedModelGenerator
{
    private GeneratedModel Cnn(string family, int seed, Random random)
    {
        QuantizedType type = Type(random);
        int channels = random.Next(1, 4);
        int height = random.Next(10, 19);
        int width = random.Next(10, 19);
        int[] inputShape = [1, channels, height, width];
        Quantization input = Pick(
            random,
            new Quantization(1f / 255, type == QuantizedType.Int8 ? sbyte.MinValue : 0, type),
            new Quantization(2f / 255, type == QuantizedType.Int8 ? 0 : 128, type),
            InputQuantization(random, type, 0.005, 0.05));
        var layers = new List<Layer>();
        var names = new List<string>();

        int outputChannels = random.Next(4, 9);
        int stride = Pick(random, 1, 2);
        layers.Add(SampleConvLayer(random, channels, outputChannels, 3, stride, 1, 1, relu: true));
        names.Add($"conv3x3/{stride}->{outputChannels}");
        channels = outputChannels;
        height = ((height - 1) / stride) + 1;
        width = ((width - 1) / stride) + 1;

        int classes = random.Next(4, 11);
        bool softmax = Chance(random, 0.5);
        int tail = 3 + (softmax ? 1 : 0); // GlobalAveragePool, Flatten, Gemm, Softmax
        int layerCount = 1;
        int blocks = random.Next(2, 7);
        for (int block = 0; block < blocks; block++)
        {
            string kind = Pick(random, "conv", "separable", "residual", "maxpool", "averagepool");
            int cost = kind switch { "separable" => 2, "residual" => 3, _ => 1 };
            if (layerCount + cost + tail > 15)
            {
                break;
            }

            if (kind is "maxpool" or "averagepool" && Math.Min(height, width) < 4)
            {
                kind = "conv";
                cost = 1;
            }

            switch (kind)
            {
                case "conv":
                    outputChannels = random.Next(4, 13);
                    layers.Add(SampleConvLayer(random, channels, outputChannels, 3, 1, 1, 1, relu: true));
                    names.Add($"conv3x3->{outputChannels}");
                    channels = outputChannels;
                    break;
                case "separable":
                    outputChannels = random.Next(4, 13);
                    layers.Add(SampleConvLayer(random, channels, channels, 3, 1, 1, channels, relu: true));
                    layers.Add(SampleConvLayer(random, channels, outputChannels, 1, 1, 0, 1, relu: true));
                    names.Add($"depthwise3x3+pointwise->{outputChannels}");
                    channels = outputChannels;
                    break;
                case "residual":
                    layers.Add(new ResidualLayer(
                        SampleConvLayer(random, channels, channels, 3, 1, 1, 1, relu: true),
                        SampleConvLayer(random, channels, channels, 3, 1, 1, 1, relu: false)));
                    names.Add("residual(conv,conv)+Add+Relu");
                    break;
                default:
                    layers.Add(new PoolLayer(kind == "maxpool"));
                    names.Add(kind + "2x2/2");
                    height /= 2;
                    width /= 2;
                    break;
            }

            layerCount += cost;
        }

        layers.Add(new GlobalPoolLayer());
        layers.Add(SampleDenseLayer(random, channels, classes, gemm: true, relu: false));
        if (softmax)
        {
            layers.Add(new SoftmaxLayer());
        }

        layerCount += tail;
        names.Add($"GlobalAveragePool,Flatten,Gemm->{classes}{(softmax ? ",Softmax" : string.Empty)}");
        string configuration = $"{layerCount} layers x {Format(inputShape)} {input}: {string.Join(", ", names)}";
        return BuildNetwork(family, seed, random, configuration, inputShape, input, layers, classes, type);
    }

    private GeneratedModel Mlp(string family, int seed, Random random)
    {
        QuantizedType type = Type(random);
        int features = random.Next(8, 49);
        Quantization input = InputQuantization(random, type, 0.005, 0.1);
        int classes = random.Next(4, 11);
        bool softmax = Chance(random, 0.5);
        int hidden = random.Next(4, softmax ? 13 : 14);
        var layers = new List<Layer>();
        var names = new List<string>();
        int width = features;
        for (int layer = 0; layer < hidden; layer++)
        {
            int next = random.Next(8, 49);
            bool gemm = Chance(random, 0.7);
            layers.Add(SampleDenseLayer(random, width, next, gemm, relu: true));
            names.Add($"{(gemm ? "Gemm" : "MatMul")}->{next}");
            width = next;
        }

        layers.Add(SampleDenseLayer(random, width, classes, gemm: true, relu: false));
        names.Add($"Gemm->{classes}");
        if (softmax)
        {
            layers.Add(new SoftmaxLayer());
            names.Add("Softmax");
        }

        string configuration = $"{layers.Count} layers x [1,{features}] {input}: {string.Join(", ", names)}";
        return BuildNetwork(family, seed, random, configuration, [1, features], input, layers, classes, type);
    }

    private GeneratedModel BuildNetwork(
        string family,
        int seed,
        Random random,
        string configuration,
        int[] inputShape,
        Quantization input,
        List<Layer> layers,
        int classes,
        QuantizedType type)
    {
        int depth = layers.Sum(layer => layer switch
        {
            ConvLayer => 1,
            ResidualLayer => 3,
            PoolLayer pool => pool.Max ? 0 : 1,
            GlobalPoolLayer => 1,
            DenseLayer => 1,
            SoftmaxLayer => 1,
            _ => 0,
        });
        long opset = Opset(random);

        // Random deep networks give logits of arbitrary size, and Softmax of large logits is
        // one-hot (a constant output proves nothing). A first float run measures the logits; the
        // classifier layer's weights and bias are then scaled so the logits span about ±target.
        double target = Uniform(random, 2, 6);
        IReadOnlyList<ValueRange> measured = Calibrate(seed, opset, graph => EmitNetwork(graph, inputShape, input, layers, classes, type), 1, NetworkCalibrationSamples);
        ValueRange logits = measured[^1];
        double factor = target / Math.Max(Math.Max(-logits.Low, logits.High), 1e-6);
        int classifier = layers.FindLastIndex(layer => layer is DenseLayer);
        var last = (DenseLayer)layers[classifier];
        layers[classifier] = last with
        {
            Scales = last.Scales.Select(scale => (float)(scale * factor)).ToArray(),
            Bias = last.Bias.Select(bias => (float)(bias * factor)).ToArray(),
        };
        return BuildQdq(
            family,
            seed,
            configuration + $" logits ±{Format(target)}",
            opset,
            graph => EmitNetwork(graph, inputShape, input, layers, classes, type),
            requantizationDepth: depth,
            isClassifier: true,
            calibrationSamples: NetworkCalibrationSamples);
    }

    private static void EmitNetwork(QdqGraph graph, int[] inputShape, Quantization input, List<Layer> layers, int classes, QuantizedType type)
    {
        QdqValue x = graph.FloatInput("x", inputShape, input);
        foreach (Layer layer in layers)
        {
            switch (layer)
            {
                case ConvLayer conv:
                    x = EmitConvLayer(graph, x, conv, type);
                    break;
                case ResidualLayer residual:
                    QdqValue inner = EmitConvLayer(graph, x, residual.First, type);
                    inner = EmitConvLayer(graph, inner, residual.Second, type);
                    string sum = graph.NewName("residual_add");
                    graph.Graph.AddNode("Add", [x.Name, inner.Name], [sum]);
                    string activated = graph.NewName("relu");
                    graph.Graph.AddNode("Relu", [sum], [activated]);
                    x = graph.Activation(activated, type, ZeroPointPolicy.Fit);
                    break;
                case PoolLayer pool:
                    string pooled = graph.NewName(pool.Max ? "maxpool" : "averagepool");
                    graph.Graph.AddNode(pool.Max ? "MaxPool" : "AveragePool", [x.Name], [pooled])
                        .WithInts("kernel_shape", 2, 2)
                        .WithInts("strides", 2, 2);
                    x = pool.Max ? graph.Shared(pooled, x) : graph.Activation(pooled, type, ZeroPointPolicy.Fit);
                    break;
                case GlobalPoolLayer:
                    string global = graph.NewName("globalaveragepool");
                    graph.Graph.AddNode("GlobalAveragePool", [x.Name], [global]);
                    x = graph.Activation(global, type, ZeroPointPolicy.Fit);
                    string flat = graph.NewName("flatten");
                    graph.Graph.AddNode("Flatten", [x.Name], [flat]).WithInt("axis", 1);
                    x = graph.Shared(flat, x);
                    break;
                case DenseLayer dense:
                    x = EmitDenseLayer(graph, x, dense, type);
                    break;
                case SoftmaxLayer:
                    string softmax = graph.NewName("softmax");
                    graph.Graph.AddNode("Softmax", [x.Name], [softmax]).WithInt("axis", -1);
                    x = graph.QuantizeDequantize(softmax, new Quantization(1f / 256, type == QuantizedType.Int8 ? sbyte.MinValue : 0, type));
                    break;
            }
        }

        graph.Output(x, [1, classes]);
    }

    private static QdqValue EmitConvLayer(QdqGraph graph, QdqValue x, ConvLayer layer, QuantizedType type)
    {
        long[] dims = [layer.OutputChannels, layer.InputChannels / layer.Groups, layer.Kernel, layer.Kernel];
        string weight = graph.Weight("w", layer.Weights, dims, layer.Scales, 0, WeightStyle.Quantized);
        string bias = graph.Bias("b", layer.Bias, x, layer.Scales, BiasStyle.Int32);
        string y = graph.NewName("conv");
        graph.Graph.AddNode("Conv", [x.Name, weight, bias], [y])
            .WithInts("kernel_shape", layer.Kernel, layer.Kernel)
            .WithInts("strides", layer.Stride, layer.Stride)
            .WithInts("pads", layer.Pad, layer.Pad, layer.Pad, layer.Pad)
            .WithInt("group", layer.Groups);
        if (layer.Relu)
        {
            string relu = graph.NewName("relu");
            graph.Graph.AddNode("Relu", [y], [relu]);
            y = relu;
        }

        return graph.Activation(y, type, ZeroPointPolicy.Fit);
    }

    private static QdqValue EmitDenseLayer(QdqGraph graph, QdqValue x, DenseLayer layer, QuantizedType type)
    {
        string y = graph.NewName(layer.Gemm ? "gemm" : "matmul");
        if (layer.Gemm)
        {
            // PyTorch's Linear: weight [out, in], transB=1, per-channel along axis 0.
            string weight = graph.Weight("w", layer.Weights, [layer.Outputs, layer.Inputs], layer.Scales, 0, WeightStyle.Quantized);
            string bias = graph.Bias("b", layer.Bias, x, layer.Scales, BiasStyle.Int32);
            graph.Graph.AddNode("Gemm", [x.Name, weight, bias], [y]).WithInt("transB", 1);
        }
        else
        {
            // MatMul weight [in, out], per-channel along axis 1.
            string weight = graph.Weight("w", Transpose(layer.Weights, layer.Outputs, layer.Inputs), [layer.Inputs, layer.Outputs], layer.Scales, 1, WeightStyle.Quantized);
            graph.Graph.AddNode("MatMul", [x.Name, weight], [y]);
        }

        if (layer.Relu)
        {
            string relu = graph.NewName("relu");
            graph.Graph.AddNode("Relu", [y], [relu]);
            y = relu;
        }

        return graph.Activation(y, type, ZeroPointPolicy.Fit);
    }

    private static ConvLayer SampleConvLayer(Random random, int inputChannels, int outputChannels, int kernel, int stride, int pad, int groups, bool relu)
    {
        int fanIn = inputChannels / groups * kernel * kernel;
        (sbyte[] weights, float[] scales) = HeWeights(random, outputChannels, fanIn);
        return new ConvLayer(inputChannels, outputChannels, kernel, stride, pad, groups, weights, scales, SmallBias(random, outputChannels), relu);
    }

    private static DenseLayer SampleDenseLayer(Random random, int inputs, int outputs, bool gemm, bool relu)
    {
        (sbyte[] weights, float[] scales) = HeWeights(random, outputs, inputs);
        return new DenseLayer(inputs, outputs, gemm, weights, scales, SmallBias(random, outputs), relu);
    }

    /// <summary>He-normal weights [channels, fanIn] quantized symmetrically per channel: scale max|w|/127.</summary>
    private static (sbyte[] Weights, float[] Scales) HeWeights(Random random, int channels, int fanIn)
    {
        double deviation = Math.Sqrt(2.0 / fanIn);
        var weights = new sbyte[channels * fanIn];
        var scales = new float[channels];
        var real = new double[fanIn];
        for (int channel = 0; channel < channels; channel++)
        {
            double largest = 0;
            for (int index = 0; index < fanIn; index++)
            {
                real[index] = Normal(random) * deviation;
                largest = Math.Max(largest, Math.Abs(real[index]));
            }

            scales[channel] = (float)(Math.Max(largest, 1e-6) / 127);
            for (int index = 0; index < fanIn; index++)
            {
                weights[(channel * fanIn) + index] = (sbyte)Math.Clamp(Math.Round(real[index] / scales[channel]), -127, 127);
            }
        }

        return (weights, scales);
    }

    private static float[] SmallBias(Random random, int channels) =>
        Enumerable.Range(0, channels).Select(_ => (float)(Normal(random) * 0.1)).ToArray();

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private static sbyte[] Transpose(sbyte[] values, int rows, int columns)
    {
        var transposed = new sbyte[values.Length];
        for (int row = 0; row < rows; row++)
        {
            for (int column = 0; column < columns; column++)
            {
                transposed[(column * rows) + row] = values[(row * columns) + column];
            }
        }

        return transposed;
    }

    private abstract record Layer;

    private sealed record ConvLayer(int InputChannels, int OutputChannels, int Kernel, int Stride, int Pad, int Groups, sbyte[] Weights, float[] Scales, float[] Bias, bool Relu) : Layer;

    private sealed record ResidualLayer(ConvLayer First, ConvLayer Second) : Layer;

    private sealed record PoolLayer(bool Max) : Layer;

    private sealed record GlobalPoolLayer : Layer;

    private sealed record DenseLayer(int Inputs, int Outputs, bool Gemm, sbyte[] Weights, float[] Scales, float[] Bias, bool Relu) : Layer;

    private sealed record SoftmaxLayer : Layer;
}
