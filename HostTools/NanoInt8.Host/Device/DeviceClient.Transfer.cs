using System.Diagnostics;
using System.Globalization;
using NanoInt8.Device;
using NanoInt8.Runtime;

namespace NanoInt8.Host.Device
{
    /// <summary>Model deployment: LOAD, CHUNKs with selective acknowledgement, COMMIT, INFO (docs/serial-protocol.md, "Model transfer").</summary>
    public sealed partial class DeviceClient
    {
        // LOAD/COMMIT rounds (line corruption caught by the payload CRC, a device that lost the
        // transfer) before a transfer gives up.
        private const int MaxRestarts = 4;

        /// <summary>
        /// Sends an .ni8 model to the device and makes it the running model: checks that it fits the
        /// device's INFO budgets before sending a byte of it, LOADs its header with the first CHUNKs
        /// right behind it, sends every block the device does not acknowledge (only those: a lost
        /// chunk costs only itself) in chunks whose size follows the line's error rate, COMMITs,
        /// and reads INFO back to confirm the CRC. COMMIT follows the last chunk and INFO follows
        /// COMMIT without waiting for their answers, which the device gives in order, so the line
        /// stays busy to the end.
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
            DeviceInformation? information = null;
            while (information is null)
            {
                try
                {
                    information = new BlockTransfer(this, blob, expectedCrc, state, progress).Run(cancellationToken);
                    if (information is not null)
                    {
                        break;
                    }
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
                }

                if (++restarts > MaxRestarts)
                {
                    throw new TransferFailedException(
                        $"The model did not arrive intact on the device after {restarts} attempts; the line is too noisy, try a lower baud rate or shorter wires.",
                        state.Acknowledged);
                }
            }

