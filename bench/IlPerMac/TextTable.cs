using System.Globalization;

namespace NanoInt8.Bench.IlPerMac;

/// <summary>A Markdown pipe table with padded columns: readable in a terminal, pasteable into a README.</summary>
public sealed class TextTable
{
    private readonly string[] _headers;
    private readonly bool[] _rightAligned;
    private readonly List<string[]> _rows = new();

    /// <summary>Creates a table; a header starting with '&gt;' is right-aligned (the '&gt;' is not printed).</summary>
    public TextTable(params string[] headers)
    {
        _rightAligned = headers.Select(header => header.StartsWith('>')).ToArray();
        _headers = headers.Select(header => header.TrimStart('>')).ToArray();
    }

    /// <summary>Adds a row of as many cells as headers.</summary>
    public void Add(params string[] cells)
    {
        if (cells.Length != _headers.Length)
        {
            throw new ArgumentException($"{cells.Length} cells for {_headers.Length} columns");
        }

        _rows.Add(cells);
    }

    /// <summary>Writes the table.</summary>
    public void Write(TextWriter writer)
    {
        int[] widths = _headers.Select((header, column) => Math.Max(3, _rows.Select(row => row[column].Length).Append(header.Length).Max())).ToArray();
        writer.WriteLine(Line(_headers, widths));
        writer.WriteLine("|" + string.Join("|", widths.Select((width, column) =>
            _rightAligned[column] ? " " + new string('-', width - 1) + ": " : " " + new string('-', width) + " ")) + "|");
        foreach (string[] row in _rows)
        {
            writer.WriteLine(Line(row, widths));
        }
    }

    /// <summary>A number with <paramref name="decimals"/> decimals, invariant culture.</summary>
    public static string Number(double value, int decimals = 2) => value.ToString("F" + decimals, CultureInfo.InvariantCulture);

    /// <summary>An integer with thousands separators.</summary>
    public static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>A fraction as a percentage with one decimal.</summary>
    public static string Percent(double fraction) => (100 * fraction).ToString("F1", CultureInfo.InvariantCulture) + " %";

    private string Line(string[] cells, int[] widths) =>
        "|" + string.Join("|", cells.Select((cell, column) => " " + (_rightAligned[column] ? cell.PadLeft(widths[column]) : cell.PadRight(widths[column])) + " ")) + "|";
}
