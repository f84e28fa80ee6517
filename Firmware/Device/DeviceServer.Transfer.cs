using System;
using NanoInt8.Runtime;

namespace NanoInt8.Device
{
    /// <summary>Model transfer: LOAD, CHUNK, COMMIT, READ (docs/serial-protocol.md, "Model transfer").</summary>
    /// <remarks>
    /// The blob is received in blocks of <see cref="Protocol.BlockBytes"/>. The device keeps the
    /// first block it lacks (everything before it has arrived: _transferReceived bytes, the whole
    /// blob once the last block is in) and one bit
    /// for each of the <see cref="Protocol.ReceiveWindowBlocks"/> blocks from there, in a ring of
    /// four ints (block b at bit b mod 128): a chunk may arrive in any order within that window and
    /// is stored at once, so a lost chunk costs only itself. Sixteen bytes, whatever the model's size.
    /// </remarks>
    public sealed partial class DeviceServer
    {
        private const int WindowWords = Protocol.ReceiveWindowBlocks / 32;

        // The blob being received; its first 64 bytes are the LOAD header, so a transfer starts at
        // _transferReceived = 64 and resuming compares the new header with these bytes.
        private byte[] _transfer;
        private int _transferReceived;
        private int _transferBlocks;
        private int _firstMissingBlock;

        // Received blocks from the first missing one on: block b at bit (b mod 128), word (b mod 128) / 32.
        private readonly int[] _receivedRing = new int[WindowWords];

        // The stored blob while READ requests follow each other; any other request releases it.
        private byte[] _readCache;

        private ModelError _bootError;

        /// <summary>True while a model transfer is under way (after LOAD, before COMMIT or RESET).</summary>
        public bool TransferInProgress
        {
            get { return _transfer != null; }
        }

        /// <summary>Bytes of the blob received without a gap from its start (header included), 0 without a transfer.</summary>
        public int TransferReceived
        {
            get { return _transferReceived; }
        }

        /// <summary>Why <see cref="Boot"/> refused the stored model, or None.</summary>
        public ModelError BootError
        {
            get { return _bootError; }
        }

        private void HandleLoad(int sequence, byte[] frame, int payload, int length)
        {
            if (!RequireLength(MessageType.Load, sequence, length, ModelFormat.HeaderSize))
            {
                return;
            }

            if (_transfer == null || !SameHeader(frame, payload, _transfer))
            {
                // A different model abandons the transfer under way, before its memory is counted.
                AbortTransfer();
                ModelError error = LoadCheck.Check(frame, payload, length, _info.GetModelBudget(), _info.GetTransferBudget(), _info.MaxWorkPerInference);
                if (error != ModelError.None)
                {
                    SendError(sequence, ProtocolError.ModelRefused, MessageType.Load, (uint)error);
                    return;
                }

                // The one allocation of a transfer: the header proved the size fits the budgets.
                int total = ModelReader.GetTotalLength(frame, payload);
                _transfer = new byte[total];
                _transferBlocks = (total + Protocol.BlockBytes - 1) / Protocol.BlockBytes;
                Array.Copy(frame, payload, _transfer, 0, ModelFormat.HeaderSize);
                RestartReception();
            }

            int at = WriteReceptionState(_responseFrame, FrameCodec.PayloadOffset);
            LittleEndian.WriteUInt16(_responseFrame, at, _maxChunk);
            LittleEndian.WriteUInt16(_responseFrame, at + 2, Protocol.BlockBytes);
            LittleEndian.WriteUInt16(_responseFrame, at + 4, _info.TransferWindowBytes);
            Send(MessageType.LoadAck, sequence, at + 6 - FrameCodec.PayloadOffset);
        }

