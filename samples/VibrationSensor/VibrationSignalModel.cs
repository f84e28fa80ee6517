namespace NanoInt8.Samples.VibrationSensor
{
    /// <summary>The machine states the classifier tells apart; the value is the class index.</summary>
    public enum MachineCondition
    {
        /// <summary>Healthy: shaft rotation with small harmonics and background noise.</summary>
        Normal = 0,

        /// <summary>Mass imbalance: a strong component at the shaft frequency (1×).</summary>
        Imbalance = 1,

        /// <summary>Inner-race bearing defect: periodic impacts ringing a structural resonance, modulated by the shaft rotation.</summary>
        BearingFault = 2,
    }

    /// <summary>The parameters of one accelerometer window (accelerations in g, frequencies in Hz, times in s).</summary>
    /// <param name="ShaftFrequency">Shaft rotation f0.</param>
    /// <param name="Harmonics">Amplitudes of the 1×, 2× and 3× components.</param>
    /// <param name="Phases">Phases of the 1×, 2× and 3× components, in radians.</param>
    /// <param name="ImpactAmplitude">Peak of one bearing impact's ringing; 0 for a healthy bearing.</param>
    /// <param name="ResonanceFrequency">Frequency of the structural resonance the impacts ring.</param>
    /// <param name="DecayTime">Time constant of the ringing's exponential decay.</param>
    /// <param name="ModulationDepth">Depth of the once-per-revolution amplitude modulation of the impacts, in [0, 1].</param>
    /// <param name="ImpactPhase">Time of the first impact after the window starts, as a fraction of the impact period.</param>
    /// <param name="NoiseDeviation">Standard deviation of the white background noise.</param>
    /// <param name="Gain">Sensor and mounting gain applied to the whole signal.</param>
    public sealed record WindowParameters(
        double ShaftFrequency,
        double[] Harmonics,
        double[] Phases,
        double ImpactAmplitude,
        double ResonanceFrequency,
        double DecayTime,
        double ModulationDepth,
        double ImpactPhase,
        double NoiseDeviation,
        double Gain);

    /// <summary>
    /// The physical model the training and test data come from: one radial accelerometer axis on a
    /// bearing housing of a rotating machine, AC-coupled (no gravity or offset), sampled at 1 kHz,
    /// in windows of 128 samples (128 ms). Every figure is in README.md.
    /// </summary>
    /// <remarks>
    /// a(t) = gain · (Σ_{k=1..3} A_k sin(2π k f0 t + φ_k) + impacts(t)) + n(t), n white Gaussian.
    /// Impacts (bearing fault only): an inner-race defect meets the rolling elements at the
    /// ball-pass frequency BPFI = 5.415 · f0 (a 6205 deep-groove bearing, 9 balls); each impact
    /// rings the housing's resonance as B · e^(-t/τ) sin(2π f_r t), and since the defect turns with
    /// the shaft through the load zone, the impacts are modulated once per revolution by
    /// 1 - m/2 + (m/2) cos(2π f0 t). Rolling elements slip a little, so each impact comes up to 1 %
    /// of a period early or late.
    /// </remarks>
    public static class VibrationSignalModel
    {
        /// <summary>Samples per second.</summary>
        public const double SampleRate = 1000.0;

        /// <summary>Samples per window.</summary>
        public const int WindowLength = 128;

        /// <summary>Ball-pass frequency of the inner race of a 6205 bearing, in multiples of the shaft frequency.</summary>
        public const double InnerRaceDefectOrder = 5.415;

        /// <summary>Draws the parameters of one window of the given condition.</summary>
        public static WindowParameters Draw(MachineCondition condition, Random random)
        {
            ArgumentNullException.ThrowIfNull(random);
            double shaft = Uniform(random, 20, 40);
            double[] harmonics =
            {
                condition == MachineCondition.Imbalance ? Uniform(random, 0.35, 0.8) : Uniform(random, 0.05, 0.2),
                Uniform(random, 0.02, 0.06),
                Uniform(random, 0.01, 0.03),
            };
            double[] phases = { Uniform(random, 0, 2 * Math.PI), Uniform(random, 0, 2 * Math.PI), Uniform(random, 0, 2 * Math.PI) };
            bool fault = condition == MachineCondition.BearingFault;
            return new WindowParameters(
                shaft,
                harmonics,
                phases,
                fault ? Uniform(random, 0.3, 0.8) : 0,
                Uniform(random, 250, 400),
                Uniform(random, 0.002, 0.005),
                Uniform(random, 0.3, 0.9),
                random.NextDouble(),
                Uniform(random, 0.02, 0.08),
                Uniform(random, 0.8, 1.25));
        }

        /// <summary>One window of acceleration samples, in g.</summary>
        /// <param name="parameters">The window's parameters.</param>
        /// <param name="random">The source of the noise and the impact jitter.</param>
        public static float[] Synthesize(WindowParameters parameters, Random random)
        {
            ArgumentNullException.ThrowIfNull(parameters);
            ArgumentNullException.ThrowIfNull(random);
            var signal = new double[WindowLength];
            for (int sample = 0; sample < WindowLength; sample++)
            {
                double time = sample / SampleRate;
                for (int order = 1; order <= parameters.Harmonics.Length; order++)
                {
                    signal[sample] += parameters.Harmonics[order - 1] * Math.Sin((2 * Math.PI * order * parameters.ShaftFrequency * time) + parameters.Phases[order - 1]);
                }
            }

            if (parameters.ImpactAmplitude > 0)
            {
                AddImpacts(signal, parameters, random);
            }

            var window = new float[WindowLength];
            for (int sample = 0; sample < WindowLength; sample++)
            {
                window[sample] = (float)((parameters.Gain * signal[sample]) + (parameters.NoiseDeviation * Gaussian(random)));
            }

            return window;
        }

        /// <summary>A window of the given condition: <see cref="Draw"/> then <see cref="Synthesize"/>.</summary>
        public static float[] Generate(MachineCondition condition, Random random) => Synthesize(Draw(condition, random), random);

        private static void AddImpacts(double[] signal, WindowParameters parameters, Random random)
        {
            double period = 1.0 / (InnerRaceDefectOrder * parameters.ShaftFrequency);
            double duration = WindowLength / SampleRate;
            // Start early enough that the ringing of impacts before the window (5 decay times) is in it too.
            int first = -(int)Math.Ceiling(5 * parameters.DecayTime / period);
            for (int impact = first; (impact + parameters.ImpactPhase) * period < duration; impact++)
            {
                double start = ((impact + parameters.ImpactPhase) * period) + (Uniform(random, -0.01, 0.01) * period);
                double modulation = 1 - (parameters.ModulationDepth / 2) + ((parameters.ModulationDepth / 2) * Math.Cos(2 * Math.PI * parameters.ShaftFrequency * start));
                double amplitude = parameters.ImpactAmplitude * modulation;
                for (int sample = Math.Max(0, (int)Math.Ceiling(start * SampleRate)); sample < signal.Length; sample++)
                {
                    double elapsed = (sample / SampleRate) - start;
                    if (elapsed > 8 * parameters.DecayTime)
                    {
                        break;
                    }

                    signal[sample] += amplitude * Math.Exp(-elapsed / parameters.DecayTime) * Math.Sin(2 * Math.PI * parameters.ResonanceFrequency * elapsed);
                }
            }
        }

        private static double Uniform(Random random, double minimum, double maximum) => minimum + ((maximum - minimum) * random.NextDouble());

        /// <summary>A standard normal draw (Box-Muller).</summary>
        internal static double Gaussian(Random random)
        {
            double uniform = 1.0 - random.NextDouble();
            return Math.Sqrt(-2.0 * Math.Log(uniform)) * Math.Cos(2.0 * Math.PI * random.NextDouble());
        }
    }
}
