using NanoInt8.Host.Device;

namespace NanoInt8.Host.Tests.Device
{
    /// <summary>The links under the protocol: in-memory, throttled, fault-injecting, serial port.</summary>
    [TestClass]
    public sealed class LinkTests
    {
        [TestMethod]
        public void InMemoryLink_BytesArriveAtTheOtherEnd()
        {
            (InMemoryLink host, InMemoryLink device) = InMemoryLink.CreatePair();
            byte[] buffer = new byte[16];

            host.Write(new byte[] { 1, 2, 3 }, 0, 3);

            Assert.AreEqual(3, device.Read(buffer, 0, buffer.Length, 1000));
            CollectionAssert.AreEqual(new byte[] { 1, 2, 3 }, buffer.Take(3).ToArray());
            Assert.AreEqual(0, device.Read(buffer, 0, buffer.Length, 0));
        }

        [TestMethod]
        public void InMemoryLink_PeerClosed_ReadsLeftoverThenThrowsClosed()
        {
            (InMemoryLink host, InMemoryLink device) = InMemoryLink.CreatePair("line");
            byte[] buffer = new byte[16];
            host.Write(new byte[] { 9 }, 0, 1);

            host.Dispose();

            Assert.AreEqual(1, device.Read(buffer, 0, buffer.Length, 1000));
            SerialLinkClosedException exception = Assert.ThrowsExactly<SerialLinkClosedException>(() => device.Read(buffer, 0, buffer.Length, 1000));
            StringAssert.Contains(exception.Message, "line");
        }

        [TestMethod]
        public void ThrottledLink_BothDirections_AllBytesInOrder()
        {
            (InMemoryLink host, InMemoryLink device) = InMemoryLink.CreatePair();
            using ThrottledLink throttled = new ThrottledLink(device, 921600, TimeSpan.FromMilliseconds(1));
            byte[] data = Enumerable.Range(0, 3000).Select(i => (byte)(i * 7)).ToArray();

            host.Write(data, 0, data.Length);
            byte[] atDevice = ReadExactly(throttled, data.Length);
            throttled.Write(data, 0, data.Length);
            byte[] atHost = ReadExactly(host, data.Length);

            CollectionAssert.AreEqual(data, atDevice);
            CollectionAssert.AreEqual(data, atHost);
        }

        [TestMethod]
        public void FaultInjectingLink_SameSeed_SameDamage()
        {
            byte[] first = SendThroughFaults(seed: 5);
            byte[] second = SendThroughFaults(seed: 5);
            byte[] other = SendThroughFaults(seed: 6);

            CollectionAssert.AreEqual(first, second);
            CollectionAssert.AreNotEqual(first, other);
        }

        [TestMethod]
        public void FaultInjectingLink_Disconnected_ThrowsUntilReopened()
        {
            (InMemoryLink host, InMemoryLink device) = InMemoryLink.CreatePair();
            using FaultInjectingLink link = new FaultInjectingLink(host, LinkFaults.None);
            byte[] buffer = new byte[4];

            link.Disconnect();
            Assert.ThrowsExactly<SerialLinkClosedException>(() => link.Write(buffer, 0, 4));
            Assert.ThrowsExactly<SerialLinkClosedException>(() => link.Read(buffer, 0, 4, 0));
            device.Write(new byte[] { 1, 2 }, 0, 2);
            link.Reopen();
            link.Write(new byte[] { 7 }, 0, 1);

            Assert.AreEqual(0, link.Read(buffer, 0, 4, 0), "what was sent while disconnected is lost");
            Assert.AreEqual(1, device.Read(buffer, 0, 4, 1000));
            device.Dispose();
        }

        [TestMethod]
        public void SerialPortLink_MissingPort_UnavailableWithOneSentence()
        {
            string missing = Path.Combine(Path.GetTempPath(), $"no-such-port-{Guid.NewGuid():N}");

            SerialPortUnavailableException exception = Assert.ThrowsExactly<SerialPortUnavailableException>(() => SerialPortLink.Open(missing, 921600));

            Assert.AreEqual(missing, exception.PortName);
            StringAssert.StartsWith(exception.Message, $"The serial port {missing} does not exist");
        }

        private static byte[] SendThroughFaults(int seed)
        {
            (InMemoryLink host, InMemoryLink device) = InMemoryLink.CreatePair();
            using FaultInjectingLink link = new FaultInjectingLink(host, new LinkFaults { DropRate = 0.01, BitFlipRate = 0.01, DuplicateRate = 0.01, Seed = seed });
            byte[] data = Enumerable.Range(0, 5000).Select(i => (byte)i).ToArray();
            link.Write(data, 0, data.Length);
            byte[] received = new byte[20000];
            int count = device.Read(received, 0, received.Length, 1000);
            device.Dispose();
            Assert.IsTrue(link.BytesDropped > 0 && link.BitsFlipped > 0 && link.BytesDuplicated > 0, "each kind of fault happened");
            CollectionAssert.AreNotEqual(data, received.Take(count).ToArray());
            return received.Take(count).ToArray();
        }

        private static byte[] ReadExactly(ISerialLink link, int count)
        {
            byte[] buffer = new byte[count];
            int read = 0;
            while (read < count)
            {
                int got = link.Read(buffer, read, count - read, 5000);
                Assert.AreNotEqual(0, got, $"only {read} of {count} bytes arrived");
                read += got;
            }

            return buffer;
        }
    }
}
