using NanoInt8.Host.Format;
using NanoInt8.Runtime;

namespace NanoInt8.Host.Tests.Format
{
    /// <summary>
    /// A written blob labelled with another format version, its header in that version's layout
    /// (before version 4: u32 inputCount and outputCount, no work) and its header CRC recomputed:
    /// what a host of that version would have written for the same bytes, so a test can check what
    /// a reader of each version makes of them.
    /// </summary>
    internal static class FormatVersions
    {
        public static byte[] Relabel(byte[] blob, int version)
        {
            byte[] copy = (byte[])blob.Clone();
            ModelHeader header = ModelHeader.Parse(copy) with { Version = (ushort)version };
            header = header with { Work = header.HasWork ? header.Work : 0 };
            header.WriteTo(copy);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(ModelHeader.HeaderCrcOffset), Crc32.Compute(copy, 0, ModelHeader.HeaderCrcOffset));
            return copy;
        }
    }
}
