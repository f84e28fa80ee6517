// What this proves, and why.
//
// NanoInt8 runs on microcontrollers under nanoCLR, an IL interpreter without a floating-point
// unit to rely on, and the project promises integer-only inference. nanoCLR also cannot run
// generics, multi-dimensional arrays, pointers or stackalloc (shared/NANOCLR.md): some of those
// pass the C# build and then crash the interpreter or return garbage on the device.
//
// The auditor opens a compiled assembly as bytes with System.Reflection.Metadata (PEReader and
// MetadataReader; nothing is loaded or executed) and inspects everything that can carry such a
// construct:
//   - every type definition: generic parameters, byref-like marker, base type, interfaces,
//     explicit interface implementations;
//   - every field, property, event and method signature, decoded element type by element type;
//   - every method body: its local variable signature (the StandAloneSig of the body) and every
//     IL instruction, decoded with the exact operand size of each opcode (switch tables and
//     0xFE two-byte opcodes included) so operand bytes are never taken for opcodes;
//   - every token operand of an instruction (types, TypeSpecs, member references into other
//     assemblies, MethodSpecs, calli signatures), decoded the same way;
//   - every custom attribute's constructor and argument types;
//   - finally every row of the TypeSpec, MemberRef, MethodSpec and StandAloneSig tables that no
//     member led to, so nothing in the metadata escapes.
// An assembly for which the auditor reports nothing contains no float or double anywhere in its
// metadata or code, no floating-point opcode, no generic definition or instantiation, no
// ELEMENT_TYPE_ARRAY, no pointer or function pointer, and no stackalloc/pinned/unsafe marker.
// What it cannot see is what the referenced assemblies do inside (mscorlib's own code): a call
// is judged by its signature.

using System.Collections.Immutable;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace NanoInt8.DeviceAudit;

/// <summary>
/// Audits a compiled assembly for constructs the device cannot run (see the header of this file
/// for what is inspected and what a clean result proves).
/// </summary>
public static class DeviceCodeAuditor
{
    /// <summary>Audits the assembly file at <paramref name="assemblyPath"/>.</summary>
    /// <returns>Every violation found, in metadata order; empty for a clean assembly.</returns>
    public static IReadOnlyList<AuditViolation> Audit(string assemblyPath)
    {
        using FileStream stream = File.OpenRead(assemblyPath);
        return Audit(stream);
    }

    /// <summary>Audits the PE image in <paramref name="peImage"/>.</summary>
    /// <returns>Every violation found, in metadata order; empty for a clean assembly.</returns>
    public static IReadOnlyList<AuditViolation> Audit(Stream peImage)
    {
        using PEReader peReader = new(peImage, PEStreamOptions.PrefetchEntireImage);
        if (!peReader.HasMetadata)
        {
            throw new BadImageFormatException("the file is not a .NET assembly (no metadata)");
        }

        return new AssemblyAudit(peReader).Run();
    }

    /// <summary>The violations one per line, for a test failure message.</summary>
    public static string Format(IEnumerable<AuditViolation> violations) =>
        string.Join(Environment.NewLine, violations.Select(violation => violation.ToString()));

    private sealed class AssemblyAudit
    {
        private const string ModuleLocation = "<module>";

        private static readonly HashSet<int> s_floatingPointOpCodes = new()
        {
            0x22, // ldc.r4
            0x23, // ldc.r8
            0x4E, // ldind.r4
            0x4F, // ldind.r8
            0x56, // stind.r4
            0x57, // stind.r8
            0x6B, // conv.r4
            0x6C, // conv.r8
            0x76, // conv.r.un
            0x98, // ldelem.r4
            0x99, // ldelem.r8
            0xA0, // stelem.r4
            0xA1, // stelem.r8
            0xC3, // ckfinite
        };

        private readonly PEReader _peReader;
        private readonly MetadataReader _reader;
        private readonly SignatureShapeProvider _provider;
        private readonly List<AuditViolation> _violations = new();

        // Handles already judged where they were used, so the closing table sweep reports only
        // the rows no member led to.
        private readonly HashSet<EntityHandle> _auditedInContext = new();

