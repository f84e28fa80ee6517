namespace NanoInt8.Host.Boards
{
    /// <summary>A target board as its file in boards/ describes it (only what the host tools use so far).</summary>
    public sealed class BoardDefinition
    {
        /// <summary>Creates a definition.</summary>
        /// <param name="name">The board name: its file name without ".json".</param>
        /// <param name="modelBudgetBytes">Bytes the board's runtime can give a model (its deviceBytes limit), at least 1.</param>
        /// <param name="filePath">The file it was read from.</param>
        public BoardDefinition(string name, int modelBudgetBytes, string filePath)
        {
            ArgumentException.ThrowIfNullOrEmpty(name);
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(modelBudgetBytes);
            ArgumentNullException.ThrowIfNull(filePath);
            Name = name;
            ModelBudgetBytes = modelBudgetBytes;
            FilePath = filePath;
        }

        /// <summary>The board name: its file name without ".json".</summary>
        public string Name { get; }

        /// <summary>Bytes the board's runtime can give a model: the limit for a model's deviceBytes (field <c>modelBudgetBytes</c>).</summary>
        public int ModelBudgetBytes { get; }

        /// <summary>The file the definition was read from.</summary>
        public string FilePath { get; }
    }
}
