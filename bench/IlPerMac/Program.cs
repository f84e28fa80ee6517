using System.Reflection;
using NanoInt8.Bench.IlPerMac;
using NanoInt8.Bench.ModelSuite;
using NanoInt8.Bench.IlPerMac.Analysis;
using NanoInt8.Bench.IlPerMac.Il;
using NanoInt8.Host.Conversion;
using NanoInt8.Host.Execution;
using NanoInt8.Host.Format;
using NanoInt8.Onnx;

// IL instructions per multiply-accumulate of the device kernels (issue 7, "Measuring"); see README.md.
// This file parses the command line and wires things together; Report writes the tables.
const string Usage = """
    usage: dotnet run --project bench/IlPerMac -- [--assembly PATH] [--model MODEL.ni8|MODEL.onnx ...] [--kernels plain|packed|auto] [--listing] [--methods] [--write-sample PATH] [--nanoclr] [--suite ...]
      --assembly PATH      device assembly to read, repeatable: the first is the runtime, the others the device assemblies it
                           references (default: the Release builds of Firmware/Runtime.CompileCheck, NanoInt8.Runtime.Nano.dll,
                           and Firmware/Kernels.CompileCheck, NanoInt8.Kernels.Nano.dll, built with this tool)
      --model PATH         model to measure, repeatable; default: the built-in sample CNN (SampleModel.cs) and MLP (SampleMlp.cs), plain
                           and with packed kernels
      --kernels K          kernels an .onnx model is converted with: plain (default), packed or auto (hosttool convert's default)
      --listing            also print the IL of every MAC loop, instruction by instruction
      --methods            also print, per operator, the IL executed in each method
      --write-sample PATH  also write the built-in sample model to PATH as .ni8
      --runtime PATH       the net10.0 NanoInt8.Runtime.dll built from the same sources as --assembly (e.g. an older commit's):
                           only whole inferences are measured, through its public API
      --nanoclr            also run each model on nanoCLR (../shared/nanoclr) with NF_COUNT=1 and print its IL/MAC
                           beside the counting interpreter's whole inference (NanoClrProbe.cs)
      --suite              measure the benchmark suite (bench/ModelSuite) and samples/vibration instead, one table per kernel
                           choice (plain, packed, auto), whole inferences; with --nanoclr, nanoCLR's count beside
      --only NAME          with --suite: only the suite models whose name contains NAME (repeatable)
      --choices LIST       with --suite: the kernel choices, comma-separated (default plain,packed,auto)
      --operators          with --suite: also where each model's IL goes, operator by operator
      --write-suite DIR    write each suite model's float and QDQ .onnx into DIR (to convert or measure them one by one)
    exit code: 0 every check agrees, 1 a check disagrees, 2 usage or input error
    """;

