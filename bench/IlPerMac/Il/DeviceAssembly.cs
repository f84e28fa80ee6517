using System.Collections.Immutable;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace NanoInt8.Bench.IlPerMac.Il;

/// <summary>One method of an assembly with its decoded IL and what the interpreter needs to call it.</summary>
public sealed class IlMethod
{
    internal IlMethod(DeviceAssembly assembly, MethodDefinitionHandle handle, string typeNamespace, string typeName, string name,
        IReadOnlyList<IlInstruction> instructions, int localCount, int parameterCount, bool returnsValue)
    {
        Assembly = assembly;
        Handle = handle;
        Namespace = typeNamespace;
        TypeName = typeName;
        Name = name;
        Instructions = instructions;
        LocalCount = localCount;
        ParameterCount = parameterCount;
        ReturnsValue = returnsValue;
    }

    /// <summary>The assembly the method belongs to.</summary>
    public DeviceAssembly Assembly { get; }

    /// <summary>The method's metadata handle.</summary>
    public MethodDefinitionHandle Handle { get; }

    /// <summary>The declaring type's namespace.</summary>
    public string Namespace { get; }

    /// <summary>The declaring type's simple name, e.g. <c>Conv2DKernel</c>.</summary>
    public string TypeName { get; }

    /// <summary>The method name, e.g. <c>Eval</c>.</summary>
    public string Name { get; }

    /// <summary><c>Type.Method</c>.</summary>
    public string FullName => $"{TypeName}.{Name}";

    /// <summary>The decoded body.</summary>
    public IReadOnlyList<IlInstruction> Instructions { get; }

    /// <summary>Number of locals in the local signature.</summary>
    public int LocalCount { get; }

    /// <summary>Number of parameters, <c>this</c> included for instance methods.</summary>
    public int ParameterCount { get; }

    /// <summary>False for void methods.</summary>
    public bool ReturnsValue { get; }

    /// <summary>True when the body has a nop: the compiler did not optimize it (a Debug build).</summary>
    public bool HasNop => Instructions.Any(instruction => instruction.OpCode.Value == 0x00);

    /// <summary>The source line of an instruction from the portable PDB, e.g. <c>Conv2DKernel.cs:131</c>, or null.</summary>
    public string? SourceLine(int instructionIndex) => Assembly.SourceLine(Handle, Instructions[instructionIndex].Offset);

    /// <inheritdoc />
    public override string ToString() => FullName;
}

/// <summary>
/// An assembly read with System.Reflection.Metadata (never loaded): its methods with bodies,
/// call targets resolved to methods, and source lines from the portable PDB beside it if any.
/// Opened with the assemblies it references (the device runtime is two: NanoInt8.Runtime above
/// NanoInt8.Kernels), a call into one of them resolves to that assembly's method, as nanoCLR links
/// them; <see cref="Methods"/>, <see cref="Find"/> and <see cref="ResolveVirtual"/> see them all.
/// </summary>
public sealed class DeviceAssembly : IDisposable
{
    private readonly List<DeviceAssembly> _linked = new();
    private readonly Dictionary<int, IlMethod?> _referencedCalls = new();
    private readonly PEReader _peReader;
    private readonly MetadataReaderProvider? _pdbProvider;
    private readonly MetadataReader _reader;
    private readonly MetadataReader? _pdb;
    private readonly Dictionary<MethodDefinitionHandle, IlMethod> _methods = new();

    private DeviceAssembly(string path, PEReader peReader, MetadataReaderProvider? pdbProvider)
    {
        Path = path;
        _peReader = peReader;
        _pdbProvider = pdbProvider;
        _reader = peReader.GetMetadataReader();
        _pdb = pdbProvider?.GetMetadataReader();
        Name = _reader.GetString(_reader.GetAssemblyDefinition().Name);
        foreach (TypeDefinitionHandle typeHandle in _reader.TypeDefinitions)
        {
            TypeDefinition type = _reader.GetTypeDefinition(typeHandle);
            string typeName = _reader.GetString(type.Name);
            string typeNamespace = _reader.GetString(type.Namespace);
            foreach (MethodDefinitionHandle methodHandle in type.GetMethods())
            {
                MethodDefinition method = _reader.GetMethodDefinition(methodHandle);
                if (method.RelativeVirtualAddress == 0)
                {
                    continue;
                }

                MethodBodyBlock body = peReader.GetMethodBody(method.RelativeVirtualAddress);
                int localCount = 0;
                if (!body.LocalSignature.IsNil)
                {
                    BlobReader locals = _reader.GetBlobReader(_reader.GetStandaloneSignature(body.LocalSignature).Signature);
                    locals.ReadSignatureHeader();
                    localCount = locals.ReadCompressedInteger();
                }

                var (parameterCount, returnsValue) = ReadMethodSignature(_reader.GetBlobReader(method.Signature));
                IlMethod ilMethod = new IlMethod(this, methodHandle, typeNamespace, typeName, _reader.GetString(method.Name),
                    IlReader.Decode(body.GetILBytes() ?? Array.Empty<byte>()), localCount, parameterCount, returnsValue);
                _methods[methodHandle] = ilMethod;
            }
        }
    }

