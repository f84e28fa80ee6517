using NanoInt8.Device.Tests.Support;
using NanoInt8.Runtime;

namespace NanoInt8.Device.Tests;

/// <summary>LOAD, CHUNK, COMMIT, READ, RESET and Boot against a real model.</summary>
[TestClass]
public class TransferTests
{
    private const int Elements = 16;

    [TestMethod]
    public void Deploy_ModelOfManyChunks_NeedsNoRetransmission()
    {
        TestDevice device = new();
        byte[] blob = TestModels.AddOffset(Elements, 3, new string('m', 5000));
        Assert.IsGreaterThan(9 * Protocol.BaseModelChunk, blob.Length);

        device.Deploy(blob);

        Assert.AreEqual(0, device.Client.Retransmissions);
        Assert.AreEqual(0, device.Server.FramesDropped);
        device.AssertAnswersAddOffset(Elements, 3);
    }

    [TestMethod]
    public void Load_FreshTransfer_ResumesAfterHeaderWithBlocksChunkAndWindow()
    {
        TestDevice device = new();

        LoadReply reply = device.Client.Load(TestModels.AddOffset(Elements, 1));

        Assert.AreEqual(64u, reply.ResumeOffset);
        Assert.AreEqual(1952, reply.MaxChunk, "61 blocks of 32 bytes: two CHUNK frames of 1,973 wire bytes fit the window");
        Assert.AreEqual(32, reply.BlockBytes);
        Assert.AreEqual(3968, reply.WindowBytes, "the 4096-byte serial buffer less 128 bytes for COMMIT, INFO or RESET");
        Assert.IsTrue(reply.State.Blocks.All(bits => bits == 0));
        Assert.IsTrue(device.Server.TransferInProgress);
    }

    [TestMethod]
    public void Chunk_WindowSentAtOnce_CumulativeAckForEach()
    {
        TestDevice device = new();
        byte[] blob = TestModels.AddOffset(Elements, 1, new string('w', 8000));
        LoadReply reply = device.Client.Load(blob);
        uint offset = reply.ResumeOffset;
        List<uint> expected = new();
        int wireBytes = 0;
        for (int i = 0; i < 2; i++)
        {
            byte[] frame = device.Client.Encode(MessageType.Chunk, 100 + i, TestClient.ChunkPayload(offset, blob.AsSpan((int)offset, reply.MaxChunk)));
            device.Client.SendRaw(frame);
            wireBytes += frame.Length;
            offset += (uint)reply.MaxChunk;
            expected.Add(offset);
        }

        List<ReceivedFrame> answers = device.Client.Pump();

        Assert.IsLessThanOrEqualTo(reply.WindowBytes, wireBytes, "two chunks of maxChunk fit the window");
        CollectionAssert.AreEqual(Enumerable.Range(100, 2).ToArray(), answers.Select(frame => frame.Sequence).ToArray());
        CollectionAssert.AreEqual(expected, answers.Select(frame => TestClient.Expect(frame, MessageType.ChunkAck).UInt32At(0)).ToList());
    }

    [TestMethod]
    public void Chunk_DuplicateWithDifferentBytes_ChangesNothing()
    {
        TestDevice device = new();
        byte[] blob = TestModels.AddOffset(Elements, 2, new string('d', 2000));
        LoadReply reply = device.Client.Load(blob);
        Assert.AreEqual(160u, device.Client.Chunk(64, blob.AsSpan(64, 96)));
        byte[] garbage = Enumerable.Repeat((byte)0xEE, 96).ToArray();

        ReceptionState state = device.Client.ChunkState(64, garbage);
        device.Client.Transfer(blob, reply with { State = state });

        Assert.AreEqual(160u, state.ReceivedUpTo);
        Assert.AreEqual(TestModels.PayloadCrc(blob), device.Client.Commit());
        device.AssertAnswersAddOffset(Elements, 2);
    }

