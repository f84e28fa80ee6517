using System.Runtime.InteropServices;
using NanoInt8.Device;
using NanoInt8.Runtime;

namespace NanoInt8.Host.Device
{
    /// <summary>Running the model and reading it back: INFER, INPUT, OUTPUT, BENCH, READ.</summary>
    public sealed partial class DeviceClient
    {
        // A stored model longer than this is not a model this host would have sent.
        private const int MaxStoredModelBytes = 256 * 1024 * 1024;

        // Wire bytes of an OUTPUT_DATA or READ_DATA besides its data (header, offset, CRC, COBS's first
        // code byte, delimiter; LineQuality counts COBS's byte per 254), and of an INFER_RESULT besides
        // its output bytes (ticks and length instead of the offset).
        private const int DataAnswerOverhead = 4 + 4 + 4 + 1 + 1;
        private const int InferResultOverhead = 4 + 12 + 4 + 1 + 1;

        // Sizes of OUTPUT and READ pieces and of INFER_RESULT's outputs are multiples of this.
        private const int PieceUnit = 20;

        // The device's last inference time (INFER_RESULT, BENCH_RESULT), for the wait of the next one; -1 before any.
        private double _inferenceMilliseconds = -1;

        /// <summary>
        /// Runs the device's model once on <paramref name="inputs"/>: all graph inputs concatenated in
        /// graph order, int8. Inputs that do not fit one frame go first in INPUT chunks; the answer
        /// carries as many output bytes as suit the line, and OUTPUT fetches the rest. A retried
        /// INFER is answered from the device's cache, not run again.
        /// </summary>
        /// <returns>All outputs concatenated in graph order, and the device's time for the inference.</returns>
        /// <exception cref="DeviceModelMismatchException">The device has no model.</exception>
        /// <exception cref="DeviceErrorException">The device's model takes another number of input bytes.</exception>
        /// <exception cref="OperationCanceledException">Cancelled; the device got a RESET, which stops the inference between two operators.</exception>
        public InferenceResult Infer(sbyte[] inputs, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(inputs);
            byte[] bytes = MemoryMarshal.AsBytes(inputs.AsSpan()).ToArray();
            int resultBytes = _quality.BestDataBytes(PieceUnit, Protocol.MaxDataLength, InferResultOverhead);
            byte[] request;
            if (bytes.Length + 2 <= FrameCodec.MaxPayloadLength)
            {
                request = new byte[2 + bytes.Length];
                bytes.CopyTo(request, 2);
            }
            else
            {
                SendInput(bytes, cancellationToken);
                request = new byte[2];
            }

            LittleEndian.WriteUInt16(request, 0, resultBytes);
            Frame reply = WhileRunning(() => Request(MessageType.Infer, request, InferenceRetries(), cancellationToken), cancellationToken);
            byte[] result = Expect(reply, MessageType.Infer, MessageType.InferResult);
            if (result.Length < 12)
            {
                throw Malformed(MessageType.Infer, reply);
            }

            long ticks = LittleEndian.ReadInt64(result, 0);
            long total = LittleEndian.ReadUInt32(result, 8);
            int first = result.Length - 12;
            if (first != Math.Min(total, resultBytes))
            {
                throw Malformed(MessageType.Infer, reply);
            }

            _inferenceMilliseconds = ticks / (double)TimeSpan.TicksPerMillisecond;
            byte[] outputs = new byte[total];
            Buffer.BlockCopy(result, 12, outputs, 0, first);
            ReadPieces(MessageType.Output, MessageType.OutputData, outputs, first, cancellationToken);
            return new InferenceResult(MemoryMarshal.Cast<byte, sbyte>(outputs).ToArray(), ticks);
        }

