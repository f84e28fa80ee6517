using NanoInt8.Host.Format;
using NanoInt8.Host.Quantization;
using NanoInt8.Onnx;
using NanoInt8.Onnx.Protobuf;
using NanoInt8.Runtime;
using NanoInt8.Runtime.Kernels;
using NanoInt8.Runtime.Operators;
using DataType = NanoInt8.Onnx.Protobuf.TensorProto.Types.DataType;

namespace NanoInt8.Host.Conversion
{
    /// <summary>Weights with the zero point removed (w - zw: int8, or -255..255 for asymmetric weights), and their scale per output channel.</summary>
    internal sealed record QuantizedWeights(int[] Data, int[] Shape, double[] Scales);

    /// <summary>
    /// A bias: either int32 values already in units of inputScale·weightScale[c] (QLinear ops),
    /// or real values to quantize with that scale.
    /// </summary>
    internal sealed record BiasSource(int[]? Exact, double[]? Real);

    internal sealed partial class QuantizedLowering
    {
        // ----- convolution and fully connected -----------------------------------------------------

        private void LowerConv(NodeProto node, QuantTensor input, string weightName, string? biasName, QuantTensor output, int low, int high, string source)
        {
            QuantizedWeights weights = ResolveWeights(weightName, 0, node);
            LowerConvCore(node, input, weights, ResolveBias(biasName, node), output, low, high, source);
        }

        private void LowerConvCore(NodeProto node, QuantTensor input, QuantizedWeights weights, BiasSource bias, QuantTensor output, int low, int high, string source)
        {
            RequireActivation(input, node);
            int groups = (int)node.GetInt("group", 1);
            int[] kernel = weights.Shape.Skip(2).ToArray();
            WindowGeometry geometry = WindowGeometry.From(node, input.Shape, kernel);
            int outputChannels = weights.Shape[0];
            bool oneDimensional = kernel.Length == 1;
            int filterHeight = oneDimensional ? 1 : kernel[0];
            int filterWidth = kernel[^1];
            OperatorWindow window = DeviceWindow(geometry, oneDimensional);

            (sbyte[] weightData, int lanes, int[] biasValues, int[] multipliers, int[] shifts) = ProductParameters(node, input, weights, bias, 1f, 1.0, output);
            QuantTensor input4 = As4D(input, node.Name);
            if (lanes > 1)
            {
                input4 = RepeatChannels(input4, 1, lanes, source);
            }

            QuantTensor output4 = Output4D(output);
            var filterShape = new[] { outputChannels, weights.Shape[1] * lanes, filterHeight, filterWidth };
            KernelTier tier = TierFor(source);
            if (tier != KernelTier.Plain && TryEmitPackedConv(input4, output4, weightData, biasValues, multipliers, shifts,
                filterShape, window, groups, low, high, source, tier))
            {
                FinishOutput4D(output4, output, node.Name);
                return;
            }

            // Depthwise 3x3 without dilation: DepthwiseConv3x3Kernel over the same int8 operands.
            bool depthwise3x3 = groups == outputChannels && groups == input4.Shape[1] && filterShape[1] == 1
                && filterHeight == DepthwiseConv3x3Kernel.FilterSize && filterWidth == DepthwiseConv3x3Kernel.FilterSize
                && window.IsUndilated;
            if (tier == KernelTier.Lanes && depthwise3x3
                && TryEmitDepthwiseLanes(input4, output4, weightData, biasValues, multipliers, shifts, filterShape, window, groups, low, high, source))
            {
                FinishOutput4D(output4, output, node.Name);
                return;
            }

            bool emitDepthwise3x3 = tier != KernelTier.Plain && depthwise3x3;
            Emit(emitDepthwise3x3 ? OpCode.DepthwiseConv3x3 : OpCode.Conv2D,
                ProductOperands(input4, new ConstantOperand(source + ".weight", weightData, filterShape), biasValues, multipliers, shifts, source),
                output4, emitDepthwise3x3 ? OperatorWords.DepthwiseConv3x3(window, groups, low, high) : OperatorWords.Conv2D(window, groups, low, high), source);
            FinishOutput4D(output4, output, node.Name);
        }

        // The operands of a convolution or fully connected layer in their layout's order
        // (Conv2DLayout.Operands; FullyConnectedLayout.Operands is the same): bias, multiplier and
        // shift one value per output channel.
        private static object[] ProductOperands(QuantTensor input, ConstantOperand filter, int[] biasValues, int[] multipliers, int[] shifts, string source)
        {
            var operands = new object[Conv2DLayout.Operands.Count];
            operands[Conv2DLayout.Operands.Input] = input;
            operands[Conv2DLayout.Operands.Filter] = filter;
            operands[Conv2DLayout.Operands.Bias] = new ConstantOperand(source + ".bias", biasValues, new[] { biasValues.Length });
            operands[Conv2DLayout.Operands.Multiplier] = new ConstantOperand(source + ".multiplier", multipliers, new[] { multipliers.Length });
            operands[Conv2DLayout.Operands.Shift] = new ConstantOperand(source + ".shift", shifts, new[] { shifts.Length });
            return operands;
        }

        // The device's 2-D window of an ONNX window: a 1-D one ([N, C, L]) is a row of height 1.
        private static OperatorWindow DeviceWindow(WindowGeometry geometry, bool oneDimensional)
        {
            if (oneDimensional)
            {
                return new OperatorWindow(1, geometry.Strides[0], 1, geometry.Dilations[0], 0, geometry.PadsBegin[0], 0, geometry.PadsEnd[0]);
            }

            return new OperatorWindow(geometry.Strides[0], geometry.Strides[1], geometry.Dilations[0], geometry.Dilations[1],
                geometry.PadsBegin[0], geometry.PadsBegin[1], geometry.PadsEnd[0], geometry.PadsEnd[1]);
        }

        private void LowerGemm(NodeProto node, QuantTensor input, string weightName, string? biasName, QuantTensor output, int low, int high, string source)
        {
            bool transposeB = node.GetInt("transB", 0) != 0;
            QuantizedWeights weights = ResolveWeights(weightName, transposeB ? 0 : 1, node);
            LowerGemmCore(node, input, weights, transposeB, ResolveBias(biasName, node), node.GetFloat("alpha", 1f), node.GetFloat("beta", 1f), output, low, high, source);
        }

        private void LowerGemmCore(NodeProto node, QuantTensor input, QuantizedWeights weights, bool transposeB, BiasSource bias, float alpha, float beta, QuantTensor output, int low, int high, string source)
        {
            if (node.GetInt("transA", 0) != 0)
            {
                throw new ConversionException($"node '{node.Name}' (Gemm) transposes its input (transA=1); only transA=0 is supported.", node.Name, node.OpType);
            }

            if (!(alpha > 0))
            {
                throw new ConversionException($"node '{node.Name}' (Gemm) has alpha {alpha}; only a positive alpha is supported.", node.Name, node.OpType);
            }

            QuantizedWeights filter = transposeB ? weights : TransposeWeights(weights);
            LowerFullyConnectedCore(node, input, filter, bias, alpha, beta, output, low, high, source);
        }

