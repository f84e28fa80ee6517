using NanoInt8.Onnx;
using DataType = NanoInt8.Onnx.Protobuf.TensorProto.Types.DataType;

namespace NanoInt8.Bench.ModelSuite;

/// <summary>
/// A float ONNX network written layer by layer with <see cref="OnnxGraphBuilder"/>: NCHW (or NCL
/// for 1-D) activations, He-initialized weights (normal, standard deviation √(2/fan-in)) and small
/// biases drawn from one seeded <see cref="Random"/>, so a network is the same on every machine.
/// Each method appends a layer to the current tensor and returns its output's name.
/// </summary>
public sealed class FloatNetwork
{
    private readonly OnnxGraphBuilder _builder;
    private readonly Random _random;
    private int _layer;

    /// <summary>Starts a network with one float input named "input" of <paramref name="inputShape"/> (batch 1 first).</summary>
    public FloatNetwork(string name, int seed, params int[] inputShape)
    {
        _builder = new OnnxGraphBuilder(name, opsetVersion: 13);
        _random = new Random(seed);
        _builder.AddInput(InputName, DataType.Float, inputShape.Select(dimension => (OnnxDimension)dimension).ToArray());
        InputShape = inputShape;
        Current = InputName;
        Shape = inputShape;
    }

    /// <summary>The graph input's name.</summary>
    public const string InputName = "input";

    /// <summary>The graph input's shape.</summary>
    public int[] InputShape { get; }

    /// <summary>The name of the tensor the next layer reads.</summary>
    public string Current { get; private set; }

    /// <summary>The shape of <see cref="Current"/>.</summary>
    public int[] Shape { get; private set; }

    /// <summary>
    /// Conv over the current tensor (2-D with a two-element <paramref name="kernel"/>, 1-D with
    /// one), weights [O, C/groups, kernel...], optional Relu after it.
    /// </summary>
    /// <param name="outputChannels">O.</param>
    /// <param name="kernel">Kernel size per spatial axis.</param>
    /// <param name="strides">Stride per spatial axis.</param>
    /// <param name="padsBegin">Padding before, per spatial axis.</param>
    /// <param name="padsEnd">Padding after, per spatial axis.</param>
    /// <param name="groups">1, or the input's channel count for a depthwise convolution.</param>
    /// <param name="relu">Whether a Relu follows.</param>
    public string Conv(int outputChannels, int[] kernel, int[] strides, int[] padsBegin, int[] padsEnd, int groups = 1, bool relu = true)
    {
        int inputChannels = Shape[1];
        int perGroup = inputChannels / groups;
        int fanIn = perGroup * kernel.Aggregate(1, (product, size) => product * size);
        string name = NextName("conv");
        long[] weightShape = new long[] { outputChannels, perGroup }.Concat(kernel.Select(size => (long)size)).ToArray();
        _builder.AddInitializer(name + ".weight", HeWeights(weightShape.Aggregate(1L, (product, size) => product * size), fanIn), weightShape);
        _builder.AddInitializer(name + ".bias", Biases(outputChannels), [outputChannels]);
        _builder.AddNode("Conv", [Current, name + ".weight", name + ".bias"], [name]).WithName(name)
            .WithInts("kernel_shape", kernel.Select(size => (long)size).ToArray())
            .WithInts("strides", strides.Select(stride => (long)stride).ToArray())
            .WithInts("pads", padsBegin.Concat(padsEnd).Select(pad => (long)pad).ToArray())
            .WithInt("group", groups);
        int[] shape = new int[Shape.Length];
        shape[0] = Shape[0];
        shape[1] = outputChannels;
        for (int axis = 0; axis < kernel.Length; axis++)
        {
            shape[axis + 2] = ((Shape[axis + 2] + padsBegin[axis] + padsEnd[axis] - kernel[axis]) / strides[axis]) + 1;
        }

        return Advance(name, shape, relu);
    }

    /// <summary>A square 2-D convolution with symmetric padding.</summary>
    public string Conv2D(int outputChannels, int kernel, int stride = 1, int pad = 0, int groups = 1, bool relu = true)
    {
        return Conv(outputChannels, [kernel, kernel], [stride, stride], [pad, pad], [pad, pad], groups, relu);
    }

