using NanoInt8.Host.Format;
using NanoInt8.Runtime;

namespace NanoInt8.Host.Execution
{
    /// <summary>
    /// An .ni8 blob checked by the device's own reader and decoded twice: as the device runs it
    /// (<see cref="Runtime.Model"/>) and as the host tools describe it (<see cref="ModelFile"/>, with
    /// the metadata), plus the graph inputs and outputs resolved against the metadata.
    /// </summary>
    internal sealed class ValidatedModel
    {
        private ValidatedModel(Model model, ModelFile file, IReadOnlyList<GraphTensor> inputs, IReadOnlyList<GraphTensor> outputs)
        {
            Model = model;
            File = file;
            Inputs = inputs;
            Outputs = outputs;
        }

        public Model Model { get; }

        public ModelFile File { get; }

        public IReadOnlyList<GraphTensor> Inputs { get; }

        public IReadOnlyList<GraphTensor> Outputs { get; }

        /// <exception cref="ModelLoadException">The device reader refuses the blob.</exception>
        /// <exception cref="ModelFormatException">The host metadata is malformed (the device never reads it).</exception>
        public static ValidatedModel Load(byte[] blob)
        {
            ArgumentNullException.ThrowIfNull(blob);
            // No budget here: the host can hold any model; whether a board can is the caller's question.
            ModelError error = ModelReader.TryRead(blob, int.MaxValue, out Model? model);
            if (error != ModelError.None || model is null)
            {
                throw new ModelLoadException(error);
            }

            ModelFile file = ModelFile.Read(blob);
            GraphTensor[] inputs = new GraphTensor[file.Inputs.Length];
            for (int position = 0; position < inputs.Length; position++)
            {
                RawInputEntry? rawInput = position < file.Metadata.RawInputs.Count ? file.Metadata.RawInputs[position] : null;
                inputs[position] = Describe(file, file.Inputs[position], position, $"input{position}", rawInput: rawInput);
            }

            GraphTensor[] outputs = new GraphTensor[file.Outputs.Length];
            for (int position = 0; position < outputs.Length; position++)
            {
                IList<string>? labels = position < file.Metadata.ClassLabels.Count && file.Metadata.ClassLabels[position].Count > 0
                    ? file.Metadata.ClassLabels[position]
                    : null;
                outputs[position] = Describe(file, file.Outputs[position], inputs.Length + position, $"output{position}", labels?.ToArray());
            }

            return new ValidatedModel(model, file, inputs, outputs);
        }

        private static GraphTensor Describe(ModelFile file, int tensorIndex, int entryPosition, string fallbackName, string[]? labels = null,
            RawInputEntry? rawInput = null)
        {
            TensorRecord record = file.Tensors[tensorIndex];
            IList<string> names = file.Metadata.TensorNames;
            string name = tensorIndex < names.Count && names[tensorIndex].Length > 0 ? names[tensorIndex] : fallbackName;
            int[] shape = record.Shape.ToArray();
            if (labels is not null && labels.Length != shape[^1])
            {
                throw new ModelFormatException($"Metadata: output '{name}' has {shape[^1]} classes along its last dimension but {labels.Length} class labels.");
            }

            QuantizationEntry? entry = FindEntry(file.Metadata.Quantization, entryPosition, tensorIndex);
            return entry is QuantizationEntry found
                ? new GraphTensor(name, tensorIndex, shape, found.OriginalType, found.Scale, found.ZeroPoint, labels, rawInput)
                // A hand-built model without quantization entries: its I/O are the int8 tensors themselves.
                : new GraphTensor(name, tensorIndex, shape, OriginalElementType.Int8, 1f, record.ZeroPoint, labels, rawInput);
        }

        private static QuantizationEntry? FindEntry(IList<QuantizationEntry> entries, int position, int tensorIndex)
        {
            // Key 3 lists the inputs, then the outputs; fall back to a search by tensor index for
            // metadata written in another order or with entries missing.
            if (position < entries.Count && entries[position].TensorIndex == tensorIndex)
            {
                return entries[position];
            }

            foreach (QuantizationEntry entry in entries)
            {
                if (entry.TensorIndex == tensorIndex)
                {
                    return entry;
                }
            }

            return null;
        }
    }
}
