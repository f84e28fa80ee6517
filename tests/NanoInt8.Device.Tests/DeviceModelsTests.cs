using NanoInt8.Host.Format;
using NanoInt8.Runtime;

namespace NanoInt8.Device.Tests;

/// <summary>
/// The shared tests' model bytes (../Device.Tests.Shared/Support/DeviceModels.cs, written out
/// because the device has no model writer) are exactly what the host's ModelWriter writes.
/// </summary>
[TestClass]
public class DeviceModelsTests
{
    private const int IdentityMultiplier = 1 << 30;

    [TestMethod]
    public void AddThree_IsTheWritersOffsetModel()
    {
        CollectionAssert.AreEqual(Write(3, IdentityMultiplier, "add3"), DeviceModels.AddThree());
    }

    [TestMethod]
    public void AddMinusFive_IsTheWritersOffsetModel()
    {
        CollectionAssert.AreEqual(Write(-5, IdentityMultiplier, "sub5"), DeviceModels.AddMinusFive());
    }

    [TestMethod]
    public void InvalidContent_IsTheWritersModelWithMultiplierFive()
    {
        byte[] blob = DeviceModels.InvalidContent();

        CollectionAssert.AreEqual(Write(0, 5, "bad"), blob);
        Assert.AreEqual(ModelError.None, ModelReader.CheckHeader(blob, 0, blob.Length, int.MaxValue));
        Assert.AreEqual(ModelError.BadParameter, ModelReader.TryRead(blob, int.MaxValue, out _));
    }

    [TestMethod]
    public void Chain_IsTheWritersTwoRequantizeModel()
    {
        ModelBuilder builder = new();
        int input = builder.AddArenaTensor("input", new[] { DeviceModels.Elements }, 0, 0);
        int middle = builder.AddArenaTensor("middle", new[] { DeviceModels.Elements }, 3, DeviceModels.Elements);
        int output = builder.AddArenaTensor("output", new[] { DeviceModels.Elements }, -2, 2 * DeviceModels.Elements);
        builder.AddOperator(OpCode.Requantize, new[] { input }, new[] { middle }, new[] { IdentityMultiplier, 1, -128, 127 });
        builder.AddOperator(OpCode.Requantize, new[] { middle }, new[] { output }, new[] { IdentityMultiplier, 1, -128, 127 });
        builder.Inputs.Add(input);
        builder.Outputs.Add(output);
        builder.ArenaBytes = 3 * DeviceModels.Elements;
        builder.Metadata.ModelName = "chain";

        CollectionAssert.AreEqual(ModelWriter.Write(builder), DeviceModels.Chain());
    }

    private static byte[] Write(int outputZeroPoint, int multiplier, string name)
    {
        ModelBuilder builder = new();
        int input = builder.AddArenaTensor("input", new[] { DeviceModels.Elements }, 0, 0);
        int output = builder.AddArenaTensor("output", new[] { DeviceModels.Elements }, outputZeroPoint, DeviceModels.Elements);
        builder.AddOperator(OpCode.Requantize, new[] { input }, new[] { output }, new[] { multiplier, 1, -128, 127 });
        builder.Inputs.Add(input);
        builder.Outputs.Add(output);
        builder.ArenaBytes = 2 * DeviceModels.Elements;
        builder.Metadata.ModelName = name;
        return ModelWriter.Write(builder);
    }
}
