using NanoInt8.Onnx;
using NanoInt8.Onnx.Protobuf;

namespace NanoInt8.Host.Quantization
{
    /// <summary>
    /// Puts a float model into the form the QDQ rewrite works on, or refuses it with one sentence:
    /// Constant nodes become initializers, Conv + BatchNormalization pairs are folded, Gemm's alpha
    /// and beta go into its weights and bias (and its bias becomes a vector), and every operator
    /// is checked against what the converter can lower (docs/conversion.md).
    /// </summary>
    internal static class FloatModelPreparation
    {
        /// <summary>The float operators the converter lowers when they sit between DequantizeLinear and QuantizeLinear.</summary>
        public static readonly IReadOnlyList<string> SupportedOperators = new[]
        {
            "Conv", "Gemm", "MatMul", "Add", "Sub", "Mul", "MaxPool", "AveragePool", "GlobalAveragePool", "Concat",
            "Reshape", "Flatten", "Squeeze", "Unsqueeze", "Transpose", "Pad", "Relu", "Clip", "LeakyRelu",
            "HardSigmoid", "HardSwish", "Sigmoid", "Tanh", "Softmax", "Identity",
        };

        private static readonly HashSet<string> s_supported = new(SupportedOperators, StringComparer.Ordinal);

        public static ModelProto Prepare(ModelProto original, QuantizationOptions options, List<string> notes)
        {
            ModelProto model = original.Clone();
            long opset = model.OpsetImport
                .Where(import => import.Domain.Length == 0 || import.Domain == "ai.onnx")
                .Select(import => (long?)import.Version)
                .Max() ?? 1;
            if (opset < 10)
            {
                throw new QuantizationException($"the model imports ONNX opset {opset}; QuantizeLinear/DequantizeLinear need opset 10 or later (13 for per-channel weights). Re-export with a newer opset.");
            }

            if (options.PerChannel && opset < 13)
            {
                throw new QuantizationException($"the model imports ONNX opset {opset}; per-channel weight scales (DequantizeLinear's axis) need opset 13 or later. Re-export with opset 13 or later, or quantize per tensor.");
            }

            GraphProto graph = model.Graph;
            ConstantsToInitializers(graph);
            CheckInputs(graph);
            CheckOperators(graph);
            BatchNormalizationFolding.FoldInPlace(graph, notes);
            NodeProto? unfolded = graph.Node.FirstOrDefault(node => node.OpType == "BatchNormalization");
            if (unfolded is not null)
            {
                throw new QuantizationException(
                    $"{GraphIndex.Describe(unfolded)} cannot be folded: it must directly follow a Conv whose output it alone reads, with constant parameters. NanoInt8 has no BatchNormalization operator of its own.",
                    unfolded.Name, unfolded.OpType);
            }

            NormalizeGemms(graph);
            CheckWeights(graph);
            RemoveUnusedInitializers(graph);
            // Shapes recorded for intermediate tensors may name tensors the rewrite renames; ONNX Runtime infers them again.
            graph.ValueInfo.Clear();
            return model;
        }

        /// <summary>Drops initializers no node reads and no graph output names (and their graph-input entries).</summary>
        public static void RemoveUnusedInitializers(GraphProto graph)
        {
            var used = new HashSet<string>(graph.Node.SelectMany(node => node.Input), StringComparer.Ordinal);
            used.UnionWith(graph.Output.Select(output => output.Name));
            var removed = graph.Initializer.Where(initializer => !used.Contains(initializer.Name)).ToList();
            foreach (TensorProto initializer in removed)
            {
                graph.Initializer.Remove(initializer);
            }

            var removedNames = new HashSet<string>(removed.Select(initializer => initializer.Name), StringComparer.Ordinal);
            foreach (ValueInfoProto input in graph.Input.Where(input => removedNames.Contains(input.Name)).ToList())
            {
                graph.Input.Remove(input);
            }
        }