        /// <summary>
        /// Times the device's model: <paramref name="runs"/> inferences on the staged input (zeros
        /// before the first <see cref="Infer"/>), measured by the device's clock. One run goes
        /// first to learn how long to wait for the series, during which the device answers nothing.
        /// </summary>
        /// <exception cref="DeviceModelMismatchException">The device has no model.</exception>
        /// <exception cref="OperationCanceledException">Cancelled; the device got a RESET, which stops the series between two operators.</exception>
        public BenchResult Bench(int runs, CancellationToken cancellationToken = default)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(runs, 1);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(runs, ushort.MaxValue);
            BenchResult single = WhileRunning(() => BenchOnce(1, InferenceRetries(), cancellationToken), cancellationToken);
            _inferenceMilliseconds = single.SlowestMilliseconds;
            if (runs == 1)
            {
                return single;
            }

            double perRun = Math.Max(1, 2 * single.SlowestMilliseconds);
            int series = Timeout((int)Math.Min(int.MaxValue / 4, _timer.Milliseconds + (runs * perRun)), 2 * FrameCodec.MaxWireLength);
            int longest = Timeout((int)Math.Min(int.MaxValue / 4, _options.InferTimeoutMilliseconds + (runs * perRun)), 2 * FrameCodec.MaxWireLength);
            return WhileRunning(() => BenchOnce(runs, new RetryBudget(this, series, longest), cancellationToken), cancellationToken);
        }

        /// <summary>
        /// Reads the committed model back from the device's storage (READ), e.g. to learn its
        /// inputs, outputs and quantization from its metadata.
        /// </summary>
        /// <exception cref="DeviceModelMismatchException">The device has no stored model, or what it stored is not a whole model.</exception>
        public byte[] ReadModel(IProgress<TransferProgress>? progress = null, CancellationToken cancellationToken = default)
        {
            byte[] header = new byte[ModelFormat.HeaderSize];
            ReadPieces(MessageType.Read, MessageType.ReadData, header, 0, cancellationToken);
            int total = ModelReader.GetTotalLength(header, 0);
            if (total < ModelFormat.HeaderSize || total > MaxStoredModelBytes)
            {
                throw new DeviceModelMismatchException($"The model stored on the device is not an .ni8 model (its header gives a length of {total} bytes); deploy one again.");
            }

            byte[] blob = new byte[total];
            header.CopyTo(blob, 0);
            TransferState state = new TransferState(total) { Acknowledged = header.Length };
            state.StartRate(0);
            ReadPieces(MessageType.Read, MessageType.ReadData, blob, header.Length, cancellationToken, offset =>
            {
                state.Acknowledged = offset;
                progress?.Report(state.Progress(offset));
            });
            return blob;
        }

        // The waits for INFER and the first BENCH run: first the round trip and twice the last
        // inference's time on the device (just the round trip before the first: a retry is
        // answered from the device's cache, so trying early costs nothing), doubling while the
        // device is silent, up to the configured inference timeout.
        private RetryBudget InferenceRetries()
        {
            int device = _inferenceMilliseconds < 0 ? 0 : (int)Math.Min(int.MaxValue / 4, Math.Ceiling(2 * _inferenceMilliseconds));
            return new RetryBudget(this, Timeout(_timer.Milliseconds + device, 2 * FrameCodec.MaxWireLength),
                Timeout(Math.Max(_options.InferTimeoutMilliseconds, device), 2 * FrameCodec.MaxWireLength));
        }

        /// <summary>Runs a request that makes the device infer; when it is cancelled, RESET stops the device's inference too.</summary>
        private T WhileRunning<T>(Func<T> request, CancellationToken cancellationToken)
        {
            try
            {
                return request();
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                TryReset();
                throw;
            }
        }

        /// <summary>Sends RESET and waits briefly for its answer, ignoring any failure: the caller is already giving up.</summary>
        private void TryReset()
        {
            try
            {
                int sequence = NextSequence();
                for (int attempt = 0; attempt < _options.Attempts; attempt++)
                {
                    if (SendOnce(MessageType.Reset, sequence, ReadOnlySpan<byte>.Empty, LongestShortTimeout, CancellationToken.None) is not null)
                    {
                        return;
                    }
                }
            }
            catch (DeviceException)
            {
                // The line is gone: the device cannot be told, and the inference ends by itself.
            }
        }

