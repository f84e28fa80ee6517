using System.Globalization;
using System.Text.RegularExpressions;

namespace NanoInt8.Tests.Shared
{
    /// <summary>Reads back a model written as C# by hosttool convert --emit-csharp (CSharpModelSource).</summary>
    internal static partial class EmbeddedModelSource
    {
        /// <summary>The bytes of the source's <c>Bytes</c> array, in order.</summary>
        public static byte[] Bytes(string source)
        {
            int start = source.IndexOf("Bytes = new byte[]", StringComparison.Ordinal);
            int end = start < 0 ? -1 : source.IndexOf("};", start, StringComparison.Ordinal);
            if (end < 0)
            {
                throw new FormatException("The source has no Bytes array.");
            }

            return HexByte().Matches(source[start..end]).Select(match => byte.Parse(match.Groups[1].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture)).ToArray();
        }

        [GeneratedRegex("0x([0-9A-F]{2})")]
        private static partial Regex HexByte();
    }
}
