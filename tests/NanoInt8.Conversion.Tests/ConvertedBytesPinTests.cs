using NanoInt8.Conversion.Tests.Generators;
using NanoInt8.Host.Conversion;
using NanoInt8.Host.Format;
using NanoInt8.Host.Quantization;
using NanoInt8.Onnx;
using NanoInt8.Runtime;

namespace NanoInt8.Conversion.Tests;

/// <summary>
/// Pins the bytes the converter writes: every generated family (two seeds, plain and packed
/// kernels) and the vibration sample (every requantization mode, plain and packed) converted
/// now must give exactly the bytes recorded on main before issue 14 (the operator plumbing
/// redesign), whose rule is "the same .ni8 bytes for the same input"; the auto kernels' bytes
/// (issue 15) are pinned per family and mode as recorded when they were added.
/// </summary>
/// <remarks>
/// The fingerprint is the CRC-32 of the whole blob with two things made independent of the build:
/// the converter version string in the metadata (it carries the commit hash) is replaced by a
/// fixed one before the metadata is serialized again, and the header's totalLength, payloadCrc32,
/// metadataBytes and headerCrc32 fields, which follow from it, are left out. Everything the device
/// reads (the other header fields, tables, parameters, constants) and every other metadata entry
/// is covered. A family's fingerprint is that of its models' bytes one after the other, in a fixed order.
/// </remarks>
[TestClass]
public sealed class ConvertedBytesPinTests
{
    private const int Seeds = 2;

