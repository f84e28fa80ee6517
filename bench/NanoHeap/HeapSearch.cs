using System.Globalization;
using NanoInt8.Bench.IlPerMac;

namespace NanoInt8.Bench.NanoHeap;

/// <summary>
/// The smallest NANOCLR_HEAP_SIZE at which a built probe runs to its end on the i386 nanoCLR: doubling
/// from 16 KB until it passes, then bisection down to <see cref="Resolution"/> bytes. A run passes
/// when it prints "done" and exits 0; running out of heap (OutOfMemoryException) fails it.
/// </summary>
internal sealed class HeapSearch
{
    private const int Start = 16 * 1024;
    private const int Limit = 16 * 1024 * 1024;

    private readonly string _nanoClrHome;
    private readonly IReadOnlyList<string> _dependencies;

    public HeapSearch(string nanoClrHome, IReadOnlyList<string> dependencies, int resolution)
    {
        _nanoClrHome = nanoClrHome;
        _dependencies = dependencies;
        Resolution = resolution;
    }

    public int Resolution { get; }

    /// <summary>Runs made so far (for the report).</summary>
    public int Runs { get; private set; }

    public int Smallest(string probe)
    {
        int low = 0;
        int high = Start;
        ProbeRun last;
        while (!Passes(probe, high, out last))
        {
            if (high >= Limit)
            {
                throw new InvalidOperationException($"{probe} did not run even in {high} bytes of heap (exit {last.ExitCode}):\n{last.Output}{last.Error}");
            }

            low = high;
            high *= 2;
        }

        while (high - low > Resolution)
        {
            int middle = (low + high) / 2 / Resolution * Resolution;
            if (middle <= low)
            {
                break;
            }

            if (Passes(probe, middle, out _))
            {
                high = middle;
            }
            else
            {
                low = middle;
            }
        }

        return high;
    }

    public bool Passes(string probe, int heapBytes, out ProbeRun run)
    {
        Runs++;
        run = NanoClrProbe.Run(_nanoClrHome, probe, _dependencies, new Dictionary<string, string>
        {
            ["NANOCLR_HEAP_SIZE"] = heapBytes.ToString(CultureInfo.InvariantCulture),

            // run-nf.sh finds its folder through symbolic links; Nanoclr32Home's folder is made of them.
            ["NF_HOME"] = _nanoClrHome,
        });
        if (run.Completed)
        {
            return true;
        }

        // Too small a heap fails with OutOfMemoryException, or earlier, while nanoCLR starts; anything
        // else in a heap of megabytes is a broken probe, which the caller reports.
        return false;
    }
}
