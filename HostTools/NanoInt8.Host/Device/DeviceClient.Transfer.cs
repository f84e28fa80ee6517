using System.Diagnostics;
using System.Globalization;
using NanoInt8.Device;
using NanoInt8.Runtime;

namespace NanoInt8.Host.Device
{
    /// <summary>Model deployment: LOAD, windowed CHUNKs, COMMIT, INFO (docs/serial-protocol.md, "Model transfer").</summary>
    public sealed partial class DeviceClient
    {
        // Rounds without progress (lost or refused chunks), spread over at least the silence limit,
        // before a transfer gives up. A line losing four fifths of its frames still gets through
        // well within this; a device that answers but never takes a chunk does not.
        private const int MaxRoundsWithoutProgress = 64;

        // LOAD/COMMIT rounds (line corruption caught by the payload CRC, a device that lost the
        // transfer) before a transfer gives up.
        private const int MaxRestarts = 4;

        /// <summary>
        /// Sends an .ni8 model to the device and makes it the running model: checks that it fits the
        /// device's INFO budgets before sending a byte of it, LOADs its header, streams CHUNKs with
        /// LOAD_ACK's window in flight (go-back-N on a timeout or a repeated cumulative ack),
        /// COMMITs, and reads INFO back to confirm the CRC. COMMIT follows the last chunk and INFO
        /// follows COMMIT without waiting for their answers, which the device gives in order, so
        /// the line stays busy to the end.
        /// </summary>
        /// <remarks>
        /// When the link breaks, the client reopens it (if it can) and resumes where the device's
        /// LOAD_ACK says; when it cannot, the device keeps what it received and calling Deploy again
        /// with the same model resumes there. A refused or corrupted model never replaces the running one.
        /// </remarks>
        /// <param name="blob">The whole .ni8 model.</param>
        /// <param name="progress">Receives <see cref="TransferProgress"/> as acknowledgements arrive.</param>
        /// <param name="cancellationToken">Stops the transfer; the device keeps what it acknowledged.</param>
        /// <exception cref="ModelRefusedException">The model does not fit, or the device's model reader refused it.</exception>
        /// <exception cref="TransferFailedException">The line kept failing, or the device could not store or confirm the model.</exception>
        /// <exception cref="DeviceTimeoutException">The device does not answer at all.</exception>
        public DeployResult Deploy(byte[] blob, IProgress<TransferProgress>? progress = null, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(blob);
            if (blob.Length < ModelFormat.HeaderSize || ModelReader.GetTotalLength(blob, 0) != blob.Length)
            {
                throw new ArgumentException("The blob is not a whole .ni8 model: it is shorter than its header's totalLength says, or longer.", nameof(blob));
            }

            CheckFits(blob, LastInformation ?? Hello(cancellationToken));
            uint expectedCrc = ModelReader.GetPayloadCrc(blob, 0);
            TransferState state = new TransferState(blob.Length);
            long wireStart = _channel.BytesWritten;
            int restarts = 0;
            int reconnections = 0;
            (int ResumeOffset, int MaxChunk, int Window) load = default;
            int resumeOffset = -1;
            // COMMIT goes out right behind the last chunk instead of after its acknowledgement; if
            // anything was lost the device answers Incomplete and from then on the sender waits.
            bool pipelineCommit = true;
            DeviceInformation? information = null;
            while (information is null)
            {
                try
                {
                    if (resumeOffset < 0)
                    {
                        load = Load(blob, cancellationToken);
                        state.ResumeOffsets.Add(load.ResumeOffset);
                        resumeOffset = load.ResumeOffset;
                    }

                    SendWindowed(MessageType.Chunk, MessageType.ChunkAck, blob, resumeOffset, load.MaxChunk, load.Window, state, progress, cancellationToken, untilSent: pipelineCommit);
                    information = CommitAndConfirm(blob, expectedCrc, state, cancellationToken, out resumeOffset);
                    if (information is not null)
                    {
                        break;
                    }

                    pipelineCommit = false;
                }
                catch (SerialLinkClosedException exception)
                {
                    if (reconnections >= _options.ReconnectAttempts || !TryReopen(cancellationToken))
                    {
                        throw new TransferFailedException(
                            $"The link to the device on {Link.Name} broke after {Bytes(state.Acknowledged)} of {Bytes(blob.Length)} bytes and could not be reopened; deploy the model again to resume after byte {Bytes(state.Acknowledged)}.",
                            state.Acknowledged, exception);
                    }

                    reconnections++;
                    resumeOffset = -1;
                    continue;
                }
                catch (DeviceTimeoutException exception) when (state.Acknowledged > ModelFormat.HeaderSize)
                {
                    throw new TransferFailedException(
                        $"The device on {Link.Name} stopped answering after {Bytes(state.Acknowledged)} of {Bytes(blob.Length)} bytes; check the board, then deploy the model again to resume.",
                        state.Acknowledged, exception);
                }
                catch (DeviceErrorException exception) when (exception.Code == ProtocolError.NoTransfer)
                {
                    // The device lost the transfer (it was reset or rebooted): LOAD again.
                    resumeOffset = -1;
                }

                if (++restarts > MaxRestarts)
                {
                    throw new TransferFailedException(
                        $"The model did not arrive intact on the device after {restarts} attempts; the line is too noisy, try a lower baud rate or shorter wires.",
                        state.Acknowledged);
                }
            }

            state.Acknowledged = blob.Length;
            progress?.Report(state.Progress(blob.Length));
            return new DeployResult
            {
                ModelBytes = blob.Length,
                ModelCrc = expectedCrc,
                ResumeOffsets = state.ResumeOffsets,
                ChunkBytesSent = state.ChunkBytesSent,
                BytesResent = state.BytesResent,
                Retransmissions = state.Retransmissions,
                Reconnections = reconnections,
                Window = load.Window,
                MaxChunk = load.MaxChunk,
                WireBytesWritten = _channel.BytesWritten - wireStart,
                Elapsed = Stopwatch.GetElapsedTime(state.StartTimestamp),
                Device = information,
            };
        }

