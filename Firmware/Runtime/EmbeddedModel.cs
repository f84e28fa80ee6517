using System;

namespace NanoInt8.Runtime
{
    /// <summary>
    /// A model inside an app: loaded once from its .ni8 bytes (a static array made by hosttool convert
    /// --emit-csharp, or a file read from the board's flash), then run as often as the app likes.
    /// Every call returns an <see cref="EmbeddedModelError"/> and none throws; after
    /// <see cref="Load"/>, setting inputs, <see cref="Invoke"/> and reading outputs allocate nothing,
    /// so an app can classify forever in a small managed heap.
    /// </summary>
    /// <remarks>
    /// It wraps <see cref="ModelReader"/> (the whole model validated once) and <see cref="Interpreter"/>
    /// (one arena, no allocation per inference) and adds a staging array as large as the largest graph
    /// input or output. Single-threaded: call it from one thread.
    /// </remarks>
    public sealed class EmbeddedModel
    {
        /// <summary>
        /// Bytes <see cref="Load"/> counts beyond the model's deviceBytes, its interpreter records
        /// and the staging arrays: a margin for the object headers and small objects a load leaves on
        /// the heap (the decoded model, the interpreter, this object and their arrays' headers) and
        /// what validation allocates and drops while it runs. For scale: bench/NanoHeap's "model's own"
        /// heap for the vibration sample on the 32-bit nanoCLR (12-byte heap blocks, as on the ESP32:
        /// its blob, decoded model, records, arena, an input array and one inference) is 8,384 bytes,
        /// about 5.8 KB without the 2,614-byte blob, where deviceBytes and records are 5,800 bytes.
        /// </summary>
        public const int OverheadBytes = 1024;

        private readonly Interpreter _interpreter;
        private readonly Model _model;
        // One staging array for every input and output: raw readings become int8 here before they
        // are copied into the arena, and an output is copied here to find its top class.
        private readonly sbyte[] _staging;
        // RawInputTransform.Words ints per graph input, or null when the model has no transform.
        private readonly int[] _transform;
        private readonly int _requiredBytes;
        private bool _hasResult;

        private EmbeddedModel(Interpreter interpreter, int[] transform, int stagingBytes, int requiredBytes)
        {
            _interpreter = interpreter;
            _model = interpreter.Model;
            _transform = transform;
            _staging = new sbyte[stagingBytes];
            _requiredBytes = requiredBytes;
        }

        /// <summary>
        /// Validates <paramref name="blob"/> and prepares it to run, if it fits
        /// <paramref name="memoryBudget"/>. Returns <see cref="EmbeddedModelError.None"/> and the model,
        /// or why not and null: a reader's <see cref="ModelError"/> (1 to 99; docs/model-format.md),
        /// <see cref="EmbeddedModelError.TooLarge"/>, <see cref="EmbeddedModelError.BadInputTransform"/>
        /// or <see cref="EmbeddedModelError.Failed"/>.
        /// </summary>
        /// <param name="blob">The whole .ni8 model. It is read, not kept: drop it afterwards unless it is a static array.</param>
        /// <param name="memoryBudget">
        /// Managed heap the model may take: the free heap measured with the blob already in memory
        /// (on nanoFramework, nanoFramework.Runtime.Native.GC.Run(true)) minus what the rest of the
        /// app still needs. The model is refused before anything is allocated when its header's
        /// deviceBytes plus <see cref="OverheadBytes"/> exceed it, and before its interpreter is
        /// created when <see cref="RequiredBytes"/> would.
        /// </param>
        /// <param name="model">The loaded model, or null.</param>
        public static EmbeddedModelError Load(byte[] blob, int memoryBudget, out EmbeddedModel model)
        {
            model = null;
            try
            {
                // A budget below the overhead leaves the model nothing (and must not wrap around).
                Model decoded;
                ModelError error = ModelReader.TryRead(blob, memoryBudget < OverheadBytes ? 0 : memoryBudget - OverheadBytes, out decoded);
                if (error != ModelError.None)
                {
                    return (EmbeddedModelError)(int)error;
                }

                int[] transform;
                EmbeddedModelError transformError = RawInputTransform.Read(blob, decoded.InputCount, out transform);
                if (transformError != EmbeddedModelError.None)
                {
                    return transformError;
                }

                int staging = LargestGraphTensor(decoded);
                long required = (long)decoded.DeviceBytes + Interpreter.PreparedBytes(decoded) + staging
                    + (transform == null ? 0 : 4 * transform.Length) + OverheadBytes;
                if (required > memoryBudget)
                {
                    return EmbeddedModelError.TooLarge;
                }

                model = new EmbeddedModel(new Interpreter(decoded), transform, staging, (int)required);
                return EmbeddedModelError.None;
            }
            catch (Exception)
            {
                model = null;
                return EmbeddedModelError.Failed;
            }
        }

        /// <summary>
        /// Managed heap bytes <see cref="Load"/> counted for this model: deviceBytes (constants, tables,
        /// arena, scratch), the interpreter's records, the staging arrays and <see cref="OverheadBytes"/>.
        /// </summary>
        public int RequiredBytes
        {
            get { return _requiredBytes; }
        }

        /// <summary>Number of graph inputs.</summary>
        public int InputCount
        {
            get { return _model.InputCount; }
        }

        /// <summary>Number of graph outputs.</summary>
        public int OutputCount
        {
            get { return _model.OutputCount; }
        }

        /// <summary>True when the model carries a raw input transform, so <see cref="SetRawInput"/> works.</summary>
        public bool HasRawInputTransform
        {
            get { return _transform != null; }
        }

