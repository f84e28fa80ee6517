using NanoInt8.Host.Conversion;
using NanoInt8.Host.Quantization;
using NanoInt8.Onnx;

namespace NanoInt8.Bench.ModelSuite;

/// <summary>What a model's input holds, which decides its calibration samples.</summary>
public enum SuiteInput
{
    /// <summary>Pixels or spectrogram energies: uniform in [0, 1].</summary>
    Image,

    /// <summary>Sensor signals and features: standard normal.</summary>
    Signal,
}

/// <summary>
/// One model of the suite: a float network (<see cref="FloatNetwork"/>) quantized as a user would,
/// with the static quantizer (<c>hosttool quantize</c>: min/max ranges, per-channel weights) on
/// <see cref="CalibrationCount"/> seeded samples, then converted by the real converter
/// (<c>hosttool convert</c>) with any kernel choice.
/// </summary>
public sealed class SuiteModel
{
    /// <summary>Calibration samples per model.</summary>
    public const int CalibrationCount = 16;

    private readonly Func<FloatNetwork> _build;
    private byte[]? _qdq;

    internal SuiteModel(string name, string description, SuiteInput input, Func<FloatNetwork> build)
    {
        Name = name;
        Description = description;
        Input = input;
        _build = build;
    }

    /// <summary>Short name, as the tables print it.</summary>
    public string Name { get; }

    /// <summary>The layers, in one line.</summary>
    public string Description { get; }

    /// <summary>What the input holds.</summary>
    public SuiteInput Input { get; }

    /// <summary>The float model's .onnx bytes.</summary>
    public byte[] FloatOnnx() => _build().ToOnnx();

    /// <summary>The QDQ model the static quantizer writes for the float model (computed once).</summary>
    public byte[] QdqOnnx()
    {
        if (_qdq is null)
        {
            FloatNetwork network = _build();
            byte[] floatModel = network.ToOnnx();
            QuantizationResult quantized = new StaticQuantizer().Quantize(OnnxModel.Load(floatModel), Samples(network.InputShape, CalibrationCount, seed: 1), Name);
            _qdq = quantized.ToBytes();
        }

        return _qdq;
    }

    /// <summary>The QDQ model converted as <c>hosttool convert --kernels K --requant M</c> does (no board unless <paramref name="budget"/>).</summary>
    public ConversionResult Convert(KernelSelection kernels, RequantizationMode requantization = RequantizationMode.Q31, int? budget = null)
    {
        return OnnxConverter.Convert(OnnxModel.Load(QdqOnnx()), new ConversionOptions
        {
            ModelName = Name,
            Kernels = kernels,
            Requantization = requantization,
            DeviceBudget = budget,
        });
    }

    /// <summary><paramref name="count"/> float samples of the input's shape (batch axis = samples), seeded.</summary>
    public NpyArray Samples(int count, int seed) => Samples(_build().InputShape, count, seed);

    private NpyArray Samples(int[] inputShape, int count, int seed)
    {
        int perSample = inputShape.Skip(1).Aggregate(1, (product, size) => product * size);
        var random = new Random(seed);
        var values = new float[count * perSample];
        for (int index = 0; index < values.Length; index++)
        {
            values[index] = Input == SuiteInput.Image
                ? (float)random.NextDouble()
                : (float)(Math.Sqrt(-2.0 * Math.Log(1.0 - random.NextDouble())) * Math.Cos(2.0 * Math.PI * random.NextDouble()));
        }

        return new NpyArray(values, new[] { count }.Concat(inputShape.Skip(1)).ToArray());
    }
}
