using System.Globalization;
using NanoInt8.Onnx;

namespace NanoInt8.Conversion.Tests.Generators;

/// <summary>
/// A graph input or output of a generated model. Float tensors are quantized right after the input
/// (or were dequantized right before the output) with <see cref="Quantization"/>; integer tensors
/// carry it themselves.
/// </summary>
/// <param name="Name">The ONNX value name.</param>
/// <param name="Shape">The dimensions.</param>
/// <param name="IsFloat">True for a float32 tensor (QDQ interface), false for int8/uint8 (quantized interface).</param>
/// <param name="Quantization">The quantization of the tensor or of its QuantizeLinear/DequantizeLinear.</param>
public sealed record GeneratedTensor(string Name, int[] Shape, bool IsFloat, Quantization Quantization)
{
    /// <summary>The .npy element type of the graph tensor.</summary>
    public NpyType ElementType => IsFloat ? NpyType.Float32 : Quantization.NpyType;

    /// <summary>The number of elements.</summary>
    public int ElementCount => Shape.Aggregate(1, (product, dimension) => product * dimension);

    /// <summary>Describes the tensor, e.g. "x float[1, 3, 8, 8] uint8 s=0.1 zp=0".</summary>
    public override string ToString() =>
        $"{Name} {(IsFloat ? "float" : "quantized")}[{string.Join(", ", Shape)}] {Quantization}";
}

/// <summary>
/// The QDQ equivalent of an operator-format model: the float-interface graph the generator wrote
/// to calibrate it (float input → QuantizeLinear → DequantizeLinear → float operator →
/// QuantizeLinear → DequantizeLinear → float output), with the same operator, weights, bias and
/// quantization parameters. Its graph inputs correspond 1:1, by name and order, to the
/// operator-format model's; its value before the output QuantizeLinear is the float result that
/// the operator-format kernel computes internally and never exposes.
/// </summary>
/// <param name="Bytes">The .onnx bytes of the QDQ graph.</param>
/// <param name="Inputs">Its graph inputs in order (float, each followed by QuantizeLinear/DequantizeLinear).</param>
/// <param name="Outputs">Its graph outputs in order (float, each behind QuantizeLinear/DequantizeLinear).</param>
public sealed record QdqEquivalentModel(byte[] Bytes, IReadOnlyList<GeneratedTensor> Inputs, IReadOnlyList<GeneratedTensor> Outputs);

/// <summary>
/// One generated ONNX model: its bytes, its interface, and the description of the random
/// configuration it came from (every failure message names it).
/// </summary>
public sealed class GeneratedModel
{
    /// <summary>Creates the description of a generated model.</summary>
    public GeneratedModel(
        string family,
        int seed,
        string configuration,
        byte[] bytes,
        IReadOnlyList<GeneratedTensor> inputs,
        IReadOnlyList<GeneratedTensor> outputs,
        int requantizationDepth,
        bool isClassifier,
        QdqEquivalentModel? qdqEquivalent = null)
    {
        Family = family;
        Seed = seed;
        Configuration = configuration;
        Bytes = bytes;
        Inputs = inputs;
        Outputs = outputs;
        RequantizationDepth = requantizationDepth;
        IsClassifier = isClassifier;
        QdqEquivalent = qdqEquivalent;
    }

    /// <summary>The generator family, e.g. "QdqConv2d".</summary>
    public string Family { get; }

    /// <summary>The seed of the generator's System.Random for this model.</summary>
    public int Seed { get; }

    /// <summary>The sampled configuration: shapes, attributes, weight and bias styles, opset.</summary>
    public string Configuration { get; }

    /// <summary>The .onnx bytes.</summary>
    public byte[] Bytes { get; }

    /// <summary>The graph inputs in order.</summary>
    public IReadOnlyList<GeneratedTensor> Inputs { get; }

    /// <summary>The graph outputs in order.</summary>
    public IReadOnlyList<GeneratedTensor> Outputs { get; }

    /// <summary>
    /// Requantizing operators on the longest input-to-output path (1 for a single operator). Each
    /// may round differently in fixed point than ONNX Runtime does in float.
    /// </summary>
    public int RequantizationDepth { get; }

    /// <summary>True when the last dimension of the first output holds class scores.</summary>
    public bool IsClassifier { get; }

    /// <summary>
    /// For an operator-format single operator, the QDQ graph it was calibrated on (see
    /// <see cref="QdqEquivalentModel"/>); null for QDQ models and networks.
    /// </summary>
    public QdqEquivalentModel? QdqEquivalent { get; }

    /// <summary>The .onnx bytes of <see cref="QdqEquivalent"/>, or null when there is none.</summary>
    public byte[]? QdqEquivalentBytes => QdqEquivalent?.Bytes;

    /// <summary>
    /// Draws one random input set. Quantized inputs are uniform over the type's range; float inputs
    /// are uniform over the input QuantizeLinear's representable range, (q - zp)·scale for a random q,
    /// moved by up to 0.3 of a step so that rounding on the way in is exercised but never a tie.
    /// </summary>
    /// <param name="random">The source of randomness.</param>
    /// <returns>One array per graph input, by name.</returns>
    public Dictionary<string, NpyArray> CreateInputs(Random random) => CreateInputs(Inputs, random);

    /// <summary>Draws one random input set for the given graph inputs (see the instance overload).</summary>
    /// <param name="graphInputs">The graph inputs.</param>
    /// <param name="random">The source of randomness.</param>
    /// <returns>One array per graph input, by name.</returns>
    public static Dictionary<string, NpyArray> CreateInputs(IReadOnlyList<GeneratedTensor> graphInputs, Random random)
    {
        ArgumentNullException.ThrowIfNull(graphInputs);
        ArgumentNullException.ThrowIfNull(random);
        var inputs = new Dictionary<string, NpyArray>(StringComparer.Ordinal);
        foreach (GeneratedTensor input in graphInputs)
        {
            Quantization quantization = input.Quantization;
            int count = input.ElementCount;
            if (input.IsFloat)
            {
                var values = new float[count];
                for (int index = 0; index < count; index++)
                {
                    int quantized = random.Next(quantization.Min, quantization.Max + 1);
                    double jitter = (random.NextDouble() - 0.5) * 0.6;
                    values[index] = (float)quantization.Dequantize(quantized) + (float)(jitter * quantization.Scale);
                }

                inputs[input.Name] = new NpyArray(values, input.Shape);
            }
            else if (quantization.Type == QuantizedType.Int8)
            {
                var values = new sbyte[count];
                for (int index = 0; index < count; index++)
                {
                    values[index] = (sbyte)random.Next(sbyte.MinValue, sbyte.MaxValue + 1);
                }

                inputs[input.Name] = new NpyArray(values, input.Shape);
            }
            else
            {
                var values = new byte[count];
                random.NextBytes(values);
                inputs[input.Name] = new NpyArray(values, input.Shape);
            }
        }

        return inputs;
    }

    /// <summary>Names the model for messages: family, seed, configuration and interface.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Family}#{Seed} {{{Configuration}}} in: {string.Join("; ", Inputs)} out: {string.Join("; ", Outputs)}");
}
