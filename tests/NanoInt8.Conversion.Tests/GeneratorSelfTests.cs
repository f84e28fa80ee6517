using NanoInt8.Conversion.Tests.Generators;
using NanoInt8.Onnx;
using NanoInt8.Onnx.Protobuf;

namespace NanoInt8.Conversion.Tests;

/// <summary>
/// Checks the model generator on its own, with ONNX Runtime only: every generated model loads in
/// our ONNX reader and runs in ONNX Runtime, and its outputs are not saturated, so that the
/// converter comparisons built on them can fail.
/// </summary>
[TestClass]
public sealed class GeneratorSelfTests
{
    /// <summary>The most output values allowed on a clipping end, unless a Clip makes them legitimate.</summary>
    private const double AllowedClippedShare = 0.3;

    /// <summary>A Clip node's bounds are calibrated onto the ends of the range: values there are the clip working, not saturation.</summary>
    private const double AllowedClippedShareWithClip = 0.75;

    private const int SelfTestSamples = 16;

    /// <summary>MSTest's context, for printing the figures.</summary>
    public TestContext TestContext { get; set; } = null!;

    /// <summary>Every family, for DynamicData.</summary>
    public static IEnumerable<object[]> Families => QuantizedModelGenerator.AllFamilies.Select(family => new object[] { family });

    /// <summary>
    /// Semantics checked: ONNX Runtime's (optimizations off) on the generated models. Each model
    /// of the family loads in <see cref="OnnxModel"/> and runs in ONNX Runtime; its outputs, in
    /// quantization steps, take enough distinct levels and are at most 30% clipped (75% when a Clip
    /// puts its bounds on the range's ends).
    /// </summary>
    [TestMethod]
    [DynamicData(nameof(Families))]
    public void Generate_Family_RunsInOnnxRuntimeWithUnsaturatedOutputs(string family)
    {
        var generator = new QuantizedModelGenerator();
        var runner = new OnnxRuntimeRunner();
        var failures = new List<string>();
        for (int seed = 0; seed < TestSeeds.ModelsOf(family); seed++)
        {
            GeneratedModel model;
            try
            {
                model = generator.Generate(family, seed);
                OnnxModel.Load(model.Bytes);
            }
            catch (Exception exception) when (exception is OnnxRuntimeRunException or OnnxFormatException or InvalidOperationException)
            {
                failures.Add($"{family}#{seed}: generation failed: {exception.Message}");
                continue;
            }

            var statistics = new OutputStatistics(model);
            try
            {
                using OnnxRuntimeSession session = runner.CreateSession(model.Bytes);
                var random = new Random(seed);
                for (int sample = 0; sample < SelfTestSamples; sample++)
                {
                    statistics.Add(session.Run(model.CreateInputs(random)));
                }
            }
            catch (OnnxRuntimeRunException exception)
            {
                failures.Add($"{model}: ONNX Runtime failed: {exception.Message}");
                continue;
            }

            TestContext.WriteLine($"{model}: {statistics}");
            bool hasClip = model.Configuration.Contains("Clip", StringComparison.Ordinal);
            double allowedClipped = hasClip ? AllowedClippedShareWithClip : AllowedClippedShare;
            int neededLevels = (int)Math.Min(16, Math.Max(2, statistics.Count / model.Outputs.Count / 8));
            if (statistics.ClippedShare > allowedClipped || statistics.FewestLevels < neededLevels)
            {
                failures.Add($"{model}: {statistics}; needs at least {neededLevels} levels and at most {allowedClipped:P0} clipped");
            }
        }

        Assert.IsEmpty(failures, $"{failures.Count} {family} models are unusable:\n" + string.Join("\n", failures));
    }

    /// <summary>The operator-format families, for DynamicData.</summary>
    public static IEnumerable<object[]> OperatorFamilies => QuantizedModelGenerator.OperatorFamilies.Select(family => new object[] { family });

