using System.Diagnostics;
using System.Globalization;
using NanoInt8.Device;
using NanoInt8.Host.Execution;
using NanoInt8.Runtime;

namespace NanoInt8.Host.Device
{
    /// <summary>
    /// The host side of the serial protocol (docs/serial-protocol.md): HELLO/INFO, model deployment
    /// with selective repeat of blocks and resume, inference, bench, READ of the stored model, RESET and
    /// field-sensor mode, over any <see cref="ISerialLink"/>. Frames are built and parsed with the
    /// device's own codec (NanoInt8.Device).
    /// </summary>
    /// <remarks>
    /// Every request gets a fresh sequence number and is sent again, with the same number, when its
    /// answer does not come in time; the device answers a repetition from its cached answer, so a
    /// retried INFER, BENCH or COMMIT runs once. The wait follows the measured round trip (and the
    /// device's own inference time), between 20 ms and the timeout of
    /// <see cref="DeviceClientOptions"/>. Answers to other sequence numbers are ignored,
    /// unsolicited SENSOR_RESULTs are kept for <see cref="WaitForSensorResult"/>. A request fails
    /// with <see cref="DeviceTimeoutException"/> after <see cref="DeviceClientOptions.Attempts"/>
    /// tries during which nothing at all arrived (more on a line measured noisy, where a device that
    /// is there stays silent while every request arrives spoilt: <see cref="LineQuality.SilenceFactor"/>), or after
    /// <see cref="DeviceClientOptions.AttemptsOnNoisyLine"/> tries in all: bytes that arrive without
    /// making a valid frame show a device behind a noisy line, which is worth asking again.
    /// Frame sizes (CHUNK, INPUT, OUTPUT, READ) follow the line's measured error rate
    /// (<see cref="LineQuality"/>). Cancelling an inference or a bench sends RESET, which the
    /// device honours between two operators. The client does not own the link and is not safe for
    /// use by several threads at once.
    /// </remarks>
    public sealed partial class DeviceClient
    {
        private const int MaxQueuedSensorResults = 256;

        private readonly DeviceClientOptions _options;
        private readonly FrameChannel _channel;
        private readonly Queue<SensorResult> _sensorResults = new Queue<SensorResult>();
        private readonly LineQuality _quality = new LineQuality();
        // The largest CHUNK data the line has shown it carries (BlockTransfer grows and resets it);
        // kept for the session like the line's error rate.
        private int _chunkLimit = Protocol.BaseModelChunk;
        private readonly RetransmitTimer _timer;
        private int _sequence;
        private int _answerWireBytes;
        // The header of a model whose transfer started in this session and was not committed.
        private byte[]? _unfinishedHeader;
        private bool _started;

        /// <summary>Creates a client on <paramref name="link"/>; nothing is sent until the first request.</summary>
        /// <param name="link">The line to the device; the caller keeps ownership.</param>
        /// <param name="options">Timeouts and retries; <see cref="DeviceClientOptions.Default"/> when null.</param>
        public DeviceClient(ISerialLink link, DeviceClientOptions? options = null)
        {
            ArgumentNullException.ThrowIfNull(link);
            _options = options ?? DeviceClientOptions.Default;
            ArgumentOutOfRangeException.ThrowIfLessThan(_options.Attempts, 1, nameof(options));
            ArgumentOutOfRangeException.ThrowIfLessThan(_options.AttemptsOnNoisyLine, _options.Attempts, nameof(options));
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(_options.Baud, nameof(options));
            _channel = new FrameChannel(link);
            _timer = new RetransmitTimer(_options.RequestTimeoutMilliseconds);
            // A new session starts where an earlier one is unlikely to have stopped, so the device
            // does not take its first request for a repetition of the last one it answered.
            _sequence = Random.Shared.Next(255);
        }

        /// <summary>The line to the device.</summary>
        public ISerialLink Link => _channel.Link;

