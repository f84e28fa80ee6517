using NanoInt8.Host.Boards;
using NanoInt8.Onnx;
using NanoInt8.Samples.VibrationSensor;

namespace NanoInt8.Samples.Tests
{
    /// <summary>
    /// The vibration sample (samples/VibrationSensor): its physical model, its hand-written
    /// training, its export, and the whole pipeline with a shorter training.
    /// </summary>
    [TestClass]
    public sealed class VibrationSampleTests
    {
        private const int Length = VibrationSignalModel.WindowLength;

        // ----- the whole pipeline -------------------------------------------------------------------

        [TestMethod]
        public void Pipeline_ShortTraining_AccurateQuantizedAndFitsTheSmallestBoard()
        {
            string folder = Directory.CreateTempSubdirectory("vibration-sample-").FullName;
            try
            {
                // 4 epochs instead of 15: the training accuracy passes 98 % after the second
                // (README.md), and the full run is what `dotnet run --project samples/VibrationSensor` does.
                SampleReport report = VibrationPipeline.Run(new PipelineOptions { OutputFolder = folder, Epochs = 4 });

                // Three conditions that differ physically (1x amplitude, 250-400 Hz ringing): chance
                // is 33 %, the full training reaches 99.5 %; 90 % is a floor no working pipeline misses.
                Assert.IsTrue(report.FloatAccuracy >= 0.90, $"float accuracy {report.FloatAccuracy}");
                // float.onnx is the trained network rounded to float32: the same decisions but for a window on a knife's edge.
                Assert.IsTrue(Math.Abs(report.FloatAccuracy - report.TrainedAccuracy) <= 0.005, $"C# {report.TrainedAccuracy}, ONNX Runtime {report.FloatAccuracy}");
                // int8 costs little on a model this size; the integer model differs from ONNX
                // Runtime's QDQ arithmetic by at most one step on a few logits.
                Assert.IsTrue(report.QuantizedAccuracy >= report.FloatAccuracy - 0.02, $"QDQ {report.QuantizedAccuracy}, float {report.FloatAccuracy}");
                Assert.IsTrue(Math.Abs(report.IntegerAccuracy - report.QuantizedAccuracy) <= 0.02, $"integer {report.IntegerAccuracy}, QDQ {report.QuantizedAccuracy}");
                Assert.IsTrue(report.IntegerQdqAgreement >= 0.98, $"integer and QDQ agree on {report.IntegerQdqAgreement}");

                BoardDefinition smallest = BoardCatalog.Locate().Get("esp32-devkitc");
                Assert.AreEqual(smallest.ModelBudgetBytes, report.BoardBudgetBytes);
                Assert.IsTrue(report.DeviceBytes <= smallest.ModelBudgetBytes / 2, $"{report.DeviceBytes} device bytes of {smallest.ModelBudgetBytes}");
                // conv1 8·128·5 + conv2 16·64·(8·5) + classifier 3·16.
                Assert.AreEqual(46_128L, report.MultiplyAccumulates);

                foreach (string file in new[] { "float.onnx", "model.qdq.onnx", "model.ni8", "calibration.npy", "test-inputs.npy", "test-labels.npy", "report.md", "example-bearing-fault.npy" })
                {
                    Assert.IsTrue(File.Exists(Path.Combine(folder, file)), file);
                }

                CollectionAssert.AreEqual(new[] { 200, 1, Length }, NpyFile.Read(Path.Combine(folder, "calibration.npy")).Shape);
                CollectionAssert.AreEqual(new[] { 600 }, NpyFile.Read(Path.Combine(folder, "test-labels.npy")).Shape);
                Assert.AreEqual(report.ModelBytes, (int)new FileInfo(Path.Combine(folder, "model.ni8")).Length);
                StringAssert.Contains(File.ReadAllText(Path.Combine(folder, "report.md")), "| model.ni8 (integer only) |");
                // The labels written into float.onnx travel through the quantizer and the converter.
                var runner = new NanoInt8.Host.Execution.HostModelRunner(File.ReadAllBytes(Path.Combine(folder, "model.ni8")));
                CollectionAssert.AreEqual(OnnxExport.Labels.ToArray(), runner.Outputs.Single().Labels?.ToArray());
                Assert.AreEqual("model.qdq", runner.ModelName);
            }
            finally
            {
                Directory.Delete(folder, recursive: true);
            }
        }

