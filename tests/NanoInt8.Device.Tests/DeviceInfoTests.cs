using NanoInt8.Device.Tests.Support;

namespace NanoInt8.Device.Tests;

[TestClass]
public class DeviceInfoTests
{
    [TestMethod]
    [DataRow(1, 2048)]
    [DataRow(2176, 2048)]
    [DataRow(2304, 2176)]
    [DataRow(4096, 3968)]
    [DataRow(8192, 8064)]
    [DataRow(1 << 20, 65535)]
    public void TransferWindowBytes_TheSerialBufferLessTheMarginWithinTheProtocolsBounds(int serialBufferBytes, int window)
    {
        DeviceInfo info = new("Board", 1, 0, 0, serialBufferBytes, 1000, 1000);

        Assert.AreEqual(window, info.TransferWindowBytes);
    }

    [TestMethod]
    [DataRow(1, 992)]
    [DataRow(2176, 992)]
    [DataRow(4096, 1952)]
    [DataRow(8192, 4000)]
    [DataRow(1 << 20, 4064)]
    public void MaxChunkBytes_WholeBlocksTwoFramesFitTheWindowWithinBaseAndLargest(int serialBufferBytes, int maxChunk)
    {
        DeviceInfo info = new("Board", 1, 0, 0, serialBufferBytes, 1000, 1000);

        Assert.AreEqual(maxChunk, info.MaxChunkBytes);
        Assert.AreEqual(0, maxChunk % Protocol.BlockBytes);
        if (maxChunk > Protocol.BaseModelChunk)
        {
            int frameWire = Cobs.MaxEncodedLength(FrameCodec.Overhead + 4 + maxChunk) + 1;
            int largerWire = Cobs.MaxEncodedLength(FrameCodec.Overhead + 4 + maxChunk + Protocol.BlockBytes) + 1;
            Assert.IsLessThanOrEqualTo(info.TransferWindowBytes, 2 * frameWire);
            Assert.IsTrue(maxChunk == Protocol.LargestModelChunk || 2 * largerWire > info.TransferWindowBytes, "the largest that fits");
        }
    }

    [TestMethod]
    public void MaxWorkPerInference_AsGivenOrUnlimited()
    {
        Assert.AreEqual(long.MaxValue, new DeviceInfo("Board", 1, 0, 0, 4096, 1000, 1000).MaxWorkPerInference);
        Assert.AreEqual(12345L, new DeviceInfo("Board", 1, 0, 0, 4096, 1000, 1000, 12345).MaxWorkPerInference);
        Assert.AreEqual(777L, new DeviceInfo("Board", 1, 0, 0, 4096, new FixedMemoryMonitor(1000), 10, 777).MaxWorkPerInference);
    }

    [TestMethod]
    public void Budgets_Fixed_AsGiven()
    {
        DeviceInfo info = new("Board", 1, 0, 0, 4096, 1234, 5678);

        Assert.AreEqual(1234, info.GetModelBudget());
        Assert.AreEqual(5678, info.GetTransferBudget());
        Assert.AreEqual(0, info.GetFreeMemory());
    }

    [TestMethod]
    public void Budgets_MemoryMonitor_FreeMinusReserveNeverNegative()
    {
        FixedMemoryMonitor memory = new(50_000);
        DeviceInfo info = new("Board", 1, 0, 0, 4096, memory, DeviceInfo.DefaultReserveBytes);

        Assert.AreEqual(50_000 - 8192, info.GetModelBudget());
        Assert.AreEqual(50_000 - 8192, info.GetTransferBudget());
        memory.FreeBytes = 100;
        Assert.AreEqual(0, info.GetModelBudget());
        Assert.AreEqual(100, info.GetFreeMemory());
    }

    [TestMethod]
    public void Budgets_MegabytesOfPsram_CappedAtTheLargestArray()
    {
        FixedMemoryMonitor memory = new(3_800_000);
        DeviceInfo info = new("Board", 1, 0, 0, 4096, memory, 64 * 1024);

        Assert.AreEqual(DeviceInfo.MaxArrayBytes, info.GetModelBudget());
        Assert.AreEqual(DeviceInfo.MaxArrayBytes, info.GetTransferBudget());
        Assert.AreEqual(3_800_000, info.GetFreeMemory());
    }

    [TestMethod]
    public void Constructor_BadArguments_Throw()
    {
        Assert.ThrowsExactly<ArgumentNullException>(() => new DeviceInfo(null!, 1, 0, 0, 4096, 1, 1));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new DeviceInfo("B", 256, 0, 0, 4096, 1, 1));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new DeviceInfo("B", 1, 0, 0, 0, 1, 1));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new DeviceInfo("B", 1, 0, 0, 4096, -1, 1));
        Assert.ThrowsExactly<ArgumentNullException>(() => new DeviceInfo("B", 1, 0, 0, 4096, (IMemoryMonitor)null!, 0));
    }
}
