using NanoInt8.Onnx;

namespace NanoInt8.Samples.VibrationSensor
{
    /// <summary>Labelled accelerometer windows: the same number of each <see cref="MachineCondition"/>, shuffled.</summary>
    public sealed class VibrationDataset
    {
        private VibrationDataset(float[][] windows, int[] labels)
        {
            Windows = windows;
            Labels = labels;
        }

        /// <summary>The windows, <see cref="VibrationSignalModel.WindowLength"/> samples each, in g.</summary>
        public IReadOnlyList<float[]> Windows { get; }

        /// <summary>The class of each window (<see cref="MachineCondition"/> as int).</summary>
        public IReadOnlyList<int> Labels { get; }

        /// <summary>The number of windows.</summary>
        public int Count => Windows.Count;

        /// <summary>Generates <paramref name="perClass"/> windows of each condition from one seed, in shuffled order.</summary>
        public static VibrationDataset Generate(int perClass, int seed)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(perClass);
            var random = new Random(seed);
            int classes = Enum.GetValues<MachineCondition>().Length;
            var windows = new float[perClass * classes][];
            var labels = new int[windows.Length];
            for (int index = 0; index < windows.Length; index++)
            {
                labels[index] = index % classes;
                windows[index] = VibrationSignalModel.Generate((MachineCondition)labels[index], random);
            }

            // Fisher-Yates with the same generator: the order is part of the seed's outcome.
            for (int index = windows.Length - 1; index > 0; index--)
            {
                int other = random.Next(index + 1);
                (windows[index], windows[other]) = (windows[other], windows[index]);
                (labels[index], labels[other]) = (labels[other], labels[index]);
            }

            return new VibrationDataset(windows, labels);
        }

        /// <summary>The first <paramref name="count"/> windows as a float32 array [count, 1, 128]: the model input with samples first.</summary>
        public NpyArray ToInputs(int? count = null)
        {
            int taken = Math.Min(count ?? Count, Count);
            var values = new float[taken * VibrationSignalModel.WindowLength];
            for (int index = 0; index < taken; index++)
            {
                Windows[index].CopyTo(values, index * VibrationSignalModel.WindowLength);
            }

            return new NpyArray(values, taken, 1, VibrationSignalModel.WindowLength);
        }

        /// <summary>The labels as an int32 array [count].</summary>
        public NpyArray ToLabels() => new NpyArray(Labels.ToArray(), Count);
    }
}