        // Printable owner of every member, for custom attributes, which know only their parent.
        private readonly Dictionary<EntityHandle, string> _locations = new();

        public AssemblyAudit(PEReader peReader)
        {
            _peReader = peReader;
            _reader = peReader.GetMetadataReader();
            _provider = new SignatureShapeProvider(_reader);
        }

        public IReadOnlyList<AuditViolation> Run()
        {
            _locations[EntityHandle.ModuleDefinition] = ModuleLocation;
            if (_reader.IsAssembly)
            {
                _locations[EntityHandle.AssemblyDefinition] = "<assembly>";
            }

            foreach (CustomAttributeHandle attributeHandle in _reader.GetModuleDefinition().GetCustomAttributes())
            {
                if (AttributeTypeName(_reader.GetCustomAttribute(attributeHandle)) == "System.Security.UnverifiableCodeAttribute")
                {
                    Add(ModuleLocation, ViolationKind.Unsafe, "module compiled with unsafe code allowed (UnverifiableCodeAttribute)");
                }
            }

            foreach (TypeDefinitionHandle typeHandle in _reader.TypeDefinitions)
            {
                AuditType(typeHandle);
            }

            foreach (CustomAttributeHandle attributeHandle in _reader.CustomAttributes)
            {
                AuditCustomAttribute(attributeHandle);
            }

            AuditUnvisitedTableRows();
            return _violations;
        }

        private void AuditType(TypeDefinitionHandle typeHandle)
        {
            TypeDefinition type = _reader.GetTypeDefinition(typeHandle);
            string typeName = TypeNames.Of(_reader, typeHandle);
            _locations[typeHandle] = typeName;

            GenericParameterHandleCollection genericParameters = type.GetGenericParameters();
            if (genericParameters.Count > 0)
            {
                Add(typeName, ViolationKind.GenericDefinition, $"generic type definition with {genericParameters.Count} type parameter(s)");
                AuditGenericParameters(typeName, genericParameters);
            }

            foreach (CustomAttributeHandle attributeHandle in type.GetCustomAttributes())
            {
                if (AttributeTypeName(_reader.GetCustomAttribute(attributeHandle)) == "System.Runtime.CompilerServices.IsByRefLikeAttribute")
                {
                    Add(typeName, ViolationKind.ByRefLike, "byref-like type (ref struct)");
                }
            }

            if (!type.BaseType.IsNil)
            {
                SignatureShape baseType = DecodeTypeHandle(type.BaseType);
                Report(typeName, $"base type {baseType.Name}", baseType.Traits);
            }

            foreach (InterfaceImplementationHandle implementationHandle in type.GetInterfaceImplementations())
            {
                InterfaceImplementation implementation = _reader.GetInterfaceImplementation(implementationHandle);
                _locations[implementationHandle] = typeName;
                SignatureShape interfaceType = DecodeTypeHandle(implementation.Interface);
                Report(typeName, $"implements {interfaceType.Name}", interfaceType.Traits);
            }

            foreach (MethodImplementationHandle implementationHandle in type.GetMethodImplementations())
            {
                MethodImplementation implementation = _reader.GetMethodImplementation(implementationHandle);
                if (implementation.MethodDeclaration.Kind == HandleKind.MemberReference)
                {
                    (string name, SignatureTraits traits) = DescribeMemberReference((MemberReferenceHandle)implementation.MethodDeclaration);
                    Report(typeName, $"implements {name}", traits);
                }
            }

            foreach (FieldDefinitionHandle fieldHandle in type.GetFields())
            {
                FieldDefinition field = _reader.GetFieldDefinition(fieldHandle);
                string location = typeName + "." + _reader.GetString(field.Name);
                _locations[fieldHandle] = location;
                SignatureShape fieldType = field.DecodeSignature(_provider, null);
                Report(location, $"field has type {fieldType.Name}", fieldType.Traits);
            }

            foreach (PropertyDefinitionHandle propertyHandle in type.GetProperties())
            {
                PropertyDefinition property = _reader.GetPropertyDefinition(propertyHandle);
                string location = typeName + "." + _reader.GetString(property.Name);
                _locations[propertyHandle] = location;
                MethodSignature<SignatureShape> signature = property.DecodeSignature(_provider, null);
                Report(location, $"property has type {signature.ReturnType.Name}", signature.ReturnType.Traits);
                for (int index = 0; index < signature.ParameterTypes.Length; index++)
                {
                    SignatureShape parameter = signature.ParameterTypes[index];
                    Report(location, $"indexer parameter {index} has type {parameter.Name}", parameter.Traits);
                }
            }

            foreach (EventDefinitionHandle eventHandle in type.GetEvents())
            {
                EventDefinition eventDefinition = _reader.GetEventDefinition(eventHandle);
                string location = typeName + "." + _reader.GetString(eventDefinition.Name);
                _locations[eventHandle] = location;
                SignatureShape eventType = DecodeTypeHandle(eventDefinition.Type);
                Report(location, $"event has type {eventType.Name}", eventType.Traits);
            }

            foreach (MethodDefinitionHandle methodHandle in type.GetMethods())
            {
                AuditMethod(typeName, methodHandle);
            }
        }

