using NanoInt8.Device;
using NanoInt8.Host.Device;
using NanoInt8.Runtime;

namespace NanoInt8.Host.Tests.Device
{
    /// <summary>DeviceClient against the device's own DeviceServer on an emulated board, over an in-memory line.</summary>
    [TestClass]
    public sealed class DeviceClientTests
    {
        [TestMethod]
        public void Hello_EmulatedBoard_ReportsNameVersionAndBudgets()
        {
            using TestBoard board = new TestBoard(modelBudget: 50_000);

            DeviceInformation information = board.Client.Hello();

            Assert.AreEqual(Protocol.Version, information.ProtocolVersion);
            Assert.AreEqual("Test board (emulated)", information.BoardName);
            Assert.AreEqual(EmulatedBoard.FirmwareVersion, information.FirmwareVersion);
            Assert.AreEqual(50_000, information.MaxModelBytes);
            Assert.AreEqual(50_000, information.TransferBytes);
            Assert.IsFalse(information.ModelLoaded);
        }

        [TestMethod]
        public void Deploy_Model_InfoReportsItsCrcAndSizes()
        {
            using TestBoard board = new TestBoard();
            byte[] blob = DeviceTestModels.Dense(seed: 1);

            DeployResult result = board.Client.Deploy(blob);

            Assert.AreEqual(DeviceTestModels.Crc(blob), result.ModelCrc);
            CollectionAssert.AreEqual(new[] { ModelFormat.HeaderSize }, result.ResumeOffsets.ToArray());
            Assert.IsTrue(result.ChunkBytesSent >= blob.Length - ModelFormat.HeaderSize);
            Assert.AreEqual(4096 - 128, result.WindowBytes, "the emulated 4 KB serial buffer less the margin");
            Assert.AreEqual(1952, result.MaxChunk, "61 blocks: two CHUNK frames fit the window");
            Assert.AreEqual(0, result.Retransmissions, "a clean line loses nothing");
            Assert.AreEqual(result.ChunkBytesSent, (long)blob.Length - ModelFormat.HeaderSize, "every byte once");
            DeviceInformation information = board.Client.GetInfo();
            Assert.IsTrue(information.ModelLoaded);
            Assert.AreEqual(DeviceTestModels.Crc(blob), information.ModelCrc);
            Assert.AreEqual(blob.Length, information.ModelLength);
            Assert.AreEqual(128, information.InputBytes);
            Assert.AreEqual(160, information.OutputBytes);
        }

        [TestMethod]
        public void Deploy_ReportsProgressUpToTheWholeModel()
        {
            using TestBoard board = new TestBoard();
            byte[] blob = DeviceTestModels.Dense(seed: 2);
            List<TransferProgress> reports = new List<TransferProgress>();

            board.Client.Deploy(blob, new SynchronousProgress<TransferProgress>(reports.Add));

            Assert.IsTrue(reports.Count > 10, $"{reports.Count} reports");
            Assert.AreEqual(blob.Length, reports[^1].BytesAcknowledged);
            Assert.IsTrue(reports.All(report => report.TotalBytes == blob.Length && report.BytesSent >= report.BytesAcknowledged));
            CollectionAssert.AreEqual(reports.Select(report => report.BytesAcknowledged).Order().ToArray(), reports.Select(report => report.BytesAcknowledged).ToArray());
        }

        [TestMethod]
        public void Infer_AfterDeploy_OutputsOfTheDeviceInterpreter()
        {
            using TestBoard board = new TestBoard();
            byte[] blob = DeviceTestModels.Dense(seed: 3);
            board.Client.Deploy(blob);
            sbyte[] input = DeviceTestModels.RandomInput(128, seed: 4);

            InferenceResult result = board.Client.Infer(input);

            CollectionAssert.AreEqual(DeviceTestModels.RunOnHost(blob, input), result.Outputs);
            Assert.IsTrue(result.ElapsedTicks >= 0);
        }

        [TestMethod]
        public void Infer_InputsAndOutputsBiggerThanAFrame_GoInChunks()
        {
            using TestBoard board = new TestBoard();
            board.Client.Deploy(DeviceTestModels.AddOffset(1500, offset: 7));
            sbyte[] input = DeviceTestModels.RandomInput(1500, seed: 5);

            InferenceResult result = board.Client.Infer(input);

            CollectionAssert.AreEqual(DeviceTestModels.ExpectedAddOffset(input, 7), result.Outputs);
            int inputs = board.Recorder.SentTypes.Count(type => type == MessageType.Input);
            int outputs = board.Recorder.SentTypes.Count(type => type == MessageType.Output);
            Assert.AreEqual(3, inputs, "1500 bytes in INPUTs of at most 508");
            Assert.AreEqual(2, outputs, "1500 bytes: 500 in INFER_RESULT, then two OUTPUTs");
        }

        [TestMethod]
        public void Infer_WithoutModel_ThrowsNoModel()
        {
            using TestBoard board = new TestBoard();

            DeviceModelMismatchException exception = Assert.ThrowsExactly<DeviceModelMismatchException>(() => board.Client.Infer(new sbyte[4]));

            StringAssert.Contains(exception.Message, "no model");
        }

