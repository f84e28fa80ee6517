using System.Diagnostics;
using NanoInt8.Device;
using NanoInt8.Runtime;

namespace NanoInt8.Host.Device
{
    public sealed partial class DeviceClient
    {
        /// <summary>
        /// One LOAD session of a model transfer: LOAD with CHUNKs right behind it, every block the
        /// device has not acknowledged sent until it has them all, then COMMIT and INFO
        /// (docs/serial-protocol.md, "Model transfer").
        /// </summary>
        /// <remarks>
        /// <para>Selective repeat. Every CHUNK_ACK says how far the device has every byte
        /// (receivedUpTo) and which of the next 128 blocks it has. The device takes chunks in the
        /// order they come, so when a chunk's answer arrives, an earlier chunk whose blocks it still
        /// lacks was lost: exactly those blocks are sent again, at once. When no answer comes within
        /// the retransmission timer (the measured round trip), everything in flight counts as lost.
        /// The blocks of a lost chunk's answer are acknowledged by the next answer, so they are not
        /// sent again.</para>
        /// <para>Growth. Chunks grow into the device's maxChunk only while the line carries them:
        /// from <see cref="Protocol.BaseModelChunk"/>, doubled by each chunk of the full size that
        /// arrives, back to it at any loss (the limit lasts the session, like the line's error rate).
        /// A fresh session assumes a clean line, and a first window of the largest chunks on a
        /// noisy one would all be lost and wait for the retransmission timer.</para>
        /// <para>Flow. CHUNK frames in flight are at most the device's windowBytes (before its
        /// LOAD_ACK arrives, <see cref="Protocol.MinWindowBytes"/> in all, not refilled); while
        /// errors keep the chunks smaller than the line has carried, at most
        /// <see cref="Protocol.ChunksPerWindow"/> of them or <see cref="SmallChunkWindowBytes"/>;
        /// and no chunk reaches beyond the
        /// 128 blocks the device tracks from its first missing block. The chunk size follows the
        /// line (<see cref="LineQuality"/>): whole blocks, from one to the device's maxChunk
        /// (<see cref="Protocol.BaseModelChunk"/> before its LOAD_ACK says how many).</para>
        /// <para>Chunks go out behind the LOAD without waiting for its answer, unless a transfer of
        /// the same model broke off earlier in this session (then the LOAD_ACK says where the device
        /// resumes, and only what it lacks is sent). If the LOAD is lost
        /// or refused they are answered NoTransfer (ignored until the LOAD is answered); if the
        /// device resumes a transfer of the same model, they are duplicates it ignores; and if it
        /// holds another model's transfer, their bytes land there and that transfer's payload CRC
        /// catches them at its COMMIT.</para>
        /// </remarks>
        private sealed class BlockTransfer
        {
            // Wire bytes of a CHUNK besides its data: type, sequence, length, offset, CRC, COBS's
            // first code byte and the delimiter (LineQuality counts COBS's byte per 254).
            private const int ChunkOverhead = 4 + 4 + 4 + 1 + 1;

            // Wire bytes in flight while the chunks are small (a noisy line): version 2's window,
            // which keeps a 921,600-baud line with 5 ms each way busy. More only queues on the line
            // and lengthens the measured round trip, so a timeout waits longer and sends more again
            // (bench/TransferEfficiency at 1e-3 drops, flips and duplicates: about 50 % of the line
            // with 3,968 bytes in flight, 52-55 % with 2,048, 40 % with two small chunks and a round trip).
            private const int SmallChunkWindowBytes = 2048;

            private readonly DeviceClient _client;
            private readonly byte[] _blob;
            private readonly uint _expectedCrc;
            private readonly TransferState _state;
            private readonly IProgress<TransferProgress>? _progress;
            private readonly int _blocks;
            // The host's picture of the device: the blocks it has, and the first it lacks.
            private readonly bool[] _received;
            // Blocks some chunk in flight carries, and blocks ever sent (to count what is sent again).
            private readonly bool[] _inFlight;
            private readonly bool[] _everSent;
            private readonly List<Chunk> _flight = new List<Chunk>();
            private readonly byte[] _payload = new byte[4 + Protocol.LargestModelChunk];
            private int _firstMissing;
            private int _flightBytes;
            private int _blindBytes;
            // Wire bytes of chunks that may go behind the LOAD before its answer.
            private readonly int _blindLimit;
            private long _order;
            private int _load;
            private bool _loadAnswered;
            private int _windowBytes = Protocol.MinWindowBytes;
            private int _maxChunk = Protocol.BaseModelChunk;
            private int _commit = -1;
            private int _info = -1;
            private long _lastProgress;
            private long _lastHeard;
            private long _bytesRead;

