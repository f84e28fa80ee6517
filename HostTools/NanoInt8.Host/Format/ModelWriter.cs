using System.Buffers.Binary;
using System.Collections.Immutable;
using System.Runtime.InteropServices;
using NanoInt8.Runtime;
using NanoInt8.Runtime.Kernels;
using NanoInt8.Runtime.Operators;

namespace NanoInt8.Host.Format
{
    /// <summary>
    /// Writes a <see cref="ModelBuilder"/> as an .ni8 blob, byte for byte as docs/model-format.md
    /// lays it out (see <see cref="ModelLayout"/> for the section order).
    /// </summary>
    /// <remarks>
    /// The writer refuses only what the format cannot represent: counts outside their limits, a
    /// negative graph I/O index (the field is u32), sizes whose u32 fields would overflow, bad
    /// metadata. It does not check operator semantics, operand indices or the memory plan; the
    /// device reader validates those, and tests write deliberately invalid models through here.
    /// Every written model carries its tensor names (metadata key 5): when the builder's metadata
    /// has none, the builder's own tensor names are written, without changing the builder.
    /// </remarks>
    public static class ModelWriter
    {
        /// <summary>The .ni8 blob of <paramref name="model"/>.</summary>
        /// <exception cref="ModelFormatException">The format cannot represent the model; the message says why.</exception>
        public static byte[] Write(ModelBuilder model)
        {
            ArgumentNullException.ThrowIfNull(model);
            CheckCount("tensors", model.Tensors.Count, ModelFormat.MaxTableCount);
            CheckCount("operators", model.Operators.Count, ModelFormat.MaxTableCount);
            CheckCount("graph inputs", model.Inputs.Count, ModelFormat.MaxGraphIoCount);
            CheckCount("graph outputs", model.Outputs.Count, ModelFormat.MaxGraphIoCount);
            CheckGraphIo("input", model.Inputs);
            CheckGraphIo("output", model.Outputs);
            if (model.Metadata.RawInputs.Count != 0 && model.Metadata.RawInputs.Count != model.Inputs.Count)
            {
                // The device reads key 8 as one transform per graph input (RawInputTransform).
                throw new ModelFormatException($"The metadata has {model.Metadata.RawInputs.Count} raw input transforms for {model.Inputs.Count} graph inputs; it needs one per input or none.");
            }

            if (model.ArenaBytes < 0)
            {
                throw new ModelFormatException($"Arena size {model.ArenaBytes} is negative.");
            }

            long parameterWords = 0;
            foreach (ModelOperator modelOperator in model.Operators)
            {
                parameterWords += modelOperator.WordCount;
            }

            byte[] metadata = MetadataToWrite(model).ToBytes();
            uint scratchWords = CheckSize("scratch words", ScratchWords(model));
            // At least the work version: the first with the header's workPerInference, which lets a
            // device refuse a model that is too much work before it receives it; a newer one only
            // when an operator code needs it, so every other model keeps its bytes.
            int version = ModelFormat.WorkVersion;
            foreach (ModelOperator modelOperator in model.Operators)
            {
                version = Math.Max(version, ModelFormat.MinVersionFor(modelOperator.OpCode));
            }

            ModelHeader header = new ModelHeader
            {
                Version = (ushort)version,
                Flags = model.Flags,
                ArenaBytes = (uint)model.ArenaBytes,
                TensorCount = (uint)model.Tensors.Count,
                OperatorCount = (uint)model.Operators.Count,
                InputCount = (uint)model.Inputs.Count,
                OutputCount = (uint)model.Outputs.Count,
                ParameterWords = CheckSize("parameter words", parameterWords),
                Int32Words = CheckSize("int32 constant words", model.Int32ConstantWords + (2L * model.Int64ConstantCount)),
                Int8Bytes = (uint)model.Int8ConstantBytes,
                MetadataBytes = (uint)metadata.Length,
                ScratchWords = scratchWords,
            };
            ModelLayout layout = ModelLayout.FromHeader(header);
            if (layout.TotalLength > Array.MaxLength)
            {
                throw new ModelFormatException($"The blob would be {layout.TotalLength} bytes, more than an array holds.");
            }

            header = header with
            {
                TotalLength = (uint)layout.TotalLength,
                DeviceBytes = CheckSize("deviceBytes", header.ExpectedDeviceBytes),
            };

            byte[] blob = new byte[layout.TotalLength];
            WriteTensors(blob, model, layout);
            WriteOperators(blob, model, layout);
            WriteIndices(blob, (int)layout.InputsOffset, model.Inputs);
            WriteIndices(blob, (int)layout.OutputsOffset, model.Outputs);
            WriteConstants(blob, model, layout);
            metadata.CopyTo(blob, (int)layout.MetadataOffset);

            // The payload CRC lives in the header, so it is computed first; the header CRC covers it.
            header = header with { PayloadCrc32 = Crc32.Compute(blob, ModelFormat.HeaderSize, blob.Length - ModelFormat.HeaderSize) };
            WriteHeader(blob, header);
            // The work is the device reader's own count, from the blob as written; a model whose
            // operators the reader refuses keeps 0 there (the reader refuses it before it compares).
            if (ModelReader.ComputeWork(blob, out long work) == ModelError.None)
            {
                WriteHeader(blob, header with { Work = CheckSize("workPerInference", work) });
            }

            return blob;
        }

