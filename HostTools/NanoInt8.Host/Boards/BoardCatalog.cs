using System.Globalization;
using System.Reflection;
using System.Text.Json;

namespace NanoInt8.Host.Boards
{
    /// <summary>
    /// The boards the host tools know. Each is a board file, <c>NAME.json</c>: a JSON object whose
    /// <c>modelBudgetBytes</c> field (a positive integer) is the most deviceBytes a model may need on
    /// that board; <c>name</c>, <c>baud</c>, <c>firmwareTarget</c> and <c>maxWorkPerInference</c>
    /// (the most work units one inference may take there) are read when present, other
    /// fields are left to the tools that use them (boards/README.md).
    /// </summary>
    /// <remarks>
    /// The repository's boards/*.json are built into this assembly as resources, so the tools work
    /// from any folder and as an installed .NET tool. A folder of board files (<see cref="Locate(string?)"/>,
    /// the <see cref="DirectoryVariable"/> environment variable) adds boards and replaces built-in
    /// ones of the same name.
    /// </remarks>
    public sealed class BoardCatalog
    {
        /// <summary>Environment variable naming a folder of board files that come before the built-in ones.</summary>
        public const string DirectoryVariable = "NANOINT8_BOARDS";

        private const string BudgetField = "modelBudgetBytes";

        // The LogicalName of the boards/*.json resources in NanoInt8.Host.csproj.
        private const string ResourcePrefix = "NanoInt8.Boards.";

        private readonly SortedDictionary<string, BoardFile> _files;

        /// <summary>Uses only the board files in <paramref name="directory"/>, none of the built-in ones.</summary>
        public BoardCatalog(string directory)
            : this(Path.GetFullPath(directory ?? throw new ArgumentNullException(nameof(directory))), includeBuiltIn: false)
        {
        }

