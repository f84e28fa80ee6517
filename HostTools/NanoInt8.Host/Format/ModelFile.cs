using System.Buffers.Binary;
using System.Collections.Immutable;
using System.Runtime.InteropServices;
using NanoInt8.Runtime;

namespace NanoInt8.Host.Format
{
    /// <summary>
    /// The decoded structure of an .ni8 blob, for host tools (<c>hosttool inspect</c>) and tests:
    /// header, tables, graph I/O, parameter words, constants and metadata.
    /// </summary>
    /// <remarks>
    /// <see cref="Read"/> checks only what it needs to decode the blob: magic, version, both CRCs,
    /// the length against the header counts, every operator's run of words lying inside the
    /// parameter section, and well-formed metadata. Counts, tensor records, operator semantics and
    /// the memory plan are the device reader's to validate; their values are reported as stored.
    /// </remarks>
    public sealed class ModelFile
    {
        private ModelFile(
            ModelHeader header,
            ModelLayout layout,
            ImmutableArray<TensorRecord> tensors,
            ImmutableArray<OperatorRecord> operatorRecords,
            ImmutableArray<ModelOperator> operators,
            ImmutableArray<int> inputs,
            ImmutableArray<int> outputs,
            ImmutableArray<int> parameterWords,
            ImmutableArray<int> int32Constants,
            ImmutableArray<sbyte> int8Constants,
            ModelMetadata metadata)
        {
            Header = header;
            Layout = layout;
            Tensors = tensors;
            OperatorRecords = operatorRecords;
            Operators = operators;
            Inputs = inputs;
            Outputs = outputs;
            ParameterWords = parameterWords;
            Int32Constants = int32Constants;
            Int8Constants = int8Constants;
            Metadata = metadata;
        }

        /// <summary>The header fields as stored.</summary>
        public ModelHeader Header { get; }

        /// <summary>Section offsets implied by the header counts.</summary>
        public ModelLayout Layout { get; }

        /// <summary>The tensor records in index order.</summary>
        public ImmutableArray<TensorRecord> Tensors { get; }

        /// <summary>The operator records in execution order.</summary>
        public ImmutableArray<OperatorRecord> OperatorRecords { get; }

        /// <summary>The operators with their operands and parameters resolved from the parameter section.</summary>
        public ImmutableArray<ModelOperator> Operators { get; }

        /// <summary>Graph input tensor indices.</summary>
        public ImmutableArray<int> Inputs { get; }

        /// <summary>Graph output tensor indices.</summary>
        public ImmutableArray<int> Outputs { get; }

        /// <summary>The whole parameter section.</summary>
        public ImmutableArray<int> ParameterWords { get; }

        /// <summary>The int32 constants section.</summary>
        public ImmutableArray<int> Int32Constants { get; }

        /// <summary>The int8 constants section, without its padding.</summary>
        public ImmutableArray<sbyte> Int8Constants { get; }

        /// <summary>The host metadata.</summary>
        public ModelMetadata Metadata { get; }