        /// <summary>The options in use.</summary>
        public DeviceClientOptions Options => _options;

        /// <summary>The device's last INFO (from <see cref="Hello"/>, <see cref="GetInfo"/> or a deployment), or null.</summary>
        public DeviceInformation? LastInformation { get; private set; }

        /// <summary>The estimated probability that a byte on the line is lost, damaged or doubled, from the frames of this session.</summary>
        public double EstimatedByteErrorRate => _quality.ByteErrorRate;

        /// <summary>
        /// Says HELLO with this host's protocol version and returns the device's INFO.
        /// </summary>
        /// <exception cref="DeviceProtocolException">The device speaks another protocol version.</exception>
        /// <exception cref="DeviceTimeoutException">The device does not answer.</exception>
        public DeviceInformation Hello(CancellationToken cancellationToken = default)
        {
            byte[] payload = new byte[2];
            LittleEndian.WriteUInt16(payload, 0, Protocol.Version);
            Frame reply = Request(MessageType.Hello, payload, cancellationToken);
            if (reply.Type == MessageType.Error && ParseError(reply).Code == ProtocolError.VersionMismatch)
            {
                throw DeviceProtocolException.VersionMismatch((int)ParseError(reply).Detail);
            }

            return StoreInformation(Expect(reply, MessageType.Hello, MessageType.InfoReply));
        }

        /// <summary>Asks for INFO.</summary>
        /// <exception cref="DeviceTimeoutException">The device does not answer.</exception>
        public DeviceInformation GetInfo(CancellationToken cancellationToken = default)
        {
            Frame reply = Request(MessageType.Info, ReadOnlySpan<byte>.Empty, cancellationToken);
            return StoreInformation(Expect(reply, MessageType.Info, MessageType.InfoReply));
        }

        /// <summary>RESET: abandons a transfer under way, forgets staged inputs, stops sensor mode. The running model stays.</summary>
        public void Reset(CancellationToken cancellationToken = default)
        {
            Frame reply = Request(MessageType.Reset, ReadOnlySpan<byte>.Empty, cancellationToken);
            Expect(reply, MessageType.Reset, MessageType.ResetAck, 0);
        }

        /// <summary>Starts or stops field-sensor mode; results then arrive for <see cref="WaitForSensorResult"/>.</summary>
        /// <param name="enable">True to start, false to stop.</param>
        /// <param name="periodMilliseconds">Time between runs.</param>
        /// <param name="cancellationToken">Cancels the wait.</param>
        /// <returns>What the device acknowledged: not enabled on a board without an input source.</returns>
        public SensorState SetSensor(bool enable, long periodMilliseconds, CancellationToken cancellationToken = default)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(periodMilliseconds);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(periodMilliseconds, uint.MaxValue);
            byte[] payload = new byte[5];
            payload[0] = (byte)(enable ? 1 : 0);
            LittleEndian.WriteUInt32(payload, 1, (uint)periodMilliseconds);
            Frame reply = Request(MessageType.Sensor, payload, cancellationToken);
            byte[] ack = Expect(reply, MessageType.Sensor, MessageType.SensorAck, 5);
            if (!enable)
            {
                _sensorResults.Clear();
            }

            return new SensorState(ack[0] != 0, LittleEndian.ReadUInt32(ack, 1));
        }

        /// <summary>The next SENSOR_RESULT, or null when none arrives within <paramref name="timeoutMilliseconds"/>.</summary>
        public SensorResult? WaitForSensorResult(int timeoutMilliseconds, CancellationToken cancellationToken = default)
        {
            if (_sensorResults.Count > 0)
            {
                return _sensorResults.Dequeue();
            }

            long deadline = Deadline(timeoutMilliseconds);
            while (_channel.Receive(deadline, cancellationToken) is Frame frame)
            {
                if (frame.Type == MessageType.SensorResult && TryParseSensorResult(frame) is SensorResult result)
                {
                    return result;
                }
            }

            return null;
        }

