using NanoInt8.Host.Boards;
using NanoInt8.Host.Device;

namespace NanoInt8.Host.Tests.Device
{
    /// <summary>The emulated board's flash: FileModelStore's atomic replace, and persistence across boards.</summary>
    [TestClass]
    public sealed class EmulatedBoardStoreTests
    {
        private string _folder = null!;

        [TestInitialize]
        public void CreateFolder()
        {
            _folder = Directory.CreateTempSubdirectory("nanoint8-store-").FullName;
        }

        [TestCleanup]
        public void DeleteFolder()
        {
            Directory.Delete(_folder, recursive: true);
        }

        [TestMethod]
        public void ReadCommitted_EmptyFolder_Null()
        {
            FileModelStore store = new FileModelStore(Path.Combine(_folder, "never-created"));

            Assert.IsNull(store.ReadCommitted());
        }

        [TestMethod]
        public void Commit_ThenRead_SameBytesAndNoLeftoverNewFile()
        {
            FileModelStore store = new FileModelStore(Path.Combine(_folder, "board"));
            byte[] blob = DeviceTestModels.AddOffset(8, offset: 1);

            Assert.IsTrue(store.Commit(blob));

            CollectionAssert.AreEqual(blob, store.ReadCommitted());
            Assert.IsFalse(File.Exists(store.NewModelPath));
        }

        [TestMethod]
        public void CrashAfterWritingNewFile_BeforeReplacing_OldModelStaysAndBoots()
        {
            FileModelStore store = new FileModelStore(_folder);
            byte[] old = DeviceTestModels.AddOffset(8, offset: 3);
            store.Commit(old);
            byte[] next = DeviceTestModels.Dense(seed: 30);
            // The state a power cut leaves between writing model.new and renaming it: here even a torn write.
            File.WriteAllBytes(store.NewModelPath, next.AsSpan(0, next.Length / 2).ToArray());

            FileModelStore afterReboot = new FileModelStore(_folder);
            using TestBoard board = new TestBoard(afterReboot);

            CollectionAssert.AreEqual(old, afterReboot.ReadCommitted());
            Assert.AreEqual(DeviceTestModels.Crc(old), board.Client.GetInfo().ModelCrc);
            CollectionAssert.AreEqual(new sbyte[] { 4, 5, 6, 7, 8, 9, 10, 11 }, board.Client.Infer(new sbyte[] { 1, 2, 3, 4, 5, 6, 7, 8 }).Outputs);
            board.Client.Deploy(next);
            CollectionAssert.AreEqual(next, afterReboot.ReadCommitted());
        }

        [TestMethod]
        public void Commit_FolderIsAFile_ReturnsFalseAndDeviceKeepsOldModel()
        {
            string blocked = Path.Combine(_folder, "not-a-folder");
            File.WriteAllText(blocked, "x");
            FileModelStore store = new FileModelStore(blocked);

            Assert.IsFalse(store.Commit(DeviceTestModels.AddOffset(4, offset: 1)));
        }

        [TestMethod]
        public void DeployedModel_NewBoardOnTheSameFolder_BootsIt()
        {
            byte[] blob = DeviceTestModels.Dense(seed: 31);
            using (TestBoard first = new TestBoard(new FileModelStore(_folder)))
            {
                first.Client.Deploy(blob);
            }

            using TestBoard second = new TestBoard(new FileModelStore(_folder));

            DeviceInformation information = second.Client.Hello();
            Assert.IsTrue(information.ModelLoaded);
            Assert.AreEqual(DeviceTestModels.Crc(blob), information.ModelCrc);
            sbyte[] input = DeviceTestModels.RandomInput(128, seed: 31);
            CollectionAssert.AreEqual(DeviceTestModels.RunOnHost(blob, input), second.Client.Infer(input).Outputs);
            CollectionAssert.AreEqual(blob, second.Client.ReadModel());
        }

        [TestMethod]
        public void DefaultStoreFolder_HomeVariableSet_BoardFolderInside()
        {
            string? before = Environment.GetEnvironmentVariable(EmulatedBoard.HomeVariable);
            try
            {
                Environment.SetEnvironmentVariable(EmulatedBoard.HomeVariable, _folder);

                Assert.AreEqual(Path.Combine(_folder, "esp32-devkitc"), EmulatedBoard.DefaultStoreFolder("esp32-devkitc"));
            }
            finally
            {
                Environment.SetEnvironmentVariable(EmulatedBoard.HomeVariable, before);
            }
        }

        [TestMethod]
        public void Profile_FromBoardFile_NameBaudAndBudget()
        {
            string file = Path.Combine(_folder, "my-board.json");
            File.WriteAllText(file, """{ "name": "My Board", "baud": 115200, "modelBudgetBytes": 4096 }""");
            BoardDefinition board = new BoardCatalog(_folder).Get("my-board");

            EmulatedBoardProfile profile = EmulatedBoardProfile.FromBoard(board);

            Assert.AreEqual("my-board", profile.BoardId);
            Assert.AreEqual("My Board (emulated)", profile.DisplayName);
            Assert.AreEqual(115200, profile.Baud);
            Assert.AreEqual(4096, profile.ModelBudgetBytes);
            Assert.AreEqual(4096, profile.TransferBudgetBytes);
        }

        [TestMethod]
        public void Commit_CannotWrite_FalseWithPathAndSystemReason()
        {
            FileModelStore store = new FileModelStore(_folder);
            // A folder where model.new must go: no file can be written there, whoever runs the test.
            Directory.CreateDirectory(store.NewModelPath);

            bool committed = store.Commit(new byte[] { 1, 2, 3 });

            Assert.IsFalse(committed);
            StringAssert.StartsWith(store.LastError, store.NewModelPath + ": ");
            Directory.Delete(store.NewModelPath);
            Assert.IsTrue(store.Commit(new byte[] { 1, 2, 3 }));
            Assert.IsNull(store.LastError);
        }
    }
}
