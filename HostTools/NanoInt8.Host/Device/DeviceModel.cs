using NanoInt8.Host.Execution;
using NanoInt8.Host.Format;
using NanoInt8.Onnx;
using NanoInt8.Runtime;

namespace NanoInt8.Host.Device
{
    /// <summary>
    /// A model as the host needs it to talk to the device running it: its graph inputs and outputs
    /// with their quantization (from the .ni8 metadata, typically read back with
    /// <see cref="DeviceClient.ReadModel"/>), and the conversions between the source ONNX model's
    /// tensors and the device's concatenated int8 bytes, with the conventions of
    /// <see cref="HostModelRunner"/>: float32 quantized as QuantizeLinear and dequantized as
    /// DequantizeLinear, uint8 shifted by 128, int8 as it is.
    /// </summary>
    public sealed class DeviceModel
    {
        private DeviceModel(byte[] blob, HostModelRunner runner, ModelFile file)
        {
            Blob = blob;
            Crc = ModelReader.GetPayloadCrc(blob, 0);
            Name = runner.ModelName;
            Inputs = runner.Inputs;
            Outputs = runner.Outputs;
            SourceSha256 = file.Metadata.SourceSha256;
            InputBytes = Inputs.Sum(input => input.ElementCount);
            OutputBytes = Outputs.Sum(output => output.ElementCount);
        }

        /// <summary>The .ni8 bytes.</summary>
        public byte[] Blob { get; }

        /// <summary>The payload CRC: the model's identity in INFO.</summary>
        public uint Crc { get; }

        /// <summary>The model name from the metadata, or null.</summary>
        public string? Name { get; }

        /// <summary>SHA-256 of the ONNX file it was converted from, or null (a hand-built model).</summary>
        public byte[]? SourceSha256 { get; }

        /// <summary>The graph inputs in graph order.</summary>
        public IReadOnlyList<GraphTensor> Inputs { get; }

        /// <summary>The graph outputs in graph order.</summary>
        public IReadOnlyList<GraphTensor> Outputs { get; }

        /// <summary>Bytes of all inputs on the device (INFO inputBytes).</summary>
        public int InputBytes { get; }

        /// <summary>Bytes of all outputs on the device (INFO outputBytes).</summary>
        public int OutputBytes { get; }

        /// <summary>Reads and validates a model, as the device's reader does.</summary>
        /// <exception cref="ModelLoadException">The device's reader refuses the blob.</exception>
        /// <exception cref="ModelFormatException">The host metadata is malformed.</exception>
        public static DeviceModel FromBlob(byte[] blob)
        {
            ArgumentNullException.ThrowIfNull(blob);
            return new DeviceModel(blob, new HostModelRunner(blob), ModelFile.Read(blob));
        }

        /// <summary>The device bytes of one sample: each input quantized, concatenated in graph order.</summary>
        /// <param name="inputs">One array per graph input, in graph order, of the input's ONNX element type and shape.</param>
        /// <exception cref="InputMismatchException">The count, an element type or a shape does not match <see cref="Inputs"/>.</exception>
        public sbyte[] ToDevice(IReadOnlyList<NpyArray> inputs)
        {
            ArgumentNullException.ThrowIfNull(inputs);
            if (inputs.Count != Inputs.Count)
            {
                throw new InputMismatchException(
                    $"The model has {Inputs.Count} input(s) ({string.Join(", ", Inputs.Select(input => input.Name))}) but {inputs.Count} were given.");
            }

            sbyte[] bytes = new sbyte[InputBytes];
            int offset = 0;
            for (int position = 0; position < inputs.Count; position++)
            {
                GraphTensor input = Inputs[position];
                NpyArray array = inputs[position];
                if (array.ElementType != input.NpyType)
                {
                    throw new InputMismatchException(
                        $"Input '{input.Name}' must be {GraphTensor.TypeName(input.OriginalType)} (its element type in the ONNX model), not {array.ElementType.ToString().ToLowerInvariant()}.", input.Name);
                }

                if (!array.Shape.SequenceEqual(input.Shape))
                {
                    throw new InputMismatchException(
                        $"Input '{input.Name}' must have shape [{string.Join(", ", input.Shape)}], not [{string.Join(", ", array.Shape)}].", input.Name);
                }

                input.ToDevice(array, bytes.AsSpan(offset, input.ElementCount));
                offset += input.ElementCount;
            }

            return bytes;
        }

        /// <summary>The outputs of one sample from the device's concatenated output bytes, in the ONNX element types and shapes.</summary>
        /// <exception cref="ArgumentException">The byte count is not <see cref="OutputBytes"/>.</exception>
        public IReadOnlyList<NpyArray> FromDevice(sbyte[] outputs)
        {
            ArgumentNullException.ThrowIfNull(outputs);
            if (outputs.Length != OutputBytes)
            {
                throw new ArgumentException($"The model has {OutputBytes} output bytes, not {outputs.Length}.", nameof(outputs));
            }

            NpyArray[] arrays = new NpyArray[Outputs.Count];
            int offset = 0;
            for (int position = 0; position < arrays.Length; position++)
            {
                GraphTensor output = Outputs[position];
                arrays[position] = output.FromDevice(outputs.AsSpan(offset, output.ElementCount));
                offset += output.ElementCount;
            }

            return arrays;
        }
    }
}
