using System;
using NanoInt8.Runtime.Kernels;

namespace NanoInt8.Runtime
{
    /// <summary>
    /// Runs a validated <see cref="Model"/>: one activation arena allocated here, once, then the
    /// operator list executed in order with no allocation per inference. Graph inputs are copied
    /// into the arena before <see cref="Invoke"/> and outputs copied out after it.
    /// </summary>
    public sealed class Interpreter
    {
        private readonly Model _model;
        private readonly sbyte[] _arena;
        // Inputs of packed operators, two taps per word: a FullyConnectedPacked row, a Conv2DPacked
        // padded input (model.ScratchWords, counted in deviceBytes; the reader checked it is exactly
        // what the largest such operator needs).
        private readonly long[] _scratch;

        /// <summary>Creates an interpreter and allocates the model's arena (model.ArenaBytes) and scratch (model.ScratchWords).</summary>
        public Interpreter(Model model)
        {
            if (model == null)
            {
                throw new ArgumentNullException();
            }

            _model = model;
            _arena = new sbyte[model.ArenaBytes];
            _scratch = new long[model.ScratchWords];
        }

        /// <summary>The model this interpreter runs.</summary>
        public Model Model
        {
            get { return _model; }
        }

        /// <summary>Describes graph input <paramref name="index"/>.</summary>
        public TensorInfo GetInputInfo(int index)
        {
            return _model.GetTensorInfo(_model.GetInputTensor(index));
        }

        /// <summary>Describes graph output <paramref name="index"/>.</summary>
        public TensorInfo GetOutputInfo(int index)
        {
            return _model.GetTensorInfo(_model.GetOutputTensor(index));
        }

        /// <summary>Copies the elements of graph input <paramref name="index"/> from data[offset..].</summary>
        public void SetInput(int index, sbyte[] data, int offset)
        {
            int record = _model.GetInputTensor(index) * Model.TensorFields;
            Array.Copy(data, offset, _arena, _model.Tensors[record + Model.TensorOffset], _model.Tensors[record + Model.TensorElementCount]);
        }

        /// <summary>Copies the elements of graph output <paramref name="index"/> to destination[offset..].</summary>
        public void GetOutput(int index, sbyte[] destination, int offset)
        {
            int record = _model.GetOutputTensor(index) * Model.TensorFields;
            Array.Copy(_arena, _model.Tensors[record + Model.TensorOffset], destination, offset, _model.Tensors[record + Model.TensorElementCount]);
        }

        /// <summary>Runs every operator once.</summary>
        public void Invoke()
        {
            int count = _model.OperatorCount;
            for (int op = 0; op < count; op++)
            {
                Run(op);
            }
        }

