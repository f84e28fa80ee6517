namespace NanoInt8.DeviceLoop
{
    /// <summary>Where <see cref="ScriptPlayer"/> writes its lines: stdout on nanoCLR, a list on .NET.</summary>
    public interface IAnswerLog
    {
        /// <summary>Writes one line.</summary>
        void WriteLine(string line);
    }
}