        private static void WriteHeader(byte[] blob, ModelHeader header)
        {
            header.WriteTo(blob);
            uint headerCrc = Crc32.Compute(blob, 0, ModelHeader.HeaderCrcOffset);
            BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(ModelHeader.HeaderCrcOffset), headerCrc);
        }

        // The interpreter's packed-operand scratch, the largest need of a packed operator: the
        // packed input row of a FullyConnectedPacked (FullyConnectedPackedKernel.PairCount of its
        // input's last dimension), the packed padded input of a Conv2DPacked (Conv2DPackedKernel.ScratchWords)
        // or of a Conv2DPackedTaps (Conv2DPackedKernel.ScratchWordsTapPairs), the filter words and
        // packed padded input of a Conv2DTriple (Conv2DTripleKernel.ScratchWords), the packed input
        // row of a FullyConnectedTriple (FullyConnectedTripleKernel.RowWords) or of a
        // FullyConnectedLanes (FullyConnectedLanesKernel.Words), the filter words, packed padded
        // input and partial tile of a Conv2DLanes (Conv2DLanesKernel.ScratchWords).
        private static long ScratchWords(ModelBuilder model)
        {
            long words = 0;
            foreach (ModelOperator modelOperator in model.Operators)
            {
                // The writer writes invalid operators as given (the reader refuses them): only a
                // packed operator whose input is a tensor of the model has a need.
                bool fullyConnected = modelOperator.OpCode is OpCode.FullyConnectedPacked or OpCode.FullyConnectedTriple or OpCode.FullyConnectedLanes;
                int inputOperand = fullyConnected ? FullyConnectedLayout.Operands.Input : Conv2DLayout.Operands.Input;
                if (!(fullyConnected || modelOperator.OpCode is OpCode.Conv2DPacked or OpCode.Conv2DPackedTaps or OpCode.Conv2DTriple or OpCode.Conv2DLanes)
                    || modelOperator.Inputs.Length <= inputOperand || modelOperator.Inputs[inputOperand] < 0 || modelOperator.Inputs[inputOperand] >= model.Tensors.Count)
                {
                    continue;
                }

                ImmutableArray<int> shape = model.Tensors[modelOperator.Inputs[inputOperand]].Shape;
                ImmutableArray<int> p = modelOperator.Parameters;
                if (modelOperator.OpCode == OpCode.FullyConnectedPacked)
                {
                    words = Math.Max(words, FullyConnectedPackedKernel.PairCount(shape[^1]));
                }
                else if (modelOperator.OpCode == OpCode.FullyConnectedTriple)
                {
                    words = Math.Max(words, FullyConnectedTripleKernel.RowWords(shape[^1]));
                }
                else if (modelOperator.OpCode == OpCode.FullyConnectedLanes)
                {
                    words = Math.Max(words, FullyConnectedLanesKernel.Words(shape[^1]));
                }
                else if (modelOperator.OpCode == OpCode.Conv2DPacked && shape.Length == 4 && p.Length > Conv2DLayout.PadRight)
                {
                    words = Math.Max(words, Conv2DPackedKernel.ScratchWords(shape[1], shape[2], shape[3],
                        p[Conv2DLayout.PadTop], p[Conv2DLayout.PadLeft], p[Conv2DLayout.PadBottom], p[Conv2DLayout.PadRight]));
                }
                else if (modelOperator.OpCode == OpCode.Conv2DPackedTaps && shape.Length == 4 && p.Length > Conv2DFilterWidthLayout.FilterWidth)
                {
                    words = Math.Max(words, Conv2DPackedKernel.ScratchWordsTapPairs(shape[2], shape[3], p[Conv2DFilterWidthLayout.FilterWidth],
                        p[Conv2DLayout.PadTop], p[Conv2DLayout.PadLeft], p[Conv2DLayout.PadBottom], p[Conv2DLayout.PadRight]));
                }
                else if (modelOperator.OpCode == OpCode.Conv2DTriple && shape.Length == 4 && p.Length > Conv2DFilterWidthLayout.FilterWidth
                    && modelOperator.Inputs.Length > Conv2DLayout.Operands.Filter && HasShape(model, modelOperator.Inputs[Conv2DLayout.Operands.Filter], 4)
                    && modelOperator.Outputs.Length > 0 && HasShape(model, modelOperator.Outputs[0], 4))
                {
                    words = Math.Max(words, Conv2DTripleKernel.ScratchWords(model.Tensors[modelOperator.Outputs[0]].Shape[1], shape[1], shape[2], shape[3],
                        model.Tensors[modelOperator.Inputs[Conv2DLayout.Operands.Filter]].Shape[1], p[Conv2DFilterWidthLayout.FilterWidth],
                        p[Conv2DLayout.PadTop], p[Conv2DLayout.PadLeft], p[Conv2DLayout.PadBottom], p[Conv2DLayout.PadRight]));
                }
                else if (modelOperator.OpCode == OpCode.Conv2DLanes && shape.Length == 4 && p.Length == Conv2DLanesLayout.Count
                    && modelOperator.Outputs.Length > 0 && HasShape(model, modelOperator.Outputs[0], 4))
                {
                    words = Math.Max(words, Conv2DLanesKernel.ScratchWords(model.Tensors[modelOperator.Outputs[0]].Shape[1], p[Conv2DLanesLayout.Packing],
                        shape[1], shape[2], shape[3], p[Conv2DLanesLayout.FilterHeight], p[Conv2DLanesLayout.FilterWidth],
                        p[Conv2DLayout.PadTop], p[Conv2DLayout.PadLeft], p[Conv2DLayout.PadBottom], p[Conv2DLayout.PadRight]));
                }
            }

            return words;
        }

