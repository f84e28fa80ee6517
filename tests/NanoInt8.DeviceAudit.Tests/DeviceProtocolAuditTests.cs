namespace NanoInt8.DeviceAudit.Tests;

/// <summary>The device side of the serial protocol (Firmware/Device), as built for nanoFramework
/// (Firmware/Device.CompileCheck) and for net10.0, has no floating point and nothing else nanoCLR
/// cannot run.</summary>
[TestClass]
public class DeviceProtocolAuditTests
{
    /// <summary>The nanoFramework compile check's output (Firmware/Device.CompileCheck).</summary>
    public const string NanoBuild = "NanoInt8.Device.Nano.dll";

    /// <summary>The net10.0 build of the same sources (Firmware/Device).</summary>
    public const string Net10Build = "NanoInt8.Device.dll";

    [TestMethod]
    public void NanoBuild_HasNoViolations()
    {
        AssertNoViolations(NanoBuild);
    }

    [TestMethod]
    public void Net10Build_HasNoViolations()
    {
        AssertNoViolations(Net10Build);
    }

    [TestMethod]
    public void NanoBuild_IsTheProtocolCodeAgainstNanoFrameworkOnly()
    {
        // Guards the two tests above against auditing an empty or wrong assembly.
        AuditedBuild build = AuditedBuild.Read(NanoBuild);

        Assert.Contains("NanoInt8.Device.DeviceServer", build.Types, "DeviceServer is missing from " + build.Path);
        Assert.Contains("NanoInt8.Device.FrameDecoder", build.Types, "FrameDecoder is missing from " + build.Path);
        Assert.IsGreaterThan(40, build.MethodBodies, "too few method bodies in " + build.Path);
        CollectionAssert.AreEqual(new[] { "mscorlib", "NanoInt8.Runtime.Nano" }, build.References,
            "the nano build must reference only nanoFramework's mscorlib and the runtime's nano build");
    }

    private static void AssertNoViolations(string fileName)
    {
        string path = AuditedAssemblies.PathOf(fileName);
        IReadOnlyList<AuditViolation> violations = DeviceCodeAuditor.Audit(path);
        if (violations.Count > 0)
        {
            Assert.Fail($"{path} has {violations.Count} construct(s) the device cannot run:{Environment.NewLine}{DeviceCodeAuditor.Format(violations)}");
        }
    }
}