            public BlockTransfer(DeviceClient client, byte[] blob, uint expectedCrc, TransferState state, IProgress<TransferProgress>? progress)
            {
                _client = client;
                _blob = blob;
                _expectedCrc = expectedCrc;
                _state = state;
                _progress = progress;
                _blocks = (blob.Length + Protocol.BlockBytes - 1) / Protocol.BlockBytes;
                _received = new bool[_blocks];
                _inFlight = new bool[_blocks];
                _everSent = new bool[_blocks];
                _firstMissing = ModelFormat.HeaderSize / Protocol.BlockBytes;
                // A transfer of this model broke off earlier in this session: the device most
                // likely resumes somewhere further on, so nothing goes before its LOAD_ACK says where.
                byte[] header = blob[..ModelFormat.HeaderSize];
                _blindLimit = client._unfinishedHeader is byte[] unfinished && unfinished.AsSpan().SequenceEqual(header) ? 0 : Protocol.MinWindowBytes;
                client._unfinishedHeader = header;
                for (int block = 0; block < _firstMissing; block++)
                {
                    // The header travels in the LOAD.
                    _received[block] = true;
                    _everSent[block] = true;
                }
            }

            /// <summary>
            /// Runs the session: the confirming INFO of the committed model, or null when the
            /// device wants the transfer started again (a payload CRC that did not match).
            /// </summary>
            public DeviceInformation? Run(CancellationToken cancellationToken)
            {
                DeviceClient client = _client;
                client.Start();
                _load = client.NextSequence();
                client._channel.Send(MessageType.Load, _load, _blob.AsSpan(0, ModelFormat.HeaderSize));
                long loadSent = Stopwatch.GetTimestamp();
                _lastProgress = loadSent;
                _lastHeard = loadSent;
                _bytesRead = client._channel.BytesRead;
                _state.Acknowledged = Math.Max(_state.Acknowledged, ModelFormat.HeaderSize);
                while (true)
                {
                    bool allIn = _loadAnswered && _firstMissing >= _blocks;
                    if (allIn && _commit < 0)
                    {
                        break;
                    }

                    if (!allIn)
                    {
                        SendWhatFits();
                    }

                    if (_loadAnswered && _commit < 0 && NothingLeftToSend())
                    {
                        // COMMIT and INFO right behind the last chunk: if a chunk was lost, the
                        // device answers Incomplete and the chunk goes again.
                        _commit = client.NextSequence();
                        _info = client.NextSequence();
                        client._channel.Send(MessageType.Commit, _commit, ReadOnlySpan<byte>.Empty);
                        client._channel.Send(MessageType.Info, _info, ReadOnlySpan<byte>.Empty);
                    }

                    int wait = client._timer.Milliseconds + client.LineMilliseconds(_flightBytes + (2 * FrameCodec.MaxWireLength));
                    Frame? received = client.Receive(Deadline(wait), cancellationToken);
                    if (received is not Frame frame)
                    {
                        TimedOut(loadSent);
                        continue;
                    }

                    _lastHeard = Stopwatch.GetTimestamp();
                    if (frame.Sequence == _load && IsAnswerTo(frame, MessageType.Load))
                    {
                        ReadLoadAnswer(frame, loadSent);
                    }
                    else if (frame.Sequence == _commit && IsAnswerTo(frame, MessageType.Commit))
                    {
                        CommitOutcome outcome = ReadCommitAnswer(frame, _blob, _expectedCrc, _state);
                        if (outcome == CommitOutcome.Committed)
                        {
                            return client.AwaitInformation(_info, _expectedCrc, _state, cancellationToken);
                        }

                        if (outcome == CommitOutcome.NoTransfer)
                        {
                            return client.CommittedAlready(_expectedCrc, cancellationToken);
                        }

                        if (outcome == CommitOutcome.StorageFailed)
                        {
                            return client.CommitAndConfirm(_blob, _expectedCrc, _state, cancellationToken);
                        }

                        if (outcome == CommitOutcome.Damaged)
                        {
                            // Damaged on the line, and the device starts over from the header.
                            return null;
                        }

                        // Incomplete: the device handled every chunk before the COMMIT, so those
                        // still in flight were lost; their blocks go again, then a new COMMIT.
                        for (int index = _flight.Count - 1; index >= 0; index--)
                        {
                            Forget(index, lost: true);
                        }

                        _commit = -1;
                    }
                    else if (frame.Sequence == _info && IsAnswerTo(frame, MessageType.Info))
                    {
                        // In order, so the COMMIT's answer was lost; the INFO says whether it committed.
                        DeviceInformation after = client.StoreInformation(frame.Payload);
                        if (after.ModelLoaded && after.ModelCrc == _expectedCrc)
                        {
                            return after;
                        }
                    }
                    else
                    {
                        ReadChunkAnswer(frame);
                    }

                    CheckStall();
                }

                return client.CommitAndConfirm(_blob, _expectedCrc, _state, cancellationToken);
            }

