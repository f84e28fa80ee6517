using NanoInt8.Host.Device;

namespace NanoInt8.Host.Tests.Device
{
    /// <summary>One user of a device at a time: the lock file, and what the second user is told.</summary>
    [TestClass]
    public sealed class DeviceLockTests
    {
        private string _folder = string.Empty;

        [TestInitialize]
        public void CreateFolder()
        {
            _folder = Directory.CreateTempSubdirectory("nanoint8-lock-").FullName;
        }

        [TestCleanup]
        public void DeleteFolder()
        {
            Directory.Delete(_folder, recursive: true);
        }

        [TestMethod]
        public void Acquire_WhileHeld_BusyNamingTheHolder()
        {
            string path = DeviceLock.ForFolder(_folder);
            using DeviceLock held = DeviceLock.Acquire(path, "the emulated board test", "hosttool deploy a.onnx");

            DeviceBusyException exception = Assert.ThrowsExactly<DeviceBusyException>(() => DeviceLock.Acquire(path, "the emulated board test", "hosttool info"));

            Assert.AreEqual(Environment.ProcessId, exception.Owner?.ProcessId);
            Assert.AreEqual("hosttool deploy a.onnx", exception.Owner?.Command);
            StringAssert.StartsWith(exception.Message, $"The emulated board test is in use by process {Environment.ProcessId} ('hosttool deploy a.onnx', since ");
        }

        [TestMethod]
        public void Acquire_AfterRelease_Succeeds()
        {
            string path = DeviceLock.ForFolder(_folder);
            DeviceLock.Acquire(path, "the board", "first").Dispose();

            using DeviceLock second = DeviceLock.Acquire(path, "the board", "second");

            Assert.IsTrue(File.Exists(path));
        }

        [TestMethod]
        [OSCondition(OperatingSystems.Linux | OperatingSystems.OSX)]
        public void ForPort_SymbolicLink_SameLockAsItsTarget()
        {
            string target = Path.Combine(_folder, "ttyFAKE");
            File.WriteAllText(target, string.Empty);
            string link = Path.Combine(_folder, "link");
            File.CreateSymbolicLink(link, target);

            Assert.AreEqual(DeviceLock.ForPort(target), DeviceLock.ForPort(link));
            Assert.AreNotEqual(DeviceLock.ForPort(target), DeviceLock.ForPort(Path.Combine(_folder, "other")));
        }
    }
}