        private void Run(int op)
        {
            int[] operators = _model.Operators;
            int[] p = _model.Parameters;
            int code = operators[op * Model.OperatorFields + Model.OperatorCode];
            int inputCount = operators[op * Model.OperatorFields + Model.OperatorInputCount];
            int first = operators[op * Model.OperatorFields + Model.OperatorParameters];
            int input = p[first];
            int output = p[first + inputCount];
            int at = first + inputCount + 1;
            int[] tensors = _model.Tensors;
            int[] constants = _model.Int32Constants;
            int inputRecord = input * Model.TensorFields;
            int outputRecord = output * Model.TensorFields;
            int inputDims = inputRecord + Model.TensorDims;
            int outputDims = outputRecord + Model.TensorDims;

            switch (code)
            {
                case OpCode.Conv2D:
                {
                    int filterRecord = p[first + 1] * Model.TensorFields;
                    Conv2DKernel.Eval(
                        Buffer(input), Offset(input), tensors[inputDims], tensors[inputDims + 1], tensors[inputDims + 2], tensors[inputDims + 3], ZeroPoint(input),
                        _model.Int8Constants, tensors[filterRecord + Model.TensorOffset], tensors[filterRecord + Model.TensorDims],
                        tensors[filterRecord + Model.TensorDims + 2], tensors[filterRecord + Model.TensorDims + 3],
                        constants, Offset(p[first + 2]), constants, Offset(p[first + 3]), constants, Offset(p[first + 4]),
                        _arena, Offset(output), tensors[outputDims + 2], tensors[outputDims + 3], ZeroPoint(output),
                        p[at], p[at + 1], p[at + 2], p[at + 3], p[at + 4], p[at + 5], p[at + 8],
                        p[at + 9], p[at + 10], _model.RequantizationMode);
                    break;
                }

                case OpCode.Conv2DPackedTaps:
                {
                    int filterRecord = p[first + 1] * Model.TensorFields;
                    Conv2DPackedKernel.EvalTapPairs(
                        Buffer(input), Offset(input), tensors[inputDims], tensors[inputDims + 2], tensors[inputDims + 3], ZeroPoint(input),
                        constants, tensors[filterRecord + Model.TensorOffset], tensors[outputDims + 1],
                        tensors[filterRecord + Model.TensorDims + 1], p[at + 11],
                        constants, Offset(p[first + 2]), constants, Offset(p[first + 3]), constants, Offset(p[first + 4]),
                        _arena, Offset(output), tensors[outputDims + 2], tensors[outputDims + 3], ZeroPoint(output),
                        p[at], p[at + 1], p[at + 4], p[at + 5], p[at + 6], p[at + 7], p[at + 9], p[at + 10], _scratch, _model.RequantizationMode);
                    break;
                }

                case OpCode.Conv2DTriple:
                {
                    int filterRecord = p[first + 1] * Model.TensorFields;
                    Conv2DTripleKernel.Eval(
                        Buffer(input), Offset(input), tensors[inputDims], tensors[inputDims + 1], tensors[inputDims + 2], tensors[inputDims + 3], ZeroPoint(input),
                        _model.Int8Constants, tensors[filterRecord + Model.TensorOffset], tensors[outputDims + 1],
                        tensors[filterRecord + Model.TensorDims + 1], p[at + 11],
                        constants, Offset(p[first + 2]), constants, Offset(p[first + 3]), constants, Offset(p[first + 4]),
                        _arena, Offset(output), tensors[outputDims + 2], tensors[outputDims + 3], ZeroPoint(output),
                        p[at], p[at + 1], p[at + 4], p[at + 5], p[at + 6], p[at + 7], p[at + 9], p[at + 10], _scratch, _model.RequantizationMode);
                    break;
                }

                case OpCode.DepthwiseConv3x3:
                {
                    int filterRecord = p[first + 1] * Model.TensorFields;
                    DepthwiseConv3x3Kernel.Eval(
                        Buffer(input), Offset(input), tensors[inputDims], tensors[inputDims + 1], tensors[inputDims + 2], tensors[inputDims + 3], ZeroPoint(input),
                        _model.Int8Constants, tensors[filterRecord + Model.TensorOffset],
                        constants, Offset(p[first + 2]), constants, Offset(p[first + 3]), constants, Offset(p[first + 4]),
                        _arena, Offset(output), tensors[outputDims + 2], tensors[outputDims + 3], ZeroPoint(output),
                        p[at], p[at + 1], p[at + 4], p[at + 5], p[at + 9], p[at + 10], _model.RequantizationMode);
                    break;
                }

                case OpCode.FullyConnected:
                {
                    int filterRecord = p[first + 1] * Model.TensorFields;
                    int depth = tensors[filterRecord + Model.TensorDims + 3];
                    FullyConnectedKernel.Eval(
                        Buffer(input), Offset(input), tensors[inputRecord + Model.TensorElementCount] / depth, depth,
                        _model.Int8Constants, tensors[filterRecord + Model.TensorOffset], tensors[filterRecord + Model.TensorDims + 2],
                        constants, Offset(p[first + 2]), constants, Offset(p[first + 3]), constants, Offset(p[first + 4]),
                        _arena, Offset(output), ZeroPoint(output), p[at], p[at + 1], _model.RequantizationMode);
                    break;
                }

                case OpCode.FullyConnectedPacked:
                {
                    int depth = tensors[inputDims + 3];
                    FullyConnectedPackedKernel.Eval(
                        Buffer(input), Offset(input), tensors[inputRecord + Model.TensorElementCount] / depth, depth,
                        constants, Offset(p[first + 1]), tensors[outputDims + 3],
                        constants, Offset(p[first + 2]), constants, Offset(p[first + 3]), constants, Offset(p[first + 4]),
                        _scratch, _arena, Offset(output), ZeroPoint(output), p[at], p[at + 1], _model.RequantizationMode);
                    break;
                }

                case OpCode.FullyConnectedTriple:
                {
                    int depth = tensors[inputDims + 3];
                    FullyConnectedTripleKernel.Eval(
                        Buffer(input), Offset(input), tensors[inputRecord + Model.TensorElementCount] / depth, depth,
                        _model.Int64Constants, Offset(p[first + 1]), tensors[outputDims + 3],
                        constants, Offset(p[first + 2]), constants, Offset(p[first + 3]), constants, Offset(p[first + 4]),
                        _scratch, _arena, Offset(output), ZeroPoint(output), p[at], p[at + 1], _model.RequantizationMode);
                    break;
                }

                case OpCode.Conv2DPacked:
                {
                    int filterRecord = p[first + 1] * Model.TensorFields;
                    Conv2DPackedKernel.Eval(
                        Buffer(input), Offset(input), tensors[inputDims], tensors[inputDims + 1], tensors[inputDims + 2], tensors[inputDims + 3], ZeroPoint(input),
                        constants, tensors[filterRecord + Model.TensorOffset], tensors[outputDims + 1],
                        tensors[filterRecord + Model.TensorDims + 1], tensors[filterRecord + Model.TensorDims + 2],
                        constants, Offset(p[first + 2]), constants, Offset(p[first + 3]), constants, Offset(p[first + 4]),
                        _arena, Offset(output), tensors[outputDims + 2], tensors[outputDims + 3], ZeroPoint(output),
                        p[at], p[at + 1], p[at + 4], p[at + 5], p[at + 6], p[at + 7], p[at + 9], p[at + 10], _scratch, _model.RequantizationMode);
                    break;
                }

                case OpCode.Add:
                {
                    int b = p[first + 1];
                    AddKernel.Eval(
                        Buffer(input), Offset(input), ZeroPoint(input), Buffer(b), Offset(b), ZeroPoint(b),
                        _arena, Offset(output), ZeroPoint(output),
                        tensors, outputDims, p, at + 10, p, at + 14,
                        p[at], p[at + 1], p[at + 2], p[at + 3], p[at + 4], p[at + 5], p[at + 6],
                        p[at + 7], p[at + 8], p[at + 9] != 0, _model.RequantizationMode);
                    break;
                }

                case OpCode.Mul:
                {
                    int b = p[first + 1];
                    MulKernel.Eval(
                        Buffer(input), Offset(input), ZeroPoint(input), Buffer(b), Offset(b), ZeroPoint(b),
                        _arena, Offset(output), ZeroPoint(output),
                        tensors, outputDims, p, at + 4, p, at + 8,
                        p[at], p[at + 1], p[at + 2], p[at + 3], _model.RequantizationMode);
                    break;
                }

                case OpCode.MaxPool:
                    MaxPoolKernel.Eval(
                        Buffer(input), Offset(input), tensors[inputDims], tensors[inputDims + 1], tensors[inputDims + 2], tensors[inputDims + 3],
                        _arena, Offset(output), tensors[outputDims + 2], tensors[outputDims + 3],
                        p[at], p[at + 1], p[at + 2], p[at + 3], p[at + 4], p[at + 5], p[at + 6], p[at + 7],
                        p[at + 10], p[at + 11]);
                    break;

                case OpCode.AveragePool:
                    AveragePoolKernel.Eval(
                        Buffer(input), Offset(input), tensors[inputDims], tensors[inputDims + 1], tensors[inputDims + 2], tensors[inputDims + 3], ZeroPoint(input),
                        _arena, Offset(output), tensors[outputDims + 2], tensors[outputDims + 3], ZeroPoint(output),
                        p[at], p[at + 1], p[at + 2], p[at + 3], p[at + 4], p[at + 5], p[at + 6], p[at + 7],
                        p[at + 8] != 0, constants, Offset(p[first + 1]), constants, Offset(p[first + 2]), p[at + 9], p[at + 10], _model.RequantizationMode);
                    break;

                case OpCode.GlobalAveragePool:
                    GlobalAveragePoolKernel.Eval(
                        Buffer(input), Offset(input), tensors[inputDims], tensors[inputDims + 1], tensors[inputDims + 2] * tensors[inputDims + 3], ZeroPoint(input),
                        _arena, Offset(output), ZeroPoint(output), p[at], p[at + 1], p[at + 2], p[at + 3], _model.RequantizationMode);
                    break;

                case OpCode.Concat:
                    RunConcat(p, first, inputCount, output, at);
                    break;

                case OpCode.Pad:
                    PadKernel.Eval(Buffer(input), Offset(input), tensors, inputDims, _arena, Offset(output), tensors, outputDims, p, at, p[at + 8]);
                    break;

                case OpCode.Reshape:
                    if (Buffer(input) != _arena || Offset(input) != Offset(output))
                    {
                        Array.Copy(Buffer(input), Offset(input), _arena, Offset(output), tensors[outputRecord + Model.TensorElementCount]);
                    }

                    break;

                case OpCode.Lookup:
                    LookupKernel.Eval(Buffer(input), Offset(input), tensors[outputRecord + Model.TensorElementCount],
                        _model.Int8Constants, Offset(p[first + 1]), _arena, Offset(output));
                    break;

                case OpCode.Softmax:
                {
                    int depth = tensors[inputDims + 3];
                    SoftmaxKernel.Eval(Buffer(input), Offset(input), tensors[inputRecord + Model.TensorElementCount] / depth, depth,
                        constants, Offset(p[first + 1]), _arena, Offset(output), ZeroPoint(output), p[at], p[at + 1], _model.RequantizationMode);
                    break;
                }

                case OpCode.Transpose:
                    TransposeKernel.Eval(Buffer(input), Offset(input), _arena, Offset(output), tensors, outputDims, p, at);
                    break;

                case OpCode.Requantize:
                    RequantizeKernel.Eval(Buffer(input), Offset(input), ZeroPoint(input), tensors[outputRecord + Model.TensorElementCount],
                        _arena, Offset(output), ZeroPoint(output), p[at], p[at + 1], p[at + 2], p[at + 3], _model.RequantizationMode);
                    break;
            }
        }