List<string> assemblyPaths = new();
List<string> modelPaths = new();
bool listing = false;
bool methods = false;
bool nanoClr = false;
KernelSelection kernels = KernelSelection.Plain;
string? samplePath = null;
string? runtimePath = null;
bool suite = false;
bool operators = false;
List<string> only = new();
List<KernelSelection> choices = new() { KernelSelection.Plain, KernelSelection.Packed, KernelSelection.Auto };
for (int index = 0; index < args.Length; index++)
{
    string argument = args[index];
    bool hasValue = index + 1 < args.Length;
    switch (argument)
    {
        case "--assembly" when hasValue:
            assemblyPaths.Add(args[++index]);
            break;
        case "--model" when hasValue:
            modelPaths.Add(args[++index]);
            break;
        case "--kernels" when hasValue && ParseChoice(args[index + 1]) is KernelSelection choice:
            kernels = choice;
            index++;
            break;
        case "--suite":
            suite = true;
            break;
        case "--operators":
            operators = true;
            break;
        case "--write-suite" when hasValue:
            string folder = args[++index];
            Directory.CreateDirectory(folder);
            foreach (SuiteModel model in BenchSuite.Models)
            {
                File.WriteAllBytes(Path.Combine(folder, model.Name + ".onnx"), model.FloatOnnx());
                File.WriteAllBytes(Path.Combine(folder, model.Name + ".qdq.onnx"), model.QdqOnnx());
            }

            Console.WriteLine($"Wrote {BenchSuite.Models.Count} float and QDQ models to {folder}.");
            return 0;
        case "--only" when hasValue:
            only.Add(args[++index]);
            break;
        case "--choices" when hasValue && args[index + 1].Split(',').All(name => ParseChoice(name) is not null):
            choices = args[++index].Split(',').Select(name => ParseChoice(name)!.Value).ToList();
            break;
        case "--runtime" when hasValue:
            runtimePath = args[++index];
            break;
        case "--write-sample" when hasValue:
            samplePath = args[++index];
            break;
        case "--methods":
            methods = true;
            break;
        case "--listing":
            listing = true;
            break;
        case "--nanoclr":
            nanoClr = true;
            break;
        case "--help" or "-h":
            Console.WriteLine(Usage);
            return 0;
        default:
            Console.Error.WriteLine(argument is "--assembly" or "--model" or "--write-sample" or "--kernels" or "--only" or "--choices" or "--write-suite"
                ? $"{argument} needs a value (--kernels: plain, packed or auto; --choices: a comma-separated list of them)."
                : $"Unknown argument '{argument}'.");
            Console.Error.WriteLine(Usage);
            return 2;
    }
}

// The build writes the Release compile checks' paths into this assembly (IlPerMac.csproj), the runtime's first.
if (assemblyPaths.Count == 0)
{
    assemblyPaths.AddRange(typeof(SampleModel).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Where(attribute => attribute.Key.StartsWith("DeviceAssembly", StringComparison.Ordinal))
        .OrderBy(attribute => attribute.Key, StringComparer.Ordinal).Select(attribute => attribute.Value ?? string.Empty));
}

string? missingAssembly = assemblyPaths.Count == 0 ? "(none)" : assemblyPaths.FirstOrDefault(path => !File.Exists(path));
if (missingAssembly is not null)
{
    Console.Error.WriteLine($"The device assembly '{missingAssembly}' does not exist: build the tool (dotnet build bench/IlPerMac) or pass --assembly.");
    return 2;
}

string assemblyPath = assemblyPaths[0];
string[] referencedAssemblies = assemblyPaths.Skip(1).ToArray();

if (suite)
{
    using DeviceAssembly suiteDevice = DeviceAssembly.Open(assemblyPath, referencedAssemblies);
    NanoClrProbe? probe = null;
    if (nanoClr && (probe = NanoClrIlCount.FindProbe(out string missing)) is null)
    {
        Console.Error.WriteLine(missing);
        return 2;
    }

    List<SuiteEntry> entries = SuiteEntries(only);
    if (entries.Count == 0)
    {
        Console.Error.WriteLine("--only matches no suite model.");
        return 2;
    }

    SuiteReport suiteReport = new(Console.Out, suiteDevice) { WriteOperators = operators, WriteMethods = methods, NanoClr = probe };
    return suiteReport.Write(entries, choices) ? 0 : 1;
}

List<(string Name, byte[] Blob)> models = new();
try
{
    if (modelPaths.Count == 0 || samplePath is not null)
    {
        byte[] sample = ModelWriter.Write(SampleModel.Build());
        if (samplePath is not null)
        {
            File.WriteAllBytes(samplePath, sample);
        }

        if (modelPaths.Count == 0)
        {
            models.Add((SampleModel.Name, sample));
            models.Add((SampleModel.PackedName, ModelWriter.Write(SampleModel.Build(KernelSelection.Packed))));
            models.Add((SampleMlp.Name, ModelWriter.Write(SampleMlp.Build())));
            models.Add((SampleMlp.PackedName, ModelWriter.Write(SampleMlp.Build(KernelSelection.Packed))));
        }
    }

    foreach (string path in modelPaths)
    {
        models.Add((path, LoadModel(path, kernels)));
    }
}
catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or OnnxFormatException
    or ConversionException or ModelFormatException)
{
    Console.Error.WriteLine(exception.Message);
    return 2;
}

