using NanoInt8.Device;
using NanoInt8.Host.Device;
using NanoInt8.Host.Format;
using NanoInt8.Runtime;

namespace NanoInt8.Host.Tests.Device
{
    /// <summary>Deployment over a damaged or broken line, and models that must never become the running one.</summary>
    [TestClass]
    public sealed class TransferFaultTests
    {
        [TestMethod]
        [DataRow(1e-3, 0.0, 0.0, 11, DisplayName = "drops 1e-3")]
        [DataRow(0.0, 1e-3, 0.0, 12, DisplayName = "bit flips 1e-3")]
        [DataRow(0.0, 0.0, 1e-3, 13, DisplayName = "duplicates 1e-3")]
        [DataRow(1e-3, 1e-3, 1e-3, 14, DisplayName = "all three 1e-3")]
        public void Deploy_NoisyLine_ModelArrivesIntactAndAnswers(double dropRate, double flipRate, double duplicateRate, int seed)
        {
            LinkFaults faults = new LinkFaults { DropRate = dropRate, BitFlipRate = flipRate, DuplicateRate = duplicateRate, Seed = seed };
            // A line this bad loses about four frames in five: more attempts than on a sound line.
            using TestBoard board = new TestBoard(faults: faults, options: TestBoard.FastOptions with { Attempts = 8, RequestTimeoutMilliseconds = 100, CommitTimeoutMilliseconds = 500, InferTimeoutMilliseconds = 300 });
            byte[] blob = DeviceTestModels.Dense(seed);

            DeployResult result = board.Client.Deploy(blob);

            Assert.AreEqual(DeviceTestModels.Crc(blob), result.ModelCrc);
            Assert.IsTrue(board.Faults.BytesDropped + board.Faults.BitsFlipped + board.Faults.BytesDuplicated > 0, "the line did damage bytes");
            Assert.IsTrue(result.Retransmissions > 0, "damaged chunks were sent again");
            sbyte[] input = DeviceTestModels.RandomInput(128, seed);
            CollectionAssert.AreEqual(DeviceTestModels.RunOnHost(blob, input), board.Client.Infer(input).Outputs);
        }

        [TestMethod]
        public void Deploy_LinkBreaksMidTransfer_ReopensAndResumesFromAcknowledgedOffset()
        {
            using TestBoard board = new TestBoard();
            byte[] blob = DeviceTestModels.Dense(seed: 20);
            board.Client.Hello();
            board.Faults.DisconnectAfterBytesWritten = board.Faults.BytesWritten + 10_000;

            DeployResult result = board.Client.Deploy(blob);

            Assert.AreEqual(1, result.Reconnections);
            Assert.AreEqual(1, board.Faults.Disconnects);
            Assert.HasCount(2, result.ResumeOffsets);
            Assert.AreEqual(ModelFormat.HeaderSize, result.ResumeOffsets[0]);
            // At most windowBytes of chunks were in flight when the link broke after 10,000 wire bytes
            // (1,000 more for the LOAD, the frames' overhead and the COBS bytes): the rest had arrived.
            Assert.IsTrue(result.ResumeOffsets[1] > 10_000 - result.WindowBytes - 1_000, $"resumed at {result.ResumeOffsets[1]}, window {result.WindowBytes}");
            Assert.IsTrue(result.BytesResent < blob.Length, $"{result.BytesResent} bytes resent of a {blob.Length}-byte model");
            Assert.IsTrue(result.BytesResent <= 2 * result.WindowBytes, $"{result.BytesResent} bytes resent");
            Assert.AreEqual(DeviceTestModels.Crc(blob), board.Client.GetInfo().ModelCrc);
        }

