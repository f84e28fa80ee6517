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
            Attempt attempt = options.Kernels == KernelSelection.Auto ? ChooseKernels(model, options) : Lower(model, options, null);
            if (options.DeviceBudget is int budget)
            {
                CheckFits(attempt.Blob, budget, options.WorkBudget ?? long.MaxValue, options.BoardName, attempt.Plan.ArenaBytes);
            }

            return new ConversionResult(attempt.Builder, attempt.Blob, attempt.Plan.LowerBound, attempt.Notes);
        }

        // One lowering, arena plan and blob, with what the device allocates for it: deviceBytes and
        // the interpreter's operator records.
        private sealed record Attempt(IReadOnlyList<IntegerOperator> Operators, ArenaPlan Plan, ModelBuilder Builder, byte[] Blob,
            long DeviceBytes, long PreparedBytes, IReadOnlyList<string> Notes)
        {
            public long Bytes => DeviceBytes + PreparedBytes;
        }

        private static Attempt Lower(OnnxModel model, ConversionOptions options, IReadOnlyDictionary<string, KernelTier>? tierCaps)
        {
            var graph = new OnnxGraph(model);
            var lowering = new QuantizedLowering(graph, options.Requantization, options.Kernels, tierCaps);
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

            long deviceBytes = Runtime.ModelReader.GetDeviceBytes(blob, 0);
            long preparedBytes = Runtime.ModelReader.TryRead(blob, int.MaxValue, out Runtime.Model? decoded) == Runtime.ModelError.None && decoded is not null
                ? Runtime.Interpreter.PreparedBytes(decoded)
                : 0;
            return new Attempt(operators, plan, builder, blob, deviceBytes, preparedBytes, graph.Notes);
        }

        // Auto (issue 15): every layer with the fastest kernel it has (the lane kernels, else issue 7's
        // packed ones); while the model does not fit the budget, the layer whose plain kernel saves
        // the most bytes is held to it, one layer at a time. The notes say what was picked and what
        // it costs against the plain kernels.
        private static Attempt ChooseKernels(OnnxModel model, ConversionOptions options)
        {
            var caps = new Dictionary<string, KernelTier>(StringComparer.Ordinal);
            Attempt attempt = Lower(model, options, caps);
            while (options.DeviceBudget is int budget && TooLarge(attempt.Blob, budget))
            {
                Attempt? best = null;
                string? bestLayer = null;
                foreach (string layer in PackedLayers(attempt.Operators))
                {
                    var trial = new Dictionary<string, KernelTier>(caps, StringComparer.Ordinal) { [layer] = KernelTier.Plain };
                    Attempt candidate = Lower(model, options, trial);
                    if (best == null || candidate.Bytes < best.Bytes)
                    {
                        best = candidate;
                        bestLayer = layer;
                    }
                }

                if (best == null || best.Bytes >= attempt.Bytes)
                {
                    break;
                }

                caps[bestLayer!] = KernelTier.Plain;
                attempt = best;
            }

            Attempt plain = Lower(model, new ConversionOptions { Requantization = options.Requantization, Kernels = KernelSelection.Plain, ModelName = options.ModelName }, null);
            var notes = attempt.Notes.ToList();
            notes.Add(AutoNote(attempt, plain, caps.Keys.ToList(), options));
            return attempt with { Notes = notes };
        }

        // Whether the device would refuse the model for its size: deviceBytes (with the records) or,
        // at LOAD, deviceBytes + totalLength above the budget (the rule CheckFits enforces).
        private static bool TooLarge(byte[] blob, int budget)
        {
            return ModelAdmission.Check(blob, budget, budget, long.MaxValue).Refusal is AdmissionRefusal.DeviceBytes or AdmissionRefusal.TransferBytes;
        }

        // The layers (by source name) that run a packed or lane kernel.
        private static List<string> PackedLayers(IReadOnlyList<IntegerOperator> operators)
        {
            return operators.Where(op => IsPackedKernel(op.OpCode)).Select(op => op.SourceName).Distinct(StringComparer.Ordinal).ToList();
        }

        private static bool IsPackedKernel(int opCode)
        {
            return opCode is Runtime.OpCode.FullyConnectedPacked or Runtime.OpCode.Conv2DPacked or Runtime.OpCode.DepthwiseConv3x3
                or Runtime.OpCode.Conv2DPackedTaps or Runtime.OpCode.Conv2DTriple or Runtime.OpCode.FullyConnectedTriple
                or Runtime.OpCode.Conv2DLanes or Runtime.OpCode.DepthwiseConv3x3Lanes or Runtime.OpCode.FullyConnectedLanes;
        }

        private static string AutoNote(Attempt chosen, Attempt plain, List<string> heldToPlain, ConversionOptions options)
        {
            List<string> kernels = chosen.Operators.Where(op => IsPackedKernel(op.OpCode))
                .GroupBy(op => Execution.ModelSummary.KindName(op.OpCode))
                .Select(group => group.Count() == 1 ? group.Key : $"{group.Key} x{group.Count()}")
                .ToList();
            string picked = kernels.Count == 0 ? "the plain kernels everywhere" : "picked " + string.Join(", ", kernels);
            string held = heldToPlain.Count == 0
                ? string.Empty
                : $"; held to the plain kernels to fit {(options.BoardName == null ? "the budget" : "board " + options.BoardName)}: {string.Join(", ", heldToPlain)}";
            return string.Format(CultureInfo.InvariantCulture,
                "kernels auto: {0}{1}; {2:N0} device bytes with the interpreter records ({3:+#,0;-#,0;0} against the plain kernels' {4:N0})",
                picked, held, chosen.Bytes, chosen.Bytes - plain.Bytes, plain.Bytes);
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
            // A constant several operators read (a clamp table) is one tensor.
            var constants = new Dictionary<ConstantOperand, int>(ReferenceEqualityComparer.Instance);
            int TensorIndex(object operand)
            {
                if (operand is ConstantOperand shared && constants.TryGetValue(shared, out int known))
                {
                    return known;
                }

                int index = NewTensor(operand);
                if (operand is ConstantOperand added)
                {
                    constants[added] = index;
                }

                return index;
            }

            int NewTensor(object operand)
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
