using System.Collections.Immutable;
using NanoInt8.Host.Format;
using NanoInt8.Host.Quantization;
using NanoInt8.Runtime;
using NanoInt8.Runtime.Operators;

namespace NanoInt8.Host.Execution
{
    /// <summary>
    /// What an .ni8 model holds and costs, computed from its bytes alone (so that a freshly
    /// converted model and the same model read back from disk summarize identically): per operator
    /// its shapes, multiply-accumulates, weights, arena placement and requantization multipliers,
    /// and totals for the whole model.
    /// </summary>
    public sealed class ModelSummary
    {
        // The operator names, as OpCode spells them.
        private static readonly Dictionary<int, string> s_kindNames = typeof(OpCode)
            .GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
            .Where(constant => constant.IsLiteral && constant.Name != nameof(OpCode.Max))
            .ToDictionary(constant => (int)constant.GetRawConstantValue()!, constant => constant.Name);

        private ModelSummary(ValidatedModel model, IReadOnlyList<OperatorSummary> operators, int modelBytes)
        {
            ModelFile file = model.File;
            ModelName = file.Metadata.ModelName;
            ConverterVersion = file.Metadata.ConverterVersion;
            Requantization = RequantizationName(file.Header.Flags);
            Inputs = model.Inputs;
            Outputs = model.Outputs;
            Operators = operators;
            TensorCount = file.Tensors.Length;
            ParameterCount = file.Tensors
                .Where(tensor => tensor.Storage == TensorStorage.Constant)
                .Sum(tensor => (long)ElementCount(tensor));
            WeightBytes = file.Header.Int8Bytes + (4L * file.Header.Int32Words);
            ArenaBytes = (int)file.Header.ArenaBytes;
            DeviceBytes = (int)file.Header.DeviceBytes;
            ScratchBytes = 8L * file.Header.ScratchWords;
            PreparedBytes = Interpreter.PreparedBytes(model.Model);
            FormatVersion = file.Header.Version;
            ModelBytes = modelBytes;
            MultiplyAccumulates = operators.Sum(summary => summary.MultiplyAccumulates);
            Work = model.Model.Work;
            OperatorCounts = operators
                .GroupBy(summary => summary.Kind)
                .Select(group => new KeyValuePair<string, int>(group.Key, group.Count()))
                .ToArray();
        }

        /// <summary>The model name from the metadata, or null.</summary>
        public string? ModelName { get; }

        /// <summary>The converter version from the metadata, or null.</summary>
        public string? ConverterVersion { get; }

        /// <summary>
        /// The requantization mode from the header flags, as hosttool convert --requant names it:
        /// q31, q15, pow2, exact (float32 emulation), or per-tensor (q31 arithmetic with per-tensor
        /// weights; "q15 per-tensor" etc. for the combinations no converter mode writes).
        /// </summary>
        public string Requantization { get; }

        /// <summary>The graph inputs, in graph order.</summary>
        public IReadOnlyList<GraphTensor> Inputs { get; }

        /// <summary>The graph outputs, in graph order.</summary>
        public IReadOnlyList<GraphTensor> Outputs { get; }

        /// <summary>One line per operator, in execution order.</summary>
        public IReadOnlyList<OperatorSummary> Operators { get; }

        /// <summary>How many operators of each kind, in order of first appearance.</summary>
        public IReadOnlyList<KeyValuePair<string, int>> OperatorCounts { get; }

        /// <summary>Number of tensors.</summary>
        public int TensorCount { get; }

        /// <summary>Elements of all constant tensors (weights, biases, multipliers, shifts, tables).</summary>
        public long ParameterCount { get; }

        /// <summary>Bytes of constant data: int8 constants plus 4 per int32 constant.</summary>
        public long WeightBytes { get; }

        /// <summary>Size of the activation arena.</summary>
        public int ArenaBytes { get; }

        /// <summary>Bytes the device allocates for the model (the header's deviceBytes).</summary>
        public int DeviceBytes { get; }

        /// <summary>Size of the .ni8 file.</summary>
        public int ModelBytes { get; }

        /// <summary>
        /// Heap bytes the device interpreter's operator records take beside <see cref="DeviceBytes"/>
        /// on a 32-bit device (<see cref="Interpreter.PreparedBytes(Model)"/>; docs/model-format.md,
        /// "Interpreter records"): a runtime fact, not in the header.
        /// </summary>
        public long PreparedBytes { get; }

