using NanoInt8.Bench.IlPerMac;

namespace NanoInt8.Bench.NanoHeap;

/// <summary>
/// Where run-nf.sh of the i386 nanoCLR can run from. ../shared/nanoclr32 itself when it has its
/// runner (bin/nanoFramework.nanoCLR.test); otherwise a folder under the work folder that links
/// everything of ../shared/nanoclr32 and adds bin/ with nanoclr32-launcher.c built by gcc -m32
/// (Debian: gcc-multilib; running it needs libc6-i386 and lib32stdc++6, .ci/run installs them).
/// </summary>
internal static class Nanoclr32Home
{
    private const string Runner = "bin/nanoFramework.nanoCLR.test";

    public static string Prepare(string nanoclr32, string workFolder, TextWriter log)
    {
        if (File.Exists(Path.Combine(nanoclr32, Runner)))
        {
            return nanoclr32;
        }

        string home = Path.Combine(workFolder, "nanoclr32-home");
        if (Directory.Exists(home))
        {
            Directory.Delete(home, recursive: true);
        }

        Directory.CreateDirectory(Path.Combine(home, "bin"));
        foreach (string entry in Directory.EnumerateFileSystemEntries(nanoclr32))
        {
            string link = Path.Combine(home, Path.GetFileName(entry));
            if (Directory.Exists(entry))
            {
                Directory.CreateSymbolicLink(link, entry);
            }
            else
            {
                File.CreateSymbolicLink(link, entry);
            }
        }

        string source = Path.Combine(AppContext.BaseDirectory, "nanoclr32-launcher.c");
        ProbeRun gcc = NanoClrProbe.Execute("gcc", new[]
        {
            "-m32", "-O2", "-o", Path.Combine(home, Runner), source,
            Path.Combine(nanoclr32, "lib", "nanoFramework.nanoCLR.so"), "-Wl,-rpath,$ORIGIN/../lib",
        }, new Dictionary<string, string>());
        if (gcc.ExitCode != 0)
        {
            throw new InvalidOperationException($"{nanoclr32} has no {Runner} and building one failed (needs gcc-multilib):\n{gcc.Error}");
        }

        log.WriteLine($"{nanoclr32} has no {Runner}: using {home} (nanoclr32-launcher.c built with gcc -m32).");
        return home;
    }
}
