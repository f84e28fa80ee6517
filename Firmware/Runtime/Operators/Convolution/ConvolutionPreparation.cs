using NanoInt8.Runtime.Kernels;

namespace NanoInt8.Runtime.Operators
{
    /// <summary>
    /// Prepare for the Convolution family: fills each operator record (ConvolutionOperator.cs) from a
    /// validated operator once, when the interpreter is created. It lives here, beside the family,
    /// and not in the records, because the records are in the device's lower assembly
    /// (NanoInt8.Kernels), which knows nothing of the model.
    /// </summary>
    internal static class ConvolutionPreparation
    {
        // Prepare: the fields every convolution shares, from a validated operator. The filter's
        // height and width depend on its layout: the subclass sets them.
        private static void FillConvolution(ConvolutionOperator record, OperatorView op, sbyte[] arena)
        {
            Model model = op.Model;
            int input = op.Input(Conv2DLayout.Operands.Input);
            int output = op.Output;
            record.Input = op.Buffer(input, arena);
            record.InputOffset = model.Offset(input);
            record.Batches = model.Dim(input, 0);
            record.InputChannels = model.Dim(input, 1);
            record.InputHeight = model.Dim(input, 2);
            record.InputWidth = model.Dim(input, 3);
            record.InputZeroPoint = model.ZeroPoint(input);
            record.FilterOffset = model.Offset(op.Input(Conv2DLayout.Operands.Filter));
            record.OutputChannels = model.Dim(output, 1);
            record.Bias = model.Int32Constants;
            record.BiasOffset = model.Offset(op.Input(Conv2DLayout.Operands.Bias));
            record.Multiplier = model.Int32Constants;
            record.MultiplierOffset = model.Offset(op.Input(Conv2DLayout.Operands.Multiplier));
            record.Shift = model.Int32Constants;
            record.ShiftOffset = model.Offset(op.Input(Conv2DLayout.Operands.Shift));
            record.Output = arena;
            record.OutputOffset = model.Offset(output);
            record.OutputHeight = model.Dim(output, 2);
            record.OutputWidth = model.Dim(output, 3);
            record.OutputZeroPoint = model.ZeroPoint(output);
            record.StrideHeight = op.Parameter(Conv2DLayout.StrideHeight);
            record.StrideWidth = op.Parameter(Conv2DLayout.StrideWidth);
            record.PadTop = op.Parameter(Conv2DLayout.PadTop);
            record.PadLeft = op.Parameter(Conv2DLayout.PadLeft);
            record.ActivationMin = op.Parameter(Conv2DLayout.ActivationMin);
            record.ActivationMax = op.Parameter(Conv2DLayout.ActivationMax);
            record.Mode = model.RequantizationMode;
        }

        internal static Conv2DOperator Conv2D(OperatorView op, sbyte[] arena)
        {
            Conv2DOperator record = new Conv2DOperator();
            FillConvolution(record, op, arena);
            int filter = op.Input(Conv2DLayout.Operands.Filter);
            record.Filter = op.Model.Int8Constants;
            record.FilterHeight = op.Model.Dim(filter, 2);
            record.FilterWidth = op.Model.Dim(filter, 3);
            record.DilationHeight = op.Parameter(Conv2DLayout.DilationHeight);
            record.DilationWidth = op.Parameter(Conv2DLayout.DilationWidth);
            record.Groups = op.Parameter(Conv2DLayout.Groups);
            return record;
        }

        internal static DepthwiseConv3x3Operator DepthwiseConv3x3(OperatorView op, sbyte[] arena)
        {
            DepthwiseConv3x3Operator record = new DepthwiseConv3x3Operator();
            FillConvolution(record, op, arena);
            record.Filter = op.Model.Int8Constants;
            record.FilterHeight = DepthwiseConv3x3Kernel.FilterSize;
            record.FilterWidth = DepthwiseConv3x3Kernel.FilterSize;
            return record;
        }