        // The wait for a short request's answer: the round trip as measured, and the line time of a request and an answer.
        private int ShortTimeout => Timeout(_timer.Milliseconds, 2 * FrameCodec.MaxWireLength);

        // The longest wait for a short request's answer: the configured timeout and the line time.
        private int LongestShortTimeout => Timeout(_options.RequestTimeoutMilliseconds, 2 * FrameCodec.MaxWireLength);

        /// <summary>Sends a short request until its answer (of any type) arrives; returns that answer.</summary>
        private Frame Request(int type, ReadOnlySpan<byte> payload, CancellationToken cancellationToken)
        {
            return Request(type, payload, RetryBudget.Immediate(this), cancellationToken);
        }

        /// <summary>Sends a request, with the same sequence number each time, until its answer arrives, waiting as <paramref name="retries"/> says.</summary>
        private Frame Request(int type, ReadOnlySpan<byte> payload, RetryBudget retries, CancellationToken cancellationToken)
        {
            int sequence = NextSequence();
            while (true)
            {
                if (SendOnce(type, sequence, payload, retries.Timeout, cancellationToken) is Frame frame)
                {
                    return frame;
                }

                retries.Failed();
            }
        }

        /// <summary>
        /// Sends a request once and waits up to <paramref name="timeoutMilliseconds"/> for its answer;
        /// null when none came. The round trip of a request the device answers at once is measured,
        /// and the fate of its frames (request and answer) counted for the line's error rate.
        /// </summary>
        private Frame? SendOnce(int type, int sequence, ReadOnlySpan<byte> payload, int timeoutMilliseconds, CancellationToken cancellationToken)
        {
            Start();
            long sent = Stopwatch.GetTimestamp();
            int wireBytes = _channel.Send(type, sequence, payload);
            bool worksOnDevice = type is MessageType.Infer or MessageType.Bench or MessageType.Commit;
            long deadline = Deadline(timeoutMilliseconds);
            while (Receive(deadline, cancellationToken) is Frame frame)
            {
                if (frame.Sequence == sequence && IsAnswerTo(frame, type))
                {
                    // Inference and commit times are the device's work, not the line's: only
                    // short requests time the line, and only their silence means a lost frame.
                    if (!worksOnDevice)
                    {
                        _answerWireBytes = Cobs.MaxEncodedLength(FrameCodec.Overhead + frame.Payload.Length) + 1;
                        _quality.Delivered(wireBytes + _answerWireBytes);
                        _timer.Sample(Stopwatch.GetElapsedTime(sent).TotalMilliseconds);
                    }

                    return frame;
                }
            }

            if (!worksOnDevice)
            {
                // The request or its answer was lost; the answer counted as long as the last one.
                _quality.Lost(wireBytes + _answerWireBytes);
            }

            return null;
        }

        /// <summary>
        /// The tries of one request: how long each waits, and when to give up. A request the
        /// device answers at once waits the measured round trip each time: silence then means the
        /// request or its answer was lost. For a request the device works on (an inference, a
        /// commit) a silent try doubles the wait, up to the longest: the device may still be busy,
        /// and a repetition it receives is answered from its cache, not run again. The request
        /// fails when the device has been silent for the longest wait
        /// <see cref="DeviceClientOptions.Attempts"/> times over (times the tries a short exchange
        /// needs at the line's measured error rate), or after
        /// <see cref="DeviceClientOptions.AttemptsOnNoisyLine"/> tries in all.
        /// </summary>
        private sealed class RetryBudget
        {
            private readonly DeviceClient _client;
            private readonly int _longest;
            private readonly bool _growWhileSilent;
            private long _bytesRead;
            private long _silentMilliseconds;
            private long _waited;
            private int _tries;

            /// <summary>Tries of a request the device works on: from <paramref name="firstTimeout"/>, doubling while silent up to <paramref name="longestTimeout"/>.</summary>
            public RetryBudget(DeviceClient client, int firstTimeout, int longestTimeout)
                : this(client, firstTimeout, longestTimeout, growWhileSilent: true)
            {
            }