            private bool NothingLeftToSend()
            {
                for (int block = _firstMissing; block < _blocks; block++)
                {
                    if (!_received[block] && !_inFlight[block])
                    {
                        return false;
                    }
                }

                return true;
            }

            /// <summary>Sends chunks of blocks neither received nor in flight while the window has room.</summary>
            private void SendWhatFits()
            {
                int windowEnd = Math.Min(_blocks, _firstMissing + Protocol.ReceiveWindowBlocks);
                int chunkLimit = Math.Min(_maxChunk, _client._chunkLimit);
                int chunkBlocks = _client._quality.BestDataBytes(Protocol.BlockBytes, chunkLimit, ChunkOverhead) / Protocol.BlockBytes;
                int window = UsableWindow(chunkBlocks * Protocol.BlockBytes, chunkLimit);
                int block = _firstMissing;
                while (true)
                {
                    while (block < windowEnd && (_received[block] || _inFlight[block]))
                    {
                        block++;
                    }

                    if (block >= windowEnd)
                    {
                        return;
                    }

                    int end = block + 1;
                    while (end < windowEnd && end - block < chunkBlocks && !_received[end] && !_inFlight[end])
                    {
                        end++;
                    }

                    int offset = block * Protocol.BlockBytes;
                    int length = Math.Min(end * Protocol.BlockBytes, _blob.Length) - offset;
                    int wireBytes = Cobs.MaxEncodedLength(FrameCodec.Overhead + 4 + length) + 1;
                    if (!_loadAnswered && _blindBytes + wireBytes > _blindLimit)
                    {
                        // Before the LOAD is answered only the first window goes out, once (none
                        // when resuming): if the LOAD was lost, the chunks behind it may be too.
                        return;
                    }

                    if (_loadAnswered && _flight.Count > 0 && _flightBytes + wireBytes > window)
                    {
                        return;
                    }

                    LittleEndian.WriteUInt32(_payload, 0, (uint)offset);
                    Array.Copy(_blob, offset, _payload, 4, length);
                    int sequence = _client.NextSequence();
                    bool again = false;
                    for (int b = block; b < end; b++)
                    {
                        again |= _everSent[b];
                        _everSent[b] = true;
                        _inFlight[b] = true;
                    }

                    _state.CountSent(length, again);
                    int written = _client._channel.Send(MessageType.Chunk, sequence, _payload.AsSpan(0, 4 + length));
                    _flight.Add(new Chunk(sequence, block, end, written, Stopwatch.GetTimestamp(), _order++));
                    _flightBytes += written;
                    _blindBytes += _loadAnswered ? 0 : written;
                    block = end;
                }
            }

            /// <summary>
            /// The wire bytes of chunks to keep in flight: the device's windowBytes while the chunks
            /// are as large as the line has carried (a clean line); when errors make them smaller,
            /// <see cref="Protocol.ChunksPerWindow"/> chunks of the current size, so one is on the line
            /// while the answer to the other comes back, but at least <see cref="SmallChunkWindowBytes"/>.
            /// </summary>
            private int UsableWindow(int chunkBytes, int chunkLimit)
            {
                if (chunkBytes >= chunkLimit)
                {
                    return _windowBytes;
                }

                int chunkWireBytes = Cobs.MaxEncodedLength(FrameCodec.Overhead + 4 + chunkBytes) + 1;
                return Math.Min(_windowBytes, Math.Max(SmallChunkWindowBytes, Protocol.ChunksPerWindow * chunkWireBytes));
            }

