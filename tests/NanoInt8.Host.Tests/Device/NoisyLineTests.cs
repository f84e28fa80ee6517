using NanoInt8.Device;
using NanoInt8.Host.Conversion;
using NanoInt8.Host.Device;
using NanoInt8.Onnx;
using NanoInt8.Runtime;
using NanoInt8.Tests.Shared;

namespace NanoInt8.Host.Tests.Device
{
    /// <summary>
    /// Every request over a line that drops, damages and doubles one byte in a thousand in each
    /// direction (FaultInjectingLink): frames are lost, the client sends again, the device answers a
    /// repetition from its cache, and what comes back is exactly what a clean line gives.
    /// </summary>
    [TestClass]
    public sealed class NoisyLineTests
    {
        private static readonly LinkFaults OneInAThousand = new LinkFaults { DropRate = 1e-3, BitFlipRate = 1e-3, DuplicateRate = 1e-3, Seed = 17 };

        [TestMethod]
        public void DeployReadVerifyInfoBenchSensor_OverANoisyLine_AnswersAsOnACleanOne()
        {
            using TestBoard board = new TestBoard(faults: OneInAThousand);
            byte[] onnx = QdqConvModel.Onnx();
            byte[] blob = OnnxConverter.Convert(OnnxModel.Load(onnx), new ConversionOptions { SourceSha256 = System.Security.Cryptography.SHA256.HashData(onnx) }).Blob;

            DeployResult deployed = board.Client.Deploy(blob);
            byte[] stored = board.Client.ReadModel();
            DeviceModel model = DeviceModel.FromBlob(stored);
            VerificationReport report = DeviceVerification.Verify(board.Client, model, onnx,
                Enumerable.Range(0, 8).Select(seed => (IReadOnlyList<NpyArray>)new[] { QdqConvModel.Input(seed) }).ToArray());
            DeviceInformation information = board.Client.GetInfo();
            BenchResult bench = board.Client.Bench(3);
            SensorState on = board.Client.SetSensor(true, 20);
            SensorResult? reading = board.Client.WaitForSensorResult(5000);
            SensorState off = board.Client.SetSensor(false, 20);

            Assert.AreEqual(DeviceTestModels.Crc(blob), deployed.ModelCrc);
            CollectionAssert.AreEqual(blob, stored);
            Assert.IsTrue(report.Passed(1), $"largest difference {report.LargestDifference} steps");
            Assert.AreEqual(8, report.Samples);
            Assert.AreEqual(DeviceTestModels.Crc(blob), information.ModelCrc);
            Assert.AreEqual(3, bench.Runs);
            Assert.IsTrue(on.Enabled);
            Assert.IsNotNull(reading);
            Assert.IsFalse(off.Enabled);
            Assert.IsGreaterThan(0L, board.Faults.BytesDropped, "bytes were dropped");
            Assert.IsGreaterThan(0L, board.Faults.BitsFlipped, "bits were flipped");
            Assert.IsGreaterThan(0L, board.Faults.BytesDuplicated, "bytes were doubled");
        }

        [TestMethod]
        public void Infer_InputsAndOutputsOfSeveralFrames_OverANoisyLine_ExactOutputs()
        {
            using TestBoard board = new TestBoard(faults: OneInAThousand with { Seed = 23 });
            byte[] blob = DeviceTestModels.AddOffset(1500, offset: 7);
            board.Client.Deploy(blob);

            for (int seed = 0; seed < 5; seed++)
            {
                sbyte[] input = DeviceTestModels.RandomInput(1500, seed);

                InferenceResult result = board.Client.Infer(input);

                CollectionAssert.AreEqual(DeviceTestModels.ExpectedAddOffset(input, 7), result.Outputs, $"sample {seed}");
            }

            Assert.IsLessThan(0.5, board.Client.EstimatedByteErrorRate * 100, "the client's estimate of the line stays near what it is");
            Assert.IsGreaterThan(0.0, board.Client.EstimatedByteErrorRate);
        }

        [TestMethod]
        public void Deploy_LineTurnsClean_ChunksGrowBackToTheLargest()
        {
            using TestBoard board = new TestBoard(faults: new LinkFaults { DropRate = 3e-3, BitFlipRate = 3e-3, DuplicateRate = 3e-3, Seed = 31 });
            DeployResult noisy = board.Client.Deploy(DeviceTestModels.Dense(seed: 31));
            double noisyRate = board.Client.EstimatedByteErrorRate;

            board.Faults.Faults = LinkFaults.None;
            DeployResult clean = board.Client.Deploy(DeviceTestModels.Dense(seed: 32));
            // The estimate forgets the noise frame by frame, so chunks reach the largest after a few
            // clean deployments: every chunk then is as large as the device allows, but the model's
            // last one and the first window behind the LOAD (2,048 wire bytes: four chunks of 480,
            // as every device takes).
            DeployResult later = clean;
            int deployments = 1;
            while (later.ChunksSent != LargestChunks(later) && deployments < 8)
            {
                later = board.Client.Deploy(DeviceTestModels.Dense(seed: 32 + deployments));
                deployments++;
            }

            double noisyMean = noisy.ChunkBytesSent / (double)noisy.ChunksSent;
            Assert.IsLessThan((double)noisy.MaxChunk, noisyMean, "chunks shrink under errors");
            Assert.IsLessThan(noisyRate, board.Client.EstimatedByteErrorRate, "the estimate decays on a clean line");
            Assert.AreEqual(0, clean.Retransmissions);
            Assert.IsGreaterThan(noisyMean, clean.ChunkBytesSent / (double)clean.ChunksSent, "chunks grow once the line is clean");
            Assert.AreEqual(LargestChunks(later), later.ChunksSent, $"after {deployments} clean deployments");
        }

        // The chunks of a transfer of the largest the device allows after the first window of four 480-byte chunks.
        private static int LargestChunks(DeployResult result)
        {
            int blind = Protocol.MinWindowBytes / (Cobs.MaxEncodedLength(FrameCodec.Overhead + 4 + Protocol.BaseModelChunk) + 1);
            long afterBlind = result.ModelBytes - ModelFormat.HeaderSize - (blind * Protocol.BaseModelChunk);
            return blind + (int)Math.Ceiling(afterBlind / (double)result.MaxChunk);
        }

        [TestMethod]
        public void Deploy_NoisyLine_ResendsOnlyLostChunksAndShrinksThem()
        {
            using TestBoard board = new TestBoard(faults: OneInAThousand with { Seed = 29 });
            byte[] blob = DeviceTestModels.Dense(seed: 29);

            DeployResult result = board.Client.Deploy(blob);

            Assert.AreEqual(DeviceTestModels.Crc(blob), result.ModelCrc);
            Assert.IsGreaterThan(0, result.Retransmissions);
            // Selective repeat: what goes again is the lost chunks, not everything after them.
            Assert.IsLessThan(blob.Length / 2, result.BytesResent, $"{result.BytesResent} bytes resent of {blob.Length}");
            // Chunks shrink below the largest once losses show.
            Assert.IsLessThan((double)result.MaxChunk, result.ChunkBytesSent / (double)result.ChunksSent, "mean chunk");
        }
    }
}