    /// <summary>Where the assembly was read from.</summary>
    public string Path { get; }

    /// <summary>The assembly's name (its definition, not its file name).</summary>
    public string Name { get; }

    /// <summary>Where this assembly and the ones opened with it were read from.</summary>
    public IEnumerable<string> Paths => _linked.Select(assembly => assembly.Path);

    /// <summary>Whether source lines are available (a portable PDB was found beside the assembly).</summary>
    public bool HasSourceLines => _pdb is not null;

    /// <summary>Every method with a body, in metadata order: this assembly's, then those of the ones opened with it.</summary>
    public IEnumerable<IlMethod> Methods => _linked.SelectMany(assembly => assembly._methods.Values);

    /// <summary>
    /// Opens an assembly file and the portable PDB beside it, if any, with the assemblies it
    /// references that are to be interpreted too (<paramref name="references"/>); disposing the
    /// result disposes them.
    /// </summary>
    public static DeviceAssembly Open(string path, params string[] references)
    {
        DeviceAssembly assembly = OpenOne(path);
        assembly._linked.Add(assembly);
        foreach (string reference in references)
        {
            DeviceAssembly referenced = OpenOne(reference);
            assembly._linked.Add(referenced);
        }

        foreach (DeviceAssembly referenced in assembly._linked.Skip(1))
        {
            referenced._linked.AddRange(assembly._linked);
        }

        return assembly;
    }

    private static DeviceAssembly OpenOne(string path)
    {
        PEReader peReader = new PEReader(File.OpenRead(path));
        string pdbPath = System.IO.Path.ChangeExtension(path, ".pdb");
        MetadataReaderProvider? pdbProvider = null;
        if (File.Exists(pdbPath))
        {
            try
            {
                pdbProvider = MetadataReaderProvider.FromPortablePdbStream(File.OpenRead(pdbPath));
                pdbProvider.GetMetadataReader();
            }
            catch (BadImageFormatException)
            {
                // A Windows PDB: no source lines, nothing else lost.
                pdbProvider?.Dispose();
                pdbProvider = null;
            }
        }

        return new DeviceAssembly(path, peReader, pdbProvider);
    }

    /// <summary>
    /// The method <paramref name="typeName"/>.<paramref name="methodName"/>: the only overload, or the
    /// only one with <paramref name="parameterCount"/> parameters (<c>this</c> included) when given.
    /// </summary>
    public IlMethod Find(string typeName, string methodName, int? parameterCount = null)
    {
        IlMethod[] found = Methods.Where(method => method.TypeName == typeName && method.Name == methodName
            && (parameterCount is null || method.ParameterCount == parameterCount)).ToArray();
        return found.Length == 1
            ? found[0]
            : throw new InvalidOperationException($"{Path}: {found.Length} methods named {typeName}.{methodName}, expected exactly one");
    }

    /// <summary>
    /// The method a call token names if it has a body in this assembly or in one opened with it,
    /// else null (mscorlib's, which nanoCLR runs natively, or an abstract method).
    /// </summary>
    public IlMethod? ResolveCall(int token)
    {
        EntityHandle handle = MetadataTokens.EntityHandle(token);
        if (handle.Kind == HandleKind.MethodDefinition)
        {
            return _methods.TryGetValue((MethodDefinitionHandle)handle, out IlMethod? method) ? method : null;
        }

        if (handle.Kind != HandleKind.MemberReference)
        {
            return null;
        }

        if (!_referencedCalls.TryGetValue(token, out IlMethod? resolved))
        {
            resolved = ResolveReferencedCall((MemberReferenceHandle)handle);
            _referencedCalls[token] = resolved;
        }

        return resolved;
    }

    // A method of a type another opened assembly defines, found by namespace, type, name and
    // parameter count (the runtime's methods have no overloads that differ in types only: checked).
    private IlMethod? ResolveReferencedCall(MemberReferenceHandle handle)
    {
        MemberReference reference = _reader.GetMemberReference(handle);
        if (reference.Parent.Kind != HandleKind.TypeReference)
        {
            return null;
        }

        TypeReference type = _reader.GetTypeReference((TypeReferenceHandle)reference.Parent);
        if (type.ResolutionScope.Kind != HandleKind.AssemblyReference)
        {
            return null;
        }

        string assemblyName = _reader.GetString(_reader.GetAssemblyReference((AssemblyReferenceHandle)type.ResolutionScope).Name);
        DeviceAssembly? target = _linked.FirstOrDefault(assembly => assembly.Name == assemblyName);
        if (target is null)
        {
            return null;
        }

        string typeNamespace = _reader.GetString(type.Namespace);
        string typeName = _reader.GetString(type.Name);
        string name = _reader.GetString(reference.Name);
        (int parameters, _) = ReadMethodSignature(_reader.GetBlobReader(reference.Signature));
        IlMethod[] found = target._methods.Values.Where(method => method.Namespace == typeNamespace && method.TypeName == typeName
            && method.Name == name && method.ParameterCount == parameters).ToArray();
        return found.Length <= 1
            ? found.SingleOrDefault()
            : throw new NotSupportedException($"{Path}: {found.Length} overloads of {typeName}.{name} with {parameters} parameters in {target.Path}");
    }

