using System;

namespace NanoInt8.Device.Tests
{
    /// <summary>An <see cref="IModelStore"/> in memory that can be told to fail its writes.</summary>
    public sealed class MemoryModelStore : IModelStore
    {
        private byte[] _committed;
        private bool _failCommits;
        private int _commitCount;

        /// <summary>The committed blob (a copy of what was committed), or null.</summary>
        public byte[] Committed
        {
            get { return _committed; }
            set { _committed = value; }
        }

        /// <summary>When true, Commit returns false and keeps the previous blob (a full or broken flash).</summary>
        public bool FailCommits
        {
            get { return _failCommits; }
            set { _failCommits = value; }
        }

        /// <summary>Successful commits so far.</summary>
        public int CommitCount
        {
            get { return _commitCount; }
        }

        /// <inheritdoc />
        public byte[] ReadCommitted()
        {
            return _committed == null ? null : Copy(_committed);
        }

        /// <inheritdoc />
        public bool Commit(byte[] blob)
        {
            if (_failCommits)
            {
                return false;
            }

            _committed = Copy(blob);
            _commitCount++;
            return true;
        }

        private static byte[] Copy(byte[] blob)
        {
            byte[] copy = new byte[blob.Length];
            Array.Copy(blob, copy, blob.Length);
            return copy;
        }
    }
}
