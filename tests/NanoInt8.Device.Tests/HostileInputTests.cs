using NanoInt8.Device.Tests.Support;

namespace NanoInt8.Device.Tests;

/// <summary>
/// Whatever arrives on the link, the device keeps serving: after each attack it still answers
/// INFO with the running model and INFER with that model's results, and no exception escaped
/// Poll or was even caught inside it (<see cref="DeviceServer.Faults"/> stays 0).
/// </summary>
[TestClass]
public class HostileInputTests
{
    private const int Elements = 24;
    private const int Offset = 3;

    [TestMethod]
    [DataRow(1)]
    [DataRow(2)]
    [DataRow(3)]
    public void RandomBytes_300KB_StillServing(int seed)
    {
        TestDevice device = Deployed();
        Random random = new(seed);
        byte[] garbage = new byte[300 * 1024];
        random.NextBytes(garbage);

        FeedInBlocks(device, garbage, random);

        AssertStillServing(device);
        Assert.IsGreaterThan(0, device.Server.FramesDropped);
    }

    [TestMethod]
    [DataRow(11)]
    [DataRow(12)]
    public void RandomBytesWithManyDelimiters_StillServing(int seed)
    {
        TestDevice device = Deployed();
        Random random = new(seed);
        byte[] garbage = new byte[200 * 1024];
        random.NextBytes(garbage);
        for (int i = 0; i < garbage.Length; i++)
        {
            if (random.Next(8) == 0)
            {
                garbage[i] = 0;
            }
        }

        FeedInBlocks(device, garbage, random);

        AssertStillServing(device);
    }

    [TestMethod]
    public void RandomFramesOfEveryTypeWithValidCrc_StillServing()
    {
        // Well-formed frames with random payloads: every request type sees truncated, oversized
        // and garbage payloads, and every answer echoes the request's sequence number.
        TestDevice device = Deployed();
        Random random = new(21);
        int[] lengths = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 12, 63, 64, 65, 200, 500, 508, 509, 512 };
        for (int type = 0; type < 256; type++)
        {
            foreach (int length in lengths)
            {
                byte[] payload = new byte[length];
                random.NextBytes(payload);
                if (type == MessageType.Bench && length >= 2)
                {
                    // Keep random BENCH requests short.
                    payload[1] = 0;
                }

                int sequence = random.Next(256);
                device.Client.Send(type, sequence, payload);
                List<ReceivedFrame> answers = device.Client.Pump(2);

                if ((type & MessageType.ResponseFlag) != 0)
                {
                    Assert.IsEmpty(answers, $"type 0x{type:X2} answered");
                }
                else
                {
                    Assert.HasCount(1, answers, $"type 0x{type:X2}, {length} bytes");
                    Assert.AreEqual(sequence, answers[0].Sequence);
                    Assert.AreNotEqual(ProtocolError.DeviceFault, answers[0].ErrorCode, answers[0].ToString());
                }
            }
        }

        device.Client.Sensor(false, 0);
        AssertStillServing(device);
    }

    [TestMethod]
    public void MaximalFramesOfEveryRequestType_StillServing()
    {
        TestDevice device = Deployed();
        Random random = new(31);
        for (int round = 0; round < 4; round++)
        {
            for (int type = 1; type <= MessageType.Sensor; type++)
            {
                byte[] payload = new byte[FrameCodec.MaxPayloadLength];
                random.NextBytes(payload);
                ReceivedFrame answer = device.Client.Request(type, payload);
                Assert.IsTrue(answer.IsError, $"type 0x{type:X2}: {answer}");
            }
        }

        AssertStillServing(device);
    }

    [TestMethod]
    public void TransferOfGarbageAfterValidHeader_RefusedAndOldModelRuns()
    {
        TestDevice device = Deployed();
        byte[] blob = TestModels.AddOffset(Elements, 50, new string('g', 3000));
        byte[] garbage = (byte[])blob.Clone();
        new Random(41).NextBytes(garbage.AsSpan(64));

        device.Client.Transfer(garbage, device.Client.Load(garbage));
        ReceivedFrame answer = device.Client.Request(MessageType.Commit, default);

        Assert.AreEqual(ProtocolError.CrcMismatch, answer.ErrorCode, answer.ToString());
        AssertStillServing(device);
    }

    [TestMethod]
    public void OversizedFrames_DroppedAndStillServing()
    {
        TestDevice device = Deployed();
        for (int i = 0; i < 20; i++)
        {
            device.Client.SendRaw(Enumerable.Repeat((byte)(i + 1), 600 + 100 * i).Append((byte)0).ToArray());
        }

        device.Client.Pump(40);

        Assert.AreEqual(20, device.Server.FramesDropped);
        AssertStillServing(device);
    }

    [TestMethod]
    public void LinkReadThrows_CountedAndPollReturns()
    {
        TestDevice device = Deployed();
        device.Link.Device.ReadFailure = new IOException("UART overrun");

        device.Server.Poll();
        device.Link.Device.ReadFailure = null;

        Assert.AreEqual(1, device.Server.Faults);
        device.AssertAnswersAddOffset(Elements, Offset);
    }

    private static TestDevice Deployed()
    {
        TestDevice device = new();
        device.Deploy(TestModels.AddOffset(Elements, Offset));
        return device;
    }

    private static void FeedInBlocks(TestDevice device, byte[] bytes, Random random)
    {
        int offset = 0;
        while (offset < bytes.Length)
        {
            int count = Math.Min(bytes.Length - offset, random.Next(1, 3000));
            device.Client.SendRaw(bytes.AsSpan(offset, count).ToArray());
            offset += count;
            device.Client.Pump(4);
        }
    }

    private static void AssertStillServing(TestDevice device)
    {
        // A host opening the port sends a delimiter first, ending whatever garbage came before.
        device.Client.SendRaw(new byte[] { 0 });
        device.Client.Forget();
        InfoReply info = device.Client.Info();
        Assert.IsTrue(info.ModelLoaded);
        Assert.AreEqual(TestModels.PayloadCrc(TestModels.AddOffset(Elements, Offset)), info.ModelCrc);
        device.AssertAnswersAddOffset(Elements, Offset, seed: 77);
        Assert.AreEqual(0, device.Server.Faults, "an exception was caught while handling input");
    }
}
