using System.Diagnostics;
using System.Globalization;

namespace NanoInt8.Bench.Fuzz
{
    /// <summary>
    /// Runs the device code (the net10.0 build of NanoInt8.Runtime and NanoInt8.Device) against
    /// hostile input for a given time and seed and prints how often each outcome happened: the
    /// blob campaign (<see cref="BlobCampaign"/>) and the serial campaign (<see cref="SerialCampaign"/>).
    /// Outcomes marked DEFECT must never happen; the exit code is 1 when one did.
    /// </summary>
    /// <remarks>
    /// Usage: <c>dotnet run -c Release --project bench/Fuzz -- [--seconds 10] [--seed 1]
    /// [--campaign both|blob|serial] [--model PATH ...]</c>. The time is split evenly between the
    /// campaigns. The same seed and the same number of cases give the same inputs; a defect prints
    /// the case number that produced it.
    /// </remarks>
    public static class Program
    {
        private static readonly CultureInfo s_invariant = CultureInfo.InvariantCulture;

        public static int Main(string[] args)
        {
            double seconds = double.Parse(Option(args, "--seconds") ?? "10", s_invariant);
            int seed = int.Parse(Option(args, "--seed") ?? "1", s_invariant);
            string campaign = Option(args, "--campaign") ?? "both";
            if (campaign is not ("both" or "blob" or "serial") || seconds <= 0)
            {
                Console.Error.WriteLine("usage: Fuzz [--seconds S (> 0)] [--seed N] [--campaign both|blob|serial] [--model PATH ...]");
                return 2;
            }

            IReadOnlyList<byte[]> seeds = Seeds.Load(Options(args, "--model"));
            Console.WriteLine($"seed {seed}, {seconds.ToString(s_invariant)} s, {seeds.Count} seed models ({string.Join(", ", seeds.Select(blob => blob.Length.ToString("N0", s_invariant) + " B"))})");
            double share = campaign == "both" ? seconds / 2 : seconds;
            int defects = 0;
            if (campaign is "both" or "blob")
            {
                defects += Run("blob campaign", new BlobCampaign(seeds, seed), share);
            }

            if (campaign is "both" or "serial")
            {
                defects += Run("serial campaign", new SerialCampaign(seeds, seed), share);
            }

            Console.WriteLine(defects == 0 ? "no defect" : $"{defects} DEFECT(S)");
            return defects == 0 ? 0 : 1;
        }

        private static int Run(string name, ICampaign campaign, double seconds)
        {
            Outcomes outcomes = new Outcomes();
            Stopwatch watch = Stopwatch.StartNew();
            long cases = 0;
            while (watch.Elapsed.TotalSeconds < seconds)
            {
                campaign.RunCase(cases, outcomes);
                cases++;
            }

            Console.WriteLine($"{name}: {cases.ToString("N0", s_invariant)} cases in {watch.Elapsed.TotalSeconds.ToString("0.0", s_invariant)} s");
            outcomes.Print(Console.Out);
            return outcomes.Defects;
        }

        private static string? Option(string[] args, string name)
        {
            int index = Array.IndexOf(args, name);
            return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
        }

        private static IReadOnlyList<string> Options(string[] args, string name) =>
            args.Select((value, index) => (value, index)).Where(pair => pair.value == name && pair.index + 1 < args.Length).Select(pair => args[pair.index + 1]).ToArray();
    }

    /// <summary>One kind of hostile input: each case is derived from the campaign's seed and the case number.</summary>
    internal interface ICampaign
    {
        void RunCase(long number, Outcomes outcomes);
    }

    /// <summary>Counts per outcome; an outcome whose name starts with "DEFECT" counts as a defect and its first case is kept.</summary>
    internal sealed class Outcomes
    {
        private readonly SortedDictionary<string, long> _counts = new SortedDictionary<string, long>(StringComparer.Ordinal);
        private readonly Dictionary<string, long> _firstCase = new Dictionary<string, long>();

        public int Defects { get; private set; }

        public void Add(string outcome, long caseNumber)
        {
            _counts[outcome] = _counts.GetValueOrDefault(outcome) + 1;
            if (outcome.StartsWith("DEFECT", StringComparison.Ordinal))
            {
                Defects++;
                _firstCase.TryAdd(outcome, caseNumber);
            }
        }

        public void Print(TextWriter writer)
        {
            foreach ((string outcome, long count) in _counts.OrderByDescending(pair => pair.Value))
            {
                string first = _firstCase.TryGetValue(outcome, out long number) ? $" (first in case {number.ToString(CultureInfo.InvariantCulture)})" : string.Empty;
                writer.WriteLine($"  {count.ToString("N0", CultureInfo.InvariantCulture),12}  {outcome}{first}");
            }
        }
    }
}
