using NanoInt8.Conversion.Tests.Generators;
using NanoInt8.Host.Conversion;
using NanoInt8.Host.Device;
using NanoInt8.Host.Execution;
using NanoInt8.Host.Format;
using NanoInt8.Onnx;
using NanoInt8.Runtime;

namespace NanoInt8.Conversion.Tests;

/// <summary>
/// --kernels auto (issue 15): without a budget every layer takes its fastest kernel (the lane
/// kernels in q31); with a budget, layers are held to the plain kernels one at a time until the
/// model fits, never more than needed, and the outputs stay the plain kernels' bit for bit. A
/// budget is what a device with that model and transfer budget takes (ModelAdmission: deviceBytes
/// with the records beyond their reserve, and deviceBytes + the file at LOAD).
/// </summary>
[TestClass]
public sealed class AutoKernelTests
{
    [TestMethod]
    public void Convert_AutoWithoutBudget_LaneKernelsAndANoteOfWhatTheyCost()
    {
        GeneratedModel model = new QuantizedModelGenerator().Generate(Family.Cnn, 0);
        ConversionResult plain = Convert(model, KernelSelection.Plain, null);
        ConversionResult auto = Convert(model, KernelSelection.Auto, null);

        Assert.IsTrue(ModelFile.Read(auto.Blob).Operators.Any(op => op.OpCode == OpCode.Conv2DLanes), $"{model}: Conv2DLanes");
        string note = auto.Notes.Single(text => text.StartsWith("kernels auto:", StringComparison.Ordinal));
        StringAssert.Contains(note, "picked Conv2DLanes");
        StringAssert.Contains(note, $"against the plain kernels' {DeviceAndRecordBytes(plain.Blob):N0}");
        Assert.DoesNotContain("held to the plain kernels", note);
        AssertSameOutputs(model, plain.Blob, auto.Blob);
    }

    [TestMethod]
    public void Convert_AutoFullyConnectedLayers_FullyConnectedLanesWithThePlainOutputs()
    {
        // Every fully connected layer of the MLPs and the Gemm and MatMul families: code 26 in q31
        // (format version 5), bit-identical to the plain kernels; packed keeps FullyConnectedTriple.
        foreach (string family in new[] { Family.Mlp, Family.QdqGemm, Family.QdqMatMul, Family.QGemm })
        {
            for (int seed = 0; seed < 3; seed++)
            {
                GeneratedModel model = new QuantizedModelGenerator().Generate(family, seed);
                ConversionResult auto = Convert(model, KernelSelection.Auto, null);
                ModelFile file = ModelFile.Read(auto.Blob);
                Assert.IsTrue(file.Operators.Any(op => op.OpCode == OpCode.FullyConnectedLanes), $"{model}: FullyConnectedLanes");
                Assert.IsFalse(file.Operators.Any(op => op.OpCode is OpCode.FullyConnectedTriple or OpCode.FullyConnected), $"{model}: every layer");
                Assert.AreEqual(5, (int)file.Header.Version);
                StringAssert.Contains(auto.Notes.Single(text => text.StartsWith("kernels auto:", StringComparison.Ordinal)), "FullyConnectedLanes");
                AssertSameOutputs(model, Convert(model, KernelSelection.Plain, null).Blob, auto.Blob);

                ModelFile packed = ModelFile.Read(Convert(model, KernelSelection.Packed, null).Blob);
                Assert.IsFalse(packed.Operators.Any(op => op.OpCode == OpCode.FullyConnectedLanes), $"{model}: packed");
                Assert.AreEqual(4, (int)packed.Header.Version);
            }
        }
    }

    [TestMethod]
    public void Convert_AutoInQ15_FullyConnectedTriple()
    {
        // The lane kernels store in q31 only: another arithmetic keeps packed's kernel.
        GeneratedModel model = new QuantizedModelGenerator().Generate(Family.Mlp, 0);
        var options = new ConversionOptions { Kernels = KernelSelection.Auto, Requantization = NanoInt8.Host.Quantization.RequantizationMode.Q15 };
        ModelFile file = ModelFile.Read(OnnxConverter.Convert(OnnxModel.Load(model.Bytes), options).Blob);
        Assert.IsTrue(file.Operators.Any(op => op.OpCode == OpCode.FullyConnectedTriple));
        Assert.IsFalse(file.Operators.Any(op => op.OpCode == OpCode.FullyConnectedLanes));
    }

    [TestMethod]
    public void Convert_AutoWithABudgetBetweenPlainAndLanes_HoldsLayersToPlainUntilItFits()
    {
        GeneratedModel model = new QuantizedModelGenerator().Generate(Family.Cnn, 0);
        long plainBytes = RequiredBudget(Convert(model, KernelSelection.Plain, null).Blob);
        long laneBytes = RequiredBudget(Convert(model, KernelSelection.Auto, null).Blob);
        Assert.IsGreaterThan(plainBytes, laneBytes, "the lane kernels cost bytes");

        foreach (long budget in new[] { laneBytes - 1, (plainBytes + laneBytes) / 2, plainBytes })
        {
            ConversionResult auto = Convert(model, KernelSelection.Auto, (int)budget);
            long bytes = RequiredBudget(auto.Blob);
            Assert.IsLessThanOrEqualTo(budget, bytes, $"budget {budget}");
            string note = auto.Notes.Single(text => text.StartsWith("kernels auto:", StringComparison.Ordinal));
            StringAssert.Contains(note, "held to the plain kernels to fit the budget: ");
            AssertSameOutputs(model, Convert(model, KernelSelection.Plain, null).Blob, auto.Blob);
        }

        // Just under the lane conversion's bytes, one layer held to plain is enough and the others keep their kernels.
        ModelFile nearlyAll = ModelFile.Read(Convert(model, KernelSelection.Auto, (int)laneBytes - 1).Blob);
        Assert.IsTrue(nearlyAll.Operators.Any(op => op.OpCode is OpCode.Conv2DLanes or OpCode.DepthwiseConv3x3Lanes or OpCode.FullyConnectedLanes or OpCode.FullyConnectedTriple),
            "the layers not held keep their faster kernels");
    }

