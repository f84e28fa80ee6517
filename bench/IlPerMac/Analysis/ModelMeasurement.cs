using NanoInt8.Bench.IlPerMac.Il;
using NanoInt8.Host.Format;
using NanoInt8.Runtime;
using NanoInt8.Runtime.Kernels;

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
/// The dynamic part: each Conv2D and FullyConnected operator of a model is run, with its own
/// geometry and constants and random int8 input, through the device assembly's IL by
/// <see cref="CountingInterpreter"/>, which counts every instruction executed. The same call is
/// made to the net10.0 build of the kernel and the outputs compared, so the counts are those of a
/// correct execution. The geometry's MAC split per path (<see cref="KernelPaths"/>) is checked
/// against the iterations counted in each path's loop.
/// </summary>
public static class ModelMeasurement
{
    /// <summary>Measures every MAC-carrying operator of an .ni8 blob.</summary>
    public static IReadOnlyList<OperatorMeasurement> Measure(byte[] blob, DeviceAssembly assembly, IReadOnlyList<KernelLoop> loops)
    {
        ModelFile file = ModelFile.Read(blob);
        sbyte[] int8Constants = file.Int8Constants.ToArray();
        int[] int32Constants = file.Int32Constants.ToArray();
        List<OperatorMeasurement> results = new();
        for (int index = 0; index < file.Operators.Length; index++)
        {
            ModelOperator modelOperator = file.Operators[index];
            if (modelOperator.OpCode is not (OpCode.Conv2D or OpCode.FullyConnected or OpCode.FullyConnectedPacked or OpCode.FullyConnectedTriple or OpCode.Conv2DPacked
                or OpCode.DepthwiseConv3x3 or OpCode.Conv2DPackedTaps or OpCode.Conv2DTriple))
            {
                continue;
            }

            results.Add(MeasureOperator(index, modelOperator, file, int8Constants, int32Constants, assembly, loops));
        }

        return results;
    }

