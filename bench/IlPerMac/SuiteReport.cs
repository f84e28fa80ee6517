using NanoInt8.Bench.IlPerMac.Analysis;
using NanoInt8.Bench.IlPerMac.Il;
using NanoInt8.Host.Conversion;
using NanoInt8.Runtime;

namespace NanoInt8.Bench.IlPerMac;

/// <summary>A model of the suite run: a name, its layers, and its conversion with each kernel choice.</summary>
/// <param name="Name">As the tables print it.</param>
/// <param name="Description">Its layers.</param>
/// <param name="Convert">The .ni8 bytes for a kernel choice.</param>
public sealed record SuiteEntry(string Name, string Description, Func<KernelSelection, byte[]> Convert);

/// <summary>
/// The suite tables of issue 15: per kernel choice one table of every model's whole inference,
/// executed IL per MAC counted by this tool's interpreter and, with --nanoclr, by nanoCLR itself,
/// over the runtime's MAC count, and the device bytes the choice costs. With --operators also,
/// per model and choice, where the IL goes operator by operator.
/// </summary>
public sealed class SuiteReport
{
    private readonly TextWriter _output;
    private readonly DeviceAssembly _device;
    private readonly List<string> _problems = new();

    /// <summary>Writes to <paramref name="output"/>, measuring <paramref name="device"/>'s IL.</summary>
    public SuiteReport(TextWriter output, DeviceAssembly device)
    {
        _output = output;
        _device = device;
    }

    /// <summary>Print the per-operator tables too.</summary>
    public bool WriteOperators { get; init; }

    /// <summary>With <see cref="WriteOperators"/>, also the IL of each method an operator ran.</summary>
    public bool WriteMethods { get; init; }

    /// <summary>The probe runner for nanoCLR's own count, or null to leave that column out.</summary>
    public NanoClrProbe? NanoClr { get; init; }

    /// <summary>Measures and writes; false when a check disagreed or a nanoCLR run failed.</summary>
    public bool Write(IReadOnlyList<SuiteEntry> models, IReadOnlyList<KernelSelection> choices)
    {
        _output.WriteLine();
        _output.WriteLine("## Suite: whole inferences per kernel choice (issue 15)");
        _output.WriteLine();
        _output.WriteLine("MACs: the runtime's count of one inference (RuntimeCounters of the plain kernels: taps on padding left out), the");
        _output.WriteLine("denominator of every IL/MAC below. Counted: Interpreter.Invoke interpreted by this tool. nanoCLR: NF_COUNT=1,");
        _output.WriteLine("(IL of 3 inferences - IL of 1) / 2. Device bytes: the header's deviceBytes (arena, constants, tables, scratch);");
        _output.WriteLine("records: the interpreter's operator records beside them.");
        _output.WriteLine();
        foreach (SuiteEntry model in models)
        {
            _output.WriteLine($"- {model.Name}: {model.Description}");
        }

        Dictionary<(string, KernelSelection), (SuiteMeasurement Measurement, long? NanoClr)> results = new();
        int probeIndex = 0;
        foreach (SuiteEntry model in models)
        {
            byte[] plain = model.Convert(KernelSelection.Plain);
            (long macs, IReadOnlyList<long> operatorMacs) = SuiteMeasurement.RuntimeMacs(plain);
            sbyte[][] plainOutputs = RunNet(plain);
            foreach (KernelSelection choice in choices)
            {
                byte[] blob = choice == KernelSelection.Plain ? plain : model.Convert(choice);
                SuiteMeasurement measurement = SuiteMeasurement.Measure(blob, macs, operatorMacs, _device);
                if (!measurement.OutputsAgree)
                {
                    _problems.Add($"{model.Name}, {Name(choice)}: the interpreted device IL and the net10.0 build give different outputs");
                }

                if (!Same(plainOutputs, RunNet(blob)))
                {
                    _problems.Add($"{model.Name}, {Name(choice)}: the outputs differ from the plain kernels'");
                }

                long? nanoClr = null;
                if (NanoClr is not null)
                {
                    nanoClr = NanoClrIlCount.PerInference(NanoClr, "suite" + probeIndex++, blob, out string failure);
                    if (nanoClr is null)
                    {
                        _problems.Add($"{model.Name}, {Name(choice)}: {failure}");
                    }
                }

                results[(model.Name, choice)] = (measurement, nanoClr);
                if (WriteOperators)
                {
                    WriteOperatorTable(model.Name, choice, measurement);
                }
            }
        }

        foreach (KernelSelection choice in choices)
        {
            _output.WriteLine();
            _output.WriteLine($"### --kernels {Name(choice)}");
            _output.WriteLine();
            TextTable table = new("model", ">MACs", ">device bytes", ">records bytes", ">counted IL/inference", ">counted IL/MAC", ">nanoCLR IL/inference", ">nanoCLR IL/MAC");
            foreach (SuiteEntry model in models)
            {
                (SuiteMeasurement measurement, long? nanoClr) = results[(model.Name, choice)];
                long macs = measurement.Macs;
                long counted = measurement.Inference.Instructions;
                table.Add(model.Name, TextTable.Count(macs), TextTable.Count(measurement.DeviceBytes), TextTable.Count(measurement.PreparedBytes),
                    TextTable.Count(counted), PerMac(counted, macs),
                    nanoClr is long perInference ? TextTable.Count(perInference) : "-",
                    nanoClr is long measured ? PerMac(measured, macs) : "-");
            }

            table.Write(_output);
        }

        _output.WriteLine();
        if (_problems.Count == 0)
        {
            _output.WriteLine("Suite checks: every counted run gave the net10.0 build's outputs, and every kernel choice the plain kernels' outputs.");
        }
        else
        {
            _output.WriteLine("Suite checks FAILED:");
            foreach (string problem in _problems)
            {
                _output.WriteLine("- " + problem);
            }
        }

        return _problems.Count == 0;
    }