        // ----- the physical model -------------------------------------------------------------------

        [TestMethod]
        public void Generate_SameSeed_SameWindowsAndLabels()
        {
            VibrationDataset first = VibrationDataset.Generate(20, seed: 5);
            VibrationDataset second = VibrationDataset.Generate(20, seed: 5);
            VibrationDataset other = VibrationDataset.Generate(20, seed: 6);

            CollectionAssert.AreEqual(first.Labels.ToArray(), second.Labels.ToArray());
            CollectionAssert.AreEqual(first.Windows[7], second.Windows[7]);
            CollectionAssert.AreNotEqual(first.Windows[7], other.Windows[7]);
            Assert.AreEqual(20, first.Labels.Count(label => label == (int)MachineCondition.BearingFault));
        }

        [TestMethod]
        public void Synthesize_Imbalance_RaisesTheShaftFrequencyComponent()
        {
            var random = new Random(1);
            double normal = 0;
            double imbalance = 0;
            for (int window = 0; window < 50; window++)
            {
                WindowParameters healthy = VibrationSignalModel.Draw(MachineCondition.Normal, random);
                WindowParameters unbalanced = VibrationSignalModel.Draw(MachineCondition.Imbalance, random);
                normal += Amplitude(VibrationSignalModel.Synthesize(healthy, random), healthy.ShaftFrequency) / healthy.Gain;
                imbalance += Amplitude(VibrationSignalModel.Synthesize(unbalanced, random), unbalanced.ShaftFrequency) / unbalanced.Gain;
            }

            // Mean 1x amplitudes drawn: 0.125 g healthy, 0.575 g unbalanced.
            Assert.AreEqual(0.125, normal / 50, 0.03);
            Assert.AreEqual(0.575, imbalance / 50, 0.06);
        }

        [TestMethod]
        public void Synthesize_BearingFault_AddsEnergyInTheResonanceBand()
        {
            var random = new Random(2);
            WindowParameters healthy = VibrationSignalModel.Draw(MachineCondition.Normal, random) with { NoiseDeviation = 0 };
            WindowParameters faulty = healthy with { ImpactAmplitude = 0.5 };

            float[] quiet = VibrationSignalModel.Synthesize(healthy, new Random(3));
            float[] ringing = VibrationSignalModel.Synthesize(faulty, new Random(3));

            double band = faulty.ResonanceFrequency;
            Assert.IsTrue(Amplitude(ringing, band) > 10 * Amplitude(quiet, band), $"{Amplitude(ringing, band)} against {Amplitude(quiet, band)} at {band:F0} Hz");
            // Impacts come at BPFI = 5.415·f0: the ringing's envelope repeats at that rate.
            double[] envelope = ringing.Zip(quiet, (with, without) => Math.Abs(with - without)).Select(value => (double)value).ToArray();
            double defect = VibrationSignalModel.InnerRaceDefectOrder * faulty.ShaftFrequency;
            Assert.IsTrue(Amplitude(envelope, defect) > 2 * Amplitude(envelope, defect * 1.37), "the envelope peaks at the defect frequency");
        }

        // ----- training -----------------------------------------------------------------------------