    // Recorded from main at 1f045ce (before issue 14) by this test's own fingerprint.
    private static readonly Dictionary<string, uint> s_expected = new(StringComparer.Ordinal)
    {
        ["QdqConv2d"] = 0xBF136882,
        ["QdqConv1d"] = 0x0CE028A2,
        ["QdqGemm"] = 0xF5B2DD04,
        ["QdqMatMul"] = 0x505EBBEF,
        ["QdqAdd"] = 0x1CCC0D7B,
        ["QdqSub"] = 0x967673BB,
        ["QdqMul"] = 0x39B0B507,
        ["QdqMaxPool"] = 0xD88B7E34,
        ["QdqAveragePool"] = 0x096F87EA,
        ["QdqGlobalAveragePool"] = 0x0929D6C7,
        ["QdqConcat"] = 0x8CEB583B,
        ["QdqReshape"] = 0xF6C893ED,
        ["QdqFlatten"] = 0x1E291992,
        ["QdqTranspose"] = 0xA4B8DDA9,
        ["QdqPad"] = 0x46A5C8B3,
        ["QdqFusedRelu"] = 0xDFB317B7,
        ["QdqFusedClip"] = 0xB556070E,
        ["QdqRelu"] = 0x9BC22B14,
        ["QdqClip"] = 0xC2EC153E,
        ["QdqLeakyRelu"] = 0x3D4123B4,
        ["QdqHardSigmoid"] = 0xE9207DA1,
        ["QdqHardSwish"] = 0xFCBBE6F1,
        ["QdqSigmoid"] = 0x3831B993,
        ["QdqTanh"] = 0xEBF650C6,
        ["QdqSoftmax"] = 0xA7335AC5,
        ["QLinearConv"] = 0x55585EBD,
        ["QLinearMatMul"] = 0xEA75047D,
        ["QGemm"] = 0xFBC6FA1D,
        ["QLinearAdd"] = 0x46E98F2E,
        ["QLinearMul"] = 0x5214AF0D,
        ["QLinearAveragePool"] = 0xBF078D30,
        ["QLinearGlobalAveragePool"] = 0x30FF978E,
        ["QLinearConcat"] = 0xFEFE695A,
        ["QLinearSigmoid"] = 0x43EAE0B0,
        ["QLinearLeakyRelu"] = 0xAAC84E45,
        ["QLinearSoftmax"] = 0x4BCECABB,
        ["MatMulInteger"] = 0xFC41DADD,
        ["ConvInteger"] = 0xC23CE7D2,
        ["Cnn"] = 0xD19C7FF8,
        ["Mlp"] = 0x1F05A388,
        ["vibration q31 Plain"] = 0xE1EBAFED,
        ["vibration q31 Packed"] = 0xA9E90882,
        ["vibration q15 Plain"] = 0x922C7301,
        ["vibration q15 Packed"] = 0xE7FFFD7C,
        ["vibration pow2 Plain"] = 0xEC3C8E3F,
        ["vibration pow2 Packed"] = 0xC0F0493A,
        ["vibration per-tensor Plain"] = 0x109110F4,
        ["vibration per-tensor Packed"] = 0xBE650B24,
        ["vibration exact Plain"] = 0xEA913895,
        ["vibration exact Packed"] = 0x2A19698A,

        // Recorded on branch issue15 when the auto kernels were added (the lane kernels, codes 24
        // and 25, are auto's only; q15, pow2 and exact have no lane kernel and give packed's bytes).
        ["QdqConv2d Auto"] = 0x74D9B00E,
        ["QdqConv1d Auto"] = 0x56170D6C,
        ["QdqGemm Auto"] = 0x2A58A2D4,
        ["QdqMatMul Auto"] = 0x2F7749C9,
        ["QdqAdd Auto"] = 0x86C28C8F,
        ["QdqSub Auto"] = 0xF4E1F064,
        ["QdqMul Auto"] = 0x46366391,
        ["QdqMaxPool Auto"] = 0xBC2B810C,
        ["QdqAveragePool Auto"] = 0x1E31F6F2,
        ["QdqGlobalAveragePool Auto"] = 0xE3877B34,
        ["QdqConcat Auto"] = 0xFC88BF9D,
        ["QdqReshape Auto"] = 0x84B37967,
        ["QdqFlatten Auto"] = 0xFA89B938,
        ["QdqTranspose Auto"] = 0x1CF20369,
        ["QdqPad Auto"] = 0x410AF0FB,
        ["QdqFusedRelu Auto"] = 0x5C0B03D5,
        ["QdqFusedClip Auto"] = 0xBD1A6C90,
        ["QdqRelu Auto"] = 0x39090403,
        ["QdqClip Auto"] = 0x24491D33,
        ["QdqLeakyRelu Auto"] = 0xA48D765A,
        ["QdqHardSigmoid Auto"] = 0x3132397E,
        ["QdqHardSwish Auto"] = 0xD3AA8741,
        ["QdqSigmoid Auto"] = 0x051E5D10,
        ["QdqTanh Auto"] = 0x87BFFE17,
        ["QdqSoftmax Auto"] = 0x88D8D336,
        ["QLinearConv Auto"] = 0x3BE12043,
        ["QLinearMatMul Auto"] = 0xF163B8C1,
        ["QGemm Auto"] = 0x593F42A9,
        ["QLinearAdd Auto"] = 0xB085302C,
        ["QLinearMul Auto"] = 0x006E9E72,
        ["QLinearAveragePool Auto"] = 0x97C1BD4D,
        ["QLinearGlobalAveragePool Auto"] = 0x5D0084C5,
        ["QLinearConcat Auto"] = 0xCFF32A5A,
        ["QLinearSigmoid Auto"] = 0x87639B99,
        ["QLinearLeakyRelu Auto"] = 0x3950DA9D,
        ["QLinearSoftmax Auto"] = 0x6C2ABF34,
        ["MatMulInteger Auto"] = 0x730F3AD5,
        ["ConvInteger Auto"] = 0x51B4ECF8,
        ["Cnn Auto"] = 0xBF502C72,
        ["Mlp Auto"] = 0x2E6C4C46,
        ["vibration q31 Auto"] = 0xBC2728D6,
        ["vibration q15 Auto"] = 0xE7FFFD7C,
        ["vibration pow2 Auto"] = 0xC0F0493A,
        ["vibration per-tensor Auto"] = 0xA47D8C32,
        ["vibration exact Auto"] = 0x2A19698A,
    };

    /// <summary>MSTest's context, for printing the fingerprints when they differ.</summary>
    public TestContext TestContext { get; set; } = null!;

    /// <summary>Every generated family: seeds 0 and 1, plain and packed kernels, q31.</summary>
    [TestMethod]
    public void Convert_GeneratedFamilies_BytesAsRecordedBeforeIssue14()
    {
        AssertAsRecorded(FamilyFingerprints(new[] { KernelSelection.Plain, KernelSelection.Packed }, string.Empty));
    }

