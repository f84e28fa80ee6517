using System.Buffers.Binary;
using System.Text;

namespace NanoInt8.Host.Format
{
    /// <summary>
    /// The host-metadata section of an .ni8 blob, which the device skips. It is a sequence of
    /// entries, each <c>u16 key, u32 length, length bytes</c>:
    /// <code>
    /// key 1  model name, UTF-8
    /// key 2  SHA-256 of the source model file, 32 bytes
    /// key 3  per graph input, then per graph output, 13 bytes each:
    ///        u32 tensorIndex, f32 scale, i32 zeroPoint, u8 originalType (1 float32, 2 int8, 3 uint8)
    /// key 4  converter version, UTF-8
    /// key 5  tensor names: u32 count, then per tensor (list index = tensor index) u16 byteLength, UTF-8 bytes
    /// key 6  operator source names (the ONNX node or nodes each operator came from, e.g. "conv1+relu1"),
    ///        same encoding, list index = operator index
    /// key 7  class labels: u32 outputCount, then per graph output in order the key-5 encoding of its
    ///        labels (u32 count, then per class u16 byteLength, UTF-8 bytes); count 0 for an output without
    /// key 8  raw input transform: per graph input, six i32 words (RawInputEntry); the one key the
    ///        device reads (RawInputTransform), so that an app can feed raw sensor readings
    /// </code>
    /// Readers skip keys they do not know, so later tools can add entries without a format version
    /// change. This class writes the known keys in ascending order and omits absent ones.
    /// </summary>
    public sealed class ModelMetadata
    {
        /// <summary>Key of the model name entry.</summary>
        public const ushort ModelNameKey = 1;

        /// <summary>Key of the source hash entry.</summary>
        public const ushort SourceSha256Key = 2;

        /// <summary>Key of the graph I/O quantization entry.</summary>
        public const ushort QuantizationKey = 3;

        /// <summary>Key of the converter version entry.</summary>
        public const ushort ConverterVersionKey = 4;

        /// <summary>Key of the tensor names entry.</summary>
        public const ushort TensorNamesKey = 5;

        /// <summary>Key of the operator source names entry.</summary>
        public const ushort OperatorNamesKey = 6;

        /// <summary>Key of the class labels entry.</summary>
        public const ushort ClassLabelsKey = 7;

        /// <summary>Key of the raw input transform entry, which the device reads (<see cref="Runtime.RawInputTransform"/>).</summary>
        public const ushort RawInputKey = Runtime.RawInputTransform.MetadataKey;

        /// <summary>Bytes of one graph input's raw input transform in key 8.</summary>
        public const int RawInputEntrySize = 4 * Runtime.RawInputTransform.Words;

        /// <summary>Bytes of an entry's key and length fields.</summary>
        public const int EntryHeaderSize = 6;

        /// <summary>Bytes of one quantization entry in key 3.</summary>
        public const int QuantizationEntrySize = 13;

        /// <summary>Bytes of a SHA-256 hash.</summary>
        public const int Sha256Size = 32;

        private static readonly UTF8Encoding s_strictUtf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

        /// <summary>Model name (key 1), or null to omit it.</summary>
        public string? ModelName { get; set; }

        /// <summary>SHA-256 of the source model file (key 2), 32 bytes, or null to omit it.</summary>
        public byte[]? SourceSha256 { get; set; }

        /// <summary>Quantization of each graph input, then each graph output (key 3); omitted when empty.</summary>
        public IList<QuantizationEntry> Quantization { get; } = new List<QuantizationEntry>();

        /// <summary>Version of the converter that wrote the model (key 4), or null to omit it.</summary>
        public string? ConverterVersion { get; set; }

        /// <summary>
        /// Name of each tensor, by tensor index (key 5): for graph inputs and outputs, their ONNX
        /// names. Omitted when empty; <see cref="ModelWriter"/> then writes the builder's tensor names.
        /// Each name is at most 65535 UTF-8 bytes.
        /// </summary>
        public IList<string> TensorNames { get; } = new List<string>();

