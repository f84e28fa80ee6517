using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace NanoInt8.HostTool
{
    /// <summary>
    /// Options several commands share, and number options whose parse errors name the option and
    /// what it takes ("--baud takes a whole number, not 'abc'.") instead of a .NET type name.
    /// </summary>
    internal static class CommonOptions
    {
        /// <summary>The --json option: one JSON document on stdout instead of text (README.md, "JSON output").</summary>
        public static Option<bool> Json() => new Option<bool>("--json")
        {
            Description = "Print the result as one JSON document on stdout (shapes in HostTools/hosttool/README.md); notices and progress still go to stderr.",
        };

        /// <summary>The --wide option of the commands whose tables have more columns than fit 80.</summary>
        public static Option<bool> Wide() => new Option<bool>("--wide")
        {
            Description = "Show every table column (the default table fits 80 columns).",
        };

        /// <summary>An optional whole-number option.</summary>
        public static Option<int?> OptionalInteger(string name, string description, params string[] aliases)
        {
            return new Option<int?>(name, aliases)
            {
                Description = description,
                CustomParser = result => ParseInteger(result, name),
            };
        }

        /// <summary>A whole-number option with a default.</summary>
        public static Option<int> Integer(string name, int defaultValue, string description, params string[] aliases)
        {
            return new Option<int>(name, aliases)
            {
                Description = description,
                DefaultValueFactory = _ => defaultValue,
                CustomParser = result => ParseInteger(result, name) ?? defaultValue,
            };
        }

        /// <summary>A number option with a default.</summary>
        public static Option<double> Number(string name, double defaultValue, string description, params string[] aliases)
        {
            return new Option<double>(name, aliases)
            {
                Description = description,
                DefaultValueFactory = _ => defaultValue,
                CustomParser = result =>
                {
                    string token = Token(result);
                    if (double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && double.IsFinite(value))
                    {
                        return value;
                    }

                    result.AddError($"{name} takes a number (with '.' as the decimal point), not '{token}'.");
                    return defaultValue;
                },
            };
        }

        private static int? ParseInteger(ArgumentResult result, string name)
        {
            string token = Token(result);
            if (int.TryParse(token, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value))
            {
                return value;
            }

            result.AddError(long.TryParse(token, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _)
                ? $"{name} takes a whole number from {int.MinValue.ToString(CultureInfo.InvariantCulture)} to {int.MaxValue.ToString(CultureInfo.InvariantCulture)}, not {token}."
                : $"{name} takes a whole number, not '{token}'.");
            return null;
        }

        private static string Token(ArgumentResult result) => result.Tokens.Count == 0 ? string.Empty : result.Tokens[^1].Value;
    }
}
