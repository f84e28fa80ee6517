namespace NanoInt8.Bench.IlPerMac.Reference;

/// <summary>
/// The reference loops of /work/shared/NANOCLR.md, compiled into this tool (always optimized, see
/// the project file) so the loop finder and the MAC counter can be checked against IL counted by
/// hand, and so the counting interpreter can be checked against the figures measured on nanoCLR.
/// They use no library call, so their IL is the same whether compiled against .NET's or
/// nanoFramework's mscorlib.
/// </summary>
internal static class PlainDotProducts
{
    /// <summary>IL per iteration of <see cref="Plain"/>, counted by hand.</summary>
    /// <remarks>
    /// <code>
    /// BODY: ldloc acc; ldarg x; ldloc i; ldelem.i1; ldarg w; ldloc i; ldelem.i1; mul; add; stloc acc   10
    ///       ldloc i; ldc.i4.1; add; stloc i                                                           4
    /// COND: ldloc i; ldarg length; blt.s BODY                                                          3
    /// </code>
    /// 17 instructions, 1 MAC (the one mul of two ldelem.i1).
    /// </remarks>
    public const int PlainInstructions = 17;

    /// <summary>IL per iteration of <see cref="UnrolledBy4"/>'s main loop, counted by hand.</summary>
    /// <remarks>
    /// <code>
    /// BODY: ldloc acc                                                   1
    ///       ldarg x; ldloc i; ldelem.i1; ldarg w; ldloc i; ldelem.i1; mul 7
    ///       3 × (ldarg x; ldloc i; ldc.i4.k; add; ldelem.i1;
    ///            ldarg w; ldloc i; ldc.i4.k; add; ldelem.i1; mul; add)  36
    ///       add; stloc acc                                              2
    ///       ldloc i; ldc.i4.4; add; stloc i                             4
    /// COND: ldloc i; ldloc end; blt.s BODY                              3
    /// </code>
    /// 53 instructions, 4 MACs: 13.25 per MAC.
    /// </remarks>
    public const int UnrolledBy4Instructions = 53;

    /// <summary><c>Σ x[i]·w[i]</c>, the plain loop.</summary>
    public static int Plain(sbyte[] x, sbyte[] w, int length)
    {
        int accumulator = 0;
        for (int i = 0; i < length; i++)
        {
            accumulator += x[i] * w[i];
        }

        return accumulator;
    }

    /// <summary><c>Σ x[i]·w[i]</c> unrolled by 4 with one shared index, the remainder one by one.</summary>
    public static int UnrolledBy4(sbyte[] x, sbyte[] w, int length)
    {
        int accumulator = 0;
        int end = length & ~3;
        int i = 0;
        for (; i < end; i += 4)
        {
            accumulator += x[i] * w[i] + x[i + 1] * w[i + 1] + x[i + 2] * w[i + 2] + x[i + 3] * w[i + 3];
        }

        for (; i < length; i++)
        {
            accumulator += x[i] * w[i];
        }

        return accumulator;
    }
}
