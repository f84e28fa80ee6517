using System.Text;
using CsCheck;
using HashingCrc32 = System.IO.Hashing.Crc32;
using RuntimeCrc32 = NanoInt8.Runtime.Crc32;

namespace NanoInt8.Host.Tests.Format
{
    /// <summary>The device's table-driven CRC-32 against System.IO.Hashing's zlib CRC-32.</summary>
    [TestClass]
    public class Crc32Tests
    {
        [TestMethod]
        public void Compute_CheckString_IsZlibCheckValue()
        {
            byte[] data = Encoding.ASCII.GetBytes("123456789");

            Assert.AreEqual(0xCBF43926u, RuntimeCrc32.Compute(data, 0, data.Length));
        }

        [TestMethod]
        public void Compute_Empty_IsZero()
        {
            Assert.AreEqual(0u, RuntimeCrc32.Compute(Array.Empty<byte>(), 0, 0));
        }

        [TestMethod]
        public void Compute_RandomData_MatchesSystemIoHashing()
        {
            Gen.Byte.Array[0, 2000].Sample(
                data => Assert.AreEqual(HashingCrc32.HashToUInt32(data), RuntimeCrc32.Compute(data, 0, data.Length)),
                iter: 2000);
        }

        [TestMethod]
        public void Compute_RandomSlice_MatchesSystemIoHashing()
        {
            Gen.Byte.Array[1, 500]
                .SelectMany(data => Gen.Int[0, data.Length].SelectMany(start => Gen.Int[0, data.Length - start].Select(count => (data, start, count))))
                .Sample(
                    (data, start, count) => Assert.AreEqual(
                        HashingCrc32.HashToUInt32(data.AsSpan(start, count)),
                        RuntimeCrc32.Compute(data, start, count)),
                    iter: 2000);
        }

        [TestMethod]
        public void Update_SplitAnywhere_MatchesWhole()
        {
            Gen.Byte.Array[0, 500]
                .SelectMany(data => Gen.Int[0, data.Length].Select(split => (data, split)))
                .Sample(
                    (data, split) =>
                    {
                        uint running = RuntimeCrc32.Update(RuntimeCrc32.Initial, data, 0, split);
                        running = RuntimeCrc32.Update(running, data, split, data.Length - split);
                        Assert.AreEqual(HashingCrc32.HashToUInt32(data), RuntimeCrc32.Finish(running));
                    },
                    iter: 2000);
        }
    }
}
