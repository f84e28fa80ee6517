using NanoInt8.Device;
using NanoInt8.Runtime;

namespace NanoInt8.DeviceLoop.Tests;

/// <summary>
/// The recorded session replayed against the .NET build of DeviceServer: every step is answered
/// as docs/serial-protocol.md says, and INFER gives what the runtime gives for the sample model
/// (the integer runtime's own semantics, not ONNX Runtime's). NanoClrReplayTests then demands the
/// same bytes from the device build on nanoCLR.
/// </summary>
[TestClass]
public class DeviceLoopTests
{
    private static readonly Lazy<(DeviceLoopScript Script, PlayerAnswers Answers)> Session = new(() =>
    {
        DeviceLoopScript script = DeviceLoopScript.For(File.ReadAllBytes(RepositoryPaths.SampleModel));
        return (script, PlayerAnswers.PlayOnDotNet(script.Bytes));
    });

    private static DeviceLoopScript Script => Session.Value.Script;

    private static PlayerAnswers Answers => Session.Value.Answers;

    [TestMethod]
    public void HelloAndErrorsBeforeAModel_AnsweredAsSpecified()
    {
        Assert.AreEqual(MessageType.InfoReply, Answers.Single(Script.Hello).Type);
        AssertError(Script.HelloWrongVersion, ProtocolError.VersionMismatch, Protocol.Version);
        AssertError(Script.InferWithoutModel, ProtocolError.NoModel, 0);
        Assert.AreEqual(64u, Answers.Single(Script.Load).UInt32At(0));
    }

    [TestMethod]
    public void CorruptedChunk_CommitCrcMismatch()
    {
        AnswerFrame answer = Answers.Single(Script.CorruptCommit);

        Assert.AreEqual(ProtocolError.CrcMismatch, answer.ErrorCode);
    }

    [TestMethod]
    public void LoadAfterCablePulled_ResumesAtTheBytesReceived()
    {
        AnswerFrame answer = Answers.Single(Script.ResumedLoad);

        Assert.IsEmpty(Answers.At(Script.LostLoad), "glued to the half frame on the line");
        Assert.AreEqual(MessageType.LoadAck, answer.Type);
        Assert.AreEqual((uint)Script.ResumeOffset, answer.UInt32At(0));
        AssertError(Script.EarlyCommit, ProtocolError.Incomplete, (uint)Script.ResumeOffset);
    }

    [TestMethod]
    public void FlashRefusesThenWrites_StorageFailedThenCommitAckRepeatedForTheSameSequence()
    {
        uint crc = ModelReader.GetPayloadCrc(Script.Model, 0);

        AssertError(Script.FailedCommit, ProtocolError.StorageFailed, 0);
        AnswerFrame commit = Answers.Single(Script.Commit);
        AnswerFrame repeated = Answers.Single(Script.RepeatedCommit);

        Assert.AreEqual(MessageType.CommitAck, commit.Type);
        Assert.AreEqual(crc, commit.UInt32At(0));
        CollectionAssert.AreEqual(commit.Payload, repeated.Payload);
        Assert.AreEqual(commit.Sequence, repeated.Sequence);
        Assert.AreEqual(1, Answers.Single(Script.InfoLoaded).Payload[6 + Answers.Single(Script.InfoLoaded).Payload[5] + 8], "modelLoaded");
    }

    [TestMethod]
    public void Infer_EveryInput_TheRuntimesOutputsAndTheScriptedElapsedTime()
    {
        for (int i = 0; i < Script.Inputs.Length; i++)
        {
            AnswerFrame answer = Answers.Single(Script.Infers[i]);

            Assert.AreEqual(MessageType.InferResult, answer.Type);
            Assert.AreEqual(ScriptPlayer.TicksPerClockRead, BitConverter.ToInt64(answer.Payload, 0));
            CollectionAssert.AreEqual(Run(Script.Inputs[i]), answer.Payload[12..], $"input {i}");
        }

        CollectionAssert.AreEqual(Run(Script.Inputs[1]), Answers.Single(Script.InferAfterHostile).Payload[12..]);
        CollectionAssert.AreEqual(Run(Script.Inputs[2]), Answers.Single(Script.InferAfterReboot).Payload[12..]);
    }

    [TestMethod]
    public void WrongInputSizeBenchSensorReset_AnsweredAsSpecified()
    {
        AssertError(Script.InferWrongSize, ProtocolError.InputSize, (uint)Script.Inputs[0].Length);
        Assert.AreEqual(MessageType.BenchResult, Answers.Single(Script.Bench).Type);
        IReadOnlyList<AnswerFrame> sensorOn = Answers.At(Script.SensorOn);
        CollectionAssert.AreEqual(new[] { MessageType.SensorAck, MessageType.SensorResult }, sensorOn.Select(frame => frame.Type).ToArray());
        Assert.AreEqual(2u, Answers.Single(Script.SensorTick).UInt32At(0), "the second sensor run, one period later");
        Assert.AreEqual(MessageType.SensorAck, Answers.Single(Script.SensorOff).Type);
        Assert.AreEqual(MessageType.ResetAck, Answers.Single(Script.Reset).Type);
    }

    [TestMethod]
    public void HostileBytesAndFrames_DroppedOrRefusedAndNothingThrows()
    {
        Assert.IsEmpty(Answers.At(Script.Garbage));
        Assert.IsEmpty(Answers.At(Script.Oversized));
        Assert.IsEmpty(Answers.At(Script.BadCrc));
        Assert.IsEmpty(Answers.At(Script.ResponseType), "a response type is never answered");
        AssertError(Script.UnknownType, ProtocolError.UnknownType, 0);
        AssertError(Script.BadPayload, ProtocolError.BadPayload, 0);
        StringAssert.EndsWith(Answers.End, " faults=0");
    }

    [TestMethod]
    public void PowerCycle_ModelReloadedFromStoreAndReadable()
    {
        AnswerFrame info = Answers.Single(Script.InfoAfterReboot);
        AnswerFrame read = Answers.Single(Script.Read);

        Assert.AreEqual(1, info.Payload[6 + info.Payload[5] + 8], "modelLoaded after the power cycle");
        Assert.AreEqual(MessageType.ReadData, read.Type);
        CollectionAssert.AreEqual(Script.Model[..100], read.Payload[4..]);
    }

    private static void AssertError(int step, int code, uint detail)
    {
        AnswerFrame answer = Answers.Single(step);
        Assert.AreEqual(MessageType.Error, answer.Type, $"step {step}");
        Assert.AreEqual(code, answer.ErrorCode, $"step {step}");
        Assert.AreEqual(detail, answer.UInt32At(3), $"step {step}");
    }

    private static byte[] Run(sbyte[] input)
    {
        Assert.AreEqual(ModelError.None, ModelReader.TryRead(Script.Model, int.MaxValue, out Model model));
        Interpreter interpreter = new(model);
        interpreter.SetInput(0, input, 0);
        interpreter.Invoke();
        sbyte[] output = new sbyte[model.GetTensorInfo(model.GetOutputTensor(0)).ElementCount];
        interpreter.GetOutput(0, output, 0);
        return output.Select(value => (byte)value).ToArray();
    }
}