        private void LowerMatMul(NodeProto node, string inputName, string weightName, QuantTensor output, int low, int high, string source)
        {
            QuantTensor input = ResolveActivation(inputName);
            if (!IsConstantExpression(weightName) && !_graph.IsConstant(weightName))
            {
                throw new ConversionException(
                    $"node '{node.Name}' (MatMul) multiplies two activations; only a constant (weight) right operand is supported.",
                    node.Name, node.OpType);
            }

            QuantizedWeights weights = ResolveWeights(weightName, 1, node);
            if (weights.Shape.Length != 2)
            {
                throw new ConversionException($"node '{node.Name}' (MatMul) has a weight of rank {weights.Shape.Length}; only 2-D weights are supported.", node.Name, node.OpType);
            }

            LowerFullyConnectedCore(node, input, TransposeWeights(weights), new BiasSource(null, null), 1f, 1f, output, low, high, source);
        }

        // Conv2DPacked (issue 7: two input channels per 64-bit multiply, Conv2DPackedKernel) where
        // the device kernel takes it: groups 1, dilation 1, a window row of at most 254 channel
        // pairs, a packed padded input within the scratch limit and every filter pair an int32 word.
        // With the Lanes tier, Conv2DLanes first (QuantizedLowering.Lanes.cs).
        private bool TryEmitPackedConv(QuantTensor input4, QuantTensor output4, sbyte[] weightData, int[] biasValues, int[] multipliers, int[] shifts,
            int[] filterShape, OperatorWindow window, int groups, int low, int high, string source, KernelTier tier)
        {
            int outputChannels = filterShape[0];
            int inputChannels = filterShape[1];
            int filterHeight = filterShape[2];
            int filterWidth = filterShape[3];
            if (tier == KernelTier.Lanes && groups == 1 && window.IsUndilated
                && TryEmitLanesConv(input4, output4, weightData, biasValues, multipliers, shifts, filterShape, window, low, high, source))
            {
                return true;
            }

            if (groups == 1 && window.IsUndilated
                && TryEmitTripleConv(input4, output4, weightData, biasValues, multipliers, shifts, filterShape, window, low, high, source))
            {
                return true;
            }

            if (inputChannels == 1 && groups == 1 && window.IsUndilated
                && TryEmitPackedTapsConv(input4, output4, weightData, biasValues, multipliers, shifts, filterShape, window, low, high, source))
            {
                return true;
            }

            int pairCount = Conv2DPackedKernel.ChannelPairCount(inputChannels);
            if (groups != 1 || !window.IsUndilated
                || (long)filterWidth * pairCount > FullyConnectedPackedKernel.BlockPairs
                || Conv2DPackedKernel.ScratchWords(inputChannels, input4.Shape[2], input4.Shape[3], window.PadTop, window.PadLeft, window.PadBottom, window.PadRight)
                    > ModelFormat.MaxScratchWords)
            {
                return false;
            }

            var packed = new int[Conv2DPackedKernel.PackedFilterWords(outputChannels, inputChannels, filterHeight, filterWidth)];
            if (!Conv2DPackedKernel.PackFilter(weightData, 0, outputChannels, inputChannels, filterHeight, filterWidth, packed, 0))
            {
                return false;
            }

            var filterOperand = new ConstantOperand(source + ".weight", packed,
                new[] { (outputChannels + 3) / 4, filterHeight, filterWidth, pairCount * Conv2DPackedKernel.GroupChannels });
            Emit(OpCode.Conv2DPacked, ProductOperands(input4, filterOperand, biasValues, multipliers, shifts, source), output4,
                OperatorWords.Conv2DPacked(window, low, high), source);
            return true;
        }

        // Conv2DTriple (three input channels, or with one input channel three adjacent taps, per
        // 64-bit multiply: Conv2DTripleKernel) where the kernel takes it: groups 1, dilation 1
        // (the caller checks), a window row of at most 21 words, the scratch within the limit.
        private bool TryEmitTripleConv(QuantTensor input4, QuantTensor output4, sbyte[] weightData, int[] biasValues, int[] multipliers, int[] shifts,
            int[] filterShape, OperatorWindow window, int low, int high, string source)
        {
            int outputChannels = filterShape[0];
            int inputChannels = filterShape[1];
            int filterHeight = filterShape[2];
            int filterWidth = filterShape[3];
            if (!Conv2DTripleKernel.Fits(inputChannels, filterWidth)
                || Conv2DTripleKernel.ScratchWords(outputChannels, inputChannels, input4.Shape[2], input4.Shape[3], filterHeight, filterWidth,
                    window.PadTop, window.PadLeft, window.PadBottom, window.PadRight) > ModelFormat.MaxScratchWords)
            {
                return false;
            }

            int rowWords = Conv2DTripleKernel.RowWords(inputChannels, filterWidth);
            var lanes = new sbyte[3 * Conv2DTripleKernel.FilterWords(outputChannels, inputChannels, filterHeight, filterWidth)];
            Conv2DTripleKernel.PackFilter(weightData, 0, outputChannels, inputChannels, filterHeight, filterWidth, lanes, 0);
            var filterOperand = new ConstantOperand(source + ".weight", lanes,
                new[] { (outputChannels + Conv2DTripleKernel.TileChannels - 1) / Conv2DTripleKernel.TileChannels, filterHeight, rowWords, 3 * Conv2DTripleKernel.TileChannels });
            Emit(OpCode.Conv2DTriple, ProductOperands(input4, filterOperand, biasValues, multipliers, shifts, source), output4,
                OperatorWords.Conv2DTriple(window, low, high, filterWidth), source);
            return true;
        }

        // Conv2DPackedTaps (one input channel: two adjacent taps of a filter row per 64-bit
        // multiply, Conv2DPackedKernel.EvalTapPairs) where the kernel takes it: at most 254 tap
        // pairs a row, the packed padded input within the scratch limit, every pair an int32 word.
        private bool TryEmitPackedTapsConv(QuantTensor input4, QuantTensor output4, sbyte[] weightData, int[] biasValues, int[] multipliers, int[] shifts,
            int[] filterShape, OperatorWindow window, int low, int high, string source)
        {
            int outputChannels = filterShape[0];
            int filterHeight = filterShape[2];
            int filterWidth = filterShape[3];
            if (filterWidth > 2 * FullyConnectedPackedKernel.BlockPairs
                || Conv2DPackedKernel.ScratchWordsTapPairs(input4.Shape[2], input4.Shape[3], filterWidth, window.PadTop, window.PadLeft, window.PadBottom, window.PadRight)
                    > ModelFormat.MaxScratchWords)
            {
                return false;
            }

            var packed = new int[Conv2DPackedKernel.PackedFilterWordsTapPairs(outputChannels, filterHeight, filterWidth)];
            if (!Conv2DPackedKernel.PackFilterTaps(weightData, 0, outputChannels, filterHeight, filterWidth, packed, 0))
            {
                return false;
            }

            var filterOperand = new ConstantOperand(source + ".weight", packed,
                new[] { (outputChannels + 3) / 4, filterHeight, 1, Conv2DPackedKernel.TapPairCount(filterWidth) * Conv2DPackedKernel.GroupChannels });
            Emit(OpCode.Conv2DPackedTaps, ProductOperands(input4, filterOperand, biasValues, multipliers, shifts, source), output4,
                OperatorWords.Conv2DPackedTaps(window, low, high, filterWidth), source);
            return true;
        }

