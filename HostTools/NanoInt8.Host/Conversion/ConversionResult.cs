using NanoInt8.Host.Format;

namespace NanoInt8.Host.Conversion
{
    /// <summary>What a conversion produced.</summary>
    public sealed class ConversionResult
    {
        /// <summary>Creates a result.</summary>
        public ConversionResult(ModelBuilder model, byte[] blob, int arenaLowerBound, IReadOnlyList<string> notes)
        {
            Model = model;
            Blob = blob;
            ArenaLowerBound = arenaLowerBound;
            Notes = notes;
        }

        /// <summary>The integer model as built (tensors with names, operators, metadata).</summary>
        public ModelBuilder Model { get; }

        /// <summary>The .ni8 bytes.</summary>
        public byte[] Blob { get; }

        /// <summary>
        /// The largest sum of simultaneously live arena tensors at any step: no plan can use fewer
        /// arena bytes. Model.ArenaBytes is the plan's size.
        /// </summary>
        public int ArenaLowerBound { get; }

        /// <summary>Things the user should know (e.g. a symbolic batch dimension fixed to 1).</summary>
        public IReadOnlyList<string> Notes { get; }
    }
}