        /// <summary>Refuses, before a byte of it is sent, a model the device's INFO says cannot fit.</summary>
        private static void CheckFits(byte[] blob, DeviceInformation information)
        {
            long deviceBytes = ModelReader.GetDeviceBytes(blob, 0);
            // The device's own rule (ModelReader.FitsBudget): deviceBytes and the interpreter's records
            // beyond its reserve. A blob the host cannot read is left to the device to refuse.
            long preparedBytes = ModelReader.TryRead(blob, int.MaxValue, out Model? model) == ModelError.None && model is not null
                ? Interpreter.PreparedBytes(model)
                : 0;
            if (!ModelReader.FitsBudget(deviceBytes, preparedBytes, information.MaxModelBytes))
            {
                throw new ModelRefusedException(ModelError.TooLarge,
                    $"The model needs {Bytes(deviceBytes)} bytes of device memory and {Bytes(preparedBytes)} of interpreter records but the device offers at most {Bytes(information.MaxModelBytes)} (INFO maxModelBytes; records up to {Bytes(ModelReader.PreparedBytesInReserve)} come from its reserve); nothing was sent.",
                    refusedByHost: true);
            }

            long transferBytes = deviceBytes + blob.Length;
            if (transferBytes > information.TransferBytes)
            {
                throw new ModelRefusedException(ModelError.TooLarge,
                    $"Receiving the model needs {Bytes(transferBytes)} bytes on the device ({Bytes(deviceBytes)} device bytes while the {Bytes(blob.Length)}-byte file is still held) but the device offers at most {Bytes(information.TransferBytes)} (INFO transferBytes); nothing was sent.",
                    refusedByHost: true);
            }
        }