        /// <summary>
        /// The source of each operator, by operator index (key 6): the ONNX node name, or names
        /// joined with '+' when several nodes were fused (e.g. "conv1+relu1"). Omitted when empty.
        /// Each name is at most 65535 UTF-8 bytes.
        /// </summary>
        public IList<string> OperatorNames { get; } = new List<string>();

        /// <summary>
        /// The class names of each graph output, by output position (key 7): entry i names the
        /// classes along output i's last dimension, in index order; an empty list for an output that
        /// is not a classifier's. Omitted when no output has labels, so a model without labels keeps
        /// its bytes. The device never reads them.
        /// </summary>
        public IList<IList<string>> ClassLabels { get; } = new List<IList<string>>();

        /// <summary>
        /// The raw input transform of each graph input, in graph order (key 8), written by hosttool
        /// convert --raw-input-scale: one entry per graph input or none at all. Omitted when empty, so
        /// a model converted without it keeps its bytes.
        /// </summary>
        public IList<RawInputEntry> RawInputs { get; } = new List<RawInputEntry>();

        /// <summary>The metadata section as it is written into the blob.</summary>
        /// <exception cref="ModelFormatException">An entry cannot be written: a hash that is not
        /// 32 bytes, a negative tensor index, a scale that is not finite and positive, an unknown
        /// original type, a string with an unpaired surrogate, a null name or one longer than
        /// 65535 UTF-8 bytes, a raw input transform the device would refuse.</exception>
        public byte[] ToBytes()
        {
            using MemoryStream stream = new MemoryStream();
            if (ModelName is not null)
            {
                WriteEntry(stream, ModelNameKey, EncodeUtf8(ModelName, "model name"));
            }

            if (SourceSha256 is not null)
            {
                if (SourceSha256.Length != Sha256Size)
                {
                    throw new ModelFormatException($"Metadata: the source hash has {SourceSha256.Length} bytes; a SHA-256 has {Sha256Size}.");
                }

                WriteEntry(stream, SourceSha256Key, SourceSha256);
            }

            if (Quantization.Count > 0)
            {
                byte[] value = new byte[Quantization.Count * QuantizationEntrySize];
                for (int index = 0; index < Quantization.Count; index++)
                {
                    QuantizationEntry entry = Quantization[index];
                    CheckQuantizationEntry(entry, index);
                    Span<byte> destination = value.AsSpan(index * QuantizationEntrySize, QuantizationEntrySize);
                    BinaryPrimitives.WriteUInt32LittleEndian(destination, (uint)entry.TensorIndex);
                    BinaryPrimitives.WriteSingleLittleEndian(destination.Slice(4), entry.Scale);
                    BinaryPrimitives.WriteInt32LittleEndian(destination.Slice(8), entry.ZeroPoint);
                    destination[12] = (byte)entry.OriginalType;
                }

                WriteEntry(stream, QuantizationKey, value);
            }

            if (ConverterVersion is not null)
            {
                WriteEntry(stream, ConverterVersionKey, EncodeUtf8(ConverterVersion, "converter version"));
            }

            if (TensorNames.Count > 0)
            {
                WriteEntry(stream, TensorNamesKey, EncodeNames(TensorNames, "tensor"));
            }

            if (OperatorNames.Count > 0)
            {
                WriteEntry(stream, OperatorNamesKey, EncodeNames(OperatorNames, "operator"));
            }

            if (ClassLabels.Any(labels => labels.Count > 0))
            {
                using MemoryStream labels = new MemoryStream();
                byte[] outputCount = new byte[4];
                BinaryPrimitives.WriteUInt32LittleEndian(outputCount, (uint)ClassLabels.Count);
                labels.Write(outputCount);
                for (int output = 0; output < ClassLabels.Count; output++)
                {
                    labels.Write(EncodeNames(ClassLabels[output] ?? throw new ModelFormatException($"Metadata: the class labels of output {output} are null."), $"output {output}'s class"));
                }

                WriteEntry(stream, ClassLabelsKey, labels.ToArray());
            }

            if (RawInputs.Count > 0)
            {
                byte[] value = new byte[RawInputs.Count * RawInputEntrySize];
                for (int index = 0; index < RawInputs.Count; index++)
                {
                    CheckRawInput(RawInputs[index], index);
                    int[] words = RawInputs[index].ToWords();
                    for (int word = 0; word < words.Length; word++)
                    {
                        BinaryPrimitives.WriteInt32LittleEndian(value.AsSpan((index * words.Length + word) * 4), words[word]);
                    }
                }

                WriteEntry(stream, RawInputKey, value);
            }

            return stream.ToArray();
        }

