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

        /// <summary>The most work units one inference may take (INFO maxWorkPerInference); long.MaxValue for no limit.</summary>
        public long MaxWorkPerInference { get; init; } = long.MaxValue;

        /// <summary>The UART's baud rate the board throttles its line to; 0 for no throttling.</summary>
        public int Baud { get; init; }

        /// <summary>Extra delay of each byte in each direction (see <see cref="ThrottledLink"/>).</summary>
        public TimeSpan TurnaroundLatency { get; init; } = TimeSpan.Zero;

        /// <summary>The serial driver's receive buffer, which sets LOAD_ACK's windowBytes (4 KB: 2 KB in flight).</summary>
        public int SerialReadBufferBytes { get; init; } = 4096;

        /// <summary>
        /// The profile of a board: its display name (INFO shows it with " (emulated)"), its baud
        /// (else <see cref="SerialPortLink.DefaultBaud"/>), and its <c>modelBudgetBytes</c> for both
        /// budgets, because the real board gives a transfer the same free heap it gives a model
        /// (boards/README.md), and its <c>maxWorkPerInference</c>.
        /// </summary>
        public static EmulatedBoardProfile FromBoard(BoardDefinition board)
        {
            ArgumentNullException.ThrowIfNull(board);
            return new EmulatedBoardProfile
            {
                BoardId = board.Name,
                DisplayName = board.DisplayName + " (emulated)",
                ModelBudgetBytes = board.ModelBudgetBytes,
                TransferBudgetBytes = board.ModelBudgetBytes,
                MaxWorkPerInference = board.WorkBudget,
                Baud = board.Baud ?? SerialPortLink.DefaultBaud,
            };
        }
    }
}