        [TestMethod]
        public void Accumulate_Gradients_MatchCentralDifferences()
        {
            var network = new VibrationNetwork(seed: 9);
            float[] window = VibrationSignalModel.Generate(MachineCondition.BearingFault, new Random(4));
            VibrationNetwork.Workspace workspace = network.CreateWorkspace();
            foreach (Parameter parameter in network.Parameters)
            {
                Array.Clear(parameter.Gradient);
            }

            network.Accumulate(window, label: 2, workspace);

            const double Step = 1e-6;
            foreach (Parameter parameter in network.Parameters)
            {
                for (int index = 0; index < parameter.Values.Length; index += Math.Max(1, parameter.Values.Length / 7))
                {
                    double saved = parameter.Values[index];
                    parameter.Values[index] = saved + Step;
                    double above = Loss(network, window, 2, workspace);
                    parameter.Values[index] = saved - Step;
                    double below = Loss(network, window, 2, workspace);
                    parameter.Values[index] = saved;
                    double numeric = (above - below) / (2 * Step);
                    Assert.AreEqual(numeric, parameter.Gradient[index], 1e-6 + (1e-4 * Math.Abs(numeric)), $"{parameter.Name}[{index}]");
                }
            }
        }

        [TestMethod]
        public void Train_SameSeeds_SameWeights()
        {
            VibrationDataset data = VibrationDataset.Generate(30, seed: 11);
            var first = new VibrationNetwork(seed: 12);
            var second = new VibrationNetwork(seed: 12);

            new Trainer().Train(first, data, epochs: 2);
            new Trainer().Train(second, data, epochs: 2);

            for (int tensor = 0; tensor < first.Parameters.Count; tensor++)
            {
                CollectionAssert.AreEqual(first.Parameters[tensor].Values, second.Parameters[tensor].Values, first.Parameters[tensor].Name);
            }
        }

        [TestMethod]
        public void ToOnnx_OnnxRuntime_ComputesTheTrainedNetwork()
        {
            var network = new VibrationNetwork(seed: 13);
            new Trainer().Train(network, VibrationDataset.Generate(30, seed: 14), epochs: 1);
            byte[] model = OnnxExport.ToOnnx(network);
            using OnnxRuntimeSession session = new OnnxRuntimeRunner().CreateSession(model);
            VibrationNetwork.Workspace workspace = network.CreateWorkspace();

            VibrationDataset windows = VibrationDataset.Generate(4, seed: 15);
            for (int index = 0; index < windows.Count; index++)
            {
                double[] expected = network.Forward(windows.Windows[index], workspace);
                float[] actual = session.Run(new Dictionary<string, NpyArray> { [OnnxExport.InputName] = new NpyArray(windows.Windows[index], 1, 1, Length) })[0].AsFloats();
                for (int label = 0; label < expected.Length; label++)
                {
                    // float32 weights and arithmetic against float64.
                    Assert.AreEqual(expected[label], actual[label], 1e-4 * Math.Max(1, Math.Abs(expected[label])));
                }
            }
        }

        private static double Loss(VibrationNetwork network, float[] window, int label, VibrationNetwork.Workspace workspace)
        {
            double[] logits = network.Forward(window, workspace);
            double largest = logits.Max();
            return largest + Math.Log(logits.Sum(logit => Math.Exp(logit - largest))) - logits[label];
        }

        // |DFT| at one frequency, scaled to the amplitude of a sine there (2/N), with a Hann window
        // so that a component between bins leaks little into its neighbours.
        private static double Amplitude(IReadOnlyList<float> signal, double frequency) => Amplitude(signal.Select(value => (double)value).ToArray(), frequency);

        private static double Amplitude(double[] signal, double frequency)
        {
            double real = 0;
            double imaginary = 0;
            double windowSum = 0;
            for (int sample = 0; sample < signal.Length; sample++)
            {
                double hann = 0.5 - (0.5 * Math.Cos(2 * Math.PI * sample / (signal.Length - 1)));
                double angle = 2 * Math.PI * frequency * sample / VibrationSignalModel.SampleRate;
                real += hann * signal[sample] * Math.Cos(angle);
                imaginary -= hann * signal[sample] * Math.Sin(angle);
                windowSum += hann;
            }

            return 2 * Math.Sqrt((real * real) + (imaginary * imaginary)) / windowSum;
        }
    }
}