        /// <summary>
        /// A copy of this metadata whose lists are new lists with the same entries, so that the copy
        /// can be changed without changing this one.
        /// </summary>
        public ModelMetadata Clone()
        {
            ModelMetadata copy = new ModelMetadata
            {
                ModelName = ModelName,
                SourceSha256 = SourceSha256?.ToArray(),
                ConverterVersion = ConverterVersion,
            };
            AddAll(copy.Quantization, Quantization);
            AddAll(copy.TensorNames, TensorNames);
            AddAll(copy.OperatorNames, OperatorNames);
            AddAll(copy.RawInputs, RawInputs);
            foreach (IList<string> labels in ClassLabels)
            {
                copy.ClassLabels.Add(labels.ToList());
            }
            return copy;
        }

        /// <summary>
        /// Reads a metadata section. Entries with unknown keys are skipped; an empty section gives
        /// empty metadata.
        /// </summary>
        /// <exception cref="ModelFormatException">An entry is truncated, a known entry has the wrong
        /// length or content (invalid UTF-8, a hash that is not 32 bytes, a bad quantization entry,
        /// a names entry whose count and lengths do not add up to its size, a raw input transform the
        /// device would refuse), or a known key appears twice.</exception>
        public static ModelMetadata Read(ReadOnlySpan<byte> section)
        {
            ModelMetadata metadata = new ModelMetadata();
            HashSet<ushort> seenKeys = new HashSet<ushort>();
            int position = 0;
            while (position < section.Length)
            {
                if (section.Length - position < EntryHeaderSize)
                {
                    throw new ModelFormatException(
                        $"Metadata: {section.Length - position} bytes left at offset {position}, too few for an entry's key and length.");
                }

                ushort key = BinaryPrimitives.ReadUInt16LittleEndian(section.Slice(position));
                uint length = BinaryPrimitives.ReadUInt32LittleEndian(section.Slice(position + 2));
                position += EntryHeaderSize;
                if (length > (uint)(section.Length - position))
                {
                    throw new ModelFormatException(
                        $"Metadata: the entry with key {key} claims {length} bytes but only {section.Length - position} are left.");
                }

                ReadOnlySpan<byte> value = section.Slice(position, (int)length);
                position += (int)length;
                if (key < ModelNameKey || key > RawInputKey)
                {
                    continue;
                }

                if (!seenKeys.Add(key))
                {
                    throw new ModelFormatException($"Metadata: key {key} appears more than once.");
                }

                switch (key)
                {
                    case ModelNameKey:
                        metadata.ModelName = DecodeUtf8(value, "model name");
                        break;
                    case SourceSha256Key:
                        if (value.Length != Sha256Size)
                        {
                            throw new ModelFormatException($"Metadata: the source hash has {value.Length} bytes; a SHA-256 has {Sha256Size}.");
                        }

                        metadata.SourceSha256 = value.ToArray();
                        break;
                    case QuantizationKey:
                        ReadQuantization(value, metadata.Quantization);
                        break;
                    case ConverterVersionKey:
                        metadata.ConverterVersion = DecodeUtf8(value, "converter version");
                        break;
                    case TensorNamesKey:
                        ReadNames(value, metadata.TensorNames, "tensor");
                        break;
                    case OperatorNamesKey:
                        ReadNames(value, metadata.OperatorNames, "operator");
                        break;
                    case ClassLabelsKey:
                        ReadClassLabels(value, metadata.ClassLabels);
                        break;
                    default:
                        ReadRawInputs(value, metadata.RawInputs);
                        break;
                }
            }

            return metadata;
        }

