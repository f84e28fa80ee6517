using NanoInt8.Bench.IlPerMac.Il;

namespace NanoInt8.Bench.IlPerMac.Analysis;

/// <summary>One innermost loop of a kernel with its static cost.</summary>
/// <param name="Loop">The loop.</param>
/// <param name="Macs">What the MAC counter found, or null for kernels that carry no MACs.</param>
/// <param name="Path">The kernel path the loop implements (Conv2D "interior KxK", "interior 1x1",
/// "border"; FullyConnected "unrolled x4", "remainder"), or null.</param>
public sealed record KernelLoop(IlLoop Loop, MacCount? Macs, string? Path)
{
    /// <summary>Static IL per MAC: instructions per iteration over MACs per iteration, or null without MACs.</summary>
    public double? IlPerMac => Macs is { Macs: > 0 } count ? (double)Loop.InstructionCount / count.Macs : null;
}

/// <summary>
/// The static part: every innermost loop of every kernel method, and for the MAC-carrying kernels
/// (Conv2DKernel, FullyConnectedKernel and whatever they call) the MACs per iteration and the path.
/// </summary>
public static class KernelLoops
{
    /// <summary>The namespace whose methods are reported.</summary>
    public const string KernelNamespace = "NanoInt8.Runtime.Kernels";

    /// <summary>The MAC-carrying kernel entry points.</summary>
    public static readonly (string Type, string Method)[] MacKernels =
    {
        ("Conv2DKernel", "Eval"),
        ("FullyConnectedKernel", "Eval"),
    };

    /// <summary>Path names, shared with the geometry split (<see cref="KernelPaths"/>).</summary>
    public const string ConvInterior = "interior KxK";

    /// <summary>The 1x1 interior path.</summary>
    public const string ConvPointwise = "interior 1x1";

    /// <summary>The clipped border path.</summary>
    public const string ConvBorder = "border";

    /// <summary>FullyConnected's remainder loop.</summary>
    public const string FullyConnectedRemainder = "remainder";

    /// <summary>The unrolled FullyConnected loop's name for <paramref name="macs"/> MACs per iteration.</summary>
    public static string FullyConnectedUnrolled(int macs) => $"unrolled x{macs}";

    /// <summary>Innermost loops of the kernels in <paramref name="assembly"/>, by type, method and position.</summary>
    public static IReadOnlyList<KernelLoop> Analyse(DeviceAssembly assembly)
    {
        HashSet<IlMethod> macMethods = new();
        foreach (var (type, name) in MacKernels)
        {
            AddWithCallees(assembly.Find(type, name), macMethods);
        }

        List<KernelLoop> rows = new();
        IEnumerable<IlMethod> methods = assembly.Methods
            .Where(method => method.Namespace == KernelNamespace || macMethods.Contains(method))
            .OrderBy(method => macMethods.Contains(method) ? 0 : 1)
            .ThenBy(method => method.TypeName, StringComparer.Ordinal)
            .ThenBy(method => method.Name, StringComparer.Ordinal);
        foreach (IlMethod method in methods)
        {
            List<KernelLoop> methodRows = LoopFinder.Find(method)
                .Where(loop => loop.IsInnermost)
                .Select(loop => new KernelLoop(loop, macMethods.Contains(method) ? MacCounter.Count(loop) : StatedPackedMacs(method, loop), null))
                .ToList();
            rows.AddRange(LabelPaths(method, methodRows));
        }

        return rows;
    }