        private void HandleChunk(int sequence, byte[] frame, int payload, int length)
        {
            int dataLength = length - 4;
            if (dataLength < 1 || dataLength > _maxChunk)
            {
                SendError(sequence, ProtocolError.BadPayload, MessageType.Chunk, 0);
                return;
            }

            if (_transfer == null)
            {
                SendError(sequence, ProtocolError.NoTransfer, MessageType.Chunk, 0);
                return;
            }

            // Whole blocks from a block boundary; only the model's last block may be short.
            uint offset = LittleEndian.ReadUInt32(frame, payload);
            if (offset > (uint)_transfer.Length || dataLength > _transfer.Length - (int)offset || offset % Protocol.BlockBytes != 0
                || (dataLength % Protocol.BlockBytes != 0 && (int)offset + dataLength != _transfer.Length))
            {
                SendError(sequence, ProtocolError.BadChunk, MessageType.Chunk, (uint)_transferReceived);
                return;
            }

            StoreBlocks(frame, payload + 4, (int)offset / Protocol.BlockBytes, dataLength);
            Send(MessageType.ChunkAck, sequence, WriteReceptionState(_responseFrame, FrameCodec.PayloadOffset) - FrameCodec.PayloadOffset);
        }

        // Stores the blocks of a chunk that are in the window and not yet received, then moves the
        // first missing block past every block received without a gap. A block already received is
        // not written again: what the device acknowledged never changes.
        private void StoreBlocks(byte[] frame, int data, int firstBlock, int dataLength)
        {
            int first = _firstMissingBlock;
            int blockCount = (dataLength + Protocol.BlockBytes - 1) / Protocol.BlockBytes;
            for (int k = 0; k < blockCount; k++)
            {
                int block = firstBlock + k;
                int ringBit = block % Protocol.ReceiveWindowBlocks;
                int word = ringBit >> 5;
                int mask = 1 << (ringBit & 31);
                if (block < first || block >= first + Protocol.ReceiveWindowBlocks || (_receivedRing[word] & mask) != 0)
                {
                    continue;
                }

                int start = block * Protocol.BlockBytes;
                int end = start + Protocol.BlockBytes;
                if (end > _transfer.Length)
                {
                    end = _transfer.Length;
                }

                Array.Copy(frame, data + k * Protocol.BlockBytes, _transfer, start, end - start);
                _receivedRing[word] |= mask;
            }

            while (first < _transferBlocks)
            {
                int ringBit = first % Protocol.ReceiveWindowBlocks;
                int mask = 1 << (ringBit & 31);
                if ((_receivedRing[ringBit >> 5] & mask) == 0)
                {
                    break;
                }

                // The bit now stands for block first + 128, not received.
                _receivedRing[ringBit >> 5] &= ~mask;
                first++;
            }

            _firstMissingBlock = first;
            int received = first * Protocol.BlockBytes;
            _transferReceived = received > _transfer.Length ? _transfer.Length : received;
        }

        /// <summary>
        /// Writes u32 receivedUpTo and the 16-byte bitmap of the 128 blocks from the first missing
        /// one (bit i of byte i / 8, least significant first: block ⌈receivedUpTo / 32⌉ + i, all 0
        /// once the transfer is complete) at response[at ..]; returns the offset after them.
        /// </summary>
        private int WriteReceptionState(byte[] response, int at)
        {
            LittleEndian.WriteUInt32(response, at, (uint)_transferReceived);
            int first = _firstMissingBlock;
            int shift = first & 31;
            int startWord = (first % Protocol.ReceiveWindowBlocks) >> 5;
            for (int w = 0; w < WindowWords; w++)
            {
                // Bits first + 32w .. first + 32w + 31: the ring rotated to start at the first missing block.
                uint low = (uint)_receivedRing[(startWord + w) % WindowWords];
                uint high = (uint)_receivedRing[(startWord + w + 1) % WindowWords];
                uint bits = shift == 0 ? low : (low >> shift) | (high << (32 - shift));
                LittleEndian.WriteUInt32(response, at + 4 + 4 * w, bits);
            }

            return at + 4 + Protocol.ReceivedBlocksBytes;
        }

