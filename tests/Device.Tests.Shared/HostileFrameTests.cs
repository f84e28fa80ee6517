namespace NanoInt8.Device.Tests
{
    /// <summary>
    /// Whatever arrives on the link, the server keeps answering correctly and nothing throws inside
    /// it: random bytes and random well-formed frames of every type from a fixed-seed generator,
    /// wrapping sequence numbers, requests split across reads. Runs on .NET and on nanoCLR (smaller
    /// volumes than the host-only NanoInt8.Device.Tests/HostileInputTests, which also uses System.Random).
    /// </summary>
    [TestClass]
    public class HostileFrameTests
    {
        [TestMethod]
        public void RandomBytes_StillServing()
        {
            ProtocolDriver driver = StartWithModel();
            uint state = 12345;
            byte[] block = new byte[997];
            for (int round = 0; round < 20; round++)
            {
                for (int i = 0; i < block.Length; i++)
                {
                    state = Next(state);
                    block[i] = (byte)(state >> 24);
                }

                driver.SendRaw(block, 0, block.Length);
                Drain(driver);
            }

            AssertStillServing(driver);
        }

        [TestMethod]
        public void RandomFramesOfEveryTypeWithValidCrc_StillServing()
        {
            ProtocolDriver driver = StartWithModel();
            uint state = 777;
            for (int type = 0; type < 256; type++)
            {
                if (type == MessageType.Load || type == MessageType.Commit || type == MessageType.Bench)
                {
                    // A random LOAD/COMMIT replaces or drops the model; a random BENCH runs it up to 65535 times.
                    continue;
                }

                for (int length = 0; length <= 24; length += 3)
                {
                    for (int i = 0; i < length; i++)
                    {
                        state = Next(state);
                        driver.PutByte(i, (int)(state >> 24));
                    }

                    driver.Send(type, length);
                    Drain(driver);
                }
            }

            AssertStillServing(driver);
        }

        [TestMethod]
        public void SequenceNumbers_WrapAround_EveryAnswerEchoesItsSequence()
        {
            ProtocolDriver driver = StartWithModel();
            for (int i = 0; i < 300; i++)
            {
                Assert.IsTrue(driver.Info());
                Assert.AreEqual(driver.Sequence, driver.ResponseSequence);
            }
        }

        [TestMethod]
        public void RequestSplitAcrossReadsAtEveryPosition_Answered()
        {
            ProtocolDriver driver = StartWithModel();
            driver.Link.MaxReadBytes = 1;
            sbyte[] input = DeviceModels.SampleInput();
            for (int reads = 1; reads <= 3; reads++)
            {
                driver.Link.MaxReadBytes = reads;
                Assert.IsTrue(driver.Infer(input) || NextAfterPolls(driver, 64));
                Assert.AreEqual(MessageType.InferResult, driver.ResponseType);
            }
        }

        [TestMethod]
        public void UnknownType_AnsweredUnknownType()
        {
            ProtocolDriver driver = DeviceBench.Start();

            driver.Exchange(0x33, 0);

            DeviceBench.AssertError(driver, ProtocolError.UnknownType, 0x33, 0);
        }

        private static ProtocolDriver StartWithModel()
        {
            ProtocolDriver driver = DeviceBench.Start();
            DeviceBench.Deploy(driver, DeviceModels.AddThree());
            return driver;
        }

        // A linear congruential generator (Numerical Recipes' constants): the same bytes everywhere.
        private static uint Next(uint state)
        {
            return state * 1664525u + 1013904223u;
        }

        private static void Drain(ProtocolDriver driver)
        {
            for (int poll = 0; poll < 8; poll++)
            {
                driver.Poll();
            }

            while (driver.NextResponse())
            {
            }
        }

        private static bool NextAfterPolls(ProtocolDriver driver, int polls)
        {
            for (int poll = 0; poll < polls; poll++)
            {
                if (driver.NextResponse())
                {
                    return true;
                }
            }

            return false;
        }

        private static void AssertStillServing(ProtocolDriver driver)
        {
            driver.Reset();
            Drain(driver);
            DeviceBench.AssertAnswersOffset(driver, 3);
            Assert.AreEqual(0, driver.Server.Faults);
        }
    }
}
