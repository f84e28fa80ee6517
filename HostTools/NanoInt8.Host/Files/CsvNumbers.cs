namespace NanoInt8.Host.Files
{
    /// <summary>One line of a CSV file: its number (from 1) and its fields, trimmed.</summary>
    /// <param name="Number">The line number, for messages.</param>
    /// <param name="Fields">The fields, decimal commas already turned into points.</param>
    public sealed record CsvLine(int Number, string[] Fields);

    /// <summary>
    /// Lines of numbers as CSV files hold them, in the two ways spreadsheets write them: fields
    /// separated by commas, tabs or spaces with a decimal point (<c>1.5,2.25</c>); or, as in locales
    /// whose decimal separator is a comma, fields separated by semicolons with a decimal comma
    /// (<c>1,5;2,25</c>). A file holding a semicolon anywhere is read the second way, every other
    /// file the first. Empty lines and lines starting with '#' are skipped.
    /// </summary>
    public static class CsvNumbers
    {
        private static readonly char[] s_pointSeparators = { ',', ' ', '\t' };
        private static readonly char[] s_commaSeparators = { ';', '\t' };

        /// <summary>The lines of <paramref name="text"/> with their fields (see the class remarks).</summary>
        public static IReadOnlyList<CsvLine> Split(string text)
        {
            ArgumentNullException.ThrowIfNull(text);
            bool decimalComma = text.Contains(';');
            char[] separators = decimalComma ? s_commaSeparators : s_pointSeparators;
            List<CsvLine> lines = new List<CsvLine>();
            string[] rows = text.Split('\n');
            for (int index = 0; index < rows.Length; index++)
            {
                string row = rows[index].Trim();
                if (row.Length == 0 || row.StartsWith('#'))
                {
                    continue;
                }

                string[] fields = row.Split(separators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                if (decimalComma)
                {
                    fields = fields.Select(field => field.Replace(',', '.')).ToArray();
                }

                if (fields.Length > 0)
                {
                    lines.Add(new CsvLine(index + 1, fields));
                }
            }

            return lines;
        }
    }
}
