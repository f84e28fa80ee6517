using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using NanoInt8.Bench.IlPerMac;
using NanoInt8.Bench.NanoHeap;
using NanoInt8.Host.Conversion;
using NanoInt8.Host.Format;
using NanoInt8.Onnx;
using NanoInt8.Runtime;

// The managed heap each sample and bench model needs on the i386 nanoCLR (the ESP32's 12-byte heap
// blocks), checked against the boards; see README.md. This file wires things together and prints.
const string Usage = """
    usage: dotnet run --project bench/NanoHeap -- [--resolution BYTES] [--work DIR]
      --resolution BYTES  precision of the heap search (default 64)
      --work DIR          where probes are built (default: a folder under the system's temp folder)
    exit code: 0 every model the converter fits on a board also runs in that board's heap, 1 one does not,
               2 ../shared/nanoclr32 is absent, or a probe could not be built or run
    """;

const int FreeBytesInferences = 50;
int resolution = 64;
string work = Path.Combine(Path.GetTempPath(), "nanoint8-nanoheap");
for (int index = 0; index < args.Length; index++)
{
    switch (args[index])
    {
        case "--resolution" when index + 1 < args.Length && int.TryParse(args[index + 1], out int value) && value > 0:
            resolution = value;
            index++;
            break;
        case "--work" when index + 1 < args.Length:
            work = Path.GetFullPath(args[++index]);
            break;
        case "--help" or "-h":
            Console.WriteLine(Usage);
            return 0;
        default:
            Console.Error.WriteLine($"Unknown or incomplete argument '{args[index]}'.");
            Console.Error.WriteLine(Usage);
            return 2;
    }
}

string? root = NanoClrProbe.FindRepositoryRoot(Directory.GetCurrentDirectory()) ?? NanoClrProbe.FindRepositoryRoot(AppContext.BaseDirectory);
if (root is null)
{
    Console.Error.WriteLine("NanoInt8.sln not found: run the tool from the checkout.");
    return 2;
}

NanoClrProbe probe = new(root, work);
string nanoclr32 = Path.GetFullPath(Path.Combine(root, "..", "shared", "nanoclr32"));
if (!Directory.Exists(nanoclr32))
{
    Console.Error.WriteLine($"{nanoclr32} is absent: nothing measured.");
    return 2;
}

string nanoclr64 = probe.NanoClr;
if (!File.Exists(Path.Combine(nanoclr64, "bin", "nanoFramework.nanoCLR.test")))
{
    Console.Error.WriteLine($"{nanoclr64} is absent: nothing measured (the allocation check runs there).");
    return 2;
}