            private void ReadLoadAnswer(Frame frame, long loadSent)
            {
                if (frame.Type == MessageType.Error)
                {
                    throw ToException(ParseError(frame));
                }

                byte[] ack = Expect(frame, MessageType.Load, MessageType.LoadAck, 4 + Protocol.ReceivedBlocksBytes + 6);
                int at = 4 + Protocol.ReceivedBlocksBytes;
                int maxChunk = LittleEndian.ReadUInt16(ack, at);
                int blockBytes = LittleEndian.ReadUInt16(ack, at + 2);
                int windowBytes = LittleEndian.ReadUInt16(ack, at + 4);
                long receivedUpTo = LittleEndian.ReadUInt32(ack, 0);
                if (blockBytes != Protocol.BlockBytes || maxChunk < Protocol.BaseModelChunk || maxChunk > Protocol.LargestModelChunk || maxChunk % blockBytes != 0
                    || windowBytes < Protocol.MinWindowBytes || receivedUpTo < ModelFormat.HeaderSize || receivedUpTo > _blob.Length)
                {
                    throw new DeviceProtocolException(
                        $"The device answered LOAD with receivedUpTo {receivedUpTo}, maxChunk {maxChunk}, blockBytes {blockBytes}, windowBytes {windowBytes}, which protocol version {Protocol.Version} does not allow for a {_blob.Length}-byte model.");
                }

                if (!_loadAnswered)
                {
                    _client._timer.Sample(Stopwatch.GetElapsedTime(loadSent).TotalMilliseconds);
                    _state.ResumeOffsets.Add((int)receivedUpTo);
                    _state.StartRate(receivedUpTo);
                }

                _loadAnswered = true;
                _maxChunk = maxChunk;
                _windowBytes = windowBytes;
                _state.MaxChunk = maxChunk;
                _state.WindowBytes = windowBytes;
                // Only adds blocks received: the LOAD was handled before the chunks behind it.
                TakeReceptionState(ack, losses: false, answered: null);
            }

            private void ReadChunkAnswer(Frame frame)
            {
                int index = _flight.FindIndex(chunk => chunk.Sequence == frame.Sequence);
                Chunk? answered = index >= 0 ? _flight[index] : null;
                if (answered is Chunk chunk)
                {
                    _client._timer.Sample(Stopwatch.GetElapsedTime(chunk.SentAt).TotalMilliseconds);
                }

                if (frame.Type == MessageType.Error)
                {
                    if (answered is null || !IsAnswerTo(frame, MessageType.Chunk))
                    {
                        return;
                    }

                    DeviceError error = ParseError(frame);
                    if (error.Code == ProtocolError.NoTransfer && !_loadAnswered)
                    {
                        // Sent behind a LOAD that was lost or not yet handled: it goes again.
                        Forget(index, lost: true);
                        return;
                    }

                    throw error.Code == ProtocolError.NoTransfer
                        ? new DeviceErrorException(error.Code, error.RequestType, error.Detail, "The device lost the transfer.")
                        : ToException(error);
                }

                if (frame.Type != MessageType.ChunkAck)
                {
                    return;
                }

                if (frame.Payload.Length != 4 + Protocol.ReceivedBlocksBytes)
                {
                    throw Malformed(MessageType.Chunk, frame);
                }

                TakeReceptionState(frame.Payload, losses: true, answered);
            }

            /// <summary>
            /// Marks the blocks the device says it has (receivedUpTo and the bitmap after it);
            /// with <paramref name="losses"/>, chunks sent before the answered one that the device
            /// still lacks were lost and go again.
            /// </summary>
            private void TakeReceptionState(byte[] payload, bool losses, Chunk? answered)
            {
                long receivedUpTo = LittleEndian.ReadUInt32(payload, 0);
                if (receivedUpTo > _blob.Length)
                {
                    throw new DeviceProtocolException($"The device acknowledged {receivedUpTo} bytes of {_blob.Length}.");
                }

                int first = receivedUpTo == _blob.Length ? _blocks : (int)(receivedUpTo / Protocol.BlockBytes);
                for (int block = _firstMissing; block < first; block++)
                {
                    _received[block] = true;
                }

                for (int i = 0; i < Protocol.ReceiveWindowBlocks && first + i < _blocks; i++)
                {
                    if ((payload[4 + (i >> 3)] & (1 << (i & 7))) != 0)
                    {
                        _received[first + i] = true;
                    }
                }

                if (first > _firstMissing)
                {
                    _firstMissing = first;
                    _lastProgress = Stopwatch.GetTimestamp();
                    _state.Acknowledged = Math.Min(_blob.Length, (long)first * Protocol.BlockBytes);
                    _progress?.Report(_state.Progress(_state.Acknowledged));
                }

                long answeredOrder = answered?.Order ?? -1;
                for (int index = _flight.Count - 1; index >= 0; index--)
                {
                    Chunk chunk = _flight[index];
                    if (AllReceived(chunk))
                    {
                        Forget(index, lost: false);
                    }
                    else if (losses && chunk.Order <= answeredOrder)
                    {
                        // The device handled it (it answered a later or this very chunk) without taking it.
                        Forget(index, lost: true);
                    }
                }
            }

