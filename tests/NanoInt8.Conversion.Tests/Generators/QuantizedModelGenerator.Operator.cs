using NanoInt8.Onnx;
using static NanoInt8.Conversion.Tests.Generators.Sampling;
using DataType = NanoInt8.Onnx.Protobuf.TensorProto.Types.DataType;

namespace NanoInt8.Conversion.Tests.Generators;

/// <summary>
/// Single-operator operator-format families: quantized int8/uint8 graph input → QLinear* / Q* /
/// *Integer operator → quantized graph output. Each is sampled like its QDQ counterpart and
/// calibrated on that QDQ equivalent; ONNX Runtime's kernels want one activation type per
/// operator, so output type = input type here.
/// </summary>
public sealed partial class QuantizedModelGenerator
{
    private GeneratedModel QLinearConv(string family, int seed, Random random)
    {
        ConvSpec spec = SampleConv(random, Chance(random, 0.2) ? 1 : 2, operatorFormat: true);
        long opset = Opset(random);
        return BuildOperator(family, seed, $"opset {opset} {spec.Description}", opset, graph => EmitQdqConv(graph, spec), (graph, chosen) =>
        {
            Quantization output = chosen[0];
            string x = graph.Input("x", spec.InputShape, spec.Input);
            (string xScale, string xZeroPoint) = graph.AddParameters(spec.Input, "x");
            string weight = graph.Weight("w", spec.Weights, spec.WeightDims, spec.UnsignedWeights);
            (string wScale, string wZeroPoint) = graph.WeightParameters("w", spec.WeightScales, spec.UnsignedWeights);
            (string yScale, string yZeroPoint) = graph.AddParameters(output, "y");
            List<string> inputs = [x, xScale, xZeroPoint, weight, wScale, wZeroPoint, yScale, yZeroPoint];
            if (spec.BiasStyle == BiasStyle.Int32)
            {
                inputs.Add(graph.Int32("b", QdqGraph.QuantizeBias(spec.Bias, spec.Input.Scale, spec.WeightScales)));
            }

            spec.AddAttributes(graph.Graph.AddNode("QLinearConv", inputs, ["y"]));
            graph.Output("y", spec.OutputShape, output);
        });
    }

    private GeneratedModel QLinearMatMul(string family, int seed, Random random)
    {
        MatMulSpec spec = SampleMatMul(random, operatorFormat: true);
        long opset = Opset(random);
        return BuildOperator(family, seed, $"opset {opset} {spec.Description}", opset, graph => EmitQdqMatMul(graph, spec), (graph, chosen) =>
        {
            Quantization output = chosen[0];
            string a = graph.Input("a", spec.InputShape, spec.Input);
            (string aScale, string aZeroPoint) = graph.AddParameters(spec.Input, "a");
            string weight = graph.Weight("b", spec.Weights, [spec.K, spec.N], spec.UnsignedWeights);
            (string bScale, string bZeroPoint) = graph.WeightParameters("b", spec.WeightScales, spec.UnsignedWeights);
            (string yScale, string yZeroPoint) = graph.AddParameters(output, "y");
            graph.Graph.AddNode("QLinearMatMul", [a, aScale, aZeroPoint, weight, bScale, bZeroPoint, yScale, yZeroPoint], ["y"]);
            graph.Output("y", spec.OutputShape, output);
        });
    }

    private GeneratedModel QGemm(string family, int seed, Random random)
    {
        GemmSpec spec = SampleGemm(random, operatorFormat: true);
        long opset = Opset(random);
        return BuildOperator(family, seed, $"opset {opset} {spec.Description}", opset, graph => EmitQdqGemm(graph, spec), (graph, chosen) =>
        {
            Quantization output = chosen[0];
            string a = graph.Input("a", [spec.M, spec.K], spec.Input);
            (string aScale, string aZeroPoint) = graph.AddParameters(spec.Input, "a");
            string weight = graph.Weight("b", spec.Weights, spec.WeightDims, spec.UnsignedWeights);
            (string bScale, string bZeroPoint) = graph.WeightParameters("b", spec.WeightScales, spec.UnsignedWeights);
            string bias = spec.BiasStyle == BiasStyle.Int32 ? graph.Int32("c", QdqGraph.QuantizeBias(spec.Bias, spec.Input.Scale, spec.WeightScales)) : string.Empty;
            (string yScale, string yZeroPoint) = graph.AddParameters(output, "y");
            OnnxNodeBuilder node = graph.Graph.AddNode("QGemm", [a, aScale, aZeroPoint, weight, bScale, bZeroPoint, bias, yScale, yZeroPoint], ["y"])
                .WithDomain(QuantizedGraph.MicrosoftDomain);
            if (spec.TransB)
            {
                node.WithInt("transB", 1);
            }

            graph.Output("y", [spec.M, spec.N], output);
        });
    }

