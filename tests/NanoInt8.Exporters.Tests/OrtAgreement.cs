using System.Globalization;
using Microsoft.ML.OnnxRuntime;
using NanoInt8.Host.Conversion;
using NanoInt8.Host.Execution;
using NanoInt8.Onnx;

namespace NanoInt8.Exporters.Tests;

/// <summary>
/// A model converted and run by <see cref="HostModelRunner"/> (the device interpreter on the
/// host) next to ONNX Runtime on the same inputs, compared in output quantization steps: a float
/// output is turned back into its codes, round(v / scale) + zero point, with the converted
/// model's own output scale and zero point (ONNX Runtime's DequantizeLinear uses the same ones).
/// Every difference counts; no tie is excused.
/// </summary>
public sealed class OrtAgreement
{
    private readonly List<float[]> _rows = [];

    private OrtAgreement(ConversionResult conversion, GraphOptimizationLevel level)
    {
        Conversion = conversion;
        Level = level;
    }

    /// <summary>The conversion that was run.</summary>
    public ConversionResult Conversion { get; }

    /// <summary>ONNX Runtime's graph optimization level.</summary>
    public GraphOptimizationLevel Level { get; }

    /// <summary>Output values compared.</summary>
    public long Compared { get; private set; }

    /// <summary>Output values with the same code.</summary>
    public long Identical { get; private set; }

    /// <summary>The largest difference, in steps.</summary>
    public int LargestDifference { get; private set; }

    /// <summary>Identical values over all compared, 0..1.</summary>
    public double IdenticalShare => Compared == 0 ? 0 : Identical / (double)Compared;

    /// <summary>Samples whose first output's largest value is at a position where ONNX Runtime's is largest too, 0..1.</summary>
    public double Top1Agreement { get; private set; }

    /// <summary>The converted model's first output, one row (the last dimension) per sample.</summary>
    public IReadOnlyList<float[]> Rows => _rows;

    /// <summary>Converts <paramref name="onnx"/> with <paramref name="options"/> and compares it with ONNX Runtime on every sample.</summary>
    /// <param name="onnx">The .onnx bytes, as the exporter wrote them.</param>
    /// <param name="samples">One array per sample for the model's one input.</param>
    /// <param name="options">The conversion's options.</param>
    /// <param name="level">ONNX Runtime's graph optimization level.</param>
    /// <exception cref="ConversionException">The converter refuses the model.</exception>
    public static OrtAgreement Measure(byte[] onnx, IReadOnlyList<NpyArray> samples, ConversionOptions options, GraphOptimizationLevel level)
    {
        ConversionResult conversion = OnnxConverter.Convert(OnnxModel.Load(onnx), options);
        var runner = new HostModelRunner(conversion.Blob);
        using OnnxRuntimeSession session = new OnnxRuntimeRunner { OptimizationLevel = level }.CreateSession(onnx);
        var agreement = new OrtAgreement(conversion, level);
        int agreeing = 0;
        foreach (NpyArray sample in samples)
        {
            IReadOnlyList<NpyArray> expected = session.Run(new Dictionary<string, NpyArray> { [session.InputNames[0]] = sample });
            IReadOnlyList<NpyArray> actual = runner.Run([sample]);
            for (int output = 0; output < actual.Count; output++)
            {
                GraphTensor tensor = runner.Outputs[output];
                int[] theirs = Codes(expected[output], tensor);
                int[] ours = Codes(actual[output], tensor);
                for (int index = 0; index < ours.Length; index++)
                {
                    int difference = Math.Abs(theirs[index] - ours[index]);
                    agreement.Compared++;
                    agreement.Identical += difference == 0 ? 1 : 0;
                    agreement.LargestDifference = Math.Max(agreement.LargestDifference, difference);
                }
            }

            int[] ortCodes = Codes(expected[0], runner.Outputs[0]);
            int[] ourCodes = Codes(actual[0], runner.Outputs[0]);
            agreeing += ortCodes[Array.IndexOf(ourCodes, ourCodes.Max())] == ortCodes.Max() ? 1 : 0;
            agreement._rows.Add(actual[0].ElementType == NpyType.Float32
                ? actual[0].AsFloats()
                : ourCodes.Select(code => (float)code).ToArray());
        }

        agreement.Top1Agreement = samples.Count == 0 ? 0 : agreeing / (double)samples.Count;
        return agreement;
    }

    /// <summary>The figures in one line.</summary>
    public override string ToString() => string.Format(
        CultureInfo.InvariantCulture,
        "{0} ({1:N0}/{2:N0}) identical to ONNX Runtime ({3}), largest difference {4} step{5}, same top class on {6}",
        IdenticalShare.ToString("P2", CultureInfo.InvariantCulture), Identical, Compared, Level, LargestDifference, LargestDifference == 1 ? string.Empty : "s",
        Top1Agreement.ToString("P2", CultureInfo.InvariantCulture));

    /// <summary>The codes of an output: float values as round(v / scale) + zero point, integers as they are.</summary>
    private static int[] Codes(NpyArray array, GraphTensor tensor) => array.ElementType switch
    {
        NpyType.Float32 => array.AsFloats().Select(value => (int)Math.Round(value / (double)tensor.Scale, MidpointRounding.ToEven) + tensor.ZeroPoint).ToArray(),
        NpyType.Int8 => array.AsInt8().Select(value => (int)value).ToArray(),
        NpyType.UInt8 => array.AsUInt8().Select(value => (int)value).ToArray(),
        _ => array.AsInt32(),
    };
}
