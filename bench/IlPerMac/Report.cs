using NanoInt8.Bench.IlPerMac.Analysis;
using NanoInt8.Bench.IlPerMac.Il;
using NanoInt8.Bench.IlPerMac.Reference;
using NanoInt8.Host.Execution;

namespace NanoInt8.Bench.IlPerMac;

/// <summary>
/// Writes the tool's Markdown report section by section and collects every check that disagrees;
/// <see cref="WriteChecks"/> lists them at the end.
/// </summary>
public sealed class Report
{
    /// <summary>The plain loop's IL per MAC measured on nanoCLR (/work/shared/NANOCLR.md).</summary>
    public const string PlainOnNanoClr = "17.1";

    private readonly TextWriter _output;
    private readonly List<string> _problems = new();

    /// <summary>Creates a report written to <paramref name="output"/>.</summary>
    public Report(TextWriter output)
    {
        _output = output;
    }

    /// <summary>Which assembly is measured, and whether its IL is optimized.</summary>
    public void WriteHeader(DeviceAssembly device)
    {
        _output.WriteLine("# IL per multiply-accumulate");
        _output.WriteLine();
        _output.WriteLine($"Device assembly: {string.Join(", ", device.Paths.Select(Path.GetFullPath))}");
        bool unoptimized = device.Methods.Where(method => method.Namespace == KernelLoops.KernelNamespace).Any(method => method.HasNop);
        _output.WriteLine(unoptimized
            ? "Its kernel IL has nop instructions: a Debug (unoptimized) build; the deployed Release build is cheaper."
            : "Its kernel IL has no nop: an optimized (Release) build.");
        _output.WriteLine();
    }

    /// <summary>
    /// The static table: the plain reference loops of this tool (checked against their hand
    /// counts and run through the counting interpreter), then every innermost kernel loop.
    /// </summary>
    /// <returns>The reference loops, for the listing.</returns>
    public IReadOnlyList<KernelLoop> WriteStaticLoops(IReadOnlyList<KernelLoop> loops, DeviceAssembly self)
    {
        _output.WriteLine("## Static: innermost loops of the kernels");
        _output.WriteLine();
        _output.WriteLine("IL/iter is the loop's IL range [branch target, backward branch] inclusive; entry IL is paid once per entry");
        _output.WriteLine("(the br to the condition and the last, failing test). MACs/iter counts the mul instructions whose two");
        _output.WriteLine("operands both come from ldelem.i1 (possibly through x - zi); 'mul' counts all of them, index arithmetic included.");
        _output.WriteLine();

        var references = new (IlMethod Method, int Macs, int HandCount, Func<sbyte[], sbyte[], int, int> Compiled)[]
        {
            (self.Find(nameof(PlainDotProducts), nameof(PlainDotProducts.Plain)), 1, PlainDotProducts.PlainInstructions, PlainDotProducts.Plain),
            (self.Find(nameof(PlainDotProducts), nameof(PlainDotProducts.UnrolledBy4)), 4, PlainDotProducts.UnrolledBy4Instructions, PlainDotProducts.UnrolledBy4),
        };
        TextTable table = new TextTable("kernel", "method", "loop IL range", "source", ">depth", ">IL/iter", ">entry IL",
            ">ldelem.i1", ">mul", ">MACs/iter", ">IL/MAC", "path");
        List<KernelLoop> referenceLoops = new();
        foreach (var (method, macs, handCount, _) in references)
        {
            KernelLoop? reference = LoopFinder.Find(method)
                .Where(loop => loop.IsInnermost)
                .Select(loop => new KernelLoop(loop, MacCounter.Count(loop), null))
                .FirstOrDefault(loop => loop.Macs!.Macs == macs);
            if (reference is null || reference.Loop.InstructionCount != handCount)
            {
                _problems.Add($"{method}: the loop finder found no loop of {handCount} IL and {macs} MACs per iteration (the hand count)");
                continue;
            }

            AddStaticRow(table, reference, "plain reference", $"reference (hand count {handCount})");
            referenceLoops.Add(reference);
        }

        foreach (KernelLoop loop in loops)
        {
            AddStaticRow(table, loop, loop.Loop.Method.TypeName, loop.Path ?? string.Empty);
            if (loop.Macs?.Unanalysed is string reason)
            {
                _problems.Add($"{loop.Loop.Method} {loop.Loop.Range}: MACs not counted, {reason}");
            }
        }

        table.Write(_output);
        _output.WriteLine();
        _output.WriteLine($"Plain reference on nanoCLR (NANOCLR.md, measured over 1,000-element vectors): {PlainOnNanoClr} IL/MAC; unrolled by 4: 13.9.");
        _output.WriteLine("The reference rows are PlainDotProducts.Plain and .UnrolledBy4 in this tool (Reference/PlainDotProducts.cs),");
        _output.WriteLine("compiled optimized; their hand counts are in that file.");
        _output.WriteLine();

        // The counting interpreter against NANOCLR.md's measurement: the same loops over 1,000 elements.
        _output.WriteLine("Counting interpreter on the reference loops, 1,000 elements (IL executed per MAC, call overhead included):");
        sbyte[] x = Enumerable.Range(0, 1000).Select(index => (sbyte)((index * 37 % 255) - 127)).ToArray();
        sbyte[] w = Enumerable.Range(0, 1000).Select(index => (sbyte)((index * 91 % 255) - 127)).ToArray();
        foreach (var (method, _, _, compiled) in references)
        {
            CountingInterpreter interpreter = new CountingInterpreter();
            int result = (int)interpreter.Run(method, IlValue.Of(x), IlValue.Of(w), IlValue.Int32(x.Length)).Number;
            int expected = compiled(x, w, x.Length);
            if (result != expected)
            {
                _problems.Add($"{method}: interpreted result {result}, compiled result {expected}");
            }

            _output.WriteLine($"- {method.FullName}: {TextTable.Number(interpreter.TotalInstructions / (double)x.Length, 3)} "
                + $"(result {(result == expected ? "matches" : "DIFFERS from")} the compiled method)");
        }

        _output.WriteLine();
        return referenceLoops;
    }

