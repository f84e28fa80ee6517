using NanoInt8.Runtime;

namespace NanoInt8.Host.Format
{
    /// <summary>
    /// The integer transform from a sensor's raw readings to one graph input's int8 values, stored in
    /// metadata key 8 as six i32 words in this order (<see cref="RawInputTransform"/>, which the device
    /// applies: int8 = clamp(zeroPoint + Apply(clamp(raw, RawMin, RawMax) - RawOffset, Multiplier, Shift, Arithmetic))).
    /// </summary>
    /// <param name="Arithmetic">How the pair is applied: a <see cref="Requantization"/> mode.</param>
    /// <param name="Multiplier">The pair's multiplier: the ratio raw scale / input scale.</param>
    /// <param name="Shift">The pair's shift.</param>
    /// <param name="RawOffset">The raw reading of real value 0.</param>
    /// <param name="RawMin">Readings below it saturate as it does (to -128).</param>
    /// <param name="RawMax">Readings above it saturate as it does (to 127).</param>
    public readonly record struct RawInputEntry(int Arithmetic, int Multiplier, int Shift, int RawOffset, int RawMin, int RawMax)
    {
        /// <summary>The six words, in the order of the metadata and of <see cref="RawInputTransform"/>'s word names.</summary>
        public int[] ToWords()
        {
            int[] words = new int[RawInputTransform.Words];
            words[RawInputTransform.Arithmetic] = Arithmetic;
            words[RawInputTransform.Multiplier] = Multiplier;
            words[RawInputTransform.Shift] = Shift;
            words[RawInputTransform.RawOffset] = RawOffset;
            words[RawInputTransform.RawMin] = RawMin;
            words[RawInputTransform.RawMax] = RawMax;
            return words;
        }

        /// <summary>The entry of six words in metadata order.</summary>
        public static RawInputEntry FromWords(ReadOnlySpan<int> words) => new(
            words[RawInputTransform.Arithmetic], words[RawInputTransform.Multiplier], words[RawInputTransform.Shift],
            words[RawInputTransform.RawOffset], words[RawInputTransform.RawMin], words[RawInputTransform.RawMax]);

        /// <summary>True when the device applies it (<see cref="RawInputTransform.IsValid"/>).</summary>
        public bool IsValid => RawInputTransform.IsValid(ToWords(), 0);
    }
}