    /// <summary>
    /// Names the MAC loops of the two kernels. Conv2DKernel.Eval: the loop whose multiply reads
    /// x - zi is the border; of the others the shallower (inside the output-position loops only)
    /// is the 1x1 loop, the deeper (inside the channel and filter-row loops too) the KxK loop.
    /// FullyConnectedKernel.Eval: by MACs per iteration. The model measurement checks each name
    /// by comparing the loop's counted MACs with the geometry's split.
    /// </summary>
    private static IEnumerable<KernelLoop> LabelPaths(IlMethod method, List<KernelLoop> rows)
    {
        List<KernelLoop> macLoops = rows.Where(row => row.Macs is { Macs: > 0 }).ToList();
        Dictionary<KernelLoop, string> names = new();
        if (method.TypeName == "Conv2DKernel" && method.Name == "Eval")
        {
            foreach (KernelLoop row in macLoops.Where(row => row.Macs!.ZeroPointSubtracted))
            {
                names[row] = ConvBorder;
            }

            List<KernelLoop> interior = macLoops.Where(row => !row.Macs!.ZeroPointSubtracted).OrderBy(row => row.Loop.Depth).ToList();
            if (interior.Count == 2 && interior[0].Loop.Depth < interior[1].Loop.Depth)
            {
                names[interior[0]] = ConvPointwise;
                names[interior[1]] = ConvInterior;
            }
        }
        else if (method.TypeName == "FullyConnectedPackedKernel" && method.Name == "Eval")
        {
            foreach (KernelLoop row in macLoops)
            {
                names[row] = FullyConnectedPackedLoop;
            }
        }
        else if (method.TypeName == "Conv2DPackedKernel" && method.Name == "EvalPositions")
        {
            foreach (KernelLoop row in macLoops)
            {
                names[row] = ConvPackedLoop;
            }
        }
        else if (method.TypeName == "Conv2DPackedKernel" && method.Name == "EvalTileEight")
        {
            foreach (KernelLoop row in macLoops)
            {
                names[row] = ConvPackedTileEightLoop;
            }
        }
        else if (method.TypeName == "Conv2DPackedKernel" && method.Name == "EvalTileWide")
        {
            foreach (KernelLoop row in macLoops)
            {
                names[row] = ConvPackedTileWideLoop;
            }
        }
        else if (method.TypeName == "FullyConnectedTripleKernel" && method.Name is "EvalEight" or "EvalFour")
        {
            foreach (KernelLoop row in macLoops)
            {
                names[row] = method.Name == "EvalEight" ? FullyConnectedTripleEightLoop : FullyConnectedTripleFourLoop;
            }
        }
        else if (method.TypeName == "Conv2DTripleKernel" && method.Name == "EvalTile")
        {
            foreach (KernelLoop row in macLoops)
            {
                names[row] = ConvTripleTileLoop;
            }
        }
        else if (method.TypeName == "Conv2DPackedKernel" && method.Name == "EvalTile")
        {
            foreach (KernelLoop row in macLoops)
            {
                names[row] = ConvPackedTileLoop;
            }
        }
        else if (method.TypeName == "DepthwiseConv3x3Kernel" && method.Name == "Eval")
        {
            foreach (KernelLoop row in macLoops)
            {
                names[row] = row.Macs!.Macs == DepthwiseInteriorMacs ? ConvInterior : ConvBorder;
            }
        }
        else if (method.TypeName == "FullyConnectedKernel" && method.Name == "Eval")
        {
            foreach (KernelLoop row in macLoops)
            {
                names[row] = row.Macs!.Macs == 1 ? FullyConnectedRemainder : FullyConnectedUnrolled(row.Macs.Macs);
            }
        }

        return rows.Select(row => names.TryGetValue(row, out string? path) ? row with { Path = path } : row);
    }

    /// <summary>MACs per iteration of FullyConnectedPackedKernel's inner loop, stated (the counter cannot see them).</summary>
    public const int PackedMacsPerIteration = 16;

    /// <summary>Path name of FullyConnectedPackedKernel's inner loop.</summary>
    public const string FullyConnectedPackedLoop = "packed, 2 words x 4 channels";

    /// <summary>Path name of Conv2DPackedKernel's single-position inner loop (one window row).</summary>
    public const string ConvPackedLoop = "packed window row, 2 words x 4 channels";

    /// <summary>Path name of Conv2DPackedKernel.EvalTile's inner loop (four positions).</summary>
    public const string ConvPackedTileLoop = "packed tile, 4 positions x 4 channels";

    /// <summary>MACs per iteration of EvalTile's inner loop: 4 input words × 4 filter words × 2 taps (16 `mul`).</summary>
    public const int PackedTileMacsPerIteration = 32;

    /// <summary>Path name of Conv2DPackedKernel.EvalTileWide's inner loop (eight positions, eight channels).</summary>
    public const string ConvPackedTileWideLoop = "packed tile, 8 positions x 8 channels";

    /// <summary>MACs per iteration of EvalTileWide's inner loop: 8 input words × 8 filter words × 2 taps (64 `mul`).</summary>
    public const int PackedTileWideMacsPerIteration = 128;

    /// <summary>Path name of FullyConnectedTripleKernel.EvalEight's inner loop.</summary>
    public const string FullyConnectedTripleEightLoop = "triple, 3 words x 8 channels";

    /// <summary>Path name of FullyConnectedTripleKernel.EvalFour's inner loop.</summary>
    public const string FullyConnectedTripleFourLoop = "triple, 3 words x 4 channels";

