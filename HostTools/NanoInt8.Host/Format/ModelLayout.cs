using NanoInt8.Runtime;

namespace NanoInt8.Host.Format
{
    /// <summary>
    /// Where each section of an .ni8 blob starts. The sections follow each other with no gaps, in
    /// this order: header (64), tensor table (32 × tensorCount), operator table (12 × operatorCount),
    /// graph inputs (4 × inputCount), graph outputs (4 × outputCount), parameters
    /// (4 × parameterWords), int32 constants (4 × int32Words), int8 constants (int8Bytes padded
    /// with zeros to a multiple of 4), host metadata (metadataBytes). Offsets are 64-bit so that a
    /// header with any u32 counts can be laid out without overflow.
    /// </summary>
    public sealed class ModelLayout
    {
        private ModelLayout(ModelHeader header)
        {
            OperatorTableOffset = TensorTableOffset + (long)ModelFormat.TensorRecordSize * header.TensorCount;
            InputsOffset = OperatorTableOffset + (long)ModelFormat.OperatorRecordSize * header.OperatorCount;
            OutputsOffset = InputsOffset + 4L * header.InputCount;
            ParametersOffset = OutputsOffset + 4L * header.OutputCount;
            Int32ConstantsOffset = ParametersOffset + 4L * header.ParameterWords;
            Int8ConstantsOffset = Int32ConstantsOffset + 4L * header.Int32Words;
            Int8PaddedBytes = (header.Int8Bytes + 3L) & ~3L;
            MetadataOffset = Int8ConstantsOffset + Int8PaddedBytes;
            TotalLength = MetadataOffset + header.MetadataBytes;
        }

        /// <summary>Offset of the tensor table: right after the header.</summary>
        public long TensorTableOffset => ModelFormat.HeaderSize;

        /// <summary>Offset of the operator table.</summary>
        public long OperatorTableOffset { get; }

        /// <summary>Offset of the graph input indices.</summary>
        public long InputsOffset { get; }

        /// <summary>Offset of the graph output indices.</summary>
        public long OutputsOffset { get; }

        /// <summary>Offset of the operator parameter words.</summary>
        public long ParametersOffset { get; }

        /// <summary>Offset of the int32 constants.</summary>
        public long Int32ConstantsOffset { get; }

        /// <summary>Offset of the int8 constants.</summary>
        public long Int8ConstantsOffset { get; }

        /// <summary>Size of the int8 constants section with its padding to a multiple of 4.</summary>
        public long Int8PaddedBytes { get; }

        /// <summary>Offset of the host metadata.</summary>
        public long MetadataOffset { get; }

        /// <summary>Length of the whole blob: the sum of all sections.</summary>
        public long TotalLength { get; }

        /// <summary>The layout that the counts in <paramref name="header"/> imply.</summary>
        public static ModelLayout FromHeader(ModelHeader header)
        {
            ArgumentNullException.ThrowIfNull(header);
            return new ModelLayout(header);
        }
    }
}