        private (int ResumeOffset, int MaxChunk, int Window) Load(byte[] blob, CancellationToken cancellationToken)
        {
            Frame reply = Request(MessageType.Load, blob.AsSpan(0, ModelFormat.HeaderSize), ShortTimeout, cancellationToken);
            byte[] ack = Expect(reply, MessageType.Load, MessageType.LoadAck, 7);
            int resumeOffset = (int)Math.Min(int.MaxValue, LittleEndian.ReadUInt32(ack, 0));
            int maxChunk = LittleEndian.ReadUInt16(ack, 4);
            int window = ack[6];
            if (resumeOffset < ModelFormat.HeaderSize || resumeOffset > blob.Length || maxChunk < 1 || maxChunk > Protocol.MaxChunkData || window < 1)
            {
                throw new DeviceProtocolException(
                    $"The device answered LOAD with resumeOffset {resumeOffset}, maxChunk {maxChunk}, window {window}, which protocol version {Protocol.Version} does not allow for a {blob.Length}-byte model.");
            }

            return (resumeOffset, maxChunk, window);
        }

        /// <summary>
        /// COMMIT, with an INFO right behind it: the device serves requests in order, so the INFO
        /// answer confirms the committed model without another round trip. Returns that INFO, or
        /// null with the offset to send the bytes again from (the device did not get them all, or
        /// got them damaged).
        /// </summary>
        private DeviceInformation? CommitAndConfirm(byte[] blob, uint expectedCrc, TransferState state, CancellationToken cancellationToken, out int resumeOffset)
        {
            resumeOffset = -1;
            int timeout = Timeout(_options.CommitTimeoutMilliseconds, 2 * FrameCodec.MaxWireLength);
            int commit = NextSequence();
            int info = NextSequence();
            Start();
            for (int attempt = 0; attempt < _options.Attempts; attempt++)
            {
                _channel.Send(MessageType.Commit, commit, ReadOnlySpan<byte>.Empty);
                _channel.Send(MessageType.Info, info, ReadOnlySpan<byte>.Empty);
                long deadline = Deadline(timeout);
                bool retry = false;
                while (!retry && Receive(deadline, cancellationToken) is Frame frame)
                {
                    if (frame.Sequence == info && IsAnswerTo(frame, MessageType.Info))
                    {
                        // The device answers in order: an INFO answer without the COMMIT's before
                        // it means that answer was lost. Committed: done; not: COMMIT again now.
                        DeviceInformation after = StoreInformation(frame.Payload);
                        if (after.ModelLoaded && after.ModelCrc == expectedCrc)
                        {
                            return after;
                        }

                        retry = true;
                        continue;
                    }

                    if (frame.Sequence != commit || !IsAnswerTo(frame, MessageType.Commit))
                    {
                        continue;
                    }

                    if (frame.Type != MessageType.Error)
                    {
                        uint crc = LittleEndian.ReadUInt32(Expect(frame, MessageType.Commit, MessageType.CommitAck, 4), 0);
                        if (crc != expectedCrc)
                        {
                            throw new TransferFailedException($"The device committed a model with CRC 0x{crc:X8} instead of 0x{expectedCrc:X8}.", state.Acknowledged);
                        }

                        return AwaitInformation(info, expectedCrc, state, cancellationToken);
                    }

                    DeviceError error = ParseError(frame);
                    switch (error.Code)
                    {
                        case ProtocolError.CrcMismatch:
                            uint fileCrc = Crc32.Compute(blob, ModelFormat.HeaderSize, blob.Length - ModelFormat.HeaderSize);
                            if (error.Detail == fileCrc)
                            {
                                // The device got exactly our bytes: the file itself is corrupt.
                                throw new ModelRefusedException(ModelError.PayloadCrcMismatch,
                                    $"The device refused the model at COMMIT: its payload CRC is 0x{fileCrc:X8} but its header says 0x{expectedCrc:X8}; the .ni8 file is corrupt.",
                                    refusedByHost: false);
                            }

                            // Damaged on the line in a way the frame CRCs missed: the device wants the bytes after the header again.
                            resumeOffset = ModelFormat.HeaderSize;
                            return null;
                        case ProtocolError.Incomplete:
                            resumeOffset = (int)Math.Min(error.Detail, (uint)blob.Length);
                            return null;
                        case ProtocolError.StorageFailed when attempt + 1 < _options.Attempts:
                            // The device keeps the bytes; the repeated COMMIT below tries the write again.
                            retry = true;
                            break;
                        case ProtocolError.StorageFailed:
                            throw new TransferFailedException(
                                $"The device received the model intact but could not write it to its flash ({attempt + 1} attempts); the previous model stays. Is its flash full?",
                                state.Acknowledged);
                        case ProtocolError.NoTransfer when attempt > 0:
                            // A repeated COMMIT after the INFO: the first may have committed.
                            DeviceInformation now = GetInfo(cancellationToken);
                            if (now.ModelLoaded && now.ModelCrc == expectedCrc)
                            {
                                return now;
                            }

                            throw new DeviceErrorException(error.Code, error.RequestType, error.Detail, "The device lost the transfer.");
                        case ProtocolError.NoTransfer:
                            throw new DeviceErrorException(error.Code, error.RequestType, error.Detail, "The device lost the transfer.");
                        default:
                            throw ToException(error);
                    }
                }
            }

            throw new DeviceTimeoutException(Link.Name, timeout * _options.Attempts);
        }

