using System.Reflection;
using NanoInt8.Device;
using NanoInt8.Runtime;

namespace NanoInt8.Bench.Fuzz
{
    /// <summary>
    /// Hostile serial streams into a fresh <see cref="DeviceServer"/> (64 KB model budget, 128 KB
    /// transfer budget, a work budget; half the cases boot with a seed model committed). A stream
    /// is 1 to 40 pieces: well-formed requests of every type built from a seed model (HELLO, INFO,
    /// LOAD of its header, CHUNKs of its blocks, COMMIT, INFER with a random resultBytes and inputs of
    /// the right or a wrong size, INPUT, OUTPUT, READ, BENCH, SENSOR, RESET, an unknown type), some
    /// with a byte of their payload changed under a valid frame CRC, some damaged on the wire
    /// (a flipped or lost byte), repeated byte for byte, and plain garbage.
    /// </summary>
    /// <remarks>
    /// Outcomes: each answer frame by type ("answer: ChunkAck", "error: BadPayload"), "committed a
    /// seed model". Defects: an exception out of <see cref="DeviceServer.Poll"/>, a fault the server
    /// caught (ERROR DeviceFault), a committed model that is not byte for byte one of the seeds (a
    /// corrupted model activated).
    /// </remarks>
    internal sealed class SerialCampaign : ICampaign
    {
        private static readonly Dictionary<int, string> s_messageNames = ConstantNames(typeof(MessageType));
        private static readonly Dictionary<int, string> s_errorNames = ConstantNames(typeof(ProtocolError));
        private static readonly int[] s_requestTypes =
        {
            MessageType.Hello, MessageType.Info, MessageType.Load, MessageType.Chunk, MessageType.Chunk, MessageType.Chunk, MessageType.Chunk,
            MessageType.Commit, MessageType.Infer, MessageType.Bench, MessageType.Read, MessageType.Reset, MessageType.Input, MessageType.Output,
            MessageType.Sensor, 0x33,
        };

        private readonly IReadOnlyList<byte[]> _seeds;
        private readonly int _seed;
        private readonly byte[] _frame = new byte[FrameCodec.MaxChunkFrameLength];
        private readonly byte[] _wire = new byte[FrameCodec.MaxChunkWireLength];

        public SerialCampaign(IReadOnlyList<byte[]> seeds, int seed)
        {
            _seeds = seeds;
            _seed = seed;
        }

        public void RunCase(long number, Outcomes outcomes)
        {
            Random random = new Random(unchecked((_seed * 7_000_003) + (int)number));
            byte[] model = _seeds[random.Next(_seeds.Count)];
            MemoryStore store = new MemoryStore(random.Next(2) == 0 ? model : null);
            QueueLink link = new QueueLink();
            DeviceServer server = new DeviceServer(link, store, new DeviceInfo("Fuzz", 1, 0, 0, 4096, 64 * 1024, 128 * 1024, 2_000_000), null);
            try
            {
                server.Boot();
                int pieces = 1 + random.Next(40);
                byte[]? last = null;
                for (int piece = 0; piece < pieces; piece++)
                {
                    byte[] bytes = last is not null && random.Next(8) == 0 ? last : Piece(random, model);
                    last = bytes;
                    link.Arrive(bytes);
                    while (link.Pending > 0)
                    {
                        server.Poll();
                    }
                }
            }
            catch (Exception exception)
            {
                outcomes.Add($"DEFECT: Poll threw {exception.GetType().Name}", number);
                return;
            }

            CountAnswers(link.Written, outcomes, number);
            if (server.Faults > 0)
            {
                outcomes.Add("DEFECT: the server caught a fault (DeviceFault)", number);
            }

            if (store.Commits > 0)
            {
                bool seedModel = store.Committed is byte[] committed && _seeds.Any(seed => seed.AsSpan().SequenceEqual(committed));
                outcomes.Add(seedModel ? "committed a seed model" : "DEFECT: a model that is no seed was committed", number);
            }
        }

        // One piece of the stream: a request (maybe with a changed payload byte or damaged on the wire) or garbage.
        private byte[] Piece(Random random, byte[] model)
        {
            if (random.Next(10) == 0)
            {
                byte[] garbage = new byte[1 + random.Next(700)];
                random.NextBytes(garbage);
                return garbage;
            }

            int type = s_requestTypes[random.Next(s_requestTypes.Length)];
            byte[] payload = Payload(type, random, model);
            if (payload.Length > 0 && random.Next(6) == 0)
            {
                payload[random.Next(payload.Length)] ^= (byte)(1 << random.Next(8));
            }

            payload.CopyTo(_frame, FrameCodec.PayloadOffset);
            int length = FrameCodec.Encode(_frame, type, 1 + random.Next(255), payload.Length, _wire, 0);
            byte[] wire = _wire[..length];
            switch (random.Next(12))
            {
                case 0:
                    wire[random.Next(wire.Length)] ^= (byte)(1 << random.Next(8));
                    break;
                case 1:
                    int lost = random.Next(wire.Length);
                    wire = wire[..lost].Concat(wire[(lost + 1)..]).ToArray();
                    break;
            }

            return wire;
        }