        // filter is [O, K] with a scale per output channel.
        private void LowerFullyConnectedCore(NodeProto node, QuantTensor input, QuantizedWeights filter, BiasSource bias, float alpha, float beta, QuantTensor output, int low, int high, string source)
        {
            RequireActivation(input, node);
            int outputChannels = filter.Shape[0];
            int depth = filter.Shape[1];
            if (input.Shape[^1] != depth)
            {
                throw new ConversionException($"node '{node.Name}' ({node.OpType}): input depth {input.Shape[^1]} does not match the weight's {depth}.", node.Name, node.OpType);
            }

            (sbyte[] weightData, int lanes, int[] biasValues, int[] multipliers, int[] shifts) = ProductParameters(node, input, filter, bias, alpha, beta, output);
            if (lanes > 1)
            {
                input = RepeatChannels(input, input.Shape.Length - 1, lanes, source);
                depth *= lanes;
            }

            KernelTier tier = TierFor(source);
            if (tier == KernelTier.Lanes
                && TryEmitLanesFullyConnected(input, output, weightData, biasValues, multipliers, shifts, depth, low, high, source))
            {
                return;
            }

            if (tier != KernelTier.Plain)
            {
                // Three taps per 64-bit multiply (FullyConnectedTripleKernel): every int8 filter
                // packs, in int64 words of three taps, four output channels side by side.
                var packed = new long[FullyConnectedTripleKernel.FilterWords(outputChannels, depth)];
                FullyConnectedTripleKernel.PackFilter(weightData, 0, outputChannels, depth, packed, 0);
                var packedOperand = new ConstantOperand(source + ".weight", packed,
                    new[] { (outputChannels + 3) / 4, FullyConnectedTripleKernel.RowWords(depth), FullyConnectedTripleKernel.GroupChannels });
                Emit(OpCode.FullyConnectedTriple, ProductOperands(input, packedOperand, biasValues, multipliers, shifts, source), output,
                    OperatorWords.FullyConnectedTriple(low, high), source);
                return;
            }

            var filterOperand = new ConstantOperand(source + ".weight", weightData, new[] { outputChannels, depth });
            Emit(OpCode.FullyConnected, ProductOperands(input, filterOperand, biasValues, multipliers, shifts, source), output,
                OperatorWords.FullyConnected(low, high), source);
        }

        private static QuantizedWeights TransposeWeights(QuantizedWeights weights)
        {
            int rows = weights.Shape[0];
            int columns = weights.Shape[1];
            var data = new int[weights.Data.Length];
            for (int r = 0; r < rows; r++)
            {
                for (int c = 0; c < columns; c++)
                {
                    data[c * rows + r] = weights.Data[r * columns + c];
                }
            }

            return new QuantizedWeights(data, new[] { columns, rows }, weights.Scales);
        }

        private static int FoldBias(long value, NodeProto node)
        {
            if (value > ModelReader.MaxBias || value < -ModelReader.MaxBias)
            {
                throw new ConversionException(
                    $"node '{node.Name}' ({node.OpType}) has a bias of {value} quantization steps, beyond the ±2^30 the device accepts; the bias scale (input scale × weight scale) is too small for it.",
                    node.Name, node.OpType);
            }

            return (int)value;
        }

        private int[] QuantizeBias(BiasSource bias, double inputScale, double[] weightScales, int channels, double beta, NodeProto node)
        {
            var values = new int[channels];
            if (bias.Exact != null)
            {
                for (int c = 0; c < channels; c++)
                {
                    values[c] = bias.Exact[bias.Exact.Length == 1 ? 0 : c];
                }
            }
            else if (bias.Real != null)
            {
                if (bias.Real.Length != 1 && bias.Real.Length != channels)
                {
                    throw new ConversionException($"node '{node.Name}' ({node.OpType}) has a bias of {bias.Real.Length} values for {channels} channels; a per-row bias is not supported.", node.Name, node.OpType);
                }

                for (int c = 0; c < channels; c++)
                {
                    double real = beta * bias.Real[bias.Real.Length == 1 ? 0 : c];
                    double steps = Math.Round(real / (inputScale * weightScales[c]), MidpointRounding.ToEven);
                    values[c] = FoldBias((long)Math.Clamp(steps, -4e18, 4e18), node);
                }
            }

            return values;
        }

        private BiasSource ResolveBias(string? name, NodeProto node)
        {
            if (string.IsNullOrEmpty(name))
            {
                return new BiasSource(null, null);
            }

            return new BiasSource(null, ConstantFloatValue(name, node).Select(v => (double)v).ToArray());
        }

        // ----- elementwise binary ---------------------------------------------------------------------

        private void LowerBinary(NodeProto node, string operation, QuantTensor a, QuantTensor b, QuantTensor output, int low, int high, string source)
        {
            bool operatorFormat = node.OpType.StartsWith("QLinear", StringComparison.Ordinal);
            if (a.Constant != null && b.Constant != null)
            {
                throw new ConversionException($"node '{node.Name}' ({node.OpType}) has two constant operands; fold it before quantizing.", node.Name, node.OpType);
            }

            if ((a.Constant != null && a.ElementCount == 1) || (b.Constant != null && b.ElementCount == 1))
            {
                LowerScalarBinary(operation, operatorFormat, a, b, output, low, high, source);
                return;
            }

            int[] shape = output.Shape;
            if (shape.Length > 4)
            {
                throw new ConversionException($"node '{node.Name}' ({node.OpType}) works on rank {shape.Length}; at most 4 dimensions are supported.", node.Name, node.OpType);
            }

            int[] aStrides = BroadcastStrides(a.Shape, shape);
            int[] bStrides = BroadcastStrides(b.Shape, shape);
            int[] words;
            if (operation == "Mul")
            {
                AbsorbRatioInOutputScale(output, a.Scale * b.Scale, low, high);
                // QLinearMul as ONNX Runtime implements it multiplies the integer product by the
                // float32 ratio fl(fl(sa·sb)/sc); its 24-bit mantissa fits the 31-bit multiplier
                // exactly, so the device applies the very same ratio.
                // exact mode follows it for QDQ Mul too: ONNX Runtime fuses a QDQ Mul into QLinearMul.
                (int multiplier, int shift) = Multiplier(operatorFormat || _mode == RequantizationMode.Exact
                    ? (float)((float)a.Scale * (float)b.Scale) / (float)output.Scale
                    : a.Scale * b.Scale / output.Scale);
                words = OperatorWords.Mul((multiplier, shift), low, high, aStrides, bStrides);
            }
            else
            {
                // TensorFlow Lite's int8 Add: both inputs are brought to a common scale of
                // 2·max(scaleA, scaleB) / 2^20 with multipliers below one, then rescaled once.
                const int LeftShift = 20;
                double twiceMaximum = 2 * Math.Max(a.Scale, b.Scale);
                AbsorbRatioInOutputScale(output, twiceMaximum / (1 << LeftShift), low, high);
                (int aMultiplier, int aShift) = Multiplier(a.Scale / twiceMaximum);
                (int bMultiplier, int bShift) = Multiplier(b.Scale / twiceMaximum);
                (int outputMultiplier, int outputShift) = Multiplier(twiceMaximum / ((1 << LeftShift) * output.Scale));
                words = OperatorWords.Add(LeftShift, (aMultiplier, aShift), (bMultiplier, bShift), (outputMultiplier, outputShift),
                    low, high, operation == "Sub", aStrides, bStrides);
            }

            Emit(operation == "Mul" ? OpCode.Mul : OpCode.Add, new object[] { a, b }, output, words, source);
        }

