using NanoInt8.Runtime;

namespace NanoInt8.Device.Tests
{
    /// <summary>
    /// A <see cref="DeviceServer"/> on an in-memory link, store and stepping clock, booted, with a
    /// <see cref="ProtocolDriver"/> at the other end; and the checks the shared tests repeat.
    /// </summary>
    public static class DeviceBench
    {
        /// <summary>Board name the bench's server reports.</summary>
        public const string BoardName = "TestBoard";

        /// <summary>Largest deviceBytes the bench accepts.</summary>
        public const int ModelBudget = 64 * 1024;

        /// <summary>Largest deviceBytes + totalLength of a transfer.</summary>
        public const int TransferBudget = 256 * 1024;

        /// <summary>The serial read buffer the bench's board claims (a window of 3 frames).</summary>
        public const int SerialBufferBytes = 4096;

        /// <summary>A board description with the bench's fixed budgets.</summary>
        public static DeviceInfo Info()
        {
            return new DeviceInfo(BoardName, 1, 2, 3, SerialBufferBytes, ModelBudget, TransferBudget);
        }

        /// <summary>A booted server on an empty store, no sensor, a clock that never moves by itself.</summary>
        public static ProtocolDriver Start()
        {
            return Start(new MemoryModelStore(), null, new SteppingClock());
        }

        /// <summary>A booted server on <paramref name="store"/> with the given sensor (or null) and clock.</summary>
        public static ProtocolDriver Start(MemoryModelStore store, IInputSource sensor, IClock clock)
        {
            MemoryLink link = new MemoryLink();
            DeviceServer server = new DeviceServer(link, store, Info(), sensor, clock);
            server.Boot();
            return new ProtocolDriver(server, link);
        }

        /// <summary>Deploys <paramref name="blob"/> in 64-byte chunks and checks the COMMIT_ACK carries its CRC.</summary>
        public static void Deploy(ProtocolDriver driver, byte[] blob)
        {
            Assert.IsTrue(driver.Deploy(blob, 64), "an answer to every request of the transfer");
            Assert.AreEqual(MessageType.CommitAck, driver.ResponseType);
            Assert.AreEqual(ModelReader.GetPayloadCrc(blob, 0), driver.ResponseUInt32(0));
        }

        /// <summary>The last answer is ERROR with this code, request type and detail.</summary>
        public static void AssertError(ProtocolDriver driver, int code, int requestType, uint detail)
        {
            Assert.AreEqual(MessageType.Error, driver.ResponseType);
            Assert.AreEqual(7, driver.ResponseLength);
            Assert.AreEqual(code, driver.ErrorCode);
            Assert.AreEqual(requestType, (int)driver.Response[2]);
            Assert.AreEqual(detail, driver.ResponseUInt32(3));
        }

        /// <summary>INFER on the sample input is answered as an offset model with this offset would.</summary>
        public static void AssertAnswersOffset(ProtocolDriver driver, int offset)
        {
            sbyte[] input = DeviceModels.SampleInput();
            Assert.IsTrue(driver.Infer(input));
            Assert.AreEqual(MessageType.InferResult, driver.ResponseType);
            Assert.AreEqual((uint)input.Length, driver.ResponseUInt32(8));
            CollectionAssert.AreEqual(DeviceModels.ExpectedOutput(input, offset), driver.InferOutput());
        }

        /// <summary>The payload CRC INFO reports for the running model (0 without one).</summary>
        public static uint RunningModelCrc(ProtocolDriver driver)
        {
            Assert.IsTrue(driver.Info());
            Assert.AreEqual(MessageType.InfoReply, driver.ResponseType);
            int at = 6 + driver.Response[5];
            return driver.ResponseUInt32(at + 9);
        }
    }
}
