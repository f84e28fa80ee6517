using System.CommandLine;
using NanoInt8.Host.Boards;

namespace NanoInt8.HostTool.Commands
{
    /// <summary><c>hosttool boards [--json]</c>: the boards --board accepts.</summary>
    internal static class BoardsCommand
    {
        public static Command Create(Terminal terminal)
        {
            Option<bool> json = CommonOptions.Json();
            Command command = new Command("boards", $"List the boards --board accepts: built into hosttool, plus the board files of the folder ${BoardCatalog.DirectoryVariable} names.")
            {
                json,
            };
            command.SetAction(parseResult => Run(terminal, parseResult.GetValue(json)));
            return command;
        }

        private static int Run(Terminal terminal, bool json)
        {
            BoardCatalog catalog = BoardCatalog.Locate();
            IReadOnlyList<BoardDefinition> boards = catalog.GetAll();
            if (json)
            {
                JsonOutput.Write(terminal, new
                {
                    folder = catalog.Directory,
                    boards = boards.Select(board => new
                    {
                        id = board.Name,
                        name = board.DisplayName,
                        modelBudgetBytes = board.ModelBudgetBytes,
                        maxWorkPerInference = board.MaxWorkPerInference,
                        baud = board.Baud,
                        firmwareTarget = board.FirmwareTarget,
                        source = board.Source,
                    }),
                });
                return (int)ExitCode.Ok;
            }

            TextTable table = new TextTable(new[] { "board", "name", "model budget", "baud", "nanoff target" }, rightAligned: new[] { "model budget", "baud" });
            foreach (BoardDefinition board in boards)
            {
                table.AddRow(board.Name, board.DisplayName, $"{DeviceView.Count(board.ModelBudgetBytes)} B", board.Baud is int baud ? DeviceView.Count(baud) : "-",
                    board.FirmwareTarget ?? "-");
            }

            table.Write(terminal);
            terminal.Writer.WriteLine(catalog.Directory is null
                ? $"(built into hosttool from the repository's boards/; set {BoardCatalog.DirectoryVariable} to a folder of NAME.json files to add or replace boards)"
                : $"(board files of {catalog.Directory} replace or add to the built-in ones)");
            return (int)ExitCode.Ok;
        }
    }
}