    /// <summary>Stack effect of a call token: arguments popped (this included) and whether a value is pushed.</summary>
    public (int Pops, bool Pushes) CallEffect(int token)
    {
        EntityHandle handle = MetadataTokens.EntityHandle(token);
        BlobHandle signature = handle.Kind switch
        {
            HandleKind.MethodDefinition => _reader.GetMethodDefinition((MethodDefinitionHandle)handle).Signature,
            HandleKind.MemberReference => _reader.GetMemberReference((MemberReferenceHandle)handle).Signature,
            HandleKind.MethodSpecification => _reader.GetMemberReference(
                (MemberReferenceHandle)_reader.GetMethodSpecification((MethodSpecificationHandle)handle).Method).Signature,
            _ => throw new InvalidOperationException($"call token 0x{token:X8} of kind {handle.Kind}"),
        };
        var (parameters, returnsValue) = ReadMethodSignature(_reader.GetBlobReader(signature));
        return (parameters, returnsValue);
    }

    /// <summary>The name of the field a ldfld/stfld token names (a field of this assembly or referenced).</summary>
    public string FieldName(int token)
    {
        EntityHandle handle = MetadataTokens.EntityHandle(token);
        return handle.Kind switch
        {
            HandleKind.FieldDefinition => _reader.GetString(_reader.GetFieldDefinition((FieldDefinitionHandle)handle).Name),
            HandleKind.MemberReference => _reader.GetString(_reader.GetMemberReference((MemberReferenceHandle)handle).Name),
            _ => throw new InvalidOperationException($"field token 0x{token:X8} of kind {handle.Kind}"),
        };
    }

    /// <summary>
    /// The method a virtual call on an object of type <paramref name="runtimeTypeName"/> runs: the
    /// method of that name and argument count declared by that type (an override), or null.
    /// </summary>
    public IlMethod? ResolveVirtual(string runtimeTypeName, string methodName, int parameterCount)
    {
        return Methods.FirstOrDefault(method => method.TypeName == runtimeTypeName && method.Name == methodName
            && method.ParameterCount == parameterCount);
    }

    /// <summary>A readable name for a call token.</summary>
    public string CallName(int token)
    {
        EntityHandle handle = MetadataTokens.EntityHandle(token);
        return handle.Kind switch
        {
            HandleKind.MethodDefinition => _methods.TryGetValue((MethodDefinitionHandle)handle, out IlMethod? method)
                ? method.FullName
                : _reader.GetString(_reader.GetMethodDefinition((MethodDefinitionHandle)handle).Name),
            HandleKind.MemberReference => _reader.GetString(_reader.GetMemberReference((MemberReferenceHandle)handle).Name),
            _ => $"0x{token:X8}",
        };
    }

    internal string? SourceLine(MethodDefinitionHandle handle, int ilOffset)
    {
        if (_pdb is null)
        {
            return null;
        }

        MethodDebugInformation information = _pdb.GetMethodDebugInformation(handle.ToDebugInformationHandle());
        SequencePoint? best = null;
        foreach (SequencePoint point in information.GetSequencePoints())
        {
            if (!point.IsHidden && point.Offset <= ilOffset && (best is null || point.Offset >= best.Value.Offset))
            {
                best = point;
            }
        }

        if (best is not SequencePoint found)
        {
            return null;
        }

        string document = _pdb.GetString(_pdb.GetDocument(found.Document).Name);
        return $"{System.IO.Path.GetFileName(document.Replace('\\', '/'))}:{found.StartLine}";
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_linked.Count > 0 && _linked[0] == this)
        {
            foreach (DeviceAssembly referenced in _linked.Skip(1))
            {
                referenced.DisposeOne();
            }
        }

        DisposeOne();
    }

    private void DisposeOne()
    {
        _pdbProvider?.Dispose();
        _peReader.Dispose();
    }

    private static (int Parameters, bool ReturnsValue) ReadMethodSignature(BlobReader blob)
    {
        SignatureHeader header = blob.ReadSignatureHeader();
        if (header.IsGeneric)
        {
            blob.ReadCompressedInteger();
        }

        int parameters = blob.ReadCompressedInteger() + (header.IsInstance ? 1 : 0);
        SignatureTypeCode returnType = blob.ReadSignatureTypeCode();
        while (returnType is SignatureTypeCode.RequiredModifier or SignatureTypeCode.OptionalModifier)
        {
            blob.ReadTypeHandle();
            returnType = blob.ReadSignatureTypeCode();
        }

        return (parameters, returnType != SignatureTypeCode.Void);
    }
}