        private BoardCatalog(string? directory, bool includeBuiltIn)
        {
            Directory = directory;
            _files = new SortedDictionary<string, BoardFile>(StringComparer.Ordinal);
            if (includeBuiltIn)
            {
                Assembly assembly = typeof(BoardCatalog).Assembly;
                foreach (string resource in assembly.GetManifestResourceNames().Where(name => name.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
                {
                    string name = Path.GetFileNameWithoutExtension(resource[ResourcePrefix.Length..]);
                    _files[name] = new BoardFile($"built-in boards/{name}.json", () => ReadResource(assembly, resource));
                }
            }

            if (directory is not null && System.IO.Directory.Exists(directory))
            {
                foreach (string path in System.IO.Directory.EnumerateFiles(directory, "*.json"))
                {
                    _files[Path.GetFileNameWithoutExtension(path)] = new BoardFile(path, () => File.ReadAllText(path));
                }
            }
        }

        /// <summary>The folder of board files in use, or null when only the built-in boards are.</summary>
        public string? Directory { get; }

        /// <summary>The names of the known boards, sorted.</summary>
        public IReadOnlyList<string> BoardNames => _files.Keys.ToArray();

        /// <summary>Where the boards come from, for messages: "the built-in boards" or the folder and the built-in boards.</summary>
        public string Description => Directory is null ? "the built-in boards" : $"{Directory} and the built-in boards";

        /// <summary>Only the boards built into the tools (the repository's boards/*.json when they were built).</summary>
        public static BoardCatalog BuiltIn() => new BoardCatalog(directory: null, includeBuiltIn: true);

        /// <summary>The built-in boards, after the folder <see cref="DirectoryVariable"/> names when it is set.</summary>
        /// <exception cref="BoardNotFoundException">The variable names something that is not a folder.</exception>
        public static BoardCatalog Locate() => Locate(Environment.GetEnvironmentVariable(DirectoryVariable));

        /// <summary>
        /// The built-in boards, after the board files in <paramref name="overrideDirectory"/> when it is
        /// not empty (a file there replaces the built-in board of the same name).
        /// </summary>
        /// <exception cref="BoardNotFoundException">The override is not a folder.</exception>
        public static BoardCatalog Locate(string? overrideDirectory)
        {
            if (string.IsNullOrEmpty(overrideDirectory))
            {
                return BuiltIn();
            }

            if (!System.IO.Directory.Exists(overrideDirectory))
            {
                throw new BoardNotFoundException($"{DirectoryVariable} names '{overrideDirectory}', which is not a folder.");
            }

            return new BoardCatalog(Path.GetFullPath(overrideDirectory), includeBuiltIn: true);
        }

        /// <summary>Reads the definition of board <paramref name="name"/> (file <c>NAME.json</c>).</summary>
        /// <exception cref="BoardNotFoundException">The name is not a plain file name, or there is no board of that name.</exception>
        /// <exception cref="BoardFormatException">The file is not a JSON object with a usable modelBudgetBytes, name and baud.</exception>
        public BoardDefinition Get(string name)
        {
            ArgumentNullException.ThrowIfNull(name);
            if (name.Length == 0 || name.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || name.Contains('/') || name.Contains('\\') || name.StartsWith('.'))
            {
                throw new BoardNotFoundException($"'{name}' is not a board name: a board is named by its file name without '.json' ('hosttool boards' lists them).");
            }

            if (!_files.TryGetValue(name, out BoardFile? file))
            {
                string choices = _files.Count == 0 ? $"{Description} hold no board files" : $"known boards: {string.Join(", ", _files.Keys)}";
                throw new BoardNotFoundException($"Unknown board '{name}' ({choices}).");
            }

            return Parse(name, file);
        }

        /// <summary>Every known board, sorted by name.</summary>
        /// <exception cref="BoardFormatException">A board file cannot be used.</exception>
        public IReadOnlyList<BoardDefinition> GetAll() => _files.Keys.Select(Get).ToArray();

        private static BoardDefinition Parse(string name, BoardFile file)
        {
            string source = file.Source;
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(file.Read(), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            }
            catch (JsonException exception)
            {
                throw new BoardFormatException($"Board file {source} is not valid JSON: {exception.Message}", exception);
            }
            catch (IOException exception)
            {
                throw new BoardFormatException($"Board file {source} cannot be read: {exception.Message}", exception);
            }

            using (document)
            {
                JsonElement root = document.RootElement;
                if (root.ValueKind != JsonValueKind.Object)
                {
                    throw new BoardFormatException($"Board file {source} must hold a JSON object.");
                }

                if (!root.TryGetProperty(BudgetField, out JsonElement budget))
                {
                    throw new BoardFormatException($"Board file {source} has no '{BudgetField}' field.");
                }

                if (budget.ValueKind != JsonValueKind.Number || !budget.TryGetInt32(out int value) || value < 1)
                {
                    throw new BoardFormatException(
                        $"Board file {source}: '{BudgetField}' is {budget.GetRawText()}; it must be a whole number from 1 to {int.MaxValue.ToString(CultureInfo.InvariantCulture)}.");
                }

                int? baud = null;
                if (root.TryGetProperty("baud", out JsonElement rate))
                {
                    baud = rate.ValueKind == JsonValueKind.Number && rate.TryGetInt32(out int parsed) && parsed > 0
                        ? parsed
                        : throw new BoardFormatException($"Board file {source}: 'baud' must be a positive whole number.");
                }

                long? maxWork = null;
                if (root.TryGetProperty("maxWorkPerInference", out JsonElement work))
                {
                    maxWork = work.ValueKind == JsonValueKind.Number && work.TryGetInt64(out long parsed) && parsed > 0 && parsed <= uint.MaxValue
                        ? parsed
                        : throw new BoardFormatException($"Board file {source}: 'maxWorkPerInference' must be a whole number from 1 to {uint.MaxValue}.");
                }

                return new BoardDefinition(name, value, source, OptionalString(root, "name", source), baud, OptionalString(root, "firmwareTarget", source))
                {
                    MaxWorkPerInference = maxWork,
                };
            }
        }

        private static string? OptionalString(JsonElement root, string field, string source)
        {
            if (!root.TryGetProperty(field, out JsonElement value))
            {
                return null;
            }

            return value.ValueKind == JsonValueKind.String
                ? value.GetString()
                : throw new BoardFormatException($"Board file {source}: '{field}' must be a string.");
        }

        private static string ReadResource(Assembly assembly, string resource)
        {
            using Stream stream = assembly.GetManifestResourceStream(resource)!;
            using StreamReader reader = new StreamReader(stream);
            return reader.ReadToEnd();
        }

        /// <summary>A board file: where it is, and how to read its text.</summary>
        private sealed record BoardFile(string Source, Func<string> Read);
    }
}
