using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace NanoInt8.DeviceAudit.Tests;

/// <summary>What the build checks read of an audited assembly: its own types (NanoInt8.*, not
/// the attributes and helpers the compiler embeds), method bodies and assembly references.</summary>
internal sealed record AuditedBuild(string Path, HashSet<string> Types, int MethodBodies, string[] References)
{
    public static AuditedBuild Read(string fileName)
    {
        string path = AuditedAssemblies.PathOf(fileName);
        using FileStream stream = File.OpenRead(path);
        using PEReader peReader = new(stream);
        MetadataReader reader = peReader.GetMetadataReader();

        HashSet<string> types = new();
        int methodBodies = 0;
        foreach (TypeDefinitionHandle typeHandle in reader.TypeDefinitions)
        {
            TypeDefinition type = reader.GetTypeDefinition(typeHandle);
            string name = TypeNames.Of(reader, typeHandle);
            if (name.StartsWith("NanoInt8.", StringComparison.Ordinal) && !name.Contains('<'))
            {
                types.Add(name);
            }

            methodBodies += type.GetMethods().Count(method => reader.GetMethodDefinition(method).RelativeVirtualAddress != 0);
        }

        string[] references = reader.AssemblyReferences.Select(handle => reader.GetString(reader.GetAssemblyReference(handle).Name)).Order().ToArray();
        return new AuditedBuild(path, types, methodBodies, references);
    }
}
