using System.Globalization;
using NanoInt8.Bench.IlPerMac;

namespace NanoInt8.Bench.NanoHeap;

/// <summary>
/// The smallest NANOCLR_HEAP_SIZE at which a built probe runs to its end on a nanoCLR: doubling (or
/// halving) from a first guess until the answer changes, then bisection. A run passes when it prints
/// "done" and exits 0; running out of heap (OutOfMemoryException, or a crash on the 64-bit build)
/// fails it.
/// </summary>
internal sealed class HeapSearch
{
    private const int Start = 16 * 1024;
    private const int Limit = 16 * 1024 * 1024;

    private int _runs;

    public HeapSearch(int resolution)
    {
        Resolution = resolution;
    }

    public int Resolution { get; }

    /// <summary>Runs made so far (for the report).</summary>
    public int Runs => _runs;

    /// <summary>
    /// The smallest heap <paramref name="probe"/> runs in, to <see cref="Resolution"/> bytes or 0.5 %
    /// of the figure, whichever is larger. <paramref name="start"/> is the first heap tried (a figure
    /// from the 64-bit build, which needs more, saves runs).
    /// </summary>
    public int Smallest(PreparedProbe probe, int inferences, int start = Start)
    {
        int low;
        int high = start;
        ProbeRun last;
        if (Passes(probe, inferences, high, out last))
        {
            low = high / 2;
            while (low > 1024 && Passes(probe, inferences, low, out _))
            {
                high = low;
                low /= 2;
            }
        }
        else
        {
            low = high;
            high *= 2;
            while (!Passes(probe, inferences, high, out last))
            {
                if (high >= Limit)
                {
                    throw new InvalidOperationException($"{probe.Folder} did not run even in {high} bytes of heap (exit {last.ExitCode}):\n{last.Output}{last.Error}");
                }

                low = high;
                high *= 2;
            }
        }

        while (high - low > Math.Max(Resolution, high / 200))
        {
            int middle = (low + high) / 2 / Resolution * Resolution;
            if (middle <= low)
            {
                break;
            }

            if (Passes(probe, inferences, middle, out _))
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

    /// <summary>Runs <paramref name="probe"/> (<paramref name="inferences"/> inferences, 0 for the other modes) in a heap of <paramref name="heapBytes"/>.</summary>
    public bool Passes(PreparedProbe probe, int inferences, int heapBytes, out ProbeRun run)
    {
        Interlocked.Increment(ref _runs);
        run = probe.Run(inferences, new Dictionary<string, string>
        {
            ["NANOCLR_HEAP_SIZE"] = heapBytes.ToString(CultureInfo.InvariantCulture),
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