            _unfinishedHeader = null;
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
                ChunksSent = state.ChunksSent,
                Reconnections = reconnections,
                WindowBytes = state.WindowBytes,
                MaxChunk = state.MaxChunk,
                WireBytesWritten = _channel.BytesWritten - wireStart,
                Elapsed = Stopwatch.GetElapsedTime(state.StartTimestamp),
                Device = information,
            };
        }

        /// <summary>Refuses, before a byte of it is sent, a model the device's INFO says it would refuse.</summary>
        private static void CheckFits(byte[] blob, DeviceInformation information)
        {
            // The device's own rules (ModelAdmission), with the device's budgets from INFO.
            ModelAdmission admission = ModelAdmission.Check(blob, information.MaxModelBytes, information.TransferBytes, information.MaxWorkPerInference);
            if (admission.Refusal is AdmissionRefusal.None or AdmissionRefusal.Invalid)
            {
                // An invalid model is the device's to refuse, with its reader's error at COMMIT.
                return;
            }

            string reason = admission.Reason(information.MaxModelBytes, information.TransferBytes, information.MaxWorkPerInference,
                "INFO maxModelBytes", "INFO transferBytes", "INFO maxWorkPerInference")!;
            string message = $"{char.ToUpperInvariant(reason[0])}{reason[1..]}; nothing was sent.";
            throw new ModelRefusedException(admission.Error, message, refusedByHost: true);
        }

        /// <summary>
        /// COMMIT, with an INFO right behind it: the device serves requests in order, so the INFO
        /// answer confirms the committed model without another round trip. Returns that INFO, or
        /// null when the device does not hold all the bytes or got them damaged: the transfer then
        /// starts again with a LOAD, which tells what the device has.
        /// </summary>
        private DeviceInformation? CommitAndConfirm(byte[] blob, uint expectedCrc, TransferState state, CancellationToken cancellationToken)
        {
            int commit = NextSequence();
            int info = NextSequence();
            // Validating and writing a big model takes the device a while: the wait grows while it is silent.
            RetryBudget retries = new RetryBudget(this, ShortTimeout, Timeout(_options.CommitTimeoutMilliseconds, 2 * FrameCodec.MaxWireLength));
            for (int attempt = 0; ; attempt++)
            {
                Start();
                _channel.Send(MessageType.Commit, commit, ReadOnlySpan<byte>.Empty);
                _channel.Send(MessageType.Info, info, ReadOnlySpan<byte>.Empty);
                long deadline = Deadline(retries.Timeout);
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

                    CommitOutcome outcome = ReadCommitAnswer(frame, blob, expectedCrc, state);
                    if (outcome == CommitOutcome.Committed)
                    {
                        return AwaitInformation(info, expectedCrc, state, cancellationToken);
                    }

                    if (outcome is CommitOutcome.Damaged or CommitOutcome.Incomplete)
                    {
                        return null;
                    }

                    if (outcome == CommitOutcome.NoTransfer)
                    {
                        return CommittedAlready(expectedCrc, cancellationToken);
                    }

                    if (attempt + 1 >= _options.Attempts)
                    {
                        throw new TransferFailedException(
                            $"The device received the model intact but could not write it to its flash ({attempt + 1} attempts); the previous model stays. Is its flash full?",
                            state.Acknowledged);
                    }

                    // StorageFailed: the device keeps the bytes; COMMIT again tries the write again.
                    commit = NextSequence();
                    retry = true;
                }

                if (!retry)
                {
                    retries.Failed();
                }
            }
        }

        /// <summary>
        /// COMMIT answered NoTransfer: a COMMIT before it may have committed the model (its answer
        /// and the INFO's lost). INFO tells; if not, the device lost the transfer.
        /// </summary>
        private DeviceInformation CommittedAlready(uint expectedCrc, CancellationToken cancellationToken)
        {
            DeviceInformation now = GetInfo(cancellationToken);
            if (now.ModelLoaded && now.ModelCrc == expectedCrc)
            {
                return now;
            }

            throw new DeviceErrorException(ProtocolError.NoTransfer, MessageType.Commit, 0, "The device lost the transfer.");
        }

        /// <summary>What a COMMIT's answer means for the transfer.</summary>
        private enum CommitOutcome
        {
            /// <summary>COMMIT_ACK with the model's CRC.</summary>
            Committed,

            /// <summary>CrcMismatch: the bytes were damaged on the line; the device wants all after the header again.</summary>
            Damaged,

            /// <summary>Incomplete: the device lacks some bytes.</summary>
            Incomplete,

            /// <summary>NoTransfer: nothing to commit (lost, or already committed).</summary>
            NoTransfer,

            /// <summary>StorageFailed: the bytes are kept; a new COMMIT tries the write again.</summary>
            StorageFailed,
        }

        /// <summary>Reads a COMMIT answer; refusals the host cannot get around become exceptions.</summary>
        private static CommitOutcome ReadCommitAnswer(Frame frame, byte[] blob, uint expectedCrc, TransferState state)
        {
            if (frame.Type != MessageType.Error)
            {
                uint crc = LittleEndian.ReadUInt32(Expect(frame, MessageType.Commit, MessageType.CommitAck, 4), 0);
                if (crc != expectedCrc)
                {
                    throw new TransferFailedException($"The device committed a model with CRC 0x{crc:X8} instead of 0x{expectedCrc:X8}.", state.Acknowledged);
                }

                return CommitOutcome.Committed;
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
                    return CommitOutcome.Damaged;
                case ProtocolError.Incomplete:
                    return CommitOutcome.Incomplete;
                case ProtocolError.StorageFailed:
                    return CommitOutcome.StorageFailed;
                case ProtocolError.NoTransfer:
                    return CommitOutcome.NoTransfer;
                default:
                    throw ToException(error);
            }
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

        private static string Bytes(long count) => count.ToString("N0", CultureInfo.InvariantCulture);

        /// <summary>Counters of one transfer, across resumes.</summary>
        private sealed class TransferState
        {
            private long _rateStartBytes;
            private long _rateStartTimestamp;

            public TransferState(long total)
            {
                Total = total;
                StartTimestamp = Stopwatch.GetTimestamp();
                _rateStartTimestamp = StartTimestamp;
            }

            public long Total { get; }

            public long StartTimestamp { get; }

            public long Acknowledged { get; set; }

            public long ChunkBytesSent { get; private set; }

            public long BytesResent { get; private set; }

            public int Retransmissions { get; set; }

            public int ChunksSent { get; private set; }

            public int WindowBytes { get; set; }

            public int MaxChunk { get; set; }

            public List<int> ResumeOffsets { get; } = new List<int>();

            public void StartRate(long acknowledged)
            {
                _rateStartBytes = acknowledged;
                _rateStartTimestamp = Stopwatch.GetTimestamp();
            }

            /// <summary>A chunk of <paramref name="length"/> model bytes sent; <paramref name="again"/> when it carries bytes sent before.</summary>
            public void CountSent(int length, bool again)
            {
                ChunksSent++;
                ChunkBytesSent += length;
                if (again)
                {
                    BytesResent += length;
                }
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
