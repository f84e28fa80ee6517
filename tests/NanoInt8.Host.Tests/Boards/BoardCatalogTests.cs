using NanoInt8.Host.Boards;

namespace NanoInt8.Host.Tests.Boards
{
    /// <summary>Finding the boards folder and reading board files.</summary>
    [TestClass]
    public sealed class BoardCatalogTests
    {
        private string _root = string.Empty;

        [TestInitialize]
        public void CreateRoot()
        {
            _root = Directory.CreateTempSubdirectory("nanoint8-boards-").FullName;
        }

        [TestCleanup]
        public void DeleteRoot()
        {
            Directory.Delete(_root, recursive: true);
        }

        private string BoardsFolder()
        {
            string boards = Path.Combine(_root, "boards");
            Directory.CreateDirectory(boards);
            return boards;
        }

        [TestMethod]
        public void Get_ValidFile_ReadsBudget()
        {
            File.WriteAllText(Path.Combine(BoardsFolder(), "esp32.json"), "{ \"name\": \"ESP32\", \"modelBudgetBytes\": 120000 }");

            BoardDefinition board = new BoardCatalog(BoardsFolder()).Get("esp32");

            Assert.AreEqual("esp32", board.Name);
            Assert.AreEqual(120000, board.ModelBudgetBytes);
            Assert.AreEqual(Path.Combine(BoardsFolder(), "esp32.json"), board.FilePath);
        }

        [TestMethod]
        public void Get_MissingFile_ListsKnownBoards()
        {
            File.WriteAllText(Path.Combine(BoardsFolder(), "a.json"), "{ \"modelBudgetBytes\": 1 }");
            File.WriteAllText(Path.Combine(BoardsFolder(), "b.json"), "{ \"modelBudgetBytes\": 2 }");

            BoardNotFoundException exception = Assert.ThrowsExactly<BoardNotFoundException>(() => new BoardCatalog(BoardsFolder()).Get("c"));

            StringAssert.Contains(exception.Message, "Unknown board 'c'");
            StringAssert.Contains(exception.Message, "known boards: a, b");
        }

        [TestMethod]
        [DataRow("../secret")]
        [DataRow("sub/board")]
        [DataRow(".hidden")]
        [DataRow("")]
        public void Get_NotAPlainName_NotFound(string name)
        {
            BoardNotFoundException exception = Assert.ThrowsExactly<BoardNotFoundException>(() => new BoardCatalog(BoardsFolder()).Get(name));

            StringAssert.Contains(exception.Message, "is not a board name");
        }

        [TestMethod]
        [DataRow("not json", "not valid JSON")]
        [DataRow("[1, 2]", "must hold a JSON object")]
        [DataRow("{ \"name\": \"x\" }", "has no 'modelBudgetBytes' field")]
        [DataRow("{ \"modelBudgetBytes\": 0 }", "must be a whole number")]
        [DataRow("{ \"modelBudgetBytes\": 1.5 }", "must be a whole number")]
        [DataRow("{ \"modelBudgetBytes\": \"100\" }", "must be a whole number")]
        [DataRow("{ \"modelBudgetBytes\": 3000000000 }", "must be a whole number")]
        public void Get_BadFile_FormatException(string content, string expected)
        {
            File.WriteAllText(Path.Combine(BoardsFolder(), "bad.json"), content);

            BoardFormatException exception = Assert.ThrowsExactly<BoardFormatException>(() => new BoardCatalog(BoardsFolder()).Get("bad"));

            StringAssert.Contains(exception.Message, expected);
        }

        [TestMethod]
        public void Locate_FolderWithBoardsAndSolution_FoundFromBelow()
        {
            string boards = BoardsFolder();
            File.WriteAllText(Path.Combine(_root, "NanoInt8.sln"), string.Empty);
            string deep = Directory.CreateDirectory(Path.Combine(_root, "tests", "bin", "Debug")).FullName;

            BoardCatalog catalog = BoardCatalog.Locate(null, new[] { deep });

            Assert.AreEqual(Path.GetFullPath(boards), catalog.Directory);
        }

        [TestMethod]
        public void Locate_BoardsWithoutSolution_NotFound()
        {
            BoardsFolder();

            BoardNotFoundException exception = Assert.ThrowsExactly<BoardNotFoundException>(() => BoardCatalog.Locate(null, new[] { _root }));

            StringAssert.Contains(exception.Message, BoardCatalog.DirectoryVariable);
        }

        [TestMethod]
        public void Locate_Override_WinsOverSearch()
        {
            string other = Directory.CreateDirectory(Path.Combine(_root, "elsewhere")).FullName;

            BoardCatalog catalog = BoardCatalog.Locate(other, new[] { _root });

            Assert.AreEqual(other, catalog.Directory);
        }

        [TestMethod]
        public void Locate_OverrideNotAFolder_NotFound()
        {
            Assert.ThrowsExactly<BoardNotFoundException>(() => BoardCatalog.Locate(Path.Combine(_root, "missing"), Array.Empty<string>()));
        }
    }
}
