using System.Reflection.Metadata;

namespace NanoInt8.DeviceAudit;

/// <summary>Full names of types as the audit prints them: namespace-qualified, nested types
/// joined to their declaring type with '+', generic arity kept (<c>GenericClass`1</c>).</summary>
public static class TypeNames
{
    /// <summary>The full name of a type defined in the assembly.</summary>
    public static string Of(MetadataReader reader, TypeDefinitionHandle handle)
    {
        TypeDefinition type = reader.GetTypeDefinition(handle);
        string name = reader.GetString(type.Name);
        TypeDefinitionHandle declaring = type.GetDeclaringType();
        if (!declaring.IsNil)
        {
            return Of(reader, declaring) + "+" + name;
        }

        string typeNamespace = reader.GetString(type.Namespace);
        return typeNamespace.Length == 0 ? name : typeNamespace + "." + name;
    }

    /// <summary>The full name of a type referenced from another assembly (or module).</summary>
    public static string Of(MetadataReader reader, TypeReferenceHandle handle)
    {
        TypeReference type = reader.GetTypeReference(handle);
        string name = reader.GetString(type.Name);
        if (type.ResolutionScope.Kind == HandleKind.TypeReference)
        {
            return Of(reader, (TypeReferenceHandle)type.ResolutionScope) + "+" + name;
        }

        string typeNamespace = reader.GetString(type.Namespace);
        return typeNamespace.Length == 0 ? name : typeNamespace + "." + name;
    }
}