    private GeneratedModel QLinearBinary(string family, int seed, Random random, string operatorType)
    {
        BinarySpec sampled = SampleBinary(random, operatorType, allowConstant: true);
        BinarySpec spec = sampled with { OutputType = sampled.Left.Type };
        long opset = Opset(random);
        return BuildOperator(family, seed, $"opset {opset} QLinear{spec.Description}", opset, graph => EmitQdqBinary(graph, spec), (graph, chosen) =>
        {
            Quantization output = chosen[0];
            string left = graph.Input("a", spec.LeftShape, spec.Left);
            (string leftScale, string leftZeroPoint) = graph.AddParameters(spec.Left, "a");
            string right;
            if (spec.ConstantRight)
            {
                right = graph.NewName("b_constant");
                graph.AddZeroPoints(right, spec.Right.Type, spec.ConstantValues, spec.RightShape.Select(size => (long)size).ToArray());
            }
            else
            {
                right = graph.Input("b", spec.RightShape, spec.Right);
            }

            (string rightScale, string rightZeroPoint) = graph.AddParameters(spec.Right, "b");
            (string yScale, string yZeroPoint) = graph.AddParameters(output, "y");
            string[] inputs = spec.Swapped
                ? [right, rightScale, rightZeroPoint, left, leftScale, leftZeroPoint, yScale, yZeroPoint]
                : [left, leftScale, leftZeroPoint, right, rightScale, rightZeroPoint, yScale, yZeroPoint];
            graph.Graph.AddNode("QLinear" + operatorType, inputs, ["y"]).WithDomain(QuantizedGraph.MicrosoftDomain);
            graph.Output("y", spec.OutputShape, output);
        });
    }

    private GeneratedModel QLinearAveragePool(string family, int seed, Random random)
    {
        PoolSpec sampled = SamplePool(random, allowDilation: false);
        PoolSpec spec = sampled with { OutputType = sampled.Input.Type };
        long opset = Opset(random);
        return BuildOperator(family, seed, $"opset {opset} {spec.Description}", opset, graph => EmitQdqAveragePool(graph, spec), (graph, chosen) =>
        {
            Quantization output = spec.SharedOutput ? spec.Input : chosen[0];
            string x = graph.Input("x", spec.InputShape, spec.Input);
            (string xScale, string xZeroPoint) = graph.AddParameters(spec.Input, "x");
            (string yScale, string yZeroPoint) = graph.AddParameters(output, "y");
            OnnxNodeBuilder node = graph.Graph.AddNode("QLinearAveragePool", [x, xScale, xZeroPoint, yScale, yZeroPoint], ["y"])
                .WithDomain(QuantizedGraph.MicrosoftDomain)
                .WithInt("count_include_pad", spec.CountIncludePad ? 1 : 0)
                .WithInt("channels_last", 0);
            spec.AddAttributes(node, withDilations: false);
            graph.Output("y", spec.OutputShape, output);
        });
    }

    private GeneratedModel QLinearGlobalAveragePool(string family, int seed, Random random)
    {
        GlobalPoolSpec sampled = SampleGlobalPool(random);
        GlobalPoolSpec spec = sampled with { OutputType = sampled.Input.Type };
        long opset = Opset(random);
        return BuildOperator(family, seed, $"opset {opset} {spec.Description}", opset, graph => EmitQdqGlobalAveragePool(graph, spec), (graph, chosen) =>
        {
            Quantization output = spec.SharedOutput ? spec.Input : chosen[0];
            string x = graph.Input("x", spec.InputShape, spec.Input);
            (string xScale, string xZeroPoint) = graph.AddParameters(spec.Input, "x");
            (string yScale, string yZeroPoint) = graph.AddParameters(output, "y");
            graph.Graph.AddNode("QLinearGlobalAveragePool", [x, xScale, xZeroPoint, yScale, yZeroPoint], ["y"])
                .WithDomain(QuantizedGraph.MicrosoftDomain)
                .WithInt("channels_last", 0);
            graph.Output("y", spec.OutputShape, output);
        });
    }