    [TestMethod]
    public void Chunk_LaterChunkFirst_StoredAndAcknowledgedByItsBlocks()
    {
        TestDevice device = new();
        byte[] blob = TestModels.AddOffset(Elements, 2, new string('o', 1500));
        LoadReply reply = device.Client.Load(blob);
        // The chunk after a lost one: taken at once, the answer shows its blocks 3 .. 17 after block 2.
        ReceptionState later = device.Client.ChunkState(96, blob.AsSpan(96, 480));
        ReceptionState both = device.Client.ChunkState(64, blob.AsSpan(64, 32));

        Assert.AreEqual(64u, later.ReceivedUpTo);
        Assert.IsFalse(later.Has(2));
        Assert.IsTrue(Enumerable.Range(3, 15).All(later.Has));
        Assert.IsFalse(later.Has(18));
        Assert.AreEqual(576u, both.ReceivedUpTo, "blocks 2 .. 17 in a row: 18 blocks");
        device.Client.Transfer(blob, reply with { State = both });
        Assert.AreEqual(TestModels.PayloadCrc(blob), device.Client.Commit());
    }

    [TestMethod]
    public void Chunk_BeyondTheReceiveWindow_NotStoredButAnswered()
    {
        TestDevice device = new();
        byte[] blob = TestModels.AddOffset(Elements, 2, new string('f', 9000));
        device.Client.Load(blob);
        int outside = (2 + Protocol.ReceiveWindowBlocks) * Protocol.BlockBytes;

        ReceptionState state = device.Client.ChunkState((uint)outside, blob.AsSpan(outside, 64));

        Assert.AreEqual(64u, state.ReceivedUpTo);
        Assert.IsTrue(state.Blocks.All(bits => bits == 0));
    }

    [TestMethod]
    public void Chunk_NotOnABlockOrPartialBlockBeforeTheEnd_BadChunk()
    {
        TestDevice device = new();
        byte[] blob = TestModels.AddOffset(Elements, 1, new string('p', 1000));
        device.Client.Load(blob);

        AssertError(device.Client.Request(MessageType.Chunk, TestClient.ChunkPayload(65, blob.AsSpan(65, 32))), ProtocolError.BadChunk, MessageType.Chunk, 64);
        AssertError(device.Client.Request(MessageType.Chunk, TestClient.ChunkPayload(64, blob.AsSpan(64, 40))), ProtocolError.BadChunk, MessageType.Chunk, 64);
        AssertError(device.Client.Request(MessageType.Chunk, TestClient.ChunkPayload(64, Array.Empty<byte>())), ProtocolError.BadPayload, MessageType.Chunk, 0);
    }

    [TestMethod]
    public void Chunk_LargerThanMaxChunk_DroppedAsTooLongAndTheTransferGoesOn()
    {
        TestDevice device = new();
        byte[] blob = TestModels.AddOffset(Elements, 3, new string('L', 6000));
        LoadReply reply = device.Client.Load(blob);
        int dropped = device.Server.FramesDropped;

        device.Client.Send(MessageType.Chunk, 200, TestClient.ChunkPayload(64, blob.AsSpan(64, reply.MaxChunk + Protocol.BlockBytes)));

        Assert.IsEmpty(device.Client.Pump());
        Assert.AreEqual(dropped + 1, device.Server.FramesDropped);
        Assert.AreEqual(64, device.Server.TransferReceived);
        device.Client.Transfer(blob, reply);
        Assert.AreEqual(TestModels.PayloadCrc(blob), device.Client.Commit());
        device.AssertAnswersAddOffset(Elements, 3);
    }

    [TestMethod]
    public void Chunk_ShortLastBlock_CompletesTheTransfer()
    {
        TestDevice device = new();
        byte[] blob = TestModels.AddOffset(Elements, 3, new string('z', 333));
        Assert.AreNotEqual(0, blob.Length % Protocol.BlockBytes, "a model whose last block is short");
        LoadReply reply = device.Client.Load(blob);
        int last = (blob.Length / Protocol.BlockBytes) * Protocol.BlockBytes;
        device.Client.Chunk((uint)last, blob.AsSpan(last));

        device.Client.Transfer(blob, reply);

        Assert.AreEqual(TestModels.PayloadCrc(blob), device.Client.Commit());
        device.AssertAnswersAddOffset(Elements, 3);
    }

