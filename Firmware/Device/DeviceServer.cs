using System;
using NanoInt8.Runtime;

namespace NanoInt8.Device
{
    /// <summary>
    /// The device side of the serial protocol (docs/serial-protocol.md): reads frames from an
    /// <see cref="IByteLink"/>, answers every request, receives and commits models, runs inference
    /// and field-sensor mode. Single-threaded: call <see cref="Boot"/> once, then <see cref="Poll"/>
    /// in a loop (or <see cref="Run"/>).
    /// </summary>
    /// <remarks>
    /// Memory: the frame buffers are allocated here, once; handling a request allocates nothing,
    /// except the three places where the protocol brings a new size: LOAD allocates the receive
    /// buffer (totalLength bytes, after <see cref="ModelReader.CheckHeader(byte[], int, int, int, long)"/> accepted the header and
    /// the transfer budget was checked), COMMIT and <see cref="Boot"/> decode a model and its
    /// staging arrays, and the first READ of a series reads the stored blob.
    /// Nothing that arrives on the link makes <see cref="Poll"/> throw: a malformed frame is
    /// dropped, a bad request is answered with ERROR, and an unexpected exception while handling
    /// one is counted in <see cref="Faults"/> and answered with ERROR DeviceFault.
    /// A request repeated byte for byte right after it was answered (the host did not get the
    /// answer) is not handled again: the cached answer is sent again, so a retried INFER, BENCH or
    /// COMMIT runs once. While an inference runs, the server reads what arrives into its receive
    /// buffer between two operators and stops the inference when a RESET is among it.
    /// </remarks>
    public sealed partial class DeviceServer
    {
        // One link read per Poll; bigger than any frame so a whole window drains in a few polls.
        private const int ReceiveBufferBytes = 1024;

        // A RESET has an empty payload: the decoder that watches for it takes no larger frame.
        private const int ResetWatchPayload = 0;

        private readonly IByteLink _link;
        private readonly IModelStore _store;
        private readonly DeviceInfo _info;
        private readonly IInputSource _sensor;
        private readonly IClock _clock;
        private readonly FrameDecoder _decoder;
        // LOAD_ACK's maxChunk, fixed by the serial buffer (DeviceInfo.MaxChunkBytes); the decoder holds such a CHUNK.
        private readonly int _maxChunk;
        private readonly byte[] _receiveBuffer = new byte[ReceiveBufferBytes];
        private readonly byte[] _responseFrame = new byte[FrameCodec.MaxFrameLength];
        private readonly byte[] _responseWire = new byte[FrameCodec.MaxWireLength];
        private readonly FrameDecoder _resetWatch = new FrameDecoder(ResetWatchPayload);
        private readonly ResetMonitor _resetMonitor;

        // Bytes read from the link and not yet fed to the decoder: [_receiveStart, _receiveEnd); during
        // an inference the RESET watch has looked at them up to _watchedUpTo.
        private int _receiveStart;
        private int _receiveEnd;
        private int _watchedUpTo;

        // The last request handled and its answer, still in _responseWire: an identical frame
        // (type, sequence, length, CRC) is a repetition and gets the same answer again.
        private bool _answerCached;
        private int _cachedType;
        private int _cachedSequence;
        private int _cachedLength;
        private uint _cachedCrc;
        private int _responseWireLength;

        private int _requestsHandled;
        private int _requestsRepeated;
        private int _inferencesInterrupted;
        private int _faults;

        /// <summary>Creates a server that measures time with <see cref="SystemClock"/>.</summary>
        /// <param name="link">The byte stream to the host.</param>
        /// <param name="store">Where the committed model persists.</param>
        /// <param name="info">Board description and memory budgets.</param>
        /// <param name="sensor">Input source of field-sensor mode, or null when the board has none.</param>
        public DeviceServer(IByteLink link, IModelStore store, DeviceInfo info, IInputSource sensor)
            : this(link, store, info, sensor, new SystemClock())
        {
        }