try
{
    string home = Nanoclr32Home.Prepare(nanoclr32, work, Console.Out);
    HeapSearch search = new(resolution);

    // The interpreter's own start with the runtime and protocol loaded, and the firmware without a
    // model: the device server idle. The board libraries of Firmware/App.nf cannot be loaded here
    // (their static constructors call native drivers this nanoCLR lacks), so their part is not in it.
    HeapEnvelope baseline = search.Envelope(PreparedProbe.Prepare(home, probe.BuildMode("empty")), 0);
    HeapEnvelope firmware = search.Envelope(PreparedProbe.Prepare(home, probe.BuildMode("server")), 0);

    // Builds one after another (they share the probe's output folder); measures in parallel, the
    // longest first.
    List<(Candidate Candidate, string Probe)> built = Candidates(root)
        .Select(candidate => (candidate, probe.BuildModel(candidate.Name.Replace(' ', '-') + "-" + candidate.Kernels, candidate.Blob)))
        .ToList();
    Measured[] models = new Measured[built.Count];
    int[] order = Enumerable.Range(0, built.Count).OrderByDescending(index => built[index].Candidate.Repeats == FreeBytesInferences ? 0 : 1).ThenByDescending(index => built[index].Candidate.Blob.Length).ToArray();
    Parallel.ForEach(Partitioner.Create(order, EnumerablePartitionerOptions.NoBuffering), new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, index =>
    {
        (Candidate candidate, string folder) = built[index];

        // Whether inference allocates: free bytes after full collections, after the first inference
        // and after the last, on the 64-bit build (native, fast) in its default heap of 10 MB.
        ProbeRun freeRun = PreparedProbe.Prepare(nanoclr64, folder).RunMeasuringFreeBytes(FreeBytesInferences, new Dictionary<string, string>());
        Match free = Regex.Match(freeRun.Output, @"free bytes: (\d+) (\d+) (\d+)");
        if (!freeRun.Completed || !free.Success)
        {
            throw new InvalidOperationException($"{candidate.Name} ({candidate.Kernels}), free bytes over {FreeBytesInferences} inferences: exit {freeRun.ExitCode}\n{freeRun.Output}{freeRun.Error}");
        }

        // The heap, on the i386 build: the blob and the decoded model are alive together while it
        // loads, so the search starts from there.
        int deviceBytes = ModelReader.GetDeviceBytes(candidate.Blob, 0);
        int guess = baseline.HeapBytes + deviceBytes + candidate.Blob.Length;
        HeapEnvelope envelope = search.Envelope(PreparedProbe.Prepare(home, folder), candidate.Repeats, guess);
        models[index] = new Measured(candidate, deviceBytes, envelope,
            int.Parse(free.Groups[2].Value, CultureInfo.InvariantCulture), int.Parse(free.Groups[3].Value, CultureInfo.InvariantCulture));
    });

    bool passed = HeapReport.Write(Console.Out, models, Boards(root), baseline, firmware, FreeBytesInferences, search.Runs);
    Console.WriteLine();
    StackFrames.Write(Console.Out, "NanoInt8.Kernels and NanoInt8.Runtime",
        StackFrames.Read(Path.Combine(built[0].Probe, "NanoInt8.Kernels.dll"), Path.Combine(built[0].Probe, "NanoInt8.Runtime.dll")));
    return passed ? 0 : 1;
}
catch (Exception exception) when (exception is InvalidOperationException or IOException or OnnxFormatException or ConversionException or AggregateException)
{
    Console.Error.WriteLine(exception is AggregateException aggregate ? string.Join(Environment.NewLine, aggregate.InnerExceptions.Select(inner => inner.Message)) : exception.Message);
    return 2;
}

// The sample (as committed: hosttool's default, auto kernels; and converted again with plain and with
// packed kernels) and IlPerMac's bench models,
// each with the inference count of its envelope's repeated runs: 50, but 3 for the bench CNN, whose
// one inference takes 0.5-3 s under qemu (50 would take 20 s to 3 min at every size of the grid). The
// free-bytes check runs 50 inferences of every model.
static IEnumerable<Candidate> Candidates(string root)
{
    string sample = Path.Combine(root, "samples", "vibration");
    yield return new Candidate("vibration", "auto", File.ReadAllBytes(Path.Combine(sample, "model.ni8")), FreeBytesInferences);
    OnnxModel onnx = OnnxModel.Load(File.ReadAllBytes(Path.Combine(sample, "model.qdq.onnx")));
    yield return new Candidate("vibration", "plain", OnnxConverter.Convert(onnx, new ConversionOptions { ModelName = "vibration", Kernels = KernelSelection.Plain }).Blob, FreeBytesInferences);
    yield return new Candidate("vibration", "packed", OnnxConverter.Convert(onnx, new ConversionOptions { ModelName = "vibration", Kernels = KernelSelection.Packed }).Blob, FreeBytesInferences);
    yield return new Candidate("bench CNN", "plain", ModelWriter.Write(SampleModel.Build()), 3);
    yield return new Candidate("bench CNN", "packed", ModelWriter.Write(SampleModel.Build(KernelSelection.Packed)), 3);
    yield return new Candidate("bench MLP", "plain", ModelWriter.Write(SampleMlp.Build()), FreeBytesInferences);
    yield return new Candidate("bench MLP", "packed", ModelWriter.Write(SampleMlp.Build(KernelSelection.Packed)), FreeBytesInferences);
}

static IReadOnlyList<Board> Boards(string root)
{
    List<Board> boards = new();
    foreach (string file in Directory.GetFiles(Path.Combine(root, "boards"), "*.json").Order(StringComparer.Ordinal))
    {
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(file));
        JsonElement board = document.RootElement;
        boards.Add(new Board(board.GetProperty("id").GetString()!, board.GetProperty("managedHeapBytes").GetInt32(), board.GetProperty("modelBudgetBytes").GetInt32()));
    }

    return boards;
}