    [TestMethod]
    public void Chunk_OffsetNearUInt32Max_BadChunk()
    {
        TestDevice device = new();
        device.Client.Load(TestModels.AddOffset(Elements, 1));

        ReceivedFrame answer = device.Client.Request(MessageType.Chunk, TestClient.ChunkPayload(uint.MaxValue - 2, new byte[10]));

        AssertError(answer, ProtocolError.BadChunk, MessageType.Chunk, 64);
    }

    [TestMethod]
    public void Resume_AfterDisconnectMidChunk_ContinuesWhereItStopped()
    {
        TestDevice device = new();
        byte[] blob = TestModels.AddOffset(Elements, 5, new string('r', 9000));
        LoadReply reply = device.Client.Load(blob);
        device.Client.Transfer(blob, reply, stopAfterChunks: 2);
        uint received = (uint)device.Server.TransferReceived;
        Assert.AreEqual(64u + 2 * 1952, received);
        // The cable is pulled halfway through the next chunk's frame.
        byte[] next = device.Client.Encode(MessageType.Chunk, 77, TestClient.ChunkPayload(received, blob.AsSpan((int)received, reply.MaxChunk)));
        device.Client.SendRaw(next.Take(next.Length / 2).ToArray());
        device.Server.Poll();
        device.Link.Disconnect();
        TestClient newSession = new(device.Link.Host, device.Server);

        LoadReply resumed = newSession.Load(blob);
        newSession.Transfer(blob, resumed);
        uint crc = newSession.Commit();

        Assert.AreEqual(received, resumed.ResumeOffset);
        Assert.AreEqual(TestModels.PayloadCrc(blob), crc);
        Assert.AreEqual(1, newSession.Retransmissions, "the first LOAD is glued to the half frame and lost");
        new TestDevice(store: device.Store).AssertAnswersAddOffset(Elements, 5);
    }

    [TestMethod]
    public void Load_DifferentModelDuringTransfer_StartsOver()
    {
        TestDevice device = new();
        byte[] first = TestModels.AddOffset(Elements, 1, new string('a', 1000));
        byte[] second = TestModels.AddOffset(Elements, 2, new string('b', 1000));
        device.Client.Load(first);
        device.Client.Chunk(64, first.AsSpan(64, 320));

        LoadReply reply = device.Client.Load(second);
        LoadReply again = device.Client.Load(first);

        Assert.AreEqual(64u, reply.ResumeOffset);
        Assert.AreEqual(64u, again.ResumeOffset);
    }

    [TestMethod]
    public void Load_SameModelAgain_ResumesAtReceivedUpTo()
    {
        TestDevice device = new();
        byte[] blob = TestModels.AddOffset(Elements, 1, new string('s', 1000));
        device.Client.Load(blob);
        device.Client.Chunk(64, blob.AsSpan(64, 320));

        Assert.AreEqual(384u, device.Client.Load(blob).ResumeOffset);
    }

    [TestMethod]
    public void Commit_CorruptedByte_CrcMismatchAndOldModelKeepsAnswering()
    {
        TestDevice device = new();
        device.Deploy(TestModels.AddOffset(Elements, 1));
        byte[] blob = TestModels.AddOffset(Elements, -7);
        byte[] corrupted = (byte[])blob.Clone();
        corrupted[blob.Length - 3] ^= 0x40;

        LoadReply reply = device.Client.Load(corrupted);
        device.Client.Transfer(corrupted, reply);
        ReceivedFrame answer = device.Client.Request(MessageType.Commit, default);

        uint receivedCrc = System.IO.Hashing.Crc32.HashToUInt32(corrupted.AsSpan(64));
        AssertError(answer, ProtocolError.CrcMismatch, MessageType.Commit, receivedCrc);
        Assert.AreEqual(64, device.Server.TransferReceived, "the host sends the bytes after the header again");
        Assert.AreEqual(TestModels.PayloadCrc(TestModels.AddOffset(Elements, 1)), device.Client.Info().ModelCrc);
        Assert.AreEqual(1, device.Store.CommitCount);
        device.AssertAnswersAddOffset(Elements, 1);
    }