        [TestMethod]
        public void Infer_WrongInputSize_ThrowsDeviceErrorWithExpectedSize()
        {
            using TestBoard board = new TestBoard();
            board.Client.Deploy(DeviceTestModels.AddOffset(8, offset: 1));

            DeviceErrorException exception = Assert.ThrowsExactly<DeviceErrorException>(() => board.Client.Infer(new sbyte[5]));

            Assert.AreEqual(ProtocolError.InputSize, exception.Code);
            StringAssert.Contains(exception.Message, "takes 8 input bytes");
        }

        [TestMethod]
        public void Bench_RunsTheRequestedCount()
        {
            using TestBoard board = new TestBoard();
            board.Client.Deploy(DeviceTestModels.Dense(seed: 6));

            BenchResult result = board.Client.Bench(5);

            Assert.AreEqual(5, result.Runs);
            Assert.IsTrue(result.FastestTicks <= result.SlowestTicks);
            Assert.IsTrue(result.TotalTicks >= result.SlowestTicks);
        }

        [TestMethod]
        public void ReadModel_AfterDeploy_ReturnsTheCommittedBytes()
        {
            using TestBoard board = new TestBoard();
            byte[] blob = DeviceTestModels.Dense(seed: 7);
            board.Client.Deploy(blob);

            byte[] stored = board.Client.ReadModel();

            CollectionAssert.AreEqual(blob, stored);
        }

        [TestMethod]
        public void ReadModel_NothingStored_ThrowsNoModel()
        {
            using TestBoard board = new TestBoard();

            Assert.ThrowsExactly<DeviceModelMismatchException>(() => board.Client.ReadModel());
        }

        [TestMethod]
        public void Reset_KeepsTheRunningModel()
        {
            using TestBoard board = new TestBoard();
            byte[] blob = DeviceTestModels.AddOffset(4, offset: 3);
            board.Client.Deploy(blob);

            board.Client.Reset();

            Assert.AreEqual(DeviceTestModels.Crc(blob), board.Client.GetInfo().ModelCrc);
            CollectionAssert.AreEqual(new sbyte[] { 4, 5, 6, 7 }, board.Client.Infer(new sbyte[] { 1, 2, 3, 4 }).Outputs);
        }

        [TestMethod]
        public void Sensor_EmulatedBoard_SendsResultsUntilStopped()
        {
            using TestBoard board = new TestBoard();
            board.Client.Deploy(DeviceTestModels.AddOffset(4, offset: 0));

            SensorState state = board.Client.SetSensor(enable: true, periodMilliseconds: 5);
            SensorResult? first = board.Client.WaitForSensorResult(5000);
            SensorState stopped = board.Client.SetSensor(enable: false, periodMilliseconds: 0);

            Assert.IsTrue(state.Enabled);
            Assert.IsNotNull(first);
            Assert.AreEqual(1, first.Run);
            Assert.HasCount(4, first.Outputs);
            Assert.IsFalse(stopped.Enabled);
        }

        [TestMethod]
        public void Deploy_ModelTooLargeForDevice_RefusedBeforeAnyLoadOrChunk()
        {
            using TestBoard board = new TestBoard(modelBudget: 10_000);
            byte[] blob = DeviceTestModels.Dense(seed: 8);

            ModelRefusedException exception = Assert.ThrowsExactly<ModelRefusedException>(() => board.Client.Deploy(blob));

            Assert.AreEqual(ModelError.TooLarge, exception.Error);
            Assert.IsTrue(exception.RefusedByHost);
            StringAssert.Contains(exception.Message, "nothing was sent");
            CollectionAssert.DoesNotContain(board.Recorder.SentTypes.ToArray(), MessageType.Load);
            CollectionAssert.DoesNotContain(board.Recorder.SentTypes.ToArray(), MessageType.Chunk);
        }

        [TestMethod]
        public void Deploy_TransferNeedsMoreThanTransferBudget_RefusedByHost()
        {
            // deviceBytes fits the model budget, deviceBytes + totalLength does not.
            byte[] blob = DeviceTestModels.Dense(seed: 9);
            int deviceBytes = ModelReader.GetDeviceBytes(blob, 0);
            using TestBoard board = new TestBoard(modelBudget: deviceBytes + (blob.Length / 2));

            ModelRefusedException exception = Assert.ThrowsExactly<ModelRefusedException>(() => board.Client.Deploy(blob));

            StringAssert.Contains(exception.Message, "transferBytes");
            CollectionAssert.DoesNotContain(board.Recorder.SentTypes.ToArray(), MessageType.Load);
        }

