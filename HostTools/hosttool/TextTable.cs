using Spectre.Console;
using Spectre.Console.Rendering;

namespace NanoInt8.HostTool
{
    /// <summary>
    /// A table of plain text in hosttool's one style: a rule under the header, columns separated by
    /// spaces, no outer border, so that a table of a few columns fits 80 columns. Cells are text,
    /// never Spectre markup (model and node names may hold brackets).
    /// </summary>
    internal sealed class TextTable
    {
        private readonly string[] _headers;
        private readonly Table _table = new Table().Border(TableBorder.Simple);

        /// <summary>A table with these columns; the ones named in <paramref name="rightAligned"/> (numbers) are right-aligned.</summary>
        public TextTable(IReadOnlyList<string> headers, IEnumerable<string>? rightAligned = null)
        {
            _headers = headers.ToArray();
            HashSet<string> right = new HashSet<string>(rightAligned ?? Array.Empty<string>(), StringComparer.Ordinal);
            foreach (string header in _headers)
            {
                TableColumn column = new TableColumn(new Text(header)).Padding(0, 0, 1, 0);
                if (right.Contains(header))
                {
                    column.RightAligned();
                }

                _table.AddColumn(column);
            }
        }

        /// <summary>Adds a row: one cell per column, in column order.</summary>
        public void AddRow(params string[] cells)
        {
            _table.AddRow(cells.Select(cell => (IRenderable)new Text(cell)).ToArray());
        }

        /// <summary>Adds a row from cells by column name; cells of columns the table does not show are left out.</summary>
        public void AddRow(IReadOnlyDictionary<string, string> cells)
        {
            AddRow(_headers.Select(header => cells.TryGetValue(header, out string? cell) ? cell : "-").ToArray());
        }

        private static bool IsRule(string line) => line.Length > 0 && line.All(character => character == '─');

        /// <summary>Prints the table on standard output, laid out for the terminal's width (200 columns for a file or pipe), without trailing blanks.</summary>
        public void Write(Terminal terminal)
        {
            using StringWriter text = new StringWriter();
            IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings
            {
                Out = new AnsiConsoleOutput(text),
                Ansi = AnsiSupport.No,
                ColorSystem = ColorSystemSupport.NoColors,
                Interactive = InteractionSupport.No,
            });
            console.Profile.Width = terminal.Console.Profile.Width;
            console.Write(_table);
            // The simple border's top and bottom edges are blank lines, its sides blank columns.
            string[] lines = text.ToString().Split('\n')
                .Select(line => line.TrimEnd())
                .Where(line => line.Length > 0)
                .Select(line => line[0] == ' ' ? line[1..] : line)
                .ToArray();
            int width = lines.Where(line => !IsRule(line)).Select(line => line.Length).DefaultIfEmpty(0).Max();
            foreach (string line in lines)
            {
                terminal.Writer.WriteLine(IsRule(line) ? new string('─', width) : line);
            }
        }
    }
}