    /// <summary>The IL of each loop, as ildasm labels it, for checking the counts by hand.</summary>
    public void WriteListings(IEnumerable<KernelLoop> loops)
    {
        _output.WriteLine("## IL of the MAC loops");
        _output.WriteLine();
        foreach (KernelLoop loop in loops)
        {
            IReadOnlyList<IlInstruction> instructions = loop.Loop.Method.Instructions;
            string Text(IlInstruction instruction) => $"{instruction.Label}: {instruction.Mnemonic}" + (instruction.IsBranch
                ? $" {instructions[instruction.Target].Label}"
                : instruction.OpCode.OperandSize > 0 ? $" {instruction.Operand}" : string.Empty);

            _output.WriteLine($"{loop.Loop.Method.FullName} {loop.Loop.Range} ({loop.Path ?? "reference"}): {loop.Loop.InstructionCount} IL, {loop.Macs?.Macs} MAC");
            _output.WriteLine("```");
            if (loop.Loop.ConditionStart >= 0)
            {
                _output.WriteLine($"  {Text(instructions[loop.Loop.Start - 1])}    (entry: once, then the test once more at exit)");
            }

            foreach (IlInstruction instruction in loop.Loop.Instructions)
            {
                _output.WriteLine($"  {Text(instruction)}");
            }

            _output.WriteLine("```");
            _output.WriteLine();
        }
    }

