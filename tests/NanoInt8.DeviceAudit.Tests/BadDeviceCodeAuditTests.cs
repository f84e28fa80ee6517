using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace NanoInt8.DeviceAudit.Tests;

/// <summary>The auditor reports each construct of the deliberately bad fixture
/// (tests/Fixtures/BadDeviceCode) by name, and nothing in its clean code.</summary>
[TestClass]
public class BadDeviceCodeAuditTests
{
    private const string Violations = "BadDeviceCode.Violations.";

    private static IReadOnlyList<AuditViolation> s_violations = Array.Empty<AuditViolation>();

    [ClassInitialize]
    public static void AuditFixture(TestContext context)
    {
        s_violations = DeviceCodeAuditor.Audit(AuditedAssemblies.PathOf(AuditedAssemblies.BadDeviceCode));
    }

    [TestMethod]
    public void BadAssembly_TooManyLocals_IsReported()
    {
        AssertReported(Violations + "TooManyLocals", ViolationKind.FrameLimit, "locals (nanoCLR holds at most 255)");
    }

    [TestMethod]
    public void BadAssembly_TooManyArguments_IsReported()
    {
        AssertReported(Violations + "TooManyArguments", ViolationKind.FrameLimit, "256 arguments");
    }

    [TestMethod]
    public void BadAssembly_FloatLocal_IsReported()
    {
        AssertReported(Violations + "FloatLocal", ViolationKind.FloatingPoint, "local 0 has type float");
    }

    [TestMethod]
    public void BadAssembly_DoubleField_IsReported()
    {
        AssertReported(Violations + "DoubleField", ViolationKind.FloatingPoint, "field has type double");
    }

    [TestMethod]
    public void BadAssembly_FloatLiteral_IsReported()
    {
        AssertReported(Violations + "FloatLiteral", ViolationKind.FloatingPointOpcode, "opcode ldc.r4 at IL_");
    }

    [TestMethod]
    public void BadAssembly_ConversionToDouble_IsReported()
    {
        AssertReported(Violations + "ConversionToDouble", ViolationKind.FloatingPointOpcode, "opcode conv.r8 at IL_");
    }

    [TestMethod]
    public void BadAssembly_BoxedDoubleOperand_IsReported()
    {
        AssertReported(Violations + "ConversionToDouble", ViolationKind.FloatingPoint, "box System.Double at IL_");
    }

    [TestMethod]
    public void BadAssembly_FloatParameter_IsReported()
    {
        AssertReported(Violations + "FloatParameter", ViolationKind.FloatingPoint, "parameter 'value' has type float");
    }

    [TestMethod]
    public void BadAssembly_FloatProperty_IsReported()
    {
        AssertReported(Violations + "FloatProperty", ViolationKind.FloatingPoint, "property has type float");
    }

    [TestMethod]
    public void BadAssembly_FloatMemberReference_IsReported()
    {
        AssertReported(Violations + "CallsMathSqrt", ViolationKind.FloatingPoint, "call System.Math.Sqrt(double) at IL_");
    }

    [TestMethod]
    public void BadAssembly_GenericMethod_IsReported()
    {
        AssertReported(Violations + "GenericMethod", ViolationKind.GenericDefinition, "generic method definition");
    }

    [TestMethod]
    public void BadAssembly_GenericClass_IsReported()
    {
        AssertReported("BadDeviceCode.GenericClass`1", ViolationKind.GenericDefinition, "generic type definition");
    }

    [TestMethod]
    public void BadAssembly_GenericBclMethod_IsReported()
    {
        AssertReported(Violations + "UsesGenericBclMethod", ViolationKind.GenericInstantiation, "call System.Array.Empty<int>() at IL_");
    }

    [TestMethod]
    public void BadAssembly_MultiDimensionalArrayField_IsReported()
    {
        AssertReported(Violations + "MultiDimensionalArrayField", ViolationKind.MultiDimensionalArray, "field has type int[,]");
    }

    [TestMethod]
    public void BadAssembly_PointerParameter_IsReported()
    {
        AssertReported(Violations + "PointerParameter", ViolationKind.Pointer, "parameter 'pointer' has type int*");
    }

    [TestMethod]
    public void BadAssembly_Stackalloc_IsReported()
    {
        AssertReported(Violations + "Stackalloc", ViolationKind.Unsafe, "opcode localloc (stackalloc) at IL_");
    }

