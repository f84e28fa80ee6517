using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using NanoInt8.Host.Execution;

namespace NanoInt8.Bench.IlPerMac;

/// <summary>What one run of the probe app on nanoCLR gave.</summary>
/// <param name="ExitCode">nanoCLR's exit code (0 ok, 3 unhandled exception such as OutOfMemoryException, 139 crash).</param>
/// <param name="Output">stdout: the probe's lines.</param>
/// <param name="Error">stderr: nanoCLR's messages and, with NF_COUNT=1, the IL count.</param>
public sealed record ProbeRun(int ExitCode, string Output, string Error)
{
    /// <summary>The probe ran to its end ("done" printed, exit code 0).</summary>
    public bool Completed => ExitCode == 0 && Output.Split('\n').Any(line => line.Trim() == "done");

    /// <summary>The interpreter ran out of managed heap (OutOfMemoryException, or a crash on the 64-bit build).</summary>
    public bool OutOfMemory => (ExitCode == 3 && Error.Contains("OutOfMemoryException", StringComparison.Ordinal)) || ExitCode == 139;

    /// <summary>IL instructions executed (NF_COUNT=1), or null when not printed.</summary>
    public long? IlInstructions
    {
        get
        {
            Match match = Regex.Match(Error, @"NF_COUNT il_instructions=(\d+)");
            return match.Success ? long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : null;
        }
    }
}

/// <summary>
/// Builds bench/ModelProbe.nanoclr (a nanoFramework app: one model loaded and run by the device build
/// of the runtime, or the device server idle, or nothing) with the dotnet SDK and runs it on nanoCLR
/// from ../shared/nanoclr or ../shared/nanoclr32. Used by the --nanoclr option here and by bench/NanoHeap.
/// </summary>
public sealed class NanoClrProbe
{
    /// <summary>
    /// The device assemblies the probe runs with, in load order: the runtime (two assemblies,
    /// NanoInt8.Kernels below NanoInt8.Runtime) and the protocol.
    /// </summary>
    public static readonly string[] DeviceAssemblies = { "NanoInt8.Kernels.dll", "NanoInt8.Runtime.dll", "NanoInt8.Device.dll" };

    private readonly string _work;
    private bool _built;

    /// <summary>A probe builder for the checkout at <paramref name="repositoryRoot"/>, building under <paramref name="workFolder"/>.</summary>
    public NanoClrProbe(string repositoryRoot, string workFolder)
    {
        RepositoryRoot = repositoryRoot;
        _work = workFolder;
        Directory.CreateDirectory(workFolder);
    }

    /// <summary>The folder holding NanoInt8.sln.</summary>
    public string RepositoryRoot { get; }

