using System.Buffers.Binary;
using NanoInt8.Runtime;

namespace NanoInt8.Host.Format
{
    /// <summary>
    /// The 64-byte header of an .ni8 blob, field by field as docs/model-format.md lays it out:
    /// <code>
    ///  0 u8[4] magic "NI8M"     4 u16 version           6 u16 flags           8 u32 totalLength
    /// 12 u32 payloadCrc32      16 u32 arenaBytes       20 u32 deviceBytes    24 u32 tensorCount
    /// 28 u32 operatorCount     32 u16 inputCount       34 u16 outputCount    36 u32 workPerInference
    /// 40 u32 parameterWords    44 u32 int32Words       48 u32 int8Bytes      52 u32 metadataBytes
    /// 56 u32 scratchWords      60 u32 headerCrc32 (CRC-32 of bytes [0, 60))
    /// </code>
    /// Before version 4 (<see cref="ModelFormat.WorkVersion"/>) bytes 32 .. 39 are u32 inputCount
    /// and u32 outputCount, and there is no work field.
    /// The record holds the values as they are, valid or not, so tools can show and tests can
    /// craft any header.
    /// </summary>
    public sealed record ModelHeader
    {
        /// <summary>Offset of the header CRC, which covers the bytes before it.</summary>
        public const int HeaderCrcOffset = 60;

        /// <summary>The magic number read as a little-endian u32 (<see cref="ModelFormat.Magic"/> when valid).</summary>
        public uint Magic { get; init; } = ModelFormat.Magic;

        /// <summary>Format version (<see cref="ModelFormat.Version"/> as the writer writes it).</summary>
        public ushort Version { get; init; } = ModelFormat.Version;

        /// <summary>Flags: bits 0-1 the requantization arithmetic, bit 2 per-tensor weights (<see cref="Requantization"/>); other bits 0.</summary>
        public ushort Flags { get; init; }

        /// <summary>Length of the whole blob in bytes.</summary>
        public uint TotalLength { get; init; }

        /// <summary>CRC-32 of bytes [64, totalLength).</summary>
        public uint PayloadCrc32 { get; init; }

        /// <summary>Size of the activation arena.</summary>
        public uint ArenaBytes { get; init; }

        /// <summary>Bytes the runtime allocates to hold the model (see <see cref="ExpectedDeviceBytes"/>).</summary>
        public uint DeviceBytes { get; init; }

        /// <summary>Number of tensor records.</summary>
        public uint TensorCount { get; init; }

        /// <summary>Number of operator records.</summary>
        public uint OperatorCount { get; init; }

        /// <summary>Number of graph inputs.</summary>
        public uint InputCount { get; init; }

        /// <summary>Number of graph outputs.</summary>
        public uint OutputCount { get; init; }

        /// <summary>Work units of one inference (docs/model-format.md, "Work"); 0 before version 4, which has no such field.</summary>
        public uint Work { get; init; }

        /// <summary>True when the version has the work field (and 16-bit input and output counts).</summary>
        public bool HasWork => Version >= ModelFormat.WorkVersion;

        /// <summary>Number of i32 words in the parameter section.</summary>
        public uint ParameterWords { get; init; }

        /// <summary>Number of i32 constants.</summary>
        public uint Int32Words { get; init; }

        /// <summary>Number of i8 constants, before the padding to a multiple of 4.</summary>
        public uint Int8Bytes { get; init; }

        /// <summary>Length of the host-metadata section.</summary>
        public uint MetadataBytes { get; init; }

        /// <summary>64-bit words of packed-operand scratch the interpreter allocates (0 without packed operators).</summary>
        public uint ScratchWords { get; init; }

        /// <summary>CRC-32 of header bytes [0, 60).</summary>
        public uint HeaderCrc32 { get; init; }

        /// <summary>
        /// deviceBytes by the format's formula: arenaBytes + int8Bytes + 4 × int32Words
        /// + 4 × parameterWords + 48 × tensorCount + 16 × operatorCount + 4 × (inputCount + outputCount)
        /// + 8 × scratchWords.
        /// Computed in 64 bits, so it can exceed what the u32 field holds.
        /// </summary>
        public long ExpectedDeviceBytes =>
            (long)ArenaBytes
            + Int8Bytes
            + 4L * Int32Words
            + 4L * ParameterWords
            + (long)ModelFormat.DeviceBytesPerTensor * TensorCount
            + (long)ModelFormat.DeviceBytesPerOperator * OperatorCount
            + 4L * ((long)InputCount + OutputCount)
            + (long)ModelFormat.DeviceBytesPerScratchWord * ScratchWords;

