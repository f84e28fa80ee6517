using NanoInt8.Host.Boards;
using NanoInt8.Host.Conversion;
using NanoInt8.Host.Execution;
using NanoInt8.Host.Files;
using NanoInt8.Host.Quantization;
using NanoInt8.Onnx;

namespace NanoInt8.Samples.VibrationSensor
{
    /// <summary>Settings of one run of the sample.</summary>
    public sealed class PipelineOptions
    {
        /// <summary>The folder receiving float.onnx, model.qdq.onnx, model.ni8, the .npy files and report.md.</summary>
        public required string OutputFolder { get; init; }

        /// <summary>Training epochs.</summary>
        public int Epochs { get; init; } = 15;

        /// <summary>Training windows per condition.</summary>
        public int TrainingPerClass { get; init; } = 500;

        /// <summary>Test windows per condition.</summary>
        public int TestPerClass { get; init; } = 200;

        /// <summary>Calibration windows: the first of the (shuffled) training windows.</summary>
        public int CalibrationWindows { get; init; } = 200;

        /// <summary>How the quantizer chooses activation ranges.</summary>
        public CalibrationMethod Method { get; init; } = CalibrationMethod.MinMax;

        /// <summary>The board whose modelBudgetBytes the model must fit (boards/NAME.json).</summary>
        public string Board { get; init; } = "esp32-devkitc";
    }

    /// <summary>
    /// The whole sample: generate data, train, export float.onnx, quantize it with
    /// <see cref="StaticQuantizer"/>, convert with <see cref="OnnxConverter"/> for the board, and
    /// measure the three models on the held-out windows.
    /// </summary>
    public static class VibrationPipeline
    {
        /// <summary>Seed of the training windows.</summary>
        public const int TrainingSeed = 1001;

        /// <summary>Seed of the test windows: another seed, so no test window was seen in training.</summary>
        public const int TestSeed = 2002;

        /// <summary>Seed of the initial weights.</summary>
        public const int WeightSeed = 3003;

        /// <summary>The quantized model's file name; it names the converted model ("model.qdq").</summary>
        public const string QdqFileName = "model.qdq.onnx";

        /// <summary>The files of a run kept in the repository's samples/vibration/ (the data files are not: 410 KB).</summary>
        public static IReadOnlyList<string> SampleFiles { get; } = new[]
        {
            "float.onnx", QdqFileName, "model.ni8", "example-normal.npy", "example-imbalance.npy", "example-bearing-fault.npy", "report.md",
        };

        /// <summary>Runs the pipeline and writes its files.</summary>
        /// <param name="options">The settings.</param>
        /// <param name="progress">Receives one line per step and per epoch.</param>
        public static SampleReport Run(PipelineOptions options, IProgress<string>? progress = null)
        {
            ArgumentNullException.ThrowIfNull(options);
            Directory.CreateDirectory(options.OutputFolder);
            BoardDefinition board = BoardCatalog.Locate().Get(options.Board);
            VibrationDataset training = VibrationDataset.Generate(options.TrainingPerClass, TrainingSeed);
            VibrationDataset test = VibrationDataset.Generate(options.TestPerClass, TestSeed);
            progress?.Report($"generated {training.Count} training and {test.Count} test windows");

            var network = new VibrationNetwork(WeightSeed);
            IReadOnlyList<EpochResult> history = new Trainer().Train(
                network,
                training,
                options.Epochs,
                progress is null ? null : new SynchronousProgress<EpochResult>(epoch => progress.Report($"epoch {epoch.Epoch}: loss {epoch.Loss:F4}, training accuracy {100 * epoch.Accuracy:F1} %")));
            double trainedAccuracy = Trainer.Accuracy(network, test);

            byte[] floatModel = OnnxExport.ToOnnx(network);
            NpyArray calibration = training.ToInputs(options.CalibrationWindows);
            NpyArray testInputs = test.ToInputs();
            Write(options, "float.onnx", floatModel);
            NpyFile.Write(Path.Combine(options.OutputFolder, "calibration.npy"), calibration);
            NpyFile.Write(Path.Combine(options.OutputFolder, "test-inputs.npy"), testInputs);
            NpyFile.Write(Path.Combine(options.OutputFolder, "test-labels.npy"), test.ToLabels());
            foreach (MachineCondition condition in Enum.GetValues<MachineCondition>())
            {
                // One test window per condition in the model input's own shape, for `hosttool run`.
                float[] window = test.Windows[IndexOf(test, condition)];
                NpyFile.Write(Path.Combine(options.OutputFolder, $"example-{ExampleName(condition)}.npy"), Input(window));
            }

            QuantizationResult quantized = new StaticQuantizer(new QuantizationOptions { Method = options.Method })
                .Quantize(OnnxModel.Load(floatModel), calibration, "calibration.npy");
            byte[] qdqModel = quantized.ToBytes();
            Write(options, QdqFileName, qdqModel);
            progress?.Report($"quantized: {quantized.Report.Outputs[0].TopOneAgreement:P2} top-1 agreement with the float model on the calibration windows");

            ConversionResult conversion = Convert(qdqModel, board);
            Write(options, "model.ni8", conversion.Blob);
            ModelSummary summary = ModelSummary.FromBlob(conversion.Blob);

            int[] floatPredictions = PredictInOnnxRuntime(floatModel, test);
            int[] quantizedPredictions = PredictInOnnxRuntime(qdqModel, test);
            int[] integerPredictions = PredictOnDeviceRuntime(conversion.Blob, test);
            var confusion = new int[VibrationNetwork.Classes, VibrationNetwork.Classes];
            for (int index = 0; index < test.Count; index++)
            {
                confusion[test.Labels[index], integerPredictions[index]]++;
            }

            var report = new SampleReport
            {
                TrainingWindows = training.Count,
                TestWindows = test.Count,
                CalibrationWindows = calibration.Shape[0],
                Epochs = options.Epochs,
                LastEpoch = history[^1],
                TrainedAccuracy = trainedAccuracy,
                FloatAccuracy = Accuracy(floatPredictions, test),
                QuantizedAccuracy = Accuracy(quantizedPredictions, test),
                IntegerAccuracy = Accuracy(integerPredictions, test),
                IntegerQdqAgreement = integerPredictions.Zip(quantizedPredictions).Count(pair => pair.First == pair.Second) / (double)test.Count,
                IntegerConfusion = confusion,
                Quantization = quantized.Report,
                ModelBytes = summary.ModelBytes,
                ArenaBytes = summary.ArenaBytes,
                DeviceBytes = summary.DeviceBytes,
                WeightBytes = summary.WeightBytes,
                MultiplyAccumulates = summary.MultiplyAccumulates,
                OperatorCounts = summary.OperatorCounts,
                BoardName = board.Name,
                BoardBudgetBytes = board.ModelBudgetBytes,
            };
            File.WriteAllText(Path.Combine(options.OutputFolder, "report.md"), report.ToMarkdown());
            return report;
        }

