using NanoInt8.Bench.IlPerMac.Il;
using NanoInt8.Host.Execution;
using NanoInt8.Runtime;
using NanoInt8.Runtime.Kernels;
using NanoInt8.Runtime.Operators;

namespace NanoInt8.Bench.IlPerMac.Analysis;

/// <summary>One MAC path of one operator: the geometry's split and what the interpreter counted.</summary>
/// <param name="Loop">The kernel's innermost loop for the path.</param>
/// <param name="Split">MACs from the geometry.</param>
/// <param name="Iterations">Iterations the interpreter counted.</param>
/// <param name="Entries">Times the loop was entered (its entry br executed).</param>
/// <param name="RangeInstructions">IL instructions the interpreter counted inside the loop's range:
/// the iterations and, once per entry, the last (failing) test.</param>
public sealed record PathMeasurement(KernelLoop Loop, PathMacs Split, long Iterations, long Entries, long RangeInstructions)
{
    /// <summary>IL of the iterations proper: iterations × the loop's IL per iteration. The entry
    /// cost (br and failing test) is outer-loop overhead. A loop with branches in its body
    /// (DepthwiseConv3x3Kernel's interior, which requantizes and clamps each position) runs a
    /// different part of its range per iteration: its IL is the counted range less the exit tests.</summary>
    public long Instructions => Loop.Loop.IsStraightLine
        ? Iterations * Loop.Loop.InstructionCount
        : RangeInstructions - (Entries * ExitTest);

    /// <summary>IL of the loop's test that run once more at each exit (0 for a loop without one).</summary>
    public long ExitTest => Loop.Loop.ConditionStart >= 0 ? Loop.Loop.End - Loop.Loop.ConditionStart + 1 : 0;

    /// <summary>Multiplies the loop executed: iterations × MACs per iteration.</summary>
    public long CountedMacs => Iterations * Loop.Macs!.Macs;

    /// <summary>IL the loop costs by the static figure: executed multiplies × static IL/MAC (for a
    /// loop with body branches the counted IL, the static figure being an upper bound).</summary>
    public double StaticInstructions => Loop.Loop.IsStraightLine ? Split.Executed * Loop.IlPerMac!.Value : Instructions;
}

/// <summary>What one Conv2D or FullyConnected operator costs.</summary>
/// <param name="Index">Operator index in the model.</param>
/// <param name="Kind">Conv2D or FullyConnected.</param>
/// <param name="Geometry">Shapes and parameters, for the reader.</param>
/// <param name="Macs">Nominal MACs (ModelSummary's count).</param>
/// <param name="Paths">Per path: split, counted iterations and instructions.</param>
/// <param name="KernelInstructions">All IL the interpreter executed for the operator: the kernel
/// method and its callees (FixedPoint, WindowBounds).</param>
/// <param name="CalleeInstructions">The callees' part of <paramref name="KernelInstructions"/>.</param>
/// <param name="MethodInstructions">IL executed per method (Type.Method), the kernel's own and its callees'.</param>
/// <param name="Problems">Disagreements between the geometry and the counts, or between the interpreted
/// and the net10.0 kernel's output; empty when all agree.</param>
public sealed record OperatorMeasurement(
    int Index, string Kind, string Geometry, long Macs, IReadOnlyList<PathMeasurement> Paths,
    long KernelInstructions, long CalleeInstructions, IReadOnlyDictionary<string, long> MethodInstructions, IReadOnlyList<string> Problems)
{
    /// <summary>IL in the MAC loops' ranges, counted.</summary>
    public long InnerLoopInstructions => Paths.Sum(path => path.Instructions);
}

/// <summary>
/// The dynamic part: each Conv2D and FullyConnected operator of a model (every code that has MACs)
/// is run through the device assembly's IL by <see cref="CountingInterpreter"/>, which counts every
/// instruction executed: the operator's record as the interpreter prepared it from the model
/// (<see cref="Interpreter.GetOperator"/>), its <c>Invoke</c>, the kernel and the kernel's callees,
/// over an arena of random int8 values. The same record of a second interpreter is invoked in the
/// net10.0 build over the same arena and the arenas compared, so the counts are those of a correct
/// execution. The geometry's MAC split per path (<see cref="KernelPaths"/>) is checked against the
/// iterations counted in each path's loop.
/// </summary>
public static class ModelMeasurement
{
    /// <summary>Measures every MAC-carrying operator of an .ni8 blob.</summary>
    public static IReadOnlyList<OperatorMeasurement> Measure(byte[] blob, DeviceAssembly assembly, IReadOnlyList<KernelLoop> loops)
    {
        ModelError error = ModelReader.TryRead(blob, int.MaxValue, out Model model);
        if (error != ModelError.None)
        {
            throw new InvalidOperationException($"the device reader refuses the model: {error}");
        }

        // One interpreter's records run as device IL, the other's in the net10.0 build.
        Interpreter interpreted = new Interpreter(model);
        Interpreter reference = new Interpreter(model);
        List<OperatorMeasurement> results = new();
        for (int index = 0; index < model.OperatorCount; index++)
        {
            if (model.GetOperatorCode(index) is not (OpCode.Conv2D or OpCode.FullyConnected or OpCode.FullyConnectedPacked or OpCode.FullyConnectedTriple
                or OpCode.Conv2DPacked or OpCode.DepthwiseConv3x3 or OpCode.Conv2DPackedTaps or OpCode.Conv2DTriple))
            {
                continue;
            }

            results.Add(MeasureOperator(index, model.GetOperatorCode(index), interpreted.GetOperator(index), reference.GetOperator(index), assembly, loops));
        }

        return results;
    }