        /// <summary>
        /// Add, Sub or Mul with a scalar constant is a function of one int8 value: a 256-entry table
        /// computed as ONNX Runtime computes it in float32, bit-identical to it: for the QDQ
        /// format both operands dequantized, the operation, QuantizeLinear; for QLinearMul the
        /// integer product times fl(fl(sa·sb)/sc) plus the zero point, rounded half to even (MLAS's
        /// vector kernel).
        /// </summary>
        private void LowerScalarBinary(string operation, bool operatorFormat, QuantTensor a, QuantTensor b, QuantTensor output, int low, int high, string source)
        {
            bool constantFirst = a.Constant != null && a.ElementCount == 1 && b.Constant == null;
            QuantTensor variable = constantFirst ? b : a;
            QuantTensor constant = constantFirst ? a : b;
            float value = (constant.Constant![0] - constant.ZeroPoint) * (float)constant.Scale;
            var table = new sbyte[256];
            float inputScale = (float)variable.Scale;
            float outputScale = (float)output.Scale;
            float ratio = (float)((float)variable.Scale * (float)constant.Scale) / outputScale;
            for (int code = -128; code <= 127; code++)
            {
                if (operatorFormat && operation == "Mul")
                {
                    float product = (float)((code - variable.ZeroPoint) * (constant.Constant![0] - constant.ZeroPoint));
                    float rounded = MathF.Round(product * ratio + output.ZeroPoint, MidpointRounding.ToEven);
                    table[code + 128] = (sbyte)Math.Clamp(rounded, low, high);
                    continue;
                }

                float x = (code - variable.ZeroPoint) * inputScale;
                float y = operation switch
                {
                    "Mul" => constantFirst ? value * x : x * value,
                    "Sub" => constantFirst ? value - x : x - value,
                    _ => constantFirst ? value + x : x + value,
                };
                float quantized = MathF.Round(y / outputScale, MidpointRounding.ToEven) + output.ZeroPoint;
                table[code + 128] = (sbyte)Math.Clamp(quantized, low, high);
            }

            if (!variable.Shape.SequenceEqual(output.Shape) && variable.ElementCount != output.ElementCount)
            {
                throw new ConversionException($"'{source}' broadcasts its non-constant operand; only a scalar constant can be folded into a table.", source, operation);
            }

            Emit(OpCode.Lookup, new object[] { variable, new ConstantOperand(source + ".table", table, new[] { 256 }) }, output, OperatorWords.Lookup(), source);
        }

        /// <summary>Element strides of an operand for each of the 4 right-aligned output axes (0 where broadcast).</summary>
        private static int[] BroadcastStrides(int[] operand, int[] output)
        {
            var strides = new int[4];
            int stride = 1;
            for (int axis = 3; axis >= 0; axis--)
            {
                int outputAxis = axis - (4 - output.Length);
                int operandAxis = outputAxis - (output.Length - operand.Length);
                int dimension = operandAxis >= 0 && outputAxis >= 0 ? operand[operandAxis] : 1;
                int outputDimension = outputAxis >= 0 ? output[outputAxis] : 1;
                strides[axis] = dimension == 1 && outputDimension != 1 ? 0 : stride;
                stride *= dimension;
            }

            return strides;
        }

        // ----- pooling ---------------------------------------------------------------------------------

        private void LowerMaxPool(NodeProto node, QuantTensor input, QuantTensor output, int low, int high, string source)
        {
            RequireActivation(input, node);
            if (node.Output.Count > 1 && node.Output[1].Length > 0)
            {
                throw new ConversionException($"node '{node.Name}' (MaxPool) returns indices; that output is not supported.", node.Name, node.OpType);
            }

            int[] kernel = node.GetInts("kernel_shape").Select(k => (int)k).ToArray();
            WindowGeometry geometry = WindowGeometry.From(node, input.Shape, kernel);
            bool oneDimensional = kernel.Length == 1;
            OperatorWindow window = WithCeilModePadding(DeviceWindow(geometry, oneDimensional), geometry, input.Shape, output.Shape, oneDimensional);

            // Max pooling keeps the input's quantization; a different output scale is a requantization after it.
            FollowRaisedScale(input, output);
            bool sameQuantization = SameQuantization(input.Scale, input.ZeroPoint, output.Scale, output.ZeroPoint);
            QuantTensor pooled = sameQuantization ? output : Temporary(output.Name, output.Shape, input.Scale, input.ZeroPoint);
            QuantTensor input4 = As4D(input, node.Name);
            QuantTensor pooled4 = Output4D(pooled);
            Emit(OpCode.MaxPool, new object[] { input4 }, pooled4,
                OperatorWords.MaxPool(oneDimensional ? 1 : kernel[0], kernel[^1], window, sameQuantization ? low : -128, sameQuantization ? high : 127), source);
            FinishOutput4D(pooled4, pooled, node.Name);
            if (!sameQuantization)
            {
                EmitRequantize(pooled, output, low, high, source);
            }
        }

        // ceil_mode: extend the end padding so the device's floor formula gives ONNX's output size.
        private static OperatorWindow WithCeilModePadding(OperatorWindow window, WindowGeometry geometry, int[] inputShape, int[] outputShape, bool oneDimensional)
        {
            int spatial = oneDimensional ? 1 : 2;
            for (int i = 0; i < spatial; i++)
            {
                int inputSize = inputShape[2 + i];
                int outputSize = outputShape[2 + i];
                int extent = geometry.Dilations[i] * (geometry.Kernel[i] - 1) + 1;
                int needed = (outputSize - 1) * geometry.Strides[i] + extent - inputSize - geometry.PadsBegin[i];
                // The last spatial axis is the device window's width, a 2-D window's first its height.
                window = oneDimensional || i == 1
                    ? window with { PadRight = Math.Max(window.PadRight, needed) }
                    : window with { PadBottom = Math.Max(window.PadBottom, needed) };
            }

            return window;
        }

        private void LowerAveragePool(NodeProto node, QuantTensor input, QuantTensor output, int low, int high, string source)
        {
            RequireActivation(input, node);
            int[] kernel = node.GetInts("kernel_shape").Select(k => (int)k).ToArray();
            WindowGeometry geometry = WindowGeometry.From(node, input.Shape, kernel);
            bool countIncludePad = node.GetInt("count_include_pad", 0) != 0;
            if (geometry.CeilMode && countIncludePad)
            {
                throw new ConversionException($"node '{node.Name}' (AveragePool) combines ceil_mode=1 with count_include_pad=1, which is not supported.", node.Name, node.OpType);
            }

            if (geometry.Dilations.Any(d => d != 1))
            {
                throw new ConversionException($"node '{node.Name}' (AveragePool) uses dilations, which are not supported.", node.Name, node.OpType);
            }

            bool oneDimensional = kernel.Length == 1;
            OperatorWindow window = WithCeilModePadding(DeviceWindow(geometry, oneDimensional), geometry, input.Shape, output.Shape, oneDimensional);
            int kernelHeight = oneDimensional ? 1 : kernel[0];
            int kernelWidth = kernel[^1];
            int area = kernelHeight * kernelWidth;
            // pow2: whole windows get an exact power of two; border windows of fewer taps round theirs.
            AbsorbRatioInOutputScale(output, input.Scale / area, low, high);
            var multipliers = new int[area];
            var shifts = new int[area];
            for (int count = 1; count <= area; count++)
            {
                (multipliers[count - 1], shifts[count - 1]) = Multiplier(input.Scale / (output.Scale * count));
            }

            QuantTensor input4 = As4D(input, node.Name);
            QuantTensor output4 = Output4D(output);
            Emit(OpCode.AveragePool, new object[]
            {
                input4,
                new ConstantOperand(source + ".multiplier", multipliers, new[] { area }),
                new ConstantOperand(source + ".shift", shifts, new[] { area }),
            }, output4, OperatorWords.AveragePool(kernelHeight, kernelWidth, window, countIncludePad, low, high), source);
            FinishOutput4D(output4, output, node.Name);
        }

