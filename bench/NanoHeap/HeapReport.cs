using System.Globalization;

namespace NanoInt8.Bench.NanoHeap;

/// <summary>A model to measure, and how many inferences its envelope's repeated runs make.</summary>
internal sealed record Candidate(string Name, string Kernels, byte[] Blob, int Repeats);

/// <summary>
/// What was measured for a model: its heap envelope on the i386 build (1 inference and
/// <see cref="Candidate.Repeats"/>), and the free bytes after full collections after the first and
/// after the last of 50 inferences on the 64-bit build.
/// </summary>
internal sealed record Measured(Candidate Model, int DeviceBytes, HeapEnvelope Heap, int FreeAfterFirst, int FreeAfterLast);

/// <summary>A board of boards/: its managed heap and the converter's model budget.</summary>
internal sealed record Board(string Id, int ManagedHeapBytes, int ModelBudgetBytes);

/// <summary>Prints the tables and decides the check.</summary>
internal static class HeapReport
{
    /// <summary>
    /// Writes the report; false when inference leaves less free heap after the last inference than
    /// after the first, or a model the converter fits on a board needs more heap than that board leaves it.
    /// </summary>
    public static bool Write(TextWriter output, IReadOnlyList<Measured> models, IReadOnlyList<Board> boards, HeapEnvelope baseline, HeapEnvelope firmware, int freeBytesInferences, int runs)
    {
        List<string> problems = new();
        output.WriteLine("## Managed heap on nanoCLR i386 (12-byte heap blocks as on the ESP32)");
        output.WriteLine();
        output.WriteLine("heap = the envelope: the smallest NANOCLR_HEAP_SIZE from which every size of a grid passes (steps of 1 % of the");
        output.WriteLine("first pass, at least 64 B, over a window of 10 % and at least 8 steps above it), with 1 inference and with the");
        output.WriteLine("repeated count. first pass = where a bisection for 1 inference ends; pass and fail are not monotonic in the size.");
        output.WriteLine();
        output.WriteLine($"baseline (interpreter started, runtime and protocol loaded, nothing run): {Envelope(baseline)}");
        output.WriteLine($"firmware without a model (device server idle; board libraries not loaded): {Envelope(firmware)}");
        output.WriteLine();
        output.WriteLine($"| model | kernels | deviceBytes | first pass | heap | repeated | model's own (heap - baseline) | grid step, verified up to | highest failure above the first pass | free after 1st / {freeBytesInferences}th inference (x86-64) |");
        output.WriteLine("|---|---|---:|---:|---:|---:|---:|---|---|---|");
        foreach (Measured model in models)
        {
            HeapEnvelope heap = model.Heap;
            bool retains = model.FreeAfterLast != model.FreeAfterFirst;
            output.WriteLine($"| {model.Model.Name} | {model.Model.Kernels} | {Bytes(model.DeviceBytes)} | {Bytes(heap.FirstPass)} | {Bytes(heap.HeapBytes)} | {model.Model.Repeats} "
                + $"| {Bytes(heap.HeapBytes - baseline.HeapBytes)} | {Bytes(heap.Step)}, {Bytes(heap.VerifiedUpTo)} | {heap.HighestFailure ?? "-"} "
                + $"| {Bytes(model.FreeAfterFirst)} / {Bytes(model.FreeAfterLast)}{(retains ? " RETAINS" : "")} |");
            if (retains)
            {
                problems.Add($"{model.Model.Name} ({model.Model.Kernels}): {Bytes(model.FreeAfterFirst - model.FreeAfterLast)} less free heap after {freeBytesInferences} inferences than after 1: inference keeps what it allocates");
            }
        }

        output.WriteLine();
        output.WriteLine("Per board: left for a model = managedHeapBytes - firmware without a model (its heap). A model fits a board for the");
        output.WriteLine("host and the device when deviceBytes <= modelBudgetBytes (hosttool's check) and deviceBytes + totalLength <= the");
        output.WriteLine("transfer budget, which the boards' firmware sets to the same figure (DeviceInfo; the device refuses the LOAD");
        output.WriteLine("otherwise). Every model that fits must need no more heap than is left.");
        output.WriteLine();
        output.WriteLine("| board | managed heap | left for a model | modelBudgetBytes | models that fit: own heap (ok / TOO BIG) | within modelBudgetBytes but refused at LOAD (deviceBytes + totalLength) |");
        output.WriteLine("|---|---:|---:|---:|---|---|");
        foreach (Board board in boards)
        {
            int left = board.ManagedHeapBytes - firmware.HeapBytes;
            List<string> verdicts = new();
            List<string> refused = new();
            foreach (Measured model in models.Where(model => model.DeviceBytes <= board.ModelBudgetBytes))
            {
                long transfer = (long)model.DeviceBytes + model.Model.Blob.Length;
                if (transfer > board.ModelBudgetBytes)
                {
                    refused.Add($"{model.Model.Name} {model.Model.Kernels} {Bytes(transfer)}");
                    continue;
                }

                int own = model.Heap.HeapBytes - baseline.HeapBytes;
                bool fits = own <= left;
                verdicts.Add($"{model.Model.Name} {model.Model.Kernels} {Bytes(own)} {(fits ? "ok" : "TOO BIG")}");
                if (!fits)
                {
                    problems.Add($"{board.Id}: {model.Model.Name} ({model.Model.Kernels}) fits modelBudgetBytes ({Bytes(model.DeviceBytes)} of {Bytes(board.ModelBudgetBytes)} device bytes) but needs {Bytes(own)} of heap, {Bytes(left)} are left");
                }
            }

            output.WriteLine($"| {board.Id} | {Bytes(board.ManagedHeapBytes)} | {Bytes(left)} | {Bytes(board.ModelBudgetBytes)} | {(verdicts.Count == 0 ? "-" : string.Join("; ", verdicts))} | {(refused.Count == 0 ? "-" : string.Join("; ", refused))} |");
        }

        output.WriteLine();
        output.WriteLine($"{runs} heap runs on nanoCLR i386, {models.Count} free-bytes runs on x86-64.");
        foreach (string problem in problems)
        {
            output.WriteLine("FAILED: " + problem);
        }

        if (problems.Count == 0)
        {
            output.WriteLine($"Inference keeps nothing ({freeBytesInferences} inferences leave the free heap of 1); every model the converter fits on a board runs in that board's heap.");
        }

        return problems.Count == 0;
    }

    private static string Envelope(HeapEnvelope envelope) =>
        $"{Bytes(envelope.HeapBytes)} (first pass {Bytes(envelope.FirstPass)}; grid step {Bytes(envelope.Step)} verified up to {Bytes(envelope.VerifiedUpTo)}; highest failure above the first pass: {envelope.HighestFailure ?? "none"})";

    private static string Bytes(long value) => value.ToString("N0", CultureInfo.InvariantCulture) + " B";
}
