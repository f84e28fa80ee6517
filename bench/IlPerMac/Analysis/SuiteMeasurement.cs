using NanoInt8.Bench.IlPerMac.Il;
using NanoInt8.Host.Execution;
using NanoInt8.Runtime;
using NanoInt8.Runtime.Operators;

namespace NanoInt8.Bench.IlPerMac.Analysis;

/// <summary>One operator of a suite model, counted as it runs in a whole inference.</summary>
/// <param name="Index">Execution order.</param>
/// <param name="Kind">The operator's code name.</param>
/// <param name="Description">Its shapes, as ModelSummary describes them.</param>
/// <param name="Macs">Its MACs as the runtime counts them (taps on padding left out), in the plain kernels.</param>
/// <param name="OutputElements">Elements it writes.</param>
/// <param name="Instructions">IL its record's Invoke executed, kernel and callees included.</param>
/// <param name="PerMethod">The same IL per method (Type.Method).</param>
public sealed record SuiteOperator(int Index, string Kind, string Description, long Macs, long OutputElements, long Instructions,
    IReadOnlyDictionary<string, long> PerMethod);

/// <summary>One converted model measured by the counting interpreter.</summary>
/// <param name="Macs">The runtime's MAC count of one inference (plain kernels, RuntimeCounters: taps on padding left out).</param>
/// <param name="Inference">Interpreter.Invoke interpreted: the whole inference.</param>
/// <param name="Operators">Each operator's record run alone, in order, over the same interpreter state.</param>
/// <param name="DeviceBytes">The header's deviceBytes.</param>
/// <param name="PreparedBytes">The interpreter records' heap bytes.</param>
/// <param name="OutputsAgree">Whether both counted runs gave the net10.0 build's outputs.</param>
public sealed record SuiteMeasurement(long Macs, InferenceMeasurement Inference, IReadOnlyList<SuiteOperator> Operators, long DeviceBytes, long PreparedBytes, bool OutputsAgree)
{
    /// <summary>Counts one inference of <paramref name="blob"/>; <paramref name="macs"/> is the runtime's count for the model.</summary>
    public static SuiteMeasurement Measure(byte[] blob, long macs, IReadOnlyList<long> operatorMacs, DeviceAssembly device)
    {
        InferenceMeasurement inference = InferenceMeasurement.Measure(blob, device, typeof(Interpreter).Assembly);
        Model model = Read(blob);
        ModelSummary summary = ModelSummary.FromBlob(blob);
        Interpreter interpreted = new Interpreter(model);
        Interpreter reference = new Interpreter(model);
        SetRandomInputs(model, interpreted, reference);
        List<SuiteOperator> operators = new();
        for (int index = 0; index < model.OperatorCount; index++)
        {
            PreparedOperator record = interpreted.GetOperator(index);
            CountingInterpreter counter = new CountingInterpreter();
            counter.Run(device.Find(record.GetType().Name, nameof(PreparedOperator.Invoke)), IlValue.Of(record));
            OperatorSummary line = summary.Operators[index];
            string shapes = string.Join(" + ", line.InputShapes.Select(Shape)) + " -> " + Shape(line.OutputShape);
            operators.Add(new SuiteOperator(index, line.Kind, shapes, index < operatorMacs.Count ? operatorMacs[index] : 0,
                line.OutputElements, counter.TotalInstructions,
                counter.Counts.GroupBy(pair => $"{pair.Key.TypeName}.{pair.Key.Name}").ToDictionary(group => group.Key, group => group.Sum(pair => pair.Value.Sum()))));
        }

        reference.Invoke();
        bool agree = inference.OutputsAgree && SameOutputs(model, interpreted, reference);
        return new SuiteMeasurement(macs, inference, operators, model.DeviceBytes, Interpreter.PreparedBytes(model), agree);
    }

    /// <summary>
    /// The runtime's MAC count of one inference of <paramref name="blob"/> (its net10.0 build's
    /// RuntimeCounters: the filter taps each kernel summed; the plain kernels leave out the taps on
    /// padding), in total and per operator.
    /// </summary>
    public static (long Total, IReadOnlyList<long> PerOperator) RuntimeMacs(byte[] blob)
    {
        Model model = Read(blob);
        Interpreter interpreter = new Interpreter(model);
        SetRandomInputs(model, interpreter, null);
        List<long> perOperator = new();
        long total = 0;
        for (int index = 0; index < model.OperatorCount; index++)
        {
            RuntimeCounters.Reset();
            interpreter.GetOperator(index).Invoke();
            perOperator.Add(RuntimeCounters.MultiplyAccumulates);
            total += RuntimeCounters.MultiplyAccumulates;
        }

        return (total, perOperator);
    }

    private static string Shape(IReadOnlyList<int> shape) => "[" + string.Join(",", shape) + "]";

    private static Model Read(byte[] blob)
    {
        ModelError error = ModelReader.TryRead(blob, int.MaxValue, out Model model);
        return error == ModelError.None ? model : throw new InvalidOperationException($"the device reader refuses the model: {error}");
    }

    private static void SetRandomInputs(Model model, Interpreter first, Interpreter? second)
    {
        Random random = new Random(20261128);
        for (int input = 0; input < model.InputCount; input++)
        {
            sbyte[] data = new sbyte[first.GetInputInfo(input).ElementCount];
            for (int element = 0; element < data.Length; element++)
            {
                data[element] = (sbyte)random.Next(-128, 128);
            }

            first.SetInput(input, data, 0);
            second?.SetInput(input, data, 0);
        }
    }

    private static bool SameOutputs(Model model, Interpreter first, Interpreter second)
    {
        for (int output = 0; output < model.OutputCount; output++)
        {
            int count = first.GetOutputInfo(output).ElementCount;
            sbyte[] mine = new sbyte[count];
            sbyte[] theirs = new sbyte[count];
            first.GetOutput(output, mine, 0);
            second.GetOutput(output, theirs, 0);
            if (!mine.AsSpan().SequenceEqual(theirs))
            {
                return false;
            }
        }

        return true;
    }
}