        /// <summary>The answer to the INFO sent behind COMMIT (or a new INFO when it got lost), checked against the committed model.</summary>
        private DeviceInformation AwaitInformation(int info, uint expectedCrc, TransferState state, CancellationToken cancellationToken)
        {
            DeviceInformation? information = null;
            long deadline = Deadline(ShortTimeout);
            while (information is null && Receive(deadline, cancellationToken) is Frame frame)
            {
                if (frame.Sequence == info && IsAnswerTo(frame, MessageType.Info))
                {
                    information = StoreInformation(frame.Payload);
                }
            }

            information ??= GetInfo(cancellationToken);
            if (!information.ModelLoaded || information.ModelCrc != expectedCrc)
            {
                throw new TransferFailedException(
                    $"After the commit the device reports model CRC 0x{information.ModelCrc:X8}, not the deployed model's 0x{expectedCrc:X8}.",
                    state.Acknowledged);
            }

            return information;
        }

        /// <summary>
        /// Sends data[start ..] as CHUNK (or INPUT) requests with up to <paramref name="window"/> of
        /// them unacknowledged, until the device's cumulative acknowledgement reaches the end.
        /// </summary>
        /// <remarks>
        /// Go-back-N: the device takes a chunk only at exactly the offset it expects and answers
        /// every chunk with how far it got. An answer to a chunk still in flight that does not
        /// cover it means the chunk was not taken (one before it was lost): everything in flight is
        /// forgotten and sending restarts at the acknowledged offset. Answers to chunks sent before
        /// that restart still move the acknowledged offset forward (the figure is true whenever it
        /// was sent) but never cause another restart. A timeout restarts as well; an INFO sent
        /// with the restart tells a lossy line (some answer comes) from a silent device (none
        /// comes, <see cref="DeviceClientOptions.Attempts"/> times in a row). With
        /// <paramref name="untilSent"/> it returns as soon as the last chunk is sent, so the next
        /// request can follow it without waiting for the last acknowledgements.
        /// </remarks>
        private void SendWindowed(int requestType, int ackType, byte[] data, int start, int maxChunk, int window, TransferState state,
            IProgress<TransferProgress>? progress, CancellationToken cancellationToken, bool untilSent = false)
        {
            int end = data.Length;
            Dictionary<int, Chunk> inFlight = new Dictionary<int, Chunk>();
            // Send times of chunks not yet answered, also those forgotten by a go-back: every
            // transmission has its own sequence number, so each answer times exactly one round trip.
            Dictionary<int, long> sentAt = new Dictionary<int, long>();
            byte[] payload = new byte[4 + maxChunk];
            int timeout = Timeout(_options.RequestTimeoutMilliseconds, (window + 1L) * FrameCodec.MaxWireLength);
            TimeSpan silenceLimit = TimeSpan.FromMilliseconds((double)timeout * _options.Attempts);
            RetransmitTimer timer = new RetransmitTimer(timeout);
            state.Acknowledged = start;
            state.StartRate(start);
            int next = start;
            int roundsWithoutProgress = 0;
            long lastHeard = Stopwatch.GetTimestamp();
            long lastProgress = lastHeard;
            Start();
            while (state.Acknowledged < end)
            {
                while (inFlight.Count < window && next < end)
                {
                    int length = Math.Min(maxChunk, end - next);
                    LittleEndian.WriteUInt32(payload, 0, (uint)next);
                    Array.Copy(data, next, payload, 4, length);
                    int sequence = NextSequence();
                    state.CountSent(next, length);
                    _channel.Send(requestType, sequence, payload.AsSpan(0, 4 + length));
                    inFlight[sequence] = new Chunk(next, next + length);
                    sentAt[sequence] = Stopwatch.GetTimestamp();
                    next += length;
                }

                if (untilSent && next >= end)
                {
                    // The caller's next request follows the last chunk; the device answers it
                    // after all of them and says whether any was missing.
                    return;
                }

                Frame? received = Receive(Deadline(timer.Milliseconds), cancellationToken);
                if (received is not Frame frame)
                {
                    state.Retransmissions++;
                    roundsWithoutProgress++;
                    if (Stopwatch.GetElapsedTime(lastHeard) >= silenceLimit)
                    {
                        throw new DeviceTimeoutException(Link.Name, (int)silenceLimit.TotalMilliseconds);
                    }

                    if (roundsWithoutProgress > MaxRoundsWithoutProgress && Stopwatch.GetElapsedTime(lastProgress) >= silenceLimit)
                    {
                        throw new TransferFailedException($"The device stopped taking data at byte {Bytes(state.Acknowledged)} of {Bytes(end)}.", state.Acknowledged);
                    }

                    // Everything in flight was lost, or the device is gone: an INFO along with
                    // the resent chunks tells the two apart, as any answer to it is a sign of life.
                    int probe = NextSequence();
                    sentAt.Remove(probe);
                    _channel.Send(MessageType.Info, probe, ReadOnlySpan<byte>.Empty);
                    inFlight.Clear();
                    next = (int)state.Acknowledged;
                    continue;
                }

                lastHeard = Stopwatch.GetTimestamp();
                if (sentAt.Remove(frame.Sequence, out long sent))
                {
                    timer.Sample(Stopwatch.GetElapsedTime(sent, lastHeard).TotalMilliseconds);
                }

                bool inWindow = inFlight.Remove(frame.Sequence, out Chunk chunk);
                if (frame.Type == MessageType.Error)
                {
                    if (inWindow)
                    {
                        DeviceError error = ParseError(frame);
                        throw error.Code == ProtocolError.NoTransfer
                            ? new DeviceErrorException(error.Code, error.RequestType, error.Detail, "The device lost the transfer.")
                            : ToException(error);
                    }

                    continue;
                }

                if (frame.Type != ackType || frame.Payload.Length != 4)
                {
                    if (inWindow)
                    {
                        throw Malformed(requestType, frame);
                    }

                    continue;
                }

                long receivedUpTo = LittleEndian.ReadUInt32(frame.Payload, 0);
                if (receivedUpTo > end)
                {
                    throw new DeviceProtocolException($"The device acknowledged {receivedUpTo} bytes of {end}.");
                }

                if (receivedUpTo > state.Acknowledged)
                {
                    state.Acknowledged = receivedUpTo;
                    roundsWithoutProgress = 0;
                    lastProgress = lastHeard;
                    progress?.Report(state.Progress(next));
                }

                if (inWindow && receivedUpTo < chunk.End)
                {
                    // Not taken: go back to where the device is.
                    state.Retransmissions++;
                    roundsWithoutProgress++;
                    inFlight.Clear();
                    next = (int)state.Acknowledged;
                    continue;
                }

                foreach (int sequence in inFlight.Where(entry => entry.Value.End <= state.Acknowledged).Select(entry => entry.Key).ToArray())
                {
                    inFlight.Remove(sequence);
                }

                next = Math.Max(next, (int)state.Acknowledged);
            }
        }