        private BenchResult BenchOnce(int runs, RetryBudget retries, CancellationToken cancellationToken)
        {
            byte[] request = new byte[2];
            LittleEndian.WriteUInt16(request, 0, runs);
            Frame reply = Request(MessageType.Bench, request, retries, cancellationToken);
            byte[] payload = Expect(reply, MessageType.Bench, MessageType.BenchResult, 26);
            return new BenchResult(LittleEndian.ReadUInt16(payload, 0), LittleEndian.ReadInt64(payload, 2), LittleEndian.ReadInt64(payload, 10), LittleEndian.ReadInt64(payload, 18));
        }

        /// <summary>
        /// Stages inputs bigger than one frame with INPUT chunks, one at a time (nothing tells the
        /// host how many the device's buffer holds), each as long as suits the line. The device takes
        /// only the bytes at the offset it expects and acknowledges how far it got; offset 0 starts anew.
        /// </summary>
        private void SendInput(byte[] bytes, CancellationToken cancellationToken)
        {
            byte[] payload = new byte[4 + Protocol.MaxChunkData];
            long acknowledged = 0;
            RetryBudget retries = RetryBudget.Immediate(this);
            while (acknowledged < bytes.Length)
            {
                int length = (int)Math.Min(bytes.Length - acknowledged,
                    _quality.BestDataBytes(PieceUnit, Protocol.MaxChunkData - (Protocol.MaxChunkData % PieceUnit), DataAnswerOverhead));
                LittleEndian.WriteUInt32(payload, 0, (uint)acknowledged);
                Array.Copy(bytes, acknowledged, payload, 4, length);
                if (SendOnce(MessageType.Input, NextSequence(), payload.AsSpan(0, 4 + length), retries.Timeout, cancellationToken) is not Frame reply)
                {
                    retries.Failed();
                    continue;
                }

                long receivedUpTo = LittleEndian.ReadUInt32(Expect(reply, MessageType.Input, MessageType.InputAck, 4), 0);
                if (receivedUpTo > bytes.Length)
                {
                    throw new DeviceProtocolException($"The device acknowledged {receivedUpTo} input bytes of {bytes.Length}.");
                }

                acknowledged = receivedUpTo;
                retries.Answered();
            }
        }

        /// <summary>
        /// Fills destination[start ..] with OUTPUT or READ requests (u32 offset, u16 length), each
        /// asking for as many bytes as suit the line: shorter answers when the line spoils long ones.
        /// </summary>
        private void ReadPieces(int type, int answerType, byte[] destination, int start, CancellationToken cancellationToken, Action<int>? progress = null)
        {
            byte[] request = new byte[6];
            RetryBudget retries = RetryBudget.Immediate(this);
            for (int offset = start; offset < destination.Length;)
            {
                int length = Math.Min(destination.Length - offset, _quality.BestDataBytes(PieceUnit, Protocol.MaxDataLength, DataAnswerOverhead));
                LittleEndian.WriteUInt32(request, 0, (uint)offset);
                LittleEndian.WriteUInt16(request, 4, length);
                if (SendOnce(type, NextSequence(), request, retries.Timeout, cancellationToken) is not Frame reply)
                {
                    retries.Failed();
                    continue;
                }

                if (reply.Type == MessageType.Error && type == MessageType.Read)
                {
                    throw ReadRefused(ParseError(reply));
                }

                byte[] payload = Expect(reply, type, answerType, 4 + length);
                if (LittleEndian.ReadUInt32(payload, 0) != offset)
                {
                    throw Malformed(type, reply);
                }

                Buffer.BlockCopy(payload, 4, destination, offset, length);
                offset += length;
                retries.Answered();
                progress?.Invoke(offset);
            }
        }

        private static DeviceException ReadRefused(DeviceError error)
        {
            return error.Code switch
            {
                ProtocolError.NoModel => new DeviceModelMismatchException("The device has no stored model; deploy one first (hosttool deploy MODEL.onnx)."),
                ProtocolError.BadRange => new DeviceModelMismatchException("The model stored on the device is shorter than its header says; deploy it again."),
                _ => ToException(error),
            };
        }
    }
}
