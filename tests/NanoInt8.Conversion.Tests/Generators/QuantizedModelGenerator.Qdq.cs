using NanoInt8.Onnx;
using static NanoInt8.Conversion.Tests.Generators.Sampling;

namespace NanoInt8.Conversion.Tests.Generators;

/// <summary>Single-operator QDQ families: float input → QuantizeLinear → DequantizeLinear → operator → QuantizeLinear → DequantizeLinear → float output.</summary>
public sealed partial class QuantizedModelGenerator
{
    private GeneratedModel QdqConv(string family, int seed, Random random, int spatialRank)
    {
        ConvSpec spec = SampleConv(random, spatialRank, operatorFormat: false);
        long opset = Opset(random);
        return BuildQdq(family, seed, $"opset {opset} {spec.Description}", opset, graph => EmitQdqConv(graph, spec), calibrationPasses: spec.Activation.NeedsRange ? 2 : 1);
    }

    private GeneratedModel QdqGemm(string family, int seed, Random random)
    {
        GemmSpec spec = SampleGemm(random, operatorFormat: false);
        long opset = Opset(random);
        return BuildQdq(family, seed, $"opset {opset} {spec.Description}", opset, graph => EmitQdqGemm(graph, spec), calibrationPasses: spec.Activation.NeedsRange ? 2 : 1);
    }

    private GeneratedModel QdqMatMul(string family, int seed, Random random)
    {
        MatMulSpec spec = SampleMatMul(random, operatorFormat: false);
        long opset = Opset(random);
        return BuildQdq(family, seed, $"opset {opset} {spec.Description}", opset, graph => EmitQdqMatMul(graph, spec));
    }

    private GeneratedModel QdqBinary(string family, int seed, Random random, string operatorType)
    {
        BinarySpec spec = SampleBinary(random, operatorType, allowConstant: true);
        long opset = Opset(random);
        return BuildQdq(family, seed, $"opset {opset} {spec.Description}", opset, graph => EmitQdqBinary(graph, spec));
    }

    private GeneratedModel QdqMaxPool(string family, int seed, Random random)
    {
        PoolSpec spec = SamplePool(random, allowDilation: true);
        long opset = Opset(random);
        return BuildQdq(family, seed, $"opset {opset} {spec.Description}", opset, graph =>
        {
            QdqValue x = graph.FloatInput("x", spec.InputShape, spec.Input);
            string y = graph.NewName("maxpool");
            spec.AddAttributes(graph.Graph.AddNode("MaxPool", [x.Name], [y]), withDilations: true);
            graph.Output(graph.QuantizeDequantize(y, spec.Input), spec.OutputShape);
        });
    }

    private GeneratedModel QdqAveragePool(string family, int seed, Random random)
    {
        PoolSpec spec = SamplePool(random, allowDilation: false);
        long opset = Opset(random);
        return BuildQdq(family, seed, $"opset {opset} {spec.Description}", opset, graph => EmitQdqAveragePool(graph, spec));
    }

    private GeneratedModel QdqGlobalAveragePool(string family, int seed, Random random)
    {
        GlobalPoolSpec spec = SampleGlobalPool(random);
        long opset = Opset(random);
        return BuildQdq(family, seed, $"opset {opset} {spec.Description}", opset, graph => EmitQdqGlobalAveragePool(graph, spec));
    }

    private GeneratedModel QdqConcat(string family, int seed, Random random)
    {
        ConcatSpec spec = SampleConcat(random);
        long opset = Opset(random);
        return BuildQdq(family, seed, $"opset {opset} {spec.Description}", opset, graph => EmitQdqConcat(graph, spec));
    }

    private GeneratedModel QdqReshape(string family, int seed, Random random)
    {
        int[] shape = [1, random.Next(1, 5), random.Next(1, 7), random.Next(1, 7)];
        (long[] target, int[] outputShape) = Pick(
            random,
            (new long[] { 1, shape[1] * shape[2] * shape[3] }, new[] { 1, shape[1] * shape[2] * shape[3] }),
            (new long[] { 1, shape[1], shape[2] * shape[3] }, new[] { 1, shape[1], shape[2] * shape[3] }),
            (new long[] { 1, -1 }, new[] { 1, shape[1] * shape[2] * shape[3] }),
            (new long[] { 1, 0, -1 }, new[] { 1, shape[1], shape[2] * shape[3] }),
            (new long[] { 1, shape[1] * shape[2], shape[3] }, new[] { 1, shape[1] * shape[2], shape[3] }));
        Quantization input = InputQuantization(random, Type(random));
        long opset = Opset(random);
        return BuildQdq(family, seed, $"opset {opset} in {Format(shape)} shape {Format(target)}", opset, graph =>
        {
            QdqValue x = graph.FloatInput("x", shape, input);
            string y = graph.NewName("reshape");
            graph.Graph.AddNode("Reshape", [x.Name, graph.AddInt64("shape", target)], [y]);
            graph.Output(graph.QuantizeDequantize(y, input), outputShape);
        });
    }

