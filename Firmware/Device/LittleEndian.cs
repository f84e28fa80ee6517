namespace NanoInt8.Device
{
    /// <summary>
    /// Little-endian integer fields in byte arrays, as every protocol field is written. Plain shifts:
    /// nanoFramework's BitConverter allocates a new array per call.
    /// </summary>
    public static class LittleEndian
    {
        /// <summary>The u16 at data[offset].</summary>
        public static int ReadUInt16(byte[] data, int offset)
        {
            return data[offset] | data[offset + 1] << 8;
        }

        /// <summary>The u32 at data[offset].</summary>
        public static uint ReadUInt32(byte[] data, int offset)
        {
            return (uint)(data[offset] | data[offset + 1] << 8 | data[offset + 2] << 16 | data[offset + 3] << 24);
        }

        /// <summary>The u64 at data[offset], as a long.</summary>
        public static long ReadInt64(byte[] data, int offset)
        {
            return ReadUInt32(data, offset) | (long)ReadUInt32(data, offset + 4) << 32;
        }

        /// <summary>Writes the low 16 bits of <paramref name="value"/> at data[offset].</summary>
        public static void WriteUInt16(byte[] data, int offset, int value)
        {
            data[offset] = (byte)value;
            data[offset + 1] = (byte)(value >> 8);
        }

        /// <summary>Writes <paramref name="value"/> as a u32 at data[offset].</summary>
        public static void WriteUInt32(byte[] data, int offset, uint value)
        {
            data[offset] = (byte)value;
            data[offset + 1] = (byte)(value >> 8);
            data[offset + 2] = (byte)(value >> 16);
            data[offset + 3] = (byte)(value >> 24);
        }

        /// <summary>Writes <paramref name="value"/> as a u64 at data[offset].</summary>
        public static void WriteInt64(byte[] data, int offset, long value)
        {
            WriteUInt32(data, offset, (uint)value);
            WriteUInt32(data, offset + 4, (uint)(value >> 32));
        }
    }
}
