using System.Globalization;
using System.Reflection;
using NanoInt8.Host.Device;
using NanoInt8.Host.Format;
using NanoInt8.Host.Planning;
using NanoInt8.Host.Quantization;
using NanoInt8.Onnx;

namespace NanoInt8.Host.Conversion
{
    /// <summary>
    /// Converts a statically quantized ONNX model (QDQ or QLinear operator format) into the integer
    /// model format: every floating-point scale becomes an int32 multiplier and shift, once, here.
    /// The steps: fold constants and infer shapes (<see cref="OnnxGraph"/>), lower the quantized
    /// operators to integer ones (<see cref="QuantizedLowering"/>), plan the arena from tensor
    /// lifetimes (<see cref="ArenaPlanner"/>), write the .ni8 blob.
    /// </summary>
    public static class OnnxConverter
    {
        /// <summary>Converts <paramref name="model"/>; throws <see cref="ConversionException"/> when it cannot.</summary>
        public static ConversionResult Convert(OnnxModel model, ConversionOptions? options = null)
        {
            ArgumentNullException.ThrowIfNull(model);
            options ??= new ConversionOptions();
            var graph = new OnnxGraph(model);
            var lowering = new QuantizedLowering(graph, options.Requantization, options.Kernels);
            lowering.Run();
            IReadOnlyList<IntegerOperator> operators = lowering.Operators;
            if (operators.Count == 0)
            {
                throw new ConversionException("the model has no operator left to run after conversion (it only quantizes and dequantizes).");
            }

            ArenaPlan plan = PlanArena(lowering);
            ModelBuilder builder = Build(lowering, plan, options, model);
            byte[] blob;
            try
            {
                blob = ModelWriter.Write(builder);
            }
            catch (ModelFormatException exception)
            {
                throw new ConversionException("the converted model cannot be represented in the .ni8 format: " + exception.Message);
            }

            if (options.DeviceBudget is int budget)
            {
                CheckFits(blob, budget, options.WorkBudget ?? long.MaxValue, options.BoardName, plan.ArenaBytes);
            }

            return new ConversionResult(builder, blob, plan.LowerBound, graph.Notes);
        }

        /// <summary>
        /// Refuses a model the target device would refuse, by the device's own rules
        /// (<see cref="ModelAdmission"/>): deviceBytes within the budget, deviceBytes + totalLength
        /// within it too (LOAD holds the received file beside the decoded model), the work of one
        /// inference within the work budget.
        /// </summary>
        private static void CheckFits(byte[] blob, int budget, long workBudget, string? boardName, int arenaBytes)
        {
            ModelAdmission admission = ModelAdmission.Check(blob, budget, budget, workBudget);
            string board = boardName == null ? "the target" : $"board {boardName}";
            switch (admission.Refusal)
            {
                case AdmissionRefusal.DeviceBytes:
                    throw new ModelTooLargeException(
                        string.Format(CultureInfo.InvariantCulture,
                            "the model needs {0:N0} bytes on the device (weights, parameters, a {1:N0}-byte arena and {2:N0} bytes of interpreter records, {3:N0} of them from the device's reserve) but {4} offers {5:N0}; choose a board with more memory or a smaller model.",
                            admission.DeviceBytes + admission.PreparedBytes, arenaBytes, admission.PreparedBytes, Math.Min(admission.PreparedBytes, Runtime.ModelReader.PreparedBytesInReserve), board, budget),
                        admission.DeviceBytes + admission.PreparedBytes, budget);
                case AdmissionRefusal.TransferBytes:
                    throw new ModelTooLargeException(
                        string.Format(CultureInfo.InvariantCulture,
                            "the model fits {0}'s {1:N0} bytes once loaded ({2:N0} device bytes) but receiving it needs {3:N0}: the device holds the {4:N0}-byte file and the decoded model at once, so it refuses the LOAD; choose a board with more memory or a smaller model.",
                            board, budget, admission.DeviceBytes, admission.TransferBytes, blob.Length),
                        admission.TransferBytes, budget);
                case AdmissionRefusal.Work:
                    throw new ModelTooMuchWorkException(
                        string.Format(CultureInfo.InvariantCulture,
                            "one inference of the model is {0:N0} work units but {1} takes at most {2:N0} (maxWorkPerInference, its time budget); the device would refuse it; choose a faster board or a smaller model.",
                            admission.Work, board, workBudget),
                        admission.Work, workBudget);
                case AdmissionRefusal.Invalid:
                    throw new ConversionException($"the converted model is refused by the device's model reader ({admission.Error}); this is a converter bug.");
            }
        }

