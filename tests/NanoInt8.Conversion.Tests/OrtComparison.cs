using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using NanoInt8.Conversion.Tests.Generators;
using NanoInt8.Host.Conversion;
using NanoInt8.Host.Execution;
using NanoInt8.Host.Quantization;
using NanoInt8.Onnx;
using NanoInt8.Onnx.Protobuf;

namespace NanoInt8.Conversion.Tests;

/// <summary>
/// Converts a generated model, runs it with <see cref="HostModelRunner"/> (the device interpreter
/// on the host) and with ONNX Runtime (graph optimizations off, so QDQ nodes keep their ONNX
/// meaning: float arithmetic, QuantizeLinear rounding half to even) on the same random inputs,
/// and counts agreement in quantization steps.
/// </summary>
public static class OrtComparison
{
    /// <summary>Output elements a single-operator comparison aims for (so that 99.5% is a meaningful share).</summary>
    public const int TargetComparedOutputs = 2000;

    /// <summary>The most input sets a single-operator comparison runs.</summary>
    public const int MaximumSamples = 500;

    /// <summary>
    /// Input sets for a single-operator model: enough for about <see cref="TargetComparedOutputs"/>
    /// compared elements, at least 4 and at most <see cref="MaximumSamples"/>.
    /// </summary>
    public static int SamplesFor(GeneratedModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        int perSample = model.Outputs.Sum(output => output.ElementCount);
        return Math.Clamp((TargetComparedOutputs + perSample - 1) / Math.Max(perSample, 1), 4, MaximumSamples);
    }

    /// <summary>Converts and compares.</summary>
    /// <param name="model">The generated model.</param>
    /// <param name="samples">Random input sets to run.</param>
    /// <param name="seed">Seed of the input draws.</param>
    /// <param name="requantization">The converter's requantization mode (q31 unless given).</param>
    /// <param name="optimizationLevel">ONNX Runtime's graph optimization level; above
    /// ORT_DISABLE_ALL no probe outputs are added (a graph output in the middle would stop ONNX
    /// Runtime from fusing QDQ groups), so mismatches stay unanalysed.</param>
    /// <returns>The figures.</returns>
    /// <exception cref="ConversionException">The converter refuses the model.</exception>
    /// <exception cref="ModelLoadException">The device reader refuses the converted blob.</exception>
    /// <exception cref="InvalidOperationException">The model's QDQ equivalent does not correspond to it, or does not give back its quantized inputs (a generator error).</exception>
    public static ComparisonReport Compare(
        GeneratedModel model,
        int samples,
        int seed,
        RequantizationMode requantization = RequantizationMode.Q31,
        GraphOptimizationLevel optimizationLevel = GraphOptimizationLevel.ORT_DISABLE_ALL)
    {
        ArgumentNullException.ThrowIfNull(model);
        ConversionResult conversion = OnnxConverter.Convert(OnnxModel.Load(model.Bytes), new ConversionOptions { ModelName = model.Family, Requantization = requantization });
        var runner = new HostModelRunner(conversion.Blob);
        // The tie analysis needs the float value right before the output's QuantizeLinear; in a
        // multi-layer model that value already carries upstream differences, so it is done for
        // single operators only. An operator-format kernel (QLinear*, QGemm) requantizes
        // internally, so its value is read from its QDQ equivalent instead (see QdqEquivalentProbe).
        bool singleOperator = model.RequantizationDepth == 1 && optimizationLevel == GraphOptimizationLevel.ORT_DISABLE_ALL;
        (byte[] probed, int[] probeIndex) = singleOperator
            ? WithValuesBeforeQuantization(model.Bytes, model.Outputs)
            : (model.Bytes, Enumerable.Repeat(-1, model.Outputs.Count).ToArray());
        using OnnxRuntimeSession session = new OnnxRuntimeRunner { OptimizationLevel = optimizationLevel }.CreateSession(probed);
        using QdqEquivalentProbe? equivalent = singleOperator && probeIndex.Any(index => index < 0) ? QdqEquivalentProbe.Create(model) : null;
        var random = new Random(seed);
        var report = new ComparisonReport(model);
        for (int sample = 0; sample < samples; sample++)
        {
            Dictionary<string, NpyArray> inputs = model.CreateInputs(random);
            IReadOnlyList<NpyArray> all = session.Run(inputs);
            IReadOnlyList<NpyArray> actual = runner.Run(model.Inputs.Select(input => inputs[input.Name]).ToList());
            IReadOnlyList<NpyArray?>? fromEquivalent = equivalent?.ValuesBeforeQuantization(inputs);
            List<NpyArray?> beforeQuantization = probeIndex.Select((index, output) => index >= 0 ? all[index] : fromEquivalent?[output]).ToList();
            report.Add(all.Take(model.Outputs.Count).ToList(), actual, beforeQuantization);
        }

        return report;
    }

    /// <summary>
    /// The model with, as extra graph outputs after its own, the float input of each output's final
    /// QuantizeLinear (output ← DequantizeLinear ← QuantizeLinear ← value, or output ←
    /// QuantizeLinear ← value), so a mismatch can be told apart from a rounding tie. Outputs made
    /// inside one operator (QLinear*) have no such value; their index is -1.
    /// </summary>
    /// <param name="bytes">The .onnx bytes.</param>
    /// <param name="outputs">The model's graph outputs, in order.</param>
    /// <returns>The extended model and, per output, the index of its probe among the graph outputs, or -1.</returns>
    internal static (byte[] Bytes, int[] Index) WithValuesBeforeQuantization(byte[] bytes, IReadOnlyList<GeneratedTensor> outputs)
    {
        OnnxModel onnx = OnnxModel.Load(bytes);
        var producers = new Dictionary<string, NodeProto>(StringComparer.Ordinal);
        foreach (NodeProto node in onnx.Nodes)
        {
            foreach (string output in node.Output)
            {
                producers[output] = node;
            }
        }

        ModelProto proto = onnx.Proto.Clone();
        var index = new int[outputs.Count];
        var added = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int output = 0; output < outputs.Count; output++)
        {
            index[output] = -1;
            if (!producers.TryGetValue(outputs[output].Name, out NodeProto? node))
            {
                continue;
            }

            if (node.OpType == "DequantizeLinear" && !producers.TryGetValue(node.Input[0], out node))
            {
                continue;
            }

            if (node.OpType != "QuantizeLinear")
            {
                continue;
            }

            string value = node.Input[0];
            if (!added.TryGetValue(value, out int position))
            {
                position = proto.Graph.Output.Count;
                added[value] = position;
                proto.Graph.Output.Add(new ValueInfoProto
                {
                    Name = value,
                    Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float } },
                });
            }

            index[output] = position;
        }

        return (proto.ToByteArray(), index);
    }
}
