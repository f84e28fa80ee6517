// API checked against: nanoframework/System.IO.FileSystem v1.1.93 (434b26c), System.IO.FileSystem/File.cs
// (Exists; Delete: no-op when the file is missing; Move: IOException when the destination exists, native
// rename, copy-then-delete fallback) and System.IO.FileSystem/FileStream.cs (FileMode.Create/Open,
// FileAccess, FileShare, Length, Read, Write, Flush, Dispose). The drive: nanoframework/nf-interpreter
// a3e8139, targets/ESP32/ESP32/target_FileSystem.cpp (I: is the one LittleFS volume, on the "config"
// partition of targets/ESP32/_IDF/*/partitions_nanoclr_*.csv) and targets/ESP32/_littlefs/littlefs_FS_Driver.cpp
// (Move is rename()). Largest object: src/CLR/Include/nanoCLR_Runtime__HeapBlock.h (HB_MaxSize 0xFFFF
// blocks of 12 bytes) and src/CLR/Core/Execution.cpp (ExtractHeapBlocksForArray).
using System;
using System.IO;
using NanoInt8.Device;
using NanoInt8.Runtime;

namespace NanoInt8.App
{
    /// <summary>
    /// <see cref="IModelStore"/> on the internal flash drive I:\ (LittleFS on ESP32).
    /// </summary>
    /// <remarks>
    /// Two files: model.ni8 (the committed model) and model.new (a model being committed). A commit
    /// 1. finishes an interrupted earlier commit (model.ni8 not whole, model.new whole: rename it),
    ///    so that step 2 never overwrites the only whole copy;
    /// 2. writes model.new and reads it back against the blob;
    /// 3. deletes model.ni8;
    /// 4. renames model.new to model.ni8 (File.Move; should the rename fail, nanoFramework copies
    ///    and then deletes, and model.new stays whole until the copy is).
    /// At every moment one whole copy exists: the old model.ni8 until step 3, model.new from step 2.
    /// Reading prefers model.ni8 and falls back to model.new when model.ni8 is missing or not whole
    /// ("whole": a valid header, the file exactly totalLength bytes long, the payload CRC right).
    /// When both are whole (a power cut between steps 2 and 3), model.ni8 is the committed model:
    /// that commit never returned. The server validates whatever it gets anyway.
    /// A blob needs room for two copies on I: (256 KB partition with 4 MB flash, 2 MB with 8 MB).
    /// </remarks>
    public sealed class FlashModelStore : IModelStore
    {
        /// <summary>The committed model.</summary>
        public const string CommittedPath = "I:\\model.ni8";

        /// <summary>A model being committed.</summary>
        public const string PendingPath = "I:\\model.new";

        // nanoCLR allocates at most 65,535 heap blocks of 12 bytes per object, 20 of them the
        // header of an array: no byte[] can be longer.
        private const int LargestArrayBytes = 65535 * 12 - 20;

        private const int ChunkSize = 512;

        private readonly int _maxBlobBytes;
        private readonly byte[] _chunk = new byte[ChunkSize];

        /// <summary>A store that loads blobs of at most <paramref name="maxBlobBytes"/> bytes.</summary>
        /// <param name="maxBlobBytes">
        /// The longest blob <see cref="ReadCommitted"/> may allocate: heap this device can spare. A
        /// longer stored model is not loaded, rather than exhausting the heap at every boot.
        /// </param>
        public FlashModelStore(int maxBlobBytes)
        {
            _maxBlobBytes = maxBlobBytes < LargestArrayBytes ? maxBlobBytes : LargestArrayBytes;
        }

        /// <inheritdoc/>
        public byte[] ReadCommitted()
        {
            byte[] blob;
            if (TryReadWhole(CommittedPath, out blob))
            {
                return blob;
            }

            TryReadWhole(PendingPath, out blob);
            return blob;
        }

        /// <inheritdoc/>
        public bool Commit(byte[] blob)
        {
            if (blob == null || blob.Length < ModelFormat.HeaderSize)
            {
                return false;
            }

            try
            {
                FinishInterruptedCommit();
            }
            catch (Exception)
            {
                return false;
            }

            try
            {
                WriteWhole(PendingPath, blob);
                if (!Matches(PendingPath, blob))
                {
                    DeleteQuietly(PendingPath);
                    return false;
                }
            }
            catch (Exception)
            {
                // Full drive or a write error: model.ni8 is untouched (step 1 made it whole, or no
                // whole copy existed at all), so the partial model.new can go.
                DeleteQuietly(PendingPath);
                return false;
            }

            try
            {
                File.Delete(CommittedPath);
            }
            catch (Exception)
            {
                // The old model.ni8 is still there and still preferred by ReadCommitted.
                return false;
            }

            try
            {
                File.Move(PendingPath, CommittedPath);
            }
            catch (Exception)
            {
                // model.new is now the only copy and whole: ReadCommitted falls back to it, and the
                // next commit renames it first (step 1). The new model is committed.
            }

            return true;
        }