        private static ArenaPlan PlanArena(QuantizedLowering lowering)
        {
            IReadOnlyList<IntegerOperator> operators = lowering.Operators;
            foreach (GraphInterface input in lowering.Inputs)
            {
                input.Tensor.FirstStep = -1;
            }

            for (int step = 0; step < operators.Count; step++)
            {
                IntegerOperator op = operators[step];
                foreach (QuantTensor input in op.Inputs.OfType<QuantTensor>().Where(t => t.Constant == null))
                {
                    if (input.FirstStep == int.MinValue)
                    {
                        throw new ConversionException($"operator '{op.SourceName}' reads '{input.Name}' before anything writes it.");
                    }

                    input.LastStep = Math.Max(input.LastStep, step);
                }

                op.Output.FirstStep = step;
            }

            foreach (GraphInterface output in lowering.Outputs)
            {
                output.Tensor.LastStep = operators.Count;
            }

            var planner = new ArenaPlanner();
            var buffers = new List<QuantTensor>();
            void AddBuffer(QuantTensor tensor)
            {
                if (tensor.BufferId < 0)
                {
                    tensor.BufferId = planner.AddBuffer(tensor.ElementCount, tensor.FirstStep, Math.Max(tensor.LastStep, tensor.FirstStep));
                    buffers.Add(tensor);
                }
            }

            foreach (GraphInterface input in lowering.Inputs)
            {
                AddBuffer(input.Tensor);
            }

            for (int step = 0; step < operators.Count; step++)
            {
                IntegerOperator op = operators[step];
                AddBuffer(op.Output);
                if (op.CanRunInPlace && op.Inputs[0] is QuantTensor source && source.Constant == null
                    && source.LastStep == step && source.ElementCount == op.Output.ElementCount)
                {
                    planner.AddAlias(op.Output.BufferId, source.BufferId);
                }
            }

            ArenaPlan plan = planner.Plan();
            foreach (QuantTensor tensor in buffers)
            {
                tensor.ArenaOffset = plan.Offsets[tensor.BufferId];
            }

            return plan;
        }

        private static ModelBuilder Build(QuantizedLowering lowering, ArenaPlan plan, ConversionOptions options, OnnxModel model)
        {
            var builder = new ModelBuilder { ArenaBytes = plan.ArenaBytes, Flags = options.Requantization.HeaderFlags() };
            int TensorIndex(object operand)
            {
                switch (operand)
                {
                    case QuantTensor tensor when tensor.TensorIndex >= 0:
                        return tensor.TensorIndex;
                    case QuantTensor tensor when tensor.Constant != null:
                        tensor.TensorIndex = builder.AddConstantInt8(tensor.Name, tensor.Constant, DeviceShape(tensor.Shape), tensor.ZeroPoint);
                        return tensor.TensorIndex;
                    case QuantTensor tensor:
                        tensor.TensorIndex = builder.AddArenaTensor(tensor.Name, DeviceShape(tensor.Shape), tensor.ZeroPoint, tensor.ArenaOffset);
                        return tensor.TensorIndex;
                    case ConstantOperand constant when constant.Int8 != null:
                        return builder.AddConstantInt8(constant.Name, constant.Int8, constant.Shape);
                    case ConstantOperand constant when constant.Int64 != null:
                        return builder.AddConstantInt64(constant.Name, constant.Int64, constant.Shape);
                    case ConstantOperand constant:
                        return builder.AddConstantInt32(constant.Name, constant.Int32!, constant.Shape);
                    default:
                        throw new InvalidOperationException("unknown operand " + operand);
                }
            }

            foreach (GraphInterface input in lowering.Inputs)
            {
                builder.Inputs.Add(TensorIndex(input.Tensor));
            }

            foreach (IntegerOperator op in lowering.Operators)
            {
                int[] inputs = op.Inputs.Select(TensorIndex).ToArray();
                builder.AddOperator(op.OpCode, inputs, new[] { TensorIndex(op.Output) }, op.Parameters);
            }

            foreach (GraphInterface output in lowering.Outputs)
            {
                builder.Outputs.Add(TensorIndex(output.Tensor));
            }

            ModelMetadata metadata = builder.Metadata;
            metadata.ModelName = options.ModelName ?? (model.Graph.Name.Length > 0 ? model.Graph.Name : null);
            metadata.SourceSha256 = options.SourceSha256;
            metadata.ConverterVersion = "NanoInt8 " + (typeof(OnnxConverter).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "dev");
            foreach (GraphInterface io in lowering.Inputs.Concat(lowering.Outputs))
            {
                metadata.Quantization.Add(new QuantizationEntry(io.Tensor.TensorIndex, (float)io.Tensor.Scale, io.Tensor.ZeroPoint, io.OriginalType));
            }

            if (options.RawInput is RawInputScaling rawInput)
            {
                foreach (GraphInterface input in lowering.Inputs)
                {
                    // The float32 scale key 3 stores, which the host runner quantizes with.
                    metadata.RawInputs.Add(RawInputEncoder.Encode(rawInput, (float)input.Tensor.Scale, input.Tensor.ZeroPoint, options.Requantization));
                }
            }

            // Names for tools: every tensor by its builder name, graph I/O by their ONNX names.
            foreach (ModelTensor tensor in builder.Tensors)
            {
                metadata.TensorNames.Add(tensor.Name);
            }

            foreach (GraphInterface io in lowering.Inputs.Concat(lowering.Outputs))
            {
                metadata.TensorNames[io.Tensor.TensorIndex] = io.OnnxName;
            }

            foreach (IntegerOperator op in lowering.Operators)
            {
                metadata.OperatorNames.Add(op.SourceName);
            }

            return builder;
        }

        private static int[] DeviceShape(int[] shape)
        {
            if (shape.Length > 4)
            {
                throw new ConversionException($"a tensor of rank {shape.Length} ([{string.Join(",", shape)}]) appears; the device supports at most 4 dimensions.");
            }

            return shape.Length == 0 ? new[] { 1 } : shape;
        }
    }
}