        private static void ConstantsToInitializers(GraphProto graph)
        {
            foreach (NodeProto node in graph.Node.Where(node => node.OpType == "Constant" && node.Domain.Length == 0).ToList())
            {
                TensorProto tensor = ConstantValue(node);
                tensor.Name = node.Output[0];
                graph.Initializer.Add(tensor);
                graph.Node.Remove(node);
            }
        }

        private static TensorProto ConstantValue(NodeProto node)
        {
            AttributeProto? attribute = node.Attribute.Count == 1 ? node.Attribute[0] : null;
            return attribute?.Name switch
            {
                "value" => attribute.T.Clone(),
                "value_float" => TensorData.Create(node.Output[0], new[] { attribute.F }, Array.Empty<long>()),
                "value_floats" => TensorData.Create(node.Output[0], attribute.Floats.ToArray(), new long[] { attribute.Floats.Count }),
                "value_int" => TensorData.Create(node.Output[0], new[] { attribute.I }, Array.Empty<long>()),
                "value_ints" => TensorData.Create(node.Output[0], attribute.Ints.ToArray(), new long[] { attribute.Ints.Count }),
                _ => throw new QuantizationException(
                    $"{GraphIndex.Describe(node)} holds a value of a kind the quantizer does not read ({attribute?.Name ?? "none or several"}); numeric tensors only.",
                    node.Name, node.OpType),
            };
        }

        private static void CheckInputs(GraphProto graph)
        {
            var index = new GraphIndex(graph);
            if (index.Inputs.Count != 1)
            {
                throw new QuantizationException(
                    $"the model has {index.Inputs.Count} graph inputs ({string.Join(", ", index.Inputs.Select(name => $"'{name}'"))}); the quantizer calibrates a model with exactly one float input.");
            }

            if (index.GraphOutputs.Contains(index.Inputs[0]))
            {
                throw new QuantizationException($"graph input '{index.Inputs[0]}' is also a graph output; nothing computes it.");
            }
        }

        private static void CheckOperators(GraphProto graph)
        {
            foreach (NodeProto node in graph.Node)
            {
                bool defaultDomain = node.Domain.Length == 0 || node.Domain == "ai.onnx";
                if (!defaultDomain || (!s_supported.Contains(node.OpType) && node.OpType != "BatchNormalization"))
                {
                    string op = defaultDomain ? node.OpType : $"{node.Domain}.{node.OpType}";
                    throw new QuantizationException(
                        $"node '{node.Name}' uses operator {op}, which NanoInt8 cannot quantize: the converter supports {string.Join(", ", SupportedOperators)} (docs/conversion.md), and BatchNormalization right after a Conv is folded into it.",
                        node.Name, node.OpType);
                }

                if (node.OpType == "MaxPool" && node.Output.Skip(1).Any(output => output.Length > 0))
                {
                    throw new QuantizationException($"{GraphIndex.Describe(node)} returns indices; that output is not supported.", node.Name, node.OpType);
                }
            }
        }

