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
/// (issue 15) are pinned per family and mode as recorded when they were added. All were
/// recorded again for issue 17, whose format version 4 header (every model now version 4,
/// inputCount and outputCount as two u16, the work of one inference at 36) is the only change:
/// with that header put back in the old layout and version, every fingerprint was the one
/// recorded before. The lane convolutions' work was corrected after that (issue 15: Conv2DLanes
/// counts C·KH·KW taps, DepthwiseConv3x3Lanes nine); the three fingerprints it changed were recorded
/// again after checking that with the old work formula every fingerprint was the recorded one.
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

    // Recorded from main at 1f045ce (before issue 14) by this test's own fingerprint; again for
    // issue 17 (the version-4 header with the work), checked as the summary says.
    private static readonly Dictionary<string, uint> s_expected = new(StringComparer.Ordinal)
    {
        ["QdqConv2d"] = 0x1D727C55,
        ["QdqConv1d"] = 0xB9FDD75D,
        ["QdqGemm"] = 0xB06BAFF7,
        ["QdqMatMul"] = 0x8EC75D26,
        ["QdqAdd"] = 0xDE5F0D9A,
        ["QdqSub"] = 0x82F8B7EE,
        ["QdqMul"] = 0x57245FE2,
        ["QdqMaxPool"] = 0x237D6E6D,
        ["QdqAveragePool"] = 0x15450A5A,
        ["QdqGlobalAveragePool"] = 0xF9BDC786,
        ["QdqConcat"] = 0x6CF5CD6A,
        ["QdqReshape"] = 0x3DD34E99,
        ["QdqFlatten"] = 0x364CF357,
        ["QdqTranspose"] = 0xC279F02E,
        ["QdqPad"] = 0xCF745726,
        ["QdqFusedRelu"] = 0x35703187,
        ["QdqFusedClip"] = 0x8C0C282E,
        ["QdqRelu"] = 0xBF543AE1,
        ["QdqClip"] = 0x77291B4E,
        ["QdqLeakyRelu"] = 0xEDC14F4D,
        ["QdqHardSigmoid"] = 0x55428B66,
        ["QdqHardSwish"] = 0x4EFC70DE,
        ["QdqSigmoid"] = 0x15181876,
        ["QdqTanh"] = 0x54EB1E16,
        ["QdqSoftmax"] = 0x76CAFB78,
        ["QLinearConv"] = 0x90F15C88,
        ["QLinearMatMul"] = 0x8EF58877,
        ["QGemm"] = 0x2678A587,
        ["QLinearAdd"] = 0x4A611A7F,
        ["QLinearMul"] = 0xCCF02D35,
        ["QLinearAveragePool"] = 0x9DC44711,
        ["QLinearGlobalAveragePool"] = 0x18BAAEF0,
        ["QLinearConcat"] = 0x8CA2D7CC,
        ["QLinearSigmoid"] = 0x277CE610,
        ["QLinearLeakyRelu"] = 0x2562B312,
        ["QLinearSoftmax"] = 0xCC315EB8,
        ["MatMulInteger"] = 0xD8C5B13A,
        ["ConvInteger"] = 0x0F7B285D,
        ["Cnn"] = 0x63ECC9A6,
        ["Mlp"] = 0x17F3D28E,
        ["vibration q31 Plain"] = 0x9026C9FA,
        ["vibration q31 Packed"] = 0x1821E745,
        ["vibration q15 Plain"] = 0x75A784A8,
        ["vibration q15 Packed"] = 0x563712BB,
        ["vibration pow2 Plain"] = 0x0BB77996,
        ["vibration pow2 Packed"] = 0x7138A6FD,
        ["vibration per-tensor Plain"] = 0xF71AE75D,
        ["vibration per-tensor Packed"] = 0x0FADE4E3,
        ["vibration exact Plain"] = 0x0D1ACF3C,
        ["vibration exact Packed"] = 0x9BD1864D,

        // Recorded on branch issue15 when the auto kernels were added (the lane kernels, codes 24
        // and 25, are auto's only; q15, pow2 and exact have no lane kernel and give packed's bytes).
        // Recorded again for FullyConnectedLanes (code 26, format version 5): the families with a
        // fully connected layer (QdqGemm, QdqMatMul, QdqFusedClip, QLinearMatMul, QGemm,
        // MatMulInteger, Cnn, Mlp) and the vibration sample in q31 and per-tensor. Compared operator
        // by operator with main's conversion, only the fully connected operators differ (code 20
        // became 26, its filter words, its clamp table: a new one where the model had none, else
        // the shared one unwidened); every other operator, its tensors, constants and the arena
        // are the same.
        ["QdqConv2d Auto"] = 0xBA9087B0,
        ["QdqConv1d Auto"] = 0xBC1725FE,
        ["QdqGemm Auto"] = 0xF61DB308,
        ["QdqMatMul Auto"] = 0xC1D4B7C8,
        ["QdqAdd Auto"] = 0x9BDC2CA7,
        ["QdqSub Auto"] = 0xD719543D,
        ["QdqMul Auto"] = 0x5C040F3B,
        ["QdqMaxPool Auto"] = 0x69268BD4,
        ["QdqAveragePool Auto"] = 0xD364F3CA,
        ["QdqGlobalAveragePool Auto"] = 0x892B2589,
        ["QdqConcat Auto"] = 0x00DCB13F,
        ["QdqReshape Auto"] = 0x2B097A48,
        ["QdqFlatten Auto"] = 0x00CDFE07,
        ["QdqTranspose Auto"] = 0xFFEBAFAE,
        ["QdqPad Auto"] = 0x34ED547B,
        ["QdqFusedRelu Auto"] = 0x11A3394F,
        ["QdqFusedClip Auto"] = 0x65A8DF0F,
        ["QdqRelu Auto"] = 0x9C4D22FA,
        ["QdqClip Auto"] = 0x3294FB36,
        ["QdqLeakyRelu Auto"] = 0x9725A9B4,
        ["QdqHardSigmoid Auto"] = 0xA30FF026,
        ["QdqHardSwish Auto"] = 0x5A09E62C,
        ["QdqSigmoid Auto"] = 0xBEB7E02F,
        ["QdqTanh Auto"] = 0xD767DB55,
        ["QdqSoftmax Auto"] = 0x4090C876,
        ["QLinearConv Auto"] = 0x69FB9731,
        ["QLinearMatMul Auto"] = 0x81432F6A,
        ["QGemm Auto"] = 0xCBA9003B,
        ["QLinearAdd Auto"] = 0x4DABAA56,
        ["QLinearMul Auto"] = 0xF429D69F,
        ["QLinearAveragePool Auto"] = 0xA9AB0F6A,
        ["QLinearGlobalAveragePool Auto"] = 0x78491571,
        ["QLinearConcat Auto"] = 0x7E6C33FA,
        ["QLinearSigmoid Auto"] = 0x50AE3A63,
        ["QLinearLeakyRelu Auto"] = 0xFAB97A83,
        ["QLinearSoftmax Auto"] = 0xE5597674,
        ["MatMulInteger Auto"] = 0x4AE51989,
        ["ConvInteger Auto"] = 0x58EF7520,
        ["Cnn Auto"] = 0x909465B9,
        ["Mlp Auto"] = 0x9648B078,
        ["vibration q31 Auto"] = 0x4DF946BC,
        ["vibration q15 Auto"] = 0x563712BB,
        ["vibration pow2 Auto"] = 0x7138A6FD,
        ["vibration per-tensor Auto"] = 0x1301CA93,
        ["vibration exact Auto"] = 0x9BD1864D,
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