        // Back to only the header received (a new transfer, or a payload CRC that did not match).
        private void RestartReception()
        {
            for (int w = 0; w < WindowWords; w++)
            {
                _receivedRing[w] = 0;
            }

            _transferReceived = ModelFormat.HeaderSize;
            _firstMissingBlock = ModelFormat.HeaderSize / Protocol.BlockBytes;
        }

        private void HandleCommit(int sequence, int length)
        {
            if (!RequireLength(MessageType.Commit, sequence, length, 0))
            {
                return;
            }

            if (_transfer == null)
            {
                SendError(sequence, ProtocolError.NoTransfer, MessageType.Commit, 0);
                return;
            }

            byte[] blob = _transfer;
            if (_transferReceived < blob.Length)
            {
                SendError(sequence, ProtocolError.Incomplete, MessageType.Commit, (uint)_transferReceived);
                return;
            }

            uint crc = Crc32.Compute(blob, ModelFormat.HeaderSize, blob.Length - ModelFormat.HeaderSize);
            if (crc != ModelReader.GetPayloadCrc(blob, 0))
            {
                // The bytes after the header are wrong somewhere: the host sends them again.
                RestartReception();
                SendError(sequence, ProtocolError.CrcMismatch, MessageType.Commit, crc);
                return;
            }

            Model model;
            ModelError error = ModelReader.TryRead(blob, _info.GetModelBudget(), _info.MaxWorkPerInference, out model);
            if (error != ModelError.None)
            {
                RestartReception();
                SendError(sequence, ProtocolError.ModelRefused, MessageType.Commit, (uint)error);
                return;
            }

            Interpreter interpreter = new Interpreter(model);
            bool stored;
            try
            {
                stored = _store.Commit(blob);
            }
            catch (Exception)
            {
                stored = false;
            }

            if (!stored)
            {
                // The bytes are good: a repeated COMMIT tries the write again.
                SendError(sequence, ProtocolError.StorageFailed, MessageType.Commit, 0);
                return;
            }

            AbortTransfer();
            Activate(interpreter, crc, blob.Length);
            SendUInt32(MessageType.CommitAck, sequence, crc);
        }

        private void HandleRead(int sequence, byte[] frame, int payload, int length)
        {
            if (!RequireLength(MessageType.Read, sequence, length, 6))
            {
                return;
            }

            uint offset = LittleEndian.ReadUInt32(frame, payload);
            int count = LittleEndian.ReadUInt16(frame, payload + 4);
            if (count < 1 || count > Protocol.MaxDataLength)
            {
                SendError(sequence, ProtocolError.BadPayload, MessageType.Read, 0);
                return;
            }

            if (_readCache == null)
            {
                try
                {
                    _readCache = _store.ReadCommitted();
                }
                catch (Exception)
                {
                    _readCache = null;
                }
            }

            byte[] stored = _readCache;
            if (stored == null)
            {
                SendError(sequence, ProtocolError.NoModel, MessageType.Read, 0);
                return;
            }

            if (offset > (uint)stored.Length || count > stored.Length - (int)offset)
            {
                SendError(sequence, ProtocolError.BadRange, MessageType.Read, 0);
                return;
            }

            byte[] response = _responseFrame;
            LittleEndian.WriteUInt32(response, FrameCodec.PayloadOffset, offset);
            Array.Copy(stored, (int)offset, response, FrameCodec.PayloadOffset + 4, count);
            Send(MessageType.ReadData, sequence, 4 + count);
        }

        private void AbortTransfer()
        {
            _transfer = null;
            _transferReceived = 0;
            _transferBlocks = 0;
            _firstMissingBlock = 0;
        }

        private static bool SameHeader(byte[] frame, int payload, byte[] blob)
        {
            for (int i = 0; i < ModelFormat.HeaderSize; i++)
            {
                if (frame[payload + i] != blob[i])
                {
                    return false;
                }
            }

            return true;
        }
    }
}