        private void FinishInterruptedCommit()
        {
            if (IsWhole(CommittedPath) || !IsWhole(PendingPath))
            {
                return;
            }

            // model.ni8 is missing or a damaged leftover; model.new is the only whole copy.
            File.Delete(CommittedPath);
            File.Move(PendingPath, CommittedPath);
        }

        // True when the file exists and holds a whole model: blob is that model, or null when it is
        // longer than this device can allocate. False when the file is missing or not whole.
        private bool TryReadWhole(string path, out byte[] blob)
        {
            blob = null;
            try
            {
                if (!File.Exists(path))
                {
                    return false;
                }

                using (FileStream stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read))
                {
                    int totalLength = ReadHeader(stream);
                    if (totalLength < 0)
                    {
                        return false;
                    }

                    if (totalLength > _maxBlobBytes)
                    {
                        return true;
                    }

                    byte[] whole = new byte[totalLength];
                    Array.Copy(_chunk, 0, whole, 0, ModelFormat.HeaderSize);
                    if (!ReadFully(stream, whole, ModelFormat.HeaderSize, totalLength - ModelFormat.HeaderSize)
                        || Crc32.Compute(whole, ModelFormat.HeaderSize, totalLength - ModelFormat.HeaderSize) != ModelReader.GetPayloadCrc(whole, 0))
                    {
                        return false;
                    }

                    blob = whole;
                    return true;
                }
            }
            catch (Exception)
            {
                blob = null;
                return false;
            }
        }

        // Checks a file without loading it: header, length and payload CRC, 512 bytes at a time.
        private bool IsWhole(string path)
        {
            try
            {
                if (!File.Exists(path))
                {
                    return false;
                }

                using (FileStream stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read))
                {
                    int totalLength = ReadHeader(stream);
                    if (totalLength < 0)
                    {
                        return false;
                    }

                    uint expectedCrc = ModelReader.GetPayloadCrc(_chunk, 0);
                    uint crc = Crc32.Initial;
                    int remaining = totalLength - ModelFormat.HeaderSize;
                    while (remaining > 0)
                    {
                        int count = remaining < ChunkSize ? remaining : ChunkSize;
                        if (!ReadFully(stream, _chunk, 0, count))
                        {
                            return false;
                        }

                        crc = Crc32.Update(crc, _chunk, 0, count);
                        remaining -= count;
                    }

                    return Crc32.Finish(crc) == expectedCrc;
                }
            }
            catch (Exception)
            {
                return false;
            }
        }

        // Reads the 64-byte header into _chunk. Returns totalLength when the header is valid and the
        // file is exactly that long, otherwise -1. The budget check is the server's, not the store's.
        private int ReadHeader(FileStream stream)
        {
            long length = stream.Length;
            if (length < ModelFormat.HeaderSize || length > int.MaxValue
                || !ReadFully(stream, _chunk, 0, ModelFormat.HeaderSize)
                || ModelReader.CheckHeader(_chunk, 0, ModelFormat.HeaderSize, int.MaxValue) != ModelError.None)
            {
                return -1;
            }

            int totalLength = ModelReader.GetTotalLength(_chunk, 0);
            return totalLength == length ? totalLength : -1;
        }

        // Compares the file with the blob, 512 bytes at a time.
        private bool Matches(string path, byte[] blob)
        {
            using (FileStream stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read))
            {
                if (stream.Length != blob.Length)
                {
                    return false;
                }

                int position = 0;
                while (position < blob.Length)
                {
                    int count = blob.Length - position;
                    if (count > ChunkSize)
                    {
                        count = ChunkSize;
                    }

                    if (!ReadFully(stream, _chunk, 0, count))
                    {
                        return false;
                    }

                    for (int i = 0; i < count; i++)
                    {
                        if (_chunk[i] != blob[position + i])
                        {
                            return false;
                        }
                    }

                    position += count;
                }

                return true;
            }
        }

        private static void WriteWhole(string path, byte[] blob)
        {
            using (FileStream stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                stream.Write(blob, 0, blob.Length);
                stream.Flush();
            }
        }

        private static bool ReadFully(FileStream stream, byte[] buffer, int offset, int count)
        {
            while (count > 0)
            {
                int read = stream.Read(buffer, offset, count);
                if (read <= 0)
                {
                    return false;
                }

                offset += read;
                count -= read;
            }

            return true;
        }

        private static void DeleteQuietly(string path)
        {
            try
            {
                File.Delete(path);
            }
            catch (Exception)
            {
                // Nothing to do: a leftover model.new is overwritten by the next commit.
            }
        }
    }
}
