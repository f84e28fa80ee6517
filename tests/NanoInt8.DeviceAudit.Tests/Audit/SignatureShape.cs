using System.Collections.Immutable;
using System.Reflection.Metadata;

namespace NanoInt8.DeviceAudit;

/// <summary>The constructs a decoded type can contain that nanoCLR cannot run.</summary>
[Flags]
public enum SignatureTraits
{
    /// <summary>Nothing the device cannot run.</summary>
    None = 0,

    /// <summary>System.Single or System.Double (ELEMENT_TYPE_R4/R8 or a reference to the type).</summary>
    FloatingPoint = 1 << 0,

    /// <summary>A generic instantiation (ELEMENT_TYPE_GENERICINST).</summary>
    GenericInstantiation = 1 << 1,

    /// <summary>A generic type or method parameter (ELEMENT_TYPE_VAR/MVAR).</summary>
    GenericParameter = 1 << 2,

    /// <summary>A general array (ELEMENT_TYPE_ARRAY): multi-dimensional or with bounds.</summary>
    MultiDimensionalArray = 1 << 3,

    /// <summary>An unmanaged pointer (ELEMENT_TYPE_PTR).</summary>
    Pointer = 1 << 4,

    /// <summary>A function pointer (ELEMENT_TYPE_FNPTR).</summary>
    FunctionPointer = 1 << 5,

    /// <summary>A pinned local (ELEMENT_TYPE_PINNED), what <c>fixed</c> compiles to.</summary>
    Pinned = 1 << 6,

    /// <summary>TypedReference (ELEMENT_TYPE_TYPEDBYREF), a byref-like type.</summary>
    TypedReference = 1 << 7,
}

/// <summary>A decoded type: a readable C#-like name and the traits of everything it is built from
/// (an <c>int[,][]</c> is a multi-dimensional array; a <c>List&lt;float&gt;</c> is both a generic
/// instantiation and floating point).</summary>
/// <param name="Name">C#-like name, e.g. <c>float</c>, <c>int[,]</c>, <c>System.Span&lt;byte&gt;</c>.</param>
/// <param name="Traits">Every trait of the type and its components.</param>
/// <param name="Definition">The type definition when the type is defined in the audited assembly
/// (used to find an enum's underlying type), else a nil handle.</param>
public sealed record SignatureShape(string Name, SignatureTraits Traits, TypeDefinitionHandle Definition = default)
{
    /// <inheritdoc />
    public override string ToString() => Name;
}