        private void AuditGenericParameters(string location, GenericParameterHandleCollection genericParameters)
        {
            foreach (GenericParameterHandle parameterHandle in genericParameters)
            {
                GenericParameter parameter = _reader.GetGenericParameter(parameterHandle);
                _locations[parameterHandle] = location;
                foreach (GenericParameterConstraintHandle constraintHandle in parameter.GetConstraints())
                {
                    GenericParameterConstraint constraint = _reader.GetGenericParameterConstraint(constraintHandle);
                    _locations[constraintHandle] = location;
                    SignatureShape constraintType = DecodeTypeHandle(constraint.Type);
                    Report(location, $"type parameter {_reader.GetString(parameter.Name)} constrained to {constraintType.Name}", constraintType.Traits & ~SignatureTraits.GenericParameter);
                }
            }
        }

        private void AuditMethod(string typeName, MethodDefinitionHandle methodHandle)
        {
            MethodDefinition method = _reader.GetMethodDefinition(methodHandle);
            string location = typeName + "." + _reader.GetString(method.Name);
            _locations[methodHandle] = location;

            GenericParameterHandleCollection genericParameters = method.GetGenericParameters();
            if (genericParameters.Count > 0)
            {
                Add(location, ViolationKind.GenericDefinition, $"generic method definition with {genericParameters.Count} type parameter(s)");
                AuditGenericParameters(location, genericParameters);
            }

            string?[] parameterNames = ParameterNames(method, location);
            MethodSignature<SignatureShape> signature = method.DecodeSignature(_provider, null);
            Report(location, $"returns {signature.ReturnType.Name}", signature.ReturnType.Traits);
            for (int index = 0; index < signature.ParameterTypes.Length; index++)
            {
                SignatureShape parameter = signature.ParameterTypes[index];
                string name = (index < parameterNames.Length ? parameterNames[index] : null) ?? "#" + index;
                Report(location, $"parameter '{name}' has type {parameter.Name}", parameter.Traits);
            }

            // nanoCLR counts `this` among the arguments of an instance method.
            int arguments = signature.ParameterTypes.Length + (signature.Header.IsInstance ? 1 : 0);
            if (arguments > MaxFrameCount)
            {
                Add(location, ViolationKind.FrameLimit, $"{arguments} arguments (nanoCLR holds at most {MaxFrameCount})");
            }

            if (method.RelativeVirtualAddress != 0)
            {
                AuditBody(location, _peReader.GetMethodBody(method.RelativeVirtualAddress));
            }
        }

        // Parameter names by position; a position without a Param row (unnamed) stays null.
        private string?[] ParameterNames(MethodDefinition method, string location)
        {
            List<string?> names = new();
            foreach (ParameterHandle parameterHandle in method.GetParameters())
            {
                Parameter parameter = _reader.GetParameter(parameterHandle);
                _locations[parameterHandle] = location;
                int index = parameter.SequenceNumber - 1; // sequence 0 is the return value
                if (index < 0)
                {
                    continue;
                }

                while (names.Count <= index)
                {
                    names.Add(null);
                }

                names[index] = _reader.GetString(parameter.Name);
            }

            return names.ToArray();
        }

