namespace NanoInt8.DeviceAudit.Tests;

/// <summary>The device runtime, as built for nanoFramework (two assemblies: NanoInt8.Kernels and
/// NanoInt8.Runtime, Firmware/Runtime/DeviceAssemblies.props) and for net10.0 (one assembly), has no
/// floating point and nothing else nanoCLR cannot run.</summary>
[TestClass]
public class DeviceBuildAuditTests
{
    [TestMethod]
    public void KernelsNanoBuild_HasNoViolations()
    {
        AssertNoViolations(AuditedAssemblies.KernelsNanoBuild);
    }

    [TestMethod]
    public void RuntimeNanoBuild_HasNoViolations()
    {
        AssertNoViolations(AuditedAssemblies.RuntimeNanoBuild);
    }

    [TestMethod]
    public void Net10Build_HasNoViolations()
    {
        AssertNoViolations(AuditedAssemblies.Net10Build);
    }

    [TestMethod]
    public void KernelsNanoBuild_IsTheKernelsAgainstNanoFrameworkOnly()
    {
        // Guards the audit above against an empty or wrong assembly, and proves the lower assembly
        // needs nothing from the upper one.
        AuditedBuild build = AuditedBuild.Read(AuditedAssemblies.KernelsNanoBuild);

        Assert.Contains("NanoInt8.Runtime.FixedPoint", build.Types, "FixedPoint is missing from " + build.Path);
        Assert.Contains("NanoInt8.Runtime.Kernels.Conv2DKernel", build.Types, "Conv2DKernel is missing from " + build.Path);
        Assert.Contains("NanoInt8.Runtime.Operators.Conv2DOperator", build.Types, "the operator records are missing from " + build.Path);
        Assert.DoesNotContain("NanoInt8.Runtime.Model", build.Types, "the model belongs to the upper assembly, not " + build.Path);
        Assert.IsGreaterThan(10, build.MethodBodies, "too few method bodies in " + build.Path);
        CollectionAssert.AreEqual(new[] { "mscorlib" }, build.References,
            "the kernels' nano build must reference only nanoFramework's mscorlib");
    }

    [TestMethod]
    public void RuntimeNanoBuild_IsTheRestAgainstTheKernelsOnly()
    {
        AuditedBuild build = AuditedBuild.Read(AuditedAssemblies.RuntimeNanoBuild);

        Assert.Contains("NanoInt8.Runtime.Interpreter", build.Types, "Interpreter is missing from " + build.Path);
        Assert.Contains("NanoInt8.Runtime.ModelReader", build.Types, "ModelReader is missing from " + build.Path);
        Assert.DoesNotContain("NanoInt8.Runtime.FixedPoint", build.Types, "FixedPoint belongs to the kernels, not " + build.Path);
        Assert.IsGreaterThan(10, build.MethodBodies, "too few method bodies in " + build.Path);
        CollectionAssert.AreEqual(new[] { "mscorlib", "NanoInt8.Kernels.Nano" }, build.References,
            "the runtime's nano build must reference only nanoFramework's mscorlib and the kernels' nano build");
    }

    [TestMethod]
    public void NanoBuilds_TogetherDefineTheTypesOfTheNet10Build()
    {
        // The split loses no type and compiles none twice. The net10.0 build alone has the host-only
        // work counters (NANOINT8_COUNTERS) and the .NET-only partials' types, if any.
        AuditedBuild kernels = AuditedBuild.Read(AuditedAssemblies.KernelsNanoBuild);
        AuditedBuild runtime = AuditedBuild.Read(AuditedAssemblies.RuntimeNanoBuild);
        AuditedBuild net10 = AuditedBuild.Read(AuditedAssemblies.Net10Build);

        CollectionAssert.AreEquivalent(Array.Empty<string>(), kernels.Types.Intersect(runtime.Types).ToArray(),
            "types compiled into both device assemblies");
        string[] deviceTypes = kernels.Types.Union(runtime.Types).Order().ToArray();
        string[] net10Types = net10.Types.Where(type => type != "NanoInt8.Runtime.RuntimeCounters").Order().ToArray();
        CollectionAssert.AreEqual(net10Types, deviceTypes, "the two device assemblies and the net10.0 build differ in their types");
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