    private GeneratedModel QdqFlatten(string family, int seed, Random random)
    {
        int[] shape = [random.Next(1, 3), random.Next(1, 5), random.Next(1, 7), random.Next(1, 7)];
        int axis = Chance(random, 0.7) ? 1 : random.Next(0, 4);
        int[] outputShape = [shape.Take(axis).Aggregate(1, (a, b) => a * b), shape.Skip(axis).Aggregate(1, (a, b) => a * b)];
        Quantization input = InputQuantization(random, Type(random));
        long opset = Opset(random);
        return BuildQdq(family, seed, $"opset {opset} in {Format(shape)} axis {axis}", opset, graph =>
        {
            QdqValue x = graph.FloatInput("x", shape, input);
            string y = graph.NewName("flatten");
            graph.Graph.AddNode("Flatten", [x.Name], [y]).WithInt("axis", axis);
            graph.Output(graph.QuantizeDequantize(y, input), outputShape);
        });
    }

    private GeneratedModel QdqTranspose(string family, int seed, Random random)
    {
        bool fourD = Chance(random, 0.75);
        int[] shape = fourD
            ? [random.Next(1, 3), random.Next(1, 5), random.Next(1, 6), random.Next(1, 6)]
            : [random.Next(1, 4), random.Next(1, 6), random.Next(1, 6)];
        int[] perm;
        double draw = random.NextDouble();
        if (fourD && draw < 0.4)
        {
            perm = [0, 2, 3, 1];
        }
        else if (fourD && draw < 0.6)
        {
            perm = [0, 3, 1, 2];
        }
        else
        {
            perm = Enumerable.Range(0, shape.Length).OrderBy(_ => random.Next()).ToArray();
        }

        int[] outputShape = perm.Select(axis => shape[axis]).ToArray();
        Quantization input = InputQuantization(random, Type(random));
        long opset = Opset(random);
        return BuildQdq(family, seed, $"opset {opset} in {Format(shape)} perm {Format(perm)}", opset, graph =>
        {
            QdqValue x = graph.FloatInput("x", shape, input);
            string y = graph.NewName("transpose");
            graph.Graph.AddNode("Transpose", [x.Name], [y]).WithInts("perm", perm.Select(axis => (long)axis).ToArray());
            graph.Output(graph.QuantizeDequantize(y, input), outputShape);
        });
    }

    private GeneratedModel QdqPad(string family, int seed, Random random)
    {
        int[] shape = [1, random.Next(1, 5), random.Next(1, 7), random.Next(1, 7)];
        long[] pads = new long[8];
        do
        {
            for (int index = 0; index < 8; index++)
            {
                // No padding of the batch dimension: a model does not do that.
                pads[index] = index % 4 == 0 ? 0 : (Chance(random, 0.6) ? random.Next(0, 3) : 0);
            }
        }
        while (pads.All(pad => pad == 0));

        bool explicitConstant = Chance(random, 0.6);
        int[] outputShape = shape.Select((dimension, axis) => dimension + (int)pads[axis] + (int)pads[axis + 4]).ToArray();
        Quantization input = InputQuantization(random, Type(random));
        long opset = Opset(random);
        return BuildQdq(family, seed, $"opset {opset} in {Format(shape)} pads {Format(pads)} constant {(explicitConstant ? "0.0 given" : "omitted")}", opset, graph =>
        {
            QdqValue x = graph.FloatInput("x", shape, input);
            string y = graph.NewName("pad");
            string padsName = graph.AddInt64("pads", pads);
            string[] inputs = explicitConstant ? [x.Name, padsName, graph.AddFloatScalar("pad_value", 0f)] : [x.Name, padsName];
            graph.Graph.AddNode("Pad", inputs, [y]).WithString("mode", "constant");
            graph.Output(graph.QuantizeDequantize(y, input), outputShape);
        });
    }

    private GeneratedModel QdqFused(string family, int seed, Random random, bool relu)
    {
        FusedActivation activation = relu ? FusedActivation.Relu : FusedActivation.RandomClip(random);
        long opset = Opset(random);
        int passes = activation.NeedsRange ? 2 : 1;
        switch (random.Next(3))
        {
            case 0:
                ConvSpec conv = SampleConv(random, 2, operatorFormat: false) with { Activation = activation };
                return BuildQdq(family, seed, $"opset {opset} Conv {conv.Description} + {activation}", opset, graph => EmitQdqConv(graph, conv), calibrationPasses: passes);
            case 1:
                GemmSpec gemm = SampleGemm(random, operatorFormat: false) with { Activation = activation };
                return BuildQdq(family, seed, $"opset {opset} Gemm {gemm.Description} + {activation}", opset, graph => EmitQdqGemm(graph, gemm), calibrationPasses: passes);
            default:
                BinarySpec add = SampleBinary(random, "Add", allowConstant: false) with { Activation = activation };
                return BuildQdq(family, seed, $"opset {opset} {add.Description} + {activation}", opset, graph => EmitQdqBinary(graph, add), calibrationPasses: passes);
        }
    }

    private GeneratedModel QdqUnary(string family, int seed, Random random, string operatorType)
    {
        UnarySpec spec = SampleUnary(random, operatorType);
        return BuildQdq(family, seed, $"opset {spec.Opset} {spec.Description}", spec.Opset, graph => EmitQdqUnary(graph, spec));
    }

    private GeneratedModel QdqSoftmax(string family, int seed, Random random)
    {
        SoftmaxSpec spec = SampleSoftmax(random);
        return BuildQdq(family, seed, $"opset {spec.Opset} {spec.Description}", spec.Opset, graph => EmitQdqSoftmax(graph, spec));
    }