        // nanoCLR's one-byte counts of arguments, locals and evaluation stack slots per method.
        private const int MaxFrameCount = 255;

        private void AuditBody(string location, MethodBodyBlock body)
        {
            if (body.MaxStack > MaxFrameCount)
            {
                Add(location, ViolationKind.FrameLimit, $"evaluation stack of {body.MaxStack} (nanoCLR holds at most {MaxFrameCount})");
            }

            if (!body.LocalSignature.IsNil)
            {
                _auditedInContext.Add(body.LocalSignature);
                StandaloneSignature localSignature = _reader.GetStandaloneSignature(body.LocalSignature);
                ImmutableArray<SignatureShape> locals = localSignature.DecodeLocalSignature(_provider, null);
                if (locals.Length > MaxFrameCount)
                {
                    Add(location, ViolationKind.FrameLimit, $"{locals.Length} locals (nanoCLR holds at most {MaxFrameCount})");
                }

                for (int index = 0; index < locals.Length; index++)
                {
                    Report(location, $"local {index} has type {locals[index].Name}", locals[index].Traits);
                }
            }

            foreach (ExceptionRegion region in body.ExceptionRegions)
            {
                if (region.Kind == ExceptionRegionKind.Catch && !region.CatchType.IsNil)
                {
                    SignatureShape catchType = DecodeTypeHandle(region.CatchType);
                    Report(location, $"catch {catchType.Name} at IL_{region.HandlerOffset:X4}", catchType.Traits);
                }
            }

            byte[] il = body.GetILBytes() ?? Array.Empty<byte>();
            IReadOnlyList<IlInstruction> instructions = IlDecoder.Decode(il, out string? error);
            foreach (IlInstruction instruction in instructions)
            {
                AuditInstruction(location, instruction);
            }

            if (error is not null)
            {
                Add(location, ViolationKind.Undecodable, error + "; the rest of the body was not audited");
            }
        }

        private void AuditInstruction(string location, IlInstruction instruction)
        {
            string mnemonic = instruction.OpCode.Mnemonic;
            int value = instruction.OpCode.Value;
            if (s_floatingPointOpCodes.Contains(value))
            {
                Add(location, ViolationKind.FloatingPointOpcode, $"opcode {mnemonic} at {instruction.Label}");
            }

            switch (mnemonic)
            {
                case "localloc":
                    Add(location, ViolationKind.Unsafe, $"opcode localloc (stackalloc) at {instruction.Label}");
                    break;
                case "cpblk":
                case "initblk":
                    Add(location, ViolationKind.Unsafe, $"opcode {mnemonic} (unmanaged memory block) at {instruction.Label}");
                    break;
                case "calli":
                    Add(location, ViolationKind.FunctionPointer, $"opcode calli (call through a function pointer) at {instruction.Label}");
                    break;
                case "arglist":
                case "mkrefany":
                case "refanyval":
                case "refanytype":
                    Add(location, ViolationKind.ByRefLike, $"opcode {mnemonic} (TypedReference/varargs) at {instruction.Label}");
                    break;
            }

            if (instruction.OpCode.OperandKind == IlOperandKind.Token)
            {
                AuditTokenOperand(location, instruction);
            }
        }