        private static void FillPackedConvolution(PackedConvolutionOperator record, OperatorView op, sbyte[] arena, long[] scratch)
        {
            FillConvolution(record, op, arena);
            record.Filter = op.Model.Int32Constants;
            record.FilterHeight = op.Model.Dim(op.Input(Conv2DLayout.Operands.Filter), 1);
            record.PadBottom = op.Parameter(Conv2DLayout.PadBottom);
            record.PadRight = op.Parameter(Conv2DLayout.PadRight);
            record.Scratch = scratch;
        }

        internal static Conv2DPackedOperator Conv2DPacked(OperatorView op, sbyte[] arena, long[] scratch)
        {
            Conv2DPackedOperator record = new Conv2DPackedOperator();
            FillPackedConvolution(record, op, arena, scratch);
            record.FilterWidth = op.Model.Dim(op.Input(Conv2DLayout.Operands.Filter), 2);
            return record;
        }

        internal static Conv2DPackedTapsOperator Conv2DPackedTaps(OperatorView op, sbyte[] arena, long[] scratch)
        {
            Conv2DPackedTapsOperator record = new Conv2DPackedTapsOperator();
            FillPackedConvolution(record, op, arena, scratch);
            record.FilterWidth = op.Parameter(Conv2DFilterWidthLayout.FilterWidth);
            return record;
        }

        internal static Conv2DTripleOperator Conv2DTriple(OperatorView op, sbyte[] arena, long[] scratch)
        {
            Conv2DTripleOperator record = new Conv2DTripleOperator();
            FillConvolution(record, op, arena);
            record.Filter = op.Model.Int8Constants;
            record.FilterHeight = op.Model.Dim(op.Input(Conv2DLayout.Operands.Filter), 1);
            record.FilterWidth = op.Parameter(Conv2DFilterWidthLayout.FilterWidth);
            record.PadBottom = op.Parameter(Conv2DLayout.PadBottom);
            record.PadRight = op.Parameter(Conv2DLayout.PadRight);
            record.Scratch = scratch;
            return record;
        }

        internal static Conv2DLanesOperator Conv2DLanes(OperatorView op, sbyte[] arena, long[] scratch)
        {
            Conv2DLanesOperator record = new Conv2DLanesOperator();
            FillConvolution(record, op, arena);
            record.Filter = op.Model.Int8Constants;
            record.FilterHeight = op.Parameter(Conv2DLanesLayout.FilterHeight);
            record.FilterWidth = op.Parameter(Conv2DLanesLayout.FilterWidth);
            record.PadBottom = op.Parameter(Conv2DLanesLayout.PadBottom);
            record.PadRight = op.Parameter(Conv2DLanesLayout.PadRight);
            record.Packing = op.Parameter(Conv2DLanesLayout.Packing);
            record.Table = op.Model.Int8Constants;
            record.TableZero = op.Model.Offset(op.Input(Conv2DLanesLayout.Operands.Table)) + op.Parameter(Conv2DLanesLayout.TableZero);
            record.BiasInLane = op.Parameter(Conv2DLanesLayout.BiasInLane);
            record.Scratch = scratch;
            return record;
        }

        internal static DepthwiseConv3x3LanesOperator DepthwiseConv3x3Lanes(OperatorView op, sbyte[] arena)
        {
            DepthwiseConv3x3LanesOperator record = new DepthwiseConv3x3LanesOperator();
            FillConvolution(record, op, arena);
            record.Filter = op.Model.Int8Constants;
            record.FilterHeight = DepthwiseConv3x3LanesKernel.FilterSize;
            record.FilterWidth = DepthwiseConv3x3LanesKernel.FilterSize;
            record.Table = op.Model.Int8Constants;
            record.TableZero = op.Model.Offset(op.Input(DepthwiseConv3x3LanesLayout.Operands.Table)) + op.Parameter(DepthwiseConv3x3LanesLayout.TableZero);
            return record;
        }
    }
}