    /// <summary>A depthwise 2-D convolution (one filter per channel).</summary>
    public string Depthwise2D(int kernel, int stride = 1, int pad = 0, bool relu = true)
    {
        return Conv2D(Shape[1], kernel, stride, pad, Shape[1], relu);
    }

    /// <summary>A 1-D convolution with symmetric padding.</summary>
    public string Conv1D(int outputChannels, int kernel, int stride = 1, int pad = 0, bool relu = true)
    {
        return Conv(outputChannels, [kernel], [stride], [pad], [pad], 1, relu);
    }

    /// <summary>Gemm (transB = 1) of the current [1, K] tensor, optional Relu after it.</summary>
    public string Gemm(int outputs, bool relu = true)
    {
        int depth = Shape[^1];
        string name = NextName("fc");
        _builder.AddInitializer(name + ".weight", HeWeights((long)outputs * depth, depth), [outputs, depth]);
        _builder.AddInitializer(name + ".bias", Biases(outputs), [outputs]);
        _builder.AddNode("Gemm", [Current, name + ".weight", name + ".bias"], [name]).WithName(name).WithInt("transB", 1);
        return Advance(name, [Shape[0], outputs], relu);
    }

    /// <summary>MaxPool with a square (2-D) or plain (1-D) window, stride equal to the window, no padding.</summary>
    public string MaxPool(int window)
    {
        string name = NextName("maxpool");
        int spatial = Shape.Length - 2;
        _builder.AddNode("MaxPool", [Current], [name]).WithName(name)
            .WithInts("kernel_shape", Enumerable.Repeat((long)window, spatial).ToArray())
            .WithInts("strides", Enumerable.Repeat((long)window, spatial).ToArray());
        return Advance(name, Shape.Select((size, axis) => axis < 2 ? size : size / window).ToArray(), relu: false);
    }

    /// <summary>GlobalAveragePool then Flatten: [1, C, ...] to [1, C].</summary>
    public string GlobalAveragePoolFlatten()
    {
        string pooled = NextName("gap");
        _builder.AddNode("GlobalAveragePool", [Current], [pooled]).WithName(pooled);
        Advance(pooled, Shape.Select((size, axis) => axis < 2 ? size : 1).ToArray(), relu: false);
        return Flatten();
    }

    /// <summary>Flatten to [1, everything else].</summary>
    public string Flatten()
    {
        string name = NextName("flatten");
        _builder.AddNode("Flatten", [Current], [name]).WithName(name).WithInt("axis", 1);
        return Advance(name, [Shape[0], Shape.Skip(1).Aggregate(1, (product, size) => product * size)], relu: false);
    }

    /// <summary>Add of the current tensor and <paramref name="other"/> (same shape), optional Relu after it.</summary>
    public string Add(string other, bool relu = true)
    {
        string name = NextName("add");
        _builder.AddNode("Add", [other, Current], [name]).WithName(name);
        return Advance(name, Shape, relu);
    }

    /// <summary>The model's bytes, the current tensor as the graph output.</summary>
    public byte[] ToOnnx()
    {
        _builder.AddOutput(Current, DataType.Float, Shape.Select(dimension => (OnnxDimension)dimension).ToArray());
        return _builder.ToBytes();
    }

    private string Advance(string name, int[] shape, bool relu)
    {
        Current = name;
        Shape = shape;
        if (relu)
        {
            string activated = name + ".relu";
            _builder.AddNode("Relu", [name], [activated]).WithName(activated);
            Current = activated;
        }

        return Current;
    }

    private string NextName(string kind) => $"{kind}{++_layer}";

    private float[] HeWeights(long count, int fanIn)
    {
        double deviation = Math.Sqrt(2.0 / fanIn);
        var values = new float[count];
        for (long index = 0; index < count; index++)
        {
            values[index] = (float)(Normal() * deviation);
        }

        return values;
    }

    private float[] Biases(int count)
    {
        var values = new float[count];
        for (int index = 0; index < count; index++)
        {
            values[index] = (float)(0.05 * Normal());
        }

        return values;
    }

    // Box-Muller: one standard normal value.
    private double Normal()
    {
        double uniform1 = 1.0 - _random.NextDouble();
        double uniform2 = _random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(uniform1)) * Math.Cos(2.0 * Math.PI * uniform2);
    }
}