        [TestMethod]
        public void Deploy_LinkLostForGood_FailsThenDeployingAgainResumes()
        {
            using TestBoard board = new TestBoard(options: TestBoard.FastOptions with { ReconnectAttempts = 0 });
            byte[] blob = DeviceTestModels.Dense(seed: 21);
            board.Client.Hello();
            board.Faults.DisconnectAfterBytesWritten = board.Faults.BytesWritten + 12_000;

            TransferFailedException failure = Assert.ThrowsExactly<TransferFailedException>(() => board.Client.Deploy(blob));
            board.Faults.Reopen();
            DeployResult resumed = board.Client.Deploy(blob);

            StringAssert.Contains(failure.Message, "deploy the model again to resume");
            Assert.IsTrue(failure.BytesAcknowledged > ModelFormat.HeaderSize);
            Assert.IsTrue(resumed.ResumeOffsets[0] >= failure.BytesAcknowledged, $"resumed at {resumed.ResumeOffsets[0]}, acknowledged {failure.BytesAcknowledged}");
            // Only what the device had not acknowledged is sent again (how much that is depends on how far the
            // device got before the link went, which a loaded machine decides).
            Assert.AreEqual(blob.Length - resumed.ResumeOffsets[0], resumed.ChunkBytesSent, $"resumed at {resumed.ResumeOffsets[0]} of {blob.Length}");
            Assert.AreEqual(DeviceTestModels.Crc(blob), board.Client.GetInfo().ModelCrc);
        }

        [TestMethod]
        public void Deploy_PayloadCrcWrong_RefusedAndOldModelKeepsAnswering()
        {
            MemoryModelStore store = new MemoryModelStore();
            using TestBoard board = new TestBoard(store);
            byte[] old = DeviceTestModels.AddOffset(16, offset: 5);
            board.Client.Deploy(old);
            byte[] corrupt = DeviceTestModels.Dense(seed: 22);
            corrupt[corrupt.Length / 2] ^= 0x40;

            ModelRefusedException exception = Assert.ThrowsExactly<ModelRefusedException>(() => board.Client.Deploy(corrupt));

            Assert.AreEqual(ModelError.PayloadCrcMismatch, exception.Error);
            Assert.IsFalse(exception.RefusedByHost);
            AssertRunsOffsetModel(board.Client, old, offset: 5);
            CollectionAssert.AreEqual(old, store.Committed);
        }

        [TestMethod]
        public void Deploy_StructurallyInvalidModel_RefusedAtCommitAndOldModelKeepsAnswering()
        {
            MemoryModelStore store = new MemoryModelStore();
            using TestBoard board = new TestBoard(store);
            byte[] old = DeviceTestModels.AddOffset(16, offset: -9);
            board.Client.Deploy(old);

            ModelRefusedException exception = Assert.ThrowsExactly<ModelRefusedException>(() => board.Client.Deploy(InvalidModel()));

            Assert.AreEqual(ModelError.BadParameter, exception.Error);
            StringAssert.Contains(exception.Message, "at COMMIT");
            AssertRunsOffsetModel(board.Client, old, offset: -9);
            Assert.AreEqual(1, store.Commits);
        }

        [TestMethod]
        public void Deploy_RefusedModel_RebootedBoardStillRunsOldModel()
        {
            MemoryModelStore store = new MemoryModelStore();
            byte[] old = DeviceTestModels.AddOffset(16, offset: 2);
            using (TestBoard board = new TestBoard(store))
            {
                board.Client.Deploy(old);
                Assert.ThrowsExactly<ModelRefusedException>(() => board.Client.Deploy(InvalidModel()));
            }

            using TestBoard rebooted = new TestBoard(store);

            AssertRunsOffsetModel(rebooted.Client, old, offset: 2);
        }

        private static void AssertRunsOffsetModel(DeviceClient client, byte[] blob, int offset)
        {
            DeviceInformation information = client.GetInfo();
            Assert.AreEqual(DeviceTestModels.Crc(blob), information.ModelCrc);
            sbyte[] input = DeviceTestModels.RandomInput(16, seed: offset + 100);
            CollectionAssert.AreEqual(DeviceTestModels.ExpectedAddOffset(input, offset), client.Infer(input).Outputs);
        }

        /// <summary>A model with a correct CRC that the reader refuses: a Requantize multiplier of 5 (BadParameter).</summary>
        private static byte[] InvalidModel()
        {
            ModelBuilder builder = new ModelBuilder();
            int input = builder.AddArenaTensor("input", new[] { 600 }, 0, 0);
            int output = builder.AddArenaTensor("output", new[] { 600 }, 0, 600);
            builder.AddOperator(OpCode.Requantize, new[] { input }, new[] { output }, OperatorWords.Requantize((5, 1), -128, 127));
            builder.Inputs.Add(input);
            builder.Outputs.Add(output);
            builder.ArenaBytes = 1200;
            return ModelWriter.Write(builder);
        }
    }
}