    private GeneratedModel QLinearConcat(string family, int seed, Random random)
    {
        ConcatSpec sampled = SampleConcat(random);
        ConcatSpec spec = sampled with { OutputType = sampled.Inputs[0].Type };
        long opset = Opset(random);
        return BuildOperator(family, seed, $"opset {opset} {spec.Description}", opset, graph => EmitQdqConcat(graph, spec), (graph, chosen) =>
        {
            Quantization output = chosen[0];
            (string yScale, string yZeroPoint) = graph.AddParameters(output, "y");
            List<string> inputs = [yScale, yZeroPoint];
            for (int index = 0; index < spec.InputShapes.Length; index++)
            {
                string x = graph.Input($"x{index}", spec.InputShapes[index], spec.Inputs[index]);
                (string xScale, string xZeroPoint) = graph.AddParameters(spec.Inputs[index], $"x{index}");
                inputs.AddRange([x, xScale, xZeroPoint]);
            }

            graph.Graph.AddNode("QLinearConcat", inputs, ["y"]).WithDomain(QuantizedGraph.MicrosoftDomain).WithInt("axis", spec.Axis);
            graph.Output("y", spec.OutputShape, output);
        });
    }

    private GeneratedModel QLinearUnary(string family, int seed, Random random, string operatorType)
    {
        UnarySpec sampled = SampleUnary(random, operatorType);
        UnarySpec spec = sampled with { OutputType = sampled.Input.Type };
        return BuildOperator(family, seed, $"opset {spec.Opset} QLinear{spec.Description}", spec.Opset, graph => EmitQdqUnary(graph, spec), (graph, chosen) =>
        {
            Quantization output = chosen[0];
            string x = graph.Input("x", spec.Shape, spec.Input);
            (string xScale, string xZeroPoint) = graph.AddParameters(spec.Input, "x");
            (string yScale, string yZeroPoint) = graph.AddParameters(output, "y");
            OnnxNodeBuilder node = graph.Graph.AddNode("QLinear" + operatorType, [x, xScale, xZeroPoint, yScale, yZeroPoint], ["y"])
                .WithDomain(QuantizedGraph.MicrosoftDomain);
            if (operatorType == "LeakyRelu")
            {
                node.WithFloat("alpha", spec.Alpha);
            }

            graph.Output("y", spec.Shape, output);
        });
    }

    private GeneratedModel QLinearSoftmax(string family, int seed, Random random)
    {
        SoftmaxSpec sampled = SampleSoftmax(random);
        QuantizedType type = sampled.Input.Type;
        SoftmaxSpec spec = sampled with { Output = new Quantization(1f / 256, type == QuantizedType.Int8 ? sbyte.MinValue : 0, type) };
        return BuildOperator(family, seed, $"opset {spec.Opset} QLinear{spec.Description}", spec.Opset, graph => EmitQdqSoftmax(graph, spec), (graph, _) =>
        {
            string x = graph.Input("x", spec.Shape, spec.Input);
            (string xScale, string xZeroPoint) = graph.AddParameters(spec.Input, "x");
            (string yScale, string yZeroPoint) = graph.AddParameters(spec.Output, "y");

            // "opset" names the Softmax semantics the contrib kernel follows; 13 and later all
            // normalize along the one given axis.
            graph.Graph.AddNode("QLinearSoftmax", [x, xScale, xZeroPoint, yScale, yZeroPoint], ["y"])
                .WithDomain(QuantizedGraph.MicrosoftDomain)
                .WithInt("axis", -1)
                .WithInt("opset", 13);
            graph.Output("y", spec.Shape, spec.Output);
        });
    }