        /// <summary>What the model takes on the device: <see cref="DeviceBytes"/> plus <see cref="PreparedBytes"/>.</summary>
        public long TotalDeviceBytes => DeviceBytes + PreparedBytes;

        /// <summary>Bytes of the packed kernels' scratch (header scratchWords · 8), part of <see cref="DeviceBytes"/>.</summary>
        public long ScratchBytes { get; }

        /// <summary>The model format version of the blob (docs/model-format.md, "Versions").</summary>
        public int FormatVersion { get; }

        /// <summary>Multiply-accumulates of one inference, all operators together.</summary>
        public long MultiplyAccumulates { get; }

        /// <summary>
        /// Work units of one inference as the device's reader computes them (MACs plus the element
        /// reads of pooling, copies and tables; docs/model-format.md, "Work"): what a board's
        /// maxWorkPerInference limits.
        /// </summary>
        public long Work { get; }

        /// <summary>What receiving the model holds on the device at once: <see cref="DeviceBytes"/> plus the file (the LOAD rule).</summary>
        public long TransferBytes => (long)DeviceBytes + ModelBytes;

        /// <summary>Summarizes an .ni8 blob.</summary>
        /// <exception cref="ModelLoadException">The device reader refuses the blob.</exception>
        /// <exception cref="ModelFormatException">The host metadata is malformed.</exception>
        public static ModelSummary FromBlob(byte[] blob)
        {
            // Validation first: everything below indexes tensors and parameters without checks.
            ValidatedModel model = ValidatedModel.Load(blob);
            ModelFile file = model.File;
            IList<string> sourceNames = file.Metadata.OperatorNames;
            OperatorSummary[] operators = new OperatorSummary[file.Operators.Length];
            for (int index = 0; index < operators.Length; index++)
            {
                string? sourceName = index < sourceNames.Count && sourceNames[index].Length > 0 ? sourceNames[index] : null;
                operators[index] = Summarize(file, index, sourceName);
            }

            return new ModelSummary(model, operators, blob.Length);
        }

        /// <summary>The name of the requantization mode that header <paramref name="flags"/> select (see <see cref="Requantization"/>).</summary>
        public static string RequantizationName(ushort flags)
        {
            int deviceMode = flags & NanoInt8.Runtime.Requantization.ModeMask;
            bool perTensor = (flags & NanoInt8.Runtime.Requantization.PerTensorFlag) != 0;
            RequantizationMode mode = deviceMode switch
            {
                NanoInt8.Runtime.Requantization.Q15 => RequantizationMode.Q15,
                NanoInt8.Runtime.Requantization.PowerOfTwo => RequantizationMode.PowerOfTwo,
                NanoInt8.Runtime.Requantization.Float32 => RequantizationMode.Exact,
                _ => perTensor ? RequantizationMode.PerTensor : RequantizationMode.Q31,
            };
            return perTensor && mode != RequantizationMode.PerTensor ? mode.Name() + " per-tensor" : mode.Name();
        }

        /// <summary>The name of an operator code: Conv2D, FullyConnected, ... ("Unknown" for other codes).</summary>
        public static string KindName(int opCode)
        {
            return s_kindNames.TryGetValue(opCode, out string? name) ? name : "Unknown";
        }

        private static OperatorSummary Summarize(ModelFile file, int index, string? sourceName)
        {
            ModelOperator modelOperator = file.Operators[index];
            TensorRecord output = file.Tensors[modelOperator.Outputs[0]];
            long outputElements = ElementCount(output);
            List<IReadOnlyList<int>> inputShapes = new List<IReadOnlyList<int>>();
            long weightBytes = 0;
            foreach (int input in modelOperator.Inputs.Distinct())
            {
                TensorRecord tensor = file.Tensors[input];
                if (tensor.Storage == TensorStorage.Arena)
                {
                    inputShapes.Add(tensor.Shape.ToArray());
                }
                else
                {
                    weightBytes += ElementCount(tensor) * tensor.ElementType switch
                    {
                        TensorElementType.Int64 => 8L,
                        TensorElementType.Int32 => 4L,
                        _ => 1L,
                    };
                }
            }

            return new OperatorSummary(
                index,
                modelOperator.OpCode,
                sourceName,
                inputShapes,
                output.Shape.ToArray(),
                CountMultiplyAccumulates(file, modelOperator, outputElements),
                outputElements,
                weightBytes,
                output.Offset,
                (int)outputElements,
                FindMultiplierRange(file, modelOperator));
        }