        /// <summary>Creates a server with its own clock (tests drive SENSOR periods with it).</summary>
        /// <param name="link">The byte stream to the host.</param>
        /// <param name="store">Where the committed model persists.</param>
        /// <param name="info">Board description and memory budgets.</param>
        /// <param name="sensor">Input source of field-sensor mode, or null when the board has none.</param>
        /// <param name="clock">Time source for elapsed ticks and sensor periods.</param>
        public DeviceServer(IByteLink link, IModelStore store, DeviceInfo info, IInputSource sensor, IClock clock)
        {
            if (link == null || store == null || info == null || clock == null)
            {
                throw new ArgumentNullException();
            }

            _link = link;
            _store = store;
            _info = info;
            _sensor = sensor;
            _clock = clock;
            // Every request fits 512 payload bytes; CHUNKs may be as large as LOAD_ACK offers.
            _maxChunk = info.MaxChunkBytes;
            int chunkPayload = 4 + _maxChunk;
            _decoder = new FrameDecoder(chunkPayload > FrameCodec.MaxPayloadLength ? chunkPayload : FrameCodec.MaxPayloadLength);
            _resetMonitor = new ResetMonitor(this);
        }

        /// <summary>Valid frames received (requests and anything else with a good CRC).</summary>
        public int FramesReceived
        {
            get { return _decoder.FramesReceived; }
        }

        /// <summary>Malformed frames dropped (bad COBS, length or CRC).</summary>
        public int FramesDropped
        {
            get { return _decoder.FramesDropped; }
        }

        /// <summary>Requests handled (valid frames of a request type, answered or not).</summary>
        public int RequestsHandled
        {
            get { return _requestsHandled; }
        }

        /// <summary>Requests that repeated the one answered last and got its answer again without being handled.</summary>
        public int RequestsRepeated
        {
            get { return _requestsRepeated; }
        }

        /// <summary>Inferences stopped between two operators by a RESET.</summary>
        public int InferencesInterrupted
        {
            get { return _inferencesInterrupted; }
        }

        /// <summary>Exceptions caught while handling a request, polling the link or running a sensor iteration.</summary>
        public int Faults
        {
            get { return _faults; }
        }

        /// <summary>
        /// Starts from the committed model: reads it from the store and validates it completely;
        /// a missing, unreadable or invalid stored model leaves the device without a model
        /// (<see cref="BootError"/> says why). Also clears all protocol state.
        /// </summary>
        public void Boot()
        {
            _decoder.Reset();
            _receiveStart = 0;
            _receiveEnd = 0;
            _answerCached = false;
            AbortTransfer();
            _readCache = null;
            _sensorEnabled = false;
            ReleaseModel();
            _bootError = ModelError.None;

            byte[] blob;
            try
            {
                blob = _store.ReadCommitted();
            }
            catch (Exception)
            {
                _faults++;
                blob = null;
            }

            if (blob == null)
            {
                return;
            }

            try
            {
                Model model;
                ModelError error = ModelReader.TryRead(blob, _info.GetModelBudget(), _info.MaxWorkPerInference, out model);
                if (error != ModelError.None)
                {
                    _bootError = error;
                    return;
                }

                Activate(new Interpreter(model), ModelReader.GetPayloadCrc(blob, 0), blob.Length);
            }
            catch (Exception)
            {
                _faults++;
                ReleaseModel();
            }
        }

        /// <summary>
        /// Reads what the link has (one read), answers every complete request in it, then runs a
        /// field-sensor iteration if one is due. Never throws because of what arrives on the link.
        /// </summary>
        public void Poll()
        {
            if (_receiveStart == _receiveEnd)
            {
                _receiveStart = 0;
                _receiveEnd = ReadLink(false, 0);
            }

            // A request that runs an inference may read more of the line into the buffer meanwhile
            // (ResetArrived): the loop takes those bytes too, in order.
            while (_receiveStart < _receiveEnd)
            {
                _receiveStart += _decoder.Feed(_receiveBuffer, _receiveStart, _receiveEnd - _receiveStart);
                if (_decoder.FrameReady)
                {
                    HandleFrame();
                }
            }

            if (_sensorEnabled)
            {
                RunSensorIfDue();
            }
        }

        /// <summary>Polls forever: the firmware's main loop.</summary>
        public void Run()
        {
            while (true)
            {
                Poll();
            }
        }

        // Reads from the link into the receive buffer from `offset`: waiting for data as the link
        // does, or only what already arrived. Returns the new end of the buffered bytes.
        private int ReadLink(bool availableOnly, int offset)
        {
            int room = _receiveBuffer.Length - offset;
            int received;
            try
            {
                received = availableOnly ? _link.ReadAvailable(_receiveBuffer, offset, room) : _link.Read(_receiveBuffer, offset, room);
            }
            catch (Exception)
            {
                _faults++;
                received = 0;
            }

            if (received < 0 || received > room)
            {
                // A link that reports more than it could have read is broken; ignore the read.
                _faults++;
                received = 0;
            }

            return offset + received;
        }