        private void LowerGlobalAveragePool(QuantTensor input, QuantTensor output, int low, int high, string source)
        {
            if (input.Shape.Length < 3 || input.Shape.Length > 4)
            {
                throw new ConversionException($"GlobalAveragePool '{source}' reads rank {input.Shape.Length}; NCL and NCHW inputs are supported.", source, "GlobalAveragePool");
            }

            int spatial = input.Shape.Skip(2).Aggregate(1, (a, b) => a * b);
            AbsorbRatioInOutputScale(output, input.Scale / spatial, low, high);
            // exact: the float32 ratio MLAS's QLinearGlobalAveragePool computes, si / (so · N) in float32
            // steps (ONNX Runtime fuses a QDQ GlobalAveragePool into it).
            (int multiplier, int shift) = Multiplier(_mode == RequantizationMode.Exact
                ? (float)input.Scale / ((float)output.Scale * spatial)
                : input.Scale / (output.Scale * spatial));
            QuantTensor input4 = As4D(input, source);
            QuantTensor output4 = Output4D(output);
            Emit(OpCode.GlobalAveragePool, new object[] { input4 }, output4, OperatorWords.GlobalAveragePool((multiplier, shift), low, high), source);
            FinishOutput4D(output4, output, source);
        }

        // ----- data movement -----------------------------------------------------------------------

        private void LowerConcat(NodeProto node, QuantTensor[] inputs, QuantTensor output, int low, int high, string source)
        {
            int rank = output.Shape.Length;
            if (rank > 4)
            {
                throw new ConversionException($"node '{node.Name}' (Concat) works on rank {rank}; at most 4 dimensions are supported.", node.Name, node.OpType);
            }

            if (inputs.Length > ModelFormat.MaxConcatInputs)
            {
                throw new ConversionException($"node '{node.Name}' (Concat) has {inputs.Length} inputs; at most {ModelFormat.MaxConcatInputs} are supported.", node.Name, node.OpType);
            }

            int axis = (int)node.GetInt("axis");
            axis = axis < 0 ? axis + rank : axis;
            bool clamps = low > -128 || high < 127;
            QuantTensor target = clamps ? Temporary(output.Name, output.Shape, output.Scale, output.ZeroPoint) : output;
            // An input of another scale is requantized first by a table computed as ONNX Runtime
            // does it in float32 (bit-identical), then all inputs are copied.
            var operands = new object[inputs.Length];
            for (int i = 0; i < inputs.Length; i++)
            {
                QuantTensor input = inputs[i];
                if (!SameQuantization(input.Scale, input.ZeroPoint, target.Scale, target.ZeroPoint))
                {
                    QuantTensor requantized = Temporary(input.Name, input.Shape, target.Scale, target.ZeroPoint);
                    EmitRequantize(input, requantized, -128, 127, source);
                    input = requantized;
                }

                operands[i] = input;
            }

            // Every input is copied unchanged (multiplier 0): those of another scale were requantized above.
            Emit(OpCode.Concat, operands, target, OperatorWords.Concat(axis + 4 - rank, operands.Select(_ => (0, 0)).ToArray()), source);
            if (clamps)
            {
                EmitRequantize(target, output, low, high, source);
            }
        }

        private void EmitReshapeOrRequantize(QuantTensor input, QuantTensor output, int low, int high, string source)
        {
            FollowRaisedScale(input, output);
            if (SameQuantization(input.Scale, input.ZeroPoint, output.Scale, output.ZeroPoint) && low == -128 && high == 127 && input.Constant == null)
            {
                Emit(OpCode.Reshape, new object[] { input }, output, OperatorWords.Reshape(), source);
            }
            else
            {
                EmitRequantize(input, output, low, high, source);
            }
        }

        /// <summary>
        /// A change of scale and zero point (DequantizeLinear → QuantizeLinear, with a fused Relu or
        /// Clip as the clamp): a 256-entry table computed the way ONNX Runtime computes it in
        /// float32, so the result is bit-identical to it, and on the device one table read per
        /// element is cheaper than a fixed-point multiply. A constant input is requantized here.
        /// </summary>
        private void EmitRequantize(QuantTensor input, QuantTensor output, int low, int high, string source)
        {
            LowerLookup("Identity", null, input, output, low, high, source);
        }

        /// <summary>
        /// ONNX Transpose as the device's strided copy. A permutation of more than 4 axes (the
        /// channel shuffle x.reshape(n, g, c / g, h, w).transpose(1, 2) that ShuffleNet-style
        /// models export) is first reduced: axes of size 1 are dropped and input axes that stay
        /// adjacent and in order are merged, which moves no element; the copy then reads the 4-D
        /// tensor the 5-D one was reshaped from, and writes the reduced shape, which the Reshape
        /// after it turns back.
        /// </summary>
        private void LowerTranspose(NodeProto node, QuantTensor input, QuantTensor output, int low, int high, string source)
        {
            int rank = input.Shape.Length;
            long[] permutation = node.GetInts("perm", Enumerable.Range(0, rank).Reverse().Select(i => (long)i).ToArray());
            int[] inputShape = input.Shape;
            int[] perm = permutation.Select(axis => (int)axis).ToArray();
            QuantTensor operand = input;
            if (rank > 4)
            {
                (inputShape, perm) = ReducedPermutation(input.Shape, perm);
                if (inputShape.Length > 4 || !_reshapeSources.TryGetValue(input, out QuantTensor? source4D))
                {
                    throw new ConversionException($"node '{node.Name}' (Transpose) works on rank {rank}; at most 4 dimensions are supported (after merging axes that move together: {inputShape.Length}).", node.Name, node.OpType);
                }

                operand = source4D;
                rank = inputShape.Length;
            }

            var inputStrides = new int[rank];
            int stride = 1;
            for (int axis = rank - 1; axis >= 0; axis--)
            {
                inputStrides[axis] = stride;
                stride *= inputShape[axis];
            }

            var strides = new int[4];
            for (int k = 0; k < rank; k++)
            {
                strides[4 - rank + k] = inputStrides[perm[k]];
            }

            int[] transposedShape = perm.Select(axis => inputShape[axis]).ToArray();
            FollowRaisedScale(input, output);
            bool direct = SameQuantization(input.Scale, input.ZeroPoint, output.Scale, output.ZeroPoint) && low == -128 && high == 127
                && transposedShape.SequenceEqual(output.Shape);
            QuantTensor target = direct ? output : Temporary(output.Name, transposedShape, input.Scale, input.ZeroPoint);
            Emit(OpCode.Transpose, new object[] { operand }, target, OperatorWords.Transpose(strides), source);
            if (!direct)
            {
                EmitReshapeOrRequantize(target, output, low, high, source);
            }
        }

