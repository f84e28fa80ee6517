using NanoInt8.Device.Tests.Support;

namespace NanoInt8.Device.Tests;

/// <summary>
/// Steady-state requests allocate nothing on the device (the managed heap of a small board is
/// tens of kilobytes and running out of it kills the device). Measured on .NET with the thread's
/// allocation counter around <see cref="DeviceServer.Poll"/> only; the in-memory link allocates
/// nothing once its buffers are large enough.
/// </summary>
[TestClass]
public class AllocationTests
{
    [TestMethod]
    public void Poll_InfoInferOutputBenchReadRequests_AllocateNothing()
    {
        TestDevice device = new();
        device.Deploy(TestModels.AddOffset(700, 1));
        device.Client.Infer(TestModels.RandomInput(700, 1));
        device.Client.ReadStored(100);
        byte[][] requests =
        {
            device.Client.Encode(MessageType.Info, 1, default),
            device.Client.Encode(MessageType.Input, 2, TestClient.ChunkPayload(0, new byte[508])),
            device.Client.Encode(MessageType.Input, 3, TestClient.ChunkPayload(508, new byte[192])),
            device.Client.Encode(MessageType.Infer, 4, TestClient.InferPayload(default)),
            device.Client.Encode(MessageType.Output, 5, TestClient.RangePayload(500, 200)),
            device.Client.Encode(MessageType.Bench, 6, new byte[] { 3, 0 }),
            device.Client.Encode(MessageType.Hello, 7, new byte[] { 2, 0 }),
            device.Client.Encode(0x55, 8, new byte[] { 1 }),
            Enumerable.Repeat((byte)0x99, 40).Append((byte)0).ToArray(),
        };

        long allocated = MeasurePolls(device, requests, requests, rounds: 50);

        Assert.AreEqual(0L, allocated);
    }

    [TestMethod]
    public void Poll_ChunksOfATransfer_AllocateNothing()
    {
        TestDevice device = new();
        byte[] blob = TestModels.AddOffset(8, 1, new string('c', 60_000));
        device.Client.Load(blob);
        List<byte[]> chunks = new();
        for (int offset = 64; offset + Protocol.BaseModelChunk <= blob.Length; offset += Protocol.BaseModelChunk)
        {
            chunks.Add(device.Client.Encode(MessageType.Chunk, chunks.Count & 0xFF, TestClient.ChunkPayload((uint)offset, blob.AsSpan(offset, Protocol.BaseModelChunk))));
        }

        long allocated = MeasurePolls(device, chunks.Take(2).ToArray(), chunks.Skip(2).ToArray(), rounds: 1);

        Assert.AreEqual(64 + chunks.Count * Protocol.BaseModelChunk, device.Server.TransferReceived);
        Assert.AreEqual(0L, allocated);
    }

    [TestMethod]
    public void Poll_Load_AllocatesTheReceiveBufferOnce()
    {
        // Shows the measurement sees allocations: LOAD is where a transfer allocates.
        TestDevice device = new();
        byte[] blob = TestModels.AddOffset(8, 1, new string('l', 20_000));
        byte[] warmUp = device.Client.Encode(MessageType.Load, 1, TestModels.AddOffset(8, 2).AsSpan(0, 64));
        byte[] load = device.Client.Encode(MessageType.Load, 2, blob.AsSpan(0, 64));

        long allocated = MeasurePolls(device, new[] { warmUp }, new[] { load }, rounds: 1);

        Assert.IsGreaterThanOrEqualTo(blob.Length, allocated);
        Assert.IsLessThan(blob.Length + 1024, allocated);
    }

    [TestMethod]
    public void Poll_LoadOverBudget_RefusedWithoutAllocating()
    {
        byte[] blob = TestModels.AddOffset(8, 1, new string('t', 20_000));
        TestDevice device = new(new DeviceInfo("Tiny", 1, 0, 0, 4096, 1 << 20, blob.Length));
        byte[] warmUp = device.Client.Encode(MessageType.Load, 1, blob.AsSpan(0, 64));
        byte[] load = device.Client.Encode(MessageType.Load, 2, blob.AsSpan(0, 64));

        long allocated = MeasurePolls(device, new[] { warmUp }, new[] { load }, rounds: 3);

        Assert.AreEqual(0L, allocated);
        Assert.IsFalse(device.Server.TransferInProgress);
    }

    private static long MeasurePolls(TestDevice device, byte[][] warmUp, byte[][] requests, int rounds)
    {
        // Warm up every path once (JIT, lazily created statics), then measure.
        foreach (byte[] request in warmUp)
        {
            device.Client.SendRaw(request);
            device.Server.Poll();
            device.Client.Pump(0);
        }

        long allocated = 0;
        for (int round = 0; round < rounds; round++)
        {
            foreach (byte[] request in requests)
            {
                device.Client.SendRaw(request);
                long before = GC.GetAllocatedBytesForCurrentThread();
                device.Server.Poll();
                allocated += GC.GetAllocatedBytesForCurrentThread() - before;
                device.Client.Pump(0);
            }
        }

        return allocated;
    }
}