        // Whether a tensor index names a tensor of the model with a shape of the given rank.
        private static bool HasShape(ModelBuilder model, int tensor, int rank)
        {
            return tensor >= 0 && tensor < model.Tensors.Count && model.Tensors[tensor].Shape.Length == rank;
        }

        private static ModelMetadata MetadataToWrite(ModelBuilder model)
        {
            if (model.Metadata.TensorNames.Count > 0)
            {
                return model.Metadata;
            }

            ModelMetadata metadata = model.Metadata.Clone();
            foreach (ModelTensor tensor in model.Tensors)
            {
                metadata.TensorNames.Add(tensor.Name);
            }

            return metadata;
        }

        private static void WriteTensors(byte[] blob, ModelBuilder model, ModelLayout layout)
        {
            int position = (int)layout.TensorTableOffset;
            foreach (ModelTensor tensor in model.Tensors)
            {
                TensorRecord.FromTensor(tensor, model.Int32ConstantWords).WriteTo(blob.AsSpan(position, ModelFormat.TensorRecordSize));
                position += ModelFormat.TensorRecordSize;
            }
        }

        private static void WriteOperators(byte[] blob, ModelBuilder model, ModelLayout layout)
        {
            int recordPosition = (int)layout.OperatorTableOffset;
            int wordIndex = 0;
            foreach (ModelOperator modelOperator in model.Operators)
            {
                OperatorRecord record = new OperatorRecord
                {
                    OpCode = (byte)modelOperator.OpCode,
                    InputCount = (byte)modelOperator.Inputs.Length,
                    OutputCount = (byte)modelOperator.Outputs.Length,
                    ParameterOffset = (uint)wordIndex,
                    ParameterCount = (uint)modelOperator.WordCount,
                };
                record.WriteTo(blob.AsSpan(recordPosition, ModelFormat.OperatorRecordSize));
                recordPosition += ModelFormat.OperatorRecordSize;

                int wordPosition = (int)layout.ParametersOffset + (4 * wordIndex);
                wordPosition = WriteWords(blob, wordPosition, modelOperator.Inputs.AsSpan());
                wordPosition = WriteWords(blob, wordPosition, modelOperator.Outputs.AsSpan());
                WriteWords(blob, wordPosition, modelOperator.Parameters.AsSpan());
                wordIndex += modelOperator.WordCount;
            }
        }

