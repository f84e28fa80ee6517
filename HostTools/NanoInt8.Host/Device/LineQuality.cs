namespace NanoInt8.Host.Device
{
    /// <summary>
    /// What the host has learned about the line from the frames it sent and the answers it got:
    /// an estimate of the probability that one byte on the wire is damaged, lost or doubled (any
    /// of which makes its frame fail its CRC), and from it the frame length that carries the most
    /// data per byte sent. Frames shrink under errors and grow back when the line is clean.
    /// </summary>
    /// <remarks>
    /// A frame of L wire bytes arrives intact with probability (1 - q)^L, so when a share f of
    /// frames of mean length L is lost, q = 1 - (1 - f)^(1/L): for a small q about lost frames
    /// over bytes sent, and towards 1/2 (the cap) as f nears 1, where losses over bytes would
    /// stay near 1/L however bad the line (every frame lost says little about how short a frame
    /// must be to pass). Frames, losses and bytes are decayed by <see cref="Decay"/> per frame,
    /// so the last few dozen frames count. It starts from <see cref="PriorFrames"/> clean frames of
    /// <see cref="PriorBytes"/> bytes in all: a fresh session assumes a clean line and sends full frames. A frame of d data bytes and o bytes of overhead delivers
    /// d / (d + o) · (1 - q)^(d + o) of the line to the data; <see cref="BestDataBytes"/> picks
    /// the d with the most among multiples of a unit.
    /// </remarks>
    internal sealed class LineQuality
    {
        private const double Decay = 0.97;
        private const double PriorBytes = 4000;
        private const double PriorFrames = 8;
        private const double MaxRate = 0.5;
        private const double CobsGrowth = 255.0 / 254.0;

        private double _bytes = PriorBytes;
        private double _frames = PriorFrames;
        private double _losses;

        /// <summary>The estimated probability that a wire byte spoils its frame.</summary>
        public double ByteErrorRate
        {
            get
            {
                double lostShare = _losses / _frames;
                return lostShare >= 1 ? MaxRate : Math.Min(MaxRate, 1 - Math.Pow(1 - lostShare, _frames / _bytes));
            }
        }

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
        /// How many times longer than on a clean line a device may stay silent before it counts as
        /// gone: the expected number of tries until a request of <paramref name="exchangeWireBytes"/>
        /// (request and answer together) gets through, 1 / (1 - q)^bytes, at most <paramref name="maximum"/>.
        /// On a noisy line a device that is there answers nothing as long as every request arrives spoilt.
        /// </summary>
        public double SilenceFactor(int exchangeWireBytes, double maximum)
        {
            double survival = Math.Pow(1 - ByteErrorRate, exchangeWireBytes);
            return Math.Clamp(1 / survival, 1, maximum);
        }

        /// <summary>
        /// The data bytes per frame (a multiple of <paramref name="unit"/> from one unit up to
        /// <paramref name="maximum"/>) that carry the most data per wire byte at the estimated error
        /// rate, given <paramref name="overhead"/> wire bytes per frame besides the data and COBS's
        /// extra byte per 254 (counted here as a share, since it grows with the data: a step of one
        /// byte at 254 would make a frame just below it look better than a full one on a clean line).
        /// </summary>
        public int BestDataBytes(int unit, int maximum, int overhead)
        {
            double survival = 1 - ByteErrorRate;
            int best = unit;
            double bestYield = 0;
            for (int data = unit; data <= maximum; data += unit)
            {
                double wire = (data + overhead) * CobsGrowth;
                double yield = data / wire * Math.Pow(survival, wire);
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
            _frames = (_frames * Decay) + 1;
            _losses = (_losses * Decay) + losses;
        }
    }
}
