using NanoInt8.Device.Tests.Support;
using static NanoInt8.Device.Tests.TransferTests;

namespace NanoInt8.Device.Tests;

/// <summary>HELLO, INFO, INFER, INPUT, OUTPUT and BENCH.</summary>
[TestClass]
public class InferenceTests
{
    [TestMethod]
    public void Hello_SameVersion_InfoDescribesTheBoard()
    {
        TestDevice device = new();

        InfoReply info = device.Client.Hello();

        Assert.AreEqual(3, info.ProtocolVersion);
        Assert.AreEqual((1, 2, 3), (info.FirmwareMajor, info.FirmwareMinor, info.FirmwarePatch));
        Assert.AreEqual(TestDevice.BoardName, info.BoardName);
        Assert.AreEqual(0u, info.FreeMemory, "no memory monitor: unknown");
        Assert.AreEqual((uint)TestDevice.ModelBudget, info.MaxModelBytes);
        Assert.AreEqual((uint)TestDevice.TransferBudget, info.TransferBytes);
        Assert.IsFalse(info.ModelLoaded);
        Assert.AreEqual(0u, info.InputBytes);
    }

    [TestMethod]
    [DataRow(1, DisplayName = "a version-1 host")]
    [DataRow(2, DisplayName = "a version-2 host")]
    [DataRow(4, DisplayName = "a newer host")]
    public void Hello_OtherVersion_VersionMismatchWithDeviceVersion(int hostVersion)
    {
        TestDevice device = new();
        byte[] payload = { (byte)hostVersion, 0 };

        AssertError(device.Client.Request(MessageType.Hello, payload), ProtocolError.VersionMismatch, MessageType.Hello, 3);
    }

    [TestMethod]
    public void Info_BoardNameNotAsciiOrTooLong_SentAsAsciiCutTo64()
    {
        string name = "Board-é-" + new string('n', 100);
        TestDevice device = new(new DeviceInfo(name, 0, 0, 1, 4096, 1000, 1000));

        InfoReply info = device.Client.Info();

        Assert.AreEqual(("Board-?-" + new string('n', 100))[..64], info.BoardName);
    }

    [TestMethod]
    public void Info_WithPayload_BadPayload()
    {
        TestDevice device = new();

        AssertError(device.Client.Request(MessageType.Info, new byte[] { 1 }), ProtocolError.BadPayload, MessageType.Info, 0);
    }

    [TestMethod]
    public void UnknownType_UnknownTypeWithTheRequestType()
    {
        TestDevice device = new();

        AssertError(device.Client.Request(0x42, new byte[] { 1, 2 }), ProtocolError.UnknownType, 0x42, 0);
        AssertError(device.Client.Request(0x00, default), ProtocolError.UnknownType, 0x00, 0);
    }

    [TestMethod]
    public void ResponseTypes_NeverAnswered()
    {
        TestDevice device = new();
        foreach (int type in new[] { 0x80, MessageType.InfoReply, MessageType.SensorResult, MessageType.Error })
        {
            device.Client.Send(type, 5, new byte[] { 1, 2, 3 });
        }

        Assert.IsEmpty(device.Client.Pump());
        Assert.AreEqual(4, device.Server.FramesReceived);
    }

    [TestMethod]
    public void Infer_SmallModel_OutputsAndElapsedFromClock()
    {
        SteppingClock clock = new() { StepPerRead = 1234 };
        TestDevice device = new(clock: clock);
        device.Deploy(TestModels.AddOffset(32, 10));
        sbyte[] input = TestModels.RandomInput(32, 5);

        InferenceResult result = device.Client.Infer(input);

        CollectionAssert.AreEqual(TestModels.ExpectedAddOffset(input, 10), result.Output);
        Assert.AreEqual(1234L, result.ElapsedTicks);
    }

    [TestMethod]
    public void Infer_InputAndOutputLargerThanAFrame_InputChunksAndOutputRequests()
    {
        TestDevice device = new();
        device.Deploy(TestModels.AddOffset(1300, -3));
        sbyte[] input = TestModels.RandomInput(1300, 8);

        InferenceResult result = device.Client.Infer(input);

        CollectionAssert.AreEqual(TestModels.ExpectedAddOffset(input, -3), result.Output);
    }