        /// <summary>Elements of graph input <paramref name="input"/> (the product of its shape).</summary>
        public EmbeddedModelError GetInputLength(int input, out int length)
        {
            length = 0;
            if (input < 0 || input >= _model.InputCount)
            {
                return EmbeddedModelError.BadIndex;
            }

            length = _model.ElementCount(_model.GetInputTensor(input));
            return EmbeddedModelError.None;
        }

        /// <summary>Elements of graph output <paramref name="output"/> (the product of its shape).</summary>
        public EmbeddedModelError GetOutputLength(int output, out int length)
        {
            length = 0;
            if (output < 0 || output >= _model.OutputCount)
            {
                return EmbeddedModelError.BadIndex;
            }

            length = _model.ElementCount(_model.GetOutputTensor(output));
            return EmbeddedModelError.None;
        }

        /// <summary>
        /// Sets graph input <paramref name="input"/> to values[offset ..], already quantized to the
        /// input's int8 scale and zero point (for a raw sensor reading, <see cref="SetRawInput"/> does
        /// that). Outputs of an earlier <see cref="Invoke"/> are gone afterwards: the arena may reuse
        /// their bytes.
        /// </summary>
        public EmbeddedModelError SetInput(int input, sbyte[] values, int offset)
        {
            int length;
            EmbeddedModelError error = CheckInput(input, values, offset, out length);
            if (error != EmbeddedModelError.None)
            {
                return error;
            }

            _hasResult = false;
            _interpreter.SetInput(input, values, offset);
            return EmbeddedModelError.None;
        }

        /// <summary>
        /// Sets graph input <paramref name="input"/> from raw sensor readings raw[offset ..], one per
        /// element: each becomes QuantizeLinear((reading - O) · S) with the S and O the model was
        /// converted with (hosttool convert --raw-input-scale S --raw-input-offset O), computed in
        /// integers only (<see cref="RawInputTransform"/>). <see cref="EmbeddedModelError.NoInputTransform"/>
        /// for a model converted without them. Outputs of an earlier <see cref="Invoke"/> are gone afterwards.
        /// </summary>
        public EmbeddedModelError SetRawInput(int input, int[] raw, int offset)
        {
            int length;
            EmbeddedModelError error = CheckInput(input, raw, offset, out length);
            if (error != EmbeddedModelError.None)
            {
                return error;
            }

            if (_transform == null)
            {
                return EmbeddedModelError.NoInputTransform;
            }

            _hasResult = false;
            RawInputTransform.Apply(_transform, input * RawInputTransform.Words, _model.ZeroPoint(_model.GetInputTensor(input)),
                raw, offset, _staging, 0, length);
            _interpreter.SetInput(input, _staging, 0);
            return EmbeddedModelError.None;
        }

        /// <summary>Runs the model once on the inputs set last (zeros where none was set).</summary>
        public EmbeddedModelError Invoke()
        {
            try
            {
                _interpreter.Invoke();
            }
            catch (Exception)
            {
                _hasResult = false;
                return EmbeddedModelError.Failed;
            }

            _hasResult = true;
            return EmbeddedModelError.None;
        }

        /// <summary>
        /// Copies graph output <paramref name="output"/> of the last <see cref="Invoke"/> to
        /// destination[offset ..], as int8 values in the output's scale and zero point.
        /// </summary>
        public EmbeddedModelError GetOutput(int output, sbyte[] destination, int offset)
        {
            int length;
            EmbeddedModelError error = GetOutputLength(output, out length);
            if (error == EmbeddedModelError.None && !Fits(destination, offset, length))
            {
                error = EmbeddedModelError.BadBuffer;
            }

            if (error != EmbeddedModelError.None)
            {
                return error;
            }

            if (!_hasResult)
            {
                return EmbeddedModelError.NoResult;
            }

            _interpreter.GetOutput(output, destination, offset);
            return EmbeddedModelError.None;
        }

        /// <summary>
        /// The index of the largest element of graph output <paramref name="output"/> after the last
        /// <see cref="Invoke"/> (the first one on a tie): for a classifier's [1, classes] logits or
        /// probabilities, the most likely class. The int8 values share one scale and zero point, so
        /// their order is the real values' order.
        /// </summary>
        public EmbeddedModelError GetTopClass(int output, out int classIndex)
        {
            classIndex = -1;
            int length;
            EmbeddedModelError error = GetOutputLength(output, out length);
            if (error != EmbeddedModelError.None)
            {
                return error;
            }

            if (!_hasResult)
            {
                return EmbeddedModelError.NoResult;
            }

            sbyte[] values = _staging;
            _interpreter.GetOutput(output, values, 0);
            int best = 0;
            for (int i = 1; i < length; i++)
            {
                if (values[i] > values[best])
                {
                    best = i;
                }
            }

            classIndex = best;
            return EmbeddedModelError.None;
        }

        // None when graph input `input` exists and buffer[offset ..] holds its `length` elements.
        private EmbeddedModelError CheckInput(int input, Array buffer, int offset, out int length)
        {
            EmbeddedModelError error = GetInputLength(input, out length);
            if (error == EmbeddedModelError.None && !Fits(buffer, offset, length))
            {
                error = EmbeddedModelError.BadBuffer;
            }

            return error;
        }

        // True when buffer[offset .. offset + length) lies inside a buffer that exists.
        private static bool Fits(Array buffer, int offset, int length)
        {
            return buffer != null && offset >= 0 && offset <= buffer.Length - length;
        }

        private static int LargestGraphTensor(Model model)
        {
            int largest = 0;
            for (int i = 0; i < model.InputCount + model.OutputCount; i++)
            {
                int elements = model.ElementCount(model.GraphIo[i]);
                if (elements > largest)
                {
                    largest = elements;
                }
            }

            return largest;
        }
    }
}