        // alpha into B, beta into C, C as a vector of N values: the converter and the bias scale
        // (input scale · weight scale[n]) then need nothing else.
        private static void NormalizeGemms(GraphProto graph)
        {
            var index = new GraphIndex(graph);
            foreach (NodeProto gemm in graph.Node.Where(node => node.OpType == "Gemm"))
            {
                if (gemm.GetInt("transA", 0) != 0)
                {
                    throw new QuantizationException($"{GraphIndex.Describe(gemm)} transposes its input (transA=1); only transA=0 is supported.", gemm.Name, gemm.OpType);
                }

                (float[] weights, long[] weightDims) = RequireWeight(index, gemm, 1);
                bool transposeB = gemm.GetInt("transB", 0) != 0;
                long outputs = transposeB ? weightDims[0] : weightDims[1];
                float alpha = gemm.GetFloat("alpha", 1f);
                float beta = gemm.GetFloat("beta", 1f);
                if (alpha != 1f)
                {
                    string name = index.NewName(gemm.Input[1] + "_alpha");
                    graph.Initializer.Add(TensorData.Create(name, weights.Select(value => alpha * value).ToArray(), weightDims));
                    gemm.Input[1] = name;
                }

                if (gemm.Input.Count > 2 && gemm.Input[2].Length > 0)
                {
                    (float[] bias, long[] biasDims) = index.FloatConstant(gemm.Input[2])
                        ?? throw new QuantizationException($"the bias '{gemm.Input[2]}' of {GraphIndex.Describe(gemm)} is not a float constant.", gemm.Name, gemm.OpType);
                    float[] vector = bias.Length == outputs ? bias
                        : bias.Length == 1 ? Enumerable.Repeat(bias[0], (int)outputs).ToArray()
                        : throw new QuantizationException(
                            $"{GraphIndex.Describe(gemm)} has a bias of shape [{string.Join(", ", biasDims)}]; one value per output ({outputs}) or a single value is supported.",
                            gemm.Name, gemm.OpType);
                    if (beta != 1f || vector != bias || biasDims.Length != 1)
                    {
                        string name = index.NewName(gemm.Input[2] + "_vector");
                        graph.Initializer.Add(TensorData.Create(name, vector.Select(value => beta * value).ToArray(), new[] { outputs }));
                        gemm.Input[2] = name;
                    }
                }

                foreach (AttributeProto attribute in gemm.Attribute.Where(attribute => attribute.Name is "alpha" or "beta").ToList())
                {
                    gemm.Attribute.Remove(attribute);
                }
            }
        }

        private static void CheckWeights(GraphProto graph)
        {
            var index = new GraphIndex(graph);
            foreach (NodeProto node in graph.Node)
            {
                switch (node.OpType)
                {
                    case "Conv":
                    {
                        (_, long[] dims) = RequireWeight(index, node, 1);
                        RequireBias(index, node, dims[0]);
                        break;
                    }

                    case "Gemm":
                    {
                        (_, long[] dims) = RequireWeight(index, node, 1);
                        RequireBias(index, node, node.GetInt("transB", 0) != 0 ? dims[0] : dims[1]);
                        break;
                    }

                    case "MatMul":
                        if (index.FloatConstant(node.Input[1]) is null)
                        {
                            throw new QuantizationException(
                                $"{GraphIndex.Describe(node)} multiplies two activations ('{node.Input[0]}' and '{node.Input[1]}'); the converter supports MatMul with a constant right operand (weights) only.",
                                node.Name, node.OpType);
                        }

                        RequireWeight(index, node, 1);
                        break;
                }
            }
        }

        private static (float[] Values, long[] Dims) RequireWeight(GraphIndex index, NodeProto node, int input)
        {
            (float[] Values, long[] Dims) weight = index.FloatConstant(node.Input.Count > input ? node.Input[input] : string.Empty)
                ?? throw new QuantizationException(
                    $"the weights of {GraphIndex.Describe(node)} ('{(node.Input.Count > input ? node.Input[input] : "none")}') are not a float initializer; the quantizer needs constant weights.",
                    node.Name, node.OpType);
            bool twoDimensional = node.OpType != "Conv";
            if ((twoDimensional && weight.Dims.Length != 2) || (!twoDimensional && weight.Dims.Length < 3))
            {
                throw new QuantizationException(
                    $"the weights of {GraphIndex.Describe(node)} have shape [{string.Join(", ", weight.Dims)}]; {(twoDimensional ? "2-D weights" : "[O, C, kernel...] weights")} are supported.",
                    node.Name, node.OpType);
            }

            return weight;
        }

        private static void RequireBias(GraphIndex index, NodeProto node, long channels)
        {
            if (node.Input.Count < 3 || node.Input[2].Length == 0)
            {
                return;
            }

            (float[] Values, long[] Dims)? bias = index.FloatConstant(node.Input[2]);
            if (bias is null || bias.Value.Values.Length != channels)
            {
                throw new QuantizationException(
                    $"the bias '{node.Input[2]}' of {GraphIndex.Describe(node)} must be a float initializer of {channels} values.",
                    node.Name, node.OpType);
            }
        }
    }
}