        /// <summary>
        /// The same permutation over fewer axes: input axes of size 1 dropped, and input axes that
        /// follow one another in the output too (perm[k + 1] = perm[k] + 1) merged into one; the
        /// elements keep their order on both sides.
        /// </summary>
        private static (int[] Shape, int[] Perm) ReducedPermutation(int[] shape, int[] perm)
        {
            // Output order of the kept input axes.
            int[] kept = perm.Where(axis => shape[axis] != 1).ToArray();
            var groups = new List<List<int>>();
            foreach (int axis in kept)
            {
                if (groups.Count > 0 && groups[^1][^1] + 1 == axis)
                {
                    groups[^1].Add(axis);
                }
                else
                {
                    groups.Add(new List<int> { axis });
                }
            }

            if (groups.Count == 0)
            {
                return (new[] { 1 }, new[] { 0 });
            }

            // Each group is one input axis; in the input they come in the order of their first axis.
            List<List<int>> inputOrder = groups.OrderBy(group => group[0]).ToList();
            int[] reducedShape = inputOrder.Select(group => group.Aggregate(1, (product, axis) => product * shape[axis])).ToArray();
            int[] reducedPerm = groups.Select(group => inputOrder.IndexOf(group)).ToArray();
            return (reducedShape, reducedPerm);
        }

        /// <summary>
        /// ONNX Slice with constant starts, ends, axes and steps on an int8 activation (the QDQ form
        /// DequantizeLinear → Slice → QuantizeLinear, or wherever a data-movement op is lowered),
        /// as the device's Slice (<see cref="EmitSlice"/>, which another route to a window, such as
        /// Split, calls too).
        /// </summary>
        private void LowerSlice(NodeProto node, QuantTensor input, QuantTensor output, int low, int high, string source)
        {
            RequireActivation(input, node);
            int rank = input.Shape.Length;
            SliceGeometry geometry = SliceGeometry.From(_graph, node, input.Shape)
                ?? throw new ConversionException($"node '{node.Name}' (Slice) needs constant starts, ends, axes and steps.", node.Name, node.OpType);
            if (rank > 4 || geometry.Counts.Any(count => count < 1))
            {
                throw new ConversionException($"node '{node.Name}' (Slice) takes an empty window or works on rank {rank}; a non-empty window of at most 4 dimensions is supported.", node.Name, node.OpType);
            }

            EmitSlice(input, geometry.Starts, geometry.Steps, geometry.Counts, output, low, high, source);
        }

        /// <summary>
        /// The device's Slice (code 21) of <paramref name="input"/> (rank at most 4): along each axis
        /// <paramref name="counts"/> elements from <paramref name="starts"/> by <paramref name="steps"/>,
        /// copied as they are, so the window keeps the input's quantization; an output quantized
        /// otherwise, or clamped, is a requantization after it.
        /// </summary>
        private void EmitSlice(QuantTensor input, int[] starts, int[] steps, int[] counts, QuantTensor output, int low, int high, string source)
        {
            // The device's axes are right-aligned 4-D: leading axes take their only element.
            int rank = input.Shape.Length;
            var deviceStarts = new int[4];
            var deviceSteps = new[] { 1, 1, 1, 1 };
            for (int axis = 0; axis < rank; axis++)
            {
                deviceStarts[4 - rank + axis] = starts[axis];
                deviceSteps[4 - rank + axis] = steps[axis];
            }

            FollowRaisedScale(input, output);
            bool direct = SameQuantization(input.Scale, input.ZeroPoint, output.Scale, output.ZeroPoint) && low == -128 && high == 127;
            QuantTensor target = direct ? output : Temporary(output.Name, counts, input.Scale, input.ZeroPoint);
            Emit(OpCode.Slice, new object[] { input }, target, OperatorWords.Slice(deviceStarts, deviceSteps), source);
            if (!direct)
            {
                EmitRequantize(target, output, low, high, source);
            }
        }

        private void LowerPad(NodeProto node, QuantTensor input, QuantTensor output, int low, int high, string source)
        {
            string mode = node.GetString("mode", "constant");
            if (mode != "constant")
            {
                throw new ConversionException($"node '{node.Name}' (Pad) uses mode '{mode}'; only constant padding is supported.", node.Name, node.OpType);
            }

            int rank = input.Shape.Length;
            long[]? pads = ShapeInference.PadAmounts(_graph, node, rank);
            if (pads == null || rank > 4 || pads.Any(p => p < 0))
            {
                throw new ConversionException($"node '{node.Name}' (Pad) needs constant, non-negative pads on at most 4 dimensions.", node.Name, node.OpType);
            }

            int padCode = _codeTypes.TryGetValue(node.Input[0], out DataType codeType)
                ? PadCodeOnCodes(node, codeType)
                : QuantizeScalar(PadValue(node), input);

            // ONNX's pads are all the begins, then all the ends; the device's dims are right-aligned.
            var padBefore = new int[4];
            var padAfter = new int[4];
            for (int k = 0; k < rank; k++)
            {
                padBefore[4 - rank + k] = (int)pads[k];
                padAfter[4 - rank + k] = (int)pads[k + rank];
            }

            FollowRaisedScale(input, output);
            bool direct = SameQuantization(input.Scale, input.ZeroPoint, output.Scale, output.ZeroPoint) && low == -128 && high == 127;
            QuantTensor target = direct ? output : Temporary(output.Name, output.Shape, input.Scale, input.ZeroPoint);
            Emit(OpCode.Pad, new object[] { input }, target, OperatorWords.Pad(padBefore, padAfter, padCode), source);
            if (!direct)
            {
                EmitRequantize(target, output, low, high, source);
            }
        }

        /// <summary>The real pad value of a Pad on dequantized values: the constant_value input (opset 11), the value attribute before, 0 without.</summary>
        private float PadValue(NodeProto pad)
        {
            if (_graph.DefaultOpset >= 11)
            {
                return pad.Input.Count > 2 && pad.Input[2].Length > 0 ? ConstantFloatValue(pad.Input[2], pad)[0] : 0f;
            }

            return pad.GetFloat("value", 0f);
        }

        /// <summary>
        /// The int8 code a Pad on quantized codes writes (ONNX Runtime's QOperator format pads the
        /// uint8 codes with the zero point, or with its constant quantized): its constant_value of
        /// the codes' type, code 0 without one, or a QuantizeLinear of a float constant (what the
        /// quantizer writes for a constant that is not an initializer). Every code is on the grid.
        /// </summary>
        private int PadCodeOnCodes(NodeProto pad, DataType codeType)
        {
            int offset = codeType == DataType.Uint8 ? -128 : 0;
            if (pad.Input.Count < 3 || pad.Input[2].Length == 0)
            {
                return offset;
            }

            string name = pad.Input[2];
            NodeProto? quantize = _graph.GetProducer(name);
            if (_graph.GetConstant(name) == null && quantize?.OpType == "QuantizeLinear" && _graph.IsConstant(quantize.Input[0]))
            {
                _absorbed.Add(quantize);
                (double scale, int zeroPoint, _) = ActivationQuantization(quantize, InputOrNull(quantize, 1), InputOrNull(quantize, 2));
                return QuantizeScalar(ConstantFloatValue(quantize.Input[0], quantize)[0], new QuantTensor(name, new[] { 1 }, scale, zeroPoint));
            }

            TensorProto value = RequireConstant(name, pad);
            if (value.GetDataType() != codeType)
            {
                throw new ConversionException($"node '{pad.Name}' (Pad) pads {codeType} codes with a {value.GetDataType()} value.", pad.Name, pad.OpType);
            }

            return codeType == DataType.Uint8 ? value.ToUInt8()[0] + offset : value.ToInt8()[0];
        }

