namespace NanoInt8.Host.Boards
{
    /// <summary>A target board as its board file (boards/NAME.json) describes it: what the host tools use of it.</summary>
    public sealed class BoardDefinition
    {
        /// <summary>Creates a definition.</summary>
        /// <param name="name">The board name: its file name without ".json".</param>
        /// <param name="modelBudgetBytes">Bytes the board's runtime can give a model (its deviceBytes limit), at least 1.</param>
        /// <param name="source">Where the definition was read: a file path, or "built-in boards/NAME.json".</param>
        /// <param name="displayName">The board's own name (field <c>name</c>), or null to use <paramref name="name"/>.</param>
        /// <param name="baud">The model link's baud rate (field <c>baud</c>), or null when the file gives none.</param>
        /// <param name="firmwareTarget">The nanoff target (field <c>firmwareTarget</c>), or null.</param>
        public BoardDefinition(string name, int modelBudgetBytes, string source, string? displayName = null, int? baud = null, string? firmwareTarget = null)
        {
            ArgumentException.ThrowIfNullOrEmpty(name);
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(modelBudgetBytes);
            ArgumentNullException.ThrowIfNull(source);
            if (baud is int rate)
            {
                ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rate, nameof(baud));
            }

            Name = name;
            ModelBudgetBytes = modelBudgetBytes;
            Source = source;
            DisplayName = displayName ?? name;
            Baud = baud;
            FirmwareTarget = firmwareTarget;
        }

        /// <summary>The board name: its file name without ".json", what <c>--board</c> takes.</summary>
        public string Name { get; }

        /// <summary>Bytes the board's runtime can give a model: the limit for a model's deviceBytes (field <c>modelBudgetBytes</c>).</summary>
        public int ModelBudgetBytes { get; }

        /// <summary>Where the definition was read: a file path, or "built-in boards/NAME.json" for one built into the tools.</summary>
        public string Source { get; }

        /// <summary>The board's own name (field <c>name</c>, e.g. "ESP32-DevKitC"), else <see cref="Name"/>.</summary>
        public string DisplayName { get; }

        /// <summary>The model link's baud rate (field <c>baud</c>), or null when the file gives none.</summary>
        public int? Baud { get; }

        /// <summary>The nanoCLR image for nanoff (field <c>firmwareTarget</c>), or null.</summary>
        public string? FirmwareTarget { get; }

        /// <summary>
        /// The most work units one inference may take on the board (field <c>maxWorkPerInference</c>,
        /// derived from a time budget: boards/README.md), or null when the file sets no limit.
        /// </summary>
        public long? MaxWorkPerInference { get; init; }

        /// <summary><see cref="MaxWorkPerInference"/>, or long.MaxValue without a limit.</summary>
        public long WorkBudget => MaxWorkPerInference ?? long.MaxValue;

        /// <summary>
        /// The most deviceBytes + totalLength a transfer may hold at once (the device's LOAD rule):
        /// <see cref="ModelBudgetBytes"/>, because the board gives a transfer the same free heap it
        /// gives a model (boards/README.md, "Model budget").
        /// </summary>
        public int TransferBudgetBytes => ModelBudgetBytes;
    }
}
