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

        /// <summary>
        /// Runs the device's model once on <paramref name="inputs"/>: all graph inputs concatenated in
        /// graph order, int8. Inputs that do not fit one frame go first in INPUT chunks; outputs
        /// beyond the first 500 bytes are fetched with OUTPUT.
        /// </summary>
        /// <returns>All outputs concatenated in graph order, and the device's time for the inference.</returns>
        /// <exception cref="DeviceModelMismatchException">The device has no model.</exception>
        /// <exception cref="DeviceErrorException">The device's model takes another number of input bytes.</exception>
        public InferenceResult Infer(sbyte[] inputs, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(inputs);
            byte[] bytes = MemoryMarshal.AsBytes(inputs.AsSpan()).ToArray();
            int timeout = Timeout(_options.InferTimeoutMilliseconds, 2 * FrameCodec.MaxWireLength);
            Frame reply;
            if (bytes.Length <= FrameCodec.MaxPayloadLength)
            {
                reply = Request(MessageType.Infer, bytes, timeout, cancellationToken);
            }
            else
            {
                // One INPUT at a time: unlike LOAD, nothing tells the host how many the device's buffer holds.
                SendWindowed(MessageType.Input, MessageType.InputAck, bytes, 0, Protocol.MaxChunkData, 1, new TransferState(bytes.Length), null, cancellationToken);
                reply = Request(MessageType.Infer, ReadOnlySpan<byte>.Empty, timeout, cancellationToken);
            }

            byte[] result = Expect(reply, MessageType.Infer, MessageType.InferResult);
            if (result.Length < 12)
            {
                throw Malformed(MessageType.Infer, reply);
            }

            long ticks = LittleEndian.ReadInt64(result, 0);
            long total = LittleEndian.ReadUInt32(result, 8);
            int first = result.Length - 12;
            if (first != Math.Min(total, Protocol.MaxDataLength))
            {
                throw Malformed(MessageType.Infer, reply);
            }

            sbyte[] outputs = new sbyte[total];
            Buffer.BlockCopy(result, 12, outputs, 0, first);
            byte[] request = new byte[6];
            for (int offset = first; offset < total;)
            {
                int length = (int)Math.Min(Protocol.MaxDataLength, total - offset);
                LittleEndian.WriteUInt32(request, 0, (uint)offset);
                LittleEndian.WriteUInt16(request, 4, length);
                Frame data = Request(MessageType.Output, request, ShortTimeout, cancellationToken);
                byte[] payload = Expect(data, MessageType.Output, MessageType.OutputData, 4 + length);
                if (LittleEndian.ReadUInt32(payload, 0) != offset)
                {
                    throw Malformed(MessageType.Output, data);
                }

                Buffer.BlockCopy(payload, 4, outputs, offset, length);
                offset += length;
            }

            return new InferenceResult(outputs, ticks);
        }

        /// <summary>
        /// Times the device's model: <paramref name="runs"/> inferences on the staged input (zeros
        /// before the first <see cref="Infer"/>), measured by the device's clock. One run goes
        /// first to learn how long to wait for the series, during which the device answers nothing.
        /// </summary>
        /// <exception cref="DeviceModelMismatchException">The device has no model.</exception>
        public BenchResult Bench(int runs, CancellationToken cancellationToken = default)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(runs, 1);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(runs, ushort.MaxValue);
            BenchResult single = BenchOnce(1, Timeout(_options.InferTimeoutMilliseconds, 2 * FrameCodec.MaxWireLength), cancellationToken);
            if (runs == 1)
            {
                return single;
            }

            double perRun = Math.Max(1, 2 * single.SlowestMilliseconds);
            int timeout = (int)Math.Min(int.MaxValue, _options.InferTimeoutMilliseconds + (runs * perRun));
            return BenchOnce(runs, Timeout(timeout, 2 * FrameCodec.MaxWireLength), cancellationToken);
        }

        /// <summary>
        /// Reads the committed model back from the device's storage (READ), e.g. to learn its
        /// inputs, outputs and quantization from its metadata.
        /// </summary>
        /// <exception cref="DeviceModelMismatchException">The device has no stored model, or what it stored is not a whole model.</exception>
        public byte[] ReadModel(IProgress<TransferProgress>? progress = null, CancellationToken cancellationToken = default)
        {
            byte[] header = ReadStored(0, ModelFormat.HeaderSize, cancellationToken);
            int total = ModelReader.GetTotalLength(header, 0);
            if (total < ModelFormat.HeaderSize || total > MaxStoredModelBytes)
            {
                throw new DeviceModelMismatchException($"The model stored on the device is not an .ni8 model (its header gives a length of {total} bytes); deploy one again.");
            }

            byte[] blob = new byte[total];
            header.CopyTo(blob, 0);
            TransferState state = new TransferState(total) { Acknowledged = header.Length };
            state.StartRate(0);
            for (int offset = header.Length; offset < total;)
            {
                int length = Math.Min(Protocol.MaxDataLength, total - offset);
                ReadStored(offset, length, cancellationToken).CopyTo(blob, offset);
                offset += length;
                state.Acknowledged = offset;
                progress?.Report(state.Progress(offset));
            }

            return blob;
        }

        private BenchResult BenchOnce(int runs, int timeout, CancellationToken cancellationToken)
        {
            byte[] request = new byte[2];
            LittleEndian.WriteUInt16(request, 0, runs);
            Frame reply = Request(MessageType.Bench, request, timeout, cancellationToken);
            byte[] payload = Expect(reply, MessageType.Bench, MessageType.BenchResult, 26);
            return new BenchResult(LittleEndian.ReadUInt16(payload, 0), LittleEndian.ReadInt64(payload, 2), LittleEndian.ReadInt64(payload, 10), LittleEndian.ReadInt64(payload, 18));
        }

        private byte[] ReadStored(int offset, int length, CancellationToken cancellationToken)
        {
            byte[] request = new byte[6];
            LittleEndian.WriteUInt32(request, 0, (uint)offset);
            LittleEndian.WriteUInt16(request, 4, length);
            Frame reply = Request(MessageType.Read, request, ShortTimeout, cancellationToken);
            if (reply.Type == MessageType.Error)
            {
                DeviceError error = ParseError(reply);
                if (error.Code == ProtocolError.NoModel)
                {
                    throw new DeviceModelMismatchException("The device has no stored model; deploy one first (hosttool deploy MODEL.onnx).");
                }

                if (error.Code == ProtocolError.BadRange)
                {
                    throw new DeviceModelMismatchException("The model stored on the device is shorter than its header says; deploy it again.");
                }

                throw ToException(error);
            }

            byte[] payload = Expect(reply, MessageType.Read, MessageType.ReadData, 4 + length);
            if (LittleEndian.ReadUInt32(payload, 0) != offset)
            {
                throw Malformed(MessageType.Read, reply);
            }

            return payload.AsSpan(4).ToArray();
        }
    }
}
