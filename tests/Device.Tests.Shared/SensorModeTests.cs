namespace NanoInt8.Device.Tests
{
    /// <summary>
    /// SENSOR and the unsolicited SENSOR_RESULT with a scripted input source and a clock moved by
    /// hand (docs/serial-protocol.md, "Field-sensor mode"). Runs on .NET and on nanoCLR.
    /// </summary>
    [TestClass]
    public class SensorModeTests
    {
        [TestMethod]
        public void Sensor_Enabled_FirstRunAtOnceThenEveryPeriodWithTheScriptedReadings()
        {
            SteppingClock clock = new SteppingClock();
            ScriptedInputSource source = new ScriptedInputSource(new sbyte[] { 10, -20, 125 });
            ProtocolDriver driver = DeviceBench.Start(new MemoryModelStore(), source, clock);
            DeviceBench.Deploy(driver, DeviceModels.AddThree());

            Assert.IsTrue(driver.Sensor(1, 100));
            Assert.AreEqual(MessageType.SensorAck, driver.ResponseType);
            Assert.AreEqual((byte)1, driver.Response[0]);
            Assert.AreEqual(100u, driver.ResponseUInt32(1));
            AssertSensorResult(driver, 1, 13);
            clock.AdvanceMilliseconds(99);
            Assert.IsFalse(driver.NextResponse());
            clock.AdvanceMilliseconds(1);
            AssertSensorResult(driver, 2, -17);
            clock.AdvanceMilliseconds(100);
            AssertSensorResult(driver, 3, 127);

            Assert.AreEqual(3, source.Reads);
        }

        [TestMethod]
        public void Sensor_RequestsServedBetweenRuns()
        {
            SteppingClock clock = new SteppingClock();
            ProtocolDriver driver = DeviceBench.Start(new MemoryModelStore(), new ScriptedInputSource(new sbyte[] { 1 }), clock);
            DeviceBench.Deploy(driver, DeviceModels.AddThree());
            driver.Sensor(1, 50);
            AssertSensorResult(driver, 1, 4);

            DeviceBench.AssertAnswersOffset(driver, 3);
        }

        [TestMethod]
        public void Sensor_DisabledOrReset_NoMoreResults()
        {
            SteppingClock clock = new SteppingClock();
            ProtocolDriver driver = DeviceBench.Start(new MemoryModelStore(), new ScriptedInputSource(new sbyte[] { 1 }), clock);
            DeviceBench.Deploy(driver, DeviceModels.AddThree());
            driver.Sensor(1, 10);
            AssertSensorResult(driver, 1, 4);

            driver.Sensor(0, 10);
            Assert.AreEqual(MessageType.SensorAck, driver.ResponseType);
            Assert.AreEqual((byte)0, driver.Response[0]);
            clock.AdvanceMilliseconds(1000);
            Assert.IsFalse(driver.NextResponse());

            driver.Sensor(1, 10);
            AssertSensorResult(driver, 1, 4);
            driver.Reset();
            Assert.AreEqual(MessageType.ResetAck, driver.ResponseType);
            clock.AdvanceMilliseconds(1000);
            Assert.IsFalse(driver.NextResponse());
            Assert.IsFalse(driver.Server.SensorEnabled);
        }

        [TestMethod]
        public void Sensor_WithoutInputSource_AckSaysNotEnabled()
        {
            ProtocolDriver driver = DeviceBench.Start();
            DeviceBench.Deploy(driver, DeviceModels.AddThree());

            driver.Sensor(1, 10);

            Assert.AreEqual(MessageType.SensorAck, driver.ResponseType);
            Assert.AreEqual((byte)0, driver.Response[0]);
        }

        [TestMethod]
        public void Sensor_WithoutModel_NoModel()
        {
            ProtocolDriver driver = DeviceBench.Start(new MemoryModelStore(), new ScriptedInputSource(new sbyte[] { 1 }), new SteppingClock());

            driver.Sensor(1, 10);

            DeviceBench.AssertError(driver, ProtocolError.NoModel, MessageType.Sensor, 0);
        }

        private static void AssertSensorResult(ProtocolDriver driver, int run, int expectedOutput)
        {
            Assert.IsTrue(driver.NextResponse());
            Assert.AreEqual(MessageType.SensorResult, driver.ResponseType);
            Assert.AreEqual(0, driver.ResponseSequence);
            Assert.AreEqual((uint)run, driver.ResponseUInt32(0));
            Assert.AreEqual(12 + DeviceModels.Elements, driver.ResponseLength);
            for (int i = 0; i < DeviceModels.Elements; i++)
            {
                Assert.AreEqual((sbyte)expectedOutput, (sbyte)driver.Response[12 + i]);
            }
        }
    }
}