        private void AuditTokenOperand(string location, IlInstruction instruction)
        {
            string mnemonic = instruction.OpCode.Mnemonic;
            int table = (int)((uint)instruction.Token >> 24);
            if (table == 0x70)
            {
                return; // ldstr: a user string, not metadata
            }

            EntityHandle handle;
            try
            {
                handle = MetadataTokens.EntityHandle(instruction.Token);
            }
            catch (ArgumentException)
            {
                Add(location, ViolationKind.Undecodable, $"{mnemonic} at {instruction.Label} has the invalid token 0x{instruction.Token:X8}");
                return;
            }

            string at = " at " + instruction.Label;
            switch (handle.Kind)
            {
                case HandleKind.TypeDefinition:
                case HandleKind.TypeReference:
                case HandleKind.TypeSpecification:
                    SignatureShape type = DecodeTypeHandle(handle);
                    Report(location, $"{mnemonic} {type.Name}{at}", type.Traits);
                    break;
                case HandleKind.MemberReference:
                    (string memberName, SignatureTraits memberTraits) = DescribeMemberReference((MemberReferenceHandle)handle);
                    Report(location, $"{mnemonic} {memberName}{at}", memberTraits);
                    break;
                case HandleKind.MethodSpecification:
                    (string instanceName, SignatureTraits instanceTraits) = DescribeMethodSpecification((MethodSpecificationHandle)handle);
                    Report(location, $"{mnemonic} {instanceName}{at}", instanceTraits);
                    break;
                case HandleKind.StandaloneSignature:
                    _auditedInContext.Add(handle);
                    StandaloneSignature standalone = _reader.GetStandaloneSignature((StandaloneSignatureHandle)handle);
                    MethodSignature<SignatureShape> callSignature = standalone.DecodeMethodSignature(_provider, null);
                    Report(location, $"{mnemonic} signature {callSignature.ReturnType.Name}{SignatureShapeProvider.ParameterList(callSignature)}{at}", SignatureShapeProvider.Union(callSignature));
                    break;
                case HandleKind.MethodDefinition:
                case HandleKind.FieldDefinition:
                    // Defined in this assembly: audited where it is defined.
                    break;
                default:
                    Add(location, ViolationKind.Undecodable, $"{mnemonic}{at} has an unexpected {handle.Kind} token");
                    break;
            }
        }

        private SignatureShape DecodeTypeHandle(EntityHandle handle)
        {
            _auditedInContext.Add(handle);
            return handle.Kind switch
            {
                HandleKind.TypeDefinition => _provider.GetTypeFromDefinition(_reader, (TypeDefinitionHandle)handle, 0),
                HandleKind.TypeReference => _provider.GetTypeFromReference(_reader, (TypeReferenceHandle)handle, 0),
                HandleKind.TypeSpecification => _reader.GetTypeSpecification((TypeSpecificationHandle)handle).DecodeSignature(_provider, null),
                _ => throw new BadImageFormatException($"a {handle.Kind} where a type was expected"),
            };
        }

        // The generic parameters (!0, !!0) in a member reference's or MethodSpec target's
        // signature belong to the instantiated parent or to the MethodSpec, which are reported as
        // instantiations themselves; only the other traits of the signature are the member's.
        private (string Name, SignatureTraits Traits) DescribeMemberReference(MemberReferenceHandle handle)
        {
            _auditedInContext.Add(handle);
            MemberReference member = _reader.GetMemberReference(handle);
            string memberName = _reader.GetString(member.Name);

            string parentName;
            SignatureTraits parentTraits = SignatureTraits.None;
            switch (member.Parent.Kind)
            {
                case HandleKind.TypeDefinition:
                case HandleKind.TypeReference:
                case HandleKind.TypeSpecification:
                    SignatureShape parent = DecodeTypeHandle(member.Parent);
                    parentName = parent.Name;
                    parentTraits = parent.Traits;
                    break;
                case HandleKind.MethodDefinition:
                    parentName = _locations.TryGetValue(member.Parent, out string? owner) ? owner : "<vararg method>";
                    break;
                default:
                    parentName = "<" + member.Parent.Kind + ">";
                    break;
            }

            if (member.GetKind() == MemberReferenceKind.Field)
            {
                SignatureShape fieldType = member.DecodeFieldSignature(_provider, null);
                return ($"{parentName}.{memberName} ({fieldType.Name})", parentTraits | (fieldType.Traits & ~SignatureTraits.GenericParameter));
            }

            MethodSignature<SignatureShape> signature = member.DecodeMethodSignature(_provider, null);
            string name = $"{parentName}.{memberName}{SignatureShapeProvider.ParameterList(signature)}";
            return (name, parentTraits | (SignatureShapeProvider.Union(signature) & ~SignatureTraits.GenericParameter));
        }

