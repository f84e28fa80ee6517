using System.Text.Json;
using NanoInt8.Host.Boards;

namespace NanoInt8.Host.Device
{
    /// <summary>What an <see cref="EmulatedBoard"/> pretends to be: name, memory budgets, line speed.</summary>
    public sealed record EmulatedBoardProfile
    {
        /// <summary>The board's id (its file name in boards/ without .json), e.g. esp32-devkitc.</summary>
        public required string BoardId { get; init; }

        /// <summary>The name INFO reports.</summary>
        public required string DisplayName { get; init; }

        /// <summary>The largest deviceBytes a model may declare (INFO maxModelBytes).</summary>
        public required int ModelBudgetBytes { get; init; }

        /// <summary>The largest deviceBytes + totalLength of a transfer (INFO transferBytes).</summary>
        public required int TransferBudgetBytes { get; init; }

        /// <summary>The UART's baud rate the board throttles its line to; 0 for no throttling.</summary>
        public int Baud { get; init; }

        /// <summary>Extra delay of each byte in each direction (see <see cref="ThrottledLink"/>).</summary>
        public TimeSpan TurnaroundLatency { get; init; } = TimeSpan.Zero;

        /// <summary>The serial driver's receive buffer, which sets LOAD_ACK's window (4 KB: 3 frames).</summary>
        public int SerialReadBufferBytes { get; init; } = 4096;

        /// <summary>
        /// The profile of a board file: its <c>name</c> (INFO shows it with " (emulated)"), its
        /// <c>baud</c>, and its <c>modelBudgetBytes</c> for both budgets, because the real board gives a
        /// transfer the same free heap it gives a model (boards/README.md).
        /// </summary>
        /// <exception cref="BoardFormatException">The file is not a JSON object, or name or baud has the wrong type.</exception>
        public static EmulatedBoardProfile FromBoard(BoardDefinition board)
        {
            ArgumentNullException.ThrowIfNull(board);
            string displayName = board.Name;
            int baud = SerialPortLink.DefaultBaud;
            try
            {
                using JsonDocument document = JsonDocument.Parse(File.ReadAllText(board.FilePath), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
                JsonElement root = document.RootElement;
                if (root.ValueKind == JsonValueKind.Object)
                {
                    if (root.TryGetProperty("name", out JsonElement name))
                    {
                        displayName = name.ValueKind == JsonValueKind.String ? name.GetString()! : throw new BoardFormatException($"Board file {board.FilePath}: 'name' must be a string.");
                    }

                    if (root.TryGetProperty("baud", out JsonElement rate))
                    {
                        baud = rate.ValueKind == JsonValueKind.Number && rate.TryGetInt32(out int value) && value > 0
                            ? value
                            : throw new BoardFormatException($"Board file {board.FilePath}: 'baud' must be a positive whole number.");
                    }
                }
            }
            catch (Exception exception) when (exception is JsonException or IOException)
            {
                throw new BoardFormatException($"Board file {board.FilePath} cannot be read: {exception.Message}", exception);
            }

            return new EmulatedBoardProfile
            {
                BoardId = board.Name,
                DisplayName = displayName + " (emulated)",
                ModelBudgetBytes = board.ModelBudgetBytes,
                TransferBudgetBytes = board.ModelBudgetBytes,
                Baud = baud,
            };
        }
    }
}