        /// <summary>Decodes an .ni8 blob.</summary>
        /// <exception cref="ModelFormatException">The blob cannot be decoded; the message says why.</exception>
        public static ModelFile Read(byte[] blob)
        {
            ArgumentNullException.ThrowIfNull(blob);
            ModelHeader header = ModelHeader.Parse(blob);
            if (header.Magic != ModelFormat.Magic)
            {
                throw new ModelFormatException($"Bad magic 0x{header.Magic:X8}: not an .ni8 blob.");
            }

            if (header.Version < ModelFormat.MinVersion || header.Version > ModelFormat.Version)
            {
                throw new ModelFormatException($"Format version {header.Version}; this tool reads versions {ModelFormat.MinVersion} to {ModelFormat.Version}.");
            }

            uint headerCrc = Crc32.Compute(blob, 0, ModelHeader.HeaderCrcOffset);
            if (headerCrc != header.HeaderCrc32)
            {
                throw new ModelFormatException($"Header CRC 0x{header.HeaderCrc32:X8} stored, 0x{headerCrc:X8} computed.");
            }

            if (header.TotalLength != blob.Length)
            {
                throw new ModelFormatException($"totalLength is {header.TotalLength} but the blob has {blob.Length} bytes.");
            }

            ModelLayout layout = ModelLayout.FromHeader(header);
            if (layout.TotalLength != blob.Length)
            {
                throw new ModelFormatException($"The header counts add up to {layout.TotalLength} bytes but the blob has {blob.Length}.");
            }

            uint payloadCrc = Crc32.Compute(blob, ModelFormat.HeaderSize, blob.Length - ModelFormat.HeaderSize);
            if (payloadCrc != header.PayloadCrc32)
            {
                throw new ModelFormatException($"Payload CRC 0x{header.PayloadCrc32:X8} stored, 0x{payloadCrc:X8} computed.");
            }

            // Every section lies inside the blob now, so the offsets and counts below fit in an int.
            ImmutableArray<TensorRecord>.Builder tensors = ImmutableArray.CreateBuilder<TensorRecord>((int)header.TensorCount);
            for (int index = 0; index < (int)header.TensorCount; index++)
            {
                int position = (int)layout.TensorTableOffset + (index * ModelFormat.TensorRecordSize);
                tensors.Add(TensorRecord.Parse(blob.AsSpan(position, ModelFormat.TensorRecordSize)));
            }

            ImmutableArray<int> parameterWords = ReadWords(blob, layout.ParametersOffset, header.ParameterWords);
            ImmutableArray<OperatorRecord>.Builder records = ImmutableArray.CreateBuilder<OperatorRecord>((int)header.OperatorCount);
            ImmutableArray<ModelOperator>.Builder operators = ImmutableArray.CreateBuilder<ModelOperator>((int)header.OperatorCount);
            for (int index = 0; index < (int)header.OperatorCount; index++)
            {
                int position = (int)layout.OperatorTableOffset + (index * ModelFormat.OperatorRecordSize);
                OperatorRecord record = OperatorRecord.Parse(blob.AsSpan(position, ModelFormat.OperatorRecordSize));
                records.Add(record);
                operators.Add(ResolveOperator(index, record, parameterWords));
            }

            int int8Bytes = (int)header.Int8Bytes;
            ReadOnlySpan<byte> int8Section = blob.AsSpan((int)layout.Int8ConstantsOffset, int8Bytes);
            ModelMetadata metadata = ModelMetadata.Read(blob.AsSpan((int)layout.MetadataOffset, (int)header.MetadataBytes));
            if (metadata.RawInputs.Count != 0 && metadata.RawInputs.Count != header.InputCount)
            {
                // The device reads key 8 as one transform per graph input (RawInputTransform) and refuses any other length.
                throw new ModelFormatException($"Metadata: {metadata.RawInputs.Count} raw input transforms for {header.InputCount} graph inputs.");
            }

            return new ModelFile(
                header,
                layout,
                tensors.MoveToImmutable(),
                records.MoveToImmutable(),
                operators.MoveToImmutable(),
                ReadIndices(blob, layout.InputsOffset, header.InputCount, "input"),
                ReadIndices(blob, layout.OutputsOffset, header.OutputCount, "output"),
                parameterWords,
                ReadWords(blob, layout.Int32ConstantsOffset, header.Int32Words),
                MemoryMarshal.Cast<byte, sbyte>(int8Section).ToImmutableArray(),
                metadata);
        }

        private static ModelOperator ResolveOperator(int index, OperatorRecord record, ImmutableArray<int> parameterWords)
        {
            long end = (long)record.ParameterOffset + record.ParameterCount;
            if (end > parameterWords.Length)
            {
                throw new ModelFormatException(
                    $"Operator {index}: words [{record.ParameterOffset}, {end}) lie outside the {parameterWords.Length}-word parameter section.");
            }

            int operandCount = record.InputCount + record.OutputCount;
            if (operandCount > record.ParameterCount)
            {
                throw new ModelFormatException(
                    $"Operator {index}: {operandCount} operands but only {record.ParameterCount} words.");
            }

            ImmutableArray<int> words = parameterWords.Slice((int)record.ParameterOffset, (int)record.ParameterCount);
            return new ModelOperator(
                record.OpCode,
                words.Slice(0, record.InputCount),
                words.Slice(record.InputCount, record.OutputCount),
                words.Slice(operandCount, words.Length - operandCount));
        }

        private static ImmutableArray<int> ReadIndices(byte[] blob, long offset, uint count, string what)
        {
            ImmutableArray<int>.Builder indices = ImmutableArray.CreateBuilder<int>((int)count);
            for (int position = 0; position < (int)count; position++)
            {
                uint index = BinaryPrimitives.ReadUInt32LittleEndian(blob.AsSpan((int)offset + (4 * position)));
                if (index > int.MaxValue)
                {
                    throw new ModelFormatException($"Graph {what} {position} has tensor index {index}, beyond any tensor.");
                }

                indices.Add((int)index);
            }

            return indices.MoveToImmutable();
        }

        private static ImmutableArray<int> ReadWords(byte[] blob, long offset, uint count)
        {
            ImmutableArray<int>.Builder words = ImmutableArray.CreateBuilder<int>((int)count);
            for (int position = 0; position < (int)count; position++)
            {
                words.Add(BinaryPrimitives.ReadInt32LittleEndian(blob.AsSpan((int)offset + (4 * position))));
            }

            return words.MoveToImmutable();
        }
    }
}