        /// <summary>Reads the 64 header bytes at the start of <paramref name="blob"/>, without checking them.</summary>
        /// <exception cref="ModelFormatException">The blob is shorter than the header.</exception>
        public static ModelHeader Parse(ReadOnlySpan<byte> blob)
        {
            if (blob.Length < ModelFormat.HeaderSize)
            {
                throw new ModelFormatException($"The blob has {blob.Length} bytes, fewer than the {ModelFormat.HeaderSize}-byte header.");
            }

            bool withWork = BinaryPrimitives.ReadUInt16LittleEndian(blob.Slice(4)) >= ModelFormat.WorkVersion;
            return new ModelHeader
            {
                Magic = BinaryPrimitives.ReadUInt32LittleEndian(blob.Slice(0)),
                Version = BinaryPrimitives.ReadUInt16LittleEndian(blob.Slice(4)),
                Flags = BinaryPrimitives.ReadUInt16LittleEndian(blob.Slice(6)),
                TotalLength = BinaryPrimitives.ReadUInt32LittleEndian(blob.Slice(8)),
                PayloadCrc32 = BinaryPrimitives.ReadUInt32LittleEndian(blob.Slice(12)),
                ArenaBytes = BinaryPrimitives.ReadUInt32LittleEndian(blob.Slice(16)),
                DeviceBytes = BinaryPrimitives.ReadUInt32LittleEndian(blob.Slice(20)),
                TensorCount = BinaryPrimitives.ReadUInt32LittleEndian(blob.Slice(24)),
                OperatorCount = BinaryPrimitives.ReadUInt32LittleEndian(blob.Slice(28)),
                InputCount = withWork ? BinaryPrimitives.ReadUInt16LittleEndian(blob.Slice(32)) : BinaryPrimitives.ReadUInt32LittleEndian(blob.Slice(32)),
                OutputCount = withWork ? BinaryPrimitives.ReadUInt16LittleEndian(blob.Slice(34)) : BinaryPrimitives.ReadUInt32LittleEndian(blob.Slice(36)),
                Work = withWork ? BinaryPrimitives.ReadUInt32LittleEndian(blob.Slice(36)) : 0,
                ParameterWords = BinaryPrimitives.ReadUInt32LittleEndian(blob.Slice(40)),
                Int32Words = BinaryPrimitives.ReadUInt32LittleEndian(blob.Slice(44)),
                Int8Bytes = BinaryPrimitives.ReadUInt32LittleEndian(blob.Slice(48)),
                MetadataBytes = BinaryPrimitives.ReadUInt32LittleEndian(blob.Slice(52)),
                ScratchWords = BinaryPrimitives.ReadUInt32LittleEndian(blob.Slice(56)),
                HeaderCrc32 = BinaryPrimitives.ReadUInt32LittleEndian(blob.Slice(HeaderCrcOffset)),
            };
        }

        /// <summary>
        /// Writes every field, <see cref="HeaderCrc32"/> included, as it stands into the first 64
        /// bytes of <paramref name="destination"/>.
        /// </summary>
        public void WriteTo(Span<byte> destination)
        {
            if (destination.Length < ModelFormat.HeaderSize)
            {
                throw new ArgumentException($"The destination holds fewer than {ModelFormat.HeaderSize} bytes.", nameof(destination));
            }

            BinaryPrimitives.WriteUInt32LittleEndian(destination.Slice(0), Magic);
            BinaryPrimitives.WriteUInt16LittleEndian(destination.Slice(4), Version);
            BinaryPrimitives.WriteUInt16LittleEndian(destination.Slice(6), Flags);
            BinaryPrimitives.WriteUInt32LittleEndian(destination.Slice(8), TotalLength);
            BinaryPrimitives.WriteUInt32LittleEndian(destination.Slice(12), PayloadCrc32);
            BinaryPrimitives.WriteUInt32LittleEndian(destination.Slice(16), ArenaBytes);
            BinaryPrimitives.WriteUInt32LittleEndian(destination.Slice(20), DeviceBytes);
            BinaryPrimitives.WriteUInt32LittleEndian(destination.Slice(24), TensorCount);
            BinaryPrimitives.WriteUInt32LittleEndian(destination.Slice(28), OperatorCount);
            if (HasWork)
            {
                // Counts above 65535 are written cut to 16 bits: the reader refuses any count above 255.
                BinaryPrimitives.WriteUInt16LittleEndian(destination.Slice(32), (ushort)InputCount);
                BinaryPrimitives.WriteUInt16LittleEndian(destination.Slice(34), (ushort)OutputCount);
                BinaryPrimitives.WriteUInt32LittleEndian(destination.Slice(36), Work);
            }
            else
            {
                BinaryPrimitives.WriteUInt32LittleEndian(destination.Slice(32), InputCount);
                BinaryPrimitives.WriteUInt32LittleEndian(destination.Slice(36), OutputCount);
            }

            BinaryPrimitives.WriteUInt32LittleEndian(destination.Slice(40), ParameterWords);
            BinaryPrimitives.WriteUInt32LittleEndian(destination.Slice(44), Int32Words);
            BinaryPrimitives.WriteUInt32LittleEndian(destination.Slice(48), Int8Bytes);
            BinaryPrimitives.WriteUInt32LittleEndian(destination.Slice(52), MetadataBytes);
            BinaryPrimitives.WriteUInt32LittleEndian(destination.Slice(56), ScratchWords);
            BinaryPrimitives.WriteUInt32LittleEndian(destination.Slice(HeaderCrcOffset), HeaderCrc32);
        }
    }
}