    [TestMethod]
    public void Load_DeviceBytesOverModelBudget_RefusedBeforeAllocation()
    {
        byte[] blob = TestModels.AddOffset(Elements, 1);
        int deviceBytes = TestModels.DeviceBytes(blob);
        TestDevice device = new(new DeviceInfo("Tiny", 1, 0, 0, 4096, deviceBytes - 1, 1 << 20));

        ReceivedFrame answer = device.Client.Request(MessageType.Load, blob.AsSpan(0, 64));

        AssertError(answer, ProtocolError.ModelRefused, MessageType.Load, (uint)ModelError.TooLarge);
        Assert.IsFalse(device.Server.TransferInProgress);
        Assert.AreEqual((uint)(deviceBytes - 1), device.Client.Info().MaxModelBytes);
    }

    [TestMethod]
    public void Load_BlobAndModelOverTransferBudget_Refused()
    {
        byte[] blob = TestModels.AddOffset(Elements, 1);
        int needed = TestModels.DeviceBytes(blob) + blob.Length;
        TestDevice refusing = new(new DeviceInfo("Tiny", 1, 0, 0, 4096, 1 << 20, needed - 1));
        TestDevice accepting = new(new DeviceInfo("Tiny", 1, 0, 0, 4096, 1 << 20, needed));

        AssertError(refusing.Client.Request(MessageType.Load, blob.AsSpan(0, 64)), ProtocolError.ModelRefused, MessageType.Load, (uint)ModelError.TooLarge);
        Assert.AreEqual(64u, accepting.Client.Load(blob).ResumeOffset);
    }

    [TestMethod]
    public void Load_WorkOverTheBudget_RefusedFromTheHeaderWithTooMuchWork()
    {
        byte[] blob = TestModels.AddOffset(Elements, 1);
        long work = ModelReader.GetWork(blob, 0);
        TestDevice refusing = new(new DeviceInfo("Slow", 1, 0, 0, 4096, 1 << 20, 1 << 20, work - 1));
        TestDevice accepting = new(new DeviceInfo("Slow", 1, 0, 0, 4096, 1 << 20, 1 << 20, work));

        AssertError(refusing.Client.Request(MessageType.Load, blob.AsSpan(0, 64)), ProtocolError.ModelRefused, MessageType.Load, (uint)ModelError.TooMuchWork);
        Assert.IsFalse(refusing.Server.TransferInProgress);
        Assert.AreEqual((uint)(work - 1), refusing.Client.Info().MaxWorkPerInference);
        accepting.Deploy(blob);
        Assert.AreEqual((uint)work, accepting.Client.Info().ModelWork);
    }

    [TestMethod]
    public void Commit_OlderModelOverTheWorkBudget_RefusedWithTheComputedWork()
    {
        // A version-3 header has no work field: LOAD takes it, COMMIT computes the work and refuses.
        byte[] blob = TestModels.AsVersion3(TestModels.AddOffset(Elements, 1));
        long work = ModelReader.GetWork(TestModels.AddOffset(Elements, 1), 0);
        TestDevice device = new(new DeviceInfo("Slow", 1, 0, 0, 4096, 1 << 20, 1 << 20, work - 1));

        LoadReply reply = device.Client.Load(blob);
        device.Client.Transfer(blob, reply);
        ReceivedFrame answer = device.Client.Request(MessageType.Commit, default);

        AssertError(answer, ProtocolError.ModelRefused, MessageType.Commit, (uint)ModelError.TooMuchWork);
        Assert.IsFalse(device.Server.HasModel);
    }