    /// <summary>Path name of Conv2DTripleKernel.EvalTile's inner loop (eight positions, eight channels, three words).</summary>
    public const string ConvTripleTileLoop = "triple tile, 8 positions x 8 channels x 3 words";

    /// <summary>MACs per iteration of Conv2DTripleKernel.EvalTile's inner loop: 8 positions × 8 channels × 3 words × 3 taps (192 `mul`).</summary>
    public const int TripleTileMacsPerIteration = 576;

    /// <summary>MACs per iteration of DepthwiseConv3x3Kernel's interior loop (the nine taps).</summary>
    public const int DepthwiseInteriorMacs = 9;

    /// <summary>Path name of Conv2DPackedKernel.EvalTileEight's inner loop (four positions, eight channels).</summary>
    public const string ConvPackedTileEightLoop = "packed tile, 4 positions x 8 channels";

    /// <summary>MACs per iteration of EvalTileEight's inner loop: 4 input words × 8 filter words × 2 taps (32 `mul`).</summary>
    public const int PackedTileEightMacsPerIteration = 64;

    // The inner loops of FullyConnectedPackedKernel.Eval and Conv2DPackedKernel.EvalPositions multiply 2
    // packed input words by 4 channels' filter words, each 64-bit product carrying 2 taps:
    // 2 x 4 x 2 = 16 MACs per iteration. The loop is recognized by its 8 `mul`; the MAC counter,
    // which only follows int8 elements, would report 0.
    private static MacCount? StatedPackedMacs(IlMethod method, IlLoop loop)
    {
        int multiplies = loop.Instructions.Count(instruction => instruction.Mnemonic == "mul");
        if (method.TypeName == "Conv2DPackedKernel" && method.Name == "EvalTile")
        {
            return multiplies == 16 ? new MacCount(PackedTileMacsPerIteration, multiplies, 0, false, null) : null;
        }

        // DepthwiseConv3x3Kernel multiplies int8 inputs by weights held in locals, which the MAC
        // counter does not follow: its interior loop has nine products and, in the q31 mode's inline
        // requantization, one more `mul` (10); the border's clipped tap loop one product (1).
        if (method.TypeName == "DepthwiseConv3x3Kernel" && method.Name == "Eval")
        {
            return multiplies switch
            {
                DepthwiseInteriorMacs + 1 => new MacCount(DepthwiseInteriorMacs, multiplies, 0, false, null),
                1 => new MacCount(1, multiplies, 0, true, null),
                _ => null,
            };
        }

        if (method.TypeName == "Conv2DPackedKernel" && method.Name == "EvalTileWide")
        {
            return multiplies == 64 ? new MacCount(PackedTileWideMacsPerIteration, multiplies, 0, false, null) : null;
        }

        if (method.TypeName == "Conv2DTripleKernel" && method.Name == "EvalTile")
        {
            return multiplies == 192 ? new MacCount(TripleTileMacsPerIteration, multiplies, 0, false, null) : null;
        }

        // FullyConnectedTripleKernel: 3 input words × 8 (or 4) channels × 3 taps, 24 (12) `mul`.
        if (method.TypeName == "FullyConnectedTripleKernel" && method.Name == "EvalEight")
        {
            return multiplies == 24 ? new MacCount(72, multiplies, 0, false, null) : null;
        }

        if (method.TypeName == "FullyConnectedTripleKernel" && method.Name == "EvalFour")
        {
            return multiplies == 12 ? new MacCount(36, multiplies, 0, false, null) : null;
        }

        if (method.TypeName == "Conv2DPackedKernel" && method.Name == "EvalTileEight")
        {
            return multiplies == 32 ? new MacCount(PackedTileEightMacsPerIteration, multiplies, 0, false, null) : null;
        }

        bool packedRowLoop = (method.TypeName == "FullyConnectedPackedKernel" && method.Name == "Eval")
            || (method.TypeName == "Conv2DPackedKernel" && method.Name == "EvalPositions");
        if (!packedRowLoop)
        {
            return null;
        }

        return multiplies == 8 ? new MacCount(PackedMacsPerIteration, multiplies, 0, false, null) : null;
    }

    private static void AddWithCallees(IlMethod method, HashSet<IlMethod> methods)
    {
        if (!methods.Add(method))
        {
            return;
        }

        foreach (IlInstruction instruction in method.Instructions.Where(instruction => instruction.Mnemonic is "call" or "callvirt"))
        {
            if (method.Assembly.ResolveCall((int)instruction.Operand) is IlMethod callee)
            {
                AddWithCallees(callee, methods);
            }
        }
    }
}
