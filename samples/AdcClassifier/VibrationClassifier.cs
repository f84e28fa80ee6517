using NanoInt8.Models;
using NanoInt8.Runtime;

namespace NanoInt8.Samples.AdcClassifier
{
    /// <summary>
    /// The embedded vibration model (VibrationModel.cs, written by hosttool convert --emit-csharp) and
    /// a window of raw ADC readings to classify with it. Classifying allocates nothing.
    /// </summary>
    public sealed class VibrationClassifier
    {
        private readonly EmbeddedModel _model;
        private readonly int[] _window;

        private VibrationClassifier(EmbeddedModel model, int[] window)
        {
            _model = model;
            _window = window;
        }

        /// <summary>Loads the model if it fits <paramref name="memoryBudget"/> bytes of managed heap.</summary>
        public static EmbeddedModelError Create(int memoryBudget, out VibrationClassifier classifier)
        {
            classifier = null;
            EmbeddedModel model;
            EmbeddedModelError error = EmbeddedModel.Load(VibrationModel.Bytes, memoryBudget, out model);
            int length = 0;
            if (error == EmbeddedModelError.None)
            {
                error = model.GetInputLength(0, out length);
            }

            if (error == EmbeddedModelError.None)
            {
                classifier = new VibrationClassifier(model, new int[length]);
            }

            return error;
        }

        /// <summary>The raw readings to classify: fill it, then call <see cref="Classify"/>.</summary>
        public int[] Window
        {
            get { return _window; }
        }

        /// <summary>The class of the readings in <see cref="Window"/> ("normal", "imbalance", "bearing fault"), or "error N".</summary>
        public string Classify()
        {
            EmbeddedModelError error = _model.SetRawInput(0, _window, 0);
            if (error == EmbeddedModelError.None)
            {
                error = _model.Invoke();
            }

            int top = 0;
            if (error == EmbeddedModelError.None)
            {
                error = _model.GetTopClass(0, out top);
            }

            return error == EmbeddedModelError.None ? VibrationModel.Labels[top] : "error " + ((int)error).ToString();
        }
    }
}
