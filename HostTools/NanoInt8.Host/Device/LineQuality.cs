namespace NanoInt8.Host.Device
{
    /// <summary>
    /// What the host has learned about the line from the frames it sent and the answers it got:
    /// an estimate of the probability that one byte on the wire is damaged, lost or doubled (any
    /// of which makes its frame fail its CRC), and from it the frame length that carries the most
    /// data per byte sent. Frames shrink under errors and grow back when the line is clean.
    /// </summary>
    /// <remarks>
    /// A frame of L wire bytes arrives intact with probability (1 - q)^L, so for a small q the
    /// expected losses among frames totalling B bytes are q·B. The estimate is lost frames over
    /// bytes sent, both decayed by <see cref="Decay"/> per frame, so the last few dozen frames
    /// count. It starts from <see cref="PriorBytes"/> clean bytes: a fresh session assumes a clean
    /// line and sends full frames. A frame of d data bytes and o bytes of overhead delivers
    /// d / (d + o) · (1 - q)^(d + o) of the line to the data; <see cref="BestDataBytes"/> picks
    /// the d with the most among multiples of a unit.
    /// </remarks>
    internal sealed class LineQuality
    {
        private const double Decay = 0.97;
        private const double PriorBytes = 4000;

        private double _bytes = PriorBytes;
        private double _losses;

        /// <summary>The estimated probability that a wire byte spoils its frame.</summary>
        public double ByteErrorRate => _losses / _bytes;

        /// <summary>A frame of <paramref name="wireBytes"/> arrived (its answer says so).</summary>
        public void Delivered(int wireBytes)
        {
            Add(wireBytes, 0);
        }

        /// <summary>A frame of <paramref name="wireBytes"/> (or its answer) was lost.</summary>
        public void Lost(int wireBytes)
        {
            Add(wireBytes, 1);
        }

        /// <summary>
        /// The data bytes per frame (a multiple of <paramref name="unit"/> from one unit up to
        /// <paramref name="maximum"/>) that carry the most data per wire byte at the estimated error
        /// rate, given <paramref name="overhead"/> wire bytes per frame besides the data.
        /// </summary>
        public int BestDataBytes(int unit, int maximum, int overhead)
        {
            double survival = 1 - Math.Min(0.5, ByteErrorRate);
            int best = unit;
            double bestYield = 0;
            for (int data = unit; data <= maximum; data += unit)
            {
                int wire = data + overhead;
                double yield = data / (double)wire * Math.Pow(survival, wire);
                if (yield > bestYield)
                {
                    best = data;
                    bestYield = yield;
                }
            }

            return best;
        }

        private void Add(int wireBytes, int losses)
        {
            _bytes = (_bytes * Decay) + wireBytes;
            _losses = (_losses * Decay) + losses;
        }
    }
}
