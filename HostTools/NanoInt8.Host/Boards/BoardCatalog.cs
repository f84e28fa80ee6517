using System.Globalization;
using System.Text.Json;

namespace NanoInt8.Host.Boards
{
    /// <summary>
    /// The board files of the repository's boards/ folder: <c>boards/NAME.json</c>, a JSON object
    /// whose <c>modelBudgetBytes</c> field (a positive integer) is the most deviceBytes a model may
    /// need on that board. Other fields are left to the tools that use them.
    /// </summary>
    /// <remarks>
    /// <see cref="Locate()"/> finds the folder: the <see cref="DirectoryVariable"/> environment
    /// variable when set, otherwise the first folder holding both boards/ and NanoInt8.sln, walking
    /// up from the executable's folder and then from the current directory.
    /// </remarks>
    public sealed class BoardCatalog
    {
        /// <summary>Environment variable that names the boards folder, overriding the search.</summary>
        public const string DirectoryVariable = "NANOINT8_BOARDS";

        private const string BudgetField = "modelBudgetBytes";

        /// <summary>Uses the board files in <paramref name="directory"/>.</summary>
        public BoardCatalog(string directory)
        {
            ArgumentException.ThrowIfNullOrEmpty(directory);
            Directory = Path.GetFullPath(directory);
        }

        /// <summary>The boards folder.</summary>
        public string Directory { get; }

        /// <summary>The names of the defined boards, sorted.</summary>
        public IReadOnlyList<string> BoardNames =>
            System.IO.Directory.Exists(Directory)
                ? System.IO.Directory.EnumerateFiles(Directory, "*.json")
                    .Select(path => Path.GetFileNameWithoutExtension(path))
                    .Order(StringComparer.Ordinal)
                    .ToArray()
                : Array.Empty<string>();

        /// <summary>
        /// Finds the boards folder from <see cref="DirectoryVariable"/>, <see cref="AppContext.BaseDirectory"/>
        /// and the current directory.
        /// </summary>
        /// <exception cref="BoardNotFoundException">No boards folder was found.</exception>
        public static BoardCatalog Locate()
        {
            return Locate(Environment.GetEnvironmentVariable(DirectoryVariable), new[] { AppContext.BaseDirectory, Environment.CurrentDirectory });
        }

        /// <summary>
        /// Finds the boards folder: <paramref name="overrideDirectory"/> when it is not empty,
        /// otherwise the boards/ folder of the first folder holding both boards/ and NanoInt8.sln at
        /// or above one of <paramref name="startDirectories"/>, tried in order.
        /// </summary>
        /// <exception cref="BoardNotFoundException">The override is not a folder, or no boards folder was found.</exception>
        public static BoardCatalog Locate(string? overrideDirectory, IEnumerable<string> startDirectories)
        {
            ArgumentNullException.ThrowIfNull(startDirectories);
            if (!string.IsNullOrEmpty(overrideDirectory))
            {
                if (!System.IO.Directory.Exists(overrideDirectory))
                {
                    throw new BoardNotFoundException($"{DirectoryVariable} names '{overrideDirectory}', which is not a folder.");
                }

                return new BoardCatalog(overrideDirectory);
            }

            List<string> searched = new List<string>();
            foreach (string start in startDirectories)
            {
                searched.Add(start);
                for (DirectoryInfo? folder = new DirectoryInfo(start); folder is not null; folder = folder.Parent)
                {
                    string boards = Path.Combine(folder.FullName, "boards");
                    if (System.IO.Directory.Exists(boards) && File.Exists(Path.Combine(folder.FullName, "NanoInt8.sln")))
                    {
                        return new BoardCatalog(boards);
                    }
                }
            }

            throw new BoardNotFoundException(
                $"No boards folder found: no folder holding boards/ and NanoInt8.sln at or above {string.Join(" or ", searched.Select(path => $"'{path}'"))}; set {DirectoryVariable} to the folder of board files.");
        }

        /// <summary>Reads the definition of board <paramref name="name"/> (file <c>NAME.json</c>).</summary>
        /// <exception cref="BoardNotFoundException">The name is not a plain file name, or there is no file for it.</exception>
        /// <exception cref="BoardFormatException">The file is not a JSON object with a usable modelBudgetBytes.</exception>
        public BoardDefinition Get(string name)
        {
            ArgumentNullException.ThrowIfNull(name);
            if (name.Length == 0 || name.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || name.Contains('/') || name.Contains('\\') || name.StartsWith('.'))
            {
                throw new BoardNotFoundException($"'{name}' is not a board name: a board is named by its file in {Directory} without '.json'.");
            }

            string path = Path.Combine(Directory, name + ".json");
            if (!File.Exists(path))
            {
                IReadOnlyList<string> known = BoardNames;
                string choices = known.Count == 0 ? $"{Directory} holds no board files yet" : $"known boards: {string.Join(", ", known)}";
                throw new BoardNotFoundException($"Unknown board '{name}': there is no {path} ({choices}).");
            }

            return new BoardDefinition(name, ReadBudget(path), path);
        }

        private static int ReadBudget(string path)
        {
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            }
            catch (JsonException exception)
            {
                throw new BoardFormatException($"Board file {path} is not valid JSON: {exception.Message}", exception);
            }

            using (document)
            {
                if (document.RootElement.ValueKind != JsonValueKind.Object)
                {
                    throw new BoardFormatException($"Board file {path} must hold a JSON object.");
                }

                if (!document.RootElement.TryGetProperty(BudgetField, out JsonElement budget))
                {
                    throw new BoardFormatException($"Board file {path} has no '{BudgetField}' field.");
                }

                if (budget.ValueKind != JsonValueKind.Number || !budget.TryGetInt32(out int value) || value < 1)
                {
                    throw new BoardFormatException(
                        $"Board file {path}: '{BudgetField}' is {budget.GetRawText()}; it must be a whole number from 1 to {int.MaxValue.ToString(CultureInfo.InvariantCulture)}.");
                }

                return value;
            }
        }
    }
}