    /// <summary>
    /// Every generated family converted with the auto kernels (issue 15), seeds 0 and 1, q31, no
    /// budget: the lane kernels (codes 24, 25) where they apply. Recorded when auto was added.
    /// </summary>
    [TestMethod]
    public void Convert_GeneratedFamiliesWithAutoKernels_BytesAsRecorded()
    {
        AssertAsRecorded(FamilyFingerprints(new[] { KernelSelection.Auto }, " Auto"));
    }

    // Each family's fingerprint: its models' bytes, seed by seed and kernel choice by choice, one after the other.
    private static Dictionary<string, uint> FamilyFingerprints(KernelSelection[] choices, string suffix)
    {
        var generator = new QuantizedModelGenerator();
        var actual = new Dictionary<string, uint>(StringComparer.Ordinal);
        foreach (string family in QuantizedModelGenerator.AllFamilies)
        {
            var bytes = new List<byte>();
            for (int seed = 0; seed < Seeds; seed++)
            {
                OnnxModel onnx = OnnxModel.Load(generator.Generate(family, seed).Bytes);
                foreach (KernelSelection kernels in choices)
                {
                    bytes.AddRange(DeviceAndMetadataBytes(OnnxConverter.Convert(onnx, new ConversionOptions { ModelName = family, Kernels = kernels }).Blob));
                }
            }

            actual[family + suffix] = Fingerprint(bytes.ToArray());
        }

        return actual;
    }

    /// <summary>The vibration sample in every requantization mode, plain, packed and auto.</summary>
    [TestMethod]
    public void Convert_VibrationSample_BytesAsRecordedBeforeIssue14()
    {
        OnnxModel onnx = OnnxModel.Load(File.ReadAllBytes(Path.Combine(RepositoryRoot(), "samples", "vibration", "model.qdq.onnx")));
        var actual = new Dictionary<string, uint>(StringComparer.Ordinal);
        foreach (RequantizationMode mode in RequantizationModes.All)
        {
            foreach (KernelSelection kernels in new[] { KernelSelection.Plain, KernelSelection.Packed, KernelSelection.Auto })
            {
                byte[] blob = OnnxConverter.Convert(onnx, new ConversionOptions { ModelName = "vibration", Requantization = mode, Kernels = kernels }).Blob;
                actual[$"vibration {mode.Name()} {kernels}"] = Fingerprint(DeviceAndMetadataBytes(blob));
            }
        }

        AssertAsRecorded(actual);
    }

    private void AssertAsRecorded(Dictionary<string, uint> actual)
    {
        List<string> differences = actual
            .Where(pair => !s_expected.TryGetValue(pair.Key, out uint expected) || expected != pair.Value)
            .Select(pair => $"[\"{pair.Key}\"] = 0x{pair.Value:X8},")
            .ToList();
        foreach (string line in differences)
        {
            TestContext.WriteLine(line);
        }

        Assert.IsEmpty(differences, "converted bytes differ from the recorded ones: " + string.Join(" ", differences));
    }

    private static uint Fingerprint(byte[] bytes) => Crc32.Compute(bytes, 0, bytes.Length);

    // The blob without the fields that depend on the converter version's text, and with that text fixed.
    private static byte[] DeviceAndMetadataBytes(byte[] blob)
    {
        ModelFile file = ModelFile.Read(blob);
        ModelMetadata metadata = file.Metadata.Clone();
        metadata.ConverterVersion = "NanoInt8 pinned";
        int metadataOffset = (int)file.Layout.MetadataOffset;
        var bytes = new List<byte>();
        bytes.AddRange(blob.AsSpan(0, 8).ToArray());        // magic, version, flags
        bytes.AddRange(blob.AsSpan(16, 36).ToArray());      // arenaBytes .. int8Bytes
        bytes.AddRange(blob.AsSpan(56, 4).ToArray());       // scratchWords
        bytes.AddRange(blob.AsSpan(64, metadataOffset - 64).ToArray());
        bytes.AddRange(metadata.ToBytes());
        return bytes.ToArray();
    }

    private static string RepositoryRoot()
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory != null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "NanoInt8.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("NanoInt8.sln not found above " + AppContext.BaseDirectory);
    }
}