        /// <summary>Before an inference: the RESET watch starts at the first byte not yet handled.</summary>
        private void WatchForReset()
        {
            _resetWatch.Reset();
            _watchedUpTo = _receiveStart;
        }

        /// <summary>
        /// Between two operators of an inference: reads what has already arrived into the receive
        /// buffer, behind the bytes not yet handled, and watches those bytes for a RESET frame with
        /// a small decoder of its own. The bytes stay in the buffer and are handled in order
        /// afterwards (the RESET too); only the inference stops early.
        /// </summary>
        private bool ResetArrived()
        {
            if (_receiveEnd == _receiveBuffer.Length && _receiveStart > 0)
            {
                int kept = _receiveEnd - _receiveStart;
                Array.Copy(_receiveBuffer, _receiveStart, _receiveBuffer, 0, kept);
                _watchedUpTo -= _receiveStart;
                _receiveStart = 0;
                _receiveEnd = kept;
            }

            if (_receiveEnd < _receiveBuffer.Length)
            {
                // Full of requests still to handle otherwise: a RESET behind them is not readable yet.
                _receiveEnd = ReadLink(true, _receiveEnd);
            }

            while (_watchedUpTo < _receiveEnd)
            {
                _watchedUpTo += _resetWatch.Feed(_receiveBuffer, _watchedUpTo, _receiveEnd - _watchedUpTo);
                if (_resetWatch.FrameReady && _resetWatch.Type == MessageType.Reset)
                {
                    return true;
                }
            }

            return false;
        }

        private void HandleFrame()
        {
            int type = _decoder.Type;
            if ((type & MessageType.ResponseFlag) != 0)
            {
                // Never answer a response type: an echoing line would otherwise ping-pong forever.
                return;
            }

            _requestsHandled++;
            int sequence = _decoder.Sequence;
            int length = _decoder.PayloadLength;
            uint crc = _decoder.FrameCrc;
            if (_answerCached && type == _cachedType && sequence == _cachedSequence && length == _cachedLength && crc == _cachedCrc)
            {
                // The host did not get the answer and asked again: the same answer, not a second run.
                _requestsRepeated++;
                WriteLink(_responseWire, _responseWireLength);
                return;
            }

            _answerCached = false;
            _responseWireLength = 0;
            if (type != MessageType.Read)
            {
                _readCache = null;
            }

            try
            {
                Dispatch(type, sequence, _decoder.Buffer, FrameCodec.PayloadOffset, length);
            }
            catch (Exception)
            {
                _faults++;
                try
                {
                    SendError(sequence, ProtocolError.DeviceFault, type, 0);
                }
                catch (Exception)
                {
                    _faults++;
                }
            }

            if (_responseWireLength > 0)
            {
                _answerCached = true;
                _cachedType = type;
                _cachedSequence = sequence;
                _cachedLength = length;
                _cachedCrc = crc;
            }
        }

        private void Dispatch(int type, int sequence, byte[] frame, int payload, int length)
        {
            switch (type)
            {
                case MessageType.Hello:
                    HandleHello(sequence, frame, payload, length);
                    break;
                case MessageType.Info:
                    if (RequireLength(type, sequence, length, 0))
                    {
                        SendInfo(sequence);
                    }

                    break;
                case MessageType.Load:
                    HandleLoad(sequence, frame, payload, length);
                    break;
                case MessageType.Chunk:
                    HandleChunk(sequence, frame, payload, length);
                    break;
                case MessageType.Commit:
                    HandleCommit(sequence, length);
                    break;
                case MessageType.Infer:
                    HandleInfer(sequence, frame, payload, length);
                    break;
                case MessageType.Bench:
                    HandleBench(sequence, frame, payload, length);
                    break;
                case MessageType.Read:
                    HandleRead(sequence, frame, payload, length);
                    break;
                case MessageType.Reset:
                    HandleReset(sequence, length);
                    break;
                case MessageType.Input:
                    HandleInput(sequence, frame, payload, length);
                    break;
                case MessageType.Output:
                    HandleOutput(sequence, frame, payload, length);
                    break;
                case MessageType.Sensor:
                    HandleSensor(sequence, frame, payload, length);
                    break;
                default:
                    SendError(sequence, ProtocolError.UnknownType, type, 0);
                    break;
            }
        }