        private static long CountMultiplyAccumulates(ModelFile file, ModelOperator modelOperator, long outputElements)
        {
            switch (modelOperator.OpCode)
            {
                case OpCode.Conv2D:
                case OpCode.DepthwiseConv3x3:
                case OpCode.DepthwiseConv3x3Lanes:
                {
                    // Every output element [n, o, oh, ow] takes (C/groups)·KH·KW taps: the filter's
                    // elements per output channel. So N·O·OH·OW·(C/groups)·KH·KW.
                    int[] filter = Dims4(file.Tensors[modelOperator.Inputs[Conv2DLayout.Operands.Filter]]);
                    return outputElements * filter[1] * filter[2] * filter[3];
                }

                case OpCode.FullyConnected:
                {
                    // rows·O outputs of K taps each, filter [O, K].
                    int[] filter = Dims4(file.Tensors[modelOperator.Inputs[FullyConnectedLayout.Operands.Filter]]);
                    return outputElements * filter[3];
                }

                case OpCode.Conv2DPacked:
                {
                    // N·O·OH·OW outputs of C·KH·KW taps each (groups 1); the packed filter
                    // [⌈O/4⌉, KH, KW, 4·P] rounds O and C up.
                    int[] input = Dims4(file.Tensors[modelOperator.Inputs[Conv2DLayout.Operands.Input]]);
                    int[] filter = Dims4(file.Tensors[modelOperator.Inputs[Conv2DLayout.Operands.Filter]]);
                    return outputElements * input[1] * filter[1] * filter[2];
                }

                case OpCode.Conv2DTriple:
                {
                    // N·O·OH·OW outputs of C·KH·KW taps each (groups 1), KW a parameter word.
                    int[] input = Dims4(file.Tensors[modelOperator.Inputs[Conv2DLayout.Operands.Input]]);
                    int[] filter = Dims4(file.Tensors[modelOperator.Inputs[Conv2DLayout.Operands.Filter]]);
                    return outputElements * input[1] * filter[1] * modelOperator.Parameters[Conv2DFilterWidthLayout.FilterWidth];
                }

                case OpCode.Conv2DLanes:
                {
                    // N·O·OH·OW outputs of C·KH·KW taps each (groups 1), KH and KW parameter words.
                    int[] input = Dims4(file.Tensors[modelOperator.Inputs[Conv2DLanesLayout.Operands.Input]]);
                    return outputElements * input[1] * modelOperator.Parameters[Conv2DLanesLayout.FilterHeight] * modelOperator.Parameters[Conv2DLanesLayout.FilterWidth];
                }

                case OpCode.Conv2DPackedTaps:
                {
                    // N·O·OH·OW outputs of KH·KW taps each (one input channel), KW a parameter word.
                    int[] filter = Dims4(file.Tensors[modelOperator.Inputs[Conv2DLayout.Operands.Filter]]);
                    return outputElements * filter[1] * modelOperator.Parameters[Conv2DFilterWidthLayout.FilterWidth];
                }

                case OpCode.FullyConnectedPacked:
                case OpCode.FullyConnectedTriple:
                case OpCode.FullyConnectedLanes:
                {
                    // rows·O outputs of K taps each, K the input's last dimension (the packed
                    // filters round K up to words of two or three taps).
                    int[] input = Dims4(file.Tensors[modelOperator.Inputs[FullyConnectedLayout.Operands.Input]]);
                    return outputElements * input[3];
                }

                default:
                    return 0;
            }
        }