        /// <summary>
        /// model.ni8 from model.qdq.onnx's bytes, exactly as <c>hosttool convert model.qdq.onnx --board BOARD</c>
        /// writes it (<see cref="OnnxFileConversion"/>: named after the file, its SHA-256 and class labels kept).
        /// </summary>
        public static ConversionResult Convert(byte[] qdqModel, BoardDefinition board)
        {
            ArgumentNullException.ThrowIfNull(qdqModel);
            return OnnxFileConversion.Convert(OnnxModel.Load(qdqModel), QdqFileName, qdqModel, board);
        }

        private static int[] PredictInOnnxRuntime(byte[] model, VibrationDataset data)
        {
            using OnnxRuntimeSession session = new OnnxRuntimeRunner().CreateSession(model);
            return data.Windows
                .Select(window => ArgMax(session.Run(new Dictionary<string, NpyArray> { [OnnxExport.InputName] = Input(window) })[0].AsFloats()))
                .ToArray();
        }

        private static int[] PredictOnDeviceRuntime(byte[] blob, VibrationDataset data)
        {
            var runner = new HostModelRunner(blob);
            return data.Windows.Select(window => ArgMax(runner.Run(new[] { Input(window) })[0].AsFloats())).ToArray();
        }

        /// <summary>The file-name form of a condition: normal, imbalance, bearing-fault.</summary>
        public static string ExampleName(MachineCondition condition) => condition switch
        {
            MachineCondition.BearingFault => "bearing-fault",
            _ => condition.ToString().ToLowerInvariant(),
        };

        private static int IndexOf(VibrationDataset data, MachineCondition condition)
        {
            for (int index = 0; index < data.Count; index++)
            {
                if (data.Labels[index] == (int)condition)
                {
                    return index;
                }
            }

            throw new InvalidOperationException($"The data holds no {condition} window.");
        }

        private static NpyArray Input(float[] window) => new NpyArray(window, 1, 1, VibrationSignalModel.WindowLength);

        private static int ArgMax(float[] values)
        {
            int best = 0;
            for (int index = 1; index < values.Length; index++)
            {
                best = values[index] > values[best] ? index : best;
            }

            return best;
        }

        private static double Accuracy(int[] predictions, VibrationDataset data) =>
            predictions.Where((prediction, index) => prediction == data.Labels[index]).Count() / (double)data.Count;

        private static void Write(PipelineOptions options, string name, byte[] bytes) => File.WriteAllBytes(Path.Combine(options.OutputFolder, name), bytes);

        // Progress<T> posts to the thread pool; the console wants the lines in order, as they happen.
        private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
        {
            public void Report(T value) => report(value);
        }
    }
}