    // ---- Conv -------------------------------------------------------------------------------

    /// <summary>A Conv (1-D or 2-D) configuration; the same one drives the QDQ, QLinearConv and ConvInteger forms.</summary>
    private sealed record ConvSpec(
        int Batch,
        int InputChannels,
        int OutputChannels,
        int Groups,
        int[] InputSpatial,
        int[] Kernel,
        int[] Strides,
        int[] Dilations,
        int[] Pads,
        int[] OutputSpatial,
        Quantization Input,
        QuantizedType OutputType,
        ZeroPointPolicy Policy,
        sbyte[] Weights,
        float[] WeightScales,
        bool UnsignedWeights,
        WeightStyle WeightStyle,
        float[] Bias,
        BiasStyle BiasStyle,
        FusedActivation Activation,
        string Sampled)
    {
        public int[] InputShape => [Batch, InputChannels, .. InputSpatial];

        public int[] OutputShape => [Batch, OutputChannels, .. OutputSpatial];

        public long[] WeightDims => [OutputChannels, InputChannels / Groups, .. Kernel.Select(size => (long)size)];

        public string Description => $"{Sampled} w {(UnsignedWeights ? "uint8 zp128" : "int8")} {WeightStyle} bias {BiasStyle} act {Activation} out {OutputType} {Policy}";

        public void AddAttributes(OnnxNodeBuilder node) => node
            .WithInts("kernel_shape", Kernel.Select(size => (long)size).ToArray())
            .WithInts("strides", Strides.Select(size => (long)size).ToArray())
            .WithInts("dilations", Dilations.Select(size => (long)size).ToArray())
            .WithInts("pads", Pads.Select(size => (long)size).ToArray())
            .WithInt("group", Groups);
    }

    /// <summary>
    /// Samples a Conv: plain, grouped or depthwise (channel multiplier 1 or 2); kernel 1..5, stride
    /// 1..3, dilation 1..2, explicit pads (often asymmetric) per spatial axis.
    /// </summary>
    private static ConvSpec SampleConv(Random random, int spatialRank, bool operatorFormat, bool forcePerTensor = false)
    {
        QuantizedType inputType = Type(random);
        int groups;
        int inputChannels;
        int outputChannels;
        string grouping;
        double draw = random.NextDouble();
        if (draw < 0.4)
        {
            groups = 1;
            inputChannels = random.Next(1, 7);
            outputChannels = random.Next(1, 9);
            grouping = "g=1";
        }
        else if (draw < 0.65)
        {
            groups = random.Next(2, 4);
            inputChannels = groups * random.Next(1, 4);
            outputChannels = groups * random.Next(1, 4);
            grouping = $"g={groups}";
        }
        else
        {
            int multiplier = Chance(random, 0.55) ? 1 : 2;
            inputChannels = random.Next(1, 9);
            groups = inputChannels;
            outputChannels = inputChannels * multiplier;
            grouping = $"depthwise x{multiplier}";
        }

        var kernel = new int[spatialRank];
        var strides = new int[spatialRank];
        var dilations = new int[spatialRank];
        var pads = new int[2 * spatialRank];
        var inputSpatial = new int[spatialRank];
        var outputSpatial = new int[spatialRank];
        for (int axis = 0; axis < spatialRank; axis++)
        {
            kernel[axis] = random.Next(1, 6);
            strides[axis] = random.Next(1, 4);
            dilations[axis] = Chance(random, 0.7) ? 1 : 2;
            int effective = (dilations[axis] * (kernel[axis] - 1)) + 1;
            pads[axis] = random.Next(0, Math.Min(effective, 4));
            pads[axis + spatialRank] = Chance(random, 0.5) ? pads[axis] : random.Next(0, Math.Min(effective, 4));
            inputSpatial[axis] = Math.Max(1, effective - pads[axis] - pads[axis + spatialRank]) + random.Next(0, spatialRank == 1 ? 16 : 8);
            outputSpatial[axis] = ((inputSpatial[axis] + pads[axis] + pads[axis + spatialRank] - effective) / strides[axis]) + 1;
        }

        int batch = Chance(random, 0.15) ? 2 : 1;
        Quantization input = InputQuantization(random, inputType, 1e-4, 1);
        int reduction = inputChannels / groups * kernel.Aggregate(1, (a, b) => a * b);
        bool perChannel = !forcePerTensor && outputChannels > 1 && Chance(random, 0.8);
        float[] scales = WeightScales(random, perChannel ? outputChannels : 1, out string scaleDescription);
        bool unsignedWeights = UnsignedWeights(random, perChannel, inputType, operatorFormat);
        sbyte[] weights = WeightValues(random, outputChannels * reduction);
        WeightStyle weightStyle = !operatorFormat && Chance(random, 0.35) ? WeightStyle.FloatQuantizeDequantize : WeightStyle.Quantized;
        double biasDraw = random.NextDouble();
        BiasStyle biasStyle = operatorFormat
            ? (biasDraw < 0.7 ? BiasStyle.Int32 : BiasStyle.None)
            : (biasDraw < 0.5 ? BiasStyle.Int32 : biasDraw < 0.75 ? BiasStyle.Float : BiasStyle.None);
        float[] bias = Sampling.Bias(random, outputChannels, reduction, input.Scale, scales);
        FusedActivation activation = !operatorFormat && Chance(random, 0.2) ? FusedActivation.Relu : FusedActivation.None;
        QuantizedType outputType = operatorFormat ? inputType : OutputType(random, inputType);
        ZeroPointPolicy policy = Policy(random);
        string sampled = $"x {Format(new[] { batch, inputChannels }.Concat(inputSpatial))} {input} O={outputChannels} {grouping} k={Format(kernel)} s={Format(strides)} d={Format(dilations)} pads={Format(pads)} {(perChannel ? "per-channel" : "per-tensor")} {scaleDescription}";
        return new ConvSpec(
            batch, inputChannels, outputChannels, groups, inputSpatial, kernel, strides, dilations, pads, outputSpatial,
            input, outputType, policy, weights, scales, unsignedWeights, weightStyle, bias, biasStyle, activation, sampled);
    }

