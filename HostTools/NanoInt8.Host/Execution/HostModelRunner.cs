using NanoInt8.Host.Format;
using NanoInt8.Onnx;
using NanoInt8.Runtime;

namespace NanoInt8.Host.Execution
{
    /// <summary>
    /// Runs an .ni8 model on the host with the device's own interpreter, speaking the source ONNX
    /// model's interface: inputs and outputs are <see cref="NpyArray"/>s of the original element
    /// types and shapes, quantized and dequantized as ONNX's QuantizeLinear and DequantizeLinear do.
    /// </summary>
    /// <remarks>
    /// The blob is validated by <see cref="ModelReader.TryRead(byte[], int, long, out Model)"/>, exactly as on the device. One
    /// interpreter (and so one arena) is kept for the runner's lifetime, so a runner is not safe to
    /// use from several threads at once.
    /// </remarks>
    public sealed class HostModelRunner
    {
        private readonly Interpreter _interpreter;
        private readonly sbyte[][] _inputBuffers;
        private readonly sbyte[][] _outputBuffers;

        /// <summary>Validates and loads an .ni8 blob.</summary>
        /// <param name="blob">The whole .ni8 file.</param>
        /// <exception cref="ModelLoadException">The device reader refuses the blob.</exception>
        /// <exception cref="ModelFormatException">The host metadata is malformed.</exception>
        public HostModelRunner(byte[] blob)
        {
            ValidatedModel model = ValidatedModel.Load(blob);
            ModelName = model.File.Metadata.ModelName;
            Inputs = model.Inputs;
            Outputs = model.Outputs;
            _interpreter = new Interpreter(model.Model);
            _inputBuffers = Inputs.Select(input => new sbyte[input.ElementCount]).ToArray();
            _outputBuffers = Outputs.Select(output => new sbyte[output.ElementCount]).ToArray();
        }

        /// <summary>The model name from the metadata, or null.</summary>
        public string? ModelName { get; }

        /// <summary>The graph inputs, in graph order.</summary>
        public IReadOnlyList<GraphTensor> Inputs { get; }

        /// <summary>The graph outputs, in graph order.</summary>
        public IReadOnlyList<GraphTensor> Outputs { get; }

        /// <summary>
        /// Runs the model once. Float32 inputs are quantized with <see cref="QuantizeLinear"/>, uint8
        /// inputs shifted by -128, int8 inputs taken as they are; outputs come back the same way
        /// round, with the ONNX shapes.
        /// </summary>
        /// <param name="inputs">One array per graph input, in graph order.</param>
        /// <returns>One array per graph output, in graph order.</returns>
        /// <exception cref="InputMismatchException">The count, an element type or a shape does not match <see cref="Inputs"/>.</exception>
        public IReadOnlyList<NpyArray> Run(IReadOnlyList<NpyArray> inputs)
        {
            ArgumentNullException.ThrowIfNull(inputs);
            if (inputs.Count != Inputs.Count)
            {
                throw new InputMismatchException(
                    $"The model has {Inputs.Count} input{(Inputs.Count == 1 ? string.Empty : "s")} ({string.Join(", ", Inputs.Select(input => input.Name))}) but {inputs.Count} {(inputs.Count == 1 ? "was" : "were")} given.");
            }

            for (int position = 0; position < inputs.Count; position++)
            {
                GraphTensor input = Inputs[position];
                NpyArray array = inputs[position] ?? throw new ArgumentNullException(nameof(inputs), $"Input '{input.Name}' is null.");
                Check(input, array);
                input.ToDevice(array, _inputBuffers[position]);
                _interpreter.SetInput(position, _inputBuffers[position], 0);
            }

            _interpreter.Invoke();

            NpyArray[] outputs = new NpyArray[Outputs.Count];
            for (int position = 0; position < outputs.Length; position++)
            {
                _interpreter.GetOutput(position, _outputBuffers[position], 0);
                outputs[position] = Outputs[position].FromDevice(_outputBuffers[position]);
            }

            return outputs;
        }

        /// <summary>Runs the model once with the inputs given by ONNX name.</summary>
        /// <param name="inputs">One array for every graph input, keyed by its name.</param>
        /// <returns>One array per graph output, in graph order.</returns>
        /// <exception cref="InputMismatchException">An input is missing or unknown, or an element type or shape does not match.</exception>
        public IReadOnlyList<NpyArray> Run(IReadOnlyDictionary<string, NpyArray> inputs)
        {
            ArgumentNullException.ThrowIfNull(inputs);
            foreach (string name in inputs.Keys)
            {
                if (!Inputs.Any(input => input.Name == name))
                {
                    throw new InputMismatchException(
                        $"The model has no input named '{name}'; its inputs are {string.Join(", ", Inputs.Select(input => input.Name))}.", name);
                }
            }

            NpyArray[] ordered = new NpyArray[Inputs.Count];
            for (int position = 0; position < ordered.Length; position++)
            {
                string name = Inputs[position].Name;
                ordered[position] = inputs.TryGetValue(name, out NpyArray? array)
                    ? array
                    : throw new InputMismatchException($"Input '{name}' was not given.", name);
            }

            return Run(ordered);
        }

        /// <summary>
        /// ONNX QuantizeLinear to int8, in float32 as ONNX Runtime computes it:
        /// <c>saturate(round_half_to_even(value / scale) + zeroPoint)</c> to [-128, 127]. NaN gives -128.
        /// </summary>
        public static sbyte QuantizeLinear(float value, float scale, int zeroPoint)
        {
            float rounded = MathF.Round(value / scale, MidpointRounding.ToEven);
            // Adding the zero point in float is exact while |rounded| < 2^24; beyond that the
            // result saturates either way.
            float shifted = rounded + zeroPoint;
            if (!(shifted > sbyte.MinValue))
            {
                return sbyte.MinValue;
            }

            return shifted >= sbyte.MaxValue ? sbyte.MaxValue : (sbyte)shifted;
        }

        /// <summary>ONNX DequantizeLinear from int8, in float32: <c>(float)(q - zeroPoint) · scale</c>.</summary>
        public static float DequantizeLinear(sbyte quantized, float scale, int zeroPoint)
        {
            return (float)(quantized - zeroPoint) * scale;
        }

        private static void Check(GraphTensor input, NpyArray array)
        {
            if (array.ElementType != input.NpyType)
            {
                throw new InputMismatchException(
                    $"Input '{input.Name}' must be {GraphTensor.TypeName(input.OriginalType)} (its element type in the ONNX model), not {NpyTypeName(array.ElementType)}.",
                    input.Name);
            }

            if (!array.Shape.SequenceEqual(input.Shape))
            {
                throw new InputMismatchException(
                    $"Input '{input.Name}' must have shape [{string.Join(", ", input.Shape)}], not [{string.Join(", ", array.Shape)}].",
                    input.Name);
            }
        }

        private static string NpyTypeName(NpyType type) => type switch
        {
            NpyType.Float32 => "float32",
            NpyType.Int8 => "int8",
            NpyType.UInt8 => "uint8",
            NpyType.Int32 => "int32",
            _ => type.ToString(),
        };
    }
}
