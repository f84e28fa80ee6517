using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace NanoInt8.Onnx;

/// <summary>
/// Reads and writes NumPy .npy files (format versions 1.0, 2.0 and 3.0).
/// </summary>
/// <remarks>
/// Layout of a .npy file, as numpy.lib.format defines it:
/// <code>
/// offset 0   6 bytes  magic "\x93NUMPY"
/// offset 6   1 byte   major version (1, 2 or 3)
/// offset 7   1 byte   minor version (0)
/// offset 8   2 bytes  header length, little-endian uint16 (version 1.0)
///            4 bytes  header length, little-endian uint32 (versions 2.0 and 3.0)
/// then       header   a Python dict literal, latin-1 (1.0, 2.0) or UTF-8 (3.0), e.g.
///                     {'descr': '&lt;f4', 'fortran_order': False, 'shape': (2, 3), }
///                     padded with spaces and ended by '\n' so the data starts at a multiple of 64
/// then       data     the elements, C order, in the byte order the descr names
/// </code>
/// Supported dtypes: '&lt;f4', '|i1', '|u1', '&lt;i4'. For reading only, '&lt;f8' is converted to
/// float32 and '&lt;i8' to int32 (values outside int32 are an error). Fortran order and big-endian
/// data are rejected; every malformed input gives <see cref="NpyFormatException"/>.
/// </remarks>
public static class NpyFile
{
    private const int MagicLength = 6;
    private const int ArrayAlignment = 64;

    // numpy adds this many digits of spare room after the header so the first axis can grow in place.
    private const int GrowthAxisMaxDigits = 21;

    // numpy refuses headers over 10000 bytes by default; this reader allows more but bounds the
    // allocation a corrupt length field can cause.
    private const int MaximumHeaderLength = 1 << 20;

    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>Reads an array from a .npy file.</summary>
    /// <param name="path">The file to read.</param>
    /// <returns>The array, converted to a supported element type where the dtype allows.</returns>
    /// <exception cref="NpyFormatException">The file is not a supported, well-formed .npy file; the message names the file.</exception>
    public static NpyArray Read(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        try
        {
            return Read(bytes);
        }
        catch (NpyFormatException exception)
        {
            throw new NpyFormatException($"{path}: {exception.Message}");
        }
    }

    /// <summary>Reads an array from the bytes of a whole .npy file.</summary>
    /// <param name="bytes">The file contents; bytes after the array data are an error.</param>
    /// <returns>The array, converted to a supported element type where the dtype allows.</returns>
    /// <exception cref="NpyFormatException">The bytes are not a supported, well-formed .npy file.</exception>
    public static NpyArray Read(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        using var stream = new MemoryStream(bytes, writable: false);
        NpyArray array = Read(stream);
        long extra = stream.Length - stream.Position;
        if (extra > 0)
        {
            throw new NpyFormatException(
                $"{extra} bytes follow the array data; shape {NpyArray.FormatShape(array.Shape)} " +
                $"accounts for only {stream.Position} of the {stream.Length} bytes.");
        }

        return array;
    }

    /// <summary>
    /// Reads one array from a stream, leaving the stream just after the array's data (so several
    /// arrays written back to back can be read in turn).
    /// </summary>
    /// <param name="stream">The stream, positioned at the magic string.</param>
    /// <returns>The array, converted to a supported element type where the dtype allows.</returns>
    /// <exception cref="NpyFormatException">The stream does not hold a supported, well-formed .npy array.</exception>
    public static NpyArray Read(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);

        byte[] prelude = ReadExactly(stream, MagicLength + 2, "the magic string and version");
        if (!prelude.AsSpan(0, MagicLength).SequenceEqual(Magic))
        {
            throw new NpyFormatException(
                $"Bad magic: a .npy file starts with \\x93NUMPY, these bytes start with {Convert.ToHexString(prelude, 0, MagicLength)}.");
        }

        int majorVersion = prelude[MagicLength];
        int minorVersion = prelude[MagicLength + 1];
        if (majorVersion is < 1 or > 3 || minorVersion != 0)
        {
            throw new NpyFormatException(
                $"Unsupported .npy format version {majorVersion}.{minorVersion}; supported are 1.0, 2.0 and 3.0.");
        }