    /// <summary>../shared/nanoclr beside the checkout (x86-64 build).</summary>
    public string NanoClr => Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "nanoclr"));

    /// <summary>The checkout above <paramref name="start"/> (the folder holding NanoInt8.sln), or null.</summary>
    public static string? FindRepositoryRoot(string start)
    {
        for (DirectoryInfo? folder = new(start); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "NanoInt8.sln")))
            {
                return folder.FullName;
            }
        }

        return null;
    }

    /// <summary>
    /// Builds the probe that loads <paramref name="blob"/> and runs it 1, 3 or 50 times (the count is
    /// chosen at each <see cref="Run"/>); returns its output folder.
    /// </summary>
    public string BuildModel(string tag, byte[] blob)
    {
        string model = Path.Combine(_work, tag + ".ni8");
        File.WriteAllBytes(model, blob);
        return Build(tag, "model", "-p:ProbeModelFile=" + model);
    }

    /// <summary>Builds the probe in <paramref name="mode"/> "server" or "empty"; returns its output folder.</summary>
    public string BuildMode(string mode) => Build(mode, mode);

    /// <summary>
    /// Runs the probe in <paramref name="outputFolder"/> with <c>run-nf.sh</c> of <paramref name="nanoClrHome"/>
    /// (also passed as NF_HOME), the runtime and protocol assemblies and, for a model probe, its data
    /// assemblies and the count of <paramref name="inferences"/> (1, 3 or 50; 0 for the other modes).
    /// </summary>
    public static ProbeRun Run(string nanoClrHome, string outputFolder, int inferences, IReadOnlyDictionary<string, string> environment)
    {
        List<string> arguments = new() { Path.Combine(outputFolder, "NanoInt8.ModelProbe.dll") };
        arguments.AddRange(DeviceAssemblies.Select(assembly => Path.Combine(outputFolder, assembly)));
        arguments.AddRange(Directory.GetFiles(outputFolder, "NanoInt8.ProbeData*.dll").Order(StringComparer.Ordinal));
        if (inferences > 0)
        {
            arguments.Add(Path.Combine(outputFolder, "runs" + inferences.ToString(CultureInfo.InvariantCulture), "NanoInt8.ProbeRuns.dll"));
        }

        // run-nf.sh finds its folder through symbolic links; a folder made of links (bench/NanoHeap) needs NF_HOME.
        Dictionary<string, string> variables = new(environment) { ["NF_HOME"] = nanoClrHome };
        return Execute(Path.Combine(nanoClrHome, "run-nf.sh"), arguments, variables);
    }

    /// <summary>Runs a program and collects its exit code and output.</summary>
    public static ProbeRun Execute(string program, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment)
    {
        ProcessStartInfo start = new(program, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach ((string name, string value) in environment)
        {
            start.Environment[name] = value;
        }

        using Process process = Process.Start(start) ?? throw new InvalidOperationException("Cannot start " + program);
        Task<string> error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return new ProbeRun(process.ExitCode, output, error.Result);
    }

    // The probe is built in its own output folder, then its assemblies are copied to a folder per
    // tag. After the first build the runtime and protocol are up to date: later builds skip restore
    // and the project references, which makes one build a few seconds.
    private string Build(string tag, string mode, params string[] properties)
    {
        string project = Path.Combine(RepositoryRoot, "bench", "ModelProbe.nanoclr", "ModelProbe.nanoclr.csproj");
        List<string> arguments = new() { "build", project, "-c", "Release", "-nologo", "-v", "q", "-p:ProbeMode=" + mode };
        if (_built)
        {
            arguments.AddRange(new[] { "--no-restore", "-p:BuildProjectReferences=false" });
        }

        arguments.AddRange(properties);
        string built = Path.Combine(RepositoryRoot, "bench", "ModelProbe.nanoclr", "bin", "Release", "net10.0");
        foreach (string stale in Directory.Exists(built) ? Directory.GetFiles(built, "NanoInt8.ProbeData*.dll") : Array.Empty<string>())
        {
            File.Delete(stale);
        }

        ProbeRun build = Execute("dotnet", arguments, new Dictionary<string, string>());
        if (build.ExitCode != 0)
        {
            throw new InvalidOperationException($"Building the probe ({tag}) failed:\n{build.Output}{build.Error}");
        }

        _built = true;
        string output = Path.Combine(_work, tag);
        if (Directory.Exists(output))
        {
            Directory.Delete(output, recursive: true);
        }

        Directory.CreateDirectory(output);
        IEnumerable<string> data = Directory.GetFiles(built, "NanoInt8.ProbeData*.dll").Select(path => Path.GetFileName(path));
        IEnumerable<string> native = File.Exists(Path.Combine(built, PreparedProbe.RuntimeNative + ".dll")) ? new[] { PreparedProbe.RuntimeNative + ".dll" } : Array.Empty<string>();
        foreach (string assembly in new[] { "NanoInt8.ModelProbe.dll" }.Concat(DeviceAssemblies).Concat(native).Concat(data))
        {
            File.Copy(Path.Combine(built, assembly), Path.Combine(output, assembly));
        }

        foreach (string runs in Directory.GetDirectories(built, "runs*").Concat(Directory.GetDirectories(built, "free*")))
        {
            string folder = Path.Combine(output, Path.GetFileName(runs));
            Directory.CreateDirectory(folder);
            File.Copy(Path.Combine(runs, "NanoInt8.ProbeRuns.dll"), Path.Combine(folder, "NanoInt8.ProbeRuns.dll"));
        }

        return output;
    }
}

/// <summary>
/// A built probe converted to .pe once with nfmdp and run by the interpreter's runner directly: what
/// run-nf.sh does, without converting and hashing every assembly at every run (which costs seconds
/// per run; a heap search makes dozens of runs). On a kernel that cannot run the i386 runner it goes
/// through qemu-i386-static, as nanoclr32's nf-common.sh does.
/// </summary>
public sealed class PreparedProbe
{
    /// <summary>The library whose GC.Run the freeN/ variants of NanoInt8.ProbeRuns call (copied beside the probe by its build).</summary>
    public const string RuntimeNative = "nanoFramework.Runtime.Native";

    // Compiler-made attribute classes in ../shared/nanoclr/libs/nanoFramework.Runtime.Native.dll (built
    // with a current C# compiler) that the package's own build does not have. Converted with them,
    // the .pe's methods sit one place later than the interpreter's native table expects: GC.Run
    // calls the native code of GC.EnableGCMessages, which returns nothing, and nanoCLR aborts
    // (assertion in CLR_RT_StackFrame::Pop, exit 134). Without them GC.Run is GC.Run.
    private static readonly string[] CompilerMadeClasses =
    {
        "Microsoft.CodeAnalysis.EmbeddedAttribute",
        "System.Runtime.CompilerServices.RefSafetyRulesAttribute",
    };