    [TestMethod]
    public void Load_HugeMetadataInHeader_RefusedBeforeAllocation()
    {
        // A header may declare 256 MB of host metadata without touching deviceBytes: only the
        // transfer budget stops it.
        TestDevice device = new();
        byte[] header = Headers.WithMetadataBytes(TestModels.AddOffset(Elements, 1), 1 << 28);
        Assert.AreEqual(ModelError.None, ModelReader.CheckHeader(header, 0, 64, int.MaxValue));

        AssertError(device.Client.Request(MessageType.Load, header), ProtocolError.ModelRefused, MessageType.Load, (uint)ModelError.TooLarge);
        Assert.IsFalse(device.Server.TransferInProgress);
    }

    [TestMethod]
    public void Load_MemoryMonitor_BudgetsAreFreeHeapMinusReserve()
    {
        byte[] blob = TestModels.AddOffset(Elements, 1);
        int needed = TestModels.DeviceBytes(blob) + blob.Length;
        FixedMemoryMonitor memory = new(needed + 1000 - 1);
        TestDevice device = new(new DeviceInfo("Monitored", 1, 0, 0, 4096, memory, 1000));

        InfoReply info = device.Client.Info();
        ReceivedFrame refused = device.Client.Request(MessageType.Load, blob.AsSpan(0, 64));
        memory.FreeBytes++;
        LoadReply accepted = device.Client.Load(blob);

        Assert.AreEqual((uint)(needed + 999), info.FreeMemory);
        Assert.AreEqual((uint)(needed - 1), info.MaxModelBytes);
        Assert.AreEqual((uint)(needed - 1), info.TransferBytes);
        AssertError(refused, ProtocolError.ModelRefused, MessageType.Load, (uint)ModelError.TooLarge);
        Assert.AreEqual(64u, accepted.ResumeOffset);
    }

    [TestMethod]
    public void Load_BadHeaders_RefusedWithTheReadersError()
    {
        TestDevice device = new();
        byte[] blob = TestModels.AddOffset(Elements, 1);
        byte[] badMagic = blob.Take(64).ToArray();
        badMagic[0] = (byte)'X';
        byte[] badCrc = blob.Take(64).ToArray();
        badCrc[20] ^= 1;

        AssertError(device.Client.Request(MessageType.Load, badMagic), ProtocolError.ModelRefused, MessageType.Load, (uint)ModelError.BadMagic);
        AssertError(device.Client.Request(MessageType.Load, badCrc), ProtocolError.ModelRefused, MessageType.Load, (uint)ModelError.HeaderCrcMismatch);
        AssertError(device.Client.Request(MessageType.Load, blob.AsSpan(0, 63)), ProtocolError.BadPayload, MessageType.Load, 0);
    }

    [TestMethod]
    public void Reset_KeepsRunningModel()
    {
        TestDevice device = new();
        device.Deploy(TestModels.AddOffset(Elements, 6));

        device.Client.Reset();

        device.AssertAnswersAddOffset(Elements, 6);
    }

    [TestMethod]
    public void Read_StoredModel_ReturnsItsBytes()
    {
        TestDevice device = new();
        byte[] blob = TestModels.AddOffset(Elements, 1, new string('q', 1700));
        device.Deploy(blob);
        int readsBefore = device.Store.ReadCount;

        byte[] read = device.Client.ReadStored(blob.Length);

        CollectionAssert.AreEqual(blob, read);
        Assert.AreEqual(readsBefore + 1, device.Store.ReadCount, "one store read serves consecutive READs");
    }

    [TestMethod]
    public void Read_OutsideTheModel_BadRange()
    {
        TestDevice device = new();
        byte[] blob = TestModels.AddOffset(Elements, 1);
        device.Deploy(blob);

        AssertError(device.Client.Request(MessageType.Read, TestClient.RangePayload((uint)blob.Length - 4, 5)), ProtocolError.BadRange, MessageType.Read, 0);
        AssertError(device.Client.Request(MessageType.Read, TestClient.RangePayload(uint.MaxValue, 1)), ProtocolError.BadRange, MessageType.Read, 0);
    }

