using System.Globalization;
using System.Text.RegularExpressions;
using NanoInt8.Bench.IlPerMac;

namespace NanoInt8.Bench.NanoHeap;

/// <summary>
/// What <see cref="HeapSearch.Envelope"/> found for a probe: every grid size from
/// <see cref="HeapBytes"/> to <see cref="VerifiedUpTo"/> passed with 1 inference and with the repeated count.
/// </summary>
/// <param name="FirstPass">The bisection's answer for 1 inference: the smallest heap it saw pass.</param>
/// <param name="HeapBytes">The envelope: the smallest grid size from which every grid size up to <see cref="VerifiedUpTo"/> passed.</param>
/// <param name="Step">The grid step.</param>
/// <param name="VerifiedUpTo">The largest grid size run.</param>
/// <param name="HighestFailure">The largest grid size that failed, and how (null when none above <see cref="FirstPass"/> did).</param>
internal sealed record HeapEnvelope(int FirstPass, int HeapBytes, int Step, int VerifiedUpTo, string? HighestFailure);

/// <summary>
/// Heap searches on a nanoCLR by running a built probe with NANOCLR_HEAP_SIZE. A run passes when it
/// prints "done" and exits 0; running out of heap (OutOfMemoryException, or a crash on the 64-bit
/// build) fails it.
/// </summary>
/// <remarks>
/// Pass and fail are not monotonic in the heap size: nanoCLR allocates a method's stack frame (its
/// locals and evaluation stack, 12 bytes a slot on the ESP32) from the managed heap, in one piece,
/// from the heap's end downwards, keeps frames that returned in a cache of free blocks until the
/// next collection, and when an allocation still fails after a collection it throws
/// OutOfMemoryException even when enough bytes are free in pieces (it compacts only later, at a
/// safe point). Whether a kernel's frame finds a piece then depends on where every earlier object
/// and frame landed, which a few bytes more heap can change either way. So the figure a board can
/// rely on is not one bisection boundary but the envelope: the smallest size from which every size
/// of a grid passes, checked over a window above it (nf-interpreter a3e8139: CLR_RT_StackFrame::Push,
/// CLR_RT_EventCache, CLR_RT_ExecutionEngine::ExtractHeapBlocks).
/// </remarks>
internal sealed class HeapSearch
{
    private const int Start = 16 * 1024;
    private const int Limit = 16 * 1024 * 1024;

    // The envelope's grid: steps of 1 % of the first pass (at least the resolution), verified over a
    // window of 10 % above the envelope (at least 8 steps).
    private const int StepPercent = 1;
    private const int WindowPercent = 10;
    private const int WindowSteps = 8;

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
    /// of the figure, whichever is larger: one bisection boundary (see the remarks on the class).
    /// <paramref name="start"/> is the first heap tried.
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

    /// <summary>
    /// The envelope for 1 inference and for <paramref name="repeats"/> together (0: a probe that runs
    /// none): bisection for 1 inference, then a grid upwards from its answer, until every size from
    /// the last failure's next step on has passed over the whole window. One run with
    /// <paramref name="repeats"/> inferences answers a size for both counts: up to the end of the
    /// first inference it does exactly what a run with 1 does (the two NanoInt8.ProbeRuns assemblies
    /// differ only in a constant; the probe runs one thread and nanoCLR's runs are repeatable), so it
    /// fails for 1 inference exactly when it fails while loading or in inference 1 (checked on a grid
    /// of 36 sizes of the vibration sample on the 64-bit build: the two counts agreed at every one).
    /// </summary>
    public HeapEnvelope Envelope(PreparedProbe probe, int repeats, int start = Start)
    {
        int first = Smallest(probe, Math.Min(1, repeats), start);
        int step = Math.Max(Resolution, (first * StepPercent / 100 + Resolution - 1) / Resolution * Resolution);
        int window = Math.Max(WindowSteps * step, (first * WindowPercent / 100 + step - 1) / step * step);
        int envelope = first;
        int top = first - step;
        string? highestFailure = null;
        while (top - envelope < window)
        {
            int size = top + step;
            if (size > Limit)
            {
                throw new InvalidOperationException($"{probe.Folder}: no window of {window} bytes where every size passes below {Limit} bytes ({highestFailure}).");
            }

            if (!Passes(probe, repeats, size, out ProbeRun run))
            {
                envelope = size + step;
                highestFailure = $"{size.ToString("N0", CultureInfo.InvariantCulture)} B, {Describe(repeats, run)}";
            }

            top = size;
        }

        return new HeapEnvelope(first, envelope, step, top, highestFailure);
    }

    /// <summary>Runs <paramref name="probe"/> (<paramref name="inferences"/> inferences, 0 for the other modes) in a heap of <paramref name="heapBytes"/>.</summary>
    public bool Passes(PreparedProbe probe, int inferences, int heapBytes, out ProbeRun run)
    {
        Interlocked.Increment(ref _runs);
        run = probe.Run(inferences, new Dictionary<string, string>
        {
            ["NANOCLR_HEAP_SIZE"] = heapBytes.ToString(CultureInfo.InvariantCulture),
        });

        // Too small a heap fails with OutOfMemoryException, or earlier, while nanoCLR starts; anything
        // else in a heap of megabytes is a broken probe, which Smallest reports.
        return run.Completed;
    }

    // "50 inferences: out of memory in inference 4" / "out of memory while loading".
    private static string Describe(int inferences, ProbeRun run)
    {
        string what = run.OutOfMemory ? "out of memory" : $"exit {run.ExitCode}";
        Match failedIn = Regex.Match(run.Output, @"failed in inference (\d+)");
        string where = failedIn.Success ? "in inference " + failedIn.Groups[1].Value
            : run.Output.Contains("loaded", StringComparison.Ordinal) ? "after loading" : "while loading";
        return inferences == 0 ? $"{what} {where}" : $"{inferences} {(inferences == 1 ? "inference" : "inferences")}: {what} {where}";
    }
}
