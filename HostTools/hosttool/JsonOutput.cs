using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using NanoInt8.Host.Execution;
using NanoInt8.Host.Format;

namespace NanoInt8.HostTool
{
    /// <summary>
    /// The --json output: one indented JSON document per command on stdout, property names in
    /// camelCase, absent values as null. The shapes are documented in README.md ("JSON output").
    /// </summary>
    internal static class JsonOutput
    {
        private static readonly JsonSerializerOptions s_options = new JsonSerializerOptions
        {
            WriteIndented = true,
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            // Model and file names are printed as they are, not as \u escapes.
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            // NaN (e.g. an error measure of a model with no float reference) becomes "NaN".
            NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        };

        /// <summary>Writes <paramref name="document"/> to stdout.</summary>
        public static void Write(Terminal terminal, object document)
        {
            terminal.Writer.WriteLine(JsonSerializer.Serialize(document, document.GetType(), s_options));
        }

        /// <summary>A graph input or output: name, element type, shape, quantization, class labels, raw input transform.</summary>
        public static object Tensor(GraphTensor tensor) => new
        {
            name = tensor.Name,
            type = GraphTensor.TypeName(tensor.OriginalType),
            shape = tensor.Shape,
            scale = tensor.Scale,
            zeroPoint = tensor.ZeroPoint,
            labels = tensor.Labels,
            rawInput = tensor.RawInput is RawInputEntry raw
                ? new { offset = raw.RawOffset, scale = tensor.RawInputScale, minimum = raw.RawMin, maximum = raw.RawMax, multiplier = raw.Multiplier, shift = raw.Shift, arithmetic = raw.Arithmetic }
                : null,
        };
    }
}