        private void RunConcat(int[] p, int first, int inputCount, int output, int at)
        {
            int[] tensors = _model.Tensors;
            int outputDims = output * Model.TensorFields + Model.TensorDims;
            int axis = p[at];
            int outerCount = 1;
            for (int k = 0; k < axis; k++)
            {
                outerCount *= tensors[outputDims + k];
            }

            int innerSize = 1;
            for (int k = axis + 1; k < 4; k++)
            {
                innerSize *= tensors[outputDims + k];
            }

            int outputInnerSize = tensors[outputDims + axis] * innerSize;
            int outputOffset = Offset(output);
            for (int i = 0; i < inputCount; i++)
            {
                int input = p[first + i];
                int inputInnerSize = tensors[input * Model.TensorFields + Model.TensorDims + axis] * innerSize;
                ConcatKernel.CopyInput(Buffer(input), Offset(input), ZeroPoint(input), outerCount, inputInnerSize,
                    _arena, outputOffset, outputInnerSize, ZeroPoint(output), p[at + 1 + 2 * i], p[at + 2 + 2 * i], _model.RequantizationMode);
                outputOffset += inputInnerSize;
            }
        }

        private sbyte[] Buffer(int tensor)
        {
            return _model.Tensors[tensor * Model.TensorFields + Model.TensorStorage] == ModelFormat.StorageArena
                ? _arena : _model.Int8Constants;
        }

        private int Offset(int tensor)
        {
            return _model.Tensors[tensor * Model.TensorFields + Model.TensorOffset];
        }

        private int ZeroPoint(int tensor)
        {
            return _model.Tensors[tensor * Model.TensorFields + Model.TensorZeroPoint];
        }
    }
}
