using NanoInt8.Device.Tests.Support;
using static NanoInt8.Device.Tests.TransferTests;

namespace NanoInt8.Device.Tests;

/// <summary>SENSOR and the unsolicited SENSOR_RESULT.</summary>
[TestClass]
public class SensorTests
{
    private const int Elements = 6;

    [TestMethod]
    public void Sensor_Enabled_FirstRunAtNextPollThenEveryPeriod()
    {
        (TestDevice device, SteppingClock clock, CountingInputSource source) = Create();

        ReceivedFrame ack = device.Client.Sensor(true, 100);
        device.Client.Pump(3);
        int afterFirst = device.Client.SensorResults.Count;
        clock.AdvanceMilliseconds(99);
        device.Client.Pump(3);
        int beforePeriod = device.Client.SensorResults.Count;
        clock.AdvanceMilliseconds(1);
        device.Client.Pump(3);

        Assert.AreEqual(MessageType.SensorAck, ack.Type);
        Assert.AreEqual(1, ack.Payload[0]);
        Assert.AreEqual(100u, ack.UInt32At(1));
        Assert.AreEqual(1, afterFirst);
        Assert.AreEqual(1, beforePeriod);
        Assert.HasCount(2, device.Client.SensorResults);
        Assert.AreEqual(2, source.Reads);
    }

    [TestMethod]
    public void SensorResult_SequenceZeroRunNumberElapsedAndOutputs()
    {
        (TestDevice device, SteppingClock clock, _) = Create();
        clock.StepPerRead = 0;
        device.Client.Sensor(true, 10);

        device.Client.Pump(1);
        clock.AdvanceMilliseconds(10);
        device.Client.Pump(1);

        Assert.HasCount(2, device.Client.SensorResults);
        for (int run = 1; run <= 2; run++)
        {
            ReceivedFrame result = device.Client.SensorResults[run - 1];
            Assert.AreEqual(0, result.Sequence);
            Assert.AreEqual((uint)run, result.UInt32At(0));
            Assert.AreEqual(0L, result.Int64At(4));
            // The source writes 10, then 11 into every element; the model adds 4.
            CollectionAssert.AreEqual(Enumerable.Repeat((byte)(13 + run), Elements).ToArray(), result.Payload.Skip(12).ToArray());
        }
    }

    [TestMethod]
    public void Sensor_EnableByteOtherThanZeroOrOne_BadPayload()
    {
        (TestDevice device, _, _) = Create();

        AssertError(device.Client.Request(MessageType.Sensor, new byte[] { 2, 0, 0, 0, 0 }), ProtocolError.BadPayload, MessageType.Sensor, 0);
        AssertError(device.Client.Request(MessageType.Sensor, new byte[] { 1, 0, 0, 0 }), ProtocolError.BadPayload, MessageType.Sensor, 0);
        Assert.IsFalse(device.Server.SensorEnabled);
    }

    [TestMethod]
    public void Sensor_LateClock_NoBurstOfCatchUpRuns()
    {
        (TestDevice device, SteppingClock clock, CountingInputSource source) = Create();
        device.Client.Sensor(true, 10);
        device.Client.Pump(1);

        clock.AdvanceMilliseconds(1000);
        device.Client.Pump(5);

        Assert.AreEqual(2, source.Reads);
    }

    [TestMethod]
    public void Sensor_SourceThrows_CountedAsFaultAndServing()
    {
        SteppingClock clock = new();
        TestDevice device = new(sensor: new ThrowingInputSource(), clock: clock);
        device.Deploy(TestModels.AddOffset(Elements, 4));
        device.Client.Sensor(true, 10);

        device.Client.Pump(3);

        Assert.AreEqual(1, device.Server.Faults);
        device.AssertAnswersAddOffset(Elements, 4);
    }

    private static (TestDevice Device, SteppingClock Clock, CountingInputSource Source) Create()
    {
        SteppingClock clock = new();
        CountingInputSource source = new();
        TestDevice device = new(sensor: source, clock: clock);
        device.Deploy(TestModels.AddOffset(Elements, 4));
        return (device, clock, source);
    }

    private sealed class ThrowingInputSource : IInputSource
    {
        public void Read(sbyte[] input, int offset, int count) => throw new InvalidOperationException("ADC failed");
    }
}
