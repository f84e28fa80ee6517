using System.Globalization;
using Google.Protobuf;
using NanoInt8.Conversion.Tests.Generators;
using NanoInt8.Onnx;
using NanoInt8.Onnx.Protobuf;

namespace NanoInt8.Conversion.Tests;

/// <summary>
/// Reads, for an operator-format single operator (QLinear*, QGemm ...), the float value its kernel
/// requantizes internally and never exposes: ONNX Runtime runs the model's QDQ equivalent
/// (<see cref="GeneratedModel.QdqEquivalent"/>, the graph it was calibrated on) on the same
/// quantized inputs, and the float input of the equivalent's output QuantizeLinear is read, as
/// <see cref="OrtComparison"/> reads it from a QDQ model itself.
/// </summary>
/// <remarks>
/// Each int8/uint8 input q of the operator-format model is handed to the equivalent as the float32
/// (q - zp) · scale, with that input's own scale and zero point; the equivalent's input
/// QuantizeLinear then gives back q exactly (|q - zp| ≤ 255, so the float32 quotient is within a
/// few ulp of an integer). That is checked on every run, not assumed: the quantized values are
/// read back from the equivalent and any difference throws. So the equivalent's operator sees the
/// same dequantized operands the operator-format kernel sees, and its float result is the same
/// exact real value up to each one's float32 error (see <see cref="ComparisonReport.ClearMargin"/>).
/// </remarks>
public sealed class QdqEquivalentProbe : IDisposable
{
    private readonly GeneratedModel _model;
    private readonly OnnxRuntimeSession _session;
    private readonly int[] _valueIndex;
    private readonly int[] _recoveredIndex;

    private QdqEquivalentProbe(GeneratedModel model, OnnxRuntimeSession session, int[] valueIndex, int[] recoveredIndex)
    {
        _model = model;
        _session = session;
        _valueIndex = valueIndex;
        _recoveredIndex = recoveredIndex;
    }

    /// <summary>
    /// Opens the QDQ equivalent of <paramref name="model"/> in ONNX Runtime, or returns null when the
    /// model has none (then the tie analysis of its internally requantized outputs stays unavailable
    /// and none of their mismatches is excused).
    /// </summary>
    /// <exception cref="InvalidOperationException">The equivalent's interface does not correspond 1:1 to the model's.</exception>
    public static QdqEquivalentProbe? Create(GeneratedModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model.QdqEquivalent is not { } equivalent)
        {
            return null;
        }

        if (Correspondence(model) is { } problem)
        {
            throw new InvalidOperationException($"{model.Family}#{model.Seed}: the QDQ equivalent does not match the model: {problem}");
        }