    /// <summary>
    /// uint8 weights (zero point 128) in 30% of per-tensor cases; operator-format kernels of ORT
    /// take uint8 weights only with uint8 activations.
    /// </summary>
    private static bool UnsignedWeights(Random random, bool perChannel, QuantizedType inputType, bool operatorFormat) =>
        !perChannel && (!operatorFormat || inputType == QuantizedType.UInt8) && Chance(random, 0.3);

    private static void EmitQdqConv(QdqGraph graph, ConvSpec spec)
    {
        QdqValue x = graph.FloatInput("x", spec.InputShape, spec.Input);
        string weight = graph.Weight("w", spec.Weights, spec.WeightDims, spec.WeightScales, 0, spec.WeightStyle, spec.UnsignedWeights);
        string bias = graph.Bias("b", spec.Bias, x, spec.WeightScales, spec.BiasStyle);
        string y = graph.NewName("conv");
        spec.AddAttributes(graph.Graph.AddNode("Conv", bias.Length == 0 ? [x.Name, weight] : [x.Name, weight, bias], [y]));
        string activated = spec.Activation.Emit(graph, y);
        graph.Output(graph.Activation(activated, spec.OutputType, spec.Policy), spec.OutputShape);
    }

    // ---- Gemm, MatMul -----------------------------------------------------------------------

    /// <summary>A Gemm configuration: A [M,K] times B ([N,K] with transB=1, per-channel axis 0; or [K,N], axis 1) plus C [N].</summary>
    private sealed record GemmSpec(
        int M,
        int K,
        int N,
        bool TransB,
        Quantization Input,
        QuantizedType OutputType,
        ZeroPointPolicy Policy,
        sbyte[] Weights,
        float[] WeightScales,
        bool UnsignedWeights,
        WeightStyle WeightStyle,
        float[] Bias,
        BiasStyle BiasStyle,
        FusedActivation Activation,
        string Sampled)
    {
        public long[] WeightDims => TransB ? [N, K] : [K, N];

        public int WeightAxis => TransB ? 0 : 1;

        public string Description => $"{Sampled} w {(UnsignedWeights ? "uint8 zp128" : "int8")} {WeightStyle} bias {BiasStyle} act {Activation} out {OutputType} {Policy}";
    }

    private static GemmSpec SampleGemm(Random random, bool operatorFormat)
    {
        QuantizedType inputType = Type(random);
        int m = random.Next(1, 5);
        int k = random.Next(1, 33);
        int n = random.Next(1, 17);
        bool transB = Chance(random, 0.7);
        Quantization input = InputQuantization(random, inputType, 1e-4, 1);
        bool perChannel = n > 1 && Chance(random, 0.8);
        float[] scales = WeightScales(random, perChannel ? n : 1, out string scaleDescription);
        bool unsignedWeights = UnsignedWeights(random, perChannel, inputType, operatorFormat);
        sbyte[] weights = WeightValues(random, n * k);
        WeightStyle weightStyle = !operatorFormat && Chance(random, 0.35) ? WeightStyle.FloatQuantizeDequantize : WeightStyle.Quantized;
        double biasDraw = random.NextDouble();
        BiasStyle biasStyle = operatorFormat
            ? (biasDraw < 0.7 ? BiasStyle.Int32 : BiasStyle.None)
            : (biasDraw < 0.5 ? BiasStyle.Int32 : biasDraw < 0.75 ? BiasStyle.Float : BiasStyle.None);
        float[] bias = Sampling.Bias(random, n, k, input.Scale, scales);
        FusedActivation activation = !operatorFormat && Chance(random, 0.2) ? FusedActivation.Relu : FusedActivation.None;
        string sampled = $"A [{m},{k}] {input} N={n} transB={(transB ? 1 : 0)} {(perChannel ? "per-channel" : "per-tensor")} {scaleDescription}";
        return new GemmSpec(m, k, n, transB, input, operatorFormat ? inputType : OutputType(random, inputType), Policy(random), weights, scales, unsignedWeights, weightStyle, bias, biasStyle, activation, sampled);
    }