        private static void ReadQuantization(ReadOnlySpan<byte> value, IList<QuantizationEntry> entries)
        {
            if (value.Length % QuantizationEntrySize != 0)
            {
                throw new ModelFormatException(
                    $"Metadata: the quantization entry has {value.Length} bytes, not a multiple of {QuantizationEntrySize}.");
            }

            for (int index = 0; index < value.Length / QuantizationEntrySize; index++)
            {
                ReadOnlySpan<byte> source = value.Slice(index * QuantizationEntrySize, QuantizationEntrySize);
                uint tensorIndex = BinaryPrimitives.ReadUInt32LittleEndian(source);
                if (tensorIndex > int.MaxValue)
                {
                    throw new ModelFormatException($"Metadata: quantization entry {index} has tensor index {tensorIndex}, beyond any tensor.");
                }

                QuantizationEntry entry = new QuantizationEntry(
                    (int)tensorIndex,
                    BinaryPrimitives.ReadSingleLittleEndian(source.Slice(4)),
                    BinaryPrimitives.ReadInt32LittleEndian(source.Slice(8)),
                    (OriginalElementType)source[12]);
                CheckQuantizationEntry(entry, index);
                entries.Add(entry);
            }
        }

        private static byte[] EncodeNames(IList<string> names, string what)
        {
            // u32 count, then per name u16 byteLength and the UTF-8 bytes.
            using MemoryStream stream = new MemoryStream();
            Span<byte> field = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32LittleEndian(field, (uint)names.Count);
            stream.Write(field);
            for (int index = 0; index < names.Count; index++)
            {
                string name = names[index] ?? throw new ModelFormatException($"Metadata: {what} name {index} is null.");
                byte[] bytes = EncodeUtf8(name, $"{what} name {index}");
                if (bytes.Length > ushort.MaxValue)
                {
                    throw new ModelFormatException(
                        $"Metadata: {what} name {index} has {bytes.Length} UTF-8 bytes; the u16 length field holds at most {ushort.MaxValue}.");
                }

                BinaryPrimitives.WriteUInt16LittleEndian(field, (ushort)bytes.Length);
                stream.Write(field.Slice(0, 2));
                stream.Write(bytes);
            }

            return stream.ToArray();
        }

        private static void ReadNames(ReadOnlySpan<byte> value, IList<string> names, string what)
        {
            int position = 0;
            ReadNames(value, ref position, names, what);
            if (position != value.Length)
            {
                throw new ModelFormatException(
                    $"Metadata: the {what} names entry has {value.Length - position} bytes after its {names.Count} names.");
            }
        }

        /// <summary>Reads one names list (u32 count, then u16 length and UTF-8 bytes per name) starting at <paramref name="position"/>.</summary>
        private static void ReadNames(ReadOnlySpan<byte> value, ref int position, IList<string> names, string what)
        {
            if (value.Length - position < 4)
            {
                throw new ModelFormatException($"Metadata: the {what} names entry has {value.Length - position} bytes left, too few for its u32 count.");
            }

            uint count = BinaryPrimitives.ReadUInt32LittleEndian(value.Slice(position));
            position += 4;
            // Every name takes at least its 2-byte length, which bounds a corrupt count before any loop.
            if (count > (uint)(value.Length - position) / 2)
            {
                throw new ModelFormatException(
                    $"Metadata: the {what} names entry claims {count} names but has only {value.Length - position} bytes for them.");
            }

            for (int index = 0; index < (int)count; index++)
            {
                if (value.Length - position < 2)
                {
                    throw new ModelFormatException($"Metadata: the {what} names entry ends before the length of name {index}.");
                }

                int length = BinaryPrimitives.ReadUInt16LittleEndian(value.Slice(position));
                position += 2;
                if (length > value.Length - position)
                {
                    throw new ModelFormatException(
                        $"Metadata: {what} name {index} claims {length} bytes but only {value.Length - position} are left.");
                }

                names.Add(DecodeUtf8(value.Slice(position, length), $"{what} name {index}"));
                position += length;
            }
        }

