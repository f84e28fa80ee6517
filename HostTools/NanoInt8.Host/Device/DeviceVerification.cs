using System.Security.Cryptography;
using NanoInt8.Host.Execution;
using NanoInt8.Host.Format;
using NanoInt8.Onnx;

namespace NanoInt8.Host.Device
{
    /// <summary>How one graph output agreed between the device and ONNX Runtime over all samples.</summary>
    /// <param name="Name">The output's name.</param>
    /// <param name="Elements">Values compared (elements × samples).</param>
    /// <param name="Identical">Values equal in quantization steps.</param>
    /// <param name="LargestDifference">The largest difference, in quantization steps of the output.</param>
    /// <param name="Samples">Samples compared.</param>
    /// <param name="TopOneAgreements">Samples whose largest value is at the same index on both.</param>
    public sealed record OutputAgreement(string Name, long Elements, long Identical, int LargestDifference, int Samples, int TopOneAgreements)
    {
        /// <summary>Share of values equal in quantization steps, 0 .. 1.</summary>
        public double IdenticalShare => Elements == 0 ? 1 : (double)Identical / Elements;
    }

    /// <summary>The device's outputs against ONNX Runtime's on the same inputs.</summary>
    /// <param name="Outputs">One entry per graph output.</param>
    /// <param name="Samples">Samples run.</param>
    /// <param name="DeviceTicks">The device's summed inference time, in 100 ns ticks.</param>
    public sealed record VerificationReport(IReadOnlyList<OutputAgreement> Outputs, int Samples, long DeviceTicks)
    {
        /// <summary>The largest difference over all outputs, in quantization steps.</summary>
        public int LargestDifference => Outputs.Count == 0 ? 0 : Outputs.Max(output => output.LargestDifference);

        /// <summary>True when no value differs by more than <paramref name="toleranceSteps"/> quantization steps.</summary>
        public bool Passed(int toleranceSteps) => LargestDifference <= toleranceSteps;
    }

    /// <summary>
    /// Checks a device against ONNX Runtime: the same inputs go to the device (quantized with the
    /// model's own input scales) and to ONNX Runtime (the ONNX model as it is); each output is
    /// compared in quantization steps of that output.
    /// </summary>
    /// <remarks>
    /// ONNX Runtime requantizes in float and the device in fixed point, so values may differ by a
    /// step where a result lies near a rounding boundary (docs: integer-only inference); more than
    /// that points at a conversion or device fault.
    /// </remarks>
    public static class DeviceVerification
    {
        /// <summary>
        /// Refuses to compare when the device does not run a model converted from
        /// <paramref name="onnxBytes"/> (the .ni8 metadata keeps the ONNX file's SHA-256).
        /// </summary>
        /// <exception cref="DeviceModelMismatchException">The device runs another model.</exception>
        public static void CheckSource(DeviceModel model, byte[] onnxBytes, string onnxName)
        {
            ArgumentNullException.ThrowIfNull(model);
            ArgumentNullException.ThrowIfNull(onnxBytes);
            byte[] hash = SHA256.HashData(onnxBytes);
            if (model.SourceSha256 is null || !model.SourceSha256.AsSpan().SequenceEqual(hash))
            {
                string running = model.Name is null ? $"model CRC 0x{model.Crc:X8}" : $"'{model.Name}' (CRC 0x{model.Crc:X8})";
                throw new DeviceModelMismatchException(
                    $"The device runs {running}, which was not converted from {onnxName}; deploy it first (hosttool deploy {onnxName}).");
            }
        }

