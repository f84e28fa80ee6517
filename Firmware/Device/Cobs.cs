namespace NanoInt8.Device
{
    /// <summary>
    /// Consistent Overhead Byte Stuffing (Cheshire and Baker, 1999): rewrites a block of bytes so
    /// that it contains no 0x00, which then delimits frames on the wire.
    /// </summary>
    /// <remarks>
    /// The encoded block is a sequence of groups. Each group starts with a code byte c (1 .. 255)
    /// followed by c - 1 non-zero data bytes; a group with c &lt; 255 stands for its data followed by
    /// one 0x00, except the last group, whose zero is implicit (the end of the block). A group of
    /// code 255 carries 254 data bytes and no zero, so a run of 254 non-zero bytes costs one extra
    /// byte: an encoded block is at most <c>n + n / 254 + 1</c> bytes for n input bytes.
    /// </remarks>
    public static class Cobs
    {
        /// <summary>Most bytes <see cref="Encode"/> writes for <paramref name="length"/> input bytes.</summary>
        public static int MaxEncodedLength(int length)
        {
            return length + length / 254 + 1;
        }

        /// <summary>
        /// Encodes source[offset .. offset + count) into destination[destinationOffset ..], which must
        /// hold <see cref="MaxEncodedLength"/>(count) bytes. Writes no delimiter. Returns the number
        /// of bytes written (at least 1). Source and destination must not overlap.
        /// </summary>
        public static int Encode(byte[] source, int offset, int count, byte[] destination, int destinationOffset)
        {
            int end = offset + count;
            int codeIndex = destinationOffset;
            int write = destinationOffset + 1;
            int code = 1;
            for (int read = offset; read < end; read++)
            {
                byte value = source[read];
                if (value == 0)
                {
                    destination[codeIndex] = (byte)code;
                    codeIndex = write++;
                    code = 1;
                    continue;
                }

                destination[write++] = value;
                code++;
                if (code == 0xFF)
                {
                    destination[codeIndex] = 0xFF;
                    codeIndex = write++;
                    code = 1;
                }
            }

            destination[codeIndex] = (byte)code;
            return write - destinationOffset;
        }

        /// <summary>
        /// Decodes source[offset .. offset + count) (without its delimiter) into
        /// destination[destinationOffset ..], which must hold count bytes. Returns the number of
        /// decoded bytes, or -1 when the block is not valid COBS (a 0x00 inside it, or a group
        /// running past its end). Decoding in place (the same array and offset) is allowed: the
        /// write position never passes the read position.
        /// </summary>
        public static int Decode(byte[] source, int offset, int count, byte[] destination, int destinationOffset)
        {
            int read = offset;
            int end = offset + count;
            int write = destinationOffset;
            while (read < end)
            {
                int code = source[read++];
                if (code == 0)
                {
                    return -1;
                }

                int groupEnd = read + code - 1;
                if (groupEnd > end)
                {
                    return -1;
                }

                // Byte by byte rather than Array.Copy: forward copying is what makes in-place
                // decoding safe, and the zero check costs nothing extra.
                while (read < groupEnd)
                {
                    byte value = source[read++];
                    if (value == 0)
                    {
                        return -1;
                    }

                    destination[write++] = value;
                }

                if (code != 0xFF && read < end)
                {
                    destination[write++] = 0;
                }
            }

            return write - destinationOffset;
        }
    }
}
