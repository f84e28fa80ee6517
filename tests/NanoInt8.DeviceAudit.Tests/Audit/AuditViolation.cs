namespace NanoInt8.DeviceAudit;

/// <summary>What kind of construct a violation is: each maps to a row of NANOCLR.md's
/// "does not work on the device" table or to the no-floating-point rule.</summary>
public enum ViolationKind
{
    /// <summary>System.Single or System.Double in a signature, operand or constant.</summary>
    FloatingPoint,

    /// <summary>An opcode that computes, loads or stores floating-point values.</summary>
    FloatingPointOpcode,

    /// <summary>A generic type or method definition, or a signature that uses its type parameters.</summary>
    GenericDefinition,

    /// <summary>A use of a generic type or method (TypeSpec or MethodSpec instantiation).</summary>
    GenericInstantiation,

    /// <summary>A multi-dimensional (or non-zero-based) array, ELEMENT_TYPE_ARRAY.</summary>
    MultiDimensionalArray,

    /// <summary>An unmanaged pointer type, ELEMENT_TYPE_PTR.</summary>
    Pointer,

    /// <summary>A function pointer type (ELEMENT_TYPE_FNPTR) or a calli through one.</summary>
    FunctionPointer,

    /// <summary>Other unsafe code: stackalloc (localloc), pinned locals, block copies, a module
    /// compiled with /unsafe.</summary>
    Unsafe,

    /// <summary>A byref-like type (ref struct) or TypedReference.</summary>
    ByRefLike,

    /// <summary>IL or metadata the audit cannot decode, so it cannot vouch for it.</summary>
    Undecodable,

    /// <summary>A method with more than 255 arguments or locals, or an evaluation stack deeper than
    /// 255: nanoCLR's method record holds each count in one byte (numArgs, numLocals,
    /// lengthEvalStack in CLR_RECORD_METHODDEF, nf-interpreter src/CLR/Include/nanoCLR_Types.h).</summary>
    FrameLimit,
}

/// <summary>One construct in an audited assembly that nanoCLR cannot run.</summary>
/// <param name="Location">The type and member, e.g. <c>NanoInt8.Runtime.FixedPoint.RoundingDivideByPOT</c>
/// (nested types joined with '+', fields and methods with '.').</param>
/// <param name="Kind">What kind of construct it is.</param>
/// <param name="Description">What is wrong, e.g. <c>opcode conv.r8 at IL_0042</c>.</param>
public sealed record AuditViolation(string Location, ViolationKind Kind, string Description)
{
    /// <summary>The violation as one line: <c>Location: Description</c>.</summary>
    public override string ToString() => $"{Location}: {Description}";
}
