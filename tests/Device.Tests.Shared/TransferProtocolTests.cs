using NanoInt8.Runtime;

namespace NanoInt8.Device.Tests
{
    /// <summary>
    /// LOAD, CHUNK and COMMIT through a real <see cref="DeviceServer"/> on an in-memory link:
    /// resume, cumulative acknowledgements, commit and rollback (docs/serial-protocol.md, "Model
    /// transfer"). Runs on .NET and on nanoCLR; budgets, READ and Boot are covered host-only in
    /// NanoInt8.Device.Tests/TransferTests.
    /// </summary>
    [TestClass]
    public class TransferProtocolTests
    {
        [TestMethod]
        public void Deploy_SmallModel_CommittedStoredAndRunning()
        {
            MemoryModelStore store = new MemoryModelStore();
            ProtocolDriver driver = DeviceBench.Start(store, null, new SteppingClock());
            byte[] blob = DeviceModels.AddThree();

            DeviceBench.Deploy(driver, blob);

            Assert.AreEqual(ModelReader.GetPayloadCrc(blob, 0), DeviceBench.RunningModelCrc(driver));
            CollectionAssert.AreEqual(blob, store.Committed);
            Assert.IsFalse(driver.Server.TransferInProgress);
            DeviceBench.AssertAnswersOffset(driver, 3);
        }

        [TestMethod]
        public void Load_FreshTransfer_HeaderReceivedBlocksOf32TheBufferInFlightTwoChunksPerWindow()
        {
            ProtocolDriver driver = DeviceBench.Start();

            Assert.IsTrue(driver.Load(DeviceModels.AddThree()));

            // u32 receivedUpTo, 16 bytes of received blocks, u16 maxChunk, u16 blockBytes, u16 windowBytes.
            Assert.AreEqual(MessageType.LoadAck, driver.ResponseType);
            Assert.AreEqual(26, driver.ResponseLength);
            Assert.AreEqual(64u, driver.ResponseUInt32(0));
            for (int i = 0; i < Protocol.ReceivedBlocksBytes; i++)
            {
                Assert.AreEqual((byte)0, driver.Response[4 + i]);
            }

            // A 4 KB serial buffer: a window of 4,096 - 128 wire bytes holds two CHUNK frames of 61 blocks (1,973 bytes each).
            Assert.AreEqual(61 * Protocol.BlockBytes, LittleEndian.ReadUInt16(driver.Response, 20));
            Assert.AreEqual(Protocol.BlockBytes, LittleEndian.ReadUInt16(driver.Response, 22));
            Assert.AreEqual(DeviceBench.SerialBufferBytes - 128, LittleEndian.ReadUInt16(driver.Response, 24));
        }

        [TestMethod]
        public void Chunk_AfterAGap_StoredAndAcknowledgedInTheBlockBitmap()
        {
            ProtocolDriver driver = DeviceBench.Start();
            byte[] blob = DeviceModels.AddThree();
            driver.Load(blob);

            // Blocks 4 and 5 while block 2 is missing: bits 2 and 3 of the bitmap from block 2.
            Assert.IsTrue(driver.Chunk(blob, 128, 64));

            Assert.AreEqual(MessageType.ChunkAck, driver.ResponseType);
            Assert.AreEqual(20, driver.ResponseLength);
            Assert.AreEqual(64u, driver.ResponseUInt32(0));
            Assert.AreEqual((byte)0x0C, driver.Response[4]);
            Assert.AreEqual(64, driver.Server.TransferReceived);

            // The gap filled: everything up to the end of block 5 in a row.
            Assert.IsTrue(driver.Chunk(blob, 64, 64));
            Assert.AreEqual(192u, driver.ResponseUInt32(0));
            Assert.AreEqual((byte)0, driver.Response[4]);
        }

        [TestMethod]
        public void Chunk_OffAByteBoundaryOrAPartialBlock_BadChunk()
        {
            ProtocolDriver driver = DeviceBench.Start();
            byte[] blob = DeviceModels.AddThree();
            driver.Load(blob);

            driver.Chunk(blob, 80, 32);
            DeviceBench.AssertError(driver, ProtocolError.BadChunk, MessageType.Chunk, 64);
            driver.Chunk(blob, 64, 50);
            DeviceBench.AssertError(driver, ProtocolError.BadChunk, MessageType.Chunk, 64);
        }