        /// <summary>Reopens a broken link, a few times with a pause; false when it cannot be reopened.</summary>
        private bool TryReopen(CancellationToken cancellationToken)
        {
            if (!Link.CanReopen)
            {
                return false;
            }

            for (int attempt = 0; attempt < Math.Max(1, _options.ReconnectAttempts); attempt++)
            {
                if (cancellationToken.WaitHandle.WaitOne(_options.ReconnectDelayMilliseconds))
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }

                try
                {
                    Link.Reopen();
                    _started = false;
                    return true;
                }
                catch (SerialPortUnavailableException)
                {
                    // Not back yet (a USB adapter takes a moment to reappear).
                }
            }

            return false;
        }

        /// <summary>A chunk in flight: the range of the data it carries.</summary>
        private readonly record struct Chunk(int Offset, int End);

        /// <summary>
        /// When to give up waiting for an acknowledgement and go back: the smoothed round trip plus
        /// four times its variation (Jacobson and Karels; RFC 6298), between
        /// <see cref="MinMilliseconds"/> and the configured timeout (used until the first
        /// measurement). A line with a short round trip then recovers from a lost window in
        /// milliseconds instead of the full timeout; whether the device is silent is still judged
        /// on the full timeout. No back-off: losses here are noise, not congestion, and late
        /// answers are measured too, so a slower device raises the estimate by itself.
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

