using NanoInt8.Host.Format;
using NanoInt8.Runtime;

namespace NanoInt8.Host.Tests.Format
{
    /// <summary>Blobs from the host writer are accepted by the device's reader.</summary>
    [TestClass]
    public class DeviceReaderAgreementTests
    {
        [TestMethod]
        public void CheckHeader_SmallModel_None()
        {
            byte[] blob = ModelWriter.Write(SmallModel.Build());

            Assert.AreEqual(ModelError.None, ModelReader.CheckHeader(blob, 0, blob.Length, int.MaxValue));
        }

        [TestMethod]
        public void CheckHeader_BudgetOneBelowDeviceBytes_TooLarge()
        {
            byte[] blob = ModelWriter.Write(SmallModel.Build());

            Assert.AreEqual(ModelError.TooLarge, ModelReader.CheckHeader(blob, 0, blob.Length, SmallModel.DeviceBytes - 1));
        }

        [TestMethod]
        public void TryRead_SmallModel_None()
        {
            byte[] blob = ModelWriter.Write(SmallModel.Build());

            Assert.AreEqual(ModelError.None, ModelReader.TryRead(blob, SmallModel.DeviceBytes, out _));
        }

        [TestMethod]
        public void TryRead_MinimalModel_None()
        {
            byte[] blob = ModelWriter.Write(SmallModel.BuildMinimal());

            Assert.AreEqual(ModelError.None, ModelReader.TryRead(blob, int.MaxValue, out _));
        }
    }
}