    private static void EmitQdqGemm(QdqGraph graph, GemmSpec spec)
    {
        QdqValue a = graph.FloatInput("a", [spec.M, spec.K], spec.Input);
        string weight = graph.Weight("w", spec.Weights, spec.WeightDims, spec.WeightScales, spec.WeightAxis, spec.WeightStyle, spec.UnsignedWeights);
        string bias = graph.Bias("b", spec.Bias, a, spec.WeightScales, spec.BiasStyle);
        string y = graph.NewName("gemm");
        OnnxNodeBuilder node = graph.Graph.AddNode("Gemm", bias.Length == 0 ? [a.Name, weight] : [a.Name, weight, bias], [y]);
        if (spec.TransB)
        {
            node.WithInt("transB", 1);
        }

        string activated = spec.Activation.Emit(graph, y);
        graph.Output(graph.Activation(activated, spec.OutputType, spec.Policy), [spec.M, spec.N]);
    }

    /// <summary>A MatMul configuration: A [M,K] or [B,M,K] times a constant [K,N] (per-channel axis 1 or per tensor).</summary>
    private sealed record MatMulSpec(
        int Batch,
        int M,
        int K,
        int N,
        Quantization Input,
        QuantizedType OutputType,
        ZeroPointPolicy Policy,
        sbyte[] Weights,
        float[] WeightScales,
        bool UnsignedWeights,
        WeightStyle WeightStyle,
        string Sampled)
    {
        public int[] InputShape => Batch == 0 ? [M, K] : [Batch, M, K];

        public int[] OutputShape => Batch == 0 ? [M, N] : [Batch, M, N];

        public string Description => $"{Sampled} w {(UnsignedWeights ? "uint8 zp128" : "int8")} {WeightStyle} out {OutputType} {Policy}";
    }

    private static MatMulSpec SampleMatMul(Random random, bool operatorFormat, bool forcePerTensor = false)
    {
        QuantizedType inputType = Type(random);
        int batch = Chance(random, 0.4) ? random.Next(1, 4) : 0;
        int m = random.Next(1, 5);
        int k = random.Next(1, 33);
        int n = random.Next(1, 17);
        Quantization input = InputQuantization(random, inputType, 1e-4, 1);
        bool perChannel = !forcePerTensor && n > 1 && Chance(random, 0.8);
        float[] scales = WeightScales(random, perChannel ? n : 1, out string scaleDescription);
        bool unsignedWeights = UnsignedWeights(random, perChannel, inputType, operatorFormat);
        sbyte[] weights = WeightValues(random, k * n);
        WeightStyle weightStyle = !operatorFormat && Chance(random, 0.35) ? WeightStyle.FloatQuantizeDequantize : WeightStyle.Quantized;
        string left = batch == 0 ? $"[{m},{k}]" : $"[{batch},{m},{k}]";
        string sampled = $"A {left} {input} B [{k},{n}] {(perChannel ? "per-channel" : "per-tensor")} {scaleDescription}";
        return new MatMulSpec(batch, m, k, n, input, operatorFormat ? inputType : OutputType(random, inputType), Policy(random), weights, scales, unsignedWeights, weightStyle, sampled);
    }

    private static void EmitQdqMatMul(QdqGraph graph, MatMulSpec spec)
    {
        QdqValue a = graph.FloatInput("a", spec.InputShape, spec.Input);
        string weight = graph.Weight("w", spec.Weights, [spec.K, spec.N], spec.WeightScales, 1, spec.WeightStyle, spec.UnsignedWeights);
        string y = graph.NewName("matmul");
        graph.Graph.AddNode("MatMul", [a.Name, weight], [y]);
        graph.Output(graph.Activation(y, spec.OutputType, spec.Policy), spec.OutputShape);
    }

    // ---- Add, Sub, Mul ----------------------------------------------------------------------

    /// <summary>
    /// A binary element-wise configuration: two activations with different scales, same shape or
    /// broadcast (per-channel [1,C,1,1] against [N,C,H,W], a row [K] against [M,K], a scalar),
    /// the broadcast operand on either side, optionally a constant quantized operand.
    /// </summary>
    private sealed record BinarySpec(
        string OperatorType,
        int[] LeftShape,
        int[] RightShape,
        bool ConstantRight,
        int[] ConstantValues,
        Quantization Left,
        Quantization Right,
        QuantizedType OutputType,
        ZeroPointPolicy Policy,
        FusedActivation Activation,
        bool Swapped,
        string Sampled)
    {
        public int[] OutputShape => LeftShape.Length >= RightShape.Length ? LeftShape : RightShape;

        public string Description => $"{OperatorType} {Sampled} act {Activation} out {OutputType} {Policy}";
    }

    private static BinarySpec SampleBinary(Random random, string operatorType, bool allowConstant)
    {
        QuantizedType type = Type(random);
        int[] full = Chance(random, 0.6)
            ? [random.Next(1, 3), random.Next(1, 5), random.Next(1, 7), random.Next(1, 7)]
            : [random.Next(1, 5), random.Next(1, 17)];
        string kind = Pick(random, "same", "same", "per-channel", "scalar");
        int[] other = kind switch
        {
            "same" => full,
            "per-channel" when full.Length == 4 => [1, full[1], 1, 1],
            "per-channel" => [full[1]],
            _ => Chance(random, 0.5) ? [] : [1],
        };
        bool constant = allowConstant && Chance(random, 0.3);
        bool swapped = !constant && kind != "same" && Chance(random, 0.3);
        Quantization left = InputQuantization(random, type);
        Quantization right = InputQuantization(random, type);
        int count = other.Aggregate(1, (a, b) => a * b);
        int[] constantValues = Enumerable.Range(0, count).Select(_ => random.Next(right.Min, right.Max + 1)).ToArray();
        string shown = kind == "per-channel" && full.Length == 2 ? "row" : kind;
        string sampled = $"{shown} a {Format(swapped ? other : full)} {(swapped ? right : left)} b {Format(swapped ? full : other)}{(constant ? " constant" : string.Empty)} {(swapped ? left : right)}";
        return new BinarySpec(operatorType, full, other, constant, constantValues, left, right, OutputType(random, type), Policy(random), FusedActivation.None, swapped, sampled);
    }