    [TestMethod]
    public void Read_LengthZeroOrOver500_BadPayload()
    {
        TestDevice device = new();
        device.Deploy(TestModels.AddOffset(Elements, 1));

        AssertError(device.Client.Request(MessageType.Read, TestClient.RangePayload(0, 0)), ProtocolError.BadPayload, MessageType.Read, 0);
        AssertError(device.Client.Request(MessageType.Read, TestClient.RangePayload(0, 501)), ProtocolError.BadPayload, MessageType.Read, 0);
    }

    [TestMethod]
    public void Read_NothingStored_NoModel()
    {
        TestDevice device = new();

        AssertError(device.Client.Request(MessageType.Read, TestClient.RangePayload(0, 10)), ProtocolError.NoModel, MessageType.Read, 0);
    }

    [TestMethod]
    public void Boot_CorruptStoredModel_IgnoredDeviceStartsWithoutModel()
    {
        byte[] blob = TestModels.AddOffset(Elements, 1);
        blob[blob.Length - 1] ^= 0xFF;
        TestDevice device = new(store: new InMemoryStore { Committed = blob });

        InfoReply info = device.Client.Info();

        Assert.IsFalse(device.Server.HasModel);
        Assert.AreEqual(ModelError.PayloadCrcMismatch, device.Server.BootError);
        Assert.IsFalse(info.ModelLoaded);
        Assert.AreEqual(0u, info.ModelCrc);
        AssertError(device.Client.Request(MessageType.Infer, new byte[Elements]), ProtocolError.NoModel, MessageType.Infer, 0);
        device.Deploy(TestModels.AddOffset(Elements, 1));
        device.AssertAnswersAddOffset(Elements, 1);
    }

    [TestMethod]
    public void Boot_StoredModelTooLargeForBudget_Ignored()
    {
        byte[] blob = TestModels.AddOffset(Elements, 1);
        TestDevice device = new(new DeviceInfo("Tiny", 1, 0, 0, 4096, TestModels.DeviceBytes(blob) - 1, 1 << 20), store: new InMemoryStore { Committed = blob });

        Assert.IsFalse(device.Server.HasModel);
        Assert.AreEqual(ModelError.TooLarge, device.Server.BootError);
    }

    [TestMethod]
    public void Boot_StoreThrows_NoModelAndNoException()
    {
        TestDevice device = new(store: new InMemoryStore { Committed = TestModels.AddOffset(Elements, 1), FailReads = true });

        Assert.IsFalse(device.Server.HasModel);
        Assert.IsFalse(device.Client.Info().ModelLoaded);
    }

    [TestMethod]
    public void Boot_EmptyStore_NoModel()
    {
        TestDevice device = new();

        Assert.IsFalse(device.Server.HasModel);
        Assert.AreEqual(ModelError.None, device.Server.BootError);
    }

    internal static void AssertError(ReceivedFrame frame, int code, int requestType, uint detail)
    {
        Assert.IsTrue(frame.IsError, $"expected ERROR {code}, got {frame}");
        Assert.AreEqual(code, frame.ErrorCode, frame.ToString());
        Assert.AreEqual(requestType, frame.ErrorRequestType, frame.ToString());
        Assert.AreEqual(detail, frame.ErrorDetail, frame.ToString());
    }
}

/// <summary>Headers edited by hand, with their header CRC recomputed.</summary>
internal static class Headers
{
    public static byte[] WithMetadataBytes(byte[] blob, int metadataBytes)
    {
        byte[] header = blob.Take(64).ToArray();
        int oldMetadata = System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(52));
        int totalLength = System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(8));
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(52), metadataBytes);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(8), totalLength - oldMetadata + metadataBytes);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(60), System.IO.Hashing.Crc32.HashToUInt32(header.AsSpan(0, 60)));
        return header;
    }
}