        // ----- nonlinearities ----------------------------------------------------------------------

        /// <summary>
        /// Any elementwise function of one int8 value is a 256-entry table: each input code is
        /// dequantized in float32 as DequantizeLinear does, the function applied in float32 and the
        /// result quantized as QuantizeLinear does (round half to even), clamped to [low, high].
        /// </summary>
        private void LowerLookup(string function, NodeProto? node, QuantTensor input, QuantTensor output, int low, int high, string source)
        {
            float alpha = node == null ? 0.01f : node.GetFloat("alpha", function == "HardSigmoid" ? 0.2f : 0.01f);
            float beta = node == null ? 0.5f : node.GetFloat("beta", 0.5f);
            var table = new sbyte[256];
            float inputScale = (float)input.Scale;
            float outputScale = (float)output.Scale;
            for (int code = -128; code <= 127; code++)
            {
                float x = (code - input.ZeroPoint) * inputScale;
                float y = function switch
                {
                    "Identity" => x,
                    "Sigmoid" => 1f / (1f + MathF.Exp(-x)),
                    "Tanh" => MathF.Tanh(x),
                    "LeakyRelu" => x >= 0 ? x : alpha * x,
                    "HardSigmoid" => Math.Clamp(alpha * x + beta, 0f, 1f),
                    "HardSwish" => x * Math.Clamp(x / 6f + 0.5f, 0f, 1f),
                    _ => throw new ConversionException($"no table for {function}.", source, function),
                };
                float quantized = MathF.Round(y / outputScale, MidpointRounding.ToEven) + output.ZeroPoint;
                table[code + 128] = (sbyte)Math.Clamp(quantized, low, high);
            }

            Emit(OpCode.Lookup, new object[] { input, new ConstantOperand(source + ".table", table, new[] { 256 }) }, output, OperatorWords.Lookup(), source);
        }

        private void LowerSoftmax(NodeProto node, long opset, QuantTensor input, QuantTensor output, string source)
        {
            int rank = input.Shape.Length;
            long axis = node.GetInt("axis", opset >= 13 ? -1 : 1);
            axis = axis < 0 ? axis + rank : axis;
            // Opset < 13 flattens from the axis on; with the axis last both definitions agree.
            bool lastAxis = axis == rank - 1;
            if (!lastAxis)
            {
                throw new ConversionException($"node '{node.Name}' ({node.OpType}) normalizes over axis {axis} of rank {rank}; only the last axis is supported.", node.Name, node.OpType);
            }

            var table = new int[256];
            for (int difference = 0; difference < 256; difference++)
            {
                double value = Math.Round(Math.Exp(-difference * input.Scale) * (1 << 20));
                table[difference] = (int)Math.Clamp(value, 1, 1 << 20);
            }

            // The kernel forms the probability in Q16: p · 2^16; the output is p / outputScale.
            AbsorbRatioInOutputScale(output, 1.0 / 65536.0, -128, 127);
            (int multiplier, int shift) = Multiplier(1.0 / (65536.0 * output.Scale));
            Emit(OpCode.Softmax, new object[] { input, new ConstantOperand(source + ".exp", table, new[] { 256 }) }, output, OperatorWords.Softmax((multiplier, shift)), source);
        }

        // ----- constants and helpers -------------------------------------------------------------

        private static void RequireActivation(QuantTensor input, NodeProto node)
        {
            if (input.Constant != null)
            {
                throw new ConversionException($"node '{node.Name}' ({node.OpType}) reads a constant as its data input; fold it before quantizing.", node.Name, node.OpType);
            }
        }

        /// <summary>A 4-D view ([N, C, 1, L] for NCL) of an activation, through an in-place Reshape when needed.</summary>
        private QuantTensor As4D(QuantTensor tensor, string source)
        {
            if (tensor.Shape.Length == 4)
            {
                return tensor;
            }

            if (tensor.Shape.Length != 3)
            {
                throw new ConversionException($"node '{source}' reads rank {tensor.Shape.Length}; NCL and NCHW activations are supported.", source);
            }

            int[] shape = { tensor.Shape[0], tensor.Shape[1], 1, tensor.Shape[2] };
            if (_reshapeSources.TryGetValue(tensor, out QuantTensor? source4D) && source4D.Shape.SequenceEqual(shape)
                && SameQuantization(source4D.Scale, source4D.ZeroPoint, tensor.Scale, tensor.ZeroPoint))
            {
                // The tensor is itself a reshape of the 4-D view wanted: read that directly.
                return source4D;
            }

            var view = new QuantTensor(tensor.Name + "#4d", shape, tensor.Scale, tensor.ZeroPoint);
            Emit(OpCode.Reshape, new object[] { tensor }, view, OperatorWords.Reshape(), source);
            return view;
        }

        private QuantTensor Output4D(QuantTensor output)
        {
            return output.Shape.Length == 4
                ? output
                : new QuantTensor(output.Name + "#4d", new[] { output.Shape[0], output.Shape[1], 1, output.Shape[2] }, output.Scale, output.ZeroPoint);
        }

        private void FinishOutput4D(QuantTensor view, QuantTensor output, string source)
        {
            if (!ReferenceEquals(view, output))
            {
                Emit(OpCode.Reshape, new object[] { view }, output, OperatorWords.Reshape(), source);
            }
        }

        /// <summary>Weights of an operator with their zero point removed and one scale per output channel.</summary>
        private QuantizedWeights ResolveWeights(string floatName, int channelAxis, NodeProto op)
        {
            NodeProto? dequantize = _graph.GetProducer(floatName);
            if (dequantize == null || dequantize.OpType != "DequantizeLinear")
            {
                throw new ConversionException(
                    $"the weights '{floatName}' of node '{op.Name}' ({op.OpType}) are not quantized; quantize them (DequantizeLinear of int8/uint8 weights, or QuantizeLinear of float weights).",
                    op.Name, op.OpType);
            }

            _absorbed.Add(dequantize);
            (sbyte[] data, double[] scales, int[] zeroPoints, int axis) = QuantizedConstantWithAxis(dequantize);
            int[] shape = _graph.GetShape(floatName);
            int channels = shape[channelAxis];
            if (scales.Length != 1 && (axis != channelAxis || scales.Length != channels))
            {
                throw new ConversionException(
                    $"the weights of node '{op.Name}' ({op.OpType}) are quantized along axis {axis}; per-channel scales must follow the output channels (axis {channelAxis}).",
                    op.Name, op.OpType);
            }

            double[] channelScales = Enumerable.Range(0, channels).Select(c => scales[scales.Length == 1 ? 0 : c]).ToArray();
            return CenterWeights(data, shape, channelAxis, zeroPoints, channelScales);
        }

        private (sbyte[] Data, double[] Scales, int[] ZeroPoints) QuantizedConstant(NodeProto dequantize)
        {
            (sbyte[] data, double[] scales, int[] zeroPoints, _) = QuantizedConstantWithAxis(dequantize);
            return (data, scales, zeroPoints);
        }