        long headerLength;
        if (majorVersion == 1)
        {
            headerLength = BinaryPrimitives.ReadUInt16LittleEndian(ReadExactly(stream, 2, "the header length"));
        }
        else
        {
            headerLength = BinaryPrimitives.ReadUInt32LittleEndian(ReadExactly(stream, 4, "the header length"));
        }

        if (headerLength > MaximumHeaderLength)
        {
            throw new NpyFormatException(
                $"The header declares {headerLength} bytes, more than the {MaximumHeaderLength} this reader accepts.");
        }

        byte[] headerBytes = ReadExactly(stream, (int)headerLength, $"the {headerLength}-byte header");
        string header = DecodeHeader(headerBytes, majorVersion);
        NpyHeader parsed = ParseHeader(header);

        long byteCount = parsed.ElementCount * parsed.SourceElementSize;
        byte[] data = ReadExactly(stream, checked((int)byteCount),
            $"the data of shape {NpyArray.FormatShape(parsed.Shape)} ({parsed.ElementCount} elements of '{parsed.Descr}', {byteCount} bytes)");
        return new NpyArray(parsed.ElementType, parsed.Shape, DecodeData(data, parsed));
    }

    /// <summary>Writes an array to a .npy file, as numpy.save would.</summary>
    /// <param name="path">The file to create or overwrite.</param>
    /// <param name="array">The array.</param>
    /// <param name="majorVersion">1, 2 or 3 to force a format version; null picks 1.0 unless the header needs 2.0, as NumPy does.</param>
    /// <exception cref="NpyFormatException">Format 1.0 was asked for but the header does not fit it.</exception>
    public static void Write(string path, NpyArray array, int? majorVersion = null)
    {
        File.WriteAllBytes(path, ToBytes(array, majorVersion));
    }

    /// <summary>Writes an array to a stream, as numpy.save would.</summary>
    /// <param name="stream">The stream to write to.</param>
    /// <param name="array">The array.</param>
    /// <param name="majorVersion">1, 2 or 3 to force a format version; null picks 1.0 unless the header needs 2.0, as NumPy does.</param>
    /// <exception cref="NpyFormatException">Format 1.0 was asked for but the header does not fit it.</exception>
    public static void Write(Stream stream, NpyArray array, int? majorVersion = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        stream.Write(ToBytes(array, majorVersion));
    }

    /// <summary>Encodes an array as the bytes of a .npy file, as numpy.save would.</summary>
    /// <param name="array">The array.</param>
    /// <param name="majorVersion">1, 2 or 3 to force a format version; null picks 1.0 unless the header needs 2.0, as NumPy does.</param>
    /// <returns>The whole file: magic, version, header padded to a multiple of 64 bytes, data.</returns>
    /// <exception cref="NpyFormatException">Format 1.0 was asked for but the header does not fit it.</exception>
    public static byte[] ToBytes(NpyArray array, int? majorVersion = null)
    {
        ArgumentNullException.ThrowIfNull(array);
        if (majorVersion is not null and not (1 or 2 or 3))
        {
            throw new ArgumentOutOfRangeException(nameof(majorVersion), majorVersion, "The .npy format versions are 1, 2 and 3.");
        }

        byte[] header = Encoding.Latin1.GetBytes(FormatHeader(array));
        int version = majorVersion ?? 1;
        int paddedLength = PaddedHeaderLength(header.Length, version);
        if (majorVersion is null && paddedLength > ushort.MaxValue)
        {
            version = 2;
            paddedLength = PaddedHeaderLength(header.Length, version);
        }

        if (version == 1 && paddedLength > ushort.MaxValue)
        {
            throw new NpyFormatException(
                $"The header needs {paddedLength} bytes, more than the 65535 format 1.0 allows; write format 2.0.");
        }

        int prefixLength = MagicLength + 2 + LengthFieldSize(version);
        int elementSize = NpyArray.ElementSize(array.ElementType);
        var bytes = new byte[prefixLength + paddedLength + (array.ElementCount * elementSize)];
        Magic.CopyTo(bytes, 0);
        bytes[MagicLength] = (byte)version;
        bytes[MagicLength + 1] = 0;
        if (version == 1)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(MagicLength + 2), (ushort)paddedLength);
        }
        else
        {
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(MagicLength + 2), (uint)paddedLength);
        }

        header.CopyTo(bytes, prefixLength);
        bytes.AsSpan(prefixLength + header.Length, paddedLength - header.Length - 1).Fill((byte)' ');
        bytes[prefixLength + paddedLength - 1] = (byte)'\n';
        EncodeData(array, bytes.AsSpan(prefixLength + paddedLength));
        return bytes;
    }

    private static int LengthFieldSize(int version) => version == 1 ? 2 : 4;

    // numpy: padding = 64 - ((magic + length field + header + '\n') % 64), so an exact multiple
    // still gets 64 spaces; copying that keeps our files byte-identical to numpy.save's.
    private static int PaddedHeaderLength(int headerLength, int version)
    {
        int unpadded = headerLength + 1;
        int padding = ArrayAlignment - ((MagicLength + 2 + LengthFieldSize(version) + unpadded) % ArrayAlignment);
        return unpadded + padding;
    }

    private static string FormatHeader(NpyArray array)
    {
        string descr = array.ElementType switch
        {
            NpyType.Float32 => "<f4",
            NpyType.Int8 => "|i1",
            NpyType.UInt8 => "|u1",
            NpyType.Int32 => "<i4",
            _ => throw new ArgumentOutOfRangeException(nameof(array), array.ElementType, "Unknown element type."),
        };

        // Python's repr of a tuple: (), (5,), (2, 3).
        string shape = array.Shape.Length == 1
            ? $"({array.Shape[0].ToString(CultureInfo.InvariantCulture)},)"
            : "(" + string.Join(", ", array.Shape.Select(dimension => dimension.ToString(CultureInfo.InvariantCulture))) + ")";
        string header = $"{{'descr': '{descr}', 'fortran_order': False, 'shape': {shape}, }}";
        if (array.Shape.Length > 0)
        {
            header += new string(' ', GrowthAxisMaxDigits - array.Shape[0].ToString(CultureInfo.InvariantCulture).Length);
        }

        return header;
    }

    private static void EncodeData(NpyArray array, Span<byte> destination)
    {
        switch (array.ElementType)
        {
            case NpyType.Float32:
                float[] floats = array.AsFloats();
                for (int index = 0; index < floats.Length; index++)
                {
                    BinaryPrimitives.WriteSingleLittleEndian(destination.Slice(index * 4), floats[index]);
                }

                break;
            case NpyType.Int8:
                sbyte[] signedBytes = array.AsInt8();
                for (int index = 0; index < signedBytes.Length; index++)
                {
                    destination[index] = unchecked((byte)signedBytes[index]);
                }

                break;
            case NpyType.UInt8:
                array.AsUInt8().CopyTo(destination);
                break;
            case NpyType.Int32:
                int[] integers = array.AsInt32();
                for (int index = 0; index < integers.Length; index++)
                {
                    BinaryPrimitives.WriteInt32LittleEndian(destination.Slice(index * 4), integers[index]);
                }

                break;
        }
    }

    private static Array DecodeData(byte[] data, NpyHeader header)
    {
        int count = checked((int)header.ElementCount);
        switch (header.SourceKind)
        {
            case 'f' when header.SourceElementSize == 4:
                var floats = new float[count];
                for (int index = 0; index < count; index++)
                {
                    floats[index] = BinaryPrimitives.ReadSingleLittleEndian(data.AsSpan(index * 4));
                }

                return floats;
            case 'f':
                var narrowed = new float[count];
                for (int index = 0; index < count; index++)
                {
                    narrowed[index] = (float)BinaryPrimitives.ReadDoubleLittleEndian(data.AsSpan(index * 8));
                }

                return narrowed;
            case 'i' when header.SourceElementSize == 1:
                var signedBytes = new sbyte[count];
                for (int index = 0; index < count; index++)
                {
                    signedBytes[index] = unchecked((sbyte)data[index]);
                }

                return signedBytes;
            case 'u':
                return data;
            case 'i' when header.SourceElementSize == 4:
                var integers = new int[count];
                for (int index = 0; index < count; index++)
                {
                    integers[index] = BinaryPrimitives.ReadInt32LittleEndian(data.AsSpan(index * 4));
                }

                return integers;
            default:
                var shortened = new int[count];
                for (int index = 0; index < count; index++)
                {
                    long value = BinaryPrimitives.ReadInt64LittleEndian(data.AsSpan(index * 8));
                    if (value is < int.MinValue or > int.MaxValue)
                    {
                        throw new NpyFormatException(
                            $"Element {index} of the '{header.Descr}' array is {value}, outside int32; only int64 data that fits int32 is read.");
                    }

                    shortened[index] = (int)value;
                }

                return shortened;
        }
    }

    private static byte[] ReadExactly(Stream stream, int count, string what)
    {
        // Check a seekable input before allocating, so a corrupt shape cannot cost a huge buffer.
        if (stream.CanSeek && stream.Length - stream.Position < count)
        {
            throw new NpyFormatException(
                $"Truncated .npy data: {what} needs {count} bytes but only {Math.Max(0, stream.Length - stream.Position)} remain.");
        }

        var buffer = new byte[count];
        int total = 0;
        while (total < count)
        {
            int read = stream.Read(buffer, total, count - total);
            if (read == 0)
            {
                throw new NpyFormatException($"Truncated .npy data: the input ended after {total} of the {count} bytes of {what}.");
            }

            total += read;
        }

        return buffer;
    }

    private static string DecodeHeader(byte[] headerBytes, int majorVersion)
    {
        if (majorVersion < 3)
        {
            return Encoding.Latin1.GetString(headerBytes);
        }

        try
        {
            return new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(headerBytes);
        }
        catch (DecoderFallbackException)
        {
            throw new NpyFormatException("The format 3.0 header is not valid UTF-8.");
        }
    }

    private static NpyHeader ParseHeader(string header)
    {
        object? parsed = new PythonLiteralParser(header).ParseWhole();
        if (parsed is not Dictionary<string, object?> dictionary)
        {
            throw new NpyFormatException($"The header is not a Python dict: {Quote(header)}.");
        }

        string[] expectedKeys = ["descr", "fortran_order", "shape"];
        if (dictionary.Count != expectedKeys.Length || !expectedKeys.All(dictionary.ContainsKey))
        {
            throw new NpyFormatException(
                $"The header must have exactly the keys 'descr', 'fortran_order' and 'shape'; it has {string.Join(", ", dictionary.Keys.Select(key => $"'{key}'"))}.");
        }

        if (dictionary["fortran_order"] is not bool fortranOrder)
        {
            throw new NpyFormatException($"'fortran_order' must be True or False: {Quote(header)}.");
        }

        if (fortranOrder)
        {
            throw new NpyFormatException(
                "Fortran-order (column-major) arrays are not supported; save a C-order copy (numpy.ascontiguousarray).");
        }

        int[] shape = ParseShape(dictionary["shape"], header);
        if (dictionary["descr"] is not string descr)
        {
            throw new NpyFormatException(
                $"Unsupported dtype {FormatValue(dictionary["descr"])}: structured dtypes are not supported; use '<f4', '|i1', '|u1' or '<i4'.");
        }

        return ParseDescr(descr, shape);
    }

    private static int[] ParseShape(object? value, string header)
    {
        if (value is not PythonTuple tuple)
        {
            throw new NpyFormatException($"'shape' must be a tuple of integers: {Quote(header)}.");
        }

        var shape = new int[tuple.Items.Count];
        long elementCount = 1;
        for (int index = 0; index < shape.Length; index++)
        {
            if (tuple.Items[index] is not long dimension || dimension < 0)
            {
                throw new NpyFormatException($"'shape' must hold non-negative integers: {Quote(header)}.");
            }

            if (dimension > int.MaxValue)
            {
                throw new NpyFormatException($"Dimension {dimension} of 'shape' is larger than this reader supports.");
            }

            shape[index] = (int)dimension;
            elementCount = Math.Min(elementCount * dimension, (long)int.MaxValue + 1);
        }

        if (elementCount > int.MaxValue)
        {
            throw new NpyFormatException($"Shape {NpyArray.FormatShape(shape)} has more elements than a .NET array holds.");
        }

        return shape;
    }

    private static NpyHeader ParseDescr(string descr, int[] shape)
    {
        const string Supported = "supported are '<f4', '|i1', '|u1', '<i4', and for reading '<f8' and '<i8'";
        char byteOrder = descr.Length > 0 && "<>|=".Contains(descr[0]) ? descr[0] : '=';
        string typeCode = descr.Length > 0 && "<>|=".Contains(descr[0]) ? descr[1..] : descr;
        (char kind, int size, NpyType elementType) = typeCode switch
        {
            "f4" => ('f', 4, NpyType.Float32),
            "f8" => ('f', 8, NpyType.Float32),
            "i1" => ('i', 1, NpyType.Int8),
            "u1" => ('u', 1, NpyType.UInt8),
            "i4" => ('i', 4, NpyType.Int32),
            "i8" => ('i', 8, NpyType.Int32),
            _ => throw new NpyFormatException($"Unsupported dtype '{descr}'; {Supported}."),
        };

        if (size > 1)
        {
            if (byteOrder == '>')
            {
                throw new NpyFormatException(
                    $"Big-endian dtype '{descr}' is not supported; save little-endian data (array.astype('<{typeCode}')).");
            }

            if (byteOrder == '|')
            {
                throw new NpyFormatException($"Dtype '{descr}' is malformed: '|' (no byte order) only applies to one-byte types.");
            }

            if (byteOrder == '=' && !BitConverter.IsLittleEndian)
            {
                throw new NpyFormatException($"Dtype '{descr}' is in native byte order, which is big-endian here; not supported.");
            }
        }

        long elementCount = 1;
        foreach (int dimension in shape)
        {
            elementCount *= dimension;
        }

        if (elementCount * size > int.MaxValue)
        {
            throw new NpyFormatException(
                $"Shape {NpyArray.FormatShape(shape)} of '{descr}' needs {elementCount * size} bytes, more than this reader supports.");
        }

        return new NpyHeader(descr, kind, size, elementType, shape, elementCount);
    }

    private static string Quote(string header)
    {
        string trimmed = header.TrimEnd();
        return trimmed.Length <= 200 ? $"\"{trimmed}\"" : $"\"{trimmed[..200]}...\"";
    }

    private static string FormatValue(object? value) => value switch
    {
        null => "None",
        string text => $"'{text}'",
        PythonTuple => "(tuple)",
        List<object?> => "(list)",
        Dictionary<string, object?> => "(dict)",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "?",
    };

    private sealed record NpyHeader(string Descr, char SourceKind, int SourceElementSize, NpyType ElementType, int[] Shape, long ElementCount);

    private sealed record PythonTuple(List<object?> Items);

    /// <summary>
    /// Parses the subset of Python literals a .npy header uses: dicts, tuples, lists, quoted
    /// strings, integers (with Python 2's optional 'L' suffix), True, False and None. Every
    /// failure is an <see cref="NpyFormatException"/> that names the position.
    /// </summary>
    private sealed class PythonLiteralParser(string text)
    {
        // A real header nests two levels (dict, shape tuple); the bound keeps a hostile header
        // from exhausting the stack.
        private const int MaximumNesting = 16;

        private int _position;
        private int _nesting;

        public object? ParseWhole()
        {
            object? value = ParseValue();
            SkipWhitespace();
            if (_position != text.Length)
            {
                throw Error("unexpected text after the dict");
            }

            return value;
        }

        private object? ParseValue()
        {
            SkipWhitespace();
            if (_position >= text.Length)
            {
                throw Error("the header ended where a value was expected");
            }

            char current = text[_position];
            if (current is '{' or '(' or '[')
            {
                if (++_nesting > MaximumNesting)
                {
                    throw Error($"values nest more than {MaximumNesting} levels deep");
                }

                object? container = current switch
                {
                    '{' => ParseDictionary(),
                    '(' => ParseSequence('(', ')'),
                    _ => ParseSequence('[', ']'),
                };
                _nesting--;
                return container;
            }

            switch (current)
            {
                case '\'':
                case '"':
                    return ParseString();
                default:
                    if (char.IsAsciiDigit(current) || current is '-' or '+')
                    {
                        return ParseInteger();
                    }

                    if (char.IsAsciiLetter(current))
                    {
                        return ParseName();
                    }

                    throw Error($"unexpected character '{current}'");
            }
        }

        private Dictionary<string, object?> ParseDictionary()
        {
            var dictionary = new Dictionary<string, object?>(StringComparer.Ordinal);
            _position++;
            while (true)
            {
                SkipWhitespace();
                if (TryConsume('}'))
                {
                    return dictionary;
                }

                int keyPosition = _position;
                if (ParseValue() is not string key)
                {
                    _position = keyPosition;
                    throw Error("dict keys must be strings");
                }

                SkipWhitespace();
                if (!TryConsume(':'))
                {
                    throw Error($"expected ':' after key '{key}'");
                }

                object? value = ParseValue();
                if (!dictionary.TryAdd(key, value))
                {
                    throw Error($"key '{key}' appears twice");
                }

                SkipWhitespace();
                if (TryConsume('}'))
                {
                    return dictionary;
                }

                if (!TryConsume(','))
                {
                    throw Error("expected ',' or '}' in the dict");
                }
            }
        }

        private object? ParseSequence(char open, char close)
        {
            var items = new List<object?>();
            bool sawComma = false;
            _position++;
            while (true)
            {
                SkipWhitespace();
                if (TryConsume(close))
                {
                    break;
                }

                items.Add(ParseValue());
                SkipWhitespace();
                if (TryConsume(close))
                {
                    break;
                }

                if (!TryConsume(','))
                {
                    throw Error($"expected ',' or '{close}'");
                }

                sawComma = true;
            }

            if (open == '[')
            {
                return items;
            }

            // In Python "(3)" is the integer 3; only "()" and a comma make a tuple.
            return items.Count == 1 && !sawComma ? items[0] : new PythonTuple(items);
        }

        private string ParseString()
        {
            char quote = text[_position++];
            var builder = new StringBuilder();
            while (true)
            {
                if (_position >= text.Length)
                {
                    throw Error("a string is not closed");
                }

                char current = text[_position++];
                if (current == quote)
                {
                    return builder.ToString();
                }

                if (current == '\\')
                {
                    if (_position >= text.Length)
                    {
                        throw Error("a string is not closed");
                    }

                    char escaped = text[_position++];
                    builder.Append(escaped switch
                    {
                        'n' => '\n',
                        't' => '\t',
                        'r' => '\r',
                        _ => escaped,
                    });
                }
                else
                {
                    builder.Append(current);
                }
            }
        }

        private long ParseInteger()
        {
            int start = _position;
            if (text[_position] is '-' or '+')
            {
                _position++;
            }

            while (_position < text.Length && char.IsAsciiDigit(text[_position]))
            {
                _position++;
            }

            string digits = text[start.._position];
            if (_position < text.Length && text[_position] is 'L' or 'l')
            {
                _position++;
            }

            if (!long.TryParse(digits, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value))
            {
                _position = start;
                throw Error($"'{digits}' is not an integer this reader supports");
            }

            return value;
        }

        private object? ParseName()
        {
            int start = _position;
            while (_position < text.Length && (char.IsAsciiLetterOrDigit(text[_position]) || text[_position] == '_'))
            {
                _position++;
            }

            string name = text[start.._position];
            switch (name)
            {
                case "True":
                    return true;
                case "False":
                    return false;
                case "None":
                    return null;
                default:
                    _position = start;
                    throw Error($"unknown name '{name}'");
            }
        }

        private bool TryConsume(char expected)
        {
            if (_position < text.Length && text[_position] == expected)
            {
                _position++;
                return true;
            }

            return false;
        }

        private void SkipWhitespace()
        {
            while (_position < text.Length && text[_position] is ' ' or '\t' or '\n' or '\r')
            {
                _position++;
            }
        }

        private NpyFormatException Error(string problem) =>
            new($"Malformed .npy header: {problem} at character {_position} of {Quote(text)}.");
    }
}