using DeviceAssembly device = DeviceAssembly.Open(assemblyPath, referencedAssemblies);
// The net10.0 runtime whole inferences are prepared with: this tool's, or another build's (--runtime).
Assembly runtime = runtimePath is null ? typeof(NanoInt8.Runtime.Interpreter).Assembly : RuntimeAssembly.Load(runtimePath);
using DeviceAssembly self = DeviceAssembly.Open(typeof(SampleModel).Assembly.Location);
IReadOnlyList<KernelLoop> loops = KernelLoops.Analyse(device);
Report report = new Report(Console.Out) { WriteMethods = methods };
report.WriteHeader(device);
IReadOnlyList<KernelLoop> references = report.WriteStaticLoops(loops, self);
if (listing)
{
    report.WriteListings(loops.Where(loop => loop.Macs is { Macs: > 0 }).Concat(references));
}

List<(string Name, byte[] Blob, ModelSummary Summary, long CountedInferenceInstructions)> measured = new();
foreach (var (name, blob) in models)
{
    ModelSummary summary;
    try
    {
        summary = ModelSummary.FromBlob(blob);
    }
    catch (Exception exception) when (exception is ModelLoadException or ModelFormatException)
    {
        Console.Error.WriteLine($"{name}: {exception.Message}");
        return 2;
    }

    if (runtimePath is null)
    {
        report.WriteModel(name, summary, ModelMeasurement.Measure(blob, device, loops), loops);
    }

    InferenceMeasurement inference = InferenceMeasurement.Measure(blob, device, runtime);
    report.WriteInference(name, summary.MultiplyAccumulates, inference);
    measured.Add((name, blob, summary, inference.Instructions));
}

if (modelPaths.Count == 0)
{
    report.WriteOperatorSamples(OperatorSampleMeasurement.MeasureAll(device, runtime));
}

bool requantizationAgrees = RequantizationCost.Write(Console.Out, device);
bool nanoClrRan = !nanoClr || NanoClrIlCount.Write(Console.Out, measured);
return report.WriteChecks() && requantizationAgrees && nanoClrRan ? 0 : 1;

static KernelSelection? ParseChoice(string name) => name switch
{
    "plain" => KernelSelection.Plain,
    "packed" => KernelSelection.Packed,
    "auto" => KernelSelection.Auto,
    _ => null,
};

// The suite's models (bench/ModelSuite) and the vibration sample's QDQ model, each converted as hosttool convert does.
static List<SuiteEntry> SuiteEntries(List<string> only)
{
    List<SuiteEntry> entries = BenchSuite.Models
        .Select(model => new SuiteEntry(model.Name, model.Description, choice => model.Convert(choice).Blob))
        .ToList();
    string? root = NanoClrProbe.FindRepositoryRoot(AppContext.BaseDirectory);
    string vibration = Path.Combine(root ?? ".", "samples", "vibration", "model.qdq.onnx");
    if (File.Exists(vibration))
    {
        entries.Add(new SuiteEntry("samples/vibration", "samples/vibration/model.qdq.onnx: [1,1,128] Conv1d k5 1->8, Conv1d k5 s2 8->16, GlobalAveragePool, Gemm 16->3",
            choice => LoadModel(vibration, choice)));
    }

    return only.Count == 0 ? entries : entries.Where(entry => only.Any(name => entry.Name.Contains(name, StringComparison.Ordinal))).ToList();
}

// An .ni8 file as it is, anything else read as ONNX and converted in memory, as hosttool does.
static byte[] LoadModel(string path, KernelSelection kernels)
{
    byte[] bytes = File.ReadAllBytes(path);
    bool isNi8 = Path.GetExtension(path).Equals(".ni8", StringComparison.OrdinalIgnoreCase) || bytes.AsSpan().StartsWith("NI8M"u8);
    return isNi8
        ? bytes
        : OnnxConverter.Convert(OnnxModel.Load(bytes), new ConversionOptions { ModelName = Path.GetFileNameWithoutExtension(path), Kernels = kernels }).Blob;
}