    [TestMethod]
    public void Infer_ExactlyOneFrameOfInput_SentInline()
    {
        TestDevice device = new();
        device.Deploy(TestModels.AddOffset(512, 1));
        sbyte[] input = TestModels.RandomInput(512, 3);

        InferenceResult result = device.Client.Infer(input);

        CollectionAssert.AreEqual(TestModels.ExpectedAddOffset(input, 1), result.Output);
    }

    [TestMethod]
    public void Infer_TwoInputsTwoOutputs_ConcatenatedInGraphOrder()
    {
        TestDevice device = new();
        device.Deploy(TestModels.TwoInputsTwoOutputs());
        sbyte[] input = { 1, 2, 3, 10, 20, 30, 40, 127 };

        InferenceResult result = device.Client.Infer(input);

        CollectionAssert.AreEqual(new sbyte[] { 2, 3, 4, 8, 18, 28, 38, 125 }, result.Output);
    }

    [TestMethod]
    public void Infer_RepeatedWithoutPayloadAfterInput_SameResult()
    {
        TestDevice device = new();
        device.Deploy(TestModels.AddOffset(600, 2));
        sbyte[] input = TestModels.RandomInput(600, 4);
        InferenceResult first = device.Client.Infer(input);

        ReceivedFrame again = device.Client.Request(MessageType.Infer, TestClient.InferPayload(default));

        Assert.AreEqual(MessageType.InferResult, again.Type, again.ToString());
        CollectionAssert.AreEqual(first.Output.Take(500).Select(value => (byte)value).ToArray(), again.Payload.Skip(12).ToArray());
    }

    [TestMethod]
    public void Infer_WrongInputSize_InputSizeWithExpectedBytes()
    {
        TestDevice device = new();
        device.Deploy(TestModels.AddOffset(32, 1));

        AssertError(device.Client.Request(MessageType.Infer, TestClient.InferPayload(new byte[31])), ProtocolError.InputSize, MessageType.Infer, 32);
        AssertError(device.Client.Request(MessageType.Infer, TestClient.InferPayload(new byte[33])), ProtocolError.InputSize, MessageType.Infer, 32);
    }

    [TestMethod]
    public void Infer_EmptyWithoutStagedInput_InputSize()
    {
        TestDevice device = new();
        device.Deploy(TestModels.AddOffset(700, 1));
        device.Client.Request(MessageType.Input, TestClient.ChunkPayload(0, new byte[508]));

        AssertError(device.Client.Request(MessageType.Infer, TestClient.InferPayload(default)), ProtocolError.InputSize, MessageType.Infer, 700);
    }

    [TestMethod]
    public void Input_OffsetZero_RestartsTheInput()
    {
        TestDevice device = new();
        device.Deploy(TestModels.AddOffset(700, 1));
        device.Client.Request(MessageType.Input, TestClient.ChunkPayload(0, new byte[508]));

        ReceivedFrame restart = device.Client.Request(MessageType.Input, TestClient.ChunkPayload(0, new byte[100]));

        Assert.AreEqual(100u, TestClient.Expect(restart, MessageType.InputAck).UInt32At(0));
    }

    [TestMethod]
    public void Input_EarlyBytes_IgnoredAndAckedWithReceivedUpTo()
    {
        TestDevice device = new();
        device.Deploy(TestModels.AddOffset(700, 1));
        device.Client.Request(MessageType.Input, TestClient.ChunkPayload(0, new byte[100]));

        ReceivedFrame early = device.Client.Request(MessageType.Input, TestClient.ChunkPayload(300, new byte[100]));

        Assert.AreEqual(100u, TestClient.Expect(early, MessageType.InputAck).UInt32At(0));
    }

    [TestMethod]
    public void Input_BeyondInputBytes_InputSize()
    {
        TestDevice device = new();
        device.Deploy(TestModels.AddOffset(700, 1));

        AssertError(device.Client.Request(MessageType.Input, TestClient.ChunkPayload(600, new byte[101])), ProtocolError.InputSize, MessageType.Input, 700);
    }

