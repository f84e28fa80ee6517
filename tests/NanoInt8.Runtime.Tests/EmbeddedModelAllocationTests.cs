using System;
using System.IO;
using NanoInt8.Host.Conversion;
using NanoInt8.Host.Files;
using NanoInt8.Onnx;

namespace NanoInt8.Runtime.Tests
{
    /// <summary>
    /// An app classifies forever in a small heap: after EmbeddedModel.Load, setting raw inputs, running
    /// and reading outputs allocate nothing. Measured on .NET with the thread's allocation counter around
    /// those calls (the net10.0 build of the same sources), on the vibration sample converted with a raw
    /// input transform as the example app embeds it.
    /// </summary>
    [TestClass]
    public class EmbeddedModelAllocationTests
    {
        [TestMethod]
        public void Inference_SetRawInputInvokeAndOutputs_AllocateNothing()
        {
            EmbeddedModel model = LoadSample();
            int[] readings = new int[128];
            sbyte[] output = new sbyte[3];
            Classify(model, readings, output, 0);

            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int window = 1; window <= 100; window++)
            {
                Classify(model, readings, output, window);
            }

            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

            Assert.AreEqual(0L, allocated);
        }

        [TestMethod]
        public void Load_AllocatesTheModel()
        {
            // Shows the measurement above sees allocations: Load allocates at least the device bytes.
            byte[] blob = SampleBlob();
            LoadSample();

            long before = GC.GetAllocatedBytesForCurrentThread();
            EmbeddedModel model;
            EmbeddedModel.Load(blob, 1 << 20, out model);
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

            Assert.IsGreaterThanOrEqualTo((long)ModelReader.GetDeviceBytes(blob, 0), allocated);
        }

        private static void Classify(EmbeddedModel model, int[] readings, sbyte[] output, int window)
        {
            for (int i = 0; i < readings.Length; i++)
            {
                readings[i] = 2048 + (i * (window + 3) % 400) - 200;
            }

            int top;
            Assert.AreEqual(EmbeddedModelError.None, model.SetRawInput(0, readings, 0));
            Assert.AreEqual(EmbeddedModelError.None, model.Invoke());
            Assert.AreEqual(EmbeddedModelError.None, model.GetTopClass(0, out top));
            Assert.AreEqual(EmbeddedModelError.None, model.GetOutput(0, output, 0));
        }

        private static EmbeddedModel LoadSample()
        {
            EmbeddedModel model;
            Assert.AreEqual(EmbeddedModelError.None, EmbeddedModel.Load(SampleBlob(), 1 << 20, out model));
            return model;
        }

        // samples/vibration/model.qdq.onnx converted for a 12-bit ADC reading of 0.0026862 g per count around 2048.
        private static byte[] SampleBlob()
        {
            string path = Path.Combine(RepositoryRoot(), "samples", "vibration", "model.qdq.onnx");
            byte[] bytes = File.ReadAllBytes(path);
            return OnnxFileConversion.Convert(OnnxModel.Load(bytes), path, bytes, null, rawInput: new RawInputScaling(0.0026862, 2048)).Blob;
        }

        private static string RepositoryRoot()
        {
            for (DirectoryInfo folder = new DirectoryInfo(AppContext.BaseDirectory); folder != null; folder = folder.Parent)
            {
                if (File.Exists(Path.Combine(folder.FullName, "NanoInt8.sln")))
                {
                    return folder.FullName;
                }
            }

            throw new InvalidOperationException("NanoInt8.sln not found above " + AppContext.BaseDirectory);
        }
    }
}
