using NanoInt8.Device.Tests.Support;

namespace NanoInt8.Device.Tests;

[TestClass]
public class DeviceInfoTests
{
    [TestMethod]
    [DataRow(1, 1024)]
    [DataRow(2047, 1024)]
    [DataRow(4096, 2048)]
    [DataRow(8192, 4096)]
    [DataRow(1 << 20, 65535)]
    public void TransferWindowBytes_HalfTheSerialBufferWithinTheProtocolsBounds(int serialBufferBytes, int window)
    {
        DeviceInfo info = new("Board", 1, 0, 0, serialBufferBytes, 1000, 1000);

        Assert.AreEqual(window, info.TransferWindowBytes);
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