    private static void EmitQdqBinary(QdqGraph graph, BinarySpec spec)
    {
        QdqValue left = graph.FloatInput("a", spec.LeftShape, spec.Left);
        QdqValue right = spec.ConstantRight
            ? graph.Constant("b", spec.ConstantValues, spec.RightShape.Select(size => (long)size).ToArray(), spec.Right)
            : graph.FloatInput("b", spec.RightShape, spec.Right);
        string y = graph.NewName(spec.OperatorType.ToLowerInvariant());
        graph.Graph.AddNode(spec.OperatorType, spec.Swapped ? [right.Name, left.Name] : [left.Name, right.Name], [y]);
        string activated = spec.Activation.Emit(graph, y);
        graph.Output(graph.Activation(activated, spec.OutputType, spec.Policy), spec.OutputShape);
    }

    // ---- Pooling, Concat ----------------------------------------------------------------------

    /// <summary>A MaxPool or AveragePool configuration over [N,C,H,W].</summary>
    private sealed record PoolSpec(
        int[] InputShape,
        int[] OutputShape,
        int[] Kernel,
        int[] Strides,
        int[] Dilations,
        int[] Pads,
        bool CountIncludePad,
        bool SharedOutput,
        Quantization Input,
        QuantizedType OutputType,
        ZeroPointPolicy Policy)
    {
        public string Description =>
            $"x {Format(InputShape)} {Input} k={Format(Kernel)} s={Format(Strides)} d={Format(Dilations)} pads={Format(Pads)} count_include_pad={(CountIncludePad ? 1 : 0)} output {(SharedOutput ? "shares input quantization" : $"calibrated {OutputType} {Policy}")}";

        public void AddAttributes(OnnxNodeBuilder node, bool withDilations)
        {
            node.WithInts("kernel_shape", Kernel.Select(size => (long)size).ToArray())
                .WithInts("strides", Strides.Select(size => (long)size).ToArray())
                .WithInts("pads", Pads.Select(size => (long)size).ToArray());
            if (withDilations)
            {
                node.WithInts("dilations", Dilations.Select(size => (long)size).ToArray());
            }
        }
    }

    /// <summary>
    /// Samples a pooling window: kernel 1..4, stride 1..3, pads below the kernel size (ORT's
    /// rule), dilation 1..2 for MaxPool; resampled until every window covers at least one real
    /// element (a window of padding only has no defined maximum or average).
    /// </summary>
    private static PoolSpec SamplePool(Random random, bool allowDilation)
    {
        QuantizedType type = Type(random);
        int channels = random.Next(1, 5);
        var kernel = new int[2];
        var strides = new int[2];
        var dilations = new int[2];
        var pads = new int[4];
        var input = new int[2];
        var output = new int[2];
        for (int axis = 0; axis < 2; axis++)
        {
            do
            {
                kernel[axis] = random.Next(1, 5);
                strides[axis] = random.Next(1, 4);
                dilations[axis] = allowDilation && Chance(random, 0.25) ? 2 : 1;
                pads[axis] = random.Next(0, kernel[axis]);
                pads[axis + 2] = Chance(random, 0.5) ? pads[axis] : random.Next(0, kernel[axis]);
                int effective = (dilations[axis] * (kernel[axis] - 1)) + 1;
                input[axis] = Math.Max(1, effective - pads[axis] - pads[axis + 2]) + random.Next(0, 8);
                output[axis] = ((input[axis] + pads[axis] + pads[axis + 2] - effective) / strides[axis]) + 1;
            }
            while (!EveryWindowCoversInput(input[axis], output[axis], kernel[axis], strides[axis], dilations[axis], pads[axis]));
        }

        Quantization quantization = InputQuantization(random, type);
        bool countIncludePad = Chance(random, 0.5);
        bool shared = Chance(random, 0.5);
        return new PoolSpec(
            [1, channels, input[0], input[1]], [1, channels, output[0], output[1]], kernel, strides, dilations, pads,
            countIncludePad, shared, quantization, OutputType(random, type), Policy(random));
    }

    private static bool EveryWindowCoversInput(int input, int output, int kernel, int stride, int dilation, int padBegin)
    {
        for (int position = 0; position < output; position++)
        {
            bool covered = false;
            for (int tap = 0; tap < kernel && !covered; tap++)
            {
                int index = (position * stride) - padBegin + (tap * dilation);
                covered = index >= 0 && index < input;
            }

            if (!covered)
            {
                return false;
            }
        }

        return true;
    }

    private static void EmitQdqAveragePool(QdqGraph graph, PoolSpec spec)
    {
        QdqValue x = graph.FloatInput("x", spec.InputShape, spec.Input);
        string y = graph.NewName("averagepool");
        spec.AddAttributes(graph.Graph.AddNode("AveragePool", [x.Name], [y]).WithInt("count_include_pad", spec.CountIncludePad ? 1 : 0), withDilations: false);
        graph.Output(spec.SharedOutput ? graph.QuantizeDequantize(y, spec.Input) : graph.Activation(y, spec.OutputType, spec.Policy), spec.OutputShape);
    }