    /// <summary>The dynamic tables of one model: per kernel path from the geometry, per operator counted.</summary>
    public void WriteModel(string name, ModelSummary summary, IReadOnlyList<OperatorMeasurement> measured, IReadOnlyList<KernelLoop> loops)
    {
        _problems.AddRange(measured.SelectMany(measurement => measurement.Problems).Select(problem => $"{name}: {problem}"));
        foreach (OperatorMeasurement measurement in measured)
        {
            long summaryMacs = summary.Operators[measurement.Index].MultiplyAccumulates;
            if (summaryMacs != measurement.Macs)
            {
                _problems.Add($"{name}: operator {measurement.Index}: ModelSummary counts {summaryMacs} MACs, the geometry {measurement.Macs}");
            }
        }

        long modelMacs = summary.MultiplyAccumulates;
        _output.WriteLine($"## Model {name}: {TextTable.Count(modelMacs)} MACs, {summary.Operators.Count} operators");
        _output.WriteLine();
        if (modelMacs == 0)
        {
            _output.WriteLine("No Conv2D or FullyConnected MACs: nothing to weigh.");
            _output.WriteLine();
            return;
        }

        _output.WriteLine("Per kernel path, from the geometry (static loop IL/MAC weighted by each path's share of the model's MACs).");
        _output.WriteLine("current IL/MAC = loop IL/MAC × executed/nominal: border windows skip their padded taps, which the bias carries.");
        _output.WriteLine();
        TextTable paths = new TextTable("kernel", "path", ">plain IL/MAC", ">loop IL/MAC (static)", ">executed/nominal MACs",
            ">current IL/MAC", ">share of model MACs");
        double weighted = 0;
        foreach (KernelLoop loop in loops.Where(loop => loop.Path is not null))
        {
            List<PathMeasurement> forPath = measured.SelectMany(measurement => measurement.Paths).Where(path => path.Loop == loop).ToList();
            long nominal = forPath.Sum(path => path.Split.Nominal);
            long executed = forPath.Sum(path => path.Split.Executed);
            if (nominal == 0)
            {
                continue;
            }

            double current = forPath.Sum(path => path.StaticInstructions) / nominal;
            weighted += current * nominal / modelMacs;
            paths.Add(loop.Loop.Method.TypeName, loop.Path!, PlainOnNanoClr, TextTable.Number(loop.IlPerMac!.Value),
                TextTable.Number((double)executed / nominal, 3), TextTable.Number(current), TextTable.Percent((double)nominal / modelMacs));
        }

        long kernelInstructions = measured.Sum(measurement => measurement.KernelInstructions);
        long innerInstructions = measured.Sum(measurement => measurement.InnerLoopInstructions);
        long calleeInstructions = measured.Sum(measurement => measurement.CalleeInstructions);
        paths.Add("whole model", "inner loops only (weighted)", PlainOnNanoClr, string.Empty, string.Empty, TextTable.Number(weighted), "100.0 %");
        paths.Add("whole model", "all kernel IL executed (counted)", PlainOnNanoClr, string.Empty, string.Empty,
            TextTable.Number((double)kernelInstructions / modelMacs), "100.0 %");
        paths.Write(_output);
        _output.WriteLine();

        _output.WriteLine("Per operator, counted by interpreting the device IL (random int8 input; outputs checked against the net10.0 kernels).");
        _output.WriteLine("all IL = the kernel method and its callees; outside = outer loops, inner-loop entries, per-output requantization and clamp;");
        _output.WriteLine("callees = Requantization.Apply and the arithmetic it calls (and WindowBounds), part of outside.");
        _output.WriteLine();
        TextTable operators = new TextTable(">op", "kind", "geometry", ">MACs", ">share", ">iterations", ">inner-loop IL/MAC",
            ">outside IL/MAC", ">callees IL/MAC", ">all IL/MAC");
        foreach (OperatorMeasurement measurement in measured)
        {
            double macs = measurement.Macs;
            string iterations = string.Join(" + ", measurement.Paths.Where(path => path.Iterations > 0)
                .Select(path => $"{TextTable.Count(path.Iterations)} {path.Loop.Path}"));
            operators.Add(measurement.Index.ToString(), measurement.Kind, measurement.Geometry, TextTable.Count(measurement.Macs),
                TextTable.Percent(macs / modelMacs), iterations,
                TextTable.Number(measurement.InnerLoopInstructions / macs),
                TextTable.Number((measurement.KernelInstructions - measurement.InnerLoopInstructions) / macs),
                TextTable.Number(measurement.CalleeInstructions / macs),
                TextTable.Number(measurement.KernelInstructions / macs));
        }

        operators.Add("all", string.Empty, string.Empty, TextTable.Count(modelMacs), "100.0 %", string.Empty,
            TextTable.Number((double)innerInstructions / modelMacs),
            TextTable.Number((double)(kernelInstructions - innerInstructions) / modelMacs),
            TextTable.Number((double)calleeInstructions / modelMacs),
            TextTable.Number((double)kernelInstructions / modelMacs));
        operators.Write(_output);
        _output.WriteLine();
        string others = string.Join(", ", summary.OperatorCounts
            .Where(pair => pair.Key is not ("Conv2D" or "FullyConnected" or "FullyConnectedPacked" or "Conv2DPacked" or "Conv2DPackedTaps" or "Conv2DTriple" or "FullyConnectedTriple" or "DepthwiseConv3x3"))
            .Select(pair => $"{pair.Value} {pair.Key}")
            .DefaultIfEmpty("none"));
        _output.WriteLine($"Not counted here: operators without MACs (here: {others}) and Interpreter.Invoke's per-operator dispatch (both in the whole inference below).");
        _output.WriteLine();
        if (WriteMethods)
        {
            _output.WriteLine("Per operator and method, counted: executed IL of the method (its callees apart), per MAC of the operator.");
            _output.WriteLine();
            TextTable methods = new TextTable(">op", "method", ">IL", ">IL/MAC");
            foreach (OperatorMeasurement measurement in measured)
            {
                foreach (var (method, instructions) in measurement.MethodInstructions.OrderByDescending(pair => pair.Value))
                {
                    methods.Add(measurement.Index.ToString(), method, TextTable.Count(instructions), TextTable.Number((double)instructions / measurement.Macs));
                }
            }

            methods.Write(_output);
            _output.WriteLine();
        }
    }

