namespace NanoInt8.Runtime.Operators
{
    /// <summary>
    /// Prepare for the DataMovement family: fills each operator record (DataMovementOperators.cs) from a
    /// validated operator once, when the interpreter is created. It lives here, beside the family,
    /// and not in the records, because the records are in the device's lower assembly
    /// (NanoInt8.Kernels), which knows nothing of the model.
    /// </summary>
    internal static class DataMovementPreparation
    {
        internal static ConcatOperator Concat(OperatorView op, sbyte[] arena)
        {
            ConcatOperator record = new ConcatOperator();
            Model model = op.Model;
            int output = op.Output;
            int axis = op.Parameter(ConcatLayout.Axis);
            int outerCount = 1;
            for (int k = 0; k < axis; k++)
            {
                outerCount *= model.Dim(output, k);
            }

            int innerSize = 1;
            for (int k = axis + 1; k < 4; k++)
            {
                innerSize *= model.Dim(output, k);
            }

            record.Output = arena;
            record.OutputZeroPoint = model.ZeroPoint(output);
            record.OuterCount = outerCount;
            record.OutputInnerSize = model.Dim(output, axis) * innerSize;
            record.Mode = model.RequantizationMode;
            record.Inputs = new ConcatInput[op.InputCount];
            int outputOffset = model.Offset(output);
            for (int i = 0; i < op.InputCount; i++)
            {
                int input = op.Input(i);
                ConcatInput slice = new ConcatInput();
                slice.Input = op.Buffer(input, arena);
                slice.InputOffset = model.Offset(input);
                slice.InputZeroPoint = model.ZeroPoint(input);
                slice.InnerSize = model.Dim(input, axis) * innerSize;
                slice.OutputOffset = outputOffset;
                slice.Multiplier = op.Parameter(ConcatLayout.InputWord(i, ConcatLayout.PerInput.Multiplier));
                slice.Shift = op.Parameter(ConcatLayout.InputWord(i, ConcatLayout.PerInput.Shift));
                record.Inputs[i] = slice;
                outputOffset += slice.InnerSize;
            }

            return record;
        }

        // Prepare: the shapes stay in the decoded tensor table and the pads in the parameter words.
        internal static PadOperator Pad(OperatorView op, sbyte[] arena)
        {
            PadOperator record = new PadOperator();
            Model model = op.Model;
            int input = op.Input(PadLayout.Operands.Input);
            record.Input = op.Buffer(input, arena);
            record.InputOffset = model.Offset(input);
            record.InputShape = model.Tensors;
            record.InputShapeOffset = input * Model.TensorFields + Model.TensorDims;
            record.Output = arena;
            record.OutputOffset = model.Offset(op.Output);
            record.OutputShape = model.Tensors;
            record.OutputShapeOffset = op.Output * Model.TensorFields + Model.TensorDims;
            record.PadBefore = op.Words;
            record.PadBeforeOffset = op.ParameterStart + PadLayout.PadBefore;
            record.PadValue = op.Parameter(PadLayout.PadValue);
            return record;
        }

        internal static ReshapeOperator Reshape(OperatorView op, sbyte[] arena)
        {
            ReshapeOperator record = new ReshapeOperator();
            Model model = op.Model;
            int input = op.Input(ReshapeLayout.Operands.Input);
            record.Input = op.Buffer(input, arena);
            record.InputOffset = model.Offset(input);
            record.Output = arena;
            record.OutputOffset = model.Offset(op.Output);
            record.Count = model.ElementCount(op.Output);
            return record;
        }

        internal static TransposeOperator Transpose(OperatorView op, sbyte[] arena)
        {
            TransposeOperator record = new TransposeOperator();
            Model model = op.Model;
            int input = op.Input(TransposeLayout.Operands.Input);
            record.Input = op.Buffer(input, arena);
            record.InputOffset = model.Offset(input);
            record.Output = arena;
            record.OutputOffset = model.Offset(op.Output);
            record.OutputShape = model.Tensors;
            record.OutputShapeOffset = op.Output * Model.TensorFields + Model.TensorDims;
            record.InputStrides = op.Words;
            record.InputStridesOffset = op.ParameterStart + TransposeLayout.InputStrides;
            return record;
        }

        // Prepare: the input's row-major element strides of its right-aligned 4-D view, times the steps.
        internal static SliceOperator Slice(OperatorView op, sbyte[] arena)
        {
            SliceOperator record = new SliceOperator();
            Model model = op.Model;
            int input = op.Input(SliceLayout.Operands.Input);
            int stride3 = 1;
            int stride2 = model.Dim(input, 3);
            int stride1 = stride2 * model.Dim(input, 2);
            int stride0 = stride1 * model.Dim(input, 1);
            record.Input = op.Buffer(input, arena);
            record.InputStart = model.Offset(input)
                + op.Parameter(SliceLayout.Starts) * stride0 + op.Parameter(SliceLayout.Starts + 1) * stride1
                + op.Parameter(SliceLayout.Starts + 2) * stride2 + op.Parameter(SliceLayout.Starts + 3) * stride3;
            record.Output = arena;
            record.OutputOffset = model.Offset(op.Output);
            record.OutputShape = model.Tensors;
            record.OutputShapeOffset = op.Output * Model.TensorFields + Model.TensorDims;
            record.InputStride0 = op.Parameter(SliceLayout.Steps) * stride0;
            record.InputStride1 = op.Parameter(SliceLayout.Steps + 1) * stride1;
            record.InputStride2 = op.Parameter(SliceLayout.Steps + 2) * stride2;
            record.InputStride3 = op.Parameter(SliceLayout.Steps + 3) * stride3;
            return record;
        }

        // Prepare: the input's strides, and whether axis 3's map can be copied as one run per row.
        internal static GatherOperator Gather(OperatorView op, sbyte[] arena)
        {
            GatherOperator record = new GatherOperator();
            Model model = op.Model;
            int input = op.Input(GatherLayout.Operands.Input);
            int indices = op.Input(GatherLayout.Operands.Indices);
            int output = op.Output;
            record.Input = op.Buffer(input, arena);
            record.InputOffset = model.Offset(input);
            record.Output = arena;
            record.OutputOffset = model.Offset(output);
            record.OutputShape = model.Tensors;
            record.OutputShapeOffset = output * Model.TensorFields + Model.TensorDims;
            record.Indices = model.Int32Constants;
            record.IndicesOffset = model.Offset(indices);
            record.InputStride2 = model.Dim(input, 3);
            record.InputStride1 = record.InputStride2 * model.Dim(input, 2);
            record.InputStride0 = record.InputStride1 * model.Dim(input, 1);
            int map3 = record.IndicesOffset + model.Dim(output, 0) + model.Dim(output, 1) + model.Dim(output, 2);
            bool consecutive = true;
            for (int j = 1; j < model.Dim(output, 3); j++)
            {
                consecutive = consecutive && record.Indices[map3 + j] == record.Indices[map3] + j;
            }

            record.ContiguousRows = consecutive;
            return record;
        }
    }
}