            private bool AllReceived(Chunk chunk)
            {
                for (int block = chunk.First; block < chunk.End; block++)
                {
                    if (!_received[block])
                    {
                        return false;
                    }
                }

                return true;
            }

            // Takes a chunk out of flight; a lost one's blocks are free to be sent again.
            private void Forget(int index, bool lost)
            {
                Chunk chunk = _flight[index];
                _flight.RemoveAt(index);
                _flightBytes -= chunk.WireBytes;
                for (int block = chunk.First; block < chunk.End; block++)
                {
                    _inFlight[block] = false;
                }

                if (lost)
                {
                    _client._quality.Lost(chunk.WireBytes);
                    _state.Retransmissions++;
                    _client._chunkLimit = Protocol.BaseModelChunk;
                }
                else
                {
                    _client._quality.Delivered(chunk.WireBytes);
                    if ((chunk.End - chunk.First) * Protocol.BlockBytes >= _client._chunkLimit)
                    {
                        _client._chunkLimit = Math.Min(Protocol.LargestModelChunk, 2 * _client._chunkLimit);
                    }
                }
            }

            /// <summary>
            /// No answer within the retransmission timer: everything in flight counts as lost, a
            /// LOAD not yet answered goes again, and a device silent for the whole silence limit
            /// (not a byte arrived) is given up.
            /// </summary>
            private void TimedOut(long loadSent)
            {
                DeviceClient client = _client;
                long bytesRead = client._channel.BytesRead;
                if (bytesRead != _bytesRead)
                {
                    // Something arrived, if only noise: the device is there.
                    _bytesRead = bytesRead;
                    _lastHeard = Stopwatch.GetTimestamp();
                }

                // A LOAD and its LOAD_ACK must get through at the line's error rate.
                int clean = client._options.RequestTimeoutMilliseconds * client._options.Attempts;
                int exchange = (2 * (FrameCodec.Overhead + 2)) + ModelFormat.HeaderSize + 4 + Protocol.ReceivedBlocksBytes + 6;
                int silenceLimit = (int)(clean * client._quality.SilenceFactor(exchange, Math.Max(1.0, client._options.StallTimeoutMilliseconds / (double)clean)));
                if (Stopwatch.GetElapsedTime(_lastHeard).TotalMilliseconds >= silenceLimit)
                {
                    throw new DeviceTimeoutException(client.Link.Name, silenceLimit);
                }

                for (int index = _flight.Count - 1; index >= 0; index--)
                {
                    Forget(index, lost: true);
                }

                if (!_loadAnswered)
                {
                    client._quality.Lost(FrameCodec.Overhead + ModelFormat.HeaderSize);
                    client._channel.Send(MessageType.Load, _load, _blob.AsSpan(0, ModelFormat.HeaderSize));
                }

                if (_commit >= 0)
                {
                    // The COMMIT (or its answer) may be lost too: once every block is in, the full COMMIT follows.
                    _commit = -1;
                }

                CheckStall();
            }

            private void CheckStall()
            {
                if (Stopwatch.GetElapsedTime(_lastProgress).TotalMilliseconds >= _client._options.StallTimeoutMilliseconds)
                {
                    throw new TransferFailedException(
                        $"The device stopped taking data at byte {Bytes(_state.Acknowledged)} of {Bytes(_blob.Length)}.", _state.Acknowledged);
                }
            }

            /// <summary>A chunk in flight: its sequence number, blocks [First, End), wire bytes, when and in what order it was sent.</summary>
            private readonly record struct Chunk(int Sequence, int First, int End, int WireBytes, long SentAt, long Order);
        }
    }
}