            private RetryBudget(DeviceClient client, int firstTimeout, int longestTimeout, bool growWhileSilent)
            {
                _client = client;
                _longest = Math.Max(firstTimeout, longestTimeout);
                _growWhileSilent = growWhileSilent;
                Timeout = firstTimeout;
                _bytesRead = client._channel.BytesRead;
            }

            /// <summary>Tries of a request the device answers at once: every try waits the measured round trip.</summary>
            public static RetryBudget Immediate(DeviceClient client)
            {
                return new RetryBudget(client, client.ShortTimeout, client.LongestShortTimeout, growWhileSilent: false);
            }

            /// <summary>How long the next try waits for the answer.</summary>
            public int Timeout { get; private set; }

            /// <summary>A try whose answer did not come within <see cref="Timeout"/>.</summary>
            /// <exception cref="DeviceTimeoutException">The budget is spent.</exception>
            public void Failed()
            {
                _tries++;
                _waited += Timeout;
                long bytesRead = _client._channel.BytesRead;
                if (bytesRead == _bytesRead)
                {
                    _silentMilliseconds += Timeout;
                    Timeout = _growWhileSilent ? (int)Math.Min(_longest, 2L * Timeout) : Timeout;
                }
                else
                {
                    _silentMilliseconds = 0;
                }

                _bytesRead = bytesRead;
                // On a noisy line the device may be silent because every request arrives spoilt: as
                // many more tries as a short exchange needs to get through, within the tries allowed.
                double noise = _client._quality.SilenceFactor((2 * (FrameCodec.Overhead + 2)) + 16, _client._options.AttemptsOnNoisyLine / (double)_client._options.Attempts);
                if (_silentMilliseconds >= (long)(_longest * _client._options.Attempts * noise) || _tries >= _client._options.AttemptsOnNoisyLine)
                {
                    throw new DeviceTimeoutException(_client.Link.Name, (int)Math.Min(int.MaxValue, _waited));
                }
            }

            /// <summary>The request was answered: the next one starts afresh.</summary>
            public void Answered()
            {
                _tries = 0;
                _silentMilliseconds = 0;
                _bytesRead = _client._channel.BytesRead;
            }
        }

        /// <summary>
        /// True when <paramref name="frame"/> can answer a request of <paramref name="requestType"/>:
        /// its response type, or an ERROR naming that request. With the sequence number this keeps
        /// an old answer still on the line (left by an earlier session on the same port) from being
        /// taken for the new one.
        /// </summary>
        private static bool IsAnswerTo(Frame frame, int requestType)
        {
            if (frame.Type == MessageType.Error)
            {
                return frame.Payload.Length == 7 && frame.Payload[2] == requestType;
            }

            int responseType = requestType is MessageType.Hello or MessageType.Info ? MessageType.InfoReply : requestType | MessageType.ResponseFlag;
            return frame.Type == responseType;
        }

        /// <summary>The next frame that is not an unsolicited SENSOR_RESULT (those are queued), or null at the deadline.</summary>
        private Frame? Receive(long deadline, CancellationToken cancellationToken)
        {
            while (_channel.Receive(deadline, cancellationToken) is Frame frame)
            {
                if (frame.Type != MessageType.SensorResult)
                {
                    return frame;
                }

                if (TryParseSensorResult(frame) is SensorResult result && _sensorResults.Count < MaxQueuedSensorResults)
                {
                    _sensorResults.Enqueue(result);
                }
            }

            return null;
        }

        /// <summary>Before the first request (and after the link broke or was reopened): one 0x00 ends any half frame the device holds.</summary>
        private void Start()
        {
            if (!_started || _channel.Broken)
            {
                _channel.SendIdle();
                _started = true;
            }
        }