        /// <summary>
        /// The int8 data, scales and int8 zero points behind a DequantizeLinear of a constant: the
        /// constant itself (int8, or uint8 moved to int8), or a float constant quantized exactly as
        /// QuantizeLinear defines (float32 division, round half to even, saturate).
        /// </summary>
        private (sbyte[] Data, double[] Scales, int[] ZeroPoints, int Axis) QuantizedConstantWithAxis(NodeProto dequantize)
        {
            string source = dequantize.Input[0];
            float[] scales = ConstantFloats(dequantize.Input[1], dequantize);
            int rank = _graph.GetShape(source).Length;
            int axis = (int)dequantize.GetInt("axis", 1);
            axis = axis < 0 ? axis + rank : axis;
            TensorProto? constant = _graph.GetConstant(source);
            if (constant == null)
            {
                NodeProto quantize = _graph.GetProducer(source)!;
                if (quantize.OpType != "QuantizeLinear")
                {
                    throw new ConversionException($"DequantizeLinear '{dequantize.Name}' reads '{source}', which is not a constant.", dequantize.Name, dequantize.OpType);
                }

                _absorbed.Add(quantize);
                return QuantizeFloatConstant(quantize, dequantize, scales, axis);
            }

            int[] zeroPoints;
            sbyte[] data;
            switch (constant.GetDataType())
            {
                case DataType.Int8:
                    data = constant.ToInt8();
                    zeroPoints = ZeroPoints(dequantize, 0);
                    break;
                case DataType.Uint8:
                    data = constant.ToUInt8().Select(v => (sbyte)(v - 128)).ToArray();
                    zeroPoints = ZeroPoints(dequantize, -128);
                    break;
                default:
                    throw new ConversionException(
                        $"DequantizeLinear '{dequantize.Name}' dequantizes {constant.GetDataType()} data; weights must be int8 or uint8 (int32 only for biases).",
                        dequantize.Name, dequantize.OpType);
            }

            return (data, scales.Select(s => (double)s).ToArray(), zeroPoints, axis);
        }

        private (sbyte[] Data, double[] Scales, int[] ZeroPoints, int Axis) QuantizeFloatConstant(NodeProto quantize, NodeProto dequantize, float[] scales, int axis)
        {
            float[] values = RequireConstant(quantize.Input[0], quantize).ToFloats();
            int[] shape = _graph.GetShape(quantize.Input[0]);
            float[] quantizeScales = ConstantFloats(quantize.Input[1], quantize);
            bool isUnsigned = true;
            int[] rawZeroPoints = new[] { 0 };
            if (quantize.Input.Count > 2 && quantize.Input[2].Length > 0)
            {
                TensorProto zeroPointTensor = RequireConstant(quantize.Input[2], quantize);
                isUnsigned = zeroPointTensor.GetDataType() == DataType.Uint8;
                rawZeroPoints = isUnsigned ? zeroPointTensor.ToUInt8().Select(v => (int)v).ToArray() : zeroPointTensor.ToInt8().Select(v => (int)v).ToArray();
            }

            int quantizeAxis = (int)quantize.GetInt("axis", 1);
            quantizeAxis = quantizeAxis < 0 ? quantizeAxis + shape.Length : quantizeAxis;
            int channels = quantizeScales.Length == 1 ? 1 : shape[quantizeAxis];
            int inner = quantizeScales.Length == 1 ? 1 : shape.Skip(quantizeAxis + 1).Aggregate(1, (a, b) => a * b);
            int minimum = isUnsigned ? 0 : -128;
            int maximum = isUnsigned ? 255 : 127;
            var data = new sbyte[values.Length];
            for (int i = 0; i < values.Length; i++)
            {
                int channel = channels == 1 ? 0 : i / inner % channels;
                float scaled = MathF.Round(values[i] / quantizeScales[channel], MidpointRounding.ToEven);
                int zeroPoint = rawZeroPoints[rawZeroPoints.Length == 1 ? 0 : channel];
                int quantized = (int)Math.Clamp(scaled + zeroPoint, minimum, maximum);
                data[i] = (sbyte)(isUnsigned ? quantized - 128 : quantized);
            }

            int[] zeroPoints = rawZeroPoints.Select(z => isUnsigned ? z - 128 : z).ToArray();
            return (data, scales.Select(s => (double)s).ToArray(), zeroPoints, axis);
        }

        private int[] ZeroPoints(NodeProto dequantize, int offset)
        {
            if (dequantize.Input.Count < 3 || dequantize.Input[2].Length == 0)
            {
                return new[] { offset == 0 ? 0 : -128 };
            }

            TensorProto tensor = RequireConstant(dequantize.Input[2], dequantize);
            return tensor.GetDataType() == DataType.Uint8
                ? tensor.ToUInt8().Select(v => v - 128).ToArray()
                : tensor.ToInt8().Select(v => (int)v).ToArray();
        }

        /// <summary>The real value of a constant float expression (a float initializer, or DequantizeLinear of a constant).</summary>
        private float[] ConstantFloatValue(string name, NodeProto reader)
        {
            TensorProto? constant = _graph.GetConstant(name);
            if (constant != null)
            {
                return constant.GetDataType() switch
                {
                    DataType.Float => constant.ToFloats(),
                    DataType.Double => constant.ToDoubles().Select(v => (float)v).ToArray(),
                    _ => throw new ConversionException($"input '{name}' of node '{reader.Name}' ({reader.OpType}) must be a float constant.", reader.Name, reader.OpType),
                };
            }

            NodeProto? producer = _graph.GetProducer(name);
            if (producer != null && producer.OpType == "DequantizeLinear")
            {
                _absorbed.Add(producer);
                float[] scales = ConstantFloats(producer.Input[1], producer);
                TensorProto? source = _graph.GetConstant(producer.Input[0]);
                if (source != null && source.GetDataType() == DataType.Int32)
                {
                    int[] values = source.ToInt32();
                    int[] shape = source.GetShape();
                    int axis = (int)producer.GetInt("axis", 1);
                    int inner = scales.Length == 1 ? 1 : shape.Skip(axis + 1).Aggregate(1, (a, b) => a * b);
                    int channels = scales.Length;
                    // DequantizeLinear of int32 (a bias): ONNX requires the zero point to be 0;
                    // PyTorch writes it anyway (a folded ConstantOfShape of zeros).
                    int[]? biasZeroPoints = InputOrNull(producer, 2) is string zeroPointName ? RequireConstant(zeroPointName, producer).ToInt32() : null;
                    if (biasZeroPoints != null && biasZeroPoints.Any(z => z != 0))
                    {
                        throw new ConversionException($"DequantizeLinear '{producer.Name}' dequantizes an int32 bias with a non-zero zero point, which ONNX does not allow.", producer.Name, producer.OpType);
                    }

                    return values.Select((v, i) => v * scales[channels == 1 ? 0 : i / inner % channels]).ToArray();
                }

                (sbyte[] data, double[] dataScales, int[] zeroPoints, int dataAxis) = QuantizedConstantWithAxis(producer);
                int[] dataShape = _graph.GetShape(producer.Input[0]);
                int dataInner = dataScales.Length == 1 ? 1 : dataShape.Skip(dataAxis + 1).Aggregate(1, (a, b) => a * b);
                return data.Select((v, i) =>
                {
                    int channel = dataScales.Length == 1 ? 0 : i / dataInner % dataScales.Length;
                    return (v - zeroPoints[zeroPoints.Length == 1 ? 0 : channel]) * (float)dataScales[channel];
                }).ToArray();
            }

            throw new ConversionException($"input '{name}' of node '{reader.Name}' ({reader.OpType}) must be a constant.", reader.Name, reader.OpType);
        }
    }
}