/// <summary>
/// Decodes signature blobs (method, field, property, local, TypeSpec, MethodSpec and custom
/// attribute blobs) into <see cref="SignatureShape"/>s through System.Reflection.Metadata's
/// SignatureDecoder, which walks every ELEMENT_TYPE of the blob; nothing is matched as text.
/// Generic parameters decode as <c>!0</c> (type) and <c>!!0</c> (method): every generic definition
/// is a violation anyway, so no generic context is needed.
/// </summary>
public sealed class SignatureShapeProvider :
    ISignatureTypeProvider<SignatureShape, object?>,
    ICustomAttributeTypeProvider<SignatureShape>
{
    private readonly MetadataReader _reader;
    private Dictionary<string, TypeDefinitionHandle>? _definitionsByName;

    /// <summary>Creates a provider for signatures of one assembly.</summary>
    public SignatureShapeProvider(MetadataReader reader)
    {
        _reader = reader;
    }

    /// <summary>The union of the traits of several types.</summary>
    public static SignatureTraits Union(IEnumerable<SignatureShape> shapes)
    {
        SignatureTraits traits = SignatureTraits.None;
        foreach (SignatureShape shape in shapes)
        {
            traits |= shape.Traits;
        }

        return traits;
    }

    /// <summary>The traits of a whole method signature: return type and every parameter.</summary>
    public static SignatureTraits Union(MethodSignature<SignatureShape> signature) =>
        signature.ReturnType.Traits | Union(signature.ParameterTypes);

    /// <summary>A method signature written as <c>(int, float)</c>.</summary>
    public static string ParameterList(MethodSignature<SignatureShape> signature) =>
        "(" + string.Join(", ", signature.ParameterTypes.Select(parameter => parameter.Name)) + ")";

    /// <inheritdoc />
    public SignatureShape GetPrimitiveType(PrimitiveTypeCode typeCode) => typeCode switch
    {
        PrimitiveTypeCode.Boolean => new SignatureShape("bool", SignatureTraits.None),
        PrimitiveTypeCode.Char => new SignatureShape("char", SignatureTraits.None),
        PrimitiveTypeCode.SByte => new SignatureShape("sbyte", SignatureTraits.None),
        PrimitiveTypeCode.Byte => new SignatureShape("byte", SignatureTraits.None),
        PrimitiveTypeCode.Int16 => new SignatureShape("short", SignatureTraits.None),
        PrimitiveTypeCode.UInt16 => new SignatureShape("ushort", SignatureTraits.None),
        PrimitiveTypeCode.Int32 => new SignatureShape("int", SignatureTraits.None),
        PrimitiveTypeCode.UInt32 => new SignatureShape("uint", SignatureTraits.None),
        PrimitiveTypeCode.Int64 => new SignatureShape("long", SignatureTraits.None),
        PrimitiveTypeCode.UInt64 => new SignatureShape("ulong", SignatureTraits.None),
        PrimitiveTypeCode.Single => new SignatureShape("float", SignatureTraits.FloatingPoint),
        PrimitiveTypeCode.Double => new SignatureShape("double", SignatureTraits.FloatingPoint),
        PrimitiveTypeCode.IntPtr => new SignatureShape("nint", SignatureTraits.None),
        PrimitiveTypeCode.UIntPtr => new SignatureShape("nuint", SignatureTraits.None),
        PrimitiveTypeCode.Object => new SignatureShape("object", SignatureTraits.None),
        PrimitiveTypeCode.String => new SignatureShape("string", SignatureTraits.None),
        PrimitiveTypeCode.Void => new SignatureShape("void", SignatureTraits.None),
        PrimitiveTypeCode.TypedReference => new SignatureShape("System.TypedReference", SignatureTraits.TypedReference),
        _ => throw new BadImageFormatException($"unknown primitive type code {typeCode}"),
    };

    /// <inheritdoc />
    public SignatureShape GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind)
    {
        string name = TypeNames.Of(reader, handle);
        return new SignatureShape(name, TraitsOfNamedType(name), handle);
    }

    /// <inheritdoc />
    public SignatureShape GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind)
    {
        string name = TypeNames.Of(reader, handle);
        return new SignatureShape(name, TraitsOfNamedType(name));
    }

    /// <inheritdoc />
    public SignatureShape GetTypeFromSpecification(MetadataReader reader, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind) =>
        reader.GetTypeSpecification(handle).DecodeSignature(this, genericContext);

    /// <inheritdoc />
    public SignatureShape GetSZArrayType(SignatureShape elementType) =>
        new(elementType.Name + "[]", elementType.Traits);

    /// <inheritdoc />
    public SignatureShape GetArrayType(SignatureShape elementType, ArrayShape shape) =>
        new(elementType.Name + "[" + new string(',', Math.Max(0, shape.Rank - 1)) + "]",
            elementType.Traits | SignatureTraits.MultiDimensionalArray);

    /// <inheritdoc />
    public SignatureShape GetByReferenceType(SignatureShape elementType) =>
        new("ref " + elementType.Name, elementType.Traits);

    /// <inheritdoc />
    public SignatureShape GetPointerType(SignatureShape elementType) =>
        new(elementType.Name + "*", elementType.Traits | SignatureTraits.Pointer);

    /// <inheritdoc />
    public SignatureShape GetPinnedType(SignatureShape elementType) =>
        new(elementType.Name + " pinned", elementType.Traits | SignatureTraits.Pinned);

    /// <inheritdoc />
    public SignatureShape GetFunctionPointerType(MethodSignature<SignatureShape> signature)
    {
        IEnumerable<string> parts = signature.ParameterTypes.Select(parameter => parameter.Name).Append(signature.ReturnType.Name);
        return new SignatureShape("delegate*<" + string.Join(", ", parts) + ">", Union(signature) | SignatureTraits.FunctionPointer);
    }

    /// <inheritdoc />
    public SignatureShape GetGenericInstantiation(SignatureShape genericType, ImmutableArray<SignatureShape> typeArguments)
    {
        string name = genericType.Name;
        int tick = name.LastIndexOf('`');
        if (tick > 0 && name.IndexOf('+', tick) < 0)
        {
            name = name[..tick];
        }

        return new SignatureShape(
            name + "<" + string.Join(", ", typeArguments.Select(argument => argument.Name)) + ">",
            genericType.Traits | Union(typeArguments) | SignatureTraits.GenericInstantiation);
    }

    /// <inheritdoc />
    public SignatureShape GetGenericTypeParameter(object? genericContext, int index) =>
        new("!" + index, SignatureTraits.GenericParameter);

    /// <inheritdoc />
    public SignatureShape GetGenericMethodParameter(object? genericContext, int index) =>
        new("!!" + index, SignatureTraits.GenericParameter);

    /// <inheritdoc />
    public SignatureShape GetModifiedType(SignatureShape modifier, SignatureShape unmodifiedType, bool isRequired) =>
        unmodifiedType with { Traits = unmodifiedType.Traits | modifier.Traits };

    /// <inheritdoc />
    public SignatureShape GetSystemType() => new("System.Type", SignatureTraits.None);

    /// <inheritdoc />
    public bool IsSystemType(SignatureShape type) => type.Name == "System.Type";

    /// <inheritdoc />
    public SignatureShape GetTypeFromSerializedName(string name)
    {
        // A serialized name may be assembly-qualified ("System.Double, mscorlib, ..."). A type of
        // the audited assembly itself keeps its definition, so its enums decode exactly.
        int comma = name.IndexOf(',');
        string typeName = comma < 0 ? name : name[..comma];
        if (_definitionsByName is null)
        {
            _definitionsByName = new Dictionary<string, TypeDefinitionHandle>();
            foreach (TypeDefinitionHandle handle in _reader.TypeDefinitions)
            {
                _definitionsByName.TryAdd(TypeNames.Of(_reader, handle), handle);
            }
        }

        TypeDefinitionHandle definition = comma < 0 && _definitionsByName.TryGetValue(typeName, out TypeDefinitionHandle found) ? found : default;
        return new SignatureShape(typeName, TraitsOfNamedType(typeName), definition);
    }

    /// <inheritdoc />
    public PrimitiveTypeCode GetUnderlyingEnumType(SignatureShape type)
    {
        if (!type.Definition.IsNil)
        {
            foreach (FieldDefinitionHandle fieldHandle in _reader.GetTypeDefinition(type.Definition).GetFields())
            {
                FieldDefinition field = _reader.GetFieldDefinition(fieldHandle);
                if ((field.Attributes & System.Reflection.FieldAttributes.Static) == 0)
                {
                    SignatureShape underlying = field.DecodeSignature(this, null);
                    return underlying.Name switch
                    {
                        "sbyte" => PrimitiveTypeCode.SByte,
                        "byte" => PrimitiveTypeCode.Byte,
                        "short" => PrimitiveTypeCode.Int16,
                        "ushort" => PrimitiveTypeCode.UInt16,
                        "int" => PrimitiveTypeCode.Int32,
                        "uint" => PrimitiveTypeCode.UInt32,
                        "long" => PrimitiveTypeCode.Int64,
                        "ulong" => PrimitiveTypeCode.UInt64,
                        _ => throw new BadImageFormatException($"enum {type.Name} has underlying type {underlying.Name}"),
                    };
                }
            }
        }

        // An enum from another assembly cannot be resolved without loading that assembly. The
        // enums the compiler and our code put into attributes (AttributeTargets,
        // DebuggableAttribute.DebuggingModes, ...) are int-based. A wrongly sized guess would
        // misread the rest of that blob; decoding then usually fails and is reported as
        // undecodable, and fixed arguments are still checked through the constructor signature.
        return PrimitiveTypeCode.Int32;
    }

    private static SignatureTraits TraitsOfNamedType(string fullName) =>
        fullName is "System.Single" or "System.Double" ? SignatureTraits.FloatingPoint
        : fullName is "System.TypedReference" ? SignatureTraits.TypedReference
        : SignatureTraits.None;
}
