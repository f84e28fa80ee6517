using System.Text.Json;
using NanoInt8.Onnx;

namespace NanoInt8.Exporters.Tests;

/// <summary>
/// The PyTorch 1.13 fixtures (Fixtures/pytorch, written by make_fixtures.py beside them): the
/// manifest, the held-out digits and their labels, and per model torch's own outputs. Read-only
/// and loaded once.
/// </summary>
public static class PyTorchFixtures
{
    private static readonly Lazy<Manifest> s_manifest = new(() =>
        JsonSerializer.Deserialize<Manifest>(File.ReadAllText(PathOf("manifest.json")), new JsonSerializerOptions { PropertyNameCaseInsensitive = true })
        ?? throw new InvalidDataException("manifest.json is empty."));

    /// <summary>The folder the fixtures are copied to next to the test assembly.</summary>
    public static string Folder { get; } = Path.Combine(AppContext.BaseDirectory, "Fixtures", "pytorch");

    /// <summary>The manifest.</summary>
    public static Manifest Contents => s_manifest.Value;

    /// <summary>Every exported .onnx file with the model it was exported from, for [DynamicData].</summary>
    public static IEnumerable<object[]> Exports =>
        Contents.Models.SelectMany(model => model.Exports.Select(export => new object[] { export.Onnx }));

    /// <summary>The model a given .onnx file was exported from, and the export.</summary>
    public static (ModelEntry Model, ExportEntry Export) Find(string onnx)
    {
        foreach (ModelEntry model in Contents.Models)
        {
            ExportEntry? export = model.Exports.FirstOrDefault(e => e.Onnx == onnx);
            if (export != null)
            {
                return (model, export);
            }
        }

        throw new ArgumentException($"{onnx} is not in manifest.json.", nameof(onnx));
    }

    /// <summary>The full path of a fixture file.</summary>
    public static string PathOf(string file) => Path.Combine(Folder, file);

    /// <summary>The held-out inputs, one array per sample, in the model's input shape (batch 1).</summary>
    public static IReadOnlyList<NpyArray> Inputs(ModelEntry model)
    {
        NpyArray all = NpyFile.Read(PathOf(Contents.Inputs));
        float[] values = all.AsFloats();
        int perSample = model.InputShape.Aggregate(1, (a, b) => a * b);
        if (values.Length != Contents.Samples * perSample)
        {
            throw new InvalidDataException($"{Contents.Inputs} holds {values.Length} values, not {Contents.Samples} samples of {perSample}.");
        }

        return Enumerable.Range(0, Contents.Samples)
            .Select(sample => new NpyArray(values.AsSpan(sample * perSample, perSample).ToArray(), model.InputShape))
            .ToList();
    }

    /// <summary>The held-out labels (0..9).</summary>
    public static int[] Labels() => NpyFile.Read(PathOf(Contents.Labels)).AsInt32();

    /// <summary>A [samples, classes] float32 array of the fixtures as rows.</summary>
    public static float[][] FloatRows(string file)
    {
        NpyArray array = NpyFile.Read(PathOf(file));
        return Rows(array.AsFloats(), array.Shape);
    }

    /// <summary>torch's int8 output codes on one engine, as rows.</summary>
    public static int[][] CodeRows(Int8Outputs outputs)
    {
        NpyArray array = NpyFile.Read(PathOf(outputs.Codes));
        return Rows(array.AsUInt8().Select(code => (int)code).ToArray(), array.Shape);
    }

    private static T[][] Rows<T>(T[] values, int[] shape)
    {
        int width = shape[^1];
        return Enumerable.Range(0, values.Length / width).Select(row => values.AsSpan(row * width, width).ToArray()).ToArray();
    }

    /// <summary>manifest.json.</summary>
    public sealed record Manifest(
        string Generator, int Seed, Dictionary<string, string> Versions, int Opset, string[] Engines, string ExportedEngine,
        string Inputs, string Labels, int Samples, ModelEntry[] Models);

    /// <summary>One trained and quantized model and its exports.</summary>
    public sealed record ModelEntry(
        string Name, string Description, string Recipe, int[] InputShape, string TorchFloat, double TorchFloatAccuracy,
        ExportEntry[] Exports, string? TorchFakeQuant, double? TorchFakeQuantAccuracy, Dictionary<string, Int8Outputs> TorchInt8,
        string? Int8ExportRefusedByTorch);

    /// <summary>One .onnx file torch wrote: the QAT model itself ("fakequant") or the converted model ("int8").</summary>
    public sealed record ExportEntry(string Kind, string Onnx, int OnnxBytes, bool DynamicBatch);

    /// <summary>torch's converted int8 model on one quantized engine: output codes (uint8), their scale and zero point, accuracy.</summary>
    public sealed record Int8Outputs(string Codes, double Scale, int ZeroPoint, double Accuracy);
}