    private static OperatorMeasurement MeasureOperator(int index, ModelOperator modelOperator, ModelFile file,
        sbyte[] int8Constants, int[] int32Constants, DeviceAssembly assembly, IReadOnlyList<KernelLoop> loops)
    {
        TensorRecord input = file.Tensors[modelOperator.Inputs[0]];
        TensorRecord filter = file.Tensors[modelOperator.Inputs[1]];
        TensorRecord output = file.Tensors[modelOperator.Outputs[0]];
        int[] inputDims = Dims4(input);
        int[] filterDims = Dims4(filter);
        int[] outputDims = Dims4(output);
        int[] p = modelOperator.Parameters.ToArray();
        int inputElements = inputDims.Aggregate(1, (product, dimension) => product * dimension);
        int outputElements = outputDims.Aggregate(1, (product, dimension) => product * dimension);
        Random random = new Random(20261128 + index);
        sbyte[] inputData = new sbyte[inputElements];
        for (int element = 0; element < inputData.Length; element++)
        {
            inputData[element] = (sbyte)random.Next(-128, 128);
        }

        int biasOffset = file.Tensors[modelOperator.Inputs[2]].Offset;
        int multiplierOffset = file.Tensors[modelOperator.Inputs[3]].Offset;
        int shiftOffset = file.Tensors[modelOperator.Inputs[4]].Offset;
        int requantizationMode = file.Header.Flags & Requantization.ModeMask;

        string kernelType;
        string entryPoint = "Eval";
        string geometryText;
        long macs;
        IReadOnlyDictionary<string, PathMacs> split;
        Func<sbyte[], object[]> arguments;
        if (modelOperator.OpCode == OpCode.Conv2D)
        {
            // The argument list of Interpreter.Invoke's Conv2D case.
            ConvGeometry geometry = new ConvGeometry(
                inputDims[0], inputDims[1], inputDims[2], inputDims[3], filterDims[0], filterDims[2], filterDims[3],
                outputDims[2], outputDims[3], p[0], p[1], p[2], p[3], p[4], p[5], p[8]);
            kernelType = nameof(Conv2DKernel);
            geometryText = geometry.ToString();
            macs = geometry.Macs;
            split = KernelPaths.Split(geometry);
            arguments = destination => new object[]
            {
                inputData, 0, inputDims[0], inputDims[1], inputDims[2], inputDims[3], input.ZeroPoint,
                int8Constants, filter.Offset, filterDims[0], filterDims[2], filterDims[3],
                int32Constants, biasOffset, int32Constants, multiplierOffset, int32Constants, shiftOffset,
                destination, 0, outputDims[2], outputDims[3], output.ZeroPoint,
                p[0], p[1], p[2], p[3], p[4], p[5], p[8], p[9], p[10], requantizationMode,
            };
        }
        else if (modelOperator.OpCode == OpCode.DepthwiseConv3x3)
        {
            // The argument list of Interpreter.Invoke's DepthwiseConv3x3 case; its interior and
            // border are Conv2DKernel's.
            ConvGeometry geometry = new ConvGeometry(
                inputDims[0], inputDims[1], inputDims[2], inputDims[3], filterDims[0], filterDims[2], filterDims[3],
                outputDims[2], outputDims[3], p[0], p[1], p[2], p[3], p[4], p[5], p[8]);
            kernelType = nameof(DepthwiseConv3x3Kernel);
            geometryText = geometry.ToString() + " taps in locals";
            macs = geometry.Macs;
            split = KernelPaths.Split(geometry);
            arguments = destination => new object[]
            {
                inputData, 0, inputDims[0], inputDims[1], inputDims[2], inputDims[3], input.ZeroPoint,
                int8Constants, filter.Offset,
                int32Constants, biasOffset, int32Constants, multiplierOffset, int32Constants, shiftOffset,
                destination, 0, outputDims[2], outputDims[3], output.ZeroPoint,
                p[0], p[1], p[4], p[5], p[9], p[10], requantizationMode,
            };
        }
        else if (modelOperator.OpCode == OpCode.Conv2DPackedTaps)
        {
            // The argument list of Interpreter.Invoke's Conv2DPackedTaps case (one input channel,
            // filter [⌈O/4⌉, KH, 1, 4Q], KW the last parameter).
            ConvGeometry geometry = new ConvGeometry(
                inputDims[0], inputDims[1], inputDims[2], inputDims[3], outputDims[1], filterDims[1], p[11],
                outputDims[2], outputDims[3], p[0], p[1], p[2], p[3], p[4], p[5], p[8]);
            kernelType = nameof(Conv2DPackedKernel);
            entryPoint = nameof(Conv2DPackedKernel.EvalTapPairs);
            geometryText = geometry.ToString() + " tap pairs";
            macs = geometry.Macs;
            split = KernelPaths.SplitPacked(geometry, tapPairs: true);
            int scratchWords = (int)file.Header.ScratchWords;
            arguments = destination => new object[]
            {
                inputData, 0, inputDims[0], inputDims[2], inputDims[3], input.ZeroPoint,
                int32Constants, filter.Offset, outputDims[1], filterDims[1], p[11],
                int32Constants, biasOffset, int32Constants, multiplierOffset, int32Constants, shiftOffset,
                destination, 0, outputDims[2], outputDims[3], output.ZeroPoint,
                p[0], p[1], p[4], p[5], p[6], p[7], p[9], p[10], new long[scratchWords], requantizationMode,
            };
        }
        else if (modelOperator.OpCode == OpCode.Conv2DTriple)
        {
            // The argument list of Interpreter.Invoke's Conv2DTriple case (int8 filter lanes
            // [⌈O/8⌉, KH, R, 24], KW the last parameter).
            ConvGeometry geometry = new ConvGeometry(
                inputDims[0], inputDims[1], inputDims[2], inputDims[3], outputDims[1], filterDims[1], p[11],
                outputDims[2], outputDims[3], p[0], p[1], p[2], p[3], p[4], p[5], p[8]);
            kernelType = nameof(Conv2DTripleKernel);
            geometryText = geometry.ToString() + (inputDims[1] == 1 ? " tap triples" : " channel triples");
            macs = geometry.Macs;
            split = KernelPaths.SplitTriple(geometry);
            int scratchWords = (int)file.Header.ScratchWords;
            arguments = destination => new object[]
            {
                inputData, 0, inputDims[0], inputDims[1], inputDims[2], inputDims[3], input.ZeroPoint,
                int8Constants, filter.Offset, outputDims[1], filterDims[1], p[11],
                int32Constants, biasOffset, int32Constants, multiplierOffset, int32Constants, shiftOffset,
                destination, 0, outputDims[2], outputDims[3], output.ZeroPoint,
                p[0], p[1], p[4], p[5], p[6], p[7], p[9], p[10], new long[scratchWords], requantizationMode,
            };
        }
        else if (modelOperator.OpCode == OpCode.Conv2DPacked)
        {
            // The argument list of Interpreter.Invoke's Conv2DPacked case (filter [⌈O/4⌉, KH, KW, 4P]).
            ConvGeometry geometry = new ConvGeometry(
                inputDims[0], inputDims[1], inputDims[2], inputDims[3], outputDims[1], filterDims[1], filterDims[2],
                outputDims[2], outputDims[3], p[0], p[1], p[2], p[3], p[4], p[5], p[8]);
            kernelType = nameof(Conv2DPackedKernel);
            geometryText = geometry.ToString() + " packed";
            macs = geometry.Macs;
            split = KernelPaths.SplitPacked(geometry);
            int scratchWords = (int)file.Header.ScratchWords;
            arguments = destination => new object[]
            {
                inputData, 0, inputDims[0], inputDims[1], inputDims[2], inputDims[3], input.ZeroPoint,
                int32Constants, filter.Offset, outputDims[1], filterDims[1], filterDims[2],
                int32Constants, biasOffset, int32Constants, multiplierOffset, int32Constants, shiftOffset,
                destination, 0, outputDims[2], outputDims[3], output.ZeroPoint,
                p[0], p[1], p[4], p[5], p[6], p[7], p[9], p[10], new long[scratchWords], requantizationMode,
            };
        }
        else if (modelOperator.OpCode == OpCode.FullyConnectedTriple)
        {
            // The argument list of Interpreter.Invoke's FullyConnectedTriple case: the int64 filter
            // as the device reader decodes it (the tail of the int32 section, two words each).
            int depth = inputDims[3];
            FullyConnectedGeometry geometry = new FullyConnectedGeometry(inputElements / depth, depth, outputDims[3]);
            kernelType = nameof(FullyConnectedTripleKernel);
            geometryText = geometry.ToString() + " triple";
            macs = geometry.Macs;
            split = KernelPaths.SplitTriple(geometry);
            int scratchWords = (int)file.Header.ScratchWords;
            long[] filterWords = new long[filter.Dims.Aggregate(1, (product, dimension) => product * dimension)];
            for (int word = 0; word < filterWords.Length; word++)
            {
                filterWords[word] = (uint)int32Constants[filter.Offset + (2 * word)] | ((long)int32Constants[filter.Offset + (2 * word) + 1] << 32);
            }

            arguments = destination => new object[]
            {
                inputData, 0, geometry.Rows, depth, filterWords, 0, geometry.OutputDepth,
                int32Constants, biasOffset, int32Constants, multiplierOffset, int32Constants, shiftOffset,
                new long[scratchWords], destination, 0, output.ZeroPoint, p[0], p[1], requantizationMode,
            };
        }
        else if (modelOperator.OpCode == OpCode.FullyConnectedPacked)
        {
            // The argument list of Interpreter.Invoke's FullyConnectedPacked case, with a scratch of
            // the model's scratchWords (a fresh one per call: PackRow overwrites what it uses).
            int depth = inputDims[3];
            FullyConnectedGeometry geometry = new FullyConnectedGeometry(inputElements / depth, depth, outputDims[3]);
            kernelType = nameof(FullyConnectedPackedKernel);
            geometryText = geometry.ToString() + " packed";
            macs = geometry.Macs;
            split = KernelPaths.SplitPacked(geometry);
            int scratchWords = (int)file.Header.ScratchWords;
            arguments = destination => new object[]
            {
                inputData, 0, geometry.Rows, depth, int32Constants, filter.Offset, geometry.OutputDepth,
                int32Constants, biasOffset, int32Constants, multiplierOffset, int32Constants, shiftOffset,
                new long[scratchWords], destination, 0, output.ZeroPoint, p[0], p[1], requantizationMode,
            };
        }
        else
        {
            // The argument list of Interpreter.Invoke's FullyConnected case.
            int depth = filterDims[3];
            FullyConnectedGeometry geometry = new FullyConnectedGeometry(inputElements / depth, depth, filterDims[2]);
            kernelType = nameof(FullyConnectedKernel);
            geometryText = geometry.ToString();
            macs = geometry.Macs;
            int unroll = loops.Where(loop => loop.Loop.Method.TypeName == kernelType && loop.Macs is { Macs: > 1 })
                .Select(loop => loop.Macs!.Macs).DefaultIfEmpty(1).Max();
            split = KernelPaths.Split(geometry, unroll);
            arguments = destination => new object[]
            {
                inputData, 0, geometry.Rows, depth, int8Constants, filter.Offset, geometry.OutputDepth,
                int32Constants, biasOffset, int32Constants, multiplierOffset, int32Constants, shiftOffset,
                destination, 0, output.ZeroPoint, p[0], p[1], requantizationMode,
            };
        }

        List<string> problems = new();
        IlMethod eval = assembly.Find(kernelType, entryPoint);
        sbyte[] interpretedOutput = new sbyte[outputElements];
        CountingInterpreter interpreter = new CountingInterpreter();
        interpreter.Run(eval, arguments(interpretedOutput).Select(ToValue).ToArray());

        sbyte[] net10Output = new sbyte[outputElements];
        object[] net10Arguments = arguments(net10Output);
        if (kernelType == nameof(Conv2DKernel))
        {
            typeof(Conv2DKernel).GetMethod(nameof(Conv2DKernel.Eval))!.Invoke(null, net10Arguments);
        }
        else if (kernelType == nameof(DepthwiseConv3x3Kernel))
        {
            typeof(DepthwiseConv3x3Kernel).GetMethod(nameof(DepthwiseConv3x3Kernel.Eval))!.Invoke(null, net10Arguments);
        }
        else if (kernelType == nameof(Conv2DTripleKernel))
        {
            typeof(Conv2DTripleKernel).GetMethod(nameof(Conv2DTripleKernel.Eval))!.Invoke(null, net10Arguments);
        }
        else if (kernelType == nameof(Conv2DPackedKernel))
        {
            typeof(Conv2DPackedKernel).GetMethod(entryPoint)!.Invoke(null, net10Arguments);
        }
        else if (kernelType == nameof(FullyConnectedTripleKernel))
        {
            typeof(FullyConnectedTripleKernel).GetMethod(nameof(FullyConnectedTripleKernel.Eval))!.Invoke(null, net10Arguments);
        }
        else if (kernelType == nameof(FullyConnectedPackedKernel))
        {
            typeof(FullyConnectedPackedKernel).GetMethod(nameof(FullyConnectedPackedKernel.Eval))!.Invoke(null, net10Arguments);
        }
        else
        {
            typeof(FullyConnectedKernel).GetMethod(nameof(FullyConnectedKernel.Eval))!.Invoke(null, net10Arguments);
        }

        if (!interpretedOutput.AsSpan().SequenceEqual(net10Output))
        {
            problems.Add($"operator {index}: the interpreted device IL and the net10.0 kernel give different outputs");
        }

        // The MAC loops of the kernel's Eval and of the kernel type's other methods it calls
        // (Conv2DPackedKernel.EvalTile); a method the run never entered has no counts.
        List<PathMeasurement> paths = new();
        HashSet<IlMethod> loopMethods = new() { eval };
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
        return new OperatorMeasurement(index, ModelSummaryKind(modelOperator.OpCode), geometryText, macs, paths, total, callees, perMethod, problems);
    }

    private static string ModelSummaryKind(int opCode) => NanoInt8.Host.Execution.ModelSummary.KindName(opCode);

    private static IlValue ToValue(object argument) => argument switch
    {
        int number => IlValue.Int32(number),
        _ => IlValue.Of(argument),
    };

    /// <summary>The shape right-aligned in four dims, with leading 1s, as the device sees it.</summary>
    private static int[] Dims4(TensorRecord tensor)
    {
        int[] dims = { 1, 1, 1, 1 };
        int rank = tensor.Shape.Length;
        for (int axis = 0; axis < rank; axis++)
        {
            dims[4 - rank + axis] = tensor.Shape[axis];
        }

        return dims;
    }
}
