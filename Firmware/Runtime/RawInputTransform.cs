namespace NanoInt8.Runtime
{
    /// <summary>
    /// The integer transform from a sensor's raw readings to a graph input's int8 values, written by
    /// the converter (hosttool convert --raw-input-scale S --raw-input-offset O: the model's real input
    /// is (raw - O) · S) into the host metadata under key <see cref="MetadataKey"/>, the one entry of
    /// that section the device reads (docs/model-format.md, "Raw input transform"). The value holds,
    /// for each graph input in graph order, <see cref="Words"/> little-endian i32 words:
    /// <code>
    /// 0 Arithmetic   how Multiplier and Shift are applied, a Requantization mode (the converter writes Q31, Q15 or Float32)
    /// 1 Multiplier   the ratio r = S / inputScale as a pair of that arithmetic, r &gt; 0
    /// 2 Shift
    /// 3 RawOffset    O, the reading of real value 0; |O| &lt; 2^30
    /// 4 RawMin       readings below it give the same int8 value as RawMin (-128)
    /// 5 RawMax       readings above it give the same int8 value as RawMax (127)
    /// </code>
    /// and the input's int8 value is
    /// <c>clamp(zeroPoint + Requantization.Apply(clamp(raw, RawMin, RawMax) - RawOffset, Multiplier, Shift, Arithmetic), -128, 127)</c>:
    /// QuantizeLinear of the real value (raw - O) · S, with the one rounding of the pair's arithmetic.
    /// </summary>
    /// <remarks>
    /// Why the clamp to [RawMin, RawMax] changes no result and the arithmetic cannot overflow: the
    /// converter puts RawMin and RawMax where (raw - O) · r is already beyond -129 - zeroPoint and
    /// 128 - zeroPoint, so every reading outside saturates either way. <see cref="IsValid"/> checks
    /// RawMin ≤ O ≤ RawMax, a span D = max(O - RawMin, RawMax - O) of at most 2^30, so the difference
    /// fits an int, and D · 2^(Shift + 1) ≤ 2^30: in every arithmetic r &lt; 2^(Shift + 1) (the
    /// multiplier's range ends below the power of two its shift names), so |d · r| &lt; 2^30 and no
    /// arithmetic wraps.
    /// </remarks>
    public static class RawInputTransform
    {
        /// <summary>The host-metadata key of the entry.</summary>
        public const int MetadataKey = 8;

        /// <summary>i32 words per graph input.</summary>
        public const int Words = 6;

        /// <summary>Word: the arithmetic of the pair (a <see cref="Requantization"/> mode).</summary>
        public const int Arithmetic = 0;

        /// <summary>Word: the pair's multiplier.</summary>
        public const int Multiplier = 1;

        /// <summary>Word: the pair's shift.</summary>
        public const int Shift = 2;

        /// <summary>Word: the raw reading of real value 0.</summary>
        public const int RawOffset = 3;

        /// <summary>Word: the lowest reading that does not saturate to the same value as it.</summary>
        public const int RawMin = 4;

        /// <summary>Word: the highest reading that does not saturate to the same value as it.</summary>
        public const int RawMax = 5;

        /// <summary>Largest |RawOffset| plus one, and the largest distance from RawOffset to RawMin or RawMax.</summary>
        public const int MaxRawSpan = 1 << 30;

        // Bytes of an entry's key (u16) and length (u32) in the host metadata.
        private const int EntryHeaderBytes = 6;

        /// <summary>
        /// Finds key <see cref="MetadataKey"/> in the host metadata of <paramref name="blob"/> (a blob
        /// <see cref="ModelReader.TryRead(byte[], int, long, out Model)"/> accepted) and decodes it into
        /// <paramref name="transform"/>: <see cref="Words"/> ints per graph input. Returns
        /// <see cref="EmbeddedModelError.None"/> with a null transform when the model has none, and
        /// <see cref="EmbeddedModelError.BadInputTransform"/> when the metadata cannot be walked, the
        /// key appears twice, its length is not <see cref="Words"/> words per input or a word set is
        /// not <see cref="IsValid"/>.
        /// </summary>
        public static EmbeddedModelError Read(byte[] blob, int inputCount, out int[] transform)
        {
            transform = null;
            int end = ModelReader.GetTotalLength(blob, 0);
            int position = end - ModelReader.ReadInt32(blob, ModelFormat.HeaderMetadataBytes);
            int found = -1;
            while (position < end)
            {
                if (end - position < EntryHeaderBytes)
                {
                    return EmbeddedModelError.BadInputTransform;
                }

                int key = ModelReader.ReadUInt16(blob, position);
                uint length = ModelReader.ReadUInt32(blob, position + 2);
                position += EntryHeaderBytes;
                if (length > (uint)(end - position))
                {
                    return EmbeddedModelError.BadInputTransform;
                }

                if (key == MetadataKey)
                {
                    if (found >= 0 || length != 4 * Words * (uint)inputCount)
                    {
                        return EmbeddedModelError.BadInputTransform;
                    }

                    found = position;
                }

                position += (int)length;
            }

            if (found < 0)
            {
                return EmbeddedModelError.None;
            }

            int[] words = new int[Words * inputCount];
            for (int i = 0; i < words.Length; i++)
            {
                words[i] = ModelReader.ReadInt32(blob, found + 4 * i);
            }

            for (int input = 0; input < inputCount; input++)
            {
                if (!IsValid(words, input * Words))
                {
                    return EmbeddedModelError.BadInputTransform;
                }
            }

            transform = words;
            return EmbeddedModelError.None;
        }

        /// <summary>
        /// True when words[at .. at + <see cref="Words"/>) are a transform this runtime applies without
        /// overflow: a positive pair of a known arithmetic, RawMin ≤ RawOffset ≤ RawMax within
        /// <see cref="MaxRawSpan"/> of each other, |RawOffset| &lt; 2^30, and |d · r| &lt; 2^30 for every
        /// d in the span (class remarks).
        /// </summary>
        public static bool IsValid(int[] words, int at)
        {
            int arithmetic = words[at + Arithmetic];
            int multiplier = words[at + Multiplier];
            int shift = words[at + Shift];
            int offset = words[at + RawOffset];
            if (multiplier == 0 || !Requantization.IsValid(multiplier, shift, arithmetic)
                || offset <= -MaxRawSpan || offset >= MaxRawSpan
                || words[at + RawMin] > offset || words[at + RawMax] < offset)
            {
                return false;
            }

            long span = (long)offset - words[at + RawMin];
            long above = (long)words[at + RawMax] - offset;
            if (above > span)
            {
                span = above;
            }

            // r < 2^(shift + 1) in every arithmetic; shift + 1 <= 31 here (every mode's shift is at most 30).
            return span <= MaxRawSpan && (shift + 1 <= 0 || span << (shift + 1) <= MaxRawSpan);
        }

        /// <summary>
        /// Writes the int8 values of <paramref name="count"/> readings raw[rawOffset ..] into
        /// destination[destinationOffset ..], with the transform at words[at ..] and the input tensor's
        /// <paramref name="zeroPoint"/>. No allocation; the caller checked the ranges.
        /// </summary>
        public static void Apply(int[] words, int at, int zeroPoint, int[] raw, int rawOffset, sbyte[] destination, int destinationOffset, int count)
        {
            int arithmetic = words[at + Arithmetic];
            int multiplier = words[at + Multiplier];
            int shift = words[at + Shift];
            int offset = words[at + RawOffset];
            int low = words[at + RawMin];
            int high = words[at + RawMax];
            int end = rawOffset + count;
            for (int i = rawOffset; i < end; i++)
            {
                int reading = raw[i];
                if (reading < low)
                {
                    reading = low;
                }
                else if (reading > high)
                {
                    reading = high;
                }

                int value = zeroPoint + Requantization.Apply(reading - offset, multiplier, shift, arithmetic);
                destination[destinationOffset++] = (sbyte)(value < -128 ? -128 : value > 127 ? 127 : value);
            }
        }
    }
}