        private int NextSequence()
        {
            // 1 .. 255: the device uses 0 for its unsolicited messages.
            _sequence = (_sequence % 255) + 1;
            return _sequence;
        }

        /// <summary>Milliseconds <paramref name="wireBytes"/> take on the line at the configured baud (10 bits a byte).</summary>
        private int LineMilliseconds(long wireBytes)
        {
            return (int)Math.Min(int.MaxValue, Math.Ceiling(wireBytes * ThrottledLink.BitsPerByte * 1000.0 / _options.Baud));
        }

        /// <summary>A base timeout plus the time <paramref name="wireBytes"/> take on the line at the configured baud.</summary>
        private int Timeout(int baseMilliseconds, long wireBytes)
        {
            double lineMilliseconds = wireBytes * ThrottledLink.BitsPerByte * 1000.0 / _options.Baud;
            return (int)Math.Min(int.MaxValue, baseMilliseconds + Math.Ceiling(lineMilliseconds));
        }

        private static long Deadline(int timeoutMilliseconds)
        {
            return Stopwatch.GetTimestamp() + (long)(timeoutMilliseconds / 1000.0 * Stopwatch.Frequency);
        }

        /// <summary>
        /// When to give up waiting for an answer and send again: the smoothed round trip plus four
        /// times its variation (Jacobson and Karels; RFC 6298), between <see cref="MinMilliseconds"/>
        /// and the configured timeout (used until the first measurement). A line with a short round
        /// trip then recovers from a lost frame in milliseconds instead of the full timeout. No
        /// back-off: losses here are noise, not congestion, and late answers are measured too, so a
        /// slower device raises the estimate by itself.
        /// </summary>
        private sealed class RetransmitTimer
        {
            private const double MinMilliseconds = 20;
            private readonly double _maxMilliseconds;
            private double _smoothed = -1;
            private double _variation;

            public RetransmitTimer(int maxMilliseconds)
            {
                _maxMilliseconds = maxMilliseconds;
            }

            public int Milliseconds =>
                _smoothed < 0 ? (int)_maxMilliseconds : (int)Math.Clamp(_smoothed + (4 * _variation), MinMilliseconds, _maxMilliseconds);

            public void Sample(double milliseconds)
            {
                if (_smoothed < 0)
                {
                    _smoothed = milliseconds;
                    _variation = milliseconds / 2;
                }
                else
                {
                    _variation = (0.75 * _variation) + (0.25 * Math.Abs(_smoothed - milliseconds));
                    _smoothed = (0.875 * _smoothed) + (0.125 * milliseconds);
                }
            }
        }

        private DeviceInformation StoreInformation(byte[] payload)
        {
            DeviceInformation information = DeviceInformation.Parse(payload);
            if (information.ProtocolVersion != Protocol.Version)
            {
                throw DeviceProtocolException.VersionMismatch(information.ProtocolVersion);
            }

            LastInformation = information;
            return information;
        }

        private static SensorResult? TryParseSensorResult(Frame frame)
        {
            if (frame.Payload.Length < 12)
            {
                return null;
            }

            sbyte[] outputs = new sbyte[frame.Payload.Length - 12];
            Buffer.BlockCopy(frame.Payload, 12, outputs, 0, outputs.Length);
            return new SensorResult(LittleEndian.ReadUInt32(frame.Payload, 0), LittleEndian.ReadInt64(frame.Payload, 4), outputs);
        }

        /// <summary>
        /// The payload of <paramref name="reply"/> when it has the expected type (and length, when
        /// given); an ERROR becomes the matching exception, anything else a protocol exception.
        /// </summary>
        private static byte[] Expect(Frame reply, int requestType, int responseType, int exactLength = -1)
        {
            if (reply.Type == MessageType.Error)
            {
                throw ToException(ParseError(reply));
            }

            if (reply.Type != responseType)
            {
                throw new DeviceProtocolException(
                    $"The device answered {RequestName(requestType)} with message type 0x{reply.Type:X2} instead of 0x{responseType:X2}.");
            }

            if (exactLength >= 0 && reply.Payload.Length != exactLength)
            {
                throw Malformed(requestType, reply);
            }

            return reply.Payload;
        }

