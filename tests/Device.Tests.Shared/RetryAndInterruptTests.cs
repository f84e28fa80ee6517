namespace NanoInt8.Device.Tests
{
    /// <summary>
    /// Protocol version 2's answers to a host on a bad line or in a hurry: a request repeated byte for
    /// byte gets its cached answer instead of a second run, INFER carries as many output bytes as
    /// the host asks for, and a RESET stops an inference between two operators
    /// (docs/serial-protocol.md, "Retransmission", "Inference"). Runs on .NET and on nanoCLR.
    /// </summary>
    [TestClass]
    public class RetryAndInterruptTests
    {
        [TestMethod]
        public void Infer_RepeatedByteForByte_CachedAnswerWithoutASecondRun()
        {
            ProtocolDriver driver = DeviceBench.Start();
            DeviceBench.Deploy(driver, DeviceModels.AddThree());
            int length = driver.PutInfer(DeviceModels.SampleInput(), Protocol.MaxDataLength);
            driver.Send(MessageType.Infer, length);
            Assert.IsTrue(driver.NextResponse());
            byte[] first = Answer(driver);
            int handled = driver.Server.RequestsHandled;

            driver.SendWithSequence(MessageType.Infer, driver.Sequence, length);

            Assert.IsTrue(driver.NextResponse());
            Assert.AreEqual(MessageType.InferResult, driver.ResponseType);
            CollectionAssert.AreEqual(first, Answer(driver));
            Assert.AreEqual(1, driver.Server.RequestsRepeated);
            Assert.AreEqual(handled + 1, driver.Server.RequestsHandled);
        }

        [TestMethod]
        public void Infer_SameSequenceOtherInput_RunAsANewRequest()
        {
            ProtocolDriver driver = DeviceBench.Start();
            DeviceBench.Deploy(driver, DeviceModels.AddThree());
            sbyte[] other = new sbyte[] { 1, 2, 3, 4, 5, 6, 7, 8 };
            driver.Infer(DeviceModels.SampleInput());

            int length = driver.PutInfer(other, Protocol.MaxDataLength);
            driver.SendWithSequence(MessageType.Infer, driver.Sequence, length);

            Assert.IsTrue(driver.NextResponse());
            CollectionAssert.AreEqual(DeviceModels.ExpectedOutput(other, 3), driver.InferOutput());
            Assert.AreEqual(0, driver.Server.RequestsRepeated);
        }

        [TestMethod]
        public void Infer_FewResultBytesAsked_AnswerCarriesThatManyAndTheTotal()
        {
            ProtocolDriver driver = DeviceBench.Start();
            DeviceBench.Deploy(driver, DeviceModels.AddThree());

            Assert.IsTrue(driver.Infer(DeviceModels.SampleInput(), 3));

            Assert.AreEqual(12 + 3, driver.ResponseLength);
            Assert.AreEqual((uint)DeviceModels.Elements, driver.ResponseUInt32(8));
            sbyte[] expected = DeviceModels.ExpectedOutput(DeviceModels.SampleInput(), 3);
            CollectionAssert.AreEqual(new[] { expected[0], expected[1], expected[2] }, driver.InferOutput());
        }

        [TestMethod]
        public void Infer_ResultBytesOver500_BadPayload()
        {
            ProtocolDriver driver = DeviceBench.Start();
            DeviceBench.Deploy(driver, DeviceModels.AddThree());

            driver.Infer(DeviceModels.SampleInput(), Protocol.MaxDataLength + 1);

            DeviceBench.AssertError(driver, ProtocolError.BadPayload, MessageType.Infer, 0);
        }

        [TestMethod]
        public void Infer_ResetAlreadyBehindIt_StopsAfterTheFirstOperatorThenResets()
        {
            ProtocolDriver driver = DeviceBench.Start();
            DeviceBench.Deploy(driver, DeviceModels.Chain());
            driver.Send(MessageType.Infer, driver.PutInfer(DeviceModels.SampleInput(), Protocol.MaxDataLength));
            driver.Send(MessageType.Reset, 0);

            Assert.IsTrue(driver.NextResponse());
            DeviceBench.AssertError(driver, ProtocolError.Interrupted, MessageType.Infer, 1);
            Assert.IsTrue(driver.NextResponse());
            Assert.AreEqual(MessageType.ResetAck, driver.ResponseType);
            Assert.AreEqual(1, driver.Server.InferencesInterrupted);
            AssertChainAnswers(driver);
        }

        [TestMethod]
        public void Infer_ResetArrivingWhileItRuns_StopsBetweenOperators()
        {
            ProtocolDriver driver = DeviceBench.Start();
            DeviceBench.Deploy(driver, DeviceModels.Chain());
            driver.Send(MessageType.Infer, driver.PutInfer(DeviceModels.SampleInput(), Protocol.MaxDataLength));
            // The server's first read takes only the INFER: the RESET is still on the line when
            // the inference starts, and the server reads it between the two operators.
            driver.Link.MaxReadBytes = driver.Link.ToDevice.Count;
            driver.Send(MessageType.Reset, 0);

            Assert.IsTrue(driver.NextResponse());
            DeviceBench.AssertError(driver, ProtocolError.Interrupted, MessageType.Infer, 1);
            Assert.IsTrue(driver.NextResponse());
            Assert.AreEqual(MessageType.ResetAck, driver.ResponseType);
            driver.Link.MaxReadBytes = int.MaxValue;
            driver.Sensor(0, 0);
            Assert.AreEqual(MessageType.SensorAck, driver.ResponseType, "still serving");
        }

        [TestMethod]
        public void Bench_ResetBehindIt_InterruptedAndOutputGone()
        {
            ProtocolDriver driver = DeviceBench.Start();
            DeviceBench.Deploy(driver, DeviceModels.Chain());
            driver.PutUInt16(0, 1000);
            driver.Send(MessageType.Bench, 2);
            driver.Send(MessageType.Reset, 0);

            Assert.IsTrue(driver.NextResponse());
            DeviceBench.AssertError(driver, ProtocolError.Interrupted, MessageType.Bench, 1);
            Assert.IsTrue(driver.NextResponse());
            Assert.AreEqual(MessageType.ResetAck, driver.ResponseType);
            driver.PutUInt32(0, 0);
            driver.PutUInt16(4, 1);
            driver.Exchange(MessageType.Output, 6);
            DeviceBench.AssertError(driver, ProtocolError.BadRange, MessageType.Output, 0);
        }

        // The chain model (+3, then -5) on inputs that clamp nowhere on the way: input - 2.
        private static void AssertChainAnswers(ProtocolDriver driver)
        {
            sbyte[] input = new sbyte[] { -100, -50, -1, 0, 1, 50, 100, 120 };
            Assert.IsTrue(driver.Infer(input));
            Assert.AreEqual(MessageType.InferResult, driver.ResponseType);
            CollectionAssert.AreEqual(DeviceModels.ExpectedOutput(input, -2), driver.InferOutput());
        }

        private static byte[] Answer(ProtocolDriver driver)
        {
            byte[] answer = new byte[driver.ResponseLength];
            System.Array.Copy(driver.Response, answer, answer.Length);
            return answer;
        }
    }
}