        [TestMethod]
        public void Resume_AfterDisconnect_LoadOfSameHeaderContinuesWhereItStopped()
        {
            MemoryModelStore store = new MemoryModelStore();
            ProtocolDriver driver = DeviceBench.Start(store, null, new SteppingClock());
            byte[] blob = DeviceModels.AddThree();
            driver.Load(blob);
            driver.Chunk(blob, 64, 64);
            // The cable is pulled with half of the next chunk's frame on the line.
            driver.PutUInt32(0, 128);
            driver.PutBytes(4, blob, 128, 64);
            driver.Send(MessageType.Chunk, 68);
            driver.Link.ToDevice.Read(new byte[40], 0, 40);
            driver.Link.Disconnect();
            ProtocolDriver newSession = new ProtocolDriver(driver.Server, driver.Link);

            Assert.IsTrue(newSession.Load(blob));
            Assert.AreEqual(128u, newSession.ResponseUInt32(0));
            Assert.IsTrue(newSession.Chunk(blob, 128, blob.Length - 128));
            Assert.IsTrue(newSession.Commit());

            Assert.AreEqual(MessageType.CommitAck, newSession.ResponseType);
            Assert.AreEqual(ModelReader.GetPayloadCrc(blob, 0), newSession.ResponseUInt32(0));
            DeviceBench.AssertAnswersOffset(newSession, 3);
        }

        [TestMethod]
        public void Chunk_WithoutLoad_NoTransfer()
        {
            ProtocolDriver driver = DeviceBench.Start();
            byte[] blob = DeviceModels.AddThree();

            driver.Chunk(blob, 64, 10);

            DeviceBench.AssertError(driver, ProtocolError.NoTransfer, MessageType.Chunk, 0);
        }

        [TestMethod]
        public void Chunk_BeyondTotalLength_BadChunkWithExpectedOffset()
        {
            ProtocolDriver driver = DeviceBench.Start();
            byte[] blob = DeviceModels.AddThree();
            driver.Load(blob);
            byte[] longer = new byte[blob.Length + 100];
            System.Array.Copy(blob, longer, blob.Length);

            driver.Chunk(longer, 64, blob.Length);

            DeviceBench.AssertError(driver, ProtocolError.BadChunk, MessageType.Chunk, 64);
        }

        [TestMethod]
        public void Chunk_OfMaxChunkBytes_DecodedAndAnsweredOneBlockMore_DroppedUnanswered()
        {
            ProtocolDriver driver = DeviceBench.Start();
            byte[] blob = DeviceModels.AddThree();
            driver.Load(blob);
            int maxChunk = LittleEndian.ReadUInt16(driver.Response, 20);
            byte[] large = new byte[64 + maxChunk + Protocol.BlockBytes];
            for (int i = 0; i < large.Length; i++)
            {
                large[i] = (byte)(i * 7 + 1);
            }

            // A frame as large as the device offered reaches the handler (the tiny model makes it BadChunk).
            Assert.IsTrue(driver.Chunk(large, 64, maxChunk));
            DeviceBench.AssertError(driver, ProtocolError.BadChunk, MessageType.Chunk, 64);
            int dropped = driver.Server.FramesDropped;

            // One block more is longer than the decoder takes: dropped as malformed, never answered.
            Assert.IsFalse(driver.Chunk(large, 64, maxChunk + Protocol.BlockBytes));
            Assert.AreEqual(dropped + 1, driver.Server.FramesDropped);
            Assert.AreEqual(64, driver.Server.TransferReceived);
        }

        [TestMethod]
        public void Commit_BeforeLastByte_IncompleteWithBytesReceived()
        {
            ProtocolDriver driver = DeviceBench.Start();
            byte[] blob = DeviceModels.AddThree();
            driver.Load(blob);
            driver.Chunk(blob, 64, 96);

            driver.Commit();

            DeviceBench.AssertError(driver, ProtocolError.Incomplete, MessageType.Commit, 160);
        }

        [TestMethod]
        public void Commit_WithoutLoad_NoTransfer()
        {
            ProtocolDriver driver = DeviceBench.Start();

            driver.Commit();

            DeviceBench.AssertError(driver, ProtocolError.NoTransfer, MessageType.Commit, 0);
        }