        private static DeviceProtocolException Malformed(int requestType, Frame reply)
        {
            return new DeviceProtocolException(
                $"The device answered {RequestName(requestType)} with a malformed 0x{reply.Type:X2} message ({reply.Payload.Length} payload bytes).");
        }

        /// <summary>An ERROR frame's fields.</summary>
        private readonly record struct DeviceError(int Code, int RequestType, uint Detail);

        private static DeviceError ParseError(Frame reply)
        {
            if (reply.Payload.Length != 7)
            {
                throw new DeviceProtocolException($"The device sent a malformed ERROR message ({reply.Payload.Length} payload bytes instead of 7).");
            }

            return new DeviceError(LittleEndian.ReadUInt16(reply.Payload, 0), reply.Payload[2], LittleEndian.ReadUInt32(reply.Payload, 3));
        }

        /// <summary>The exception a device ERROR stands for when the caller has no way around it.</summary>
        private static DeviceException ToException(DeviceError error)
        {
            string request = RequestName(error.RequestType);
            string detail = error.Detail.ToString(CultureInfo.InvariantCulture);
            switch (error.Code)
            {
                case ProtocolError.VersionMismatch:
                    return DeviceProtocolException.VersionMismatch((int)error.Detail);
                case ProtocolError.ModelRefused:
                    return Refused((ModelError)error.Detail, error.RequestType == MessageType.Commit ? "at COMMIT" : "at LOAD");
                case ProtocolError.NoModel:
                    return DeviceModelMismatchException.NoModel();
                case ProtocolError.InputSize:
                    return new DeviceErrorException(error.Code, error.RequestType, error.Detail,
                        $"The model on the device takes {detail} input bytes, a different number than sent; is it the model you meant?");
                default:
                    return new DeviceErrorException(error.Code, error.RequestType, error.Detail,
                        $"The device answered {request} with error {error.Code} ({ErrorName(error.Code)}, detail {detail}).");
            }
        }

        private static ModelRefusedException Refused(ModelError error, string when)
        {
            return new ModelRefusedException(error,
                $"The device refused the model {when}: error {(int)error} ({error}): {ModelLoadException.Describe(error)}.", refusedByHost: false);
        }

        private static string RequestName(int type) => type switch
        {
            MessageType.Hello => "HELLO",
            MessageType.Info => "INFO",
            MessageType.Load => "LOAD",
            MessageType.Chunk => "CHUNK",
            MessageType.Commit => "COMMIT",
            MessageType.Infer => "INFER",
            MessageType.Bench => "BENCH",
            MessageType.Read => "READ",
            MessageType.Reset => "RESET",
            MessageType.Input => "INPUT",
            MessageType.Output => "OUTPUT",
            MessageType.Sensor => "SENSOR",
            _ => $"request 0x{type:X2}",
        };

        private static string ErrorName(int code) => code switch
        {
            ProtocolError.UnknownType => "UnknownType",
            ProtocolError.BadPayload => "BadPayload",
            ProtocolError.VersionMismatch => "VersionMismatch",
            ProtocolError.ModelRefused => "ModelRefused",
            ProtocolError.NoTransfer => "NoTransfer",
            ProtocolError.BadChunk => "BadChunk",
            ProtocolError.Incomplete => "Incomplete",
            ProtocolError.CrcMismatch => "CrcMismatch",
            ProtocolError.NoModel => "NoModel",
            ProtocolError.InputSize => "InputSize",
            ProtocolError.StorageFailed => "StorageFailed",
            ProtocolError.BadRange => "BadRange",
            ProtocolError.DeviceFault => "DeviceFault",
            ProtocolError.Interrupted => "Interrupted",
            _ => "unknown error",
        };
    }
}