    private static OperatorMeasurement MeasureOperator(int index, int opCode, PreparedOperator record, PreparedOperator referenceRecord,
        DeviceAssembly assembly, IReadOnlyList<KernelLoop> loops)
    {
        (string kernelType, string entryPoint, string geometryText, long macs, IReadOnlyDictionary<string, PathMacs> split) = Describe(record, loops);

        // The same random arena for both: every operator's input lies in it (or in the constants).
        sbyte[] arena = Arena(record);
        sbyte[] referenceArena = Arena(referenceRecord);
        Random random = new Random(20261128 + index);
        for (int element = 0; element < arena.Length; element++)
        {
            arena[element] = (sbyte)random.Next(-128, 128);
        }

        arena.CopyTo(referenceArena, 0);
        List<string> problems = new();
        IlMethod invoke = assembly.Find(record.GetType().Name, nameof(PreparedOperator.Invoke));
        IlMethod eval = assembly.Find(kernelType, entryPoint);
        CountingInterpreter interpreter = new CountingInterpreter();
        interpreter.Run(invoke, IlValue.Of(record));
        referenceRecord.Invoke();
        if (!arena.AsSpan().SequenceEqual(referenceArena))
        {
            problems.Add($"operator {index}: the interpreted device IL and the net10.0 kernel give different outputs");
        }

        // The MAC loops of the kernel's Eval and of the kernel type's other methods it calls
        // (Conv2DPackedKernel.EvalTile); a method the run never entered has no counts.
        List<PathMeasurement> paths = new();
        HashSet<IlMethod> loopMethods = new() { eval, invoke };
        foreach (KernelLoop loop in loops.Where(loop => loop.Loop.Method.TypeName == kernelType && loop.Macs is { Macs: > 0 }
            && (loop.Loop.Method == eval || interpreter.Counts.ContainsKey(loop.Loop.Method))))
        {
            long[] counts = interpreter.Counts[loop.Loop.Method];
            loopMethods.Add(loop.Loop.Method);
            long iterations = counts[loop.Loop.Start];
            long entries = loop.Loop.ConditionStart >= 0 ? counts[loop.Loop.Start - 1] : 0;
            long rangeInstructions = 0;
            for (int instruction = loop.Loop.Start; instruction <= loop.Loop.End; instruction++)
            {
                rangeInstructions += counts[instruction];
            }

            PathMacs pathMacs = loop.Path is string path && split.TryGetValue(path, out PathMacs found) ? found : default;
            PathMeasurement measurement = new PathMeasurement(loop, pathMacs, iterations, entries, rangeInstructions);
            if (loop.Path is null)
            {
                problems.Add($"operator {index}: the MAC loop at {loop.Loop.Range} of {kernelType} matches no path");
            }
            else if (measurement.CountedMacs != pathMacs.Executed)
            {
                problems.Add($"operator {index}: path {loop.Path} counted {measurement.CountedMacs} MACs, the geometry says {pathMacs.Executed}");
            }

            // A straight-line body runs the whole range each iteration; a loop entered by br to its
            // test also runs the test [COND, End] once more at each exit.
            long exitTest = measurement.ExitTest;
            if (loop.Loop.IsStraightLine && rangeInstructions != measurement.Instructions + (entries * exitTest))
            {
                problems.Add($"operator {index}: loop {loop.Loop.Range} ran {rangeInstructions} IL in {iterations} iterations and {entries} entries, not {loop.Loop.InstructionCount} per iteration and {exitTest} per exit");
            }

            paths.Add(measurement);
        }

        // Conv2DPackedKernel's entry points (Eval, EvalTapPairs) hand the whole body to Run: its
        // outer loops are the kernel's own IL, not a callee's.
        foreach (IlMethod method in interpreter.Counts.Keys.Where(method => method.TypeName == kernelType && method.Name == "Run"))
        {
            loopMethods.Add(method);
        }

        long total = interpreter.TotalInstructions;
        long callees = total - loopMethods.Sum(method => interpreter.Counts[method].Sum());
        Dictionary<string, long> perMethod = interpreter.Counts
            .GroupBy(pair => $"{pair.Key.TypeName}.{pair.Key.Name}")
            .ToDictionary(group => group.Key, group => group.Sum(pair => pair.Value.Sum()));
        return new OperatorMeasurement(index, ModelSummary.KindName(opCode), geometryText, macs, paths, total, callees, perMethod, problems);
    }

