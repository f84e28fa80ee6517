namespace NanoInt8.Host.Quantization
{
    /// <summary>
    /// The values one activation tensor takes over the calibration samples, and the range each
    /// <see cref="CalibrationMethod"/> chooses from them.
    /// </summary>
    /// <remarks>
    /// Two passes over the same samples. <see cref="ObserveRange"/> finds the extremes (0 always
    /// included). For the percentile and entropy methods, <see cref="ObserveHistogram"/> then counts
    /// magnitudes in two histograms, one per side of zero, each spanning [0, extreme of that side]
    /// in <see cref="FineBins"/> bins: fine enough to place a percentile to 1/16384 of the side's
    /// extreme, and merged 8 to 1 into the <see cref="EntropyBins"/> bins of the entropy search.
    /// Exact zeros are counted on neither side: zero is always exactly representable, so it has no
    /// say in where the range ends (a ReLU output's many zeros would otherwise dominate the first
    /// bin). Values that are not finite are ignored.
    /// </remarks>
    public sealed class ActivationStatistics
    {
        /// <summary>Bins of the histogram the entropy search runs on (TensorRT's 2048).</summary>
        public const int EntropyBins = 2048;

        /// <summary>Bins per side the values are counted in.</summary>
        public const int FineBins = EntropyBins * 8;

        private long[]? _positive;
        private long[]? _negative;

        /// <summary>The smallest value seen, or 0 when none was negative.</summary>
        public double Minimum { get; private set; }

        /// <summary>The largest value seen, or 0 when none was positive.</summary>
        public double Maximum { get; private set; }

        /// <summary>Finite values seen by <see cref="ObserveRange"/>.</summary>
        public long Count { get; private set; }

        /// <summary>Values counted in the histograms so far (exact zeros excluded).</summary>
        public long HistogramCount { get; private set; }

        /// <summary>The range a method chooses for the values given: both passes over one array.</summary>
        /// <param name="values">Every value the tensor takes.</param>
        /// <param name="method">The calibration method.</param>
        /// <param name="percentile">The percentile of <see cref="CalibrationMethod.Percentile"/>.</param>
        public static ActivationRange Estimate(IReadOnlyList<float> values, CalibrationMethod method, double percentile = 99.99)
        {
            ArgumentNullException.ThrowIfNull(values);
            float[] array = values as float[] ?? values.ToArray();
            var statistics = new ActivationStatistics();
            statistics.ObserveRange(array);
            if (method != CalibrationMethod.MinMax)
            {
                statistics.ObserveHistogram(array);
            }

            return statistics.ChooseRange(method, percentile);
        }

        /// <summary>First pass: widens the range to the values.</summary>
        /// <exception cref="InvalidOperationException">The histogram pass has begun.</exception>
        public void ObserveRange(ReadOnlySpan<float> values)
        {
            if (_positive is not null)
            {
                throw new InvalidOperationException("The range pass must see every sample before the histogram pass begins.");
            }

            double minimum = Minimum;
            double maximum = Maximum;
            long count = 0;
            foreach (float value in values)
            {
                if (!float.IsFinite(value))
                {
                    continue;
                }

                count++;
                if (value < minimum)
                {
                    minimum = value;
                }
                else if (value > maximum)
                {
                    maximum = value;
                }
            }

            Minimum = minimum;
            Maximum = maximum;
            Count += count;
        }

        /// <summary>Second pass: counts the magnitudes of the values per side of zero.</summary>
        public void ObserveHistogram(ReadOnlySpan<float> values)
        {
            _positive ??= new long[FineBins];
            _negative ??= new long[FineBins];
            // Bin of a magnitude m on a side whose extreme is e: floor(m / e · bins), the extreme
            // itself in the last bin; a value beyond the first pass's extremes there too.
            double positiveFactor = Maximum > 0 ? FineBins / Maximum : 0;
            double negativeFactor = Minimum < 0 ? FineBins / -Minimum : 0;
            long counted = 0;
            foreach (float value in values)
            {
                if (value > 0 && float.IsFinite(value))
                {
                    _positive[(int)Math.Min(value * positiveFactor, FineBins - 1)]++;
                    counted++;
                }
                else if (value < 0 && float.IsFinite(value))
                {
                    _negative[(int)Math.Min(-value * negativeFactor, FineBins - 1)]++;
                    counted++;
                }
            }

            HistogramCount += counted;
        }

        /// <summary>The range the method chooses, always containing 0.</summary>
        /// <param name="method">The calibration method.</param>
        /// <param name="percentile">The percentile of <see cref="CalibrationMethod.Percentile"/>, in (0, 100].</param>
        /// <exception cref="InvalidOperationException">Percentile or entropy without the histogram pass.</exception>
        public ActivationRange ChooseRange(CalibrationMethod method, double percentile = 99.99)
        {
            if (method == CalibrationMethod.MinMax)
            {
                return new ActivationRange(Minimum, Maximum);
            }

            if (_positive is null || _negative is null)
            {
                throw new InvalidOperationException($"The {method} method needs the histogram pass (ObserveHistogram) over the samples.");
            }

            switch (method)
            {
                case CalibrationMethod.Percentile:
                    if (!(percentile > 0 && percentile <= 100))
                    {
                        throw new ArgumentOutOfRangeException(nameof(percentile), percentile, "A percentile lies in (0, 100].");
                    }

                    return new ActivationRange(
                        -PercentileOf(_negative, -Minimum, percentile),
                        PercentileOf(_positive, Maximum, percentile));

                case CalibrationMethod.Entropy:
                {
                    // A side gets 128 of the 255 steps when both sides hold values, as a symmetric
                    // int8 range would; all of them when the other side is empty (a ReLU output).
                    bool hasNegative = _negative.Any(count => count != 0);
                    bool hasPositive = _positive.Any(count => count != 0);
                    return new ActivationRange(
                        -EntropyThreshold(_negative, -Minimum, hasPositive ? 128 : 255),
                        EntropyThreshold(_positive, Maximum, hasNegative ? 128 : 255));
                }

                default:
                    throw new ArgumentOutOfRangeException(nameof(method), method, "Unknown calibration method.");
            }
        }

        // The magnitude below which 'percentile' % of the side's values lie, interpolated within its bin.
        private static double PercentileOf(long[] histogram, double extreme, double percentile)
        {
            long total = histogram.Sum();
            if (total == 0 || extreme <= 0)
            {
                return 0;
            }

            double width = extreme / FineBins;
            double target = percentile / 100.0 * total;
            long below = 0;
            for (int bin = 0; bin < histogram.Length; bin++)
            {
                long count = histogram[bin];
                if (count > 0 && below + count >= target)
                {
                    double fraction = Math.Clamp((target - below) / count, 0, 1);
                    return Math.Min(extreme, (bin + fraction) * width);
                }

                below += count;
            }

            return extreme;
        }

        private static double EntropyThreshold(long[] fine, double extreme, int levels)
        {
            if (extreme <= 0)
            {
                return 0;
            }

            const int Merge = FineBins / EntropyBins;
            var histogram = new long[EntropyBins];
            for (int bin = 0; bin < fine.Length; bin++)
            {
                histogram[bin / Merge] += fine[bin];
            }

            int kept = EntropyCalibration.FindThresholdBins(histogram, levels);
            return extreme * kept / EntropyBins;
        }
    }
}
