using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace NanoInt8.DeviceAudit.Tests;

/// <summary>The device runtime, as built for nanoFramework and for net10.0, has no floating point
/// and nothing else nanoCLR cannot run.</summary>
[TestClass]
public class DeviceBuildAuditTests
{
    [TestMethod]
    public void NanoBuild_HasNoViolations()
    {
        AssertNoViolations(AuditedAssemblies.NanoBuild);
    }

    [TestMethod]
    public void Net10Build_HasNoViolations()
    {
        AssertNoViolations(AuditedAssemblies.Net10Build);
    }

    [TestMethod]
    public void NanoBuild_IsTheRuntimeWithMethodBodies()
    {
        // Guards the two tests above against auditing an empty or wrong assembly.
        string path = AuditedAssemblies.PathOf(AuditedAssemblies.NanoBuild);
        using FileStream stream = File.OpenRead(path);
        using PEReader peReader = new(stream);
        MetadataReader reader = peReader.GetMetadataReader();

        bool fixedPointFound = false;
        int methodBodies = 0;
        foreach (TypeDefinitionHandle typeHandle in reader.TypeDefinitions)
        {
            TypeDefinition type = reader.GetTypeDefinition(typeHandle);
            fixedPointFound |= TypeNames.Of(reader, typeHandle) == "NanoInt8.Runtime.FixedPoint";
            methodBodies += type.GetMethods().Count(method => reader.GetMethodDefinition(method).RelativeVirtualAddress != 0);
        }

        AssemblyReference corlib = reader.AssemblyReferences.Select(reader.GetAssemblyReference).Single();
        Assert.IsTrue(fixedPointFound, "NanoInt8.Runtime.FixedPoint is missing from " + path);
        Assert.IsGreaterThan(10, methodBodies, "too few method bodies in " + path);
        Assert.AreEqual("mscorlib", reader.GetString(corlib.Name), "the nano build must reference only nanoFramework's mscorlib");
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