    // The kernel a record runs, its geometry read from the record's fields, and the MAC split of its paths.
    private static (string Kernel, string EntryPoint, string Geometry, long Macs, IReadOnlyDictionary<string, PathMacs> Split) Describe(
        PreparedOperator record, IReadOnlyList<KernelLoop> loops)
    {
        switch (record)
        {
            case Conv2DOperator conv:
            {
                ConvGeometry geometry = Geometry(conv, conv.DilationHeight, conv.DilationWidth, conv.Groups);
                return (nameof(Conv2DKernel), nameof(Conv2DKernel.Eval), geometry.ToString(), geometry.Macs, KernelPaths.Split(geometry));
            }

            case DepthwiseConv3x3Operator depthwise:
            {
                // Its interior and border are Conv2DKernel's.
                ConvGeometry geometry = Geometry(depthwise, 1, 1, depthwise.InputChannels);
                return (nameof(DepthwiseConv3x3Kernel), nameof(DepthwiseConv3x3Kernel.Eval), geometry + " taps in locals", geometry.Macs, KernelPaths.Split(geometry));
            }

            case Conv2DPackedTapsOperator taps:
            {
                ConvGeometry geometry = Geometry(taps, 1, 1, 1);
                return (nameof(Conv2DPackedKernel), nameof(Conv2DPackedKernel.EvalTapPairs), geometry + " tap pairs", geometry.Macs,
                    KernelPaths.SplitPacked(geometry, tapPairs: true));
            }

            case Conv2DPackedOperator packed:
            {
                ConvGeometry geometry = Geometry(packed, 1, 1, 1);
                return (nameof(Conv2DPackedKernel), nameof(Conv2DPackedKernel.Eval), geometry + " packed", geometry.Macs, KernelPaths.SplitPacked(geometry));
            }

            case Conv2DTripleOperator triple:
            {
                ConvGeometry geometry = Geometry(triple, 1, 1, 1);
                return (nameof(Conv2DTripleKernel), nameof(Conv2DTripleKernel.Eval), geometry + (triple.InputChannels == 1 ? " tap triples" : " channel triples"),
                    geometry.Macs, KernelPaths.SplitTriple(geometry));
            }

            case FullyConnectedTripleOperator triple:
            {
                FullyConnectedGeometry geometry = new FullyConnectedGeometry(triple.Rows, triple.Depth, triple.OutputDepth);
                return (nameof(FullyConnectedTripleKernel), nameof(FullyConnectedTripleKernel.Eval), geometry + " triple", geometry.Macs, KernelPaths.SplitTriple(geometry));
            }

            case FullyConnectedPackedOperator packed:
            {
                FullyConnectedGeometry geometry = new FullyConnectedGeometry(packed.Rows, packed.Depth, packed.OutputDepth);
                return (nameof(FullyConnectedPackedKernel), nameof(FullyConnectedPackedKernel.Eval), geometry + " packed", geometry.Macs, KernelPaths.SplitPacked(geometry));
            }

            case FullyConnectedOperator plain:
            {
                FullyConnectedGeometry geometry = new FullyConnectedGeometry(plain.Rows, plain.Depth, plain.OutputDepth);
                int unroll = loops.Where(loop => loop.Loop.Method.TypeName == nameof(FullyConnectedKernel) && loop.Macs is { Macs: > 1 })
                    .Select(loop => loop.Macs!.Macs).DefaultIfEmpty(1).Max();
                return (nameof(FullyConnectedKernel), nameof(FullyConnectedKernel.Eval), geometry.ToString(), geometry.Macs, KernelPaths.Split(geometry, unroll));
            }

            default:
                throw new NotSupportedException($"{record.GetType().Name} has no MAC measurement");
        }
    }

    private static ConvGeometry Geometry(ConvolutionOperator op, int dilationHeight, int dilationWidth, int groups) => new ConvGeometry(
        op.Batches, op.InputChannels, op.InputHeight, op.InputWidth, op.OutputChannels, op.FilterHeight, op.FilterWidth,
        op.OutputHeight, op.OutputWidth, op.StrideHeight, op.StrideWidth, dilationHeight, dilationWidth, op.PadTop, op.PadLeft, groups);

    // The interpreter's arena: every record's output array.
    private static sbyte[] Arena(PreparedOperator record) =>
        (sbyte[])(record.GetType().GetField("Output")?.GetValue(record) ?? throw new NotSupportedException($"{record.GetType().Name} has no Output field"));
}