    private readonly string _runner;
    private readonly string _folder;
    private readonly List<string> _modules;
    private readonly bool _throughQemu;

    private PreparedProbe(string runner, bool throughQemu, string folder, List<string> modules)
    {
        _runner = runner;
        _throughQemu = throughQemu;
        _folder = folder;
        _modules = modules;
    }

    /// <summary>Converts the probe in <paramref name="outputFolder"/> for the nanoCLR of <paramref name="nanoClrHome"/>.</summary>
    public static PreparedProbe Prepare(string nanoClrHome, string outputFolder)
    {
        string pe = Path.Combine(outputFolder, "pe");
        Directory.CreateDirectory(pe);
        string mscorlib = Path.Combine(nanoClrHome, "pe", "mscorlib.dll");
        List<string> assemblies = NanoClrProbe.DeviceAssemblies.Select(assembly => Path.Combine(outputFolder, assembly)).ToList();
        assemblies.AddRange(Directory.GetFiles(outputFolder, "NanoInt8.ProbeData*.dll").Order(StringComparer.Ordinal));
        assemblies.AddRange(Directory.GetFiles(outputFolder, RuntimeNative + ".dll"));
        assemblies.AddRange(Directory.GetDirectories(outputFolder, "runs*").Concat(Directory.GetDirectories(outputFolder, "free*"))
            .Select(runs => Path.Combine(runs, "NanoInt8.ProbeRuns.dll")));
        assemblies.Add(Path.Combine(outputFolder, "NanoInt8.ModelProbe.dll"));
        List<string> modules = new() { Path.Combine(nanoClrHome, "pe", "mscorlib.pe") };
        foreach (string assembly in assemblies)
        {
            string relative = Path.GetRelativePath(outputFolder, assembly).Replace(Path.DirectorySeparatorChar, '-');
            string output = Path.Combine(pe, Path.ChangeExtension(relative, ".pe"));
            modules.Add(output);
            if (File.Exists(output) && File.GetLastWriteTimeUtc(output) >= File.GetLastWriteTimeUtc(assembly))
            {
                // Converted already (the 64-bit and the i386 build load the same .pe files).
                continue;
            }

            List<string> arguments = new() { Path.Combine(nanoClrHome, "mdp", "nfmdp.dll"), "-o", output, "--no-pdbx" };
            if (Path.GetFileNameWithoutExtension(assembly) == RuntimeNative)
            {
                arguments.AddRange(CompilerMadeClasses.SelectMany(name => new[] { "--exclude", name }));
            }

            arguments.AddRange(new[] { assembly, mscorlib });
            arguments.AddRange(assemblies.Where(other => other != assembly && !other.EndsWith("NanoInt8.ProbeRuns.dll", StringComparison.Ordinal)));
            ProbeRun conversion = NanoClrProbe.Execute("dotnet", arguments, new Dictionary<string, string>());
            if (conversion.ExitCode != 0)
            {
                throw new InvalidOperationException($"nfmdp failed on {assembly}:\n{conversion.Output}{conversion.Error}");
            }
        }

        string runner = Path.Combine(nanoClrHome, "bin", "nanoFramework.nanoCLR.test");
        return new PreparedProbe(runner, !CanExecute(runner), outputFolder, modules);
    }

    /// <summary>Runs the probe with <paramref name="inferences"/> (1, 3 or 50; 0 for the other modes) in the given environment.</summary>
    public ProbeRun Run(int inferences, IReadOnlyDictionary<string, string> environment) => Run("runs", inferences, environment);

    /// <summary>
    /// Runs the model probe's freeN/ variant (<paramref name="inferences"/> = 50 as built): it also prints
    /// the free bytes after full collections before the first inference, after it and after the last.
    /// </summary>
    public ProbeRun RunMeasuringFreeBytes(int inferences, IReadOnlyDictionary<string, string> environment) => Run("free", inferences, environment);

    /// <summary>The folder the probe was built into.</summary>
    public string Folder => _folder;

    private ProbeRun Run(string variant, int inferences, IReadOnlyDictionary<string, string> environment)
    {
        string chosen = variant + inferences.ToString(CultureInfo.InvariantCulture) + "-";
        bool measuring = variant == "free";
        List<string> arguments = _modules
            .Where(module =>
            {
                string name = Path.GetFileName(module);
                if (name.StartsWith("runs", StringComparison.Ordinal) || name.StartsWith("free", StringComparison.Ordinal))
                {
                    return name.StartsWith(chosen, StringComparison.Ordinal);
                }

                // Loaded only where it is called: it would add its own runtime data to every other run's heap.
                return measuring || Path.GetFileNameWithoutExtension(name) != RuntimeNative;
            })
            .ToList();
        if (_throughQemu)
        {
            arguments.Insert(0, _runner);
        }

        return NanoClrProbe.Execute(_throughQemu ? "qemu-i386-static" : _runner, arguments, environment);
    }