        [TestMethod]
        public void Commit_CorruptedChunk_CrcMismatchOldModelKeepsAnsweringAndResendSucceeds()
        {
            MemoryModelStore store = new MemoryModelStore();
            ProtocolDriver driver = DeviceBench.Start(store, null, new SteppingClock());
            DeviceBench.Deploy(driver, DeviceModels.AddThree());
            byte[] blob = DeviceModels.AddMinusFive();
            byte[] corrupted = DeviceModels.AddMinusFive();
            corrupted[blob.Length - 3] ^= 0x40;

            driver.Deploy(corrupted, 64);

            DeviceBench.AssertError(driver, ProtocolError.CrcMismatch, MessageType.Commit, Crc32.Compute(corrupted, 64, corrupted.Length - 64));
            Assert.AreEqual(64, driver.Server.TransferReceived);
            Assert.AreEqual(ModelReader.GetPayloadCrc(DeviceModels.AddThree(), 0), DeviceBench.RunningModelCrc(driver));
            Assert.AreEqual(1, store.CommitCount);
            DeviceBench.AssertAnswersOffset(driver, 3);

            driver.Chunk(blob, 64, blob.Length - 64);
            driver.Commit();

            Assert.AreEqual(MessageType.CommitAck, driver.ResponseType);
            DeviceBench.AssertAnswersOffset(driver, -5);
        }

        [TestMethod]
        public void Commit_StructurallyInvalidModel_ModelRefusedAndOldModelKeepsAnswering()
        {
            MemoryModelStore store = new MemoryModelStore();
            ProtocolDriver driver = DeviceBench.Start(store, null, new SteppingClock());
            byte[] good = DeviceModels.AddThree();
            DeviceBench.Deploy(driver, good);

            driver.Deploy(DeviceModels.InvalidContent(), 64);

            DeviceBench.AssertError(driver, ProtocolError.ModelRefused, MessageType.Commit, (uint)ModelError.BadParameter);
            CollectionAssert.AreEqual(good, store.Committed);
            DeviceBench.AssertAnswersOffset(driver, 3);
        }

        [TestMethod]
        public void Commit_StorageFails_OldModelStaysAndRepeatedCommitRetries()
        {
            MemoryModelStore store = new MemoryModelStore();
            ProtocolDriver driver = DeviceBench.Start(store, null, new SteppingClock());
            byte[] old = DeviceModels.AddThree();
            byte[] blob = DeviceModels.AddMinusFive();
            DeviceBench.Deploy(driver, old);
            store.FailCommits = true;

            driver.Deploy(blob, 64);
            DeviceBench.AssertError(driver, ProtocolError.StorageFailed, MessageType.Commit, 0);
            DeviceBench.AssertAnswersOffset(driver, 3);
            store.FailCommits = false;
            driver.Commit();

            Assert.AreEqual(MessageType.CommitAck, driver.ResponseType);
            Assert.AreEqual(ModelReader.GetPayloadCrc(blob, 0), driver.ResponseUInt32(0));
            CollectionAssert.AreEqual(blob, store.Committed);
            DeviceBench.AssertAnswersOffset(driver, -5);
        }

        [TestMethod]
        public void Commit_RepeatedWithSameSequence_SameAckThenNoTransfer()
        {
            ProtocolDriver driver = DeviceBench.Start();
            byte[] blob = DeviceModels.AddThree();
            driver.Deploy(blob, 64);
            int sequence = driver.Sequence;

            driver.SendWithSequence(MessageType.Commit, sequence, 0);
            Assert.IsTrue(driver.NextResponse());
            Assert.AreEqual(MessageType.CommitAck, driver.ResponseType);
            Assert.AreEqual(sequence, driver.ResponseSequence);
            driver.Commit();

            DeviceBench.AssertError(driver, ProtocolError.NoTransfer, MessageType.Commit, 0);
        }

        [TestMethod]
        public void Reset_DuringTransfer_AbortsItAndKeepsRunningModel()
        {
            ProtocolDriver driver = DeviceBench.Start();
            DeviceBench.Deploy(driver, DeviceModels.AddThree());
            byte[] blob = DeviceModels.AddMinusFive();
            driver.Load(blob);
            driver.Chunk(blob, 64, 64);

            driver.Reset();

            Assert.AreEqual(MessageType.ResetAck, driver.ResponseType);
            Assert.IsFalse(driver.Server.TransferInProgress);
            driver.Load(blob);
            Assert.AreEqual(64u, driver.ResponseUInt32(0));
            DeviceBench.AssertAnswersOffset(driver, 3);
        }

        [TestMethod]
        public void Boot_CommittedModel_ReloadedAfterPowerCycle()
        {
            MemoryModelStore store = new MemoryModelStore();
            DeviceBench.Deploy(DeviceBench.Start(store, null, new SteppingClock()), DeviceModels.AddMinusFive());

            ProtocolDriver rebooted = DeviceBench.Start(store, null, new SteppingClock());

            Assert.IsTrue(rebooted.Server.HasModel);
            DeviceBench.AssertAnswersOffset(rebooted, -5);
        }
    }
}