        private static void WriteIndices(byte[] blob, int position, IList<int> indices)
        {
            foreach (int index in indices)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(position), (uint)index);
                position += 4;
            }
        }

        private static void WriteConstants(byte[] blob, ModelBuilder model, ModelLayout layout)
        {
            // Each constant's offset was assigned when it was added, in tensor order, so writing at
            // that offset packs the data with no gaps. The int8 padding bytes stay 0 from allocation.
            foreach (ModelTensor tensor in model.Tensors)
            {
                if (tensor.Storage != TensorStorage.Constant)
                {
                    continue;
                }

                if (tensor.ElementType == TensorElementType.Int32)
                {
                    WriteWords(blob, (int)layout.Int32ConstantsOffset + (4 * tensor.Offset), tensor.Int32Data.AsSpan());
                }
                else if (tensor.ElementType == TensorElementType.Int64)
                {
                    // After the int32 constants, two words each, low word first.
                    int position = (int)layout.Int32ConstantsOffset + (4 * (model.Int32ConstantWords + (2 * tensor.Offset)));
                    foreach (long value in tensor.Int64Data)
                    {
                        BinaryPrimitives.WriteInt64LittleEndian(blob.AsSpan(position), value);
                        position += 8;
                    }
                }
                else
                {
                    ReadOnlySpan<sbyte> data = tensor.Int8Data.AsSpan();
                    MemoryMarshal.AsBytes(data).CopyTo(blob.AsSpan((int)layout.Int8ConstantsOffset + tensor.Offset));
                }
            }
        }

        private static int WriteWords(byte[] blob, int position, ReadOnlySpan<int> words)
        {
            foreach (int word in words)
            {
                BinaryPrimitives.WriteInt32LittleEndian(blob.AsSpan(position), word);
                position += 4;
            }

            return position;
        }

        private static void CheckCount(string what, int count, int maximum)
        {
            if (count < 1 || count > maximum)
            {
                throw new ModelFormatException($"The model has {count} {what}; the format holds 1 .. {maximum}.");
            }
        }

        private static void CheckGraphIo(string what, IList<int> indices)
        {
            for (int position = 0; position < indices.Count; position++)
            {
                if (indices[position] < 0)
                {
                    throw new ModelFormatException($"Graph {what} {position} has tensor index {indices[position]}; the u32 field holds no negative index.");
                }
            }
        }

        private static uint CheckSize(string what, long value)
        {
            if (value > uint.MaxValue)
            {
                throw new ModelFormatException($"{what} would be {value}, more than the u32 header field holds.");
            }

            return (uint)value;
        }
    }
}
