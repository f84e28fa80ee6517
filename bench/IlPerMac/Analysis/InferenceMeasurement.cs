using System.Reflection;
using NanoInt8.Bench.IlPerMac.Il;

namespace NanoInt8.Bench.IlPerMac.Analysis;

/// <summary>One whole inference counted: every IL instruction Interpreter.Invoke executes.</summary>
/// <param name="Instructions">IL executed by Interpreter.Invoke and everything it calls.</param>
/// <param name="PerMethod">IL executed per method (Type.Method).</param>
/// <param name="OutputsAgree">Whether the interpreted run's graph outputs equal the net10.0 build's.</param>
public sealed record InferenceMeasurement(long Instructions, IReadOnlyDictionary<string, long> PerMethod, bool OutputsAgree)
{
    /// <summary>
    /// Counts one inference of an .ni8 blob: the model is read and an interpreter created by the
    /// net10.0 build of the runtime (<paramref name="runtime"/>, reached by reflection only, so any
    /// build with the public API ModelReader.TryRead / new Interpreter(model) / SetInput / Invoke /
    /// GetOutput serves: this one, or one of an older commit with --runtime), then
    /// Interpreter.Invoke of the device assembly is interpreted over that interpreter object:
    /// the per-operator dispatch, every operator (with or without MACs), kernels and callees.
    /// A second interpreter runs the same random input in the net10.0 build and the outputs are compared.
    /// </summary>
    public static InferenceMeasurement Measure(byte[] blob, DeviceAssembly device, Assembly runtime)
    {
        Type reader = runtime.GetType("NanoInt8.Runtime.ModelReader", throwOnError: true)!;
        Type interpreterType = runtime.GetType("NanoInt8.Runtime.Interpreter", throwOnError: true)!;
        object?[] read = { blob, int.MaxValue, null };
        // TryRead(blob, deviceBudget, out model); a newer runtime also has an overload with a work budget.
        object error = reader.GetMethods().Single(method => method.Name == "TryRead" && method.GetParameters().Length == read.Length).Invoke(null, read)!;
        if (Convert.ToInt32(error) != 0)
        {
            throw new InvalidOperationException($"the device reader refuses the model: {error}");
        }

        object model = read[2]!;
        object interpreted = Activator.CreateInstance(interpreterType, model)!;
        object reference = Activator.CreateInstance(interpreterType, model)!;
        int inputCount = (int)model.GetType().GetProperty("InputCount")!.GetValue(model)!;
        int outputCount = (int)model.GetType().GetProperty("OutputCount")!.GetValue(model)!;
        Random random = new Random(20261128);
        for (int input = 0; input < inputCount; input++)
        {
            sbyte[] data = new sbyte[ElementCount(interpreterType.GetMethod("GetInputInfo")!.Invoke(interpreted, new object[] { input })!)];
            for (int element = 0; element < data.Length; element++)
            {
                data[element] = (sbyte)random.Next(-128, 128);
            }

            interpreterType.GetMethod("SetInput")!.Invoke(interpreted, new object[] { input, data, 0 });
            interpreterType.GetMethod("SetInput")!.Invoke(reference, new object[] { input, data, 0 });
        }

        CountingInterpreter counter = new CountingInterpreter();
        // Invoke() (this only), not Invoke(IInferenceMonitor), which the device server calls.
        counter.Run(device.Find("Interpreter", "Invoke", parameterCount: 1), IlValue.Of(interpreted));
        interpreterType.GetMethod("Invoke", Type.EmptyTypes)!.Invoke(reference, null);

        bool agree = true;
        for (int output = 0; output < outputCount; output++)
        {
            int count = ElementCount(interpreterType.GetMethod("GetOutputInfo")!.Invoke(interpreted, new object[] { output })!);
            sbyte[] mine = new sbyte[count];
            sbyte[] theirs = new sbyte[count];
            interpreterType.GetMethod("GetOutput")!.Invoke(interpreted, new object[] { output, mine, 0 });
            interpreterType.GetMethod("GetOutput")!.Invoke(reference, new object[] { output, theirs, 0 });
            agree &= mine.AsSpan().SequenceEqual(theirs);
        }

        Dictionary<string, long> perMethod = counter.Counts
            .GroupBy(pair => $"{pair.Key.TypeName}.{pair.Key.Name}")
            .ToDictionary(group => group.Key, group => group.Sum(pair => pair.Value.Sum()));
        return new InferenceMeasurement(counter.TotalInstructions, perMethod, agree);
    }

    private static int ElementCount(object tensorInfo) => (int)tensorInfo.GetType().GetProperty("ElementCount")!.GetValue(tensorInfo)!;
}