        [TestMethod]
        public void Deploy_HeaderTheDeviceRefuses_ThrowsWithReaderError()
        {
            using TestBoard board = new TestBoard();
            byte[] blob = DeviceTestModels.Dense(seed: 10);
            blob[60] ^= 0x01;

            ModelRefusedException exception = Assert.ThrowsExactly<ModelRefusedException>(() => board.Client.Deploy(blob));

            Assert.AreEqual(ModelError.HeaderCrcMismatch, exception.Error);
            Assert.IsFalse(exception.RefusedByHost);
            StringAssert.Contains(exception.Message, "HeaderCrcMismatch");
            // Only the chunks that go out behind the LOAD before its answer (at most 2 KB of frames: four of 480 bytes).
            Assert.IsLessThanOrEqualTo(4, board.Recorder.SentTypes.Count(type => type == MessageType.Chunk));
        }

        [TestMethod]
        public void Infer_Cancelled_ResetStopsTheDevicesInferenceBetweenOperatorsAndTheDeviceAnswersAgain()
        {
            using TestBoard board = new TestBoard(modelBudget: 1 << 20);
            // 2,000 operators over 200,000 elements: far longer than the 100 ms before the cancellation.
            byte[] blob = DeviceTestModels.RequantizeChain(operators: 2000, elements: 200_000);
            board.Client.Deploy(blob);
            using CancellationTokenSource cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

            Assert.ThrowsExactly<OperationCanceledException>(() => board.Client.Infer(new sbyte[200_000], cancel.Token));
            DeviceInformation information = board.Client.GetInfo();

            Assert.AreEqual(1, board.Board.Server.InferencesInterrupted, "the RESET stopped the inference");
            Assert.AreEqual(DeviceTestModels.Crc(blob), information.ModelCrc, "the model stays");
        }

        [TestMethod]
        [DataRow(1)]
        [DataRow(2)]
        public void Hello_OlderVersionDevice_ThrowsNamingBothVersions(int deviceVersion)
        {
            // A device of protocol version 1 or 2 answers a HELLO of any other version as its spec says:
            // ERROR VersionMismatch with its own version.
            (InMemoryLink host, InMemoryLink device) = InMemoryLink.CreatePair();
            using InMemoryLink hostEnd = host;
            using CancellationTokenSource stop = new CancellationTokenSource();
            Thread fake = new Thread(() => AnswerEveryRequestWithVersionMismatch(device, deviceVersion, stop.Token));
            fake.Start();
            try
            {
                DeviceClient client = new DeviceClient(hostEnd, TestBoard.FastOptions);

                DeviceProtocolException exception = Assert.ThrowsExactly<DeviceProtocolException>(() => client.Hello());

                Assert.AreEqual(deviceVersion, exception.DeviceVersion);
                StringAssert.Contains(exception.Message, $"The device speaks protocol version {deviceVersion}, this hosttool speaks 3");
            }
            finally
            {
                stop.Cancel();
                fake.Join();
                device.Dispose();
            }
        }

        [TestMethod]
        public void Hello_SilentDevice_ThrowsTimeoutNamingTheLink()
        {
            (InMemoryLink host, InMemoryLink device) = InMemoryLink.CreatePair("silent-port");
            using InMemoryLink hostEnd = host;
            using InMemoryLink deviceEnd = device;
            DeviceClient client = new DeviceClient(hostEnd, TestBoard.FastOptions with { Attempts = 2, RequestTimeoutMilliseconds = 50 });

            DeviceTimeoutException exception = Assert.ThrowsExactly<DeviceTimeoutException>(() => client.Hello());

            StringAssert.StartsWith(exception.Message, "No answer from the device on silent-port within ");
            StringAssert.EndsWith(exception.Message, " ms; is the firmware running and the wiring right?");
        }

        private static void AnswerEveryRequestWithVersionMismatch(InMemoryLink link, int deviceVersion, CancellationToken stop)
        {
            FrameDecoder decoder = new FrameDecoder();
            byte[] buffer = new byte[1024];
            byte[] frame = new byte[FrameCodec.MaxFrameLength];
            byte[] wire = new byte[FrameCodec.MaxWireLength];
            while (!stop.IsCancellationRequested)
            {
                int read = link.Read(buffer, 0, buffer.Length, 10);
                for (int offset = 0; offset < read;)
                {
                    offset += decoder.Feed(buffer, offset, read - offset);
                    if (decoder.FrameReady)
                    {
                        LittleEndian.WriteUInt16(frame, FrameCodec.PayloadOffset, ProtocolError.VersionMismatch);
                        frame[FrameCodec.PayloadOffset + 2] = (byte)decoder.Type;
                        LittleEndian.WriteUInt32(frame, FrameCodec.PayloadOffset + 3, (uint)deviceVersion);
                        int length = FrameCodec.Encode(frame, MessageType.Error, decoder.Sequence, 7, wire, 0);
                        link.Write(wire, 0, length);
                    }
                }
            }
        }
    }

    /// <summary>An IProgress that reports on the caller's thread (Progress&lt;T&gt; posts to the thread pool).</summary>
    internal sealed class SynchronousProgress<T> : IProgress<T>
    {
        private readonly Action<T> _report;

        public SynchronousProgress(Action<T> report)
        {
            _report = report;
        }

        public void Report(T value) => _report(value);
    }
}