        private static byte[] Payload(int type, Random random, byte[] model)
        {
            switch (type)
            {
                case MessageType.Hello:
                    return U16(random.Next(4) == 0 ? random.Next(65536) : Protocol.Version);
                case MessageType.Load:
                    return model[..ModelFormat.HeaderSize];
                case MessageType.Chunk:
                    int blocks = (model.Length + Protocol.BlockBytes - 1) / Protocol.BlockBytes;
                    int first = (ModelFormat.HeaderSize / Protocol.BlockBytes) + random.Next(Math.Max(1, blocks - 2));
                    int offset = random.Next(16) == 0 ? random.Next(model.Length + 64) : first * Protocol.BlockBytes;
                    int count = Math.Min(Protocol.BlockBytes * (1 + random.Next(Protocol.LargestModelChunk / Protocol.BlockBytes)), Math.Max(0, model.Length - offset));
                    return U32(offset).Concat(count > 0 ? model.AsSpan(offset, count).ToArray() : new byte[1 + random.Next(4)]).ToArray();
                case MessageType.Infer:
                    int inputs = random.Next(3) == 0 ? 0 : InputBytes(model) + (random.Next(4) == 0 ? random.Next(5) - 2 : 0);
                    byte[] values = new byte[Math.Clamp(inputs, 0, FrameCodec.MaxPayloadLength - 2)];
                    random.NextBytes(values);
                    return U16(random.Next(600)).Concat(values).ToArray();
                case MessageType.Bench:
                    return U16(1 + random.Next(3));
                case MessageType.Read:
                case MessageType.Output:
                    return U32(random.Next(model.Length + 16)).Concat(U16(random.Next(520))).ToArray();
                case MessageType.Input:
                    byte[] input = new byte[1 + random.Next(FrameCodec.MaxPayloadLength - 4)];
                    random.NextBytes(input);
                    return U32(random.Next(3) == 0 ? random.Next(4096) : 0).Concat(input).ToArray();
                case MessageType.Sensor:
                    return new[] { (byte)random.Next(3) }.Concat(U32(random.Next(1000))).ToArray();
                case 0x33:
                    byte[] unknown = new byte[random.Next(32)];
                    random.NextBytes(unknown);
                    return unknown;
                default:
                    // INFO, COMMIT, RESET: empty, or now and then a stray byte.
                    return random.Next(10) == 0 ? new[] { (byte)random.Next(256) } : Array.Empty<byte>();
            }
        }

        private static void CountAnswers(byte[] written, Outcomes outcomes, long number)
        {
            FrameDecoder decoder = new FrameDecoder();
            for (int at = 0; at < written.Length;)
            {
                at += decoder.Feed(written, at, written.Length - at);
                if (!decoder.FrameReady)
                {
                    continue;
                }

                if (decoder.Type == MessageType.Error)
                {
                    int code = decoder.Buffer[FrameCodec.PayloadOffset] | (decoder.Buffer[FrameCodec.PayloadOffset + 1] << 8);
                    outcomes.Add($"error: {s_errorNames.GetValueOrDefault(code, code.ToString(System.Globalization.CultureInfo.InvariantCulture))}", number);
                    if (code == ProtocolError.DeviceFault)
                    {
                        outcomes.Add("DEFECT: ERROR DeviceFault", number);
                    }
                }
                else
                {
                    outcomes.Add($"answer: {s_messageNames.GetValueOrDefault(decoder.Type, "unknown type")}", number);
                }
            }

            if (decoder.FramesDropped > 0)
            {
                outcomes.Add("DEFECT: the server wrote a malformed frame", number);
            }
        }

        private static int InputBytes(byte[] model)
        {
            ModelReader.TryRead(model, int.MaxValue, out Model decoded);
            return Enumerable.Range(0, decoded.InputCount).Sum(index => decoded.GetTensorInfo(decoded.GetInputTensor(index)).ElementCount);
        }

        private static byte[] U16(int value) => new[] { (byte)value, (byte)(value >> 8) };

        private static byte[] U32(int value) => BitConverter.GetBytes(value);

        private static Dictionary<int, string> ConstantNames(Type type) => type
            .GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(field => field.IsLiteral && field.FieldType == typeof(int))
            .GroupBy(field => (int)field.GetRawConstantValue()!)
            .ToDictionary(group => group.Key, group => group.First().Name);

        /// <summary>The device's line: bytes queued for the server to read, and everything it wrote.</summary>
        private sealed class QueueLink : IByteLink
        {
            private readonly Queue<byte> _incoming = new Queue<byte>();
            private readonly List<byte> _written = new List<byte>();

            public int Pending => _incoming.Count;

            public byte[] Written => _written.ToArray();

            public void Arrive(byte[] bytes)
            {
                foreach (byte value in bytes)
                {
                    _incoming.Enqueue(value);
                }
            }

            public int Read(byte[] buffer, int offset, int count) => ReadAvailable(buffer, offset, count);

            public int ReadAvailable(byte[] buffer, int offset, int count)
            {
                int read = 0;
                while (read < count && _incoming.Count > 0)
                {
                    buffer[offset + read++] = _incoming.Dequeue();
                }

                return read;
            }

            public void Write(byte[] buffer, int offset, int count) => _written.AddRange(buffer.AsSpan(offset, count).ToArray());
        }

        /// <summary>The board's flash, in memory.</summary>
        private sealed class MemoryStore : IModelStore
        {
            public MemoryStore(byte[]? committed)
            {
                Committed = committed;
            }

            public byte[]? Committed { get; private set; }

            public int Commits { get; private set; }

            public byte[]? ReadCommitted() => Committed?.ToArray();

            public bool Commit(byte[] blob)
            {
                Committed = blob.ToArray();
                Commits++;
                return true;
            }
        }
    }
}