    /// <summary>
    /// MatMulInteger gives int32, which is not a quantized interface; so it is written the way
    /// ORT's dynamic quantizer uses it, with the scale applied in float and then quantized:
    /// MatMulInteger → Cast(float) → Mul(a_scale·b_scale) → QuantizeLinear. Per-tensor zero points
    /// only (the operator allows per-row/column ones, quantizers do not write them).
    /// </summary>
    private GeneratedModel MatMulInteger(string family, int seed, Random random)
    {
        MatMulSpec spec = SampleMatMul(random, operatorFormat: true, forcePerTensor: true);
        long opset = Opset(random);
        return BuildOperator(family, seed, $"opset {opset} MatMulInteger {spec.Description}", opset, graph => EmitQdqMatMul(graph, spec), (graph, chosen) =>
        {
            string a = graph.Input("a", spec.InputShape, spec.Input);
            string aZeroPoint = graph.NewName("a_zero_point");
            graph.AddZeroPoints(aZeroPoint, spec.Input.Type, [spec.Input.ZeroPoint], []);
            string weight = graph.Weight("b", spec.Weights, [spec.K, spec.N], spec.UnsignedWeights);
            string bZeroPoint = graph.NewName("b_zero_point");
            graph.AddZeroPoints(bZeroPoint, spec.UnsignedWeights ? QuantizedType.UInt8 : QuantizedType.Int8, [spec.UnsignedWeights ? 128 : 0], []);
            string accumulator = graph.NewName("accumulator");
            graph.Graph.AddNode("MatMulInteger", [a, weight, aZeroPoint, bZeroPoint], [accumulator]);
            RescaleAndQuantize(graph, accumulator, spec.Input.Scale * spec.WeightScales[0], chosen[0], spec.OutputShape);
        });
    }

    /// <summary>
    /// ConvInteger, written like <see cref="MatMulInteger"/>: ConvInteger → Cast → Mul(x_scale·w_scale)
    /// → QuantizeLinear; per-tensor zero points (ORT rejects per-channel ones), no bias input (the
    /// operator has none).
    /// </summary>
    private GeneratedModel ConvInteger(string family, int seed, Random random)
    {
        ConvSpec sampled = SampleConv(random, 2, operatorFormat: true, forcePerTensor: true);
        ConvSpec spec = sampled with { BiasStyle = BiasStyle.None };
        long opset = Opset(random);
        return BuildOperator(family, seed, $"opset {opset} ConvInteger {spec.Description}", opset, graph => EmitQdqConv(graph, spec), (graph, chosen) =>
        {
            string x = graph.Input("x", spec.InputShape, spec.Input);
            string xZeroPoint = graph.NewName("x_zero_point");
            graph.AddZeroPoints(xZeroPoint, spec.Input.Type, [spec.Input.ZeroPoint], []);
            string weight = graph.Weight("w", spec.Weights, spec.WeightDims, spec.UnsignedWeights);
            string wZeroPoint = graph.NewName("w_zero_point");
            graph.AddZeroPoints(wZeroPoint, spec.UnsignedWeights ? QuantizedType.UInt8 : QuantizedType.Int8, [spec.UnsignedWeights ? 128 : 0], []);
            string accumulator = graph.NewName("accumulator");
            spec.AddAttributes(graph.Graph.AddNode("ConvInteger", [x, weight, xZeroPoint, wZeroPoint], [accumulator]));
            RescaleAndQuantize(graph, accumulator, spec.Input.Scale * spec.WeightScales[0], chosen[0], spec.OutputShape);
        });
    }

    private static void RescaleAndQuantize(QuantizedGraph graph, string accumulator, float scale, Quantization output, int[] shape)
    {
        string real = graph.NewName("accumulator_float");
        graph.Graph.AddNode("Cast", [accumulator], [real]).WithInt("to", (long)DataType.Float);
        string scaled = graph.NewName("scaled");
        graph.Graph.AddNode("Mul", [real, graph.AddFloatScalar("accumulator_scale", scale)], [scaled]);
        (string yScale, string yZeroPoint) = graph.AddParameters(output, "y");
        graph.Graph.AddNode("QuantizeLinear", [scaled, yScale, yZeroPoint], ["y"]);
        graph.Output("y", shape, output);
    }
}