    [TestMethod]
    public void Convert_AutoWithABudgetBelowPlain_TooLarge()
    {
        GeneratedModel model = new QuantizedModelGenerator().Generate(Family.Cnn, 0);
        byte[] plain = Convert(model, KernelSelection.Plain, null).Blob;
        long plainBytes = RequiredBudget(plain);
        ModelAdmission refused = ModelAdmission.Check(plain, plainBytes - 1, plainBytes - 1, long.MaxValue);

        ModelTooLargeException exception = Assert.ThrowsExactly<ModelTooLargeException>(() => Convert(model, KernelSelection.Auto, (int)plainBytes - 1));

        long needed = refused.Refusal == AdmissionRefusal.TransferBytes ? refused.TransferBytes : refused.DeviceBytes + refused.PreparedBytes;
        Assert.AreEqual(needed, exception.RequiredBytes, "what the plain kernels need, by the rule that refused them");
    }

    [TestMethod]
    public void Convert_Auto_WorkIsThePlainKernelsWorkPlusTheScratchFilled()
    {
        // The work of a lane convolution is its taps per output plus the scratch it fills, of the
        // depthwise lanes its nine taps per output: the plain kernels' work plus at most the scratch
        // words (fewer than deviceBytes). Reading a layout word that is not a tap count (the clamp
        // table's zero) once made a keyword-spotting model's work overflow the header.
        var generator = new QuantizedModelGenerator();
        int laneModels = 0;
        int depthwiseModels = 0;
        for (int seed = 0; seed < 12; seed++)
        {
            GeneratedModel model = generator.Generate(Family.Cnn, seed);
            byte[] plain = Convert(model, KernelSelection.Plain, null).Blob;
            byte[] auto = Convert(model, KernelSelection.Auto, null).Blob;
            int[] codes = ModelFile.Read(auto).Operators.Select(op => op.OpCode).ToArray();
            laneModels += codes.Contains(OpCode.Conv2DLanes) ? 1 : 0;
            depthwiseModels += codes.Contains(OpCode.DepthwiseConv3x3Lanes) ? 1 : 0;
            Assert.AreEqual(ModelError.None, ModelReader.ComputeWork(plain, out long plainWork));
            Assert.AreEqual(ModelError.None, ModelReader.ComputeWork(auto, out long autoWork));
            Assert.IsGreaterThanOrEqualTo(plainWork, autoWork, $"{model}");
            Assert.IsLessThanOrEqualTo(plainWork + ModelReader.GetDeviceBytes(auto, 0), autoWork, $"{model}");
        }

        Assert.IsGreaterThan(0, laneModels, "no CNN with Conv2DLanes");
        Assert.IsGreaterThan(0, depthwiseModels, "no CNN with DepthwiseConv3x3Lanes");
    }

    private static ConversionResult Convert(GeneratedModel model, KernelSelection kernels, int? budget)
    {
        return OnnxConverter.Convert(OnnxModel.Load(model.Bytes), new ConversionOptions { Kernels = kernels, DeviceBudget = budget });
    }

    // What the auto note counts: deviceBytes and the interpreter's records.
    private static long DeviceAndRecordBytes(byte[] blob)
    {
        Assert.AreEqual(ModelError.None, ModelReader.TryRead(blob, int.MaxValue, out Model? decoded));
        return ModelReader.GetDeviceBytes(blob, 0) + Interpreter.PreparedBytes(decoded!);
    }

    // The smallest budget a device takes the model with (model and transfer budget alike).
    private static long RequiredBudget(byte[] blob)
    {
        long low = 0;
        long high = 1 << 24;
        Assert.AreEqual(AdmissionRefusal.None, ModelAdmission.Check(blob, high, high, long.MaxValue).Refusal);
        while (high - low > 1)
        {
            long middle = (low + high) / 2;
            if (ModelAdmission.Check(blob, middle, middle, long.MaxValue).Refusal == AdmissionRefusal.None)
            {
                high = middle;
            }
            else
            {
                low = middle;
            }
        }

        return high;
    }

    private static void AssertSameOutputs(GeneratedModel model, byte[] plain, byte[] other)
    {
        var plainRunner = new HostModelRunner(plain);
        var otherRunner = new HostModelRunner(other);
        var random = new Random(5);
        for (int sample = 0; sample < 3; sample++)
        {
            NpyArray input = model.CreateInputs(random)[model.Inputs[0].Name];
            CollectionAssert.AreEqual(plainRunner.Run(new[] { input })[0].Data, otherRunner.Run(new[] { input })[0].Data, $"{model}, sample {sample}");
        }
    }
}