        private static void ReadClassLabels(ReadOnlySpan<byte> value, IList<IList<string>> classLabels)
        {
            if (value.Length < 4)
            {
                throw new ModelFormatException($"Metadata: the class labels entry has {value.Length} bytes, too few for its u32 output count.");
            }

            uint outputs = BinaryPrimitives.ReadUInt32LittleEndian(value);
            int position = 4;
            // Every output's list takes at least its 4-byte count.
            if (outputs > (uint)(value.Length - position) / 4)
            {
                throw new ModelFormatException($"Metadata: the class labels entry claims {outputs} outputs but has only {value.Length - position} bytes for them.");
            }

            for (int output = 0; output < (int)outputs; output++)
            {
                List<string> labels = new List<string>();
                ReadNames(value, ref position, labels, $"output {output}'s class");
                classLabels.Add(labels);
            }

            if (position != value.Length)
            {
                throw new ModelFormatException($"Metadata: the class labels entry has {value.Length - position} bytes after its {outputs} outputs.");
            }
        }

        private static void ReadRawInputs(ReadOnlySpan<byte> value, IList<RawInputEntry> entries)
        {
            if (value.Length % RawInputEntrySize != 0)
            {
                throw new ModelFormatException($"Metadata: the raw input entry has {value.Length} bytes, not a multiple of {RawInputEntrySize}.");
            }

            int[] words = new int[Runtime.RawInputTransform.Words];
            for (int index = 0; index < value.Length / RawInputEntrySize; index++)
            {
                for (int word = 0; word < words.Length; word++)
                {
                    words[word] = BinaryPrimitives.ReadInt32LittleEndian(value.Slice((index * words.Length + word) * 4));
                }

                RawInputEntry entry = RawInputEntry.FromWords(words);
                CheckRawInput(entry, index);
                entries.Add(entry);
            }
        }

        private static void CheckRawInput(RawInputEntry entry, int index)
        {
            if (!entry.IsValid)
            {
                throw new ModelFormatException($"Metadata: raw input transform {index} ({entry}) is not one the device applies (docs/model-format.md, \"Raw input transform\").");
            }
        }

        private static void AddAll<T>(IList<T> destination, IList<T> source)
        {
            foreach (T item in source)
            {
                destination.Add(item);
            }
        }

        private static void CheckQuantizationEntry(QuantizationEntry entry, int index)
        {
            if (entry.TensorIndex < 0)
            {
                throw new ModelFormatException($"Metadata: quantization entry {index} has a negative tensor index {entry.TensorIndex}.");
            }

            if (!float.IsFinite(entry.Scale) || entry.Scale <= 0)
            {
                throw new ModelFormatException($"Metadata: quantization entry {index} has scale {entry.Scale}; a scale is finite and positive.");
            }

            if (!Enum.IsDefined(entry.OriginalType))
            {
                throw new ModelFormatException(
                    $"Metadata: quantization entry {index} has original type {(int)entry.OriginalType}; known types are 1 float32, 2 int8, 3 uint8.");
            }
        }

        private static byte[] EncodeUtf8(string text, string what)
        {
            try
            {
                return s_strictUtf8.GetBytes(text);
            }
            catch (EncoderFallbackException exception)
            {
                throw new ModelFormatException($"Metadata: the {what} contains an unpaired surrogate and has no UTF-8 form.", exception);
            }
        }

        private static string DecodeUtf8(ReadOnlySpan<byte> value, string what)
        {
            try
            {
                return s_strictUtf8.GetString(value);
            }
            catch (DecoderFallbackException exception)
            {
                throw new ModelFormatException($"Metadata: the {what} is not valid UTF-8.", exception);
            }
        }

        private static void WriteEntry(Stream stream, ushort key, byte[] value)
        {
            Span<byte> entryHeader = stackalloc byte[EntryHeaderSize];
            BinaryPrimitives.WriteUInt16LittleEndian(entryHeader, key);
            BinaryPrimitives.WriteUInt32LittleEndian(entryHeader.Slice(2), (uint)value.Length);
            stream.Write(entryHeader);
            stream.Write(value);
        }
    }
}