    /// <summary>
    /// One whole inference of a model, counted: Interpreter.Invoke with its dispatch, every
    /// operator (with or without MACs), kernels and callees; per MAC of the model.
    /// </summary>
    public void WriteInference(string name, long macs, InferenceMeasurement inference)
    {
        if (!inference.OutputsAgree)
        {
            _problems.Add($"{name}: the interpreted inference and the net10.0 build give different outputs");
        }

        long dispatch = Dispatch(inference);
        string perMac = macs == 0 ? "no MACs" : $"{TextTable.Number((double)inference.Instructions / macs)} IL/MAC";
        _output.WriteLine($"Whole inference of {name}, counted (Interpreter.Invoke interpreted: dispatch, every operator, kernels, callees; random input, outputs checked against the net10.0 build):");
        _output.WriteLine($"{TextTable.Count(inference.Instructions)} IL, {perMac}; of which dispatch {TextTable.Count(dispatch)} IL (Interpreter.* and the records' Invoke).");
        _output.WriteLine();
    }

    /// <summary>Every operator code's sample model, counted as a whole inference: IL per output element and per MAC.</summary>
    public void WriteOperatorSamples(IReadOnlyList<OperatorSampleMeasurement> samples)
    {
        _output.WriteLine("## Every operator, one small instance each");
        _output.WriteLine();
        _output.WriteLine("The sample model of each code (tests/TestModels.Shared/OperatorSamples.cs: the operator alone), counted as a");
        _output.WriteLine("whole inference: dispatch, the operator's kernel and its callees; random input, outputs checked against the net10.0 build.");
        _output.WriteLine();
        TextTable table = new TextTable(">code", "operator", "output", ">MACs", ">output elements", ">IL", ">of which dispatch", ">IL/element", ">IL/MAC");
        foreach (OperatorSampleMeasurement sample in samples)
        {
            if (sample.Inference is not InferenceMeasurement inference)
            {
                table.Add(sample.Code.ToString(), sample.Name, sample.Shape, TextTable.Count(sample.Macs), TextTable.Count(sample.OutputElements), "refused", string.Empty, string.Empty, string.Empty);
                continue;
            }

            if (!inference.OutputsAgree)
            {
                _problems.Add($"operator sample {sample.Code} {sample.Name}: the interpreted inference and the net10.0 build give different outputs");
            }

            long dispatch = Dispatch(inference);
            table.Add(sample.Code.ToString(), sample.Name, sample.Shape, TextTable.Count(sample.Macs), TextTable.Count(sample.OutputElements),
                TextTable.Count(inference.Instructions), TextTable.Count(dispatch),
                TextTable.Number((double)inference.Instructions / sample.OutputElements),
                sample.Macs == 0 ? "-" : TextTable.Number((double)inference.Instructions / sample.Macs));
        }

        table.Write(_output);
        _output.WriteLine();
    }

    /// <summary>Whether <see cref="WriteModel"/> also lists the IL executed per method (--methods).</summary>
    public bool WriteMethods { get; init; }

    /// <summary>Lists the checks that disagree, or says that all agree.</summary>
    /// <returns>True when every check agrees.</returns>
    public bool WriteChecks()
    {
        _output.WriteLine("## Checks");
        _output.WriteLine();
        if (_problems.Count == 0)
        {
            _output.WriteLine("All agree: loop finder = hand counts on the reference loops; interpreted IL = compiled results (reference loops)");
            _output.WriteLine("and net10.0 kernels' outputs (models); per path, geometry split = counted loop iterations × MACs/iter;");
            _output.WriteLine("every inner loop ran its whole range each iteration; ModelSummary MACs = geometry MACs.");
            return true;
        }

        foreach (string problem in _problems)
        {
            _output.WriteLine($"- DISAGREES: {problem}");
        }

        return false;
    }

    // The dispatch: the interpreter's own methods and the records' Invoke (or, in builds before the
    // records, the interpreter's Run and its helpers).
    private static long Dispatch(InferenceMeasurement inference) => inference.PerMethod
        .Where(pair => pair.Key.StartsWith("Interpreter.", StringComparison.Ordinal)
            || (pair.Key.EndsWith(".Invoke", StringComparison.Ordinal) && pair.Key.Contains("Operator.", StringComparison.Ordinal)))
        .Sum(pair => pair.Value);

    private static void AddStaticRow(TextTable table, KernelLoop row, string kernel, string path)
    {
        IlLoop loop = row.Loop;
        MacCount? macs = row.Macs;
        table.Add(kernel, loop.Method.Name, loop.Range, loop.Method.SourceLine(loop.Start) ?? string.Empty,
            loop.Depth.ToString(), loop.InstructionCount.ToString(), loop.EntryInstructions.ToString(),
            macs?.Int8Loads.ToString() ?? "-",
            macs?.Multiplies.ToString() ?? "-",
            macs is null ? "-" : macs.Unanalysed is null ? macs.Macs.ToString() : "?",
            row.IlPerMac is double ilPerMac ? TextTable.Number(ilPerMac) : "-",
            loop.IsStraightLine ? path : (path + " (body branches)").TrimStart());
    }
}
