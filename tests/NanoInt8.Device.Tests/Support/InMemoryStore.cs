namespace NanoInt8.Device.Tests.Support;

/// <summary>An <see cref="IModelStore"/> in memory that can be told to fail.</summary>
internal sealed class InMemoryStore : IModelStore
{
    /// <summary>The committed blob (a copy of what was committed), or null.</summary>
    public byte[]? Committed { get; set; }

    /// <summary>When true, Commit returns false and keeps the previous blob.</summary>
    public bool FailCommits { get; set; }

    /// <summary>When true, ReadCommitted throws.</summary>
    public bool FailReads { get; set; }

    public int CommitCount { get; private set; }

    public int ReadCount { get; private set; }

    public byte[]? ReadCommitted()
    {
        ReadCount++;
        if (FailReads)
        {
            throw new IOException("flash read failed");
        }

        return Committed is null ? null : (byte[])Committed.Clone();
    }

    public bool Commit(byte[] blob)
    {
        if (FailCommits)
        {
            return false;
        }

        Committed = (byte[])blob.Clone();
        CommitCount++;
        return true;
    }
}