    [TestMethod]
    public void Output_BeforeAnyInference_BadRange()
    {
        TestDevice device = new();
        device.Deploy(TestModels.AddOffset(700, 1));

        AssertError(device.Client.Request(MessageType.Output, TestClient.RangePayload(0, 10)), ProtocolError.BadRange, MessageType.Output, 0);
    }

    [TestMethod]
    public void Output_OutsideTheOutputs_BadRange()
    {
        TestDevice device = new();
        device.Deploy(TestModels.AddOffset(700, 1));
        device.Client.Infer(TestModels.RandomInput(700, 1));

        AssertError(device.Client.Request(MessageType.Output, TestClient.RangePayload(650, 51)), ProtocolError.BadRange, MessageType.Output, 0);
    }

    [TestMethod]
    public void NoModel_InferInputOutputBenchSensor_NoModel()
    {
        TestDevice device = new();

        AssertError(device.Client.Request(MessageType.Infer, TestClient.InferPayload(new byte[4])), ProtocolError.NoModel, MessageType.Infer, 0);
        AssertError(device.Client.Request(MessageType.Input, TestClient.ChunkPayload(0, new byte[4])), ProtocolError.NoModel, MessageType.Input, 0);
        AssertError(device.Client.Request(MessageType.Output, TestClient.RangePayload(0, 4)), ProtocolError.NoModel, MessageType.Output, 0);
        AssertError(device.Client.Bench(3), ProtocolError.NoModel, MessageType.Bench, 0);
        AssertError(device.Client.Sensor(true, 100), ProtocolError.NoModel, MessageType.Sensor, 0);
    }

    [TestMethod]
    public void Bench_Runs_TotalFastestSlowestFromClock()
    {
        SteppingClock clock = new() { StepPerRead = 50 };
        TestDevice device = new(clock: clock);
        device.Deploy(TestModels.AddOffset(32, 1));

        ReceivedFrame answer = device.Client.Bench(7);

        Assert.AreEqual(MessageType.BenchResult, answer.Type, answer.ToString());
        Assert.HasCount(26, answer.Payload);
        Assert.AreEqual(7, answer.UInt16At(0));
        Assert.AreEqual(350L, answer.Int64At(2));
        Assert.AreEqual(50L, answer.Int64At(10));
        Assert.AreEqual(50L, answer.Int64At(18));
    }

    [TestMethod]
    public void Bench_RealClock_FastestNotAboveSlowest()
    {
        TestDevice device = new();
        device.Deploy(TestModels.AddOffset(1000, 1));

        ReceivedFrame answer = device.Client.Bench(20);

        Assert.AreEqual(20, answer.UInt16At(0));
        Assert.IsLessThanOrEqualTo(answer.Int64At(18), answer.Int64At(10));
        Assert.IsGreaterThanOrEqualTo(answer.Int64At(18), answer.Int64At(2));
    }

    [TestMethod]
    public void Bench_ZeroRuns_BadPayload()
    {
        TestDevice device = new();
        device.Deploy(TestModels.AddOffset(8, 1));

        AssertError(device.Client.Bench(0), ProtocolError.BadPayload, MessageType.Bench, 0);
    }

    [TestMethod]
    public void Bench_ThenOutput_OutputsOfTheStagedInput()
    {
        TestDevice device = new();
        device.Deploy(TestModels.AddOffset(8, 1));
        sbyte[] input = TestModels.RandomInput(8, 2);
        device.Client.Infer(input);

        device.Client.Bench(2);
        ReceivedFrame output = device.Client.Request(MessageType.Output, TestClient.RangePayload(0, 8));

        CollectionAssert.AreEqual(TestModels.ExpectedAddOffset(input, 1).Select(value => (byte)value).ToArray(), output.Payload.Skip(4).ToArray());
    }

    [TestMethod]
    public void Commit_NewModelWithOtherSizes_InferUsesTheNewSizes()
    {
        TestDevice device = new();
        device.Deploy(TestModels.AddOffset(8, 1));
        device.Deploy(TestModels.AddOffset(900, -1));

        Assert.AreEqual(900u, device.Client.Info().InputBytes);
        device.AssertAnswersAddOffset(900, -1);
    }
}
