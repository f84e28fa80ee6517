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
            Assert.AreEqual(Path.Combine(BoardsFolder(), "esp32.json"), board.Source);
            Assert.AreEqual("ESP32", board.DisplayName);
            Assert.IsNull(board.Baud);
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
        [DataRow("{ \"modelBudgetBytes\": 1, \"baud\": \"fast\" }", "'baud' must be a positive whole number")]
        [DataRow("{ \"modelBudgetBytes\": 1, \"name\": 5 }", "'name' must be a string")]
        public void Get_BadFile_FormatException(string content, string expected)
        {
            File.WriteAllText(Path.Combine(BoardsFolder(), "bad.json"), content);

            BoardFormatException exception = Assert.ThrowsExactly<BoardFormatException>(() => new BoardCatalog(BoardsFolder()).Get("bad"));

            StringAssert.Contains(exception.Message, expected);
        }

        [TestMethod]
        public void BuiltIn_SameBoardsAsTheRepositoryBoardsFolder()
        {
            string repositoryBoards = Path.Combine(RepositoryRoot(), "boards");
            BoardCatalog folder = new BoardCatalog(repositoryBoards);

            BoardCatalog builtIn = BoardCatalog.BuiltIn();

            CollectionAssert.AreEqual(folder.BoardNames.ToArray(), builtIn.BoardNames.ToArray());
            CollectionAssert.Contains(builtIn.BoardNames.ToArray(), "esp32-devkitc");
            foreach (string name in builtIn.BoardNames)
            {
                BoardDefinition expected = folder.Get(name);
                BoardDefinition actual = builtIn.Get(name);
                Assert.AreEqual(expected.ModelBudgetBytes, actual.ModelBudgetBytes, name);
                Assert.AreEqual(expected.DisplayName, actual.DisplayName, name);
                Assert.AreEqual(expected.Baud, actual.Baud, name);
                Assert.AreEqual(expected.FirmwareTarget, actual.FirmwareTarget, name);
                Assert.AreEqual($"built-in boards/{name}.json", actual.Source);
            }
        }

        [TestMethod]
        public void BuiltIn_Devkitc_NameBaudTarget()
        {
            BoardDefinition board = BoardCatalog.BuiltIn().Get("esp32-devkitc");

            Assert.AreEqual("ESP32-DevKitC", board.DisplayName);
            Assert.AreEqual(921600, board.Baud);
            Assert.AreEqual("ESP32_REV3", board.FirmwareTarget);
            Assert.AreEqual(52224, board.ModelBudgetBytes);
        }

        [TestMethod]
        public void Locate_NoOverride_BuiltInOnly()
        {
            BoardCatalog catalog = BoardCatalog.Locate(overrideDirectory: null);

            Assert.IsNull(catalog.Directory);
            CollectionAssert.AreEqual(BoardCatalog.BuiltIn().BoardNames.ToArray(), catalog.BoardNames.ToArray());
        }

        [TestMethod]
        public void Locate_Override_AddsBoardsAndReplacesBuiltInOnesOfTheSameName()
        {
            string boards = BoardsFolder();
            File.WriteAllText(Path.Combine(boards, "my-board.json"), "{ \"modelBudgetBytes\": 1234 }");
            File.WriteAllText(Path.Combine(boards, "esp32-devkitc.json"), "{ \"name\": \"Mine\", \"modelBudgetBytes\": 99 }");

            BoardCatalog catalog = BoardCatalog.Locate(boards);

            Assert.AreEqual(Path.GetFullPath(boards), catalog.Directory);
            Assert.AreEqual(1234, catalog.Get("my-board").ModelBudgetBytes);
            Assert.AreEqual(99, catalog.Get("esp32-devkitc").ModelBudgetBytes);
            Assert.AreEqual("Mine", catalog.Get("esp32-devkitc").DisplayName);
            Assert.AreEqual(BoardCatalog.BuiltIn().Get("esp32-c3-devkitm").ModelBudgetBytes, catalog.Get("esp32-c3-devkitm").ModelBudgetBytes);
        }

        [TestMethod]
        public void Locate_OverrideNotAFolder_NotFound()
        {
            BoardNotFoundException exception = Assert.ThrowsExactly<BoardNotFoundException>(() => BoardCatalog.Locate(Path.Combine(_root, "missing")));

            StringAssert.Contains(exception.Message, BoardCatalog.DirectoryVariable);
        }

        private static string RepositoryRoot()
        {
            for (DirectoryInfo? folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            {
                if (File.Exists(Path.Combine(folder.FullName, "NanoInt8.sln")))
                {
                    return folder.FullName;
                }
            }

            throw new InvalidOperationException("The tests run outside the repository: no NanoInt8.sln above " + AppContext.BaseDirectory);
        }
    }
}
