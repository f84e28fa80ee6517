namespace NanoInt8.Device.Tests
{
    /// <summary>
    /// A sensor that reads a script: reading n fills the whole input with values[n], cycling, so a
    /// test knows what each sensor run saw.
    /// </summary>
    public sealed class ScriptedInputSource : IInputSource
    {
        private readonly sbyte[] _values;
        private int _reads;

        /// <summary>A sensor whose readings are <paramref name="values"/>, one per read, repeated.</summary>
        public ScriptedInputSource(sbyte[] values)
        {
            _values = values;
        }

        /// <summary>Readings taken so far.</summary>
        public int Reads
        {
            get { return _reads; }
        }

        /// <inheritdoc />
        public void Read(sbyte[] input, int offset, int count)
        {
            sbyte value = _values[_reads % _values.Length];
            for (int i = 0; i < count; i++)
            {
                input[offset + i] = value;
            }

            _reads++;
        }
    }
}