        /// <summary>Runs every sample on the device and in ONNX Runtime and compares the outputs.</summary>
        /// <param name="client">A client whose device runs <paramref name="model"/>.</param>
        /// <param name="model">The device's model (from <see cref="DeviceClient.ReadModel"/>).</param>
        /// <param name="onnxBytes">The ONNX model it was converted from.</param>
        /// <param name="samples">Per sample, one array per graph input in the ONNX types and shapes.</param>
        /// <param name="progress">Receives the number of samples done.</param>
        /// <param name="cancellationToken">Stops between samples.</param>
        /// <exception cref="OnnxRuntimeRunException">ONNX Runtime cannot load or run the model.</exception>
        public static VerificationReport Verify(DeviceClient client, DeviceModel model, byte[] onnxBytes, IReadOnlyList<IReadOnlyList<NpyArray>> samples,
            IProgress<int>? progress = null, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(client);
            ArgumentNullException.ThrowIfNull(model);
            ArgumentNullException.ThrowIfNull(onnxBytes);
            ArgumentNullException.ThrowIfNull(samples);
            using OnnxRuntimeSession session = new OnnxRuntimeRunner().CreateSession(onnxBytes);
            string[] onnxInputs = OnnxInputNames(model, session);
            Tally[] tallies = model.Outputs.Select(output => new Tally(output.Name)).ToArray();
            long deviceTicks = 0;
            for (int sample = 0; sample < samples.Count; sample++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                IReadOnlyList<NpyArray> inputs = samples[sample];
                InferenceResult device = client.Infer(model.ToDevice(inputs), cancellationToken);
                deviceTicks += device.ElapsedTicks;
                Dictionary<string, NpyArray> feeds = new Dictionary<string, NpyArray>();
                for (int position = 0; position < inputs.Count; position++)
                {
                    feeds[onnxInputs[position]] = inputs[position];
                }

                IReadOnlyList<NpyArray> reference = session.Run(feeds);
                int offset = 0;
                for (int position = 0; position < tallies.Length; position++)
                {
                    GraphTensor output = model.Outputs[position];
                    tallies[position].Add(device.Outputs.AsSpan(offset, output.ElementCount), ToSteps(output, reference[position]));
                    offset += output.ElementCount;
                }

                progress?.Report(sample + 1);
            }

            return new VerificationReport(tallies.Select(tally => tally.ToAgreement()).ToArray(), samples.Count, deviceTicks);
        }

        /// <summary>An ONNX Runtime output in the device's int8 steps of the output.</summary>
        private static int[] ToSteps(GraphTensor output, NpyArray reference)
        {
            if (reference.ElementCount != output.ElementCount)
            {
                throw new InputMismatchException(
                    $"ONNX Runtime gives output '{output.Name}' {reference.ElementCount} values, the device model {output.ElementCount}; is it the same model?", output.Name);
            }

            return reference.ElementType switch
            {
                NpyType.Float32 when output.OriginalType == OriginalElementType.Float32 =>
                    reference.AsFloats().Select(value => (int)HostModelRunner.QuantizeLinear(value, output.Scale, output.ZeroPoint)).ToArray(),
                NpyType.UInt8 => reference.AsUInt8().Select(value => value - 128).ToArray(),
                NpyType.Int8 => reference.AsInt8().Select(value => (int)value).ToArray(),
                _ => throw new InputMismatchException(
                    $"ONNX Runtime gives output '{output.Name}' as {reference.ElementType}, which the device model's {GraphTensor.TypeName(output.OriginalType)} output cannot be compared with.", output.Name),
            };
        }

        /// <summary>The ONNX input name of each device input: by name where the metadata has ONNX names, else by position.</summary>
        private static string[] OnnxInputNames(DeviceModel model, OnnxRuntimeSession session)
        {
            if (session.InputNames.Count != model.Inputs.Count)
            {
                throw new InputMismatchException(
                    $"The ONNX model has {session.InputNames.Count} inputs but the device's model {model.Inputs.Count}; is it the same model?");
            }

            return model.Inputs
                .Select((input, position) => session.InputNames.Contains(input.Name) ? input.Name : session.InputNames[position])
                .ToArray();
        }

        private sealed class Tally
        {
            private readonly string _name;
            private long _elements;
            private long _identical;
            private int _largest;
            private int _samples;
            private int _topOne;

            public Tally(string name)
            {
                _name = name;
            }

            public void Add(ReadOnlySpan<sbyte> device, int[] reference)
            {
                int deviceBest = 0;
                int referenceBest = 0;
                for (int index = 0; index < reference.Length; index++)
                {
                    int difference = Math.Abs(device[index] - reference[index]);
                    _identical += difference == 0 ? 1 : 0;
                    _largest = Math.Max(_largest, difference);
                    deviceBest = device[index] > device[deviceBest] ? index : deviceBest;
                    referenceBest = reference[index] > reference[referenceBest] ? index : referenceBest;
                }

                _elements += reference.Length;
                _samples++;
                _topOne += deviceBest == referenceBest ? 1 : 0;
            }

            public OutputAgreement ToAgreement() => new OutputAgreement(_name, _elements, _identical, _largest, _samples, _topOne);
        }
    }
}