    /// <summary>A GlobalAveragePool configuration over [N,C,H,W].</summary>
    private sealed record GlobalPoolSpec(int[] InputShape, bool SharedOutput, Quantization Input, QuantizedType OutputType, ZeroPointPolicy Policy)
    {
        public int[] OutputShape => [InputShape[0], InputShape[1], 1, 1];

        public string Description => $"x {Format(InputShape)} {Input} output {(SharedOutput ? "shares input quantization" : $"calibrated {OutputType} {Policy}")}";
    }

    private static GlobalPoolSpec SampleGlobalPool(Random random)
    {
        QuantizedType type = Type(random);
        int[] shape = [Chance(random, 0.2) ? 2 : 1, random.Next(1, 9), random.Next(1, 11), random.Next(1, 11)];
        return new GlobalPoolSpec(shape, Chance(random, 0.5), InputQuantization(random, type), OutputType(random, type), Policy(random));
    }

    private static void EmitQdqGlobalAveragePool(QdqGraph graph, GlobalPoolSpec spec)
    {
        QdqValue x = graph.FloatInput("x", spec.InputShape, spec.Input);
        string y = graph.NewName("globalaveragepool");
        graph.Graph.AddNode("GlobalAveragePool", [x.Name], [y]);
        graph.Output(spec.SharedOutput ? graph.QuantizeDequantize(y, spec.Input) : graph.Activation(y, spec.OutputType, spec.Policy), spec.OutputShape);
    }

    /// <summary>A Concat configuration: 2..4 inputs with their own scales and zero points, mostly along axis 1.</summary>
    private sealed record ConcatSpec(int[][] InputShapes, int Axis, Quantization[] Inputs, QuantizedType OutputType, ZeroPointPolicy Policy)
    {
        public int[] OutputShape
        {
            get
            {
                int[] shape = (int[])InputShapes[0].Clone();
                int axis = Axis < 0 ? Axis + shape.Length : Axis;
                shape[axis] = InputShapes.Sum(input => input[axis]);
                return shape;
            }
        }

        public string Description =>
            $"axis {Axis} inputs {string.Join(" ", InputShapes.Select((shape, index) => $"{Format(shape)} {Inputs[index]}"))} out {OutputType} {Policy}";
    }

    private static ConcatSpec SampleConcat(Random random)
    {
        QuantizedType type = Type(random);
        int count = random.Next(2, 5);
        int[] baseShape = Chance(random, 0.8)
            ? [1, 1, random.Next(1, 6), random.Next(1, 6)]
            : [random.Next(1, 4), 1];
        int axis = Chance(random, 0.8) ? 1 : (baseShape.Length == 4 ? Pick(random, 2, 3, -3) : Pick(random, 0, -1));
        int positiveAxis = axis < 0 ? axis + baseShape.Length : axis;
        var shapes = new int[count][];
        var inputs = new Quantization[count];
        for (int index = 0; index < count; index++)
        {
            shapes[index] = (int[])baseShape.Clone();
            shapes[index][positiveAxis] = random.Next(1, 5);
            inputs[index] = InputQuantization(random, type);
        }

        return new ConcatSpec(shapes, axis, inputs, OutputType(random, type), Policy(random));
    }

    private static void EmitQdqConcat(QdqGraph graph, ConcatSpec spec)
    {
        var inputs = new string[spec.InputShapes.Length];
        for (int index = 0; index < inputs.Length; index++)
        {
            inputs[index] = graph.FloatInput($"x{index}", spec.InputShapes[index], spec.Inputs[index]).Name;
        }

        string y = graph.NewName("concat");
        graph.Graph.AddNode("Concat", inputs, [y]).WithInt("axis", spec.Axis);
        graph.Output(graph.Activation(y, spec.OutputType, spec.Policy), spec.OutputShape);
    }

    // ---- Element-wise activations, Softmax ----------------------------------------------------

    /// <summary>An element-wise activation alone (DQ → op → Q), its input range chosen to cover the function's interesting region.</summary>
    private sealed record UnarySpec(
        string OperatorType,
        long Opset,
        int[] Shape,
        Quantization Input,
        float Alpha,
        float Beta,
        float ClipMinimum,
        float ClipMaximum,
        string ClipInputs,
        QuantizedType OutputType,
        ZeroPointPolicy Policy)
    {
        public string Description => OperatorType switch
        {
            "LeakyRelu" => $"LeakyRelu alpha={Format(Alpha)} x {Format(Shape)} {Input} out {OutputType} {Policy}",
            "HardSigmoid" => $"HardSigmoid alpha={Format(Alpha)} beta={Format(Beta)} x {Format(Shape)} {Input} out {OutputType} {Policy}",
            "Clip" => $"Clip {ClipInputs} [{Format(ClipMinimum)}, {Format(ClipMaximum)}] x {Format(Shape)} {Input} out {OutputType} {Policy}",
            _ => $"{OperatorType} x {Format(Shape)} {Input} out {OutputType} {Policy}",
        };
    }