        (byte[] bytes, int[] valueIndex, int[] recoveredIndex) = Probed(equivalent);
        return new QdqEquivalentProbe(model, new OnnxRuntimeRunner().CreateSession(bytes), valueIndex, recoveredIndex);
    }

    /// <summary>
    /// Why the QDQ equivalent's interface does not correspond to the model's, or null when it does:
    /// the same number of graph inputs with the same names in the same order, shapes and
    /// quantization (the equivalent's being float behind QuantizeLinear with those parameters), and
    /// the same outputs in shape and quantization.
    /// </summary>
    public static string? Correspondence(GeneratedModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model.QdqEquivalent is not { } equivalent)
        {
            return "no QDQ equivalent";
        }

        if (equivalent.Inputs.Count != model.Inputs.Count)
        {
            return $"{equivalent.Inputs.Count} graph inputs against the model's {model.Inputs.Count}";
        }

        for (int index = 0; index < model.Inputs.Count; index++)
        {
            GeneratedTensor own = model.Inputs[index];
            GeneratedTensor other = equivalent.Inputs[index];
            if (own.Name != other.Name || !own.Shape.SequenceEqual(other.Shape) || own.Quantization != other.Quantization || !other.IsFloat)
            {
                return $"input {index} is '{other}' against the model's '{own}'";
            }
        }

        if (equivalent.Outputs.Count != model.Outputs.Count)
        {
            return $"{equivalent.Outputs.Count} graph outputs against the model's {model.Outputs.Count}";
        }

        for (int index = 0; index < model.Outputs.Count; index++)
        {
            GeneratedTensor own = model.Outputs[index];
            GeneratedTensor other = equivalent.Outputs[index];
            if (!own.Shape.SequenceEqual(other.Shape) || own.Quantization != other.Quantization)
            {
                return $"output {index} is '{other}' against the model's '{own}'";
            }
        }

        return null;
    }

    /// <summary>
    /// The float32 value (q - zp) · scale of every quantized input, with the input's own parameters,
    /// as the QDQ equivalent's float inputs; float inputs pass unchanged.
    /// </summary>
    public static Dictionary<string, NpyArray> DequantizedInputs(GeneratedModel model, IReadOnlyDictionary<string, NpyArray> inputs)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(inputs);
        var floats = new Dictionary<string, NpyArray>(StringComparer.Ordinal);
        foreach (GeneratedTensor input in model.Inputs)
        {
            NpyArray given = inputs[input.Name];
            if (input.IsFloat)
            {
                floats[input.Name] = given;
                continue;
            }

            int[] quantized = Integers(given);
            Quantization quantization = input.Quantization;
            // float32 arithmetic on purpose: (q - zp) is exact, the product is rounded once.
            float[] values = quantized.Select(q => (float)(q - quantization.ZeroPoint) * quantization.Scale).ToArray();
            floats[input.Name] = new NpyArray(values, given.Shape);
        }

        return floats;
    }

    /// <summary>
    /// Runs the equivalent on the dequantized <paramref name="inputs"/> and returns, per model output,
    /// the float value before its QuantizeLinear (null where the equivalent has none).
    /// </summary>
    /// <exception cref="InvalidOperationException">The equivalent's input QuantizeLinear did not give back the given quantized values.</exception>
    public IReadOnlyList<NpyArray?> ValuesBeforeQuantization(IReadOnlyDictionary<string, NpyArray> inputs)
    {
        (IReadOnlyList<NpyArray?> values, string? problem) = Run(inputs);
        if (problem is not null)
        {
            throw new InvalidOperationException($"{_model.Family}#{_model.Seed}: {problem}");
        }

        return values;
    }

    /// <summary>
    /// Runs the equivalent on the dequantized <paramref name="inputs"/>: the values before each
    /// output QuantizeLinear, and a description of the first input element whose quantized value the
    /// equivalent's input QuantizeLinear did not give back exactly (null when every one came back).
    /// </summary>
    public (IReadOnlyList<NpyArray?> Values, string? Problem) Run(IReadOnlyDictionary<string, NpyArray> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        IReadOnlyList<NpyArray> all = _session.Run(DequantizedInputs(_model, inputs));
        string? problem = null;
        for (int input = 0; input < _model.Inputs.Count && problem is null; input++)
        {
            GeneratedTensor info = _model.Inputs[input];
            if (info.IsFloat)
            {
                continue;
            }

            if (_recoveredIndex[input] < 0)
            {
                problem = $"input '{info.Name}' has no QuantizeLinear in the QDQ equivalent";
                break;
            }

            int[] given = Integers(inputs[info.Name]);
            int[] recovered = Integers(all[_recoveredIndex[input]]);
            for (int index = 0; index < given.Length; index++)
            {
                if (given[index] != recovered[index])
                {
                    problem = string.Create(CultureInfo.InvariantCulture, $"input '{info.Name}' element {index}: q={given[index]} dequantized with {info.Quantization} comes back as q={recovered[index]} from the QDQ equivalent's QuantizeLinear");
                    break;
                }
            }
        }

        return (_valueIndex.Select(index => index < 0 ? null : all[index]).ToList(), problem);
    }

    /// <summary>Closes the ONNX Runtime session.</summary>
    public void Dispose() => _session.Dispose();

    /// <summary>
    /// The equivalent with, as extra graph outputs, each output's value before quantization
    /// (<see cref="OrtComparison.WithValuesBeforeQuantization"/>) and then the quantized output of
    /// each graph input's QuantizeLinear.
    /// </summary>
    private static (byte[] Bytes, int[] ValueIndex, int[] RecoveredIndex) Probed(QdqEquivalentModel equivalent)
    {
        (byte[] withValues, int[] valueIndex) = OrtComparison.WithValuesBeforeQuantization(equivalent.Bytes, equivalent.Outputs);
        OnnxModel onnx = OnnxModel.Load(withValues);
        ModelProto proto = onnx.Proto.Clone();
        var recoveredIndex = new int[equivalent.Inputs.Count];
        for (int input = 0; input < equivalent.Inputs.Count; input++)
        {
            GeneratedTensor info = equivalent.Inputs[input];
            NodeProto? quantize = onnx.Nodes.FirstOrDefault(node => node.OpType == "QuantizeLinear" && node.Input.Count > 0 && node.Input[0] == info.Name);
            if (quantize is null)
            {
                recoveredIndex[input] = -1;
                continue;
            }

            recoveredIndex[input] = proto.Graph.Output.Count;
            proto.Graph.Output.Add(new ValueInfoProto
            {
                Name = quantize.Output[0],
                Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)info.Quantization.DataType } },
            });
        }

        return (proto.ToByteArray(), valueIndex, recoveredIndex);
    }

    private static int[] Integers(NpyArray array) => array.ElementType switch
    {
        NpyType.Int8 => array.AsInt8().Select(value => (int)value).ToArray(),
        NpyType.UInt8 => array.AsUInt8().Select(value => (int)value).ToArray(),
        _ => throw new ArgumentException($"expected an int8 or uint8 array, got {array}", nameof(array)),
    };
}