    [TestMethod]
    public void BadAssembly_FunctionPointer_IsReported()
    {
        AssertReported(Violations + "FunctionPointer", ViolationKind.FunctionPointer, "parameter 'function' has type delegate*<int, int>");
        AssertReported(Violations + "FunctionPointer", ViolationKind.FunctionPointer, "opcode calli");
    }

    [TestMethod]
    public void BadAssembly_RefStruct_IsReported()
    {
        AssertReported("BadDeviceCode.ByRefLikeStruct", ViolationKind.ByRefLike, "byref-like type (ref struct)");
    }

    [TestMethod]
    public void BadAssembly_UnsafeModule_IsReported()
    {
        AssertReported("<module>", ViolationKind.Unsafe, "UnverifiableCodeAttribute");
    }

    [TestMethod]
    public void BadAssembly_CleanMethod_IsNotReported()
    {
        const string clean = "BadDeviceCode.CleanDeviceCode";
        AuditViolation[] reported = s_violations
            .Where(violation => violation.Location.StartsWith(clean, StringComparison.Ordinal)
                || violation.Location.StartsWith("<PrivateImplementationDetails>", StringComparison.Ordinal))
            .ToArray();
        Assert.IsEmpty(reported, DeviceCodeAuditor.Format(reported));
    }

    [TestMethod]
    public void BadAssembly_CleanMethod_HasFloatOpcodeBytesAsOperands()
    {
        // The clean method is only a meaningful test if its IL really contains float-opcode bytes
        // inside operands and a switch table, which a byte scanner would misreport.
        byte[] il = MethodIl("BadDeviceCode.CleanDeviceCode", "CleanDotProduct");
        foreach (byte floatOpcodeByte in new byte[] { 0x22, 0x23, 0x6B, 0x6C, 0x76, 0xC3 })
        {
            Assert.Contains(floatOpcodeByte, il, $"0x{floatOpcodeByte:X2} is not in the IL of CleanDotProduct");
        }

        IReadOnlyList<IlInstruction> instructions = IlDecoder.Decode(il, out string? error);
        Assert.IsNull(error);
        Assert.IsTrue(instructions.Any(instruction => instruction.OpCode.Mnemonic == "switch"), "CleanDotProduct compiles without a switch opcode");
        Assert.IsTrue(instructions.Any(instruction => instruction.OpCode.Mnemonic == "newarr"), "CleanDotProduct compiles without newarr");
    }

    [TestMethod]
    public void BadAssembly_EveryViolationHasTypeAndMember()
    {
        foreach (AuditViolation violation in s_violations)
        {
            Assert.IsFalse(string.IsNullOrWhiteSpace(violation.Location), violation.ToString());
            Assert.IsFalse(string.IsNullOrWhiteSpace(violation.Description), violation.ToString());
        }
    }

    private static void AssertReported(string location, ViolationKind kind, string descriptionFragment)
    {
        bool found = s_violations.Any(violation => violation.Location == location
            && violation.Kind == kind
            && violation.Description.Contains(descriptionFragment, StringComparison.Ordinal));
        if (!found)
        {
            IEnumerable<AuditViolation> atLocation = s_violations.Where(violation => violation.Location == location);
            Assert.Fail($"expected {kind} '{descriptionFragment}' at {location}; reported there:{Environment.NewLine}{DeviceCodeAuditor.Format(atLocation)}");
        }
    }

    private static byte[] MethodIl(string typeName, string methodName)
    {
        using FileStream stream = File.OpenRead(AuditedAssemblies.PathOf(AuditedAssemblies.BadDeviceCode));
        using PEReader peReader = new(stream);
        MetadataReader reader = peReader.GetMetadataReader();
        foreach (TypeDefinitionHandle typeHandle in reader.TypeDefinitions)
        {
            if (TypeNames.Of(reader, typeHandle) != typeName)
            {
                continue;
            }

            foreach (MethodDefinitionHandle methodHandle in reader.GetTypeDefinition(typeHandle).GetMethods())
            {
                MethodDefinition method = reader.GetMethodDefinition(methodHandle);
                if (reader.GetString(method.Name) == methodName)
                {
                    return peReader.GetMethodBody(method.RelativeVirtualAddress).GetILBytes()!;
                }
            }
        }

        throw new InvalidOperationException($"{typeName}.{methodName} not found");
    }
}