    private static bool CanExecute(string program)
    {
        try
        {
            NanoClrProbe.Execute(program, Array.Empty<string>(), new Dictionary<string, string>());
            return true;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // Exec format error: the kernel cannot run i386 programs.
            return false;
        }
    }
}

/// <summary>
/// IL per MAC measured by the interpreter itself: the model runs on nanoCLR with NF_COUNT=1 once with
/// 1 and once with 3 inferences; (IL of 3 - IL of 1) / 2 is one inference, everything included
/// (every operator, the interpreter's dispatch, requantization), over the model's MACs. Printed beside
/// the counting interpreter's whole inference (InferenceMeasurement: Interpreter.Invoke interpreted, every
/// operator's record and kernel with their callees), so the two counts measure the same code.
/// </summary>
public static class NanoClrIlCount
{
    /// <summary>Writes the table; false when nanoCLR is absent or a run failed.</summary>
    public static bool Write(TextWriter output, IReadOnlyList<(string Name, byte[] Blob, ModelSummary Summary, long CountedInferenceInstructions)> models)
    {
        if (FindProbe(out string missing) is not NanoClrProbe probe)
        {
            output.WriteLine(missing);
            return false;
        }

        output.WriteLine();
        output.WriteLine("## IL per MAC on nanoCLR (NF_COUNT=1: (IL of 3 inferences - IL of 1) / 2 over the model's MACs)");
        output.WriteLine("Both count the whole inference: nanoCLR itself, and this tool's counting interpreter over Interpreter.Invoke.");
        TextTable table = new("model", ">MACs", ">nanoCLR IL/inference", ">nanoCLR IL/MAC", ">counting interpreter IL/inference", ">counting interpreter IL/MAC");
        bool ok = true;
        int modelIndex = 0;
        foreach (var (name, blob, summary, counted) in models)
        {
            long? measured = PerInference(probe, "model" + (modelIndex++).ToString(CultureInfo.InvariantCulture), blob, out string failure);
            if (measured is not long perInference)
            {
                output.WriteLine($"{name}: {failure}");
                ok = false;
                continue;
            }

            long macs = summary.MultiplyAccumulates;
            table.Add(name, TextTable.Count(macs), TextTable.Count(perInference),
                macs == 0 ? "-" : TextTable.Number((double)perInference / macs),
                TextTable.Count(counted),
                macs == 0 ? "-" : TextTable.Number((double)counted / macs));
        }

        table.Write(output);
        output.WriteLine();
        return ok;
    }

    /// <summary>
    /// The probe for <paramref name="blob"/> built (as <paramref name="tag"/>) and run with 1 and with 3
    /// inferences: (IL of 3 − IL of 1) / 2, or null with <paramref name="failure"/> saying why.
    /// </summary>
    public static long? PerInference(NanoClrProbe probe, string tag, byte[] blob, out string failure)
    {
        Dictionary<string, string> count = new() { ["NF_COUNT"] = "1" };
        string built = probe.BuildModel(tag, blob);
        ProbeRun once = NanoClrProbe.Run(probe.NanoClr, built, 1, count);
        ProbeRun thrice = NanoClrProbe.Run(probe.NanoClr, built, 3, count);
        if (!once.Completed || !thrice.Completed || once.IlInstructions is null || thrice.IlInstructions is null)
        {
            failure = $"the probe failed on nanoCLR (exit {once.ExitCode}/{thrice.ExitCode}): {once.Error}{thrice.Error}";
            return null;
        }

        failure = string.Empty;
        return (thrice.IlInstructions.Value - once.IlInstructions.Value) / 2;
    }

    /// <summary>The probe builder for this checkout, or null (with <paramref name="failure"/>) without the checkout or ../shared/nanoclr.</summary>
    public static NanoClrProbe? FindProbe(out string failure)
    {
        string? root = NanoClrProbe.FindRepositoryRoot(AppContext.BaseDirectory);
        if (root is null)
        {
            failure = "--nanoclr: NanoInt8.sln not found above the tool; run it from the checkout.";
            return null;
        }

        NanoClrProbe probe = new(root, Path.Combine(Path.GetTempPath(), "nanoint8-ilpermac-probe"));
        if (!File.Exists(Path.Combine(probe.NanoClr, "run-nf.sh")))
        {
            failure = $"--nanoclr: skipped, {probe.NanoClr} is absent.";
            return null;
        }

        failure = string.Empty;
        return probe;
    }
}