        private (string Name, SignatureTraits Traits) DescribeMethodSpecification(MethodSpecificationHandle handle)
        {
            _auditedInContext.Add(handle);
            MethodSpecification specification = _reader.GetMethodSpecification(handle);
            ImmutableArray<SignatureShape> typeArguments = specification.DecodeSignature(_provider, null);
            string arguments = "<" + string.Join(", ", typeArguments.Select(argument => argument.Name)) + ">";

            string methodName;
            SignatureTraits methodTraits = SignatureTraits.None;
            if (specification.Method.Kind == HandleKind.MemberReference)
            {
                (methodName, methodTraits) = DescribeMemberReference((MemberReferenceHandle)specification.Method);
            }
            else
            {
                methodName = _locations.TryGetValue(specification.Method, out string? defined)
                    ? defined
                    : TypeNames.Of(_reader, _reader.GetMethodDefinition((MethodDefinitionHandle)specification.Method).GetDeclaringType())
                      + "." + _reader.GetString(_reader.GetMethodDefinition((MethodDefinitionHandle)specification.Method).Name);
            }

            int parameterList = methodName.IndexOf('(');
            string instanceName = parameterList < 0
                ? methodName + arguments
                : methodName[..parameterList] + arguments + methodName[parameterList..];
            return (instanceName,
                SignatureTraits.GenericInstantiation | methodTraits | SignatureShapeProvider.Union(typeArguments));
        }

        private void AuditCustomAttribute(CustomAttributeHandle attributeHandle)
        {
            CustomAttribute attribute = _reader.GetCustomAttribute(attributeHandle);
            string location = _locations.TryGetValue(attribute.Parent, out string? owner)
                ? owner
                : $"<{attribute.Parent.Kind} 0x{MetadataTokens.GetToken(attribute.Parent):X8}>";

            string attributeName = AttributeTypeName(attribute);
            if (attribute.Constructor.Kind == HandleKind.MemberReference)
            {
                (string constructor, SignatureTraits traits) = DescribeMemberReference((MemberReferenceHandle)attribute.Constructor);
                Report(location, $"attribute constructor {constructor}", traits);
            }

            CustomAttributeValue<SignatureShape> value;
            try
            {
                value = attribute.DecodeValue(_provider);
            }
            catch (Exception exception) when (exception is BadImageFormatException or ArgumentException or InvalidOperationException)
            {
                Add(location, ViolationKind.Undecodable, $"attribute {attributeName} could not be decoded: {exception.Message}");
                return;
            }

            for (int index = 0; index < value.FixedArguments.Length; index++)
            {
                AuditAttributeArgument(location, $"attribute {attributeName} argument {index}", value.FixedArguments[index]);
            }

            foreach (CustomAttributeNamedArgument<SignatureShape> named in value.NamedArguments)
            {
                AuditAttributeArgument(location, $"attribute {attributeName} argument {named.Name}", new CustomAttributeTypedArgument<SignatureShape>(named.Type, named.Value));
            }
        }

        private void AuditAttributeArgument(string location, string subject, CustomAttributeTypedArgument<SignatureShape> argument)
        {
            Report(location, $"{subject} has type {argument.Type.Name}", argument.Type.Traits);
            if (argument.Value is SignatureShape typeArgument)
            {
                Report(location, $"{subject} is typeof({typeArgument.Name})", typeArgument.Traits);
            }
            else if (argument.Value is ImmutableArray<CustomAttributeTypedArgument<SignatureShape>> elements)
            {
                foreach (CustomAttributeTypedArgument<SignatureShape> element in elements)
                {
                    AuditAttributeArgument(location, subject + " element", element);
                }
            }
        }