    /// <summary>
    /// Semantics checked: the QDQ equivalent the tie analysis of operator-format models relies on
    /// (<see cref="QdqEquivalentProbe"/>). Its graph inputs correspond 1:1 to the model's (names,
    /// order, shapes, quantization) and its outputs in shape and quantization; every quantized input
    /// value q of every input, dequantized to float32 (q - zp) · scale, comes back as exactly q from
    /// the equivalent's input QuantizeLinear; every output has a value before quantization; and
    /// that value, quantized half to even, is within one step of ONNX Runtime's own output of the
    /// operator-format model (the same real quantity, up to float32 noise at ties).
    /// </summary>
    [TestMethod]
    [DynamicData(nameof(OperatorFamilies))]
    public void QdqEquivalent_OperatorFamily_RecoversInputsAndMatchesTheModel(string family)
    {
        var generator = new QuantizedModelGenerator();
        var runner = new OnnxRuntimeRunner();
        var failures = new List<string>();
        long compared = 0;
        long identical = 0;
        for (int seed = 0; seed < TestSeeds.ModelsOf(family); seed++)
        {
            GeneratedModel model = generator.Generate(family, seed);
            if (QdqEquivalentProbe.Correspondence(model) is { } problem)
            {
                failures.Add($"{model}: {problem}");
                continue;
            }

            using QdqEquivalentProbe probe = QdqEquivalentProbe.Create(model)!;
            using OnnxRuntimeSession session = runner.CreateSession(model.Bytes);
            int sweeps = model.Inputs.Max(input => (256 + input.ElementCount - 1) / input.ElementCount);
            for (int sweep = 0; sweep < sweeps; sweep++)
            {
                Dictionary<string, NpyArray> inputs = EveryQuantizedValue(model, sweep);
                (IReadOnlyList<NpyArray?> values, string? recovery) = probe.Run(inputs);
                if (recovery is not null)
                {
                    failures.Add($"{model}: {recovery}");
                    break;
                }

                IReadOnlyList<NpyArray> outputs = session.Run(inputs);
                string? mismatch = null;
                for (int output = 0; output < model.Outputs.Count && mismatch is null; output++)
                {
                    Quantization quantization = model.Outputs[output].Quantization;
                    if (values[output]?.AsFloats() is not { } reals)
                    {
                        mismatch = $"output {output} has no value before quantization in the QDQ equivalent";
                        break;
                    }

                    int[] ort = outputs[output].ElementType == NpyType.Int8
                        ? outputs[output].AsInt8().Select(value => (int)value).ToArray()
                        : outputs[output].AsUInt8().Select(value => (int)value).ToArray();
                    for (int index = 0; index < ort.Length; index++)
                    {
                        int expected = quantization.Quantize(reals[index]);
                        compared++;
                        identical += expected == ort[index] ? 1 : 0;
                        if (Math.Abs(expected - ort[index]) > 1)
                        {
                            mismatch = $"output {output} element {index}: the QDQ equivalent's value {reals[index]} quantizes to {expected}, ONNX Runtime's operator gives {ort[index]}";
                            break;
                        }
                    }
                }

                if (mismatch is not null)
                {
                    failures.Add($"{model}: {mismatch}");
                    break;
                }
            }
        }

        TestContext.WriteLine(FormattableString.Invariant($"{family}: QDQ equivalent quantized half to even = ONNX Runtime's operator output for {identical}/{compared} values"));
        Assert.IsEmpty(failures, string.Join("\n", failures));
    }

    /// <summary>A family name and seed determine the model: two generators give the same bytes.</summary>
    [TestMethod]
    public void Generate_SameFamilyAndSeed_GivesTheSameBytes()
    {
        foreach (string family in new[] { Family.QdqConv2d, Family.QdqFusedClip, Family.QLinearConv, Family.Cnn })
        {
            CollectionAssert.AreEqual(new QuantizedModelGenerator().Generate(family, 3).Bytes, new QuantizedModelGenerator().Generate(family, 3).Bytes, family);
        }
    }

    /// <summary>The single-operator models cover opset 13 and opset 21.</summary>
    [TestMethod]
    public void Generate_SingleOperatorFamilies_UseOpset13And21()
    {
        var generator = new QuantizedModelGenerator();
        var opsets = new HashSet<long>();
        foreach (string family in new[] { Family.QdqConv2d, Family.QdqGemm, Family.QdqAdd, Family.QLinearConv })
        {
            for (int seed = 0; seed < 8; seed++)
            {
                opsets.Add(OnnxModel.Load(generator.Generate(family, seed).Bytes).DefaultOpsetVersion ?? 0);
            }
        }

        CollectionAssert.IsSubsetOf(new long[] { 13, 21 }, opsets.ToList());
    }

    /// <summary>Quantized inputs in which element i of sweep s holds the type's minimum + (s · count + i) mod 256, so over the sweeps every input takes all 256 values.</summary>
    private static Dictionary<string, NpyArray> EveryQuantizedValue(GeneratedModel model, int sweep)
    {
        var inputs = new Dictionary<string, NpyArray>(StringComparer.Ordinal);
        foreach (GeneratedTensor input in model.Inputs)
        {
            int count = input.ElementCount;
            int[] values = Enumerable.Range(0, count).Select(index => input.Quantization.Min + (((sweep * count) + index) % 256)).ToArray();
            inputs[input.Name] = input.Quantization.Type == QuantizedType.Int8
                ? new NpyArray(values.Select(value => (sbyte)value).ToArray(), input.Shape)
                : new NpyArray(values.Select(value => (byte)value).ToArray(), input.Shape);
        }

        return inputs;
    }

    /// <summary>
    /// Conv weight scales lie in [1e-5, 1] and reach both ends of it within a decade; input zero
    /// points reach the extremes of int8 (-128, 127) and uint8 (0, 255).
    /// </summary>
    [TestMethod]
    public void Generate_ConvFamily_CoversScaleRangeAndZeroPointExtremes()
    {
        var generator = new QuantizedModelGenerator();
        var scales = new List<float>();
        var zeroPoints = new HashSet<(QuantizedType, int)>();
        for (int seed = 0; seed < 40; seed++)
        {
            GeneratedModel model = generator.Generate(Family.QdqConv2d, seed);
            zeroPoints.UnionWith(model.Inputs.Select(input => (input.Quantization.Type, input.Quantization.ZeroPoint)));
            foreach (TensorProto initializer in OnnxModel.Load(model.Bytes).Initializers.Values)
            {
                if (initializer.Name.StartsWith("w_scale", StringComparison.Ordinal))
                {
                    scales.AddRange(initializer.ToFloats());
                }
            }
        }

        Assert.IsTrue(scales.All(scale => scale >= 1e-5f && scale <= 1f), "a weight scale outside [1e-5, 1]");
        Assert.IsLessThan(1e-4f, scales.Min());
        Assert.IsGreaterThan(0.1f, scales.Max());
        foreach ((QuantizedType, int) extreme in new[] { (QuantizedType.Int8, -128), (QuantizedType.Int8, 127), (QuantizedType.UInt8, 0), (QuantizedType.UInt8, 255) })
        {
            Assert.Contains(extreme, zeroPoints);
        }
    }
}
