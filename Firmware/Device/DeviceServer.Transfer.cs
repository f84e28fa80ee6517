using System;
using NanoInt8.Runtime;

namespace NanoInt8.Device
{
    /// <summary>Model transfer: LOAD, CHUNK, COMMIT, READ (docs/serial-protocol.md, "Model transfer").</summary>
    public sealed partial class DeviceServer
    {
        // The blob being received; its first 64 bytes are the LOAD header, so a transfer starts at
        // _transferReceived = 64 and resuming compares the new header with these bytes.
        private byte[] _transfer;
        private int _transferReceived;

        // The stored blob while READ requests follow each other; any other request releases it.
        private byte[] _readCache;

        // A successful COMMIT's sequence: repeating that COMMIT (its answer was lost) gets the same
        // COMMIT_ACK again, although the transfer it committed is gone.
        private bool _commitRepeatable;
        private int _commitSequence;

        private ModelError _bootError;

        /// <summary>True while a model transfer is under way (after LOAD, before COMMIT or RESET).</summary>
        public bool TransferInProgress
        {
            get { return _transfer != null; }
        }

        /// <summary>Bytes of the blob received so far (header included), 0 without a transfer.</summary>
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
                ModelError error = ModelReader.CheckHeader(frame, payload, length, _info.GetModelBudget());
                if (error == ModelError.None)
                {
                    long needed = (long)ModelReader.GetDeviceBytes(frame, payload) + ModelReader.GetTotalLength(frame, payload);
                    if (needed > _info.GetTransferBudget())
                    {
                        error = ModelError.TooLarge;
                    }
                }

                if (error != ModelError.None)
                {
                    SendError(sequence, ProtocolError.ModelRefused, MessageType.Load, (uint)error);
                    return;
                }

                // The one allocation of a transfer: the header proved the size fits the budgets.
                _transfer = new byte[ModelReader.GetTotalLength(frame, payload)];
                Array.Copy(frame, payload, _transfer, 0, ModelFormat.HeaderSize);
                _transferReceived = ModelFormat.HeaderSize;
            }

            byte[] response = _responseFrame;
            int at = FrameCodec.PayloadOffset;
            LittleEndian.WriteUInt32(response, at, (uint)_transferReceived);
            LittleEndian.WriteUInt16(response, at + 4, Protocol.MaxChunkData);
            response[at + 6] = (byte)_info.TransferWindow;
            Send(MessageType.LoadAck, sequence, 7);
        }

        private void HandleChunk(int sequence, byte[] frame, int payload, int length)
        {
            int dataLength = length - 4;
            if (dataLength < 1 || dataLength > Protocol.MaxChunkData)
            {
                SendError(sequence, ProtocolError.BadPayload, MessageType.Chunk, 0);
                return;
            }

            if (_transfer == null)
            {
                SendError(sequence, ProtocolError.NoTransfer, MessageType.Chunk, 0);
                return;
            }

            uint offset = LittleEndian.ReadUInt32(frame, payload);
            if (offset > (uint)_transfer.Length || dataLength > _transfer.Length - (int)offset)
            {
                SendError(sequence, ProtocolError.BadChunk, MessageType.Chunk, (uint)_transferReceived);
                return;
            }

            // Go-back-N: only the chunk at exactly receivedUpTo is taken; a duplicate or early one
            // changes nothing and gets the same cumulative acknowledgement.
            if ((int)offset == _transferReceived)
            {
                Array.Copy(frame, payload + 4, _transfer, (int)offset, dataLength);
                _transferReceived += dataLength;
            }

            SendUInt32(MessageType.ChunkAck, sequence, (uint)_transferReceived);
        }

        private void HandleCommit(int sequence, int length, bool commitRepeatable)
        {
            if (!RequireLength(MessageType.Commit, sequence, length, 0))
            {
                return;
            }

            if (_transfer == null)
            {
                if (commitRepeatable && sequence == _commitSequence && _interpreter != null)
                {
                    _commitRepeatable = true;
                    SendUInt32(MessageType.CommitAck, sequence, _modelCrc);
                    return;
                }

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
                _transferReceived = ModelFormat.HeaderSize;
                SendError(sequence, ProtocolError.CrcMismatch, MessageType.Commit, crc);
                return;
            }

            Model model;
            ModelError error = ModelReader.TryRead(blob, _info.GetModelBudget(), out model);
            if (error != ModelError.None)
            {
                _transferReceived = ModelFormat.HeaderSize;
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
            _commitSequence = sequence;
            _commitRepeatable = true;
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