        // The closing sweep: rows of the signature-bearing tables that no member, body or
        // attribute led to (for example a reference kept only by a MethodImpl of another module).
        private void AuditUnvisitedTableRows()
        {
            for (int row = 1; row <= _reader.GetTableRowCount(TableIndex.TypeSpec); row++)
            {
                TypeSpecificationHandle handle = MetadataTokens.TypeSpecificationHandle(row);
                if (!_auditedInContext.Contains(handle))
                {
                    SignatureShape type = DecodeTypeHandle(handle);
                    Report(ModuleLocation, $"type specification {type.Name}", type.Traits & ~SignatureTraits.GenericParameter);
                }
            }

            foreach (MemberReferenceHandle handle in _reader.MemberReferences)
            {
                if (!_auditedInContext.Contains(handle))
                {
                    (string name, SignatureTraits traits) = DescribeMemberReference(handle);
                    Report(ModuleLocation, $"member reference {name}", traits);
                }
            }

            for (int row = 1; row <= _reader.GetTableRowCount(TableIndex.MethodSpec); row++)
            {
                MethodSpecificationHandle handle = MetadataTokens.MethodSpecificationHandle(row);
                if (!_auditedInContext.Contains(handle))
                {
                    (string name, SignatureTraits traits) = DescribeMethodSpecification(handle);
                    Report(ModuleLocation, $"method specification {name}", traits);
                }
            }

            for (int row = 1; row <= _reader.GetTableRowCount(TableIndex.StandAloneSig); row++)
            {
                StandaloneSignatureHandle handle = MetadataTokens.StandaloneSignatureHandle(row);
                if (_auditedInContext.Contains(handle))
                {
                    continue;
                }

                StandaloneSignature signature = _reader.GetStandaloneSignature(handle);
                if (signature.GetKind() == StandaloneSignatureKind.LocalVariables)
                {
                    ImmutableArray<SignatureShape> locals = signature.DecodeLocalSignature(_provider, null);
                    Report(ModuleLocation, $"unused local signature ({string.Join(", ", locals.Select(local => local.Name))})", SignatureShapeProvider.Union(locals));
                }
                else
                {
                    MethodSignature<SignatureShape> method = signature.DecodeMethodSignature(_provider, null);
                    Report(ModuleLocation, $"standalone signature {method.ReturnType.Name}{SignatureShapeProvider.ParameterList(method)}", SignatureShapeProvider.Union(method));
                }
            }
        }

        private string AttributeTypeName(CustomAttribute attribute)
        {
            EntityHandle type = attribute.Constructor.Kind switch
            {
                HandleKind.MethodDefinition => _reader.GetMethodDefinition((MethodDefinitionHandle)attribute.Constructor).GetDeclaringType(),
                HandleKind.MemberReference => _reader.GetMemberReference((MemberReferenceHandle)attribute.Constructor).Parent,
                _ => default,
            };

            return type.Kind switch
            {
                HandleKind.TypeDefinition => TypeNames.Of(_reader, (TypeDefinitionHandle)type),
                HandleKind.TypeReference => TypeNames.Of(_reader, (TypeReferenceHandle)type),
                HandleKind.TypeSpecification => _reader.GetTypeSpecification((TypeSpecificationHandle)type).DecodeSignature(_provider, null).Name,
                _ => "<unknown attribute>",
            };
        }

        private void Report(string location, string subject, SignatureTraits traits)
        {
            if ((traits & SignatureTraits.FloatingPoint) != 0)
            {
                Add(location, ViolationKind.FloatingPoint, subject + ": floating point");
            }

            if ((traits & SignatureTraits.GenericInstantiation) != 0)
            {
                Add(location, ViolationKind.GenericInstantiation, subject + ": generic instantiation");
            }

            if ((traits & SignatureTraits.GenericParameter) != 0)
            {
                Add(location, ViolationKind.GenericDefinition, subject + ": generic type parameter");
            }

            if ((traits & SignatureTraits.MultiDimensionalArray) != 0)
            {
                Add(location, ViolationKind.MultiDimensionalArray, subject + ": multi-dimensional array");
            }

            if ((traits & SignatureTraits.Pointer) != 0)
            {
                Add(location, ViolationKind.Pointer, subject + ": pointer");
            }

            if ((traits & SignatureTraits.FunctionPointer) != 0)
            {
                Add(location, ViolationKind.FunctionPointer, subject + ": function pointer");
            }

            if ((traits & SignatureTraits.Pinned) != 0)
            {
                Add(location, ViolationKind.Unsafe, subject + ": pinned local (fixed)");
            }

            if ((traits & SignatureTraits.TypedReference) != 0)
            {
                Add(location, ViolationKind.ByRefLike, subject + ": TypedReference");
            }
        }

        private void Add(string location, ViolationKind kind, string description)
        {
            _violations.Add(new AuditViolation(location, kind, description));
        }
    }
}