        private static string Bytes(long count) => count.ToString("N0", CultureInfo.InvariantCulture);

        /// <summary>Counters of one transfer, across resumes.</summary>
        private sealed class TransferState
        {
            private long _highestSent;
            private long _rateStartBytes;
            private long _rateStartTimestamp;

            public TransferState(long total)
            {
                Total = total;
                StartTimestamp = Stopwatch.GetTimestamp();
            }

            public long Total { get; }

            public long StartTimestamp { get; }

            public long Acknowledged { get; set; }

            public long ChunkBytesSent { get; private set; }

            public long BytesResent { get; private set; }

            public int Retransmissions { get; set; }

            public List<int> ResumeOffsets { get; } = new List<int>();

            public void StartRate(long acknowledged)
            {
                _rateStartBytes = acknowledged;
                _rateStartTimestamp = Stopwatch.GetTimestamp();
            }

            public void CountSent(long offset, int length)
            {
                ChunkBytesSent += length;
                if (offset < _highestSent)
                {
                    BytesResent += Math.Min(length, _highestSent - offset);
                }

                _highestSent = Math.Max(_highestSent, offset + length);
            }

            public TransferProgress Progress(long sent)
            {
                double seconds = Stopwatch.GetElapsedTime(_rateStartTimestamp).TotalSeconds;
                double rate = seconds > 0 ? (Acknowledged - _rateStartBytes) / seconds : 0;
                TimeSpan? remaining = rate > 0 ? TimeSpan.FromSeconds((Total - Acknowledged) / rate) : null;
                return new TransferProgress(Total, Math.Max(sent, Acknowledged), Acknowledged, rate, remaining, Retransmissions);
            }
        }
    }
}
