namespace NanoInt8.Host.Quantization
{
    /// <summary>
    /// The entropy (Kullback-Leibler) threshold search of TensorRT's int8 calibrator, for one side
    /// of zero: which clipping threshold loses least information when the values are quantized.
    /// </summary>
    /// <remarks>
    /// Algorithm (Migacz, "8-bit Inference with TensorRT", GTC 2017; the same loop as MXNet's
    /// <c>_get_optimal_threshold</c>), on a histogram of magnitudes over [0, max] in n bins:
    /// for every candidate i from <c>levels</c> to n,
    /// <list type="number">
    /// <item>the reference distribution P is bins [0, i), with every count at or above bin i (the
    /// values a threshold at i clips) added to bin i - 1;</item>
    /// <item>the candidate Q merges bins [0, i) (without the clipped counts) into <c>levels</c>
    /// groups of i / levels bins (the last group takes the remainder) and spreads each group's count
    /// evenly over the bins of the group that are non-zero in P; bins empty in P stay empty;</item>
    /// <item>both are smoothed (every empty bin gets ε = 10⁻⁴ counts, taken evenly from the others,
    /// so the divergence stays finite), normalized, and D(P‖Q) = Σ P log(P / Q) is computed.</item>
    /// </list>
    /// The i with the smallest divergence wins; the threshold is the upper edge of bin i - 1.
    /// One evaluation costs O(i), the whole search O(n²): about two million steps for n = 2048.
    /// </remarks>
    public static class EntropyCalibration
    {
        private const double SmoothingCounts = 1e-4;

        /// <summary>
        /// The number of leading histogram bins the best threshold keeps: the threshold is
        /// <c>result · binWidth</c>. With no counts at all, or fewer bins than levels, every bin is kept.
        /// </summary>
        /// <param name="histogram">Counts of magnitudes, bin 0 nearest zero.</param>
        /// <param name="levels">Quantization levels available on this side (128 for one side of a symmetric int8 range).</param>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="levels"/> is below 2.</exception>
        public static int FindThresholdBins(IReadOnlyList<long> histogram, int levels)
        {
            ArgumentNullException.ThrowIfNull(histogram);
            ArgumentOutOfRangeException.ThrowIfLessThan(levels, 2);
            int binCount = histogram.Count;
            long total = 0;
            foreach (long count in histogram)
            {
                total += count;
            }

            if (total == 0 || binCount <= levels)
            {
                return binCount;
            }

            // suffix[i] = counts at or above bin i: what a threshold at i clips into bin i - 1.
            var suffix = new long[binCount + 1];
            for (int bin = binCount - 1; bin >= 0; bin--)
            {
                suffix[bin] = suffix[bin + 1] + histogram[bin];
            }

            var reference = new double[binCount];
            var candidate = new double[binCount];
            int best = binCount;
            double bestDivergence = double.PositiveInfinity;
            for (int kept = levels; kept <= binCount; kept++)
            {
                for (int bin = 0; bin < kept; bin++)
                {
                    reference[bin] = histogram[bin];
                }

                reference[kept - 1] += suffix[kept];
                Quantize(histogram, reference, candidate, kept, levels);
                double divergence = Divergence(reference, candidate, kept);
                if (divergence < bestDivergence)
                {
                    bestDivergence = divergence;
                    best = kept;
                }
            }

            return best;
        }

        // Q: bins [0, kept) merged into 'levels' groups, each group's count spread over the bins
        // of the group that are non-zero in the reference.
        private static void Quantize(IReadOnlyList<long> histogram, double[] reference, double[] candidate, int kept, int levels)
        {
            int merged = kept / levels;
            for (int level = 0; level < levels; level++)
            {
                int start = level * merged;
                int stop = level == levels - 1 ? kept : start + merged;
                double sum = 0;
                int nonZero = 0;
                for (int bin = start; bin < stop; bin++)
                {
                    sum += histogram[bin];
                    if (reference[bin] != 0)
                    {
                        nonZero++;
                    }
                }

                double share = nonZero == 0 ? 0 : sum / nonZero;
                for (int bin = start; bin < stop; bin++)
                {
                    candidate[bin] = reference[bin] != 0 ? share : 0;
                }
            }
        }

        private static double Divergence(double[] reference, double[] candidate, int kept)
        {
            if (!Smooth(reference, kept, out double referenceTotal) || !Smooth(candidate, kept, out double candidateTotal))
            {
                return double.PositiveInfinity;
            }

            double divergence = 0;
            for (int bin = 0; bin < kept; bin++)
            {
                double p = reference[bin] / referenceTotal;
                double q = candidate[bin] / candidateTotal;
                divergence += p * Math.Log(p / q);
            }

            return divergence;
        }

        // MXNet's _smooth_distribution: ε counts into every empty bin, taken evenly from the others.
        private static bool Smooth(double[] distribution, int kept, out double total)
        {
            int zeros = 0;
            for (int bin = 0; bin < kept; bin++)
            {
                if (distribution[bin] == 0)
                {
                    zeros++;
                }
            }

            total = 0;
            int nonZeros = kept - zeros;
            if (nonZeros == 0)
            {
                return false;
            }

            double taken = SmoothingCounts * zeros / nonZeros;
            for (int bin = 0; bin < kept; bin++)
            {
                double value = distribution[bin] == 0 ? SmoothingCounts : distribution[bin] - taken;
                if (!(value > 0))
                {
                    return false;
                }

                distribution[bin] = value;
                total += value;
            }

            return true;
        }
    }
}
