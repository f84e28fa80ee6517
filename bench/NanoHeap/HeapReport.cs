using System.Globalization;

namespace NanoInt8.Bench.NanoHeap;

/// <summary>A model to measure.</summary>
internal sealed record Candidate(string Name, string Kernels, byte[] Blob);

/// <summary>
/// What was measured for a model: the smallest heap for loading it and one inference on the i386 build,
/// the same on the 64-bit build, and whether 50 inferences run in the latter.
/// </summary>
internal sealed record Measured(Candidate Model, int DeviceBytes, int HeapBytes, int NativeHeapBytes, bool FiftyInferencesFit);

/// <summary>A board of boards/: its managed heap and the converter's model budget.</summary>
internal sealed record Board(string Id, int ManagedHeapBytes, int ModelBudgetBytes);

/// <summary>Prints the tables and decides the check.</summary>
internal static class HeapReport
{
    /// <summary>Writes the report; false when a model the converter fits on a board does not fit its measured heap, or 50 inferences need more than 1.</summary>
    public static bool Write(TextWriter output, IReadOnlyList<Measured> models, IReadOnlyList<Board> boards, int baseline, int firmware, int resolution, int runs)
    {
        List<string> problems = new();
        output.WriteLine($"## Managed heap on nanoCLR i386 (12-byte heap blocks as on the ESP32), smallest NANOCLR_HEAP_SIZE to {resolution} B or 0.5 %");
        output.WriteLine();
        output.WriteLine($"baseline (interpreter started, runtime and protocol loaded, nothing run): {Bytes(baseline)}");
        output.WriteLine($"firmware without a model (device server idle; board libraries not loaded): {Bytes(firmware)}");
        output.WriteLine();
        output.WriteLine("| model | kernels | deviceBytes | heap: load + 1 inference | model's own (minus baseline) | 64-bit build: load + 1 inference | 50 inferences in that heap |");
        output.WriteLine("|---|---|---:|---:|---:|---:|---|");
        foreach (Measured model in models)
        {
            output.WriteLine($"| {model.Model.Name} | {model.Model.Kernels} | {Bytes(model.DeviceBytes)} | {Bytes(model.HeapBytes)} | {Bytes(model.HeapBytes - baseline)} | {Bytes(model.NativeHeapBytes)} | {(model.FiftyInferencesFit ? "yes" : "NO")} |");
            if (!model.FiftyInferencesFit)
            {
                problems.Add($"{model.Model.Name} ({model.Model.Kernels}): 50 inferences do not run in the heap 1 inference needs ({Bytes(model.NativeHeapBytes)}, 64-bit build): inference allocates");
            }
        }

        output.WriteLine();
        output.WriteLine("Per board: left for a model = managedHeapBytes - firmware without a model. A model fits a board for the host and");
        output.WriteLine("the device when deviceBytes <= modelBudgetBytes (hosttool's check) and deviceBytes + totalLength <= the");
        output.WriteLine("transfer budget, which the boards' firmware sets to the same figure (DeviceInfo; the device refuses the LOAD");
        output.WriteLine("otherwise). Every model that fits must need no more heap than is left.");
        output.WriteLine();
        output.WriteLine("| board | managed heap | left for a model | modelBudgetBytes | models that fit: own heap (ok / TOO BIG) | within modelBudgetBytes but refused at LOAD (deviceBytes + totalLength) |");
        output.WriteLine("|---|---:|---:|---:|---|---|");
        foreach (Board board in boards)
        {
            int left = board.ManagedHeapBytes - firmware;
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

                int own = model.HeapBytes - baseline;
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
        output.WriteLine($"{runs} runs of nanoCLR.");
        foreach (string problem in problems)
        {
            output.WriteLine("FAILED: " + problem);
        }

        if (problems.Count == 0)
        {
            output.WriteLine("Every model the converter fits on a board runs in that board's heap; 50 inferences need no more heap than 1.");
        }

        return problems.Count == 0;
    }

    private static string Bytes(long value) => value.ToString("N0", CultureInfo.InvariantCulture) + " B";
}