        private void HandleHello(int sequence, byte[] frame, int payload, int length)
        {
            if (!RequireLength(MessageType.Hello, sequence, length, 2))
            {
                return;
            }

            if (LittleEndian.ReadUInt16(frame, payload) != Protocol.Version)
            {
                SendError(sequence, ProtocolError.VersionMismatch, MessageType.Hello, Protocol.Version);
                return;
            }

            SendInfo(sequence);
        }

        private void SendInfo(int sequence)
        {
            byte[] response = _responseFrame;
            int at = FrameCodec.PayloadOffset;
            LittleEndian.WriteUInt16(response, at, Protocol.Version);
            response[at + 2] = (byte)_info.FirmwareMajor;
            response[at + 3] = (byte)_info.FirmwareMinor;
            response[at + 4] = (byte)_info.FirmwarePatch;
            byte[] name = _info.BoardNameBytes;
            response[at + 5] = (byte)name.Length;
            Array.Copy(name, 0, response, at + 6, name.Length);
            at += 6 + name.Length;
            LittleEndian.WriteUInt32(response, at, (uint)_info.GetFreeMemory());
            LittleEndian.WriteUInt32(response, at + 4, (uint)_info.GetModelBudget());
            response[at + 8] = (byte)(_interpreter != null ? 1 : 0);
            LittleEndian.WriteUInt32(response, at + 9, _modelCrc);
            LittleEndian.WriteUInt32(response, at + 13, (uint)_modelLength);
            LittleEndian.WriteUInt32(response, at + 17, (uint)_modelDeviceBytes);
            LittleEndian.WriteUInt32(response, at + 21, (uint)_inputBytes);
            LittleEndian.WriteUInt32(response, at + 25, (uint)_outputBytes);
            LittleEndian.WriteUInt32(response, at + 29, (uint)_info.GetTransferBudget());
            long maxWork = _info.MaxWorkPerInference;
            LittleEndian.WriteUInt32(response, at + 33, maxWork > Protocol.NoWorkLimit ? Protocol.NoWorkLimit : (uint)maxWork);
            LittleEndian.WriteUInt32(response, at + 37, _interpreter == null ? 0 : (uint)_interpreter.Model.Work);
            Send(MessageType.InfoReply, sequence, at + 41 - FrameCodec.PayloadOffset);
        }

        private void HandleReset(int sequence, int length)
        {
            if (!RequireLength(MessageType.Reset, sequence, length, 0))
            {
                return;
            }

            AbortTransfer();
            _inputReceived = 0;
            _sensorEnabled = false;
            Send(MessageType.ResetAck, sequence, 0);
        }

        /// <summary>Answers BadPayload and returns false unless the payload has exactly <paramref name="expected"/> bytes.</summary>
        private bool RequireLength(int type, int sequence, int length, int expected)
        {
            if (length == expected)
            {
                return true;
            }

            SendError(sequence, ProtocolError.BadPayload, type, 0);
            return false;
        }

        private void SendUInt32(int type, int sequence, uint value)
        {
            LittleEndian.WriteUInt32(_responseFrame, FrameCodec.PayloadOffset, value);
            Send(type, sequence, 4);
        }

        private void SendError(int sequence, int code, int requestType, uint detail)
        {
            byte[] response = _responseFrame;
            int at = FrameCodec.PayloadOffset;
            LittleEndian.WriteUInt16(response, at, code);
            response[at + 2] = (byte)requestType;
            LittleEndian.WriteUInt32(response, at + 3, detail);
            Send(MessageType.Error, sequence, 7);
        }

        private void Send(int type, int sequence, int payloadLength)
        {
            _responseWireLength = FrameCodec.Encode(_responseFrame, type, sequence, payloadLength, _responseWire, 0);
            WriteLink(_responseWire, _responseWireLength);
        }

        private void WriteLink(byte[] wire, int length)
        {
            _link.Write(wire, 0, length);
        }

        /// <summary>The server's answer to "stop the inference?": a RESET arrived (<see cref="ResetArrived"/>).</summary>
        private sealed class ResetMonitor : IInferenceMonitor
        {
            private readonly DeviceServer _server;

            public ResetMonitor(DeviceServer server)
            {
                _server = server;
            }

            public bool ShouldStop()
            {
                return _server.ResetArrived();
            }
        }
    }
}