    /// <summary>
    /// Samples an activation alone. The input window is placed so the output is not constant:
    /// for the ReLU family (Relu, LeakyRelu, Clip, HardSwish) at least a quarter of it is positive
    /// (zero point up to max - 64, the minimum over-represented); for the S-shaped functions it
    /// is centred within ±80 steps (HardSigmoid: ±40 steps around its linear part) and only about
    /// as wide as the curve's non-flat part.
    /// </summary>
    private static UnarySpec SampleUnary(Random random, string operatorType)
    {
        QuantizedType type = Type(random);
        int[] shape = Chance(random, 0.7)
            ? [1, random.Next(1, 5), random.Next(1, 7), random.Next(1, 7)]
            : [random.Next(1, 5), random.Next(1, 33)];
        float alpha = operatorType == "LeakyRelu" ? (float)Uniform(random, 0.01, 0.3) : (float)Uniform(random, 0.1, 0.4);
        float beta = (float)Uniform(random, 0.3, 0.7);
        double width = operatorType switch
        {
            "Sigmoid" => Uniform(random, 4, 8),
            "Tanh" => Uniform(random, 2, 5),
            "HardSigmoid" => Uniform(random, 0.8, 1.6) / alpha,
            "HardSwish" => Uniform(random, 6, 12),
            _ => LogUniform(random, 0.05, 50),
        };
        int min = type == QuantizedType.Int8 ? sbyte.MinValue : byte.MinValue;
        bool sShaped = operatorType is "Sigmoid" or "Tanh" or "HardSigmoid";
        int zeroPoint = sShaped
            ? min + 128 + random.Next(-80, 81)
            : (Chance(random, 0.3) ? min : random.Next(min, min + 192));
        if (operatorType == "HardSigmoid")
        {
            // Centre the window on the linear part, which is centred on (0.5 - beta) / alpha.
            zeroPoint = Math.Clamp(min + 128 - (int)Math.Round((0.5 - beta) / alpha / (width / 255)) + random.Next(-40, 41), min, min + 255);
        }

        var input = new Quantization((float)(width / 255), zeroPoint, type);
        double low = input.Dequantize(input.Min);
        double span = input.Dequantize(input.Max) - low;
        float clipMinimum = (float)(low + (Uniform(random, 0.1, 0.4) * span));
        float clipMaximum = (float)(low + (Uniform(random, 0.6, 0.9) * span));
        string clipInputs = Pick(random, "min,max", "min", "max");
        long opset = operatorType == "HardSwish" ? Pick(random, 14L, 21L) : Opset(random);
        return new UnarySpec(operatorType, opset, shape, input, alpha, beta, clipMinimum, clipMaximum, clipInputs, OutputType(random, type), Policy(random));
    }

    private static void EmitQdqUnary(QdqGraph graph, UnarySpec spec)
    {
        QdqValue x = graph.FloatInput("x", spec.Shape, spec.Input);
        string y = graph.NewName(spec.OperatorType.ToLowerInvariant());
        if (spec.OperatorType == "Clip")
        {
            string minimum = spec.ClipInputs == "max" ? string.Empty : graph.AddFloatScalar("clip_min", spec.ClipMinimum);
            string[] inputs = spec.ClipInputs == "min" ? [x.Name, minimum] : [x.Name, minimum, graph.AddFloatScalar("clip_max", spec.ClipMaximum)];
            graph.Graph.AddNode("Clip", inputs, [y]);
        }
        else
        {
            OnnxNodeBuilder node = graph.Graph.AddNode(spec.OperatorType, [x.Name], [y]);
            if (spec.OperatorType == "LeakyRelu")
            {
                node.WithFloat("alpha", spec.Alpha);
            }
            else if (spec.OperatorType == "HardSigmoid")
            {
                node.WithFloat("alpha", spec.Alpha).WithFloat("beta", spec.Beta);
            }
        }

        graph.Output(graph.Activation(y, spec.OutputType, spec.Policy), spec.Shape);
    }

    /// <summary>Softmax over the last axis; output quantized with scale 1/256 and the type's minimum as zero point, as ORT's quantizer fixes it.</summary>
    private sealed record SoftmaxSpec(long Opset, int[] Shape, Quantization Input, Quantization Output)
    {
        public string Description => $"Softmax axis -1 x {Format(Shape)} {Input} out {Output}";
    }

    private static SoftmaxSpec SampleSoftmax(Random random)
    {
        QuantizedType type = Type(random);
        int classes = random.Next(2, 33);
        int[] shape = Chance(random, 0.7) ? [random.Next(1, 5), classes] : [1, random.Next(1, 4), classes];
        Quantization input = InputQuantizationForWidth(random, type, Uniform(random, 4, 24));
        QuantizedType outputType = OutputType(random, type);
        var output = new Quantization(1f / 256, outputType == QuantizedType.Int8 ? sbyte.MinValue : 0, outputType);
        return new SoftmaxSpec(Opset(random), shape, input, output);
    }

    private static void EmitQdqSoftmax(QdqGraph graph, SoftmaxSpec spec)
    {
        QdqValue x = graph.FloatInput("x", spec.Shape, spec.Input);
        string y = graph.NewName("softmax");
        graph.Graph.AddNode("Softmax", [x.Name], [y]).WithInt("axis", -1);
        graph.Output(graph.QuantizeDequantize(y, spec.Output), spec.Shape);
    }
}