        private static RealRange? FindMultiplierRange(ModelFile file, ModelOperator modelOperator)
        {
            ImmutableArray<int> parameters = modelOperator.Parameters;
            int deviceMode = file.Header.Flags & NanoInt8.Runtime.Requantization.ModeMask;
            double ToReal(int multiplier, int shift) => RequantizationEncoder.ToReal(multiplier, shift, deviceMode);
            List<double> reals = new List<double>();
            switch (modelOperator.OpCode)
            {
                case OpCode.Conv2D:
                case OpCode.FullyConnected:
                case OpCode.FullyConnectedPacked:
                case OpCode.FullyConnectedTriple:
                case OpCode.FullyConnectedLanes:
                case OpCode.Conv2DPacked:
                case OpCode.DepthwiseConv3x3:
                case OpCode.Conv2DPackedTaps:
                case OpCode.Conv2DTriple:
                case OpCode.Conv2DLanes:
                case OpCode.DepthwiseConv3x3Lanes:
                    // FullyConnectedLayout.Operands and Conv2DLanesLayout.Operands name the same positions.
                    AddPerElement(file, modelOperator.Inputs[Conv2DLayout.Operands.Multiplier], modelOperator.Inputs[Conv2DLayout.Operands.Shift], deviceMode, reals);
                    break;

                case OpCode.AveragePool:
                    AddPerElement(file, modelOperator.Inputs[AveragePoolLayout.Operands.Multiplier], modelOperator.Inputs[AveragePoolLayout.Operands.Shift], deviceMode, reals);
                    break;

                case OpCode.Add:
                {
                    // The ratio each input reaches the output with: 2^leftShift · input multiplier · output multiplier.
                    double output = ToReal(parameters[AddLayout.OutputMultiplier], parameters[AddLayout.OutputShift]);
                    double scaleUp = Math.ScaleB(1.0, parameters[AddLayout.LeftShift]);
                    reals.Add(scaleUp * ToReal(parameters[AddLayout.AMultiplier], parameters[AddLayout.AShift]) * output);
                    reals.Add(scaleUp * ToReal(parameters[AddLayout.BMultiplier], parameters[AddLayout.BShift]) * output);
                    break;
                }

                case OpCode.Mul:
                    reals.Add(ToReal(parameters[MulLayout.OutputMultiplier], parameters[MulLayout.OutputShift]));
                    break;

                case OpCode.GlobalAveragePool:
                    reals.Add(ToReal(parameters[GlobalAveragePoolLayout.Multiplier], parameters[GlobalAveragePoolLayout.Shift]));
                    break;

                case OpCode.Softmax:
                    reals.Add(ToReal(parameters[SoftmaxLayout.OutputMultiplier], parameters[SoftmaxLayout.OutputShift]));
                    break;

                case OpCode.Requantize:
                    reals.Add(ToReal(parameters[RequantizeLayout.Multiplier], parameters[RequantizeLayout.Shift]));
                    break;

                case OpCode.Concat:
                    for (int input = 0; input < modelOperator.Inputs.Length; input++)
                    {
                        int multiplier = parameters[ConcatLayout.InputWord(input, ConcatLayout.PerInput.Multiplier)];
                        // Multiplier 0 marks an input copied unchanged: a ratio of exactly 1.
                        reals.Add(multiplier == 0 ? 1.0 : ToReal(multiplier, parameters[ConcatLayout.InputWord(input, ConcatLayout.PerInput.Shift)]));
                    }

                    break;

                default:
                    return null;
            }

            return new RealRange(reals.Min(), reals.Max());
        }

        private static void AddPerElement(ModelFile file, int multiplierTensor, int shiftTensor, int deviceMode, List<double> reals)
        {
            TensorRecord multipliers = file.Tensors[multiplierTensor];
            TensorRecord shifts = file.Tensors[shiftTensor];
            int count = ElementCount(multipliers);
            for (int element = 0; element < count; element++)
            {
                reals.Add(RequantizationEncoder.ToReal(
                    file.Int32Constants[multipliers.Offset + element],
                    file.Int32Constants[shifts.Offset + element],
                    deviceMode));
            }
        }

        private static int ElementCount(TensorRecord tensor)
        {
            int count = 1;
            foreach (int dimension in tensor.Shape)
            {
                count *= dimension;
            }

            return count;
        }

        /// <summary>The shape right-aligned in four dims, with leading 1s, as the operators see it.</summary>
        private static int[] Dims4(TensorRecord tensor)
        {
            int[] dims = { 1, 1, 1, 1 };
            int rank = tensor.Shape.Length;
            for (int axis = 0; axis < rank; axis++)
            {
                dims[4 - rank + axis] = tensor.Shape[axis];
            }

            return dims;
        }
    }
}