    /// <summary>The option's spelling of a kernel choice.</summary>
    public static string Name(KernelSelection choice) => choice.ToString().ToLowerInvariant();

    private void WriteOperatorTable(string model, KernelSelection choice, SuiteMeasurement measurement)
    {
        _output.WriteLine();
        _output.WriteLine($"#### {model}, --kernels {Name(choice)}: {TextTable.Count(measurement.Inference.Instructions)} IL, {PerMac(measurement.Inference.Instructions, measurement.Macs)} IL/MAC");
        _output.WriteLine();
        TextTable table = new(">op", "kind", "shapes", ">MACs", ">IL", ">IL/MAC", ">IL/output", ">share of IL");
        foreach (SuiteOperator line in measurement.Operators)
        {
            table.Add(line.Index.ToString(System.Globalization.CultureInfo.InvariantCulture), line.Kind, line.Description, TextTable.Count(line.Macs),
                TextTable.Count(line.Instructions), PerMac(line.Instructions, line.Macs),
                line.OutputElements == 0 ? "-" : TextTable.Number((double)line.Instructions / line.OutputElements, 1),
                TextTable.Percent((double)line.Instructions / measurement.Inference.Instructions));
        }

        table.Write(_output);
        if (!WriteMethods)
        {
            return;
        }

        foreach (SuiteOperator line in measurement.Operators.Where(line => line.Instructions > 1000))
        {
            _output.WriteLine();
            _output.WriteLine($"op {line.Index} {line.Kind}: " + string.Join(", ", line.PerMethod.OrderByDescending(pair => pair.Value)
                .Select(pair => $"{pair.Key} {TextTable.Count(pair.Value)} ({(line.OutputElements == 0 ? "-" : TextTable.Number((double)pair.Value / line.OutputElements, 1))}/output)")));
        }
    }

    private static string PerMac(long instructions, long macs) => macs == 0 ? "-" : TextTable.Number((double)instructions / macs);

    // The net10.0 build's outputs for one fixed random input.
    private static sbyte[][] RunNet(byte[] blob)
    {
        ModelError error = ModelReader.TryRead(blob, int.MaxValue, out Model model);
        if (error != ModelError.None)
        {
            throw new InvalidOperationException($"the device reader refuses the model: {error}");
        }

        Interpreter interpreter = new(model);
        Random random = new(15);
        for (int input = 0; input < model.InputCount; input++)
        {
            sbyte[] data = new sbyte[interpreter.GetInputInfo(input).ElementCount];
            for (int element = 0; element < data.Length; element++)
            {
                data[element] = (sbyte)random.Next(-128, 128);
            }

            interpreter.SetInput(input, data, 0);
        }

        interpreter.Invoke();
        sbyte[][] outputs = new sbyte[model.OutputCount][];
        for (int output = 0; output < outputs.Length; output++)
        {
            outputs[output] = new sbyte[interpreter.GetOutputInfo(output).ElementCount];
            interpreter.GetOutput(output, outputs[output], 0);
        }

        return outputs;
    }

    private static bool Same(sbyte[][] first, sbyte[][] second) =>
        first.Length == second.Length && first.Zip(second).All(pair => pair.First.AsSpan().SequenceEqual(pair.Second));
}
