namespace NanoInt8.Runtime
{
    /// <summary>
    /// CRC-32 as zlib and PNG compute it (IEEE 802.3, reflected polynomial 0xEDB88320, initial
    /// value and final XOR 0xFFFFFFFF), table driven: one table lookup per byte.
    /// </summary>
    public static class Crc32
    {
        private static readonly uint[] s_table = BuildTable();

        /// <summary>Starting value of a running CRC; pass it to <see cref="Update"/> first.</summary>
        public const uint Initial = 0xFFFFFFFF;

        /// <summary>The CRC-32 of data[offset, offset + count).</summary>
        public static uint Compute(byte[] data, int offset, int count)
        {
            return Finish(Update(Initial, data, offset, count));
        }

        /// <summary>Feeds data[offset, offset + count) into a running CRC started with <see cref="Initial"/>.</summary>
        public static uint Update(uint crc, byte[] data, int offset, int count)
        {
            uint[] table = s_table;
            int end = offset + count;
            for (int i = offset; i < end; i++)
            {
                crc = table[(crc ^ data[i]) & 0xFF] ^ (crc >> 8);
            }

            return crc;
        }

        /// <summary>The final CRC value of a running CRC.</summary>
        public static uint Finish(uint crc)
        {
            return crc ^ 0xFFFFFFFF;
        }

        private static uint[] BuildTable()
        {
            uint[] table = new uint[256];
            for (uint n = 0; n < 256; n++)
            {
                uint c = n;
                for (int k = 0; k < 8; k++)
                {
                    c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
                }

                table[n] = c;
            }

            return table;
        }
    }
}
